package esetapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// tokenSource holds the provider's OAuth2 token for its lifetime: it renews the access token before it
// expires with the refresh token, falls back to the password grant when a refresh fails (refresh tokens
// are known to stop working after days), and can be told a token was refused (a 401) so the next call
// renews it. It is safe for concurrent use; concurrent callers share one renewal.
type tokenSource struct {
	config   oauth2.Config
	username string
	password string
	http     *http.Client
	secrets  *secretSet

	// lock guards token and handedOut. It is a channel rather than a mutex so that a caller waiting while
	// another renews the token (a network call with retries) can give up when its own context ends.
	lock  chan struct{}
	token *oauth2.Token
	// margin is how long before its announced expiry the current token is renewed.
	margin time.Duration
	// handedOut counts the calls the current token was given to.
	handedOut int
	// minLifetime is the shortest lifetime a token is taken to have (minTokenLifetime; tests shorten it).
	minLifetime time.Duration
}

// maxExpiryMargin renews a token up to this long before the expiry the token service announced, so that a
// request never leaves with a token that expires on its way. A token announced with a short lifetime is
// renewed at half of it instead, so that it still serves calls rather than cost a token call each.
const maxExpiryMargin = 60 * time.Second

func newTokenSource(iamEndpoint, username, password string, httpClient *http.Client, secrets *secretSet) *tokenSource {
	return &tokenSource{
		config: oauth2.Config{Endpoint: oauth2.Endpoint{
			TokenURL: iamEndpoint + "/oauth/token",
			// ESET's token service takes the grant as form parameters, without client credentials.
			AuthStyle: oauth2.AuthStyleInParams,
		}},
		username: username,
		password: password,
		http:     httpClient,
		secrets:  secrets,
		lock:     make(chan struct{}, 1),

		minLifetime: minTokenLifetime,
	}
}

// accessToken returns a valid access token, renewing it when it is missing, expiring, or equal to refused
// (the token a 401 answered; "" when none was refused). renewed says whether this call obtained it from
// the token service, rather than finding it already renewed by another caller.
func (s *tokenSource) accessToken(ctx context.Context, refused string, log Logger) (token string, renewed bool, err error) {
	select {
	case s.lock <- struct{}{}:
		defer func() { <-s.lock }()
	case <-ctx.Done():
		return "", false, ctx.Err()
	}
	if s.token != nil && s.token.AccessToken != refused && time.Until(s.token.Expiry) > s.margin {
		s.handedOut++
		return s.token.AccessToken, false, nil
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.http)
	var tok *oauth2.Token
	if s.token != nil && s.token.RefreshToken != "" {
		log.Debug(ctx, "renewing the access token with the refresh token", nil)
		// A refresh returns a new refresh token too; oauth2 keeps the old one only if none came.
		tok, err = s.config.TokenSource(ctx, &oauth2.Token{RefreshToken: s.token.RefreshToken}).Token()
	}
	if tok == nil || err != nil {
		log.Debug(ctx, "signing in with the password grant", nil)
		tok, err = s.config.PasswordCredentialsToken(ctx, s.username, s.password)
	}
	if err != nil {
		if ctx.Err() != nil {
			// This caller gave up: the token, and its refresh token, still serve the others.
			return "", false, ctx.Err()
		}
		s.token = nil
		return "", false, s.secrets.clean(authError(err))
	}
	s.secrets.add(tok.AccessToken, tok.RefreshToken)
	switch lifetime := time.Until(tok.Expiry); {
	case tok.Expiry.IsZero() || lifetime <= 0:
		// The docs promise 60 minutes; a token service that announces nothing, or a lifetime already
		// over (expires_in 0 or negative), gets a cautious guess rather than a renewal before every call.
		tok.Expiry = time.Now().Add(defaultTokenLifetime)
	case lifetime < s.minLifetime:
		// A few seconds would make nearly every call renew first; a 401 still renews a token that expired.
		tok.Expiry = time.Now().Add(s.minLifetime)
	}
	s.token, s.handedOut = tok, 1
	s.margin = min(maxExpiryMargin, time.Until(tok.Expiry)/2)
	return tok.AccessToken, true, nil
}

// shared reports whether token went to other calls too, or was replaced since: a 401 to it may then come
// from their use (tokens that expire after a number of calls) rather than from refused credentials.
func (s *tokenSource) shared(token string) bool {
	s.lock <- struct{}{}
	defer func() { <-s.lock }()
	return s.token == nil || s.token.AccessToken != token || s.handedOut > 1
}

// defaultTokenLifetime is taken for a token announced without a lifetime, or with one already over.
const defaultTokenLifetime = 10 * time.Minute

// tokenOperation names token calls in errors.
const tokenOperation = "get a token"

// authError turns an oauth2 failure into an AuthError that names the status, message and request-id
// without echoing the request, which carried the password. A token service that could not be reached or
// redirected elsewhere did not refuse anything: those are reported as such.
func authError(err error) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		redirect.Operation = tokenOperation
		return redirect
	}
	if unreached := unreachable(tokenOperation, err); unreached != nil {
		return unreached
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		msg := re.ErrorDescription
		if msg == "" {
			msg = errorMessage(re.Body, re.Response.StatusCode)
		}
		if re.ErrorCode != "" && re.ErrorCode != msg {
			msg = re.ErrorCode + ": " + msg
		}
		return &AuthError{StatusCode: re.Response.StatusCode, Message: msg, RequestID: re.Response.Header.Get(HeaderRequestID)}
	}
	return &AuthError{Err: err}
}
