package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExplainGolden pins Explain's text for the leads of
// testdata/explain/leads.json (go test -update rewrites the golden files;
// review the diff). The golden files are not trusted on their own: every
// figure in them is checked below against the arithmetic of
// testdata/explain/rules.yaml, at = 2026-11-23T12:00:00Z.
func TestExplainGolden(t *testing.T) {
	dir := filepath.Join("testdata", "explain")
	rs, err := LoadFile(filepath.Join(dir, "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "leads.json"))
	if err != nil {
		t.Fatal(err)
	}
	var leads []map[string]any
	if err := json.Unmarshal(data, &leads); err != nil {
		t.Fatal(err)
	}
	// Hand checks, line by line (the fixed parts of the format are the
	// same for every lead):
	checks := map[string][]string{
		// fit: big-company 40 + tagged min(2×10, cap 15) = 15 + free-mail −5
		// + has-domain 10 = 60, clamped to max 50. engagement: pricing, two
		// matching page views aged 0 and 7d with half_life 7d: 8 + 8×2^−1 =
		// 12 (the /blog view does not match). Grade A (fit ≥ 40); no stage
		// given, so it starts in lead and moves to mql (50 ≥ 40, 12 ≥ 5);
		// the SLA starts now: due at + 24h. Routed on entering mql by
		// big-accounts (segment enterprise: 2000 ≥ 1000) to its one owner.
		"new-mql": {
			"why new-mql is mql (grade A, segments: enterprise):\n",
			"  fit 50.0 (sum 60.0, clamped)\n",
			"    big-company         +40.0  company_size=2000\n",
			"    tagged              +15.0  (capped)  tags=[\"x\",\"y\"]\n",
			"    free-mail            -5.0  domain=\"gmail.com\"\n",
			"    has-domain          +10.0  domain=\"gmail.com\"\n",
			"  engagement 12.0\n",
			"    pricing             +12.0  (2 events, decayed)\n",
			"  stage mql (a new lead, entered now), set by mql: scores.fit=50 scores.engagement=12\n",
			"  SLA 24h: entered 2026-11-23T12:00:00Z, due 2026-11-24T12:00:00Z, not breached\n",
			"  routed by big-accounts to owner ana (fixed: first available owner)\n",
			"  rules explain version explain-1 (sha256:",
			", evaluated at 2026-11-23T12:00:00Z\n",
		},
		// fit: has-domain 10 only (size 10 < 1000, no tags, not free mail);
		// no event: engagement 0, no rule fired. Grade B. competitor fires
		// (domain == "rival.io"): mql → disqualified. No SLA, no route.
		"competitor": {
			"why competitor is disqualified (grade B, segments: none):\n",
			"  fit 10.0\n",
			"    has-domain          +10.0  domain=\"rival.io\"\n",
			"  engagement 0.0\n    no rule fired\n",
			"  stage mql → disqualified, set by competitor: domain=\"rival.io\"\n",
		},
		// fit: big-company 40 (no domain, no tags). engagement: one pricing
		// view aged 0: 8 × 2^0 = 8. mql's condition holds and the lead is
		// already in mql: unchanged. SLA: entered 2026-11-22T06:00, due
		// +24h = 2026-11-23T06:00, before at 12:00: breached. Not routed:
		// routes run only when the lead enters mql.
		"late-mql": {
			"why late-mql is mql (grade A, segments: enterprise):\n",
			"  fit 40.0\n",
			"    big-company         +40.0  company_size=1500\n",
			"    pricing              +8.0  (1 event, decayed)\n",
			"  stage mql (unchanged)\n",
			"  SLA 24h: entered 2026-11-22T06:00:00Z, due 2026-11-23T06:00:00Z, BREACHED\n",
		},
	}
	for _, lead := range leads {
		id := lead["id"].(string)
		t.Run(id, func(t *testing.T) {
			res, err := rs.Score(context.Background(), lead, at)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Explain()
			for _, want := range checks[id] {
				if !strings.Contains(got, want) {
					t.Errorf("missing %q in\n%s", want, got)
				}
			}
			if id == "late-mql" && strings.Contains(got, "routed") {
				t.Errorf("late-mql did not enter mql now and must not be routed:\n%s", got)
			}
			var b bytes.Buffer
			if err := res.WriteExplain(&b); err != nil || b.String() != got {
				t.Errorf("WriteExplain = %q, %v; want Explain's text", b.String(), err)
			}
			if again := res.Explain(); again != got {
				t.Errorf("Explain is not deterministic:\n%s\n%s", got, again)
			}
			golden := filepath.Join(dir, id+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("explanation changed:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestExplainEdges: a result with nothing but scores (no id, no stages,
// no grade), a value that rounds to −0, and routes that were all skipped.
func TestExplainEdges(t *testing.T) {
	r := &Result{Version: "v1", At: at, Scores: []Score{NewScore("s", -0.04, -0.04,
		[]Contribution{{Rule: "tiny", Points: -0.04}})},
		Route: Route{Reason: "every owner unavailable"}}
	want := "why the lead scored (segments: none):\n" +
		"  s 0.0\n" +
		"    tiny                  0.0\n" + // −0.04 rounds to −0.0, printed unsigned
		"  not routed (every owner unavailable)\n" +
		"  rules version v1, evaluated at 2026-11-23T12:00:00Z\n"
	if got := r.Explain(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if err := r.WriteExplain(failWriter{}); err == nil {
		t.Error("WriteExplain to a failing writer returned nil")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func ExampleResult_Explain() {
	rules := MustParse("rules.yaml", []byte(`version: "1"
fields:
  email: {type: string, required: true}
  company_size: {type: int, default: 0}
event_types: [page_view]
event_fields: {url: string}
scores:
  fit:
    rules:
      - {id: enterprise, when: company_size >= 1000, points: 25}
  engagement:
    rules:
      - {id: pricing, on: page_view, when: 'event.url contains "/pricing"', points: 10, half_life: 7d}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 20 && scores.engagement >= 5
    sla: 24h
`))
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	res, err := rules.Score(context.Background(), map[string]any{
		"id": "L-1", "email": "ana@bank.com", "company_size": 4200.0, "stage": "lead",
		"events": []any{map[string]any{"type": "page_view", "time": "2026-11-16T09:00:00Z", "url": "/pricing"}},
	}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	// fit: 4200 ≥ 1000: 25. engagement: one pricing view a week old with a
	// half-life of 7d: 10 × 2^(−7/7) = 5. Both conditions of mql hold.
	text := res.Explain()
	fmt.Print(text[:strings.LastIndex(text, "  rules ")]) // the last line holds the rules' hash
	// Output:
	// why L-1 is mql (segments: none):
	//   fit 25.0
	//     enterprise          +25.0  company_size=4200
	//   engagement 5.0
	//     pricing              +5.0  (1 event, decayed)
	//   stage lead → mql, set by mql: scores.fit=25 scores.engagement=5
	//   left lead: entered at an unknown time, left 2026-11-23T09:00:00Z
	//   SLA 24h: entered 2026-11-23T09:00:00Z, due 2026-11-24T09:00:00Z, not breached
}
