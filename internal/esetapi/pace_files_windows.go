//go:build windows

package esetapi

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// checkPrivateDir accepts any directory: Windows reports no permission bits through fs.FileInfo, and a
// user's %LocalAppData% is private to that user by its ACL.
func checkPrivateDir(fs.FileInfo) error { return nil }

// checkOwner accepts any file, as checkPrivateDir any directory.
func checkOwner(fs.FileInfo) error { return nil }

// tryLockFile takes f's exclusive lock (LockFileEx) without waiting, and reports whether it did.
func tryLockFile(f *os.File) (bool, error) {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &windows.Overlapped{})
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	return err == nil, err
}

func unlockFile(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &windows.Overlapped{})
}
