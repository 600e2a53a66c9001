package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestOutput pins the quickstart's output. The figures it prints are
// checked by hand in rules_test.yaml (run by ../../scoring/ruletest); this
// test guards the program and the data against unnoticed change.
func TestOutput(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/output.golden", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/output.golden")
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("output changed:\n%s", b.String())
	}
	// Hand checks on the first lead (L-1001), from rules.yaml: fit 25 + 20 +
	// 10 + 15 + 10 + min(3×2, 6) + min(125, 10) = 96; grade A; it becomes an MQL.
	if !strings.Contains(b.String(), "L-1001  96.0") {
		t.Errorf("L-1001 fit is not 96.0")
	}
}
