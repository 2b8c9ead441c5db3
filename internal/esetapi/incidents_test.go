package esetapi_test

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
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
		err := esetapi.DecodeListPage(strings.NewReader(tc.body))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one containing %q", tc.body, err, tc.err)
		}
	}
	// The rest of a body that fails to arrive after a whole value is that failure, which the client resends
	// or reports as a timeout, not data after the value.
	for _, cause := range []error{os.ErrDeadlineExceeded, syscall.ECONNRESET} {
		body := io.MultiReader(strings.NewReader(`{"incidents":[]}`), iotest.ErrReader(cause))
		if err := esetapi.DecodeListPage(body); !errors.Is(err, cause) {
			t.Errorf("the rest of the body failing with %v: %v", cause, err)
		}
	}
}

// TestGetIncident reads single incidents: the whole incident with its device and detection uuids, empty
// (not nil) lists when the answer leaves them out, a 404 that matches ErrNotFound, an answer without an
// incident, and a value that is not a uuid, which never reaches a URL path.
func TestGetIncident(t *testing.T) {
	t.Parallel()
	data := simulator.Generate(12, 20)
	data[3].DeviceUUIDs, data[3].DetectionUUIDs = nil, nil
	data[4].DeviceUUIDs, data[4].DetectionUUIDs = []string{}, []string{}
	e := newEnv(t, simulator.Options{Incidents: data, Faults: simulator.Faults{Int64AsStrings: true}}, fastConfig(), nil)
	ctx := testContext(t, 10*time.Second)
	for i, want := range data {
		got, err := e.client.GetIncident(ctx, want.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			want.DeviceUUIDs, want.DetectionUUIDs = []string{}, []string{}
		}
		if got.DeviceUUIDs == nil || got.DetectionUUIDs == nil {
			t.Errorf("incident %d: nil device or detection uuids", i)
		}
		assertIncidents(t, []esetapi.Incident{*got}, []esetapi.Incident{want})
		if got, err = e.client.GetIncident(ctx, strings.ToUpper(want.UUID)); err != nil || got.UUID != want.UUID {
			t.Errorf("incident %d in upper case: %v", i, err)
		}
	}

	_, err := e.client.GetIncident(ctx, "4d4e8d3c-0000-4000-8000-000000000000")
	_ = assertAPIError(t, err, http.StatusNotFound, "Requested resource not found.", 1)
	if !errors.Is(err, esetapi.ErrNotFound) {
		t.Errorf("a 404 should match ErrNotFound: %v", err)
	}

	t.Run("no incident in the answer", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, simulator.Options{}, fastConfig(), staticAPI(`{"other":1}`))
		_, err := e.client.GetIncident(testContext(t, 10*time.Second), "4d4e8d3c-0000-4000-8000-000000000001")
		var decErr *esetapi.DecodeError
		if !errors.As(err, &decErr) || decErr.RequestID == "" {
			t.Fatalf("want a *DecodeError with a request-id, got %v", err)
		}
	})
	t.Run("not a uuid", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		e := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
		for _, id := range []string{"..", "../../oauth/token", "a/b c?d", "4d4e8d3c-0000-4000-8000-000000000001/..", ""} {
			if _, err := e.client.GetIncident(testContext(t, 10*time.Second), id); err == nil || !strings.Contains(err.Error(), "not a uuid") {
				t.Errorf("%q: got %v", id, err)
			}
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("%d calls reached the API", n)
		}
	})
}
