package survey

import (
	"context"
	"os"
	"testing"
)

// TestSeason checks a realistic wave end to end against values computed
// independently, in Python (csv + statistics.NormalDist), straight from the
// published formulas: NPS = 100·(P − D)/n; Var = (p + d) − (p − d)²;
// SE = √(Var/n); Wald = NPS ± z·100·SE; adjusted Wald with P + 0.75,
// A + 1.5, D + 0.75 over n + 3; z = Φ⁻¹(0.975).
func TestSeason(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	f, err := os.Open("testdata/season.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := s.ReadResponses(context.Background(), f, "season.csv")
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	rep, err := s.Report(context.Background(), b, WithWave("2026-06"), WithBreakdown("team"), WithInvited(33))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		p, a, d                      int
		score, variance, se          float64
		waldLo, waldHi, adjLo, adjHi float64
	}
	check := func(name string, q QuestionStats, w want) {
		t.Helper()
		n := q.NPS
		if n == nil || n.Counts != (Counts{w.p, w.a, w.d}) {
			t.Fatalf("%s: NPS = %+v, want counts %d/%d/%d", name, n, w.p, w.a, w.d)
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"score", n.Score, w.score}, {"variance", n.Variance, w.variance}, {"se", n.StdErr, w.se},
			{"wald lower", q.Wald.Lower, w.waldLo}, {"wald upper", q.Wald.Upper, w.waldHi},
			{"adjusted lower", q.AdjustedWald.Lower, w.adjLo}, {"adjusted upper", q.AdjustedWald.Upper, w.adjHi},
		} {
			if !near(c.got, c.want, 1e-9) {
				t.Errorf("%s %s = %.15g, want %.15g", name, c.what, c.got, c.want)
			}
		}
	}
	// June: P 10, A 12, D 7 of 29.
	check("june", rep.Questions[0], want{10, 12, 7, 10.344827586206897, 5755.053507728894, 14.087232551362555,
		-17.265640856304003, 37.9552960287178, -16.768119069888243, 35.51811906988824})
	if *rep.ResponseRate != 29.0/33 {
		t.Errorf("response rate = %v, want 29/33", *rep.ResponseRate)
	}
	// tools: mean 3.8275862068965516, favourable 22/29 = 0.7586206896551724.
	if !near(*rep.Questions[1].Mean, 3.8275862068965516, 1e-12) || !near(*rep.Questions[1].Favourable, 22.0/29, 1e-12) {
		t.Errorf("tools = %v, %v", *rep.Questions[1].Mean, *rep.Questions[1].Favourable)
	}
	// manager (optional): 27 answered, 2 skipped, mean 4.037037037037037,
	// favourable (4–5) 18/27 = 2/3, neutral (3) 7/27, unfavourable (1–2) 2/27.
	if m := rep.Questions[2]; m.Answered != 27 || m.Skipped != 2 || !near(*m.Mean, 4.037037037037037, 1e-12) || !near(*m.Favourable, 2.0/3, 1e-12) ||
		!near(*m.Neutral, 7.0/27, 1e-12) || !near(*m.Unfavourable, 2.0/27, 1e-12) {
		t.Errorf("manager = %+v", m)
	}
	// Teams in June: AE 9, CSM 8, RevOps 3, SDR 9. RevOps is below 5, so
	// CSM, the smallest other team, is complementary.
	groups := rep.Breakdown.Groups
	if groups[1].Value != "CSM" || groups[1].Suppressed != Complementary || groups[2].Value != "RevOps" || groups[2].Suppressed != BelowThreshold {
		t.Fatalf("groups = %+v", groups)
	}
	check("AE", groups[0].Questions[0], want{3, 5, 1, 22.22222222222222, 3950.617283950617, 20.951312035156963,
		-18.841594795546, 63.286039239990444, -20.458812417646712, 53.79214575098004})
	check("SDR", groups[3].Questions[0], want{0, 3, 6, -66.66666666666667, 2222.222222222222, 15.713484026367722,
		-97.46452942999282, -35.86880390334049, -84.64759560874194, -15.352404391258055})
	// June against May: change 13.469827586206897, z 0.6551157031157876,
	// p 0.5123932625002721.
	c := rep.Trends[0].Waves[2].Change
	if c == nil || !near(c.Delta, 13.469827586206897, 1e-9) || !near(c.Z, 0.6551157031157876, 1e-12) || !near(c.P, 0.5123932625002721, 1e-12) {
		t.Errorf("change = %+v", c)
	}
}
