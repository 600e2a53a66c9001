package scoring

import (
	"strings"
	"testing"
)

// Each finding of Lint on a file made to have it.
func TestLint(t *testing.T) {
	src := `version: "1"
fields: {size: int, country: string, paid: bool}
lists:
  emea: [DE, FR]
scores:
  fit:
    max: 100
    rules:
      - {id: big, when: size >= 1000, points: 40}
      - {id: mid, when: size >= 100 && size < 50, points: 10}
      - {id: nothing, when: paid, points: 0}
  engagement:
    min: 0
    max: 50
    rules:
      - {id: e, when: paid, points: 20, cap: 20}
grades:
  - {grade: A, when: scores.fit >= 30}
  - {grade: B, when: scores.fit >= 35}
  - {grade: C, when: scores.fit >= 10 && scores.fit < 20}
  - {grade: F}
stages:
  - id: lead
  - id: mql
    when: scores.engagement > 60
routing:
  stages: [lead]
  owners: [ana, ben]
  routes:
    - {id: germany, when: 'country == "DE"', owners: [ana], distribution: fixed}
    - {id: emea, when: country in lists.emea, owners: [ben], distribution: fixed}
    - {id: big-emea, when: 'country in lists.emea && size > 500', owners: [ben], distribution: fixed}
    - {id: rest, owners: [ana], distribution: fixed}
`
	rs := mustRules(t, src)
	var got []string
	for _, e := range rs.Lint() {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		// mid: size ≥ 100 and size < 50.
		`rule "mid": the condition can never hold (size cannot be both ≥ 100 and < 50)`,
		`rule "nothing": points: 0 — the rule never changes a score`,
		// fit's rules add at most 40 + 10 + 0 = 50 < max 100.
		`score "fit": max 100 can never be reached: the rules add at most 50`,
		// engagement adds at most 20 (its cap) < max 50.
		`score "engagement": max 50 can never be reached: the rules add at most 20`,
		// B (fit ≥ 35) implies A (fit ≥ 30), which comes first.
		`grade "B": can never match: every lead it matches matches grade "A" first`,
		// mql needs engagement > 60, beyond engagement's reachable 20.
		`stage "mql": the condition can never hold`,
		// big-emea implies emea.
		`route "big-emea": can never match: every lead it matches matches route "emea" first`,
		// emea overlaps germany (DE).
		`route "emea": overlaps route "germany": leads matching both go to "germany"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing finding %q in\n%s", want, all)
		}
	}
	// C (10 ≤ fit < 20) is reachable and not implied by A: no finding.
	if strings.Contains(all, `grade "C"`) || strings.Contains(all, `route "rest"`) || strings.Contains(all, `rule "big"`) {
		t.Errorf("false alarm in\n%s", all)
	}
	// The quickstart has no definite finding (its overlapping routes are
	// warnings).
	q, err := LoadFile("../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range q.Lint() {
		if e.Code == CodeLint {
			t.Errorf("quickstart: %v", e)
		}
	}
}
