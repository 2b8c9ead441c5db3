package esetapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// sharedPacer returns a pacer at 10 calls/s whose ledger, for user, is in dir; a ledger given up fails t.
func sharedPacer(t *testing.T, dir, user string) *pacer {
	t.Helper()
	ledger, err := openPaceLedger(dir, "https://iam.example", user)
	if err != nil {
		t.Fatal(err)
	}
	return newPacer(10, ledger, nil, keepLedger(t))
}

// ledgerFile is the path of the ledger's file of that kind: "times" or "lock".
func ledgerFile(l *paceLedger, kind string) string {
	return filepath.Join(l.root.Name(), l.name+"."+kind)
}

// holdLock takes the ledger's lock as another process would, until the function it returns is called.
func holdLock(t *testing.T, l *paceLedger) func() {
	t.Helper()
	f, err := os.OpenFile(ledgerFile(l, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := tryLockFile(f); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	return func() { _ = unlockFile(f); _ = f.Close() }
}

// sendAll lets n calls go through p one after another, each going out when let go and answered at once,
// and returns their send times: the let-go times, by which the pacer counts them. (The bubble's clock
// after letGo may be later, when settling the call waited for another pacer's lock.) Calls let go at one
// instant of the bubble's clock are a nanosecond apart.
func sendAll(t *testing.T, p pace, n int) []time.Time {
	t.Helper()
	var at []time.Time
	for range n {
		sent, err := letGo(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		p.answered(sent)
		at = append(at, sent)
	}
	return at
}

// sendAllSideBySide sends n calls through each pacer, one caller each and all at once, and returns when
// each was let go.
func sendAllSideBySide(t *testing.T, n int, pacers ...*pacer) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var all []time.Time
	var wg sync.WaitGroup
	for _, p := range pacers {
		wg.Go(func() {
			at := sendAll(t, p, n)
			mu.Lock()
			all = append(all, at...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all
}

// atOnce reports whether at is start, or a few calls' nanoseconds after it.
func atOnce(at, start time.Time) bool {
	return !at.Before(start) && at.Sub(start) < time.Microsecond
}

// TestPaceLedgerShared: two processes' pacers (two ledgers on the same files) calling as one account: the
// first, finding the window empty, sends 10 calls at once, one after another's answer; the second waits
// until they leave the window; calling side by side, they never put 11 sends into one window, and neither
// gives the ledger up: the times that hold one back are the other's sends. Another account's pacer is not
// held up.
func TestPaceLedgerShared(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		first := sharedPacer(t, dir, "alice")
		for _, at := range sendAll(t, first, 10) {
			if !atOnce(at, start) {
				t.Fatalf("a send %v after the start, want all 10 at once", at.Sub(start))
			}
		}
		second := sharedPacer(t, dir, "alice")
		if _, err := letGo(context.Background(), second); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < second.window {
			t.Errorf("the second process sent after %v, want after the window, %v", waited, second.window)
		}
		other := sharedPacer(t, dir, "bob")
		before := time.Now()
		if _, err := letGo(context.Background(), other); err != nil || time.Since(before) != 0 {
			t.Errorf("another account waited %v (%v)", time.Since(before), err)
		}

		// One caller each, as a read of pages calls: a goroutine waiting for a sync.Mutex would stop the
		// bubble's clock, which the other pacer's lock retries need.
		checkWindows(t, sendAllSideBySide(t, 100, first, second), 10)
	})
}

// TestPaceLedgerDistinctTimes: ten calls let go at one instant of the clock get let-go times a nanosecond
// apart, which the ledger keeps as they are (they are no clock set back): two more processes, each sending
// once when the first of them leaves the window, do not both go when it does, and their calls get distinct
// let-go times too.
func TestPaceLedgerDistinctTimes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		at := sendAll(t, sharedPacer(t, dir, "alice"), 10)
		for _, p := range []*pacer{sharedPacer(t, dir, "alice"), sharedPacer(t, dir, "alice")} {
			at = append(at, sendAll(t, p, 1)...)
		}
		if at[10].Equal(at[11]) {
			t.Errorf("two processes' calls let go at one time, %v", at[10])
		}
		checkWindows(t, at, 10)
	})
}

// checkFirstCallWaitsAWindow fails unless the first call of a pacer on ledger waits one window, in a
// synctest bubble.
func checkFirstCallWaitsAWindow(t *testing.T, ledger *paceLedger) {
	t.Helper()
	start := time.Now()
	p := newPacer(10, ledger, nil, keepLedger(t))
	if _, err := letGo(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited != p.window {
		t.Errorf("the first call went after %v, want one window, %v", waited, p.window)
	}
}

// keepLedger is a pacer's ledgerFailed that fails t: the ledger must not be given up.
func keepLedger(t *testing.T) func(context.Context, error) {
	return func(_ context.Context, err error) { t.Errorf("ledger given up: %v", err) }
}

// TestPaceLedgerUnknownHistory: a ledger file that is not a list of send times is an unknown history: the
// first call waits a window, as without a ledger, and the file is rewritten as a list.
func TestPaceLedgerUnknownHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ledgerFile(ledger, "times"), []byte("12345\n67"+strings.Repeat("x", 10)), 0o600); err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		checkFirstCallWaitsAWindow(t, ledger)
	})
	data, err := os.ReadFile(ledgerFile(ledger, "times"))
	if err != nil || !regexp.MustCompile(`^([0-9]+\n)+$`).Match(data) {
		t.Errorf("ledger %q (%v), want send times", data, err)
	}
}

// TestPaceLedgerClockSetBack: send times after now (written before the clock was set back an hour) hold
// calls for one window, not an hour.
func TestPaceLedgerClockSetBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
		if err != nil {
			t.Fatal(err)
		}
		future := time.Now().Add(time.Hour)
		if err := ledger.write(slices.Repeat([]ledgerTime{{at: future}}, 10)); err != nil {
			t.Fatal(err)
		}
		checkFirstCallWaitsAWindow(t, ledger)
	})
}

// TestPaceLedgerGivenUp: a ledger locked by a process that holds it (stopped, say) is given up after
// ledgerLockWait, once, and the pacer goes on counting its own sends; a directory that cannot be made is
// refused when the ledger is opened.
func TestPaceLedgerGivenUp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	release := holdLock(t, ledger)
	defer release()
	synctest.Test(t, func(t *testing.T) {
		var failures []error
		start := time.Now()
		p := newPacer(10, ledger, nil, func(_ context.Context, err error) { failures = append(failures, err) })
		at := sendAll(t, p, 20)
		if len(failures) != 1 || !strings.Contains(failures[0].Error(), ledgerFile(ledger, "lock")) {
			t.Errorf("failures %v, want one naming the lock file", failures)
		}
		if first := at[0].Sub(start); first < ledgerLockWait {
			t.Errorf("first send after %v, want after the lock wait", first)
		}
		checkWindows(t, at, 10)
	})

	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openPaceLedger(filepath.Join(file, "pace"), "https://iam.example", "alice"); err == nil {
		t.Error("a ledger under a file opened")
	}
}

// TestPaceLedgerFiles: the ledger's files are private to the user, named by a hash that does not show the
// user name, and hold send times only; send times not written for an hour are removed when a ledger is
// opened, lock files not.
func TestPaceLedgerFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "pace")
	ledger, err := openPaceLedger(dir, "https://iam.example", "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	p := newPacer(10, ledger, nil, keepLedger(t))
	if _, err := letGo(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{dir: os.ModeDir | 0o700, ledgerFile(ledger, "times"): 0o600, ledgerFile(ledger, "lock"): 0o600} {
		info, err := os.Stat(path)
		if err != nil || info.Mode() != mode {
			t.Errorf("%s: %v (%v), want %v", path, info.Mode(), err, mode)
		}
		if strings.Contains(path, "alice") {
			t.Errorf("%s names the user", path)
		}
	}
	if data, _ := os.ReadFile(ledgerFile(ledger, "times")); !regexp.MustCompile(`^[0-9]+\n$`).Match(data) {
		t.Errorf("ledger %q, want one send time", data)
	}

	old := time.Now().Add(-staleLedgerAge - time.Minute)
	if err := os.Chtimes(ledgerFile(ledger, "times"), old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := openPaceLedger(dir, "https://iam.example", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ledgerFile(ledger, "times")); !os.IsNotExist(err) {
		t.Errorf("%s: stale, not removed (%v)", ledgerFile(ledger, "times"), err)
	}
	if _, err := os.Stat(ledgerFile(ledger, "lock")); err != nil {
		t.Errorf("%s: a lock file must stay (%v)", ledgerFile(ledger, "lock"), err)
	}
}

// TestPaceLedgerRead: what the ledger's file holds decides whether its history is known: none (a new
// ledger) and a list of times, each ended by a line feed, are; an empty file, a last line cut short,
// anything that is not a positive number, and a file over 64 KiB are not.
func TestPaceLedgerRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data string
		known      bool
		times      int
	}{
		{"new", "", true, 0},
		{"two times", "1764115200000000000\n1764115200500000000\n", true, 2},
		{"empty", "\x00", false, 0},
		{"cut short", "1764115200000000000\n17641", false, 0},
		{"not a number", "1764115200000000000\nnow\n", false, 0},
		{"negative", "-5\n", false, 0},
		{"over 64 KiB", strings.Repeat("1764115200000000000\n", maxLedgerBytes/20+1), false, 0},
	} {
		switch tc.data {
		case "":
			_ = os.Remove(ledgerFile(ledger, "times"))
		case "\x00":
			if err := os.WriteFile(ledgerFile(ledger, "times"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		default:
			if err := os.WriteFile(ledgerFile(ledger, "times"), []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var known bool
		var times int
		err := ledger.update(10, true, func(sent []ledgerTime, ok bool, _ int) []ledgerTime {
			known, times = ok, len(sent)
			return nil
		})
		if err != nil || known != tc.known || times != tc.times {
			t.Errorf("%s: known %v, %d times (%v), want %v, %d", tc.name, known, times, err, tc.known, tc.times)
		}
	}
}

// TestPaceLedgerMixedRates: a process paced at 5 calls/s that is held back leaves the times of one at 10
// calls/s in the ledger, so that the faster one still counts its own window's ten.
func TestPaceLedgerMixedRates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		fast := sharedPacer(t, dir, "alice")
		start := time.Now()
		sendAll(t, fast, 10)
		ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
		if err != nil {
			t.Fatal(err)
		}
		slow := newPacer(5, ledger, nil, keepLedger(t))
		if due, ok := slow.admit(context.Background()); ok {
			t.Fatalf("the slower process sent at once (due %v)", due)
		}
		if _, err := letGo(context.Background(), fast); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < fast.window {
			t.Errorf("the eleventh call went %v after the first, want a window, %v", waited, fast.window)
		}
	})
}

// TestPaceLedgerSharedDirectory: a directory other users may write to is not used.
func TestPaceLedgerSharedDirectory(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := openPaceLedger(dir, "https://iam.example", "alice"); err == nil || !strings.Contains(err.Error(), "writable by other users") {
		t.Errorf("a world-writable directory: %v", err)
	}
}

// TestPaceLedgerNotOwned: a directory of another user, even private to that user, is not used, nor a times
// file of another user in the user's own directory. (Root alone can give a file away.)
func TestPaceLedgerNotOwned(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		t.Skip("needs root, to give a directory to another user")
	}
	dir := t.TempDir()
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := openPaceLedger(dir, "https://iam.example", "alice"); err == nil || !strings.Contains(err.Error(), "owned by user 65534") {
		t.Errorf("another user's directory: %v", err)
	}

	ledger, err := openPaceLedger(t.TempDir(), "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ledgerFile(ledger, "times"), []byte("1764115200000000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(ledgerFile(ledger, "times"), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := ledger.update(10, true, func([]ledgerTime, bool, int) []ledgerTime { return nil }); err == nil || !strings.Contains(err.Error(), "owned by user 65534") {
		t.Errorf("another user's times file: %v", err)
	}
}

// TestPaceLedgerNotAFile: a FIFO in place of the lock or the times file fails the update at once instead
// of hanging it, and so does a symbolic link, which is not followed, out of the directory or in it, even
// to a list of send times.
func TestPaceLedgerNotAFile(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs on Windows")
	}
	elsewhere := filepath.Join(t.TempDir(), "times")
	if err := os.WriteFile(elsewhere, []byte("1764115200000000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind, want string
		make       func(path string) error
	}{
		{"lock", "not a regular file", func(path string) error { return syscall.Mkfifo(path, 0o600) }},
		{"times", "not a regular file", func(path string) error { return syscall.Mkfifo(path, 0o600) }},
		{"times", "escapes", func(path string) error { return os.Symlink(elsewhere, path) }},
		{"lock", "escapes", func(path string) error { return os.Symlink(elsewhere, path) }},
		{"times", "symbolic link", func(path string) error {
			return errors.Join(os.WriteFile(path+".target", []byte("1764115200000000000\n"), 0o600), os.Symlink(filepath.Base(path)+".target", path))
		}},
	} {
		ledger, err := openPaceLedger(t.TempDir(), "https://iam.example", "alice")
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.make(ledgerFile(ledger, tc.kind)); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- ledger.update(10, true, func([]ledgerTime, bool, int) []ledgerTime {
				t.Errorf("%s %s: read", tc.kind, tc.want)
				return nil
			})
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s %s: %v", tc.kind, tc.want, err)
			}
		case <-time.After(time.Minute): // a guard against the hang, not a measure: the update is bounded to seconds
			t.Fatalf("%s %s: the update hangs", tc.kind, tc.want)
		}
	}
}

// TestPaceLedgerStalled: times rewritten as ten calls of "now" before every read, which would hold every
// call back until its deadline, make the pacer give the ledger up, with a warning, after a few windows.
func TestPaceLedgerStalled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := ledger.write(slices.Repeat([]ledgerTime{{at: time.Now()}}, 10)); err != nil {
					t.Error(err)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
		synctest.Wait() // the times written
		var warnings []error
		p := newPacer(10, ledger, nil, func(_ context.Context, err error) { warnings = append(warnings, err) })
		start := time.Now()
		callCtx, stop := context.WithTimeout(context.Background(), time.Minute)
		defer stop()
		_, err = letGo(callCtx, p)
		cancel()
		wg.Wait()
		if err != nil {
			t.Fatalf("the call: %v after %v", err, time.Since(start))
		}
		if waited := time.Since(start); waited > (ledgerStallWindows+2)*p.window {
			t.Errorf("the call went after %v, want within %d windows (the stall, then a window not knowing the others)", waited, ledgerStallWindows+2)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "held a call back") {
			t.Errorf("warnings %v, want one", warnings)
		}
	})
}

// TestPaceLedgerRecovered: a process that gave the ledger up (its lock held past the wait) while another
// keeps it paces at half the limit, the other at half too, from the first's marker: together they never
// put 11 calls into one window. After ledgerRetry the first counts through the ledger again, and the other
// goes back to the whole limit.
func TestPaceLedgerRecovered(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
		if err != nil {
			t.Fatal(err)
		}
		release := holdLock(t, ledger)
		var warnings []error
		alone := newPacer(10, ledger, nil, func(_ context.Context, err error) { warnings = append(warnings, err) })
		at := sendAll(t, alone, 1)
		release()
		if len(warnings) != 1 || alone.lost == nil {
			t.Fatalf("warnings %v, want the ledger given up", warnings)
		}
		kept := sharedPacer(t, dir, "alice")
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, p := range []*pacer{alone, kept} {
			wg.Go(func() {
				sent := sendAll(t, p, 40)
				mu.Lock()
				at = append(at, sent...)
				mu.Unlock()
			})
		}
		wg.Wait()
		checkWindows(t, at, 10)
		time.Sleep(ledgerRetry)
		sendAll(t, alone, 1)
		if alone.ledger == nil || alone.lost != nil {
			t.Error("the ledger was not taken up again")
		}
		start := time.Now()
		if sent := sendAll(t, kept, 9); !atOnce(sent[8], start) {
			t.Errorf("the process that kept the ledger sent its ninth call after %v, want the whole limit at once", sent[8].Sub(start))
		}
	})
}

// TestPaceLedgerInFlight: another process's call let go and not yet out (a TLS handshake of half a second),
// whose answer takes seconds, counts as going out now: the calls of this process around it never make 11
// in one window where the API counts them.
func TestPaceLedgerInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		other, this := sharedPacer(t, dir, "alice"), sharedPacer(t, dir, "alice")
		let, err := other.wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ticket := &paceTicket{pace: other, at: let}
		other.track(let, ticket)
		var wg sync.WaitGroup
		wg.Go(func() {
			time.Sleep(500 * time.Millisecond)
			ticket.wroteHeaders() // the handshake done: the call reaches the API
			time.Sleep(2 * time.Second)
			ticket.settle()
		})
		time.Sleep(50 * time.Millisecond)
		arrived := sendAll(t, this, 15)
		wg.Wait()
		checkWindows(t, append(arrived, let.Add(500*time.Millisecond)), 10)
	})
}

// TestPaceLedgerStaleRemovedUnderLock: a stale times file is removed only under its account's lock: not
// while a process holds it, which may be writing the times anew.
func TestPaceLedgerStaleRemovedUnderLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ledger, err := openPaceLedger(dir, "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.write([]ledgerTime{{at: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-staleLedgerAge - time.Minute)
	if err := os.Chtimes(ledgerFile(ledger, "times"), old, old); err != nil {
		t.Fatal(err)
	}
	release := holdLock(t, ledger)
	if _, err := openPaceLedger(dir, "https://iam.example", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ledgerFile(ledger, "times")); err != nil {
		t.Errorf("removed while its lock was held: %v", err)
	}
	release()
	if _, err := openPaceLedger(dir, "https://iam.example", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ledgerFile(ledger, "times")); !os.IsNotExist(err) {
		t.Errorf("not removed once free: %v", err)
	}
}

// TestPaceLedgerUpdateEnds: an operation that ends well within ledgerWait is never reported late, whether
// it stores times, stores none, or fails (a lock held, not waited for): its caller takes its result, not
// the end of its context, however the goroutines are scheduled. Each takes microseconds; "took over 3s"
// would be false. And an update that returned has let the lock go: another process takes it at once.
func TestPaceLedgerUpdateEnds(t *testing.T) {
	t.Parallel()
	ledger, err := openPaceLedger(t.TempDir(), "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	noWrite := func([]ledgerTime, bool, int) []ledgerTime { return nil }
	write := func([]ledgerTime, bool, int) []ledgerTime { return []ledgerTime{{at: time.Now()}} }
	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil && want != "" || err != nil && (want == "" || !strings.Contains(err.Error(), want)) {
			t.Fatalf("%s: %v, want %q", what, err, want)
		}
	}
	for range 300 {
		check("run", ledger.run(func() {}), "")
		check("update", ledger.update(10, true, write), "")
		holdLock(t, ledger)()
		check("update", ledger.update(10, true, noWrite), "")
		holdLock(t, ledger)()
	}
	release := holdLock(t, ledger)
	defer release()
	for range 300 {
		check("update with the lock held", ledger.update(10, false, noWrite), "held by another process")
	}
}

// TestPaceLedgerReplacedWhileOpened: a times file renamed over between its open and the check of what was
// opened (by a writer that does not take the lock) is opened again, not taken for a symbolic link; a link
// put in its place is one.
func TestPaceLedgerReplacedWhileOpened(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no symbolic links without privileges on Windows")
	}
	ledger, err := openPaceLedger(t.TempDir(), "https://iam.example", "alice")
	if err != nil {
		t.Fatal(err)
	}
	name, path := ledger.name+".times", ledgerFile(ledger, "times")
	for _, tc := range []struct {
		replace  func() error
		replaced bool
		err      string
	}{
		{func() error { return ledger.write([]ledgerTime{{at: time.Now()}}) }, true, ""},
		{func() error { return os.Remove(path) }, true, ""},
		{func() error {
			return errors.Join(os.Rename(path, path+".target"), os.Symlink(filepath.Base(path)+".target", path))
		}, false, "symbolic link"},
	} {
		if err := ledger.write([]ledgerTime{{at: time.Now()}}); err != nil {
			t.Fatal(err)
		}
		f, err := ledger.root.OpenFile(name, os.O_RDONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.replace(); err != nil {
			t.Fatal(err)
		}
		replaced, err := checkOpened(f, ledger.root, name)
		_ = f.Close()
		if replaced != tc.replaced || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("replaced %v (%v), want %v (%q)", replaced, err, tc.replaced, tc.err)
		}
	}
}
