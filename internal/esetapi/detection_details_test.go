package esetapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator"
)

// TestBatchGetDetections reads 250 details in calls of 100, 100 and 50, each uuid once, in the order
// asked, whole; behind 202s too, which makes the client resend the same body with the response-id.
func TestBatchGetDetections(t *testing.T) {
	t.Parallel()
	for _, faults := range []simulator.Faults{{Int64AsStrings: true}, {SlowRate: 1, SlowReady: 20 * time.Millisecond}} {
		t.Run(fmt.Sprintf("slow=%v", faults.SlowRate), func(t *testing.T) {
			t.Parallel()
			var sizes []int
			e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 14, Detections: 400}, faults, fastConfig(), func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/v2/detections:batchGet" && r.Header.Get("response-id") == "" {
						body, _ := io.ReadAll(r.Body)
						var req struct{ DetectionUUIDs []string }
						_ = json.Unmarshal(body, &req)
						sizes = append(sizes, len(req.DetectionUUIDs))
						r.Body = io.NopCloser(bytesReader(body))
					}
					sim.ServeHTTP(rw, r)
				})
			})
			var want []esetapi.DetectionDetails
			var uuids []string
			for i := 399; i >= 150; i-- { // 250, not in the world's order
				want = append(want, w.Detections[i])
				uuids = append(uuids, strings.ToUpper(w.Detections[i].UUID)) // the case of a uuid does not matter
			}
			uuids = append(uuids, uuids[0], uuids[7])
			got, err := e.client.BatchGetDetections(testContext(t, 10*time.Second), uuids)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("details differ")
			}
			if !slices.Equal(sizes, []int{100, 100, 50}) {
				t.Errorf("batch sizes %v", sizes)
			}
			if faults.SlowRate > 0 && e.sim.Stats().Status[202] < 3 {
				t.Errorf("no 202s: %v", e.sim.Stats().Status)
			}
		})
	}
}

// TestBatchGetDetectionsFailures: an unknown uuid fails the whole call with 404, an injected status is
// reported, and an answer that lacks a detection asked for is an error, not a shorter list.
func TestBatchGetDetectionsFailures(t *testing.T) {
	t.Parallel()
	e, w := newWorldEnv(t, simulator.WorldSpec{Seed: 15}, simulator.Faults{FailUUIDs: map[string]int{}}, fastConfig(), nil)
	ctx := testContext(t, 10*time.Second)
	_, err := e.client.BatchGetDetections(ctx, []string{w.Detections[0].UUID, "4d4e8d3c-0000-4000-8000-000000000000"})
	_ = assertAPIError(t, err, http.StatusNotFound, "not found", 1)

	cfg := fastConfig()
	cfg.MaxRetries = 1
	e2, w2 := newWorldEnv(t, simulator.WorldSpec{Seed: 15}, simulator.Faults{FailUUIDs: map[string]int{w.Detections[3].UUID: http.StatusForbidden}}, cfg, nil)
	_, err = e2.client.BatchGetDetections(ctx, []string{w2.Detections[1].UUID, w2.Detections[3].UUID})
	_ = assertAPIError(t, err, http.StatusForbidden, "injected failure for detection "+w.Detections[3].UUID, 1)

	e3 := newEnv(t, simulator.Options{}, fastConfig(), apiOverride(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, `{"detections":[{"uuid":"a"}]}`)
	}))
	_, err = e3.client.BatchGetDetections(ctx, []string{"a", "b"})
	var decErr *esetapi.DecodeError
	if !errors.As(err, &decErr) || decErr.RequestID == "" {
		t.Errorf("want a *DecodeError naming the missing detection, got %v", err)
	}

	if got, err := e.client.BatchGetDetections(ctx, nil); err != nil || len(got) != 0 || e.sim.Stats().Calls["POST /v2/detections:batchGet"] != 1 {
		t.Errorf("no uuids: %v, %v, %v (want no call)", got, err, e.sim.Stats().Calls)
	}
}
