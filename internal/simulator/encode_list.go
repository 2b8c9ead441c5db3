package simulator

import (
	"bytes"
	"strconv"
)

// listBody writes a list answer: {"<field>": [items], "nextPageToken", "totalSize"}, leaving out an empty
// token and a zero total (lists without one pass 0).
func (s *Server) listBody(field string, n int, item func(*bytes.Buffer, int), next string, total int) []byte {
	var buf bytes.Buffer
	buf.Grow(n * 600)
	buf.WriteString(`{"` + field + `":[`)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		item(&buf, i)
	}
	buf.WriteString("]")
	if next != "" {
		buf.WriteString(`,"nextPageToken":`)
		buf.WriteString(strconv.Quote(next))
	}
	if total > 0 {
		// totalSize is an int64, written as ESET's examples write it: a string.
		buf.WriteString(`,"totalSize":`)
		buf.WriteString(strconv.Quote(strconv.Itoa(total)))
	}
	buf.WriteString("}")
	return buf.Bytes()
}
