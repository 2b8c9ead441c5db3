package esetapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Int64 is an int64 that decodes from a JSON number or a JSON string, as proto3 JSON writes int64 either way.
type Int64 int64

// UnmarshalJSON accepts 12, "12" and null.
func (n *Int64) UnmarshalJSON(data []byte) error {
	text, err := numberText(data)
	if err != nil {
		return err
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("int64 value %s: %w", text, err)
	}
	*n = Int64(v)
	return nil
}

// Uint64 is a uint64 that decodes from a JSON number or a JSON string, as proto3 JSON writes uint64 (version
// ids, object sizes) either way, usually as a string.
type Uint64 uint64

// UnmarshalJSON accepts 12, "12" and null.
func (n *Uint64) UnmarshalJSON(data []byte) error {
	text, err := numberText(data)
	if err != nil {
		return err
	}
	v, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return fmt.Errorf("uint64 value %s: %w", text, err)
	}
	*n = Uint64(v)
	return nil
}

// numberText returns the digits of a JSON number or of a JSON string holding one; null reads as "0".
func numberText(data []byte) (string, error) {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return "0", nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	return string(data), nil
}
