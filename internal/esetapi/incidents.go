package esetapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
)

// IncidentListOptions selects and orders incidents. Filter and OrderBy are sent verbatim.
type IncidentListOptions struct {
	// Filter is a CEL expression over incident fields (the API's filter parameter).
	Filter string
	// OrderBy is a comma-separated list of fields, each optionally followed by " desc".
	OrderBy string
	// MaxResults stops the listing after this many incidents; zero means every matching incident.
	MaxResults int
	// Keep, when set, drops the incidents it rejects: the part of a filter the caller evaluates itself.
	// MaxResults then counts kept incidents.
	Keep func(*Incident) bool
}

// IncidentList is the result of ListIncidents: its counts, Calls being the pages read.
type IncidentList struct {
	ListCounts
}

// ListIncidents reads the matching incidents page by page, by page token (a position in the live result,
// which changes under it: readplan reads by key where it can), and passes each page to fn, in the API's order,
// with proto3 defaults applied. It asks for pages of MaxPageSize, or fewer when MaxResults needs fewer, so
// that N incidents take ceil(N/1000) calls. Pages are decoded one at a time and not kept: fn owns the page.
// A page token that comes back, or a listing longer than the configured page bound, ends it with a
// PagingError rather than repeat or drop data.
func (c *Client) ListIncidents(ctx context.Context, opts IncidentListOptions, fn func([]Incident) error) (IncidentList, error) {
	query := url.Values{}
	if opts.Filter != "" {
		query.Set("filter", opts.Filter)
	}
	if opts.OrderBy != "" {
		query.Set("orderBy", opts.OrderBy)
	}
	// Refused before any call: a server would answer 414, or a proxy cut the URL.
	if n := len(c.baseURL+"/v2/incidents?") + len(query.Encode()) + len("&pageSize=1000") + pageTokenRoom; n > MaxURLBytes {
		return IncidentList{}, &URLTooLongError{Operation: "list incidents", Bytes: n}
	}
	p := newListProgress(opts.MaxResults)
	err := paginate[Incident, incidentListPage](ctx, c, listing[Incident]{
		op: "list incidents", noun: "incidents", url: c.baseURL + "/v2/incidents", query: query,
		uuid: func(i *Incident) string { return i.UUID }, prepare: (*Incident).ApplyDefaults, keep: opts.Keep,
	}, p, fn)
	return IncidentList{ListCounts: p.ListCounts}, err
}

// IncidentPageRequest is one call of GET /v2/incidents: the parameters are sent verbatim, "" left out.
type IncidentPageRequest struct {
	Filter, OrderBy, PageToken string
	// PageSize is the number of incidents asked for, 1 to MaxPageSize.
	PageSize int
}

// IncidentPage is the answer to one list call.
type IncidentPage struct {
	// Incidents are decoded with proto3 defaults applied; each has a uuid-shaped uuid.
	Incidents []Incident
	// NextPageToken is the position of the next page, "" on the last.
	NextPageToken string
	RequestID     string
}

// ListIncidentsPage makes one list call and hands back its page whole, token included. It is the one list
// call outside the shape of the others (options in, pages to fn, counts out) because its caller, readplan,
// is the pager: it reads by create_time key, choosing each call's filter, size and token from the page
// before, and counts and bounds the calls of a whole read across many filters itself. An answer holding
// more incidents than asked for, an empty page with a token for another, or an incident without a
// uuid-shaped uuid, is a PagingError or a DecodeError rather than data.
func (c *Client) ListIncidentsPage(ctx context.Context, req IncidentPageRequest) (IncidentPage, error) {
	const op = "list incidents"
	query := url.Values{"pageSize": {strconv.Itoa(req.PageSize)}}
	for k, v := range map[string]string{"filter": req.Filter, "orderBy": req.OrderBy, "pageToken": req.PageToken} {
		if v != "" {
			query.Set(k, v)
		}
	}
	var answer incidentListPage
	requestID, err := c.get(ctx, op, c.baseURL+"/v2/incidents?"+query.Encode(), func(body io.Reader) error {
		answer = incidentListPage{} // nothing of an answer cut short may survive into the next
		return decodeJSON(body, &answer)
	})
	if err != nil {
		return IncidentPage{}, err
	}
	if len(answer.Incidents) > req.PageSize {
		return IncidentPage{}, &PagingError{Operation: op, Problem: fmt.Sprintf("the API sent %d incidents for a page of %d, more than asked for", len(answer.Incidents), req.PageSize), Page: 1, RequestID: requestID}
	}
	if len(answer.Incidents) == 0 && answer.NextPageToken != "" {
		// Another page after an empty one: a listing that could go on forever without a single incident.
		return IncidentPage{}, &PagingError{Operation: op, Problem: "the API sent an empty page with a token for another", Page: 1, RequestID: requestID}
	}
	if next := answer.NextPageToken; len(next) > maxPageTokenBytes || len(url.QueryEscape(next)) > maxPageTokenBytes {
		return IncidentPage{}, &PagingError{Operation: op, Problem: fmt.Sprintf("the API sent a page token of %d bytes, longer than the published 128 characters allow", len(next)), Page: 1, RequestID: requestID}
	}
	for i := range answer.Incidents {
		inc := &answer.Incidents[i]
		if !IsUUID(inc.UUID) {
			return IncidentPage{}, &DecodeError{Operation: op, RequestID: requestID, Err: fmt.Errorf("an incident's uuid is not a uuid")}
		}
		inc.ApplyDefaults()
	}
	c.log.Debug(ctx, "read a page of incidents", map[string]any{
		"operation": op, "page_size": req.PageSize, "items": len(answer.Incidents), "request_id": requestID, "last_page": answer.NextPageToken == "",
	})
	return IncidentPage{Incidents: answer.Incidents, NextPageToken: answer.NextPageToken, RequestID: requestID}, nil
}

// incidentListPage is the answer of the list call (v2ListIncidentsResponse).
type incidentListPage struct {
	Incidents     []Incident `json:"incidents"`
	NextPageToken string     `json:"nextPageToken"`
}

func (p *incidentListPage) items() []Incident { return p.Incidents }
func (p *incidentListPage) next() string      { return p.NextPageToken }

// GetIncident reads one incident with its device and detection uuids, which the list call leaves out.
// A missing incident is an *APIError that matches ErrNotFound.
func (c *Client) GetIncident(ctx context.Context, uuid string) (*Incident, error) {
	var answer struct {
		Incident *Incident `json:"incident"`
	}
	uuid = CanonicalUUID(uuid)
	op := fmt.Sprintf("get incident %q", uuid)
	if !IsUUID(uuid) {
		return nil, fmt.Errorf("%s: not a uuid (8-4-4-4-12 hexadecimal digits)", op)
	}
	requestID, err := c.get(ctx, op, c.baseURL+"/v2/incidents/"+url.PathEscape(uuid), func(body io.Reader) error {
		answer.Incident = nil // nothing of an answer cut short may survive into the next
		return decodeJSON(body, &answer)
	})
	if err != nil {
		return nil, err
	}
	if answer.Incident == nil {
		return nil, &DecodeError{Operation: op, RequestID: requestID, Err: fmt.Errorf("the answer has no incident")}
	}
	inc := answer.Incident
	if err := sameUUID(inc.UUID, uuid, "incident"); err != nil {
		return nil, &DecodeError{Operation: op, RequestID: requestID, Err: err}
	}
	inc.ApplyDefaults()
	// This call sends the lists; proto3 leaves an empty one out.
	if inc.DeviceUUIDs == nil {
		inc.DeviceUUIDs = []string{}
	}
	if inc.DetectionUUIDs == nil {
		inc.DetectionUUIDs = []string{}
	}
	return inc, nil
}

// decodeJSON decodes one JSON value and insists that nothing but white space follows it, so that a body
// cut short or with trailing garbage is an error rather than a partial page.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return fmt.Errorf("empty body")
		}
		return err
	}
	switch _, err := dec.Token(); {
	case err == io.EOF:
		return nil
	case err != nil && !errors.As(err, new(*json.SyntaxError)):
		// The rest of the body did not arrive (a timeout, a reset, the size bound): the caller tells these
		// apart, and sends a query cut short again; they are no data after the value.
		return err
	default:
		return fmt.Errorf("unexpected data after the JSON value")
	}
}
