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
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// paceLedger shares the send times of one account's calls among the processes of this machine. The API
// counts calls per credentials, and Terraform runs each provider configuration in a process of its own,
// one command after another (a plan, then an apply) or side by side. A process that knew only its own calls
// would have to assume the one before it had just used the whole window, and space its first calls out;
// with the ledger, a process that finds the window empty sends its first calls at once, one that finds it
// full waits its turn, and processes reading the same account at once share the limit.
//
// The ledger is two small files per account in a directory of the user's: the send times, one UnixNano per
// line, and a lock file held (gofrs/flock: flock(2), LockFileEx on Windows) while a process reads and
// rewrites them. Their name is a hash of the token endpoint and the user name; they hold nothing else.
type paceLedger struct {
	times string
	lock  *flock.Flock
}

const (
	// ledgerLockWait bounds the wait for another process's lock, held for a read and a write of a few
	// hundred bytes; past it the ledger is given up for the process's own count.
	ledgerLockWait = 2 * time.Second
	// staleLedgerAge is the age past which an account's ledger, written by no process since, is removed: its
	// send times left the window long ago. Tests against simulators on ever new ports would otherwise leave
	// a ledger per run.
	staleLedgerAge = time.Hour
	// maxLedgerBytes bounds the ledger read: 1,000 send times (the highest pace the provider allows) take
	// 20 KiB; a larger file is not a ledger.
	maxLedgerBytes = 64 << 10
)

// errLedgerUnreadable reports a ledger file that is not a list of send times (a write cut short by a crash,
// or anything else): its history is unknown.
var errLedgerUnreadable = errors.New("the pace ledger holds no list of send times")

// openPaceLedger returns the ledger of the account that iamEndpoint and username name, in dir, which it
// creates (private to the user) when missing, and removes the stale ledgers of other accounts from it.
func openPaceLedger(dir, iamEndpoint, username string) (*paceLedger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	removeStaleLedgers(dir)
	sum := sha256.Sum256([]byte(iamEndpoint + "\n" + username))
	name := filepath.Join(dir, hex.EncodeToString(sum[:16]))
	return &paceLedger{times: name + ".times", lock: flock.New(name+".lock", flock.SetPermissions(0o600))}, nil
}

// update locks the ledger, passes fn the send times it holds (none for a new ledger;
// errLedgerUnreadable when its file is not a list of them) and stores the times fn returns.
func (l *paceLedger) update(fn func(sent []time.Time, err error) []time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), ledgerLockWait)
	defer cancel()
	if _, err := l.lock.TryLockContext(ctx, time.Millisecond); err != nil {
		return fmt.Errorf("lock %s: %w", l.lock.Path(), err)
	}
	defer func() { _ = l.lock.Unlock() }()
	sent, err := l.read()
	if err != nil && !errors.Is(err, errLedgerUnreadable) {
		return err
	}
	return l.write(fn(sent, err))
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
	if len(data) > maxLedgerBytes {
		return nil, errLedgerUnreadable
	}
	var sent []time.Time
	for line := range bytes.Lines(data) {
		n, err := strconv.ParseInt(string(bytes.TrimSuffix(line, []byte("\n"))), 10, 64)
		if err != nil || n <= 0 {
			return nil, errLedgerUnreadable
		}
		sent = append(sent, time.Unix(0, n))
	}
	return sent, nil
}

func (l *paceLedger) write(sent []time.Time) error {
	var b []byte
	for _, t := range sent {
		b = strconv.AppendInt(b, t.UnixNano(), 10)
		b = append(b, '\n')
	}
	return os.WriteFile(l.times, b, 0o600)
}

// removeStaleLedgers removes the ledgers in dir whose send times were last written staleLedgerAge ago. A
// lock file goes only with its times: flock does not touch a lock file's modification time, and one removed
// while held would let the next process lock another file.
func removeStaleLedgers(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".times")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleLedgerAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
			_ = os.Remove(filepath.Join(dir, name+".lock"))
		}
	}
}
