package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestKeptHoldsEveryOperation(t *testing.T) {
	for _, op := range Operations {
		kept, err := Kept(op.Service)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Paths map[string]map[string]json.RawMessage
		}
		if err := json.Unmarshal(kept, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Paths[op.Path][op.Method] == nil {
			t.Errorf("%s %s is not in the kept %s document", op.Method, op.Path, op.Service)
		}
	}
}

// The kept copy is already trimmed: trimming it again changes nothing, and no prose is left.
func TestTrimIsStableOnTheKeptCopy(t *testing.T) {
	for _, service := range Services {
		kept, _ := Kept(service)
		again, err := Trim(kept, service)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(kept) {
			t.Errorf("%s: trimming the kept copy changes it: regenerate it with scripts/contract-trim.sh", service)
		}
		for _, word := range []string{`"summary"`, `"example"`, `"externalDocs"`, `"x-original-swagger-version"`, `"security"`} {
			if strings.Contains(string(kept), word) {
				t.Errorf("%s: the kept copy still holds %s", service, word)
			}
		}
	}
}
