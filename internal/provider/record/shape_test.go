package record

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

type sample struct {
	name  string
	count int64
	tags  []string
	flag  bool
}

// The schema attributes and the type that follow from one table agree, nested objects included.
func TestSchemaAttributesHaveTheShapesType(t *testing.T) {
	shape := New(
		Str("name", "Name.", func(s *sample) string { return s.name }),
		Bool("flag", "Flag.", func(s *sample) bool { return s.flag }),
		NullableBool("maybe", "Maybe.", func(*sample) *bool { return nil }),
		NullableInt("score", "Score.", func(*sample) *int64 { return nil }),
		Obj("inner", "Inner.",
			Int("count", "Count.", func(s *sample) int64 { return s.count }),
			Strings("tags", "Tags.", func(s *sample) []string { return s.tags }),
		),
	)
	got := schema.Schema{Attributes: shape.SchemaAttributes()}.Type()
	if !got.Equal(shape.Type()) {
		t.Fatalf("schema type %s, shape type %s", got, shape.Type())
	}
	if d := shape.SchemaAttributes()["inner"].GetMarkdownDescription(); d != "Inner." {
		t.Errorf("inner's description is %q", d)
	}
}
