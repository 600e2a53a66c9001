package survey

import (
	"errors"
	"math"
	"testing"
)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// Bain & Company's definition (Reichheld 2003): NPS = % promoters (9–10)
// − % detractors (0–6); passives (7–8) count in the base only.
func TestNPSBainDefinition(t *testing.T) {
	tests := []struct {
		name    string
		answers []int
		want    Counts
		score   float64
	}{
		// 60 promoters, 30 passives, 10 detractors of 100: 60% − 10% = 50.
		{"60-30-10 of 100", repeat(map[int]int{10: 40, 9: 20, 8: 20, 7: 10, 6: 5, 0: 5}),
			Counts{Promoters: 60, Passives: 30, Detractors: 10}, 50},
		// All passives: 0% − 0% = 0, although every answer is 7 or 8.
		{"all passives", []int{7, 8, 7, 8}, Counts{Passives: 4}, 0},
		// Cut-offs: 6 is a detractor, 7 and 8 passives, 9 a promoter.
		// 1 promoter, 2 passives, 1 detractor: 100·(1−1)/4 = 0.
		{"boundaries", []int{6, 7, 8, 9}, Counts{1, 2, 1}, 0},
		// 1 promoter of 3 (10), 2 detractors (0, 6): 100·(1−2)/3 = −33.33…
		{"negative", []int{10, 0, 6}, Counts{1, 0, 2}, -100.0 / 3},
		{"all promoters", []int{9, 10}, Counts{Promoters: 2}, 100},
		{"all detractors", []int{0, 1, 2}, Counts{Detractors: 3}, -100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Standard.NPS(tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got.Counts != tt.want {
				t.Errorf("counts = %+v, want %+v", got.Counts, tt.want)
			}
			if !near(got.Score, tt.score, 1e-9) {
				t.Errorf("score = %v, want %v", got.Score, tt.score)
			}
			if got.N != len(tt.answers) {
				t.Errorf("n = %d, want %d", got.N, len(tt.answers))
			}
		})
	}
}

func repeat(m map[int]int) []int {
	var out []int
	for v := 0; v <= 10; v++ {
		for i := 0; i < m[v]; i++ {
			out = append(out, v)
		}
	}
	return out
}

// smallSample: answers 10 9 9 8 7 6 3 10 9 5 → P = 5 (10,9,9,10,9),
// A = 2 (8,7), D = 3 (6,3,5), n = 10.
var smallSample = []int{10, 9, 9, 8, 7, 6, 3, 10, 9, 5}

func TestNPSVarianceByHand(t *testing.T) {
	r, err := Standard.NPS(smallSample)
	if err != nil {
		t.Fatal(err)
	}
	// p = 5/10 = 0.5, d = 3/10 = 0.3, score = 100·(0.5 − 0.3) = 20.
	// Var = 100²·((p + d) − (p − d)²) = 100²·(0.8 − 0.2²) = 100²·0.76 = 7600 points².
	// SE = √(7600/10) = √760 = 27.568097504180443 points (bc: sqrt(760)).
	checks := []struct {
		name      string
		got, want float64
	}{
		{"promoter share", r.PromoterShare, 0.5},
		{"passive share", r.PassiveShare, 0.2},
		{"detractor share", r.DetractorShare, 0.3},
		{"score", r.Score, 20},
		{"variance", r.Variance, 7600},
		{"std err", r.StdErr, 27.568097504180443},
	}
	for _, c := range checks {
		if !near(c.got, c.want, 1e-12) {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
}

func TestInterval(t *testing.T) {
	r, err := Standard.NPS(smallSample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                 string
		level                float64
		method               Method
		centre, lower, upper float64
	}{
		// Wald, 95%: z = 1.959963984540054 (Φ⁻¹(0.975));
		// half-width = z · 100 · 0.27568097504180443 = 54.03247823048222;
		// 20 ± 54.03… = [−34.03247823048222, 74.03247823048222] (bc).
		// Not truncated to [−100, 100] (nothing to truncate here anyway).
		{"wald 95", 0.95, Wald, 20, -34.03247823048222, 74.03247823048222},
		// Wald, 90%: z = 1.6448536269514715; half = 1.6448536269514715 ·
		// 27.568097504180443 = 45.34543… → [−25.345434…, 65.345434…].
		{"wald 90", 0.90, Wald, 20, 20 - 1.6448536269514715*27.568097504180443, 20 + 1.6448536269514715*27.568097504180443},
		// Adjusted Wald (Rocks 2016): P′ = 5.75, A′ = 3.5, D′ = 3.75, n′ = 13.
		// p′ = 5.75/13 = 0.44230769…, d′ = 3.75/13 = 0.28846153…,
		// centre = 100·2/13 = 15.384615384615385;
		// Var′ = 9.5/13 − (2/13)² = 0.70710059171597633;
		// SE′ = √(Var′/13) = 0.23322168254457229;
		// 15.3846… ± 1.959963984540054·23.322168… = [−30.325994435504162, 61.095225204734936].
		{"adjusted wald 95", 0.95, AdjustedWald, 15.384615384615385, -30.325994435504162, 61.095225204734936},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv, err := r.Interval(tt.level, tt.method)
			if err != nil {
				t.Fatal(err)
			}
			if !near(iv.Centre, tt.centre, 1e-9) || !near(iv.Lower, tt.lower, 1e-9) || !near(iv.Upper, tt.upper, 1e-9) {
				t.Errorf("interval = %+v, want centre %v [%v, %v]", iv, tt.centre, tt.lower, tt.upper)
			}
			if iv.Method != tt.method || iv.Level != tt.level {
				t.Errorf("interval labels = %v %v", iv.Method, iv.Level)
			}
			// The block's own variance and standard error, in points² and
			// points: Wald Var 7600, SE √760 = 27.568…, n 10; adjusted-Wald
			// Var′ = 100²·0.70710059171597633 = 7071.0059171597633, SE′ =
			// 23.322168254457229, n′ = 13. Upper − Centre = z · SE.
			wantVar, wantSE, wantN := 7600.0, 27.568097504180443, 10.0
			if tt.method == AdjustedWald {
				wantVar, wantSE, wantN = 7071.0059171597633, 23.322168254457229, 13
			}
			if !near(iv.Variance, wantVar, 1e-9) || !near(iv.StdErr, wantSE, 1e-9) || iv.N != wantN {
				t.Errorf("variance %v std err %v n %v, want %v %v %v", iv.Variance, iv.StdErr, iv.N, wantVar, wantSE, wantN)
			}
			z, _ := zQuantile(tt.level)
			if !near(iv.Upper-iv.Centre, z*iv.StdErr, 1e-9) {
				t.Errorf("half-width %v, want z·SE %v", iv.Upper-iv.Centre, z*iv.StdErr)
			}
		})
	}
}

// Unanimous small samples: the Wald interval collapses, the adjusted one
// crosses 100 and is reported as is, not truncated.
func TestIntervalNotTruncated(t *testing.T) {
	r, err := Counts{Promoters: 2}.NPS()
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.Interval(0.95, Wald)
	if err != nil {
		t.Fatal(err)
	}
	// Var = 1 − 1² = 0 → [100, 100].
	if w.Lower != 100 || w.Upper != 100 {
		t.Errorf("wald = %+v, want [100, 100]", w)
	}
	a, err := r.Interval(0.95, AdjustedWald)
	if err != nil {
		t.Fatal(err)
	}
	// P′ = 2.75, A′ = 1.5, D′ = 0.75, n′ = 5: p′ = 0.55, d′ = 0.15,
	// centre 40; Var′ = 0.7 − 0.16 = 0.54; SE′ = √(0.54/5) = √0.108 =
	// 0.32863353450309968; half = 1.959963984540054·32.863… = 64.41098…
	// → upper 104.41098… > 100, kept.
	half := 1.959963984540054 * 100 * math.Sqrt(0.108)
	if !near(a.Centre, 40, 1e-9) || !near(a.Upper, 40+half, 1e-9) || !near(a.Lower, 40-half, 1e-9) {
		t.Errorf("adjusted = %+v, want 40 ± %v", a, half)
	}
	if a.Upper <= 100 {
		t.Errorf("upper %v should exceed 100 (not truncated)", a.Upper)
	}
}

func TestCompareByHand(t *testing.T) {
	a, _ := Standard.NPS(smallSample)                                 // 20, Var 7600, n 10
	b, _ := Counts{Promoters: 60, Passives: 30, Detractors: 10}.NPS() // 50
	// Var₂ = 100²·((0.6 + 0.1) − 0.5²) = 4500 points².
	// SE = √(7600/10 + 4500/100) = √805 = 28.372521918222215 points (bc).
	// z = (20 − 50)/28.372521918222215 = −1.0573610652753621.
	// p = 2·(1 − Φ(1.0573610652753621)) = 0.2903468336607644
	// (Python statistics.NormalDist).
	// 95% interval of the signed difference (Rocks 2016): −30 ± 1.959963984540054
	// · 28.372521918222215 = −30 ± 55.60912…: [−85.60912…, 25.60912…];
	// p = 0.29 ≥ 0.05: not significant.
	d, err := Compare(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if !near(d.Delta, -30, 1e-9) || !near(d.StdErr, 28.372521918222215, 1e-9) ||
		!near(d.Z, -1.0573610652753621, 1e-12) || !near(d.P, 0.2903468336607644, 1e-12) {
		t.Errorf("difference = %+v", d)
	}
	half := 1.959963984540054 * 28.372521918222215
	if !near(d.Lower, -30-half, 1e-9) || !near(d.Upper, -30+half, 1e-9) || d.Significant || d.Level != 0.95 {
		t.Errorf("interval = [%v, %v] significant %v, want [%v, %v] false", d.Lower, d.Upper, d.Significant, -30-half, -30+half)
	}
	// At the 70% level (α = 0.30) p = 0.2903 < 0.30: significant, and the
	// interval −30 ± 1.0364333894937898 · 28.3725… excludes 0.
	d70, err := Compare(a, b, 0.70)
	if err != nil || !d70.Significant || d70.Upper >= 0 {
		t.Errorf("70%%: %+v, %v", d70, err)
	}
	if !near(d70.Upper, -30+1.0364333894937898*28.372521918222215, 1e-9) {
		t.Errorf("70%% upper %v", d70.Upper)
	}
	// Symmetric: swapping the waves flips the sign, not the p-value.
	e, _ := Compare(b, a, 0.95)
	if !near(e.Z, -d.Z, 1e-15) || e.P != d.P {
		t.Errorf("swapped = %+v", e)
	}
}

func TestSampleSizeByHand(t *testing.T) {
	tests := []struct {
		name                    string
		margin, level, variance float64
		want                    int
		exact                   float64
	}{
		// n = z² · Var / margin² in points (Sauro & Lewis 2016).
		// z² = 1.959963984540054² = 3.8414588206941246; margin 5:
		// 3.8414588206941246 · 10,000 / 25 = 1536.58… → 1537.
		{"conservative 5 points 95%", 5, 0.95, MaxVariance, 1537, 3.8414588206941246 * 10000 / 25},
		// 3.8414588206941246 · 4,500 / 25 = 691.46… → 692.
		{"prior variance 4500", 5, 0.95, 4500, 692, 3.8414588206941246 * 4500 / 25},
		// 90%: z = 1.6448536269514715, z² = 2.7055434540954; · 10,000 / 25 = 1082.2… → 1083.
		{"90%", 5, 0.90, 10000, 1083, 2.705543454095404 * 10000 / 25},
		// margin 10: 3.8414588206941246 · 10,000 / 100 = 384.1… → 385.
		{"10 points", 10, 0.95, 10000, 385, 384.14588206941246},
		// 99%: z = 2.5758293035489, z² = 6.634896601021214; margin 20, Var 5,000:
		// 6.634896601021214 · 5,000 / 400 = 82.93… → 83.
		{"99% 20 points", 20, 0.99, 5000, 83, 6.634896601021214 * 5000 / 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SampleSize(tt.margin, tt.level, tt.variance)
			if err != nil {
				t.Fatal(err)
			}
			if got.N != tt.want || !near(got.Exact, tt.exact, 1e-9) {
				t.Errorf("SampleSize = %d (exact %v), want %d (%v)", got.N, got.Exact, tt.want, tt.exact)
			}
		})
	}
	// From assumed shares: 40% promoters, 20% detractors → Var = 100²·((0.4 +
	// 0.2) − 0.2²) = 5,600 points²; ±5 at 95%: 3.8414588206941246 · 5,600 / 25
	// = 860.4867… → 861.
	s, err := SampleSizeFromShares(5, 0.95, 0.4, 0.2)
	if err != nil || s.N != 861 || !near(s.Exact, 3.8414588206941246*5600/25, 1e-9) || !near(s.Variance, 5600, 1e-9) {
		t.Errorf("from shares = %+v, %v", s, err)
	}
	if _, err := SampleSizeFromShares(5, 0.95, 0.7, 0.5); !errors.Is(err, ErrVariance) {
		t.Errorf("shares above 1: %v", err)
	}
	if _, err := SampleSizeFromShares(5, 0.95, 1, 0); !errors.Is(err, ErrVariance) {
		t.Errorf("unanimous shares: %v", err)
	}
}

func TestScale(t *testing.T) {
	// The 1–10 variant, explicitly: 1–6 detractors, 7–8 passives, 9–10 promoters.
	s, err := NewScale(1, 10, 6, 9)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.NPS([]int{1, 10, 9, 7})
	if err != nil {
		t.Fatal(err)
	}
	// 2 promoters, 1 passive, 1 detractor: 100·(2 − 1)/4 = 25.
	if r.Score != 25 {
		t.Errorf("score = %v, want 25", r.Score)
	}
	if _, err := s.Classify(0); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("0 on a 1–10 scale: err = %v, want ErrOutOfRange", err)
	}
	for _, c := range []Category{Detractor, Passive, Promoter, 0} {
		if c.String() == "" {
			t.Errorf("empty name for %d", c)
		}
	}
}

func TestErrors(t *testing.T) {
	good, _ := Standard.NPS(smallSample)
	unanimous, _ := Counts{Promoters: 3}.NPS()
	tests := []struct {
		name string
		err  func() error
		want error
	}{
		{"out of range high", func() error { _, err := Standard.NPS([]int{9, 11}); return err }, ErrOutOfRange},
		{"out of range low", func() error { _, err := Standard.Classify(-1); return err }, ErrOutOfRange},
		{"zero respondents", func() error { _, err := Standard.NPS(nil); return err }, ErrNoResponses},
		{"zero counts", func() error { _, err := Counts{}.NPS(); return err }, ErrNoResponses},
		{"negative count", func() error { _, err := Counts{Promoters: 2, Detractors: -1}.NPS(); return err }, ErrNegativeCount},
		{"bad scale order", func() error { _, err := NewScale(0, 10, 8, 7); return err }, ErrScale},
		{"zero scale", func() error { _, err := Scale{}.Classify(0); return err }, ErrScale},
		{"level 0", func() error { _, err := good.Interval(0, Wald); return err }, ErrLevel},
		{"level 1", func() error { _, err := good.Interval(1, AdjustedWald); return err }, ErrLevel},
		{"level NaN", func() error { _, err := good.Interval(math.NaN(), Wald); return err }, ErrLevel},
		{"interval of empty", func() error { _, err := NPS{}.Interval(0.95, Wald); return err }, ErrNoResponses},
		{"compare empty", func() error { _, err := Compare(good, NPS{}, 0.95); return err }, ErrNoResponses},
		{"compare empty kind", func() error { _, err := Compare(good, NPS{}, 0.95); return err }, ErrEmptyInput},
		{"compare unanimous", func() error { _, err := Compare(unanimous, unanimous, 0.95); return err }, ErrZeroVariance},
		{"compare unanimous kind", func() error { _, err := Compare(unanimous, unanimous, 0.95); return err }, ErrZeroDenominator},
		{"compare level", func() error { _, err := Compare(good, good, 1); return err }, ErrLevel},
		{"margin 0", func() error { _, err := SampleSize(0, 0.95, 1); return err }, ErrMargin},
		{"margin tiny", func() error { _, err := SampleSize(1e-300, 0.95, 1); return err }, ErrMargin},
		{"margin NaN", func() error { _, err := SampleSize(math.NaN(), 0.95, 1); return err }, ErrMargin},
		{"variance 0", func() error { _, err := SampleSize(5, 0.95, 0); return err }, ErrVariance},
		{"variance > max", func() error { _, err := SampleSize(5, 0.95, 10001); return err }, ErrVariance},
		{"sample level", func() error { _, err := SampleSize(5, 95, 1); return err }, ErrLevel},
		{"level kind", func() error { _, err := SampleSize(5, 95, 1); return err }, ErrInvalidRate},
		{"negative kind", func() error { _, err := Counts{Promoters: -1, Passives: 2}.NPS(); return err }, ErrNegativeAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := good.Interval(0.95, Method(9)); err == nil {
		t.Error("unknown method: no error")
	}
	// The index of the bad answer is named.
	if _, err := Standard.Tally([]int{1, 2, 12}); err == nil || err.Error() != "answer 2: survey: answer out of range: 12 not in 0–10" {
		t.Errorf("err = %v", err)
	}
}

// Interval and Compare use only the counts: a hand-built NPS with stale
// statistics gets the same answer as a computed one.
func TestHandBuiltNPS(t *testing.T) {
	hand := NPS{Counts: Counts{Promoters: 5, Passives: 2, Detractors: 3}, Score: 99}
	iv, err := hand.Interval(0.95, Wald)
	if err != nil {
		t.Fatal(err)
	}
	// As in TestInterval: 20 ± 54.03247823048222.
	if !near(iv.Centre, 20, 1e-9) || !near(iv.Lower, -34.03247823048222, 1e-9) {
		t.Errorf("interval = %+v", iv)
	}
	if _, err := (NPS{Counts: Counts{Promoters: -1, Passives: 3}}).Interval(0.95, Wald); !errors.Is(err, ErrNegativeCount) {
		t.Errorf("negative: err = %v", err)
	}
	other := NPS{Counts: Counts{Promoters: 60, Passives: 30, Detractors: 10}}
	d, err := Compare(hand, other, 0.95)
	if err != nil || !near(d.Z, -1.0573610652753621, 1e-12) {
		t.Errorf("compare = %+v, %v", d, err)
	}
}
