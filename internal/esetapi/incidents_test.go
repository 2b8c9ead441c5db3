package esetapi

import (
	"strings"
	"testing"
)

// TestDecodeJSON: one JSON value, nothing but white space after it.
func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		err  string // "" for success
	}{
		{`{"incidents":[{"uuid":"a"}],"nextPageToken":"t"}`, ""},
		{"{\"incidents\":[]}\r\n\t ", ""},
		{`null`, ""},
		{``, "empty body"},
		{`   `, "empty body"},
		{`{"incidents":[{"uuid":"a"}`, "unexpected EOF"},
		{`{"incidents":[]}}`, "unexpected data after the JSON value"},
		{`{"incidents":[]} {"incidents":[]}`, "unexpected data after the JSON value"},
		{`{"incidents":[]}garbage`, "unexpected data after the JSON value"},
		{`{"incidents":{}}`, "cannot unmarshal"},
		{`{"incidents":[{"metrics":{"deviceCount":"x"}}]}`, "int64 value x"},
	} {
		var page listPage
		err := decodeJSON(strings.NewReader(tc.body), &page)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one containing %q", tc.body, err, tc.err)
		}
	}
}
