package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSample runs the example on its shipped files and checks figures
// worked by hand from data/ (derivations in engine's sample tests):
// 2026-Q1 lead→MQL 5/6 = 83.3%; MQL SLA met 2 of 4 judged = 50.0%;
// paid_search credited 7,000 on 3,000 → ROI 133.3%; CAC (5,000 + 9,000) / 3
// = 4,666.67; NRR 1,400 / 1,800 = 77.8%.
func TestSample(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, dataDir(), "quarter", "USD"); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"  mql                5      83.3%",
		"  mql                      5        27.0      168.0  2    2         1        50.0%",
		"  paid_search     USD 3000.00  0.83         USD 7000.00  133.3%",
		"CAC USD 4666.67",
		"NRR 77.8%",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

// TestOwnFiles: the example reads any folder, and reports bad rows with
// their positions instead of a view.
func TestOwnFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "spend.csv"), []byte("period,channel,category,amount\n2026-01,ads,marketing,abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), new(bytes.Buffer), dir, "month", "USD")
	if err == nil || !strings.Contains(err.Error(), "spend.csv:2:4: amount: \"abc\" is not an integer number of minor units") {
		t.Errorf("err = %v", err)
	}
}
