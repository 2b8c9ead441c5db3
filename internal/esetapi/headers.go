package esetapi

// The API's own header names, for the client and for the simulator that stands in for the API.
const (
	// HeaderRequestID names every answer; ESET support asks for it.
	HeaderRequestID = "request-id"
	// HeaderResponseID carries the id of a slow query's cached result, in a 202 and in the request that
	// fetches it.
	HeaderResponseID = "response-id"
)
