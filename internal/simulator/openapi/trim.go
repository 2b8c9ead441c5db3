package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Trim keeps of a service's full document the operations the provider calls and the schemas they refer to,
// without prose (descriptions, summaries, examples, titles, tags), security declarations, extensions or
// servers: what remains is paths, parameters, schemas and limits. Every operation of Operations must be there.
func Trim(full []byte, service string) ([]byte, error) {
	doc, missing, err := trim(full, service)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: the document lacks %s", service, strings.Join(missing, ", "))
	}
	return encode(doc)
}

// trim returns the trimmed document and the operations of the service it lacks.
func trim(full []byte, service string) (map[string]any, []string, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(full))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("%s: not a JSON document: %w", service, err)
	}
	info, _ := doc["info"].(map[string]any)
	paths, _ := doc["paths"].(map[string]any)
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)

	outPaths := map[string]any{}
	var missing []string
	for _, op := range Operations {
		if op.Service != service {
			continue
		}
		item, _ := paths[op.Path].(map[string]any)
		operation, ok := item[op.Method].(map[string]any)
		if !ok {
			missing = append(missing, strings.ToUpper(op.Method)+" "+op.Path)
			continue
		}
		kept := map[string]any{}
		for _, key := range []string{"operationId", "parameters", "requestBody", "responses"} {
			if v, ok := operation[key]; ok {
				kept[key] = clean(v, key == "responses")
			}
		}
		// OpenAPI requires a description on every response; the prose goes, an empty one stays.
		responses, _ := kept["responses"].(map[string]any)
		for _, r := range responses {
			if r, ok := r.(map[string]any); ok {
				r["description"] = ""
			}
		}
		outItem, _ := outPaths[op.Path].(map[string]any)
		if outItem == nil {
			outItem = map[string]any{}
			outPaths[op.Path] = outItem
		}
		if params, ok := item["parameters"]; ok {
			outItem["parameters"] = clean(params, false)
		}
		outItem[op.Method] = kept
	}

	// The schemas the kept operations refer to, and those they refer to in turn.
	outSchemas := map[string]any{}
	queue := refs(outPaths, nil)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if _, done := outSchemas[name]; done {
			continue
		}
		s, ok := schemas[name]
		if !ok {
			return nil, nil, fmt.Errorf("%s: schema %q is referred to but not defined", service, name)
		}
		outSchemas[name] = clean(s, false)
		queue = refs(outSchemas[name], queue)
	}
	out := map[string]any{
		"openapi": doc["openapi"],
		"info":    map[string]any{"title": info["title"], "version": info["version"]},
		"paths":   outPaths,
	}
	if len(outSchemas) > 0 {
		out["components"] = map[string]any{"schemas": outSchemas}
	}
	return out, missing, nil
}

// nameMaps are the keys whose object's keys are names (of properties, status codes, media types, headers,
// schemas), never keywords: a property called "description" stays.
var nameMaps = map[string]bool{"properties": true, "responses": true, "content": true, "headers": true, "schemas": true}

// prose are the keywords that say nothing the validation or the provider uses.
var prose = map[string]bool{
	"description": true, "summary": true, "example": true, "examples": true, "title": true,
	"tags": true, "externalDocs": true, "security": true,
}

// clean drops prose and extensions from v; names says v's keys are names rather than keywords.
func clean(v any, names bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			if !names && (prose[k] || strings.HasPrefix(k, "x-")) {
				continue
			}
			out[k] = clean(child, !names && nameMaps[k])
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = clean(child, false)
		}
		return out
	default:
		return v
	}
}

const schemaRef = "#/components/schemas/"

// refs appends to queue the names of the schemas v refers to.
func refs(v any, queue []string) []string {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			queue = append(queue, strings.TrimPrefix(r, schemaRef))
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			queue = refs(v[k], queue)
		}
	case []any:
		for _, child := range v {
			queue = refs(child, queue)
		}
	}
	return queue
}

// encode writes a document with sorted keys and two-space indents, so that a regenerated copy diffs cleanly.
func encode(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
