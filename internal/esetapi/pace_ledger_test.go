package esetapi

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
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

// sendAll lets n calls go through p one after another, each answered at once, and returns their send
// times.
func sendAll(t *testing.T, p *pacer, n int) []time.Time {
	t.Helper()
	var at []time.Time
	for range n {
		sent, err := letGo(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		p.answered(sent)
		at = append(at, time.Now())
	}
	return at
}

// TestPaceLedgerShared: two processes' pacers (two ledgers on the same files) calling as one account: the
// first, finding the window empty, sends 10 calls at once, one after another's answer; the second waits until they leave the window;
// calling side by side, they never put 11 sends into one window. Another account's pacer is not held up.
func TestPaceLedgerShared(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		first := sharedPacer(t, dir, "alice")
		for _, at := range sendAll(t, first, 10) {
			if at != start {
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
		var mu sync.Mutex
		var all []time.Time
		// The processes do not take turns in order: one may take every turn until the other, held back
		// for windows, paces alone with its share.
		first.ledgerFailed, second.ledgerFailed = nil, nil
		var wg sync.WaitGroup
		for _, p := range []*pacer{first, second} {
			wg.Go(func() {
				at := sendAll(t, p, 100)
				mu.Lock()
				all = append(all, at...)
				mu.Unlock()
			})
		}
		wg.Wait()
		checkWindows(t, all, 10)
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
		if due, ok := slow.send(context.Background(), time.Now()); ok {
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
