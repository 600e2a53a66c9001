package scoring

import (
	"errors"
	"strings"
	"testing"
)

// Issue: `stage == "SQL"`, `"enterprise-fintec" in segments` and
// `grade == "AA"` compiled and never fired. Literals compared with stages,
// grades, segments and rule ids must name declared values.
func TestCheckedLiterals(t *testing.T) {
	base := `version: "1"
fields: {size: int}
scores:
  fit:
    rules:
      - {id: big, when: size > 100, points: 10}
grades:
  - {grade: A, when: scores.fit >= 10}
  - {grade: B}
stages:
  - id: lead
  - id: mql
    when: %s
  - {id: sql, when: size > 5000}
segments:
  - {id: enterprise-fintech, when: size > 1000}
`
	tests := []struct {
		when, want string
	}{
		{`stage == "SQL"`, `stage "mql": unknown stage "SQL": the comparison never matches (did you mean sql?)`},
		{`"enterprise-fintec" in segments`, `unknown segment "enterprise-fintec": the test never matches (did you mean enterprise-fintech?)`},
		{`grade == "AA"`, `unknown grade "AA": the comparison never matches (did you mean A?)`},
		{`grade in ["A", "C"]`, `unknown grade "C": the comparison never matches (did you mean A?)`},
		{`"lead" != stage && stage not in ["mql", "slq"]`, `unknown stage "slq"`},
	}
	for _, tt := range tests {
		src := strings.Replace(base, "%s", "'"+tt.when+"'", 1)
		_, err := Parse("rules.yaml", []byte(src))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) || e.Line != 13 {
			t.Errorf("%s: err = %v; want line 13 containing %q", tt.when, err, tt.want)
		}
	}
	// Declared values compile, disqualified included.
	for _, ok := range []string{`stage == "sql" || stage == "disqualified"`, `"enterprise-fintech" in segments && grade in ["A", "B"]`} {
		if _, err := Parse("rules.yaml", []byte(strings.Replace(base, "%s", "'"+ok+"'", 1))); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
