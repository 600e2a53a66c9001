package scoring

import (
	"context"
	"errors"
	"testing"
)

// TestEvalErrorNamesItsOwner: a run-time failure (integer modulo by zero)
// is reported with the position of the failing expression and the rule,
// grade, stage, segment or role that holds it, wherever it sits in the
// evaluation order, and the state reused afterwards reports the next
// failure's owner, not a stale one.
func TestEvalErrorNamesItsOwner(t *testing.T) {
	const src = `version: "1"
fields:
  n: int
  z: int
  where: string
scores:
  fit:
    rules:
      - {id: ok, when: n > 0, points: 1}
      - {id: boom, when: 'where == "rule" && n % z == 1', points: 5}
grades:
  - {grade: A, when: 'where == "grade" && n % z == 1'}
  - {grade: F}
stages:
  - id: lead
  - id: mql
    when: 'where == "stage" && n % z == 1'
segments:
  - {id: seg, when: 'where == "segment" && n % z == 1'}
`
	rs, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// Lines and columns of each expression in src (the quote starts the
	// scalar: its column is where the expression's scalar node begins).
	tests := []struct {
		where     string
		id        string
		line, col int
	}{
		{"rule", "boom", 10, 26},
		{"grade", "grade A", 12, 22},
		{"stage", "stage mql", 17, 11},
		{"segment", "segment seg", 19, 21},
		{"rule", "boom", 10, 26}, // again, after the state was reused
	}
	for _, tt := range tests {
		_, err := rs.Score(context.Background(), map[string]any{"n": float64(3), "z": float64(0), "where": tt.where}, at)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrEval) {
			t.Fatalf("%s: got %v, want an evaluation error", tt.where, err)
		}
		if e.ID != tt.id || e.Line != tt.line || e.Column != tt.col {
			t.Errorf("%s: error at %d:%d naming %q, want %d:%d naming %q (%v)", tt.where, e.Line, e.Column, e.ID, tt.line, tt.col, tt.id, err)
		}
	}
}
