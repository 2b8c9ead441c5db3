package esetapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// paceLedger shares the send times of one account's calls among the processes of this machine that run as
// the same OS user. The API counts calls per credentials, and Terraform runs each provider configuration in
// a process of its own, one command after another (a plan, then an apply) or side by side. A process that
// knew only its own calls would have to assume the one before it had just used the whole window, and hold
// its first call for a window; with the ledger, a process that finds the window empty sends its first calls
// at once, one that finds it full waits its turn, and processes reading the same account at once share the
// limit.
//
// The ledger is a few small files per account in a directory of the user's: the send times, one UnixNano per
// line (a "+" after it marks a call let go and not settled yet), a lock file held while a process reads and
// rewrites them, and, while a process paces without the ledger (see pacer.giveUpLedger), a marker file of
// its own. Their name is a hash of the token endpoint and the API user name; they hold nothing else.
//
// Everything in the directory is distrusted as far as it can be without a daemon: the directory must belong
// to the effective user and be writable by no one else, so that only that user (or root) can put files in
// it; files are opened through an os.Root of it, without blocking (a FIFO) and without following a symbolic
// link, and what was opened must be a regular file of the effective user. Every operation is bounded in
// time (ledgerWait), and the pacer gives the ledger up when its times hold calls back for windows on end.
type paceLedger struct {
	root *os.Root
	name string // the account's hash, which every file name of it starts with
	// queue lets this process's updates through one at a time, in order, without polling the file lock
	// against each other; a channel, unlike a mutex, lets a waiter time out.
	queue chan struct{}
	// alone is this process's marker while it paces without the ledger, its name, and when it was last
	// written; only operations through queue use them.
	alone     *os.File
	aloneName string
	aloneAt   time.Time
}

// ledgerTime is one call in the ledger: when it counts from, and whether it is still in flight (let go by
// its process and not settled): other processes count such a call as going out now, up to inFlightBound.
type ledgerTime struct {
	at       time.Time
	inFlight bool
}

const (
	// staleLedgerAge is the age past which an account's ledger, written by no process since, is removed: its
	// send times left the window long ago. Tests against simulators on ever new ports would otherwise leave
	// a ledger per run.
	staleLedgerAge = time.Hour
	// ledgerLockPoll is how often a process waiting for the lock tries again.
	ledgerLockPoll = 5 * time.Millisecond
	// ledgerKeep is how many send times the ledger keeps at least, so that a process with a higher limit
	// than the one writing still finds its window's.
	ledgerKeep = 100
	// aloneFresh is how long a marker of a process pacing without the ledger counts after it was last
	// written; that process writes it at each call and, after a longer pause, waits a window before its next.
	aloneFresh = 30 * time.Second
)

// errLedgerUnreadable reports a ledger file that is not a list of send times: its history is unknown.
var errLedgerUnreadable = errors.New("the pace ledger holds no list of send times")

// openPaceLedger returns the ledger of the account that iamEndpoint and username name, in dir, which it
// creates (private to the user) when missing, and removes the stale ledgers of accounts from it.
func openPaceLedger(dir, iamEndpoint, username string) (*paceLedger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	// Checked on the directory opened, which a rename of its path cannot swap.
	info, err := root.Stat(".")
	if err == nil {
		err = checkPrivateDir(info)
	}
	if err != nil {
		_ = root.Close()
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	// The endpoint as the client calls it; "https://EU.example/" and "https://eu.example" are one ledger.
	// So is the user name in any case: counting two names as one can only slow calls, never bring a 429.
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimRight(iamEndpoint, "/") + "\n" + username)))
	l := &paceLedger{root: root, name: hex.EncodeToString(sum[:16]), queue: make(chan struct{}, 1)}
	_ = l.run(l.removeStale)
	return l, nil
}

// ledgerRead is what an update hands the pacer: the send times, whether they are known, the number of other
// processes pacing without the ledger, or why the ledger could not be read.
type ledgerRead struct {
	sent  []ledgerTime
	known bool
	alone int
	err   error
}

// update locks the ledger, passes fn the send times it holds, whether they are known (a new ledger holds
// none; a file that is not a list of them, an empty one included, is an unknown history) and how many other
// processes pace without the ledger, and stores the newest keep of the times fn returns, unless nil. patient
// waits for another process's lock; otherwise a lock held fails at once. The whole takes at most ledgerWait:
// the file work runs on a goroutine of its own, which the caller leaves behind when it is late (fn is never
// called after update returned). An update that returns in time has let the lock go: the next, this
// process's or another's, finds it free instead of waiting a poll for it.
func (l *paceLedger) update(keep int, patient bool, fn func(sent []ledgerTime, known bool, alone int) []ledgerTime) error {
	reads, writes, done := make(chan ledgerRead, 1), make(chan []ledgerTime, 1), make(chan error, 1)
	ctx, stop, err := l.start(func(ctx context.Context) {
		var wrote error
		defer func() { done <- wrote }() // last: after the unlock
		lockCtx, cancel := context.WithTimeout(ctx, ledgerLockWait)
		defer cancel()
		unlock, err := l.lock(lockCtx, l.name, patient)
		if err != nil {
			reads <- ledgerRead{err: err}
			return
		}
		defer unlock()
		sent, err := l.read()
		reads <- ledgerRead{sent: sent, known: err == nil, alone: l.othersAlone(), err: err}
		select {
		case sent, ok := <-writes:
			if ok {
				wrote = l.write(sent)
			}
		case <-ctx.Done():
		}
	})
	if err != nil {
		return err
	}
	defer stop()
	var r ledgerRead
	select {
	case r = <-reads:
	case <-ctx.Done():
		return l.late()
	}
	var sent []ledgerTime
	if r.err == nil || errors.Is(r.err, errLedgerUnreadable) {
		sent = fn(r.sent, r.known, r.alone)
	}
	if sent == nil {
		close(writes)
	} else {
		writes <- sent[max(0, len(sent)-keep):]
	}
	select {
	case err := <-done:
		if r.err != nil && !errors.Is(r.err, errLedgerUnreadable) {
			return r.err
		}
		return err
	case <-ctx.Done():
		return l.late()
	}
}

// start runs op, which works on the ledger's files, on a goroutine of its own once this process's earlier
// operations are done, and returns the context that bounds it to ledgerWait from now, and its stop; its
// caller waits for op's results until that context ends and then leaves it behind, and calls stop when it
// returns. Only the caller ends the context: if op did when it returned, the caller, not yet waiting, would
// find its results and the context's end both ready, and a select takes either: an op done in microseconds
// would be reported late. One op at a time: one left behind holds the others back until it is done, and
// they fail late rather than work beside it.
func (l *paceLedger) start(op func(ctx context.Context)) (context.Context, context.CancelFunc, error) {
	ctx, stop := context.WithTimeout(context.Background(), ledgerWait)
	select {
	case l.queue <- struct{}{}:
	case <-ctx.Done():
		stop()
		return nil, nil, l.late()
	}
	go func() {
		defer func() { <-l.queue }()
		op(ctx)
	}()
	return ctx, stop, nil
}

// run is start for an op with no results to wait for but its end.
func (l *paceLedger) run(op func()) error {
	done := make(chan struct{})
	ctx, stop, err := l.start(func(context.Context) { op(); close(done) })
	if err != nil {
		return err
	}
	defer stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return l.late()
	}
}

func (l *paceLedger) late() error {
	return fmt.Errorf("the pace ledger in %s took over %v", l.root.Name(), ledgerWait)
}

// lock takes the lock of the account named, polling until ctx ends when patient, and returns its release.
func (l *paceLedger) lock(ctx context.Context, account string, patient bool) (func(), error) {
	f, err := l.open(account+".lock", os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, err
	}
	for {
		ok, err := tryLockFile(f)
		if ok {
			return func() { _ = unlockFile(f); _ = f.Close() }, nil
		}
		if err == nil && patient {
			err = sleep(ctx, ledgerLockPoll)
		} else if err == nil {
			err = errors.New("held by another process")
		}
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
	}
}

// open opens a file of the ledger's directory without blocking on a FIFO, and returns it only when it is a
// regular file of the effective user, reached by no symbolic link: the name, looked at after the open, is
// no link and names the file opened. A name replaced in between (a rename over it by a writer that does not
// take the lock) is opened again, up to ledgerOpenTries times, rather than taken for a link.
func (l *paceLedger) open(name string, flag int) (*os.File, error) {
	for range ledgerOpenTries {
		f, err := l.root.OpenFile(name, flag|syscall.O_NONBLOCK, 0o600)
		if err != nil {
			return nil, err
		}
		replaced, err := checkOpened(f, l.root, name)
		if err == nil && !replaced {
			return f, nil
		}
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name(), err)
		}
	}
	return nil, fmt.Errorf("%s: replaced while being opened, %d times", filepath.Join(l.root.Name(), name), ledgerOpenTries)
}

// checkOpened checks f, just opened as name in root, as open says, or reports that name no longer names it.
func checkOpened(f *os.File, root *os.Root, name string) (replaced bool, err error) {
	info, err := f.Stat()
	if err != nil {
		return false, err
	}
	link, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	case err != nil:
		return false, err
	case link.Mode()&fs.ModeSymlink != 0:
		return false, fmt.Errorf("%s is a symbolic link", f.Name())
	case !os.SameFile(info, link):
		return true, nil
	case !info.Mode().IsRegular():
		return false, fmt.Errorf("%s is not a regular file (%v)", f.Name(), info.Mode().Type())
	}
	return false, checkOwner(info)
}

func (l *paceLedger) read() ([]ledgerTime, error) {
	f, err := l.open(l.name+".times", os.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxLedgerBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 || len(data) > maxLedgerBytes {
		return nil, errLedgerUnreadable
	}
	var sent []ledgerTime
	for line := range bytes.Lines(data) {
		digits, ok := bytes.CutSuffix(line, []byte("\n"))
		digits, inFlight := bytes.CutSuffix(digits, []byte("+"))
		n, err := strconv.ParseInt(string(digits), 10, 64)
		if !ok || err != nil || n <= 0 {
			return nil, errLedgerUnreadable
		}
		sent = append(sent, ledgerTime{time.Unix(0, n), inFlight})
	}
	return sent, nil
}

// write replaces the send times through a new file renamed over the old, so that a process that stops
// half way leaves the old list, not half of a new one.
func (l *paceLedger) write(sent []ledgerTime) error {
	var b []byte
	for _, t := range sent {
		b = strconv.AppendInt(b, t.at.UnixNano(), 10)
		if t.inFlight {
			b = append(b, '+')
		}
		b = append(b, '\n')
	}
	tmp := l.name + ".times." + randomSuffix()
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = l.root.Rename(tmp, l.name+".times")
	}
	if err != nil {
		_ = l.root.Remove(tmp)
	}
	return err
}

// paceAlone writes this process's marker (it paces without the ledger, and the processes that keep it
// count it as one more sharer of the limit) and returns how many other processes pace without it, and
// whether the marker is new: one not written for aloneFresh counts no more, and after such a pause a new
// one is made (a stale one may have been removed), before which the others did not count this process.
func (l *paceLedger) paceAlone(now time.Time) (others int, renewed bool, err error) {
	var opErr error
	err = l.run(func() {
		if l.alone != nil && now.Sub(l.aloneAt) < aloneFresh {
			l.aloneAt = now
			_, opErr = l.alone.WriteAt(strconv.AppendInt(nil, now.UnixNano(), 10), 0)
		} else {
			l.removeAloneMarker()
			name := l.name + ".alone/" + randomSuffix()
			err := l.root.Mkdir(l.name+".alone", 0o700)
			if errors.Is(err, fs.ErrExist) {
				err = nil
			}
			var f *os.File
			if err == nil {
				f, err = l.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NONBLOCK, 0o600)
			}
			if err == nil {
				l.alone, l.aloneName, l.aloneAt, renewed = f, name, now, true
			}
			opErr = err
		}
		others = l.othersAlone()
	})
	if err != nil {
		return 0, false, err
	}
	return others, renewed, opErr
}

// rejoin removes this process's marker, if any: it counts through the ledger again.
func (l *paceLedger) rejoin() {
	_ = l.run(l.removeAloneMarker)
}

func (l *paceLedger) removeAloneMarker() {
	if l.alone == nil {
		return
	}
	_ = l.alone.Close()
	_ = l.root.Remove(l.aloneName)
	l.alone, l.aloneName = nil, ""
}

// othersAlone counts the markers of other processes of the account written within aloneFresh. They are
// in a directory of the account's own, which is missing until a process first paces alone: one failed open
// for every update otherwise.
func (l *paceLedger) othersAlone() int {
	n := 0
	for _, info := range aloneMarkers(l.root, l.name) {
		if l.name+".alone/"+info.Name() != l.aloneName && time.Since(info.ModTime()) < aloneFresh {
			n++
		}
	}
	return n
}

// aloneMarkers returns the markers of the account named: regular files of the effective user.
func aloneMarkers(root *os.Root, account string) []fs.FileInfo {
	dir, err := root.Open(account + ".alone")
	if err != nil {
		return nil
	}
	defer func() { _ = dir.Close() }()
	if info, err := dir.Stat(); err != nil || !info.IsDir() || checkOwner(info) != nil {
		return nil
	}
	entries, err := dir.ReadDir(-1)
	if err != nil {
		return nil
	}
	var markers []fs.FileInfo
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && checkOwner(info) == nil {
			markers = append(markers, info)
		}
	}
	return markers
}

// removeStale removes the send times of each account last written staleLedgerAge ago, and the temporary
// files of writes a crash cut short, each under the account's lock, so that a process writing the ledger at
// that moment does not lose its times; and markers of processes that paced alone long ago. A lock file
// stays: one removed while a process holds it would let the next lock another file; it is empty.
func (l *paceLedger) removeStale() {
	dir, err := l.root.Open(".")
	if err != nil {
		return
	}
	entries, err := dir.ReadDir(-1)
	_ = dir.Close()
	if err != nil {
		return
	}
	accounts := map[string]bool{}
	for _, e := range entries {
		account, kind, _ := strings.Cut(e.Name(), ".")
		info, err := e.Info()
		if err != nil {
			continue
		}
		old := time.Since(info.ModTime()) > staleLedgerAge
		switch {
		case info.Mode().IsRegular() && (kind == "times" && old || strings.HasPrefix(kind, "times.")):
			accounts[account] = true
		case info.IsDir() && kind == "alone":
			// A marker this old counts for nothing; its process makes a new one when it paces alone again.
			for _, m := range aloneMarkers(l.root, account) {
				if time.Since(m.ModTime()) > staleLedgerAge {
					_ = l.root.Remove(account + ".alone/" + m.Name())
				}
			}
		}
	}
	for account := range accounts {
		l.removeStaleAccount(account)
	}
}

// removeStaleAccount checks again under the account's lock, which it does not wait for, what removeStale
// found: while the lock is held no write is under way, so every temporary file is a crash's.
func (l *paceLedger) removeStaleAccount(account string) {
	unlock, err := l.lock(context.Background(), account, false)
	if err != nil {
		return
	}
	defer unlock()
	if info, err := l.root.Lstat(account + ".times"); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) > staleLedgerAge {
		_ = l.root.Remove(account + ".times")
	}
	dir, err := l.root.Open(".")
	if err != nil {
		return
	}
	names, _ := dir.Readdirnames(-1)
	_ = dir.Close()
	for _, name := range names {
		if strings.HasPrefix(name, account+".times.") {
			_ = l.root.Remove(name)
		}
	}
}

func randomSuffix() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
