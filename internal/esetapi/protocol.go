package esetapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// get sends one GET to the API and passes the body of its 200 answer to decode; see call. The layers a call
// passes through are listed in transport.go.
func (c *Client) get(ctx context.Context, op, url string, decode func(io.Reader) error) (string, error) {
	return c.call(ctx, op, http.MethodGet, url, nil, decode)
}

// call sends one request to the API (body is a POST's JSON, nil for a GET) through followProtocol, and
// passes the body of its 200 answer to decode. What it adds is what the caller may show: the request-id of
// the answer decoded, and the error, both without secrets or the characters a terminal acts on.
func (c *Client) call(ctx context.Context, op, method, url string, body []byte, decode func(io.Reader) error) (string, error) {
	requestID, err := c.followProtocol(ctx, op, method, url, body, decode)
	return c.secrets.showable(requestID), c.secrets.clean(err)
}

// followProtocol is the API's protocol around one query: a loop of requests, each sent through
// sendRetried, that differ from one another. Each carries the access token (auth.go): after a 401 it is
// renewed, a few times at most. While the API answers 202 with a response-id, the loop waits and sends the
// identical query again with that response-id, a number of times at most; when the API drops the cached
// query (404 or 504 to a response-id) it sends the query anew; a 200 whose body was cut short is sent for
// again within the retry budget; a 200's body is decoded within its limit. It is a loop apart from
// the transient retries below it because each of its requests differs from the last (a new token, a
// response-id or none), and because it needs the decoded body, which no round-tripper sees; and so that
// a slow query's polls do not use up the retry budget. It returns the request-id of the answer decoded;
// its errors may still hold secrets, which call removes.
func (c *Client) followProtocol(ctx context.Context, op, method, url string, body []byte, decode func(io.Reader) error) (string, error) {
	var (
		responseID string
		refused    string // the token a 401 refused; "" until one is, and again after a 202 or a resend
		renewedFor string // the token this call renewed after a 401
		renewals   int
		cutShort   int // bodies cut short, resent
		resends    int
		polls      int // 202s to the query as last sent
		poll       = c.pollInterval
	)
	for {
		token, renewed, err := c.tokens.accessToken(ctx, refused, c.log)
		if err != nil {
			return "", err
		}
		if renewed && refused != "" {
			renewedFor = token
		}
		resp, attempts, err := c.sendRetried(ctx, op, method, url, body, token, responseID)
		if err != nil {
			if errors.As(err, new(*RedirectError)) || errors.As(err, new(*ConnectionError)) {
				return "", err // they name the operation already
			}
			return "", fmt.Errorf("%s: %w", op, err)
		}
		requestID := resp.Header.Get(HeaderRequestID)
		switch {
		case resp.StatusCode == http.StatusOK:
			err := decode(&limitedBody{r: resp.Body, left: c.maxBody, max: c.maxBody})
			resp.Body.Close()
			var netErr net.Error
			switch {
			case err == nil:
				return requestID, nil
			case ctx.Err() != nil:
				return "", fmt.Errorf("%s: %w", op, ctx.Err())
			case errors.As(err, new(*BodyTooLargeError)):
				return "", fmt.Errorf("%s: %w (request-id: %s)", op, err, orUnknown(requestID))
			case cutShort < c.maxRetries && bodyCutShort(err):
				// A connection reset mid-body looks like a truncated body: the query is sent again, within
				// the retry budget, before the body is called malformed.
				cutShort++
				c.log.Debug(ctx, "the answer's body was cut short; sending the query again", map[string]any{
					"operation": op, "request_id": requestID, "error": err.Error(),
				})
				responseID, refused = "", ""
				continue
			case errors.As(err, &netErr) && netErr.Timeout():
				return "", fmt.Errorf("%s: the answer's body did not arrive within the attempt timeout of %s (last request-id: %s)", op, c.requestTimeout, orUnknown(requestID))
			default:
				return "", &DecodeError{Operation: op, RequestID: requestID, Err: err}
			}

		case resp.StatusCode == http.StatusAccepted:
			drain(resp)
			refused = ""
			// A 202 without a response-id cannot be fetched: wait as for any 202 and send the query anew.
			responseID = resp.Header.Get(HeaderResponseID)
			if polls++; polls > maxPolls {
				return "", fmt.Errorf("%s: the API's cached result (response-id %s) was not ready after %d polls (last request-id: %s); "+
					"the API keeps a cached query for 120 s, so it will not be", op, orUnknown(responseID), maxPolls, orUnknown(requestID))
			}
			c.log.Debug(ctx, "the API cached a slow query; fetching its result later", map[string]any{
				"operation": op, "request_id": requestID, "response_id": responseID, "wait": poll.String(),
			})
			if err := sleep(ctx, poll); err != nil {
				return "", fmt.Errorf("%s: waiting for the API's cached result (response-id %s): %w", op, responseID, err)
			}
			poll = min(2*poll, 16*c.pollInterval, maxPollInterval)

		// Renew on a 401, but a 401 to the token this call renewed and used alone means the credentials, not
		// the token, are refused: renewing again would loop for ever. A token other calls used too may have
		// been used up by them (tokens that expire after a number of calls), so that one is renewed again,
		// a few times at most.
		case resp.StatusCode == http.StatusUnauthorized && renewals < maxRenewals && (token != renewedFor || c.tokens.shared(token)):
			drain(resp)
			c.log.Debug(ctx, "the API refused the access token; renewing it", map[string]any{"operation": op, "request_id": requestID})
			refused = token
			renewals++

		case responseID != "" && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGatewayTimeout):
			drain(resp)
			if resends++; resends > maxResends {
				return "", fmt.Errorf("%s: the API dropped the cached result of the query %d times (last request-id: %s)", op, resends, orUnknown(requestID))
			}
			c.log.Debug(ctx, "the API dropped the cached query; sending it anew", map[string]any{
				"operation": op, "status": resp.StatusCode, "request_id": requestID, "response_id": responseID,
			})
			responseID, refused, poll, polls = "", "", c.pollInterval, 0

		default:
			apiErr := newAPIError(op, resp)
			resp.Body.Close()
			apiErr.Attempts = attempts
			if wait, tooLong := unwaitable(ctx, resp); tooLong && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
				apiErr.RetryAfter = wait
			}
			return "", apiErr
		}
	}
}

// bodyCutShort tells a body that ended early (a reset connection, a proxy that gave up) from one that
// is complete but not the API's JSON.
func bodyCutShort(err error) bool {
	var netErr net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.As(err, &netErr)
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
