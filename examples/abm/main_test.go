package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/revengine/revengine/scoring/ruletest"
)

// The account cases of rules_test.yaml, worked out by hand.
func TestRules(t *testing.T) { ruletest.Run(t, "rules_test.yaml") }

// The example prints every account with its group and roll-ups; the
// figures are those of the rule tests.
func TestOutput(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"northwind: icp 100, stage qualified, owner ana",
		"buying group core: 50% complete (missing: champion), weighted engagement 190",
		"3 accounts read, 3 scored, 0 rejected",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
