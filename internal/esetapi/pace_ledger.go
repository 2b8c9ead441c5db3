package esetapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// paceLedger shares the send times of one account's calls among the processes of this machine. The API
// counts calls per credentials, and Terraform runs each provider configuration in a process of its own,
// one command after another (a plan, then an apply) or side by side. A process that knew only its own calls
// would have to assume the one before it had just used the whole window, and hold its first call for a window;
// with the ledger, a process that finds the window empty sends its first calls at once, one that finds it
// full waits its turn, and processes reading the same account at once share the limit.
//
// The ledger is two small files per account in a directory of the user's: the send times, one UnixNano per
// line, and a lock file held (gofrs/flock: flock(2), LockFileEx on Windows) while a process reads and
// rewrites them. Their name is a hash of the token endpoint and the user name; they hold nothing else.
type paceLedger struct {
	times string
	// mu queues this process's updates, which would otherwise poll the file lock against each other.
	mu   sync.Mutex
	lock *flock.Flock
}

const (
	// ledgerLockWait bounds the wait for another process's lock, held for a read and a write of a few
	// hundred bytes; past it the ledger is given up for the process's own count.
	ledgerLockWait = 2 * time.Second
	// staleLedgerAge is the age past which an account's ledger, written by no process since, is removed: its
	// send times left the window long ago. Tests against simulators on ever new ports would otherwise leave
	// a ledger per run.
	staleLedgerAge = time.Hour
	// ledgerLockPoll is how often a process waiting for the lock tries again.
	ledgerLockPoll = 5 * time.Millisecond
	// ledgerKeep is how many send times the ledger keeps at least, so that a process with a higher limit
	// than the one writing still finds its window's.
	ledgerKeep = 100
	// maxLedgerBytes bounds the ledger read: 1,000 send times (the highest pace the provider allows) take
	// 20 KiB; a larger file is not a ledger.
	maxLedgerBytes = 64 << 10
)

// errLedgerUnreadable reports a ledger file that is not a list of send times: its history is unknown.
var errLedgerUnreadable = errors.New("the pace ledger holds no list of send times")

// openPaceLedger returns the ledger of the account that iamEndpoint and username name, in dir, which it
// creates (private to the user) when missing, and removes the stale ledgers of other accounts from it.
func openPaceLedger(dir, iamEndpoint, username string) (*paceLedger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	// Another user who could write into the directory could hold the lock, or set times that stall the
	// calls: a directory others may write to is not used. (Windows reports no such permission bits.)
	if info, err := os.Stat(dir); err != nil {
		return nil, err
	} else if runtime.GOOS != "windows" && info.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("%s is writable by other users (mode %v)", dir, info.Mode().Perm())
	}
	removeStaleLedgers(dir)
	// The endpoint as the client calls it; "https://EU.example/" and "https://eu.example" are one ledger.
	// So is the user name in any case: counting two names as one can only slow calls, never bring a 429.
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimRight(iamEndpoint, "/") + "\n" + username)))
	name := filepath.Join(dir, hex.EncodeToString(sum[:16]))
	return &paceLedger{times: name + ".times", lock: flock.New(name+".lock", flock.SetPermissions(0o600))}, nil
}

// update locks the ledger (waiting at most ledgerLockWait), passes fn the send times it
// holds and whether they are known (a new ledger holds none; a file that is not a list of them, an empty
// one included, is an unknown history), and stores the newest keep of the times fn returns, unless nil.
func (l *paceLedger) update(keep int, fn func(sent []time.Time, known bool) []time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Not the caller's context: a call cancelled while it waits is no reason to give the ledger up.
	ctx, cancel := context.WithTimeout(context.Background(), ledgerLockWait)
	defer cancel()
	if _, err := l.lock.TryLockContext(ctx, ledgerLockPoll); err != nil {
		return fmt.Errorf("lock %s: %w", l.lock.Path(), err)
	}
	defer func() { _ = l.lock.Unlock() }()
	sent, err := l.read()
	if err != nil && !errors.Is(err, errLedgerUnreadable) {
		return err
	}
	sent = fn(sent, err == nil)
	if sent == nil {
		return nil
	}
	return l.write(sent[max(0, len(sent)-keep):])
}

func (l *paceLedger) read() ([]time.Time, error) {
	f, err := os.Open(l.times)
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
	var sent []time.Time
	for line := range bytes.Lines(data) {
		digits, ok := bytes.CutSuffix(line, []byte("\n"))
		n, err := strconv.ParseInt(string(digits), 10, 64)
		if !ok || err != nil || n <= 0 {
			return nil, errLedgerUnreadable
		}
		sent = append(sent, time.Unix(0, n))
	}
	return sent, nil
}

// write replaces the send times through a new file renamed over the old, so that a process that stops
// half way leaves the old list, not half of a new one.
func (l *paceLedger) write(sent []time.Time) error {
	var b []byte
	for _, t := range sent {
		b = strconv.AppendInt(b, t.UnixNano(), 10)
		b = append(b, '\n')
	}
	f, err := os.CreateTemp(filepath.Dir(l.times), filepath.Base(l.times)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), l.times)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// removeStaleLedgers removes the send times in dir last written staleLedgerAge ago, and the temporary files
// of writes a crash cut short. A lock file stays: one removed while a process holds it would let the next
// lock another file; it is empty.
func removeStaleLedgers(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.Contains(e.Name(), ".times") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleLedgerAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
