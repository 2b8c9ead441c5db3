package esetapi

import "crypto/sha256"

// The pager remembers every uuid and page token of a listing, to drop repeats and to stop a listing that
// loops. It keeps a fixed-size key of each rather than the server's text, so that what it holds grows by
// a few bytes per item whatever the server sends.

// UUIDKey is a uuid as its 16 bytes: the uuid itself, not a digest, so two keys are equal exactly when the
// uuids are (in either letter case, as the API compares them). ok is false for what is not uuid-shaped.
type UUIDKey [16]byte

// It reads s in one pass, allocating nothing: every listed item's uuid goes through it, twice for a read
// by key (the page's check, then the uuids seen).
func KeyOfUUID(s string) (key UUIDKey, ok bool) {
	if len(s) != 36 {
		return UUIDKey{}, false
	}
	for i, j := 0, 0; i < len(s); {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return UUIDKey{}, false
			}
			i++
			continue
		}
		hi, okHi := hexDigit(s[i])
		lo, okLo := hexDigit(s[i+1])
		if !okHi || !okLo {
			return UUIDKey{}, false
		}
		key[j] = hi<<4 | lo
		i, j = i+2, j+1
	}
	return key, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// tokenKey is the SHA-256 of a page token: tokens are opaque, and a server cannot make two of them
// collide to end a listing early.
type tokenKey [sha256.Size]byte

func keyOfToken(s string) tokenKey { return sha256.Sum256([]byte(s)) }
