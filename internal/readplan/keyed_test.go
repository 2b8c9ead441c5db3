package readplan_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/readplan"
)

// A server that answers empty pages with new tokens forever ends the read at its first empty page.
func TestReadEmptyPagesWithTokens(t *testing.T) {
	e := newEnv(t, world(10))
	e.hostile = func(call int) string { return fmt.Sprintf(`{"incidents":[],"nextPageToken":"t%d"}`, call) }
	_, err := readplan.Read(context.Background(), e.client, readplan.Request{}, func([]esetapi.Incident) error { return nil })
	var paging *esetapi.PagingError
	if !errors.As(err, &paging) || len(e.filters) > 1 {
		t.Errorf("after %d calls: %v", len(e.filters), err)
	}
}
