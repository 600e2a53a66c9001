package scoring

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestLoadErrorsGolden loads each broken rules file in testdata/errors and
// compares every reported problem, with its position and caret line, to
// the .golden file beside it (go test -update rewrites them; review the diff).
func TestLoadErrorsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, err := LoadFile(path)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("LoadFile = %v, want Errors", err)
			}
			var b strings.Builder
			for _, e := range errs {
				b.WriteString(e.Error())
				b.WriteString("  [" + string(e.Code) + "]\n")
				if c := e.Caret(); c != "" {
					b.WriteString(c + "\n")
				}
			}
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("errors differ from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

func TestErrorsSortedAndErr(t *testing.T) {
	var none Errors
	if none.Err() != nil {
		t.Error("empty Errors.Err() != nil")
	}
	_, err := LoadFile("testdata/errors/typo.yaml")
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatal(err)
	}
	for i := 1; i < len(errs); i++ {
		if errs[i].Line < errs[i-1].Line {
			t.Errorf("errors not sorted by line: %v then %v", errs[i-1], errs[i])
		}
	}
}

func TestLimits(t *testing.T) {
	big := "version: \"1\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n"
	for i := 0; i < 5; i++ {
		big += "      - {id: r" + string(rune('a'+i)) + ", when: n > 1, points: 1}\n"
	}
	if _, err := Parse("big.yaml", []byte(big), MaxRules(4)); err == nil || !strings.Contains(err.Error(), "more than 4 rules") {
		t.Errorf("MaxRules: err = %v", err)
	}
	if _, err := Parse("big.yaml", []byte(big), MaxSourceBytes(50)); err == nil || !strings.Contains(err.Error(), "larger than 50 bytes") {
		t.Errorf("MaxSourceBytes: err = %v", err)
	}
	deep := "version: \"1\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: r, when: '" + strings.Repeat("n > 1 && ", 100) + "true', points: 1}\n"
	_, err := Parse("deep.yaml", []byte(deep), MaxNodes(50))
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Code != CodeLimit {
		t.Errorf("MaxNodes: err = %v", err)
	}
	lists := "version: \"1\"\nlists:\n  a: [x, y, z]\n"
	if _, err := Parse("lists.yaml", []byte(lists), MaxListItems(2)); err == nil || !strings.Contains(err.Error(), "more than 2 list items") {
		t.Errorf("MaxListItems: err = %v", err)
	}
}

// A panic inside Score is a bug in revengine: it comes back as ErrInternal,
// never as bad lead data, and the RuleSet stays usable.
func TestScorePanicIsInternal(t *testing.T) {
	rs := mustRules(t, testRules)
	boom := EvalOption(func(*evalConfig) { panic("boom") })
	_, err := rs.Score(context.Background(), map[string]any{"email": "e"}, at, boom)
	if !errors.Is(err, ErrInternal) || errors.Is(err, ErrLead) {
		t.Fatalf("err = %v, want ErrInternal and not ErrLead", err)
	}
	if _, err := rs.Score(context.Background(), map[string]any{"email": "e"}, at); err != nil {
		t.Fatalf("after a panic: %v", err)
	}
}

// errors.As reaches into the list a load returns, both as the list and as
// its first element, and the element's ID is the rule id, not display text.
func TestLoadErrorsAs(t *testing.T) {
	_, err := Parse("r.yaml", []byte("version: \"1\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: r1, when: m > 1, points: 1}\n"))
	var list Errors
	var e *Error
	if !errors.As(err, &list) || !errors.As(err, &e) {
		t.Fatalf("errors.As failed on %v", err)
	}
	if e.ID != "r1" || e.Kind != "rule" || e.Line != 6 || e.Code != CodeUnknownName {
		t.Errorf("error = %+v", e)
	}
}

// Rules files read like every input of the module: a byte order mark is
// dropped, and an error on a very long line carries a short window of the
// line for its caret, not the whole line.
func TestRulesFileBOMAndLongLine(t *testing.T) {
	src := "\xEF\xBB\xBFversion: \"1\"\r\nfields: {n: int}\r\nscores:\r\n  s:\r\n    rules:\r\n      - {id: r1, when: n > 1, points: 1}\r\n"
	rs, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatalf("BOM and CRLF: %v", err)
	}
	if got := rs.Version(); got != "1" {
		t.Errorf("version %q", got)
	}
	pad := strings.Repeat(" ", 500000)
	long := "version: \"1\"\nfields: {n: int}\nscores:\n  s:\n    rules:\n      - {id: r1," + pad + "colour: red, when: n > 1, points: 1}\n"
	_, err = Parse("r.yaml", []byte(long))
	var e *Error
	if !errors.As(err, &e) || e.Line != 6 || e.Code != CodeUnknownKey {
		t.Fatalf("err = %v", err)
	}
	// "      - {id: r1," is 16 characters, then the padding: colour starts at 16+500000+1.
	if e.Column != 500017 {
		t.Errorf("column %d, want 500017", e.Column)
	}
	caret := e.Caret()
	if len(caret) > 400 || !strings.Contains(caret, "colour") || !strings.HasSuffix(caret, "^") {
		t.Errorf("caret of %d bytes:\n%s", len(caret), caret)
	}
}
