package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/simulator/openapi"
)

// The published contract: every API call is checked against ESET's documents (the trimmed copy in openapi/,
// loosened as contract_loosen.go says) before a handler sees it, as ESET's gateway validates requests before
// its services do. A call the documents refuse gets the gateway's answer: 400, code 3 (INVALID_ARGUMENT).
// With Options.ValidateResponses, every answer is checked against the documents' response schemas too, and
// both kinds of violations are kept for the tests (Violations, FailOnViolations).

// contract is the loaded documents with their routers.
type contract struct {
	routers []routers.Router
	options *openapi3filter.Options
}

var uint64Pattern = regexp.MustCompile(`^[0-9]+$`)

// contracts are loaded once per process: as the documents say (strict), and for a simulator that plays a
// newer service (Faults.UnknownFields).
var contracts = [2]func() (*contract, error){
	sync.OnceValues(func() (*contract, error) { return loadContract(false) }),
	sync.OnceValues(func() (*contract, error) { return loadContract(true) }),
}

func contractFor(newer bool) *contract {
	i := 0
	if newer {
		i = 1
	}
	c, err := contracts[i]()
	if err != nil {
		// The documents are embedded and tested: failing to load them is a broken build.
		panic("simulator: the published contract does not load: " + err.Error())
	}
	return c
}

func loadContract(newer bool) (*contract, error) {
	c := &contract{options: &openapi3filter.Options{
		// A default written into the query would change the query a page token belongs to.
		SkipSettingDefaults: true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			// A `format: uuid` is checked as protovalidate's string.uuid rule does (8-4-4-4-12 hexadecimal
			// digits, any version, either case), the form esetapi.IsUUID accepts; kin-openapi checks none
			// unless told.
			openapi3.WithStringFormatValidator("uuid", openapi3.NewCallbackValidator(func(v string) error {
				if !esetapi.IsUUID(v) {
					return errors.New("not a uuid")
				}
				return nil
			})),
			openapi3.WithStringFormatValidator("uint64", openapi3.NewCallbackValidator(func(v string) error {
				if !uint64Pattern.MatchString(v) {
					return errors.New("not a uint64 in decimal digits")
				}
				return nil
			})),
		},
	}}
	c.options.WithCustomSchemaErrorFunc(schemaReason)
	for _, service := range openapi.Services {
		b, err := openapi.Kept(service)
		if err != nil {
			return nil, err
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", service, err)
		}
		loosen(doc, newer)
		if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
			return nil, fmt.Errorf("%s: %w", service, err)
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", service, err)
		}
		c.routers = append(c.routers, router)
	}
	return c, nil
}

// schemaReason is a schema error without the schema and the value, which kin-openapi adds: a message in
// one line, like the gateway's.
func schemaReason(err *openapi3.SchemaError) string {
	reason, _, _ := strings.Cut(err.Reason, ": string doesn't match pattern")
	if path := err.JSONPointer(); len(path) > 0 {
		return fmt.Sprintf("%s: %s", strings.Join(path, "."), reason)
	}
	return reason
}

// request checks r against the documents and returns what to validate its answer with, or an error and
// the status the gateway would answer with: 404 for a call no document has (a handler the documents lack),
// 400 for one they refuse.
func (c *contract) request(r *http.Request) (*openapi3filter.RequestValidationInput, int, error) {
	for _, router := range c.routers {
		route, params, err := router.FindRoute(r)
		if err != nil {
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: c.options}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			return nil, http.StatusBadRequest, err
		}
		return in, 0, nil
	}
	return nil, http.StatusNotFound, errors.New("no operation of the documents")
}

// response checks an answer to the request in.
func (c *contract) response(in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: c.options,
	})
}

// checkContract is the middleware's contract step: it answers a call the documents refuse and returns
// nil, or returns the handler to serve the call with, which checks the answer when ValidateResponses is on.
func (s *Server) checkContract(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) http.HandlerFunc {
	c := s.contract
	if c == nil {
		return next
	}
	in, status, err := c.request(r)
	if err != nil {
		code, msg := 3, "invalid argument: "+strings.ReplaceAll(err.Error(), "\n", " ")
		if status == http.StatusNotFound {
			code, msg = 5, "Not Found"
		}
		s.violation(fmt.Sprintf("request %s %s refused (%d): %s", r.Method, shorten(r.URL.RequestURI()), status, msg))
		writeError(w, status, code, msg)
		return nil
	}
	// A body cut short on purpose (Faults.MalformedRate) is no violation of the simulator's.
	if !s.opts.ValidateResponses || s.opts.MalformedRate > 0 {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &bodyRecorder{ResponseWriter: w, status: http.StatusOK}
		next(rec, r)
		if err := c.response(in, rec.status, w.Header(), rec.body.Bytes()); err != nil {
			s.violation(fmt.Sprintf("answer %d to %s %s: %s", rec.status, r.Method, shorten(r.URL.RequestURI()), strings.ReplaceAll(err.Error(), "\n", " ")))
		}
	}
}

// shorten keeps a violation's target readable: a refused filter can be thousands of characters long.
func shorten(target string) string {
	const most = 200
	if len(target) <= most {
		return target
	}
	return fmt.Sprintf("%s… (%d characters)", target[:most], len(target))
}

// maxViolations bounds what a long-running simulator keeps.
const maxViolations = 100

func (s *Server) violation(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.violations) < maxViolations {
		s.violations = append(s.violations, v)
	}
}

// Violations returns the calls the documents refused and, with ValidateResponses, the answers they refuse,
// in the order they happened (the first 100).
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// TB is the part of testing.TB FailOnViolations uses.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
}

// FailOnViolations fails t when its test ends if the server saw a call or gave an answer ESET's documents
// refuse. Test helpers that start a simulator call it, with Options.ValidateResponses set.
func FailOnViolations(t TB, s *Server) {
	t.Helper()
	t.Cleanup(func() {
		for _, v := range s.Violations() {
			t.Errorf("ESET's published contract: %s", v)
		}
	})
}

// bodyRecorder keeps a copy of the answer it passes on.
type bodyRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *bodyRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *bodyRecorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
