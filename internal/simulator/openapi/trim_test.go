package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

const fullDocument = `{
  "openapi": "3.0.1",
  "info": {"title": "T", "description": "prose", "version": "1.0"},
  "servers": [{"url": "https://eu.device-management.eset.systems/"}],
  "paths": {
    "/v1/devices": {"get": {
      "tags": ["Devices"], "summary": "List", "description": "prose", "operationId": "Devices_ListDevices",
      "parameters": [{"name": "pageToken", "in": "query", "description": "prose", "schema": {"type": "string", "maxLength": 128}}],
      "responses": {"200": {"description": "Successful response.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/v1ListDevicesResponse"}}}}},
      "security": [{"Bearer": []}], "x-original-swagger-version": "2.0"
    }},
    "/v1/devices:batchImport": {"post": {"operationId": "Devices_ImportDeviceBatch", "responses": {}}}
  },
  "components": {"schemas": {
    "v1ListDevicesResponse": {"type": "object", "properties": {"devices": {"type": "array", "items": {"$ref": "#/components/schemas/v1Device"}}}},
    "v1Device": {"type": "object", "title": "prose", "properties": {
      "description": {"type": "string", "description": "prose", "example": "x"},
      "tags": {"type": "array", "items": {"type": "string"}}
    }},
    "v1Unused": {"type": "object"}
  }}
}`

func TestTrimKeepsOperationsParametersSchemasAndLimitsOnly(t *testing.T) {
	saved := Operations
	t.Cleanup(func() { Operations = saved })
	Operations = []Operation{{"device-management", "get", "/v1/devices"}}
	out, err := Trim([]byte(fullDocument), "device-management")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	want := `{"components":{"schemas":{"v1Device":{"properties":{"description":{"type":"string"},"tags":{"items":{"type":"string"},"type":"array"}},"type":"object"},` +
		`"v1ListDevicesResponse":{"properties":{"devices":{"items":{"$ref":"#/components/schemas/v1Device"},"type":"array"}},"type":"object"}}},` +
		`"info":{"title":"T","version":"1.0"},"openapi":"3.0.1","paths":{"/v1/devices":{"get":{"operationId":"Devices_ListDevices",` +
		`"parameters":[{"in":"query","name":"pageToken","schema":{"maxLength":128,"type":"string"}}],` +
		`"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/v1ListDevicesResponse"}}},"description":""}}}}}}`
	got, _ := json.Marshal(doc)
	if string(got) != want {
		t.Errorf("trimmed:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrimNamesTheOperationsADocumentLacks(t *testing.T) {
	_, err := Trim([]byte(fullDocument), "device-management")
	if err == nil || !strings.Contains(err.Error(), "GET /v1/device_groups") {
		t.Errorf("err = %v, want one naming GET /v1/device_groups", err)
	}
}
