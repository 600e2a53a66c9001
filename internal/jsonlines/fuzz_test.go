package jsonlines

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzRead checks that every value yielded is valid JSON within the bound
// or carries an error, and that no input panics or runs on.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"{}\n{}\n", "[{},{}]", "[{}]x", "\xEF\xBB\xBF[1,2]", "[", "{\"a\":\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n := 0
		_ = Read(context.Background(), strings.NewReader(in), "f", 64, func(it Item) error {
			n++
			if n > len(in)+1 {
				t.Fatal("more items than bytes")
			}
			if it.Err == nil && len(it.Data) > 64 {
				t.Fatalf("item of %d bytes over the bound", len(it.Data))
			}
			if it.Err == nil && strings.HasPrefix(strings.TrimLeft(in, " \t\r\n\xEF\xBB\xBF"), "[") && !json.Valid(it.Data) {
				t.Fatalf("array element %q is not valid JSON", it.Data)
			}
			return nil
		})
	})
}
