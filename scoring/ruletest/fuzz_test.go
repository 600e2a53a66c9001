package ruletest

import (
	"errors"
	"testing"
)

// FuzzParse: no test file crashes Parse; it returns a suite or a list of
// positioned errors, never both, and never a panic as ErrInternal.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"rules: rules.yaml\nat: 2026-01-01T00:00:00Z\ntests:\n  - name: x\n    lead: {n: 1}\n    expect: {scores: {fit: 1}}\n",
		"rules: [rules.yaml]\ntests:\n  - expect: {scores: {fit: {min: 1, max: 0}}}\n",
		"tests: 5\n", "- a\n- b\n", "\xEF\xBB\xBFrules: x.yaml\n", ": :\n", "rules: rules.yaml\ntests:\n  - {name: a, at: yesterday}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("testdata/fuzz.yaml", src)
		if (s == nil) == (err == nil) {
			t.Fatalf("suite %v and error %v", s, err)
		}
		if errors.Is(err, ErrInternal) {
			t.Fatalf("internal error: %v", err)
		}
		var l Errors
		if err != nil && !errors.As(err, &l) {
			t.Fatalf("error %T is not a list: %v", err, err)
		}
	})
}
