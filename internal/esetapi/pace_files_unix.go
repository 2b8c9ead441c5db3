//go:build unix

package esetapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivateDir refuses a directory that another user owns or may write to: that user could hold the
// ledger's lock, or write times that hold every call back.
func checkPrivateDir(info fs.FileInfo) error {
	if err := checkOwner(info); err != nil {
		return err
	}
	if info.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("writable by other users (mode %v)", info.Mode().Perm())
	}
	return nil
}

// checkOwner refuses a file that the effective user does not own.
func checkOwner(info fs.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return errors.New("no owner known")
	}
	if euid := os.Geteuid(); int(st.Uid) != euid {
		return fmt.Errorf("owned by user %d, not by %d", st.Uid, euid)
	}
	return nil
}

// tryLockFile takes f's exclusive lock (flock(2)) without waiting, and reports whether it did.
func tryLockFile(f *os.File) (bool, error) {
	return flockFile(f, syscall.LOCK_EX|syscall.LOCK_NB)
}

func unlockFile(f *os.File) error {
	_, err := flockFile(f, syscall.LOCK_UN)
	return err
}

// flockFile calls flock on f's descriptor through SyscallConn, which, unlike Fd, leaves it non-blocking.
func flockFile(f *os.File, how int) (bool, error) {
	conn, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var opErr error
	if err := conn.Control(func(fd uintptr) {
		for {
			if opErr = syscall.Flock(int(fd), how); opErr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return false, err
	}
	if opErr == syscall.EWOULDBLOCK {
		return false, nil
	}
	return opErr == nil, opErr
}
