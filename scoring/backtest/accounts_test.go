package backtest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/scoring"
)

// A stricter account stage moves initech, and only it.
func TestRunAccounts(t *testing.T) {
	src, err := os.ReadFile("../../examples/abm/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	oldRules, err := scoring.Parse("abm.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	// engaged now needs engagement_total ≥ 80: initech (70) falls back to
	// target; northwind (qualified) and globex (target) do not move.
	newRules, err := scoring.Parse("abm-next.yaml", []byte(strings.Replace(string(src), "when: engagement_total >= 50", "when: engagement_total >= 80", 1)))
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile("../../examples/abm/accounts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	rep, err := RunAccounts(context.Background(), oldRules, newRules, strings.NewReader(string(in)), "accounts.jsonl", at)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts.Read != 3 || rep.Counts.Compared != 3 || rep.Stages.Changed != 1 {
		t.Fatalf("counts %+v, stage changes %d", rep.Counts, rep.Stages.Changed)
	}
	if got := rep.Stages.Count("engaged", "target"); got != 1 {
		t.Fatalf("engaged → target: %d (matrix %+v)", got, rep.Stages)
	}
}
