package ruletest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Coverage counted by hand on a small file: 2 rules, 2 grades, 2 stages,
// 1 disqualify rule, 1 segment = 8 items.
func TestCoverageCounts(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "rules.yaml"), []byte(`version: "1"
fields: {size: int, rival: bool}
scores:
  fit:
    rules:
      - {id: big, when: size > 100, points: 60}
      - {id: huge, when: size > 10000, points: 10}
grades:
  - {grade: A, when: scores.fit >= 50}
  - {grade: B}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 50
disqualify:
  - {id: rival, when: rival}
segments:
  - {id: mid, when: size > 50 && size < 5000}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "rules_test.yaml"), []byte(`rules: rules.yaml
at: 2026-11-23T09:00:00Z
tests:
  - name: big lead
    lead: {size: 500}
    expect: {grade: A, stage: mql}
  - name: small lead
    lead: {size: 10}
    expect: {grade: B, stage: lead}
`), 0o644)
	s, err := LoadFile(filepath.Join(dir, "rules_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	covs := s.Run(context.Background()).Coverage()
	if len(covs) != 1 {
		t.Fatalf("%d coverage entries", len(covs))
	}
	c := covs[0]
	// Case 1 (size 500): big fires (huge not), grade A, stage mql, segment
	// mid. Case 2 (size 10): nothing fires, grade B, stage lead. Hit: big,
	// A, B, lead, mql, mid = 6 of 8; never hit: huge, rival.
	want := map[string][2]int{"rule/big": {1, 1}, "rule/huge": {0, 2}, "grade/A": {1, 1}, "grade/B": {1, 1},
		"stage/lead": {1, 1}, "stage/mql": {1, 1}, "disqualify/rival": {0, 2}, "segment/mid": {1, 1}}
	if c.Covered != 6 || c.Total != 8 || c.Percent != 75 {
		t.Errorf("covered %d of %d (%v%%), want 6 of 8 (75%%)", c.Covered, c.Total, c.Percent)
	}
	for _, it := range c.Items {
		w, ok := want[it.Kind+"/"+it.ID]
		if !ok || it.Hit != w[0] || it.NotHit != w[1] {
			t.Errorf("%s %s: hit %d, not hit %d; want %v", it.Kind, it.ID, it.Hit, it.NotHit, w)
		}
	}
	var b bytes.Buffer
	_ = c.WriteText(&b)
	if !strings.Contains(b.String(), `never hit:  `+filepath.Join(dir, "rules.yaml")+`:7: rule "huge"`) || !strings.Contains(b.String(), "6 of 8 items hit (75.0%)") {
		t.Errorf("text:\n%s", b.String())
	}
}
