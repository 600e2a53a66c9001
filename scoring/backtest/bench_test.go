package backtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revengine/revengine/scoring"
)

// benchLeads generates n quickstart-style leads as JSON lines, with a few
// events each and an outcome.
func benchLeads(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	industries := []string{"fintech", "banking", "software", "retail", "unknown"}
	countries := []string{"US", "DE", "GB", "SE", "IN", "AE"}
	seniority := []string{"individual", "manager", "director", "vp", "c_level"}
	urls := []string{"/pricing", "/blog/x", "/docs/api", "/customers"}
	outcomes := []string{`"won"`, `"lost"`, `"open"`, "12500", "true"}
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"id":"L-%d","email":"x%d@example.com","domain":"example.com","company_size":%d,"annual_revenue":%d,`+
			`"industry":%q,"country":%q,"seniority":%q,"department":"marketing","tech_stack":["hubspot","segment"],"outcome":%s,"events":[`,
			i, i, r.IntN(5000), r.IntN(500)*1000000, industries[r.IntN(len(industries))], countries[r.IntN(len(countries))],
			seniority[r.IntN(len(seniority))], outcomes[r.IntN(len(outcomes))])
		for e := range r.IntN(6) {
			if e > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"page_view","time":"2026-11-%02dT09:00:00Z","url":%q}`, 1+r.IntN(22), urls[r.IntN(len(urls))])
		}
		b.WriteString("]}\n")
	}
	return b.Bytes()
}

// benchRules loads the quickstart rules and a changed copy (MQL at fit 55
// and engagement 20, grade B at 55).
func benchRules(b *testing.B) (oldRules, newRules *scoring.RuleSet) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "rules.yaml"))
	if err != nil {
		b.Skip(err)
	}
	oldRules, err = scoring.Parse("rules.yaml", src)
	if err != nil {
		b.Skip(err)
	}
	next := strings.Replace(string(src), "scores.fit >= 50 && scores.engagement >= 30", "scores.fit >= 55 && scores.engagement >= 20", 1)
	next = strings.Replace(next, "{grade: B, when: scores.fit >= 50}", "{grade: B, when: scores.fit >= 55}", 1)
	newRules, err = scoring.Parse("next.yaml", []byte(next))
	if err != nil {
		b.Fatal(err)
	}
	return oldRules, newRules
}

// BenchmarkRun backtests 10,000 quickstart leads (both rule sets, with
// outcomes); ns/op is per run, the lead rate is reported as leads/s.
func BenchmarkRun(b *testing.B) {
	oldRules, newRules := benchRules(b)
	const n = 10000
	leads := benchLeads(n)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(leads)))
			for b.Loop() {
				rep, err := Run(context.Background(), oldRules, newRules, bytes.NewReader(leads), "leads.jsonl", fixtureAt,
					WithOutcomes("outcome"), WithWorkers(workers))
				if err != nil || rep.Counts.Compared != n {
					b.Fatalf("%v %+v", err, rep.Counts)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "leads/s")
		})
	}
}

// BenchmarkScoreLinesTwice is the baseline: scoring the same leads once
// with each rule set through scoring.ScoreLines, without comparing.
func BenchmarkScoreLinesTwice(b *testing.B) {
	oldRules, newRules := benchRules(b)
	const n = 10000
	leads := benchLeads(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, rs := range []*scoring.RuleSet{oldRules, newRules} {
			if _, err := rs.ScoreLines(context.Background(), bytes.NewReader(leads), "leads.jsonl", fixtureAt,
				func(scoring.Record) error { return nil }, scoring.WithWorkers(1)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "leads/s")
}
