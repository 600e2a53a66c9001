package csvio

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/internal/diag"
)

type rec struct {
	Line   int
	Fields []string
	Err    string
}

func readAll(t *testing.T, in string, opt Options) []rec {
	t.Helper()
	r := NewReader(context.Background(), strings.NewReader(in), "in.csv", opt)
	var out []rec
	for i := 0; i < 1000; i++ {
		rc, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *diag.Error", err)
			}
			out = append(out, rec{Line: de.Line, Err: err.Error()})
			if r.Stopped() {
				return out
			}
			continue
		}
		var fs []string
		for _, f := range rc.Fields {
			fs = append(fs, string(f))
		}
		out = append(out, rec{Line: rc.Line, Fields: fs})
	}
	t.Fatal("reader did not end")
	return nil
}

// Quoting follows RFC 4180 §2: fields may be enclosed in double quotes,
// which then may contain commas, line breaks and doubled quotes.
func TestRead(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want []rec
	}{
		{"plain", "a,b\n1,2\n", Options{}, []rec{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"crlf and bom", "\xEF\xBB\xBFa,b\r\n1,2\r\n", Options{}, []rec{{1, []string{"a", "b"}, ""}, {2, []string{"1", "2"}, ""}}},
		{"blank lines skipped", "a\n\n  \n,\nb\n", Options{}, []rec{{1, []string{"a"}, ""}, {5, []string{"b"}, ""}}},
		{"empty fields", "a,,\n", Options{}, []rec{{1, []string{"a", "", ""}, ""}}},
		{"quoted comma", `"a,b",c` + "\n", Options{}, []rec{{1, []string{"a,b", "c"}, ""}}},
		{"doubled quote", `"say ""hi""",x` + "\n", Options{}, []rec{{1, []string{`say "hi"`, "x"}, ""}}},
		{"multi-line field", "id,note\n1,\"two\nlines\"\n2,x\n", Options{}, []rec{
			{1, []string{"id", "note"}, ""}, {2, []string{"1", "two\nlines"}, ""}, {4, []string{"2", "x"}, ""}}},
		{"comment", "# c\na\n", Options{Comment: '#'}, []rec{{2, []string{"a"}, ""}}},
		{"bare quote", "a,b\"c\nok\n", Options{}, []rec{{1, nil, `in.csv:1:2: bare quote in unquoted field 2 (quote the whole field and double the quote)`}, {2, []string{"ok"}, ""}}},
		{"text after quote", "\"a\"b\nok\n", Options{}, []rec{{1, nil, `in.csv:1:1: unexpected text after the closing quote of field 1`}, {2, []string{"ok"}, ""}}},
		{"unclosed quote", "a,\"b\n", Options{}, []rec{{1, nil, `in.csv:1:2: quoted field not closed before the end of the input`}}},
		{"runaway quote bounded", "\"" + strings.Repeat("x\n", 20) + "end\n", Options{MaxRecord: 16}, []rec{
			{1, nil, `in.csv:1:1: record longer than 16 bytes (a quoted field not closed?)`},
			{10, []string{"x"}, ""}, {11, []string{"x"}, ""}, {12, []string{"x"}, ""}, {13, []string{"x"}, ""}, {14, []string{"x"}, ""},
			{15, []string{"x"}, ""}, {16, []string{"x"}, ""}, {17, []string{"x"}, ""}, {18, []string{"x"}, ""}, {19, []string{"x"}, ""},
			{20, []string{"x"}, ""}, {21, []string{"end"}, ""}}},
		{"line too long", "abcdefghij\nok\n", Options{MaxRecord: 4}, []rec{{1, nil, "in.csv:1: line longer than 4 bytes"}, {2, []string{"ok"}, ""}}},
		{"too many fields", "a,b,c,d\nok\n", Options{MaxFields: 3}, []rec{{1, nil, "in.csv:1:4: more than 3 fields"}, {2, []string{"ok"}, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, readAll(t, tt.in, tt.opt)); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestMapHeader(t *testing.T) {
	cols := []Column{{"id", true}, {"date", true}, {"note", false}}
	tests := []struct {
		name    string
		header  string
		opt     HeaderOptions
		index   []int
		wantErr string
	}{
		{"in order", "id,date,note", HeaderOptions{}, []int{0, 1, 2}, ""},
		{"any order, optional absent", "date, id", HeaderOptions{}, []int{1, 0, -1}, ""},
		{"fold case", "ID,Date", HeaderOptions{FoldCase: true}, []int{0, 1, -1}, ""},
		{"unknown column", "id,date,extra", HeaderOptions{}, nil, `in.csv:1:3: extra: unknown column (known: id, date, note)`},
		{"unknown allowed", "id,extra,date", HeaderOptions{AllowUnknown: true}, []int{0, 2, -1}, ""},
		{"duplicate and missing", "id,id", HeaderOptions{}, nil, "in.csv:1:2: id: duplicate column (also field 1)\nin.csv:1: date: missing column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(context.Background(), strings.NewReader(tt.header+"\n"), "in.csv", Options{})
			rc, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			h, err := r.MapHeader(rc, cols, tt.opt)
			if tt.wantErr != "" {
				var l diag.List
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &l) || !errors.Is(err, diag.ErrSyntax) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.index, h.Index); d != "" {
				t.Errorf("index (-want +got)\n%s", d)
			}
		})
	}
}

func TestCheckWidth(t *testing.T) {
	r := NewReader(context.Background(), strings.NewReader("a,b\n1,2,3\n"), "in.csv", Options{})
	hr, _ := r.Read()
	h, err := r.MapHeader(hr, []Column{{"a", true}, {"b", true}}, HeaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := r.Read()
	if err := r.CheckWidth(rc, h); err == nil || err.Error() != "in.csv:2:3: 3 fields, the header has 2" {
		t.Errorf("CheckWidth = %v", err)
	}
}

func BenchmarkRead(b *testing.B) {
	line := "acct-00001,2026-01-02T03:04:05Z,paid_search,1,0,0,0,,spring\n"
	in := strings.Repeat(line, 10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(context.Background(), strings.NewReader(in), "b", Options{})
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}
