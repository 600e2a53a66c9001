package jsonlines

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/internal/diag"
)

type item struct {
	Line int
	Data string
	Err  string
}

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int
		want    []item
		wantErr string
	}{
		{"lines", "{\"a\":1}\n\n{\"a\":2}\n", 100, []item{{1, `{"a":1}`, ""}, {3, `{"a":2}`, ""}}, ""},
		{"lines crlf bom", "\xEF\xBB\xBF{\"a\":1}\r\n{\"a\":2}\r\n", 100, []item{{1, `{"a":1}`, ""}, {2, `{"a":2}`, ""}}, ""},
		{"leading blank lines", "\n\n{}\n", 100, []item{{3, `{}`, ""}}, ""},
		{"line too long", "{}\n{\"aaaaaaaaaa\":1}\n{}\n", 8, []item{{1, `{}`, ""}, {2, "", "in.jsonl:2: line longer than 8 bytes"}, {3, `{}`, ""}}, ""},
		{"array", "[\n {\"a\":1},\n {\"a\":2}\n]\n", 100, []item{{2, `{"a":1}`, ""}, {3, `{"a":2}`, ""}}, ""},
		{"array bom", "\xEF\xBB\xBF[{}]", 100, []item{{1, `{}`, ""}}, ""},
		{"empty array", "[]", 100, nil, ""},
		{"array trailing data", "[{}]\n{}\n", 100, []item{{1, `{}`, ""}}, "in.jsonl:2:1: data after the closing ] of the array"},
		{"array missing comma", "[{}\n {}]", 100, []item{{1, `{}`, ""}}, "in.jsonl:2:2: invalid JSON array: expected comma after array element"},
		{"array unterminated", "[{}", 100, []item{{1, `{}`, ""}}, "in.jsonl:1:4: invalid JSON array: unexpected end of input"},
		{"array element too long", `[{"aaaaaaaaaaa":1},{}]`, 8, []item{{1, "", "in.jsonl:1: array element longer than 8 bytes"}, {1, `{}`, ""}}, ""},
		{"empty", "", 100, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []item
			err := Read(context.Background(), strings.NewReader(tt.in), "in.jsonl", tt.max, func(it Item) error {
				g := item{Line: it.Line, Data: string(it.Data)}
				if it.Err != nil {
					g.Err = it.Err.Error()
					if !errors.Is(it.Err, diag.ErrLineTooLong) {
						t.Errorf("item error %v does not match ErrLineTooLong", it.Err)
					}
				}
				got = append(got, g)
				return nil
			})
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("items (-want +got)\n%s", d)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
				var de *diag.Error
				if !errors.As(err, &de) {
					t.Errorf("error %v is not a *diag.Error", err)
				}
			}
			if gotErr != tt.wantErr {
				t.Errorf("err = %q, want %q", gotErr, tt.wantErr)
			}
		})
	}
}

// A lines input whose line has no end within 64 × the bound stops the read
// with an error instead of reading forever.
func TestReadEndlessLine(t *testing.T) {
	in := "{}\n" + strings.Repeat("x", 200<<10)
	var n int
	err := Read(context.Background(), strings.NewReader(in), "in", 16, func(it Item) error { n++; return nil })
	if !errors.Is(err, diag.ErrLineTooLong) || n != 1 {
		t.Fatalf("err %v after %d items", err, n)
	}
}

// Only the first byte order mark is a mark: a second one is data (found by
// FuzzReadLeads).
func TestReadOneBOM(t *testing.T) {
	var got []string
	err := Read(context.Background(), strings.NewReader("\xEF\xBB\xBF\xEF\xBB\xBF{}\n"), "in", 100, func(it Item) error {
		got = append(got, string(it.Data))
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != "\xEF\xBB\xBF{}" {
		t.Errorf("got %q, %v; want the second mark kept as data", got, err)
	}
}
