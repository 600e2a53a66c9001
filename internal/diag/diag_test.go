package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "rules.yaml", Line: 14, Column: 9, Kind: "rule", ID: "enterprise", Msg: "unknown field compnay_size"},
			`rules.yaml:14:9: rule "enterprise": unknown field compnay_size`},
		{Error{File: "t.csv", Line: 3, Column: 2, ID: "timestamp", Msg: "not a time"}, `t.csv:3:2: timestamp: not a time`},
		{Error{File: "t.csv", Line: 3, Msg: "m"}, `t.csv:3: m`},
		{Error{File: "t.csv", Msg: "m"}, `t.csv: m`},
		{Error{Line: 2, Column: 5, Msg: "m"}, `2:5: m`},
		{Error{Kind: "header", Msg: "m"}, `header: m`},
		{Error{Err: ErrSyntax}, `syntax error`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestListErrorsAs(t *testing.T) {
	l := List{
		{File: "b", Line: 1, Msg: "second"},
		{File: "a", Line: 2, Msg: "first", Err: ErrSyntax},
	}
	l.Sort()
	var err error = fmt.Errorf("loading: %w", l.Err())
	var e *Error
	if !errors.As(err, &e) || e.Msg != "first" {
		t.Fatalf("errors.As into *Error: %v %v", e, err)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Error("errors.Is does not find the sentinel of an element")
	}
	var got List
	if !errors.As(err, &got) || len(got) != 2 {
		t.Error("errors.As into List")
	}
	if (List{}).Err() != nil {
		t.Error("empty list is not nil")
	}
}

func TestCaretWindow(t *testing.T) {
	e := &Error{Line: 1, Column: 4}
	e.SetSource("a = bad")
	if got, want := e.Caret(), "a = bad\n   ^"; got != want {
		t.Errorf("Caret = %q, want %q", got, want)
	}
	// A caret on a 1 MB line shows a short window around the column.
	long := strings.Repeat("x", 500000) + "BAD" + strings.Repeat("y", 500000)
	e = &Error{Line: 1, Column: 500001}
	e.SetSource(long)
	c := e.Caret()
	lines := strings.Split(c, "\n")
	if len(lines) != 2 || len([]rune(lines[0])) > 110 {
		t.Fatalf("caret window too large: %d runes", len([]rune(lines[0])))
	}
	if idx := strings.Index(lines[1], "^"); []rune(lines[0])[idx] != 'B' {
		t.Errorf("caret under %q, want B:\n%s", []rune(lines[0])[idx], c)
	}
}

func TestRecover(t *testing.T) {
	f := func() (err error) {
		defer Recover(&err, "test")
		var m map[string]int
		m["x"] = 1
		return nil
	}
	if err := f(); !errors.Is(err, ErrInternal) {
		t.Fatalf("err = %v, want ErrInternal", err)
	}
}
