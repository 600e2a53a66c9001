package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fptr(x float64) *float64 { return &x }

// tenResponses: r1–r5 in wave W1, r6–r10 in W2.
//
//	enps    W1: 10 9 6 7 3     W2: 10 10 9 8 6
//	tools   5 4 4 3 2 1 5 4 3 4
//	manager r1–r4: 5 5 2 4, others skipped
//	blocker r1, r2 Approvals; r3 Nothing; others skipped
//	comment r2 "alpha", r5 "zeta", r9 "Mid"
func tenResponses(t *testing.T, s *Survey) *Batch {
	t.Helper()
	enps := []string{"10", "9", "6", "7", "3", "10", "10", "9", "8", "6"}
	tools := []string{"5", "4", "4", "3", "2", "1", "5", "4", "3", "4"}
	manager := []string{"5", "5", "2", "4"}
	blocker := map[int]string{0: "Approvals", 1: "Approvals", 2: "Nothing"}
	comment := map[int]string{1: "alpha", 4: "zeta", 8: "Mid"}
	var in []Response
	for i := 0; i < 10; i++ {
		r := Response{Respondent: fmt.Sprintf("r%d", i+1), Wave: "W1",
			Answers: map[string]string{"enps": enps[i], "tools": tools[i], "blocker": blocker[i], "comment": comment[i]}}
		if i >= 5 {
			r.Wave = "W2"
		}
		if i < 4 {
			r.Answers["manager"] = manager[i]
		}
		in = append(in, r)
	}
	b, err := s.Check(context.Background(), in)
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	return b
}

func TestReportByHand(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b := tenResponses(t, s)
	rep, err := s.Report(context.Background(), b, WithInvited(40))
	if err != nil {
		t.Fatal(err)
	}
	// 10 responses of 40 invited: 10/40 = 0.25.
	if rep.Responses != 10 || rep.Respondents != 10 || *rep.ResponseRate != 0.25 {
		t.Errorf("responses %d respondents %d rate %v", rep.Responses, rep.Respondents, *rep.ResponseRate)
	}
	if rep.Read != 10 || rep.Accepted != 10 || rep.Rejected != 0 || rep.Threshold != 5 || rep.Level != 0.95 {
		t.Errorf("header = %+v", rep)
	}
	q := rep.Questions
	// enps pooled: 10 9 6 7 3 10 10 9 8 6 → P = 5 (10,9,10,10,9), A = 2 (7,8),
	// D = 3 (6,3,6): the smallSample counts, so score 20, Var 7600 points² and the
	// intervals worked in TestInterval. Mean = 78/10 = 7.8.
	if q[0].Answered != 10 || q[0].Skipped != 0 || *q[0].Mean != 7.8 {
		t.Errorf("enps = %+v", q[0])
	}
	if q[0].NPS.Counts != (Counts{5, 2, 3}) || !near(q[0].NPS.Score, 20, 1e-9) || !near(q[0].NPS.Variance, 7600, 1e-9) {
		t.Errorf("enps NPS = %+v", q[0].NPS)
	}
	if !near(q[0].Wald.Lower, -34.03247823048222, 1e-9) || !near(q[0].AdjustedWald.Upper, 61.095225204734936, 1e-9) {
		t.Errorf("enps intervals = %+v %+v", q[0].Wald, q[0].AdjustedWald)
	}
	wantDist := []Bucket{{"0", 0}, {"1", 0}, {"2", 0}, {"3", 1}, {"4", 0}, {"5", 0}, {"6", 2}, {"7", 1}, {"8", 1}, {"9", 2}, {"10", 3}}
	if diff := cmp.Diff(wantDist, q[0].Distribution); diff != "" {
		t.Errorf("enps distribution (-want +got):\n%s", diff)
	}
	// tools: sum 5+4+4+3+2+1+5+4+3+4 = 35, mean 3.5; on the 5-point scale
	// favourable (4–5) six of ten = 0.6, neutral (3) two = 0.2,
	// unfavourable (1–2) two = 0.2 — fractions, like every share.
	if *q[1].Mean != 3.5 || *q[1].Favourable != 0.6 || *q[1].Neutral != 0.2 || *q[1].Unfavourable != 0.2 || q[1].NPS != nil {
		t.Errorf("tools = %+v", q[1])
	}
	if diff := cmp.Diff([]Bucket{{"1", 1}, {"2", 1}, {"3", 2}, {"4", 4}, {"5", 2}}, q[1].Distribution); diff != "" {
		t.Errorf("tools distribution (-want +got):\n%s", diff)
	}
	// manager: 5 5 2 4 answered, 6 skipped (not zeros): mean 16/4 = 4,
	// favourable 3/4 = 0.75, neutral 0, unfavourable 1/4.
	if q[2].Answered != 4 || q[2].Skipped != 6 || *q[2].Mean != 4 || *q[2].Favourable != 0.75 || *q[2].Neutral != 0 || *q[2].Unfavourable != 0.25 {
		t.Errorf("manager = %+v", q[2])
	}
	// blocker: options in definition order.
	wantBlocker := []Bucket{{"CRM hygiene", 0}, {"Lead quality", 0}, {"Approvals", 2}, {"Nothing", 1}}
	if diff := cmp.Diff(wantBlocker, q[3].Distribution); diff != "" || q[3].Answered != 3 || q[3].Skipped != 7 || q[3].Mean != nil {
		t.Errorf("blocker = %+v", q[3])
	}
	// comments in byte order: "Mid" < "alpha" < "zeta".
	if diff := cmp.Diff([]string{"Mid", "alpha", "zeta"}, q[4].Comments); diff != "" || q[4].Skipped != 7 {
		t.Errorf("comments (-want +got):\n%s", diff)
	}

	// The trend, worked by hand.
	// W1: 10 9 6 7 3 → P2 A1 D2, n 5: score 0, Var = 100²·(0.8 − 0²) = 8000.
	// W2: 10 10 9 8 6 → P3 A1 D1: score 40, Var = 100²·(0.8 − 0.4²) = 6400.
	// Change = 40 − 0; SE = √(6400/5 + 8000/5) = √2880 = 53.66563145999496;
	// z = 40/53.66563145999496 = 0.7453559924999299;
	// p = 2·(1 − Φ(z)) = 0.4560565402502561 (Python NormalDist).
	if len(rep.Trends) != 1 || len(rep.Trends[0].Waves) != 2 {
		t.Fatalf("trends = %+v", rep.Trends)
	}
	w1, w2 := rep.Trends[0].Waves[0], rep.Trends[0].Waves[1]
	if w1.Wave != "W1" || w1.NPS.Score != 0 || !near(w1.NPS.Variance, 8000, 1e-9) || w1.Change != nil {
		t.Errorf("W1 = %+v", w1)
	}
	if w2.Wave != "W2" || !near(w2.NPS.Score, 40, 1e-9) || !near(w2.NPS.Variance, 6400, 1e-9) {
		t.Errorf("W2 = %+v", w2)
	}
	if c := w2.Change; c == nil || !near(c.Delta, 40, 1e-9) || !near(c.StdErr, 53.66563145999496, 1e-9) ||
		!near(c.Z, 0.7453559924999299, 1e-12) || !near(c.P, 0.4560565402502561, 1e-12) {
		t.Errorf("W2 change = %+v", w2.Change)
	}

	// One wave: W2 only, 5 responses: P3 A1 D1 → 40.
	one, err := s.Report(context.Background(), b, WithWave("W2"))
	if err != nil {
		t.Fatal(err)
	}
	if one.Responses != 5 || !near(one.Questions[0].NPS.Score, 40, 1e-9) || one.ResponseRate != nil {
		t.Errorf("W2 report = %+v", one)
	}
	if len(one.Trends[0].Waves) != 2 {
		t.Errorf("trend of a one-wave report should still cover every wave")
	}
}

func TestReportOptionErrors(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	other := mustLoadFile(t, "testdata/pulse.yaml")
	b := tenResponses(t, s)
	tests := []struct {
		name string
		opts []ReportOption
		want error
	}{
		{"threshold 0", []ReportOption{WithThreshold(0)}, ErrThreshold},
		{"level 95", []ReportOption{WithLevel(95)}, ErrLevel},
		{"level 0", []ReportOption{WithLevel(0)}, ErrLevel},
		{"unknown column", []ReportOption{WithBreakdown("colour")}, ErrUnknownColumn},
		{"unknown wave", []ReportOption{WithWave("W9")}, ErrUnknownWave},
		{"zero invited", []ReportOption{WithInvited(0)}, ErrInvited},
		{"negative invited", []ReportOption{WithInvited(-3)}, ErrInvited},
		{"fewer invited than responses", []ReportOption{WithInvited(9)}, ErrInvited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Report(context.Background(), b, tt.opts...); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := other.Report(context.Background(), b); err == nil {
		t.Error("a batch of another survey: no error")
	}
	if _, err := s.Report(context.Background(), nil); err == nil {
		t.Error("nil batch: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Report(ctx, b); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// people returns a group of n records by respondents prefix1, prefix2, …
func people(prefix string, n int) group {
	g := group{value: prefix}
	for i := 0; i < n; i++ {
		g.records = append(g.records, &record{respondent: fmt.Sprintf("%s%d", prefix, i+1)})
	}
	return g
}

func TestSuppress(t *testing.T) {
	const B, C = BelowThreshold, Complementary
	sized := func(sizes ...int) []group {
		gs := make([]group, len(sizes))
		for i, n := range sizes {
			gs[i] = people(fmt.Sprintf("g%d-", i), n)
		}
		return gs
	}
	tests := []struct {
		name       string
		groups     []group
		totalShown bool
		want       []Suppression
	}{
		{"nothing below", sized(5, 6, 9), true, []Suppression{"", "", ""}},
		// One below: total − shown = the 2 people; the smallest other
		// group (5) goes too, so 7 people are pooled.
		{"one below", sized(9, 2, 5, 6), true, []Suppression{"", B, C, ""}},
		// Ties go to the first in display order.
		{"tie", sized(6, 5, 5, 1), true, []Suppression{"", C, "", B}},
		// Two below whose union reaches the threshold: 3 + 2 = 5 ≥ 5, only
		// the pooled answers of 5 people are recoverable; nothing more.
		{"two below reaching threshold", sized(9, 3, 2), true, []Suppression{"", B, B}},
		// Two below whose union is still small: 2 + 2 = 4 < 5, so the
		// total minus the shown groups gives the answers of 4 people; the
		// smallest shown group (6) is hidden too, pooling 10.
		{"two below under threshold", sized(9, 6, 2, 2), true, []Suppression{"", C, B, B}},
		// Three below, 1 + 1 + 2 = 4 < 5: the only shown group goes too.
		{"three below under threshold", sized(1, 1, 12, 2), true, []Suppression{B, B, C, B}},
		// 2 + 1 = 3 < 5 with one shown group: everything is hidden.
		{"all hidden", sized(9, 2, 1), true, []Suppression{C, B, B}},
		// Two groups, one below: the other must go, leaving the total.
		{"pair", sized(3, 20), true, []Suppression{B, C}},
		// Total not shown: nothing to subtract from.
		{"total hidden", sized(9, 2, 1), false, []Suppression{"", B, B}},
		{"only group below", sized(3), true, []Suppression{B}},
		{"exactly threshold", sized(5, 5), true, []Suppression{"", ""}},
		// Size counts distinct people: waves W1 and W2 answered by the same
		// 3 people hold 6 responses but 3 respondents, under 5, so the
		// smallest shown wave (W3, 7) is hidden too.
		{"overlapping groups", []group{people("p", 3), people("p", 3), people("q", 7), people("r", 8)}, true,
			[]Suppression{B, B, C, ""}},
		// Disjoint, the same sizes reach 6 ≥ 5: nothing more hidden.
		{"disjoint groups", sized(3, 3, 7, 8), true, []Suppression{B, B, "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, suppress(tt.groups, 5, tt.totalShown)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// team builds n responses of one team in one wave, all answering enps 9
// and commenting "from TEAM".
func team(name, wave string, first, n int) []Response {
	var out []Response
	for i := 0; i < n; i++ {
		out = append(out, Response{Respondent: fmt.Sprintf("p%d", first+i), Wave: wave,
			Segments: map[string]string{"team": name},
			Answers:  map[string]string{"enps": "9", "tools": "4", "comment": "from " + name}})
	}
	return out
}

func TestAnonymity(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	ctx := context.Background()
	var in []Response
	in = append(in, team("AE", "W1", 0, 7)...)
	in = append(in, team("CSM", "W1", 10, 5)...)
	in = append(in, team("RevOps", "W1", 20, 2)...)
	in = append(in, team("SDR", "W1", 30, 6)...)
	b, err := s.Check(ctx, in)
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	rep, err := s.Report(ctx, b, WithBreakdown("team"))
	if err != nil {
		t.Fatal(err)
	}
	// RevOps (2) is below 5; exactly one group below, so the smallest other
	// group, CSM (5), is suppressed too: 20 − 7 − 6 would otherwise give
	// CSM + RevOps, and with CSM shown, RevOps alone.
	got := map[string]Group{}
	for _, g := range rep.Breakdown.Groups {
		got[g.Value] = g
	}
	if got["RevOps"].Suppressed != BelowThreshold || got["CSM"].Suppressed != Complementary ||
		got["AE"].Suppressed != "" || got["SDR"].Suppressed != "" {
		t.Fatalf("groups = %+v", rep.Breakdown.Groups)
	}
	for _, name := range []string{"RevOps", "CSM"} {
		g := got[name]
		if g.Respondents != 0 || g.Responses != 0 || g.Questions != nil {
			t.Errorf("%s leaks numbers or comments: %+v", name, g)
		}
	}
	if c := got["AE"].Questions[4].Comments; len(c) != 7 || c[0] != "from AE" {
		t.Errorf("AE comments = %v", c)
	}
	// Groups in natural order.
	var order []string
	for _, g := range rep.Breakdown.Groups {
		order = append(order, g.Value)
	}
	if diff := cmp.Diff([]string{"AE", "CSM", "RevOps", "SDR"}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}

	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"team = CSM: suppressed (complementary: the total would reveal the hidden groups by subtraction)\n",
		"team = RevOps: suppressed (fewer than 5 respondents)\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	// The overall section lists every comment, unattributed; the breakdown
	// must not show the suppressed groups' ones.
	_, breakdown, _ := strings.Cut(text.String(), "breakdown by team")
	if strings.Contains(breakdown, "from RevOps") || strings.Contains(breakdown, "from CSM") || !strings.Contains(breakdown, "from AE") {
		t.Errorf("breakdown comments wrong:\n%s", breakdown)
	}

	// Threshold 2 is below the absolute floor of 3: refused, never a
	// group of two shown. At 3, RevOps (2) is still hidden.
	if _, err := s.Report(ctx, b, WithBreakdown("team"), WithThreshold(2)); !errors.Is(err, ErrThreshold) {
		t.Errorf("threshold 2: err = %v, want ErrThreshold", err)
	}
	rep3, err := s.Report(ctx, b, WithBreakdown("team"), WithThreshold(3))
	if err != nil {
		t.Fatal(err)
	}
	// RevOps (2 < 3) below, and CSM complementary again (the hidden 2 are
	// fewer than 3); AE and SDR shown.
	for _, g := range rep3.Breakdown.Groups {
		want := map[string]Suppression{"RevOps": BelowThreshold, "CSM": Complementary}[g.Value]
		if g.Suppressed != want {
			t.Errorf("threshold 3: %s suppressed %q, want %q", g.Value, g.Suppressed, want)
		}
	}

	// Group size counts people, not responses: 2 people over 3 waves is 6
	// responses but still below 5.
	var multi []Response
	multi = append(multi, team("AE", "W1", 0, 6)...)
	multi = append(multi, team("AE", "W2", 0, 6)...)
	multi = append(multi, team("AE", "W3", 0, 6)...)
	for _, w := range []string{"W1", "W2", "W3"} {
		multi = append(multi, team("RevOps", w, 20, 2)...)
	}
	b2, err := s.Check(ctx, multi)
	if err != nil || b2.Err() != nil {
		t.Fatal(err, b2.Err())
	}
	repMulti, _ := s.Report(ctx, b2, WithBreakdown("team"))
	if g := repMulti.Breakdown.Groups[1]; g.Value != "RevOps" || g.Suppressed != BelowThreshold {
		t.Errorf("RevOps = %+v", g)
	}
	// Both groups hidden (RevOps below, AE complementary).
	if g := repMulti.Breakdown.Groups[0]; g.Suppressed != Complementary {
		t.Errorf("AE = %+v", g)
	}

	// A whole report below the threshold shows no statistics and no comments.
	small, _ := s.Check(ctx, team("AE", "W1", 0, 4))
	rep4, err := s.Report(ctx, small, WithBreakdown("team"))
	if err != nil {
		t.Fatal(err)
	}
	if rep4.Suppressed != BelowThreshold || rep4.Questions != nil || rep4.Breakdown.Groups[0].Questions != nil {
		t.Errorf("small report = %+v", rep4)
	}
	if w := rep4.Trends[0].Waves[0]; w.Suppressed != BelowThreshold || w.NPS != nil {
		t.Errorf("small trend = %+v", w)
	}
}

// Waves are a breakdown too: a lone small wave takes the next-smallest
// with it, and no change is reported next to a hidden wave.
func TestTrendSuppression(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	ctx := context.Background()
	var in []Response
	in = append(in, team("AE", "2026-9", 0, 6)...)
	in = append(in, team("AE", "2026-10", 0, 3)...)
	in = append(in, team("AE", "2026-11", 0, 8)...)
	in = append(in, team("AE", "2026-12", 0, 7)...)
	b, _ := s.Check(ctx, in)
	rep, err := s.Report(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	ws := rep.Trends[0].Waves
	var got []string
	for _, w := range ws {
		got = append(got, w.Wave+":"+string(w.Suppressed))
	}
	// Natural order puts 2026-9 before 2026-10; 2026-10 (3) is below, the
	// smallest other, 2026-9 (6), is complementary.
	want := []string{"2026-9:complementary", "2026-10:below-threshold", "2026-11:", "2026-12:"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if ws[2].Change != nil {
		t.Error("change reported against a suppressed wave")
	}
	// 2026-11 and 2026-12 are both unanimous promoters: the z-test is
	// undefined (ErrZeroVariance), so no change is reported.
	if ws[3].Change != nil || ws[3].NPS.Score != 100 {
		t.Errorf("2026-12 = %+v", ws[3])
	}
}

func TestNaturalLess(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"digits as numbers", "W9", "W10", true},
		{"digits as numbers, reversed", "W10", "W9", false},
		{"ISO dates", "2026-01-05", "2026-01-12", true},
		{"equal", "a", "a", false},
		{"prefix first", "a", "ab", true},
		{"leading zeros tie-break by bytes", "01", "1", true},
		{"leading zeros, reversed", "1", "01", false},
		{"blank first", "", "a", true},
		{"quarters", "Q2", "Q10", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := naturalLess(tt.a, tt.b); got != tt.want {
				t.Errorf("naturalLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// Two small teams whose union is below the threshold: the total minus the
// shown teams would give their four people's answers, so the smallest
// shown team is hidden too; two small teams that reach the threshold
// together are not.
func TestComplementaryPooled(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	ctx := context.Background()
	build := func(sizes map[string]int) *Batch {
		t.Helper()
		var in []Response
		first := 0
		for _, name := range []string{"AE", "CSM", "Ops", "RevOps", "SE"} {
			in = append(in, team(name, "W1", first, sizes[name])...)
			first += 100
		}
		b, err := s.Check(ctx, in)
		if err != nil || b.Err() != nil {
			t.Fatal(err, b.Err())
		}
		return b
	}
	tests := []struct {
		name  string
		sizes map[string]int
		want  map[string]Suppression
	}{
		// Ops 2 + RevOps 2 = 4 < 5: CSM (6), the smallest shown, goes too.
		{"union below threshold", map[string]int{"AE": 7, "CSM": 6, "Ops": 2, "RevOps": 2, "SE": 8},
			map[string]Suppression{"AE": "", "CSM": Complementary, "Ops": BelowThreshold, "RevOps": BelowThreshold, "SE": ""}},
		// Ops 2 + RevOps 3 = 5 ≥ 5: only their pooled answers are
		// recoverable, nothing more hidden.
		{"union reaches threshold", map[string]int{"AE": 7, "CSM": 6, "Ops": 2, "RevOps": 3, "SE": 8},
			map[string]Suppression{"AE": "", "CSM": "", "Ops": BelowThreshold, "RevOps": BelowThreshold, "SE": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := s.Report(ctx, build(tt.sizes), WithBreakdown("team"))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Suppression{}
			for _, g := range rep.Breakdown.Groups {
				got[g.Value] = g.Suppressed
				if g.Suppressed != "" && (g.Questions != nil || g.Respondents != 0 || g.Responses != 0) {
					t.Errorf("%s is suppressed but shows %+v", g.Value, g)
				}
				if g.Suppressed == "" && g.Questions[4].Comments[0] != "from "+g.Value {
					t.Errorf("%s comments = %v", g.Value, g.Questions[4].Comments)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// The same rule over the waves of a trend: W2 and W3 are answered by
	// the same 3 people (3 distinct respondents, under 5), so the smallest
	// shown wave, W1 (6), is hidden and W4 (8) stays.
	var in []Response
	in = append(in, team("AE", "W1", 0, 6)...)
	in = append(in, team("AE", "W2", 10, 3)...)
	in = append(in, team("AE", "W3", 10, 3)...)
	in = append(in, team("AE", "W4", 20, 8)...)
	b, err := s.Check(ctx, in)
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	rep, err := s.Report(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range rep.Trends[0].Waves {
		got = append(got, w.Wave+":"+string(w.Suppressed))
	}
	want := []string{"W1:complementary", "W2:below-threshold", "W3:below-threshold", "W4:"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trend (-want +got):\n%s", diff)
	}
}

// A panic inside the package (here forced by a batch whose records do
// not match its survey, which the public API cannot build) is returned as
// ErrInternal, with no partial report.
func TestReportPanicIsInternal(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	b := &Batch{survey: s, read: 3, accepted: []record{{respondent: "r1", wave: "W1"}, {respondent: "r2", wave: "W1"}, {respondent: "r3", wave: "W1"}}}
	rep, err := s.Report(context.Background(), b, WithThreshold(MinThreshold))
	if rep != nil || !errors.Is(err, ErrInternal) {
		t.Fatalf("report %v, err %v; want ErrInternal", rep, err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInternal || !strings.Contains(e.Msg, "survey: report") {
		t.Errorf("error = %+v", e)
	}
}
