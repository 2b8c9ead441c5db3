package esetapi

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The pager remembers every uuid and page token of a listing, to drop repeats and to stop a listing that
// loops. It keeps a fixed-size key of each rather than the server's text, so that what it holds grows by
// a few bytes per item whatever the server sends.

// UUIDKey is a uuid as its 16 bytes: the uuid itself, not a digest, so two keys are equal exactly when the
// uuids are (in either letter case, as the API compares them). ok is false for what is not uuid-shaped.
type UUIDKey [16]byte

func KeyOfUUID(s string) (key UUIDKey, ok bool) {
	if !IsUUID(s) {
		return key, false
	}
	_, err := hex.Decode(key[:], []byte(strings.ReplaceAll(s, "-", "")))
	return key, err == nil
}

// tokenKey is the SHA-256 of a page token: tokens are opaque, and a server cannot make two of them
// collide to end a listing early.
type tokenKey [sha256.Size]byte

func keyOfToken(s string) tokenKey { return sha256.Sum256([]byte(s)) }
