package esetapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const (
	headerRequestID  = "request-id"
	headerResponseID = "response-id"
	// integrationName is sent in ESET's 3rd-integration header, which helps ESET support tell callers apart.
	integrationName = "terraform-provider-eset"
	// maxResends bounds how often a query is sent anew after the API dropped its cached result (404 or 504
	// to a response-id).
	maxResends = 5
)

// get sends one GET to the incidents API and passes the body of its 200 answer to decode. It renews the
// token once on a 401, and follows the 202 protocol: while the API answers 202 with a response-id, it
// waits and sends the identical query again with that response-id; when the API forgets the cached
// query (404 or 504 to a response-id), it sends the query anew. Transient failures are retried below it.
// It returns the request-id of the answer decoded.
func (c *Client) get(ctx context.Context, op, url string, decode func(io.Reader) error) (string, error) {
	var (
		responseID string
		refused    string // the token a 401 refused; "" until one is, and again after a 202 or a resend
		resends    int
		poll       = c.pollInterval
	)
	for {
		token, err := c.tokens.accessToken(ctx, refused)
		if err != nil {
			return "", err
		}
		resp, attempts, err := c.send(ctx, url, token, responseID)
		if err != nil {
			return "", fmt.Errorf("%s: %w", op, err)
		}
		requestID := resp.Header.Get(headerRequestID)
		switch {
		case resp.StatusCode == http.StatusOK:
			err := decode(resp.Body)
			resp.Body.Close()
			if err != nil {
				if ctx.Err() != nil {
					return "", fmt.Errorf("%s: %w", op, ctx.Err())
				}
				return "", &DecodeError{Operation: op, RequestID: requestID, Err: err}
			}
			return requestID, nil

		case resp.StatusCode == http.StatusAccepted:
			drain(resp)
			refused = ""
			// A 202 without a response-id cannot be fetched: wait as for any 202 and send the query anew.
			responseID = resp.Header.Get(headerResponseID)
			c.log.Debug(ctx, "the API cached a slow query; fetching its result later", map[string]any{
				"operation": op, "request_id": requestID, "response_id": responseID, "wait": poll.String(),
			})
			if err := sleep(ctx, poll); err != nil {
				return "", fmt.Errorf("%s: waiting for the API's cached result (response-id %s): %w", op, responseID, err)
			}
			poll = min(2*poll, maxPollInterval)

		// Renew once: a 401 to the renewed token too means the credentials, not the token, are refused, and
		// renewing again would loop for ever.
		case resp.StatusCode == http.StatusUnauthorized && refused == "":
			drain(resp)
			c.log.Debug(ctx, "the API refused the access token; renewing it", map[string]any{"operation": op, "request_id": requestID})
			refused = token

		case responseID != "" && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGatewayTimeout):
			drain(resp)
			if resends++; resends > maxResends {
				return "", fmt.Errorf("%s: the API dropped the cached result of the query %d times in a row (last request-id: %s)", op, resends, orUnknown(requestID))
			}
			c.log.Debug(ctx, "the API dropped the cached query; sending it anew", map[string]any{
				"operation": op, "status": resp.StatusCode, "request_id": requestID, "response_id": responseID,
			})
			responseID, refused, poll = "", "", c.pollInterval

		default:
			apiErr := newAPIError(op, resp)
			resp.Body.Close()
			apiErr.Attempts = attempts
			return "", apiErr
		}
	}
}

// send makes one call with its retries and returns its last answer with the number of attempts made, also
// when retries ran out on it, for get to report.
func (c *Client) send(ctx context.Context, url, token, responseID string) (*http.Response, int, error) {
	attempts := 0
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, attemptsKey{}, &attempts), http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("3rd-integration", integrationName)
	if responseID != "" {
		req.Header.Set(headerResponseID, responseID)
	}
	resp, err := c.http.Do(req)
	var exhausted *exhaustedError
	switch {
	case err == nil:
		return resp, attempts, nil
	case resp != nil && errors.As(err, &exhausted):
		return resp, attempts, nil
	case ctx.Err() != nil:
		// Cancelled (Ctrl-C) or past the read timeout: say so rather than show a transport error.
		return nil, 0, ctx.Err()
	default:
		return nil, 0, err
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
