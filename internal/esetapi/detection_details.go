package esetapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// BatchGetDetections reads the v2 records of detections by uuid with POST /v2/detections:batchGet, at most
// MaxDetectionBatch a call, and returns them in the order asked, each uuid once, with proto3 defaults
// applied. The call is all-or-nothing on the API's side (an unknown uuid fails it), and an answer that
// lacks an asked detection is an error here: no detail is silently left out.
func (c *Client) BatchGetDetections(ctx context.Context, uuids []string) ([]DetectionDetails, error) {
	var asked []string
	seen := map[string]bool{}
	for _, u := range uuids {
		if u = CanonicalUUID(u); !seen[u] {
			seen[u] = true
			asked = append(asked, u)
		}
	}
	out := make([]DetectionDetails, 0, len(asked))
	for start := 0; start < len(asked); start += MaxDetectionBatch {
		batch := asked[start:min(start+MaxDetectionBatch, len(asked))]
		got, err := c.batchGetDetections(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func (c *Client) batchGetDetections(ctx context.Context, batch []string) ([]DetectionDetails, error) {
	op := fmt.Sprintf("get the details of %d detections", len(batch))
	body, err := json.Marshal(map[string][]string{"detectionUuids": batch})
	if err != nil {
		return nil, err
	}
	var answer struct {
		Detections []DetectionDetails `json:"detections"`
	}
	requestID, err := c.call(ctx, op, http.MethodPost, c.baseURL+"/v2/detections:batchGet", body, func(r io.Reader) error {
		answer.Detections = nil // nothing of an answer cut short may survive into the next
		return decodeJSON(r, &answer)
	})
	if err != nil {
		return nil, err
	}
	byUUID := make(map[string]*DetectionDetails, len(answer.Detections))
	for i := range answer.Detections {
		byUUID[answer.Detections[i].UUID] = &answer.Detections[i]
	}
	out := make([]DetectionDetails, len(batch))
	for i, u := range batch {
		d := byUUID[u]
		if d == nil {
			return nil, &DecodeError{Operation: op, RequestID: requestID, Err: fmt.Errorf("the answer lacks detection %q (it holds %d of the %d asked for)", u, len(byUUID), len(batch))}
		}
		d.ApplyDefaults()
		out[i] = *d
	}
	return out, nil
}
