package simulator

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// The known faults of ESET's documents, loosened here and nowhere else. The trimmed copy in openapi/ stays as
// ESET publishes it, so that scripts/contract-check.sh compares like with like; each loosening below is
// applied to it when the simulator loads it. Request parameters (paths, lengths, formats, enums) are never
// loosened: they are what the gateway enforces.
var loosenings = []loosening{
	{
		name: "duplicated operationIds",
		why: "the incident-management document uses Detections_ListDetections and Detections_GetDetection for " +
			"both v1 and v2, which makes it invalid; a duplicate gets its path appended",
		apply: uniqueOperationIDs,
	},
	{
		name: "int64 typed as integers",
		why: "the documents type int64 fields as JSON integers, while the service writes proto3 JSON, where an " +
			"int64 is a string of digits: a schema field accepts both",
		apply: int64AsStrings,
	},
	{
		name: "enums that grow",
		why: "ESET adds enum values (and fields) to answers without a new document; a simulator set to play a newer " +
			"service (Faults.UnknownFields) may send values and fields the documents lack. Otherwise the " +
			"simulator's answers must use documented values and fields only",
		apply: growingAnswers,
	},
	{
		name: "examples without seconds",
		why: "ESET's own time examples (2024-10-30T12:00Z) are not date-time; the trimmed copy has no examples and " +
			"the loader does not validate examples, while request times must be full RFC 3339",
		apply: func(*openapi3.T, bool) {},
	},
}

type loosening struct {
	name, why string
	// apply changes doc; newer is true for a simulator with Faults.UnknownFields.
	apply func(doc *openapi3.T, newer bool)
}

func loosen(doc *openapi3.T, newer bool) {
	for _, l := range loosenings {
		l.apply(doc, newer)
	}
}

func uniqueOperationIDs(doc *openapi3.T, _ bool) {
	seen := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if seen[op.OperationID] {
				op.OperationID += " " + path
			}
			seen[op.OperationID] = true
		}
	}
}

// int64AsStrings turns every int64 field of the schemas (request and answer bodies; query parameters are
// text on the wire anyway) into a choice of an integer or a string of digits.
func int64AsStrings(doc *openapi3.T, _ bool) {
	eachSchema(doc, func(s *openapi3.Schema) {
		for _, p := range s.Properties {
			if p.Value != nil && p.Value.Type.Is("integer") && p.Value.Format == "int64" {
				p.Value = int64Choice(p.Value)
			}
		}
		if s.Items != nil && s.Items.Value != nil && s.Items.Value.Type.Is("integer") && s.Items.Value.Format == "int64" {
			s.Items.Value = int64Choice(s.Items.Value)
		}
	})
}

func int64Choice(integer *openapi3.Schema) *openapi3.Schema {
	return &openapi3.Schema{AnyOf: openapi3.SchemaRefs{
		{Value: integer},
		{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Pattern: `^-?[0-9]+$`}},
	}}
}

// growingAnswers closes the documents' objects to fields they do not list (protojson refuses an unknown field
// in a request body too) unless the simulator plays a newer service, which also may send enum values the
// documents lack.
func growingAnswers(doc *openapi3.T, newer bool) {
	eachSchema(doc, func(s *openapi3.Schema) {
		if newer {
			s.Enum = nil
			return
		}
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			closed := false
			s.AdditionalProperties.Has = &closed
		}
	})
}

// eachSchema calls f once on every schema of the document's components, nested ones included.
func eachSchema(doc *openapi3.T, f func(*openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		f(s)
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, r := range list {
				walk(r)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
}
