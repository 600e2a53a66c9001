package yamlx

import (
	"errors"
	"testing"
	"time"

	"github.com/revengine/revengine/internal/diag"
)

func TestWalker(t *testing.T) {
	src := []byte("name: x\nhalf_life: 2w\ncount: 3\nflag: maybe\nextra: 1\nlist: {a: 1}\nrate: .inf\n")
	w := New("f.yaml", src)
	root := w.Parse(src, "file")
	if root == nil {
		t.Fatal(w.Errs)
	}
	s := diag.Subject{Kind: "rule", ID: "r1"}
	got := map[string]bool{}
	for _, p := range w.Mapping(root, "file", s, "name", "half_life", "count", "flag", "list", "rate") {
		switch p.Key.Value {
		case "half_life":
			if d, ok := w.Duration(p.Val, "half_life", s); !ok || d != 14*24*time.Hour {
				t.Errorf("half_life = %v", d)
			}
		case "count":
			if n, ok := w.Int(p.Val, "count", s); !ok || n != 3 {
				t.Errorf("count = %v", n)
			}
		case "flag":
			w.Bool(p.Val, "flag", s)
		case "list":
			w.Sequence(p.Val, "list", s)
		case "rate":
			w.Number(p.Val, "rate", s)
		}
		got[p.Key.Value] = true
	}
	want := []string{
		`f.yaml:4:7: rule "r1": flag must be true or false, got "maybe"`,
		`f.yaml:5:1: rule "r1": file: unknown key "extra" (known: name, half_life, count, flag, list, rate)`,
		`f.yaml:6:7: rule "r1": list must be a list, got a mapping`,
		`f.yaml:7:7: rule "r1": rate must be a finite number, got ".inf"`,
	}
	w.Errs.Sort()
	if len(w.Errs) != len(want) {
		t.Fatalf("errors:\n%v", w.Errs)
	}
	for i, e := range w.Errs {
		if e.Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, e.Error(), want[i])
		}
		if e.ID != "r1" || e.Kind != "rule" {
			t.Errorf("error %d subject %q %q", i, e.Kind, e.ID)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"", "f.yaml:1:1: empty file"},
		{"a: [1\n", "f.yaml:1: did not find expected ',' or ']'"},        // yaml.v3 reports the line of the open [
		{"a: 1\n---\nb: 2\n", "f.yaml:2:1: more than one YAML document"}, // the second document starts at its ---
	}
	for _, tt := range tests {
		w := New("f.yaml", []byte(tt.src))
		if w.Parse([]byte(tt.src), "file") != nil {
			t.Errorf("%q parsed", tt.src)
			continue
		}
		if len(w.Errs) != 1 || w.Errs[0].Error() != tt.want {
			t.Errorf("%q: %v, want %q", tt.src, w.Errs, tt.want)
		}
	}
	w := New("f.yaml", []byte("a: [1\n"))
	w.Parse([]byte("a: [1\n"), "file")
	if !errors.Is(w.Errs.Err(), diag.ErrSyntax) {
		t.Error("syntax error does not match ErrSyntax")
	}
}
