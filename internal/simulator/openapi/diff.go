package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Diff compares a service's kept document with its live one (full, as ESET publishes it) in what matters to
// the provider: the operations it calls, their parameters and limits, the fields of requests and answers,
// their types, formats and enum values. Each difference is one line: "- " what the kept copy has and the
// live one lost, "+ " what the live one added, "~ " a value that changed. Prose never counts.
func Diff(service string, kept, live []byte) ([]string, error) {
	var keptDoc map[string]any
	dec := json.NewDecoder(bytes.NewReader(kept))
	dec.UseNumber()
	if err := dec.Decode(&keptDoc); err != nil {
		return nil, fmt.Errorf("%s: the kept document: %w", service, err)
	}
	liveDoc, missing, err := trim(live, service)
	if err != nil {
		return nil, err
	}
	old, cur := flatten(keptDoc), flatten(liveDoc)
	var lines []string
	for _, m := range missing {
		lines = append(lines, "- "+m+": the operation is gone")
	}
	for k, v := range old {
		switch w, ok := cur[k]; {
		case !ok:
			lines = append(lines, "- "+k+": "+v)
		case w != v:
			lines = append(lines, "~ "+k+": "+v+" -> "+w)
		}
	}
	for k, w := range cur {
		if _, ok := old[k]; !ok {
			lines = append(lines, "+ "+k+": "+w)
		}
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i][2:] < lines[j][2:] })
	return lines, nil
}

// flatten writes a trimmed document as facts, one per key: "GET /v2/incidents parameter filter (query):
// maxLength" → "200", with the schemas referred to written in place, so a fact names where it applies.
func flatten(doc map[string]any) map[string]string {
	f := flattener{facts: map[string]string{}}
	components, _ := doc["components"].(map[string]any)
	f.schemas, _ = components["schemas"].(map[string]any)
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for method, op := range item {
			op, ok := op.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			label := strings.ToUpper(method) + " " + path
			f.facts[label] = "operation " + fmt.Sprint(op["operationId"])
			params, _ := op["parameters"].([]any)
			shared, _ := item["parameters"].([]any)
			for _, p := range append(shared, params...) {
				p, _ := p.(map[string]any)
				at := fmt.Sprintf("%s parameter %v (%v)", label, p["name"], p["in"])
				if p["required"] == true {
					f.facts[at+": required"] = "true"
				}
				f.schema(at, p["schema"], nil)
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				f.content(label+" request body", body)
			}
			responses, _ := op["responses"].(map[string]any)
			for code, r := range responses {
				r, _ := r.(map[string]any)
				at := label + " response " + code
				f.facts[at] = "documented"
				headers, _ := r["headers"].(map[string]any)
				for name, h := range headers {
					h, _ := h.(map[string]any)
					f.schema(at+" header "+name, h["schema"], nil)
				}
				f.content(at, r)
			}
		}
	}
	return f.facts
}

type flattener struct {
	facts   map[string]string
	schemas map[string]any
}

func (f *flattener) content(at string, holder map[string]any) {
	content, _ := holder["content"].(map[string]any)
	for media, m := range content {
		m, _ := m.(map[string]any)
		f.schema(at+" "+media, m["schema"], nil)
	}
}

// schema writes the facts of the schema s at label; via holds the schemas being expanded, so that a schema
// referring to itself (protobufAny, say) stops.
func (f *flattener) schema(label string, s any, via []string) {
	m, ok := s.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, schemaRef)
		for _, v := range via {
			if v == name {
				f.facts[label] = "recursive " + name
				return
			}
		}
		f.schema(label, f.schemas[name], append(via, name))
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := m[k].(type) {
		case map[string]any:
			switch k {
			case "properties":
				for name, p := range v {
					f.facts[label+"."+name] = "field"
					f.schema(label+"."+name, p, via)
				}
			case "items":
				f.schema(label+"[]", v, via)
			case "additionalProperties":
				f.schema(label+"{}", v, via)
			default:
				f.schema(label+" "+k, v, via)
			}
		case []any:
			switch k {
			case "enum":
				for _, e := range v {
					f.facts[fmt.Sprintf("%s: enum %v", label, e)] = "allowed"
				}
			case "allOf", "anyOf", "oneOf":
				for i, e := range v {
					f.schema(fmt.Sprintf("%s %s[%d]", label, k, i), e, via)
				}
			default:
				f.facts[label+": "+k] = fmt.Sprint(v)
			}
		default:
			f.facts[label+": "+k] = fmt.Sprint(v)
		}
	}
}
