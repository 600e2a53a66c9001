package survey

import (
	"fmt"
	"math"
)

// Sentinel errors of the statistics. Test for them with errors.Is; each
// is also one of the module's kinds (see ErrEmptyInput).
var (
	// ErrNoResponses reports a statistic asked of zero answers; it is
	// returned instead of a NaN. It matches ErrEmptyInput.
	ErrNoResponses = kind("survey: no responses", ErrEmptyInput)
	// ErrLevel reports a confidence or significance level outside the open
	// interval (0, 1). It matches ErrInvalidRate.
	ErrLevel = kind("survey: confidence level must be in (0, 1)", ErrInvalidRate)
	// ErrOutOfRange reports an answer outside its scale; answers are never
	// clamped. It matches ErrInvalidInput.
	ErrOutOfRange = kind("survey: answer out of range", ErrInvalidInput)
	// ErrScale reports inconsistent scale cut-offs. It matches ErrInvalidInput.
	ErrScale = kind("survey: invalid scale", ErrInvalidInput)
	// ErrNegativeCount reports a negative count in Counts. It matches
	// ErrNegativeAmount.
	ErrNegativeCount = kind("survey: negative count", ErrNegativeAmount)
	// ErrZeroVariance reports a two-wave test whose standard error is zero
	// (both waves unanimous), where z would be 0/0 or ±Inf. It matches
	// ErrZeroDenominator.
	ErrZeroVariance = kind("survey: zero variance, difference test undefined", ErrZeroDenominator)
	// ErrMargin reports a target margin of error outside (0, 200] NPS points,
	// or one so small that it needs more than 2^53 respondents. It matches
	// ErrInvalidInput.
	ErrMargin = kind("survey: margin of error out of range", ErrInvalidInput)
	// ErrVariance reports an assumed NPS variance outside (0, MaxVariance],
	// or promoter and detractor shares that are not fractions adding up to
	// at most 1. It matches ErrInvalidInput.
	ErrVariance = kind("survey: variance out of range", ErrInvalidInput)
)

// A Scale says how a likelihood-to-recommend answer is classified. Answers
// from Min to DetractorMax are detractors, from PromoterMin to Max promoters,
// and the ones between passives. The zero Scale is not valid; use Standard or
// NewScale. A Scale is a small value, safe to copy and to share. JSON names
// (stable): min, max, detractor_max, promoter_min.
type Scale struct {
	Min          int `json:"min"`           // lowest answer, inclusive
	Max          int `json:"max"`           // highest answer, inclusive
	DetractorMax int `json:"detractor_max"` // highest detractor answer
	PromoterMin  int `json:"promoter_min"`  // lowest promoter answer
}

// Standard is the Net Promoter scale as Bain & Company define it
// (Reichheld, "The One Number You Need to Grow", HBR 2003): answers 0–10,
// detractors 0–6, passives 7–8, promoters 9–10. It is also the eNPS scale.
var Standard = Scale{Min: 0, Max: 10, DetractorMax: 6, PromoterMin: 9}

// NewScale returns a scale with explicit cut-offs. It requires
// min ≤ detractorMax < promoterMin ≤ max. The 1–10 variant some tools use
// is not built in, because its cut-offs differ between tools; construct it
// explicitly, for example NewScale(1, 10, 6, 9) for detractors 1–6,
// passives 7–8 and promoters 9–10.
func NewScale(min, max, detractorMax, promoterMin int) (Scale, error) {
	s := Scale{Min: min, Max: max, DetractorMax: detractorMax, PromoterMin: promoterMin}
	if err := s.check(); err != nil {
		return Scale{}, err
	}
	return s, nil
}

func (s Scale) check() error {
	if !(s.Min <= s.DetractorMax && s.DetractorMax < s.PromoterMin && s.PromoterMin <= s.Max) {
		return fmt.Errorf("%w: need min ≤ detractor max < promoter min ≤ max, got %d ≤ %d < %d ≤ %d",
			ErrScale, s.Min, s.DetractorMax, s.PromoterMin, s.Max)
	}
	return nil
}

// Category is the class of one answer on a Scale.
type Category int

// The three categories of the Net Promoter System.
const (
	Detractor Category = iota + 1
	Passive
	Promoter
)

// String returns "detractor", "passive" or "promoter".
func (c Category) String() string {
	switch c {
	case Detractor:
		return "detractor"
	case Passive:
		return "passive"
	case Promoter:
		return "promoter"
	}
	return fmt.Sprintf("Category(%d)", int(c))
}

// Classify returns the category of one answer. An answer outside
// [Min, Max] is an error wrapping ErrOutOfRange; it is never clamped.
func (s Scale) Classify(answer int) (Category, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	switch {
	case answer < s.Min || answer > s.Max:
		return 0, fmt.Errorf("%w: %d not in %d–%d", ErrOutOfRange, answer, s.Min, s.Max)
	case answer <= s.DetractorMax:
		return Detractor, nil
	case answer >= s.PromoterMin:
		return Promoter, nil
	}
	return Passive, nil
}

// Counts are the numbers of promoters, passives and detractors. JSON names
// (stable): promoters, passives, detractors.
type Counts struct {
	Promoters  int `json:"promoters"`
	Passives   int `json:"passives"`
	Detractors int `json:"detractors"`
}

// N returns the number of respondents, passives included.
func (c Counts) N() int { return c.Promoters + c.Passives + c.Detractors }

// Tally classifies answers and counts them. The first answer out of range is
// an error naming its index.
func (s Scale) Tally(answers []int) (Counts, error) {
	if err := s.check(); err != nil {
		return Counts{}, err
	}
	var c Counts
	for i, a := range answers {
		switch {
		case a < s.Min || a > s.Max:
			return Counts{}, fmt.Errorf("answer %d: %w: %d not in %d–%d", i, ErrOutOfRange, a, s.Min, s.Max)
		case a <= s.DetractorMax:
			c.Detractors++
		case a >= s.PromoterMin:
			c.Promoters++
		default:
			c.Passives++
		}
	}
	return c, nil
}

// NPS classifies answers on the scale and returns their Net Promoter Score;
// it is Tally followed by Counts.NPS.
func (s Scale) NPS(answers []int) (NPS, error) {
	c, err := s.Tally(answers)
	if err != nil {
		return NPS{}, err
	}
	return c.NPS()
}

// NPS is a Net Promoter Score with the statistics needed to judge it.
//
// Units, one per kind across the package: the score, its standard error
// and every interval bound are in NPS points (−100…100); a variance is in
// NPS points squared; every share is a fraction (0…1).
//
// With P promoters, A passives and D detractors, n = P + A + D,
// p = P/n and d = D/n (Reichheld 2003; Bain & Company):
//
//	Score    = 100 · (p − d)                  NPS points, −100…100
//	Variance = 100² · ((p + d) − (p − d)²)    NPS points², 0…10,000
//	StdErr   = √(Variance / n)                NPS points
//
// Variance is that of one respondent's trinomial score (+100 promoter, 0
// passive, −100 detractor), the variance of the difference of two
// proportions from one multinomial sample; it divides by n, not n − 1, as
// in Rocks, "Interval Estimation for the 'Net Promoter Score'", The American
// Statistician 70(4), 2016, and Sauro & Lewis, "Quantifying the User
// Experience" (2nd ed., 2016).
//
// JSON names (stable): promoters, passives and detractors (the Counts,
// inline), n, promoter_share, passive_share, detractor_share (fractions,
// 0–1), score (NPS points), variance (points²) and std_err (points).
type NPS struct {
	Counts
	N              int     `json:"n"`
	PromoterShare  float64 `json:"promoter_share"`  // p = P/n
	PassiveShare   float64 `json:"passive_share"`   // A/n
	DetractorShare float64 `json:"detractor_share"` // d = D/n
	Score          float64 `json:"score"`           // 100·(p − d), points
	Variance       float64 `json:"variance"`        // 100²·((p + d) − (p − d)²), points²
	StdErr         float64 `json:"std_err"`         // √(Variance/n), points
}

// NPS returns the Net Promoter Score of the counts. Zero respondents is
// ErrNoResponses and a negative count ErrNegativeCount.
func (c Counts) NPS() (NPS, error) {
	if c.Promoters < 0 || c.Passives < 0 || c.Detractors < 0 {
		return NPS{}, fmt.Errorf("%w: %+v", ErrNegativeCount, c)
	}
	n := c.N()
	if n <= 0 { // also catches int overflow of the sum
		return NPS{}, ErrNoResponses
	}
	return fromShares(c, float64(c.Promoters), float64(c.Passives), float64(c.Detractors)), nil
}

// fromShares computes the statistics from (possibly fractional, adjusted)
// counts; total must be positive.
func fromShares(c Counts, pro, pas, det float64) NPS {
	total := pro + pas + det
	p, a, d := pro/total, pas/total, det/total
	net := (pro - det) / total // p − d in one rounding, so Score is 100·(P − D)/n exactly rounded
	v := (p + d) - net*net
	if v < 0 { // rounding when p+d is tiny; the exact value is ≥ 0
		v = 0
	}
	return NPS{
		Counts:         c,
		N:              c.N(),
		PromoterShare:  p,
		PassiveShare:   a,
		DetractorShare: d,
		Score:          100 * (pro - det) / total,
		Variance:       1e4 * v,
		StdErr:         100 * math.Sqrt(v/total),
	}
}

// Method is a confidence-interval method for the NPS.
type Method int

// The interval methods. Both use the normal critical value z for the level.
const (
	// Wald is Score ± z · 100 · StdErr, from the observed counts.
	Wald Method = iota + 1
	// AdjustedWald is the adjusted-Wald interval of Rocks (2016), also
	// described by Sauro & Lewis (MeasuringU, "Confidence Intervals for Net
	// Promoter Scores", 2021): add 0.75 promoter, 1.5 passives and 0.75
	// detractor (n + 3 in all), compute p, d, the variance and the standard
	// error from the adjusted counts exactly as for Wald, and centre the
	// interval on the adjusted score 100·(p′ − d′), not on the observed one.
	AdjustedWald
)

// String returns "wald" or "adjusted-wald".
func (m Method) String() string {
	switch m {
	case Wald:
		return "wald"
	case AdjustedWald:
		return "adjusted-wald"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// MarshalText encodes the method by name: "wald" or "adjusted-wald".
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a method from its name, so that a Report's JSON
// decodes back into a Report.
func (m *Method) UnmarshalText(b []byte) error {
	switch string(b) {
	case "wald":
		*m = Wald
	case "adjusted-wald":
		*m = AdjustedWald
	default:
		return fmt.Errorf("survey: unknown interval method %q (want wald or adjusted-wald)", b)
	}
	return nil
}

// An Interval is a confidence interval for an NPS, in NPS points. Bounds
// are not truncated to [−100, 100]: like the reference implementations, a
// bound may fall outside the range for small or unanimous samples, which
// itself says the normal approximation is poor there.
//
// Each interval carries the variance and standard error it was built
// from, in the units of NPS: for Wald those of the observed counts, for
// AdjustedWald those of the adjusted counts (n + 3), so that
// Upper − Centre = z · StdErr in both.
//
// JSON names (stable): method ("wald" or "adjusted-wald"), level (a
// fraction, 0.95), centre, lower and upper (NPS points), n (the sample
// size used: n, or n + 3 adjusted), variance (points²) and std_err
// (points).
type Interval struct {
	Method   Method  `json:"method"`
	Level    float64 `json:"level"`  // e.g. 0.95
	Centre   float64 `json:"centre"` // Score for Wald, the adjusted score for AdjustedWald
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	N        float64 `json:"n"`        // n for Wald, n + 3 for AdjustedWald
	Variance float64 `json:"variance"` // of one response, points²
	StdErr   float64 `json:"std_err"`  // √(Variance / N), points
}

// Interval returns the confidence interval of the score at the level (for
// example 0.95), with critical value z = Φ⁻¹((1 + level)/2):
//
//	Wald:         Score ± z · √(Variance/n)
//	AdjustedWald: 100·(p′ − d′) ± z · √(Var′/(n+3)),
//	              p′ = (P+0.75)/(n+3), d′ = (D+0.75)/(n+3),
//	              Var′ = 100² · ((p′ + d′) − (p′ − d′)²)
//
// Only r.Counts is used; the statistics are recomputed from it. A
// unanimous sample has Variance 0, so its Wald interval has zero width;
// the adjusted-Wald interval does not. A level outside (0, 1) is ErrLevel;
// an NPS with no respondents is ErrNoResponses.
func (r NPS) Interval(level float64, m Method) (Interval, error) {
	z, err := zQuantile(level)
	if err != nil {
		return Interval{}, err
	}
	// Recomputed from the counts, so a hand-built NPS cannot disagree.
	base, err := r.Counts.NPS()
	if err != nil {
		return Interval{}, err
	}
	var centre, se, v, n float64
	switch m {
	case Wald:
		centre, se, v, n = base.Score, base.StdErr, base.Variance, float64(base.N)
	case AdjustedWald:
		adj := fromShares(r.Counts, float64(r.Promoters)+0.75, float64(r.Passives)+1.5, float64(r.Detractors)+0.75)
		centre, se, v, n = adj.Score, adj.StdErr, adj.Variance, float64(base.N)+3
	default:
		return Interval{}, fmt.Errorf("survey: %w: unknown interval method %v", ErrInvalidInput, m)
	}
	half := z * se
	return Interval{Method: m, Level: level, Centre: centre, Lower: centre - half, Upper: centre + half, N: n, Variance: v, StdErr: se}, nil
}

// A Difference is the test of whether two NPS values differ, with the
// confidence interval of the signed difference. JSON names (stable): delta,
// std_err, lower and upper (NPS points), z, p, level (a fraction) and
// significant.
type Difference struct {
	Delta  float64 `json:"delta"`   // Score₁ − Score₂, NPS points
	StdErr float64 `json:"std_err"` // √(Var₁/n₁ + Var₂/n₂), NPS points
	Z      float64 `json:"z"`       // Delta / StdErr
	P      float64 `json:"p"`       // two-sided p-value, 2·(1 − Φ(|Z|))
	Level  float64 `json:"level"`   // confidence level of the interval, e.g. 0.95
	// Lower and Upper bound the difference: Delta ∓ z · StdErr with
	// z = Φ⁻¹((1 + Level)/2), in NPS points.
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	// Significant reports P < 1 − Level: the difference is significant at
	// significance level α = 1 − Level (the interval then excludes 0).
	Significant bool `json:"significant"`
}

// Compare tests whether two independent samples' scores differ, with the
// two-sample Wald z-test of Rocks (2016) and Sauro & Lewis (2016):
//
//	Delta = NPS₁ − NPS₂                       NPS points
//	StdErr = √(Var₁/n₁ + Var₂/n₂)             NPS points
//	z = Delta / StdErr,  p = 2·(1 − Φ(|z|))
//	interval = Delta ± Φ⁻¹((1 + level)/2) · StdErr
//	significant = p < 1 − level
//
// computed from each NPS's Counts, at the confidence level (0.95 for a
// 5% significance level). Either sample empty is ErrNoResponses; a zero
// standard error (both samples unanimous) is ErrZeroVariance; a level
// outside (0, 1) is ErrLevel. Samples must be independent: the same
// people answering two waves are not, and the test then overstates
// significance.
func Compare(a, b NPS, level float64) (Difference, error) {
	z0, err := zQuantile(level)
	if err != nil {
		return Difference{}, err
	}
	// Recomputed from the counts, so a hand-built NPS cannot disagree.
	if a, err = a.Counts.NPS(); err != nil {
		return Difference{}, err
	}
	if b, err = b.Counts.NPS(); err != nil {
		return Difference{}, err
	}
	se := math.Sqrt(a.Variance/float64(a.N) + b.Variance/float64(b.N))
	if se == 0 {
		return Difference{}, ErrZeroVariance
	}
	delta := a.Score - b.Score // points
	z := delta / se
	p := twoSidedP(z)
	half := z0 * se
	return Difference{Delta: delta, StdErr: se, Z: z, P: p, Level: level, Lower: delta - half, Upper: delta + half,
		Significant: p < 1-level}, nil
}

// MaxVariance is the largest possible NPS variance, in NPS points²,
// reached when half the respondents promote and half detract; use it in
// SampleSize when there is no prior estimate.
const MaxVariance = 10_000.0

// A Sample is the respondents an interval of a given half-width needs.
// JSON names (stable): n, exact, margin (NPS points), level, variance
// (points²).
type Sample struct {
	N        int     `json:"n"`        // Exact rounded up: respondents to survey
	Exact    float64 `json:"exact"`    // z² · Variance / margin², unrounded
	Margin   float64 `json:"margin"`   // half-width, NPS points
	Level    float64 `json:"level"`    // confidence level
	Variance float64 `json:"variance"` // assumed variance of one response, points²
}

// SampleSize returns the number of respondents needed for a confidence
// interval of half-width margin (in NPS points, e.g. 5 for ±5) at the level,
// given an assumed variance in NPS points² (a prior wave's NPS.Variance,
// SharesVariance of assumed shares, or MaxVariance for the conservative
// answer):
//
//	Exact = z² · Variance / margin²,   N = ⌈Exact⌉
//
// (Sauro & Lewis 2016; Rocks 2016). N is rounded up after shaving a
// relative 1e-12 of floating-point noise, so an exact integer is not
// pushed to the next one. Errors: ErrLevel, ErrMargin (outside (0, 200] or
// more than 2^53 respondents), ErrVariance (outside (0, MaxVariance]).
func SampleSize(margin, level, variance float64) (Sample, error) {
	z, err := zQuantile(level)
	if err != nil {
		return Sample{}, err
	}
	if !(margin > 0 && margin <= 200) {
		return Sample{}, fmt.Errorf("%w: %v", ErrMargin, margin)
	}
	if !(variance > 0 && variance <= MaxVariance) {
		return Sample{}, fmt.Errorf("%w: %v not in (0, %v]", ErrVariance, variance, MaxVariance)
	}
	n := z * z * variance / (margin * margin)
	if !(n <= 1<<53) { // also NaN (margin² underflowing to 0) and +Inf
		return Sample{}, fmt.Errorf("%w: %v points needs more than 2^53 respondents", ErrMargin, margin)
	}
	// At least one respondent, even at a level so low that z² · Var rounds to 0.
	return Sample{N: max(1, int(math.Ceil(n*(1-1e-12)))), Exact: n, Margin: margin, Level: level, Variance: variance}, nil
}

// SharesVariance returns the variance of one response, in NPS points², of a
// population with promoter share p and detractor share d (fractions, p + d
// ≤ 1): 100² · ((p + d) − (p − d)²). Errors: shares outside [0, 1] or
// adding up to more than 1 (ErrVariance).
func SharesVariance(p, d float64) (float64, error) {
	if !(p >= 0 && p <= 1 && d >= 0 && d <= 1 && p+d <= 1+1e-12) {
		return 0, fmt.Errorf("%w: promoter share %v and detractor share %v must be fractions adding up to at most 1", ErrVariance, p, d)
	}
	v := (p + d) - (p-d)*(p-d)
	if v < 0 {
		v = 0
	}
	return 1e4 * v, nil
}

// SampleSizeFromShares is SampleSize with the variance of assumed promoter
// and detractor shares (SharesVariance): 40% promoters and 20% detractors
// have variance 100² · (0.6 − 0.2²) = 5,600 points², so ±5 points at 95%
// needs ⌈1.96² · 5,600 / 25⌉ = ⌈860.5⌉ = 861 respondents. Shares that give
// zero variance (everyone a promoter, say) are ErrVariance.
func SampleSizeFromShares(margin, level, promoterShare, detractorShare float64) (Sample, error) {
	v, err := SharesVariance(promoterShare, detractorShare)
	if err != nil {
		return Sample{}, err
	}
	return SampleSize(margin, level, v)
}
