package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestQuarter runs the walkthrough twice: the same bytes both times (fixed
// seed, fixed dates, no clock), and every part of the loop present: the
// quickstart's stages with its disqualify rule at work, the SLA of the MQL
// handoff judged, attribution by the W-shaped model with ROI per channel,
// and recurring revenue.
func TestQuarter(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("two runs differ")
	}
	for _, want := range []string{"== 2026-Q1 ==", "  lead               60", "exit disqualified", "mql · owner", "channel (w_shaped)", "NRR", "LTV"} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, a.String())
		}
	}
	if strings.Contains(a.String(), "2026-Q2") {
		t.Error("the walkthrough is one quarter, but the view has 2026-Q2")
	}
}
