package plan

import (
	"context"
	"fmt"
	"math"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Growth and forecast variants.
const (
	// CMGRVariant names (last / first)^(1/months) − 1.
	CMGRVariant revenue.Variant = "compound_monthly"
	// TrendOLS names the ordinary-least-squares line through the series.
	TrendOLS revenue.Variant = "ordinary_least_squares"
	// HoltWintersAdditive names additive Holt–Winters.
	HoltWintersAdditive revenue.Variant = "holt_winters_additive"
)

// Growth is the result of CMGR: the rate (the Metric, its fields promoted,
// in JSON too) and, with WithProjection(n), the next n monthly values it
// implies.
type Growth struct {
	revenue.Metric
	// Projection is last × (1 + CMGR)^k for k = 1 … n, each rounded
	// half-even to the minor unit from the unrounded rate; empty without
	// WithProjection.
	Projection []money.Money `json:"projection"`
}

// CMGROption is an optional setting of CMGR: WithProjection.
type CMGROption interface{ applyCMGR(*cmgrConfig) }

type cmgrConfig struct{ periods int }

// ProjectionOption is the option WithProjection returns.
type ProjectionOption struct{ n int }

// WithProjection asks CMGR for the next n monthly values (0 to
// MaxProjection) compounded at the rate found.
func WithProjection(n int) ProjectionOption { return ProjectionOption{n} }

func (o ProjectionOption) applyCMGR(c *cmgrConfig) { c.periods = o.n }

// MaxProjection is the most periods CMGR projects: 100 years of months.
const MaxProjection = 1200

// CMGR returns the compound monthly growth rate
//
//	CMGR = (last / first)^(1 / months) − 1
//	projection(k) = last × (1 + CMGR)^k,  k = 1 … n   (WithProjection(n))
//
// over months monthly steps from first to last (for a series of 13 monthly
// values, months = 12). Example: 100.00 growing to 121.00 over 2 months is
// (1.21)^(1/2) − 1 = 10% a month, projected 133.10, 146.41, …. Numerator
// and Denominator are last and first in minor units.
// Errors: first zero (ErrZeroDenominator), an amount negative
// (ErrNegativeAmount), months not positive or a projection outside 0 to
// MaxProjection (ErrInvalidInput), currencies that differ, a projected
// value beyond int64 minor units (ErrOverflow).
func CMGR(first, last money.Money, months int, opts ...CMGROption) (Growth, error) {
	var cfg cmgrConfig
	for _, o := range opts {
		if o != nil {
			o.applyCMGR(&cfg)
		}
	}
	if err := op.Money("cmgr", "first", first, false); err != nil {
		return Growth{}, err
	}
	if err := op.Money("cmgr", "last", last, false); err != nil {
		return Growth{}, err
	}
	if err := op.Same("cmgr", first.Currency, last); err != nil {
		return Growth{}, err
	}
	if months <= 0 {
		return Growth{}, fmt.Errorf("plan: cmgr: %w: months %d is not positive", errInvalid, months)
	}
	if cfg.periods < 0 || cfg.periods > MaxProjection {
		return Growth{}, fmt.Errorf("plan: cmgr: %w: projection of %d periods, want 0 to %d", errInvalid, cfg.periods, MaxProjection)
	}
	if first.Amount == 0 {
		return Growth{}, fmt.Errorf("plan: cmgr: %w: first value is zero", errDivZero)
	}
	ratio := float64(last.Amount) / float64(first.Amount)
	v := math.Pow(ratio, 1/float64(months)) - 1
	g := Growth{Metric: revenue.Metric{KPI: "cmgr", Variant: CMGRVariant, Formula: "(last / first)^(1 / months) − 1",
		Value: v, Numerator: float64(last.Amount), Denominator: float64(first.Amount)}, Projection: []money.Money{}}
	for k := 1; k <= cfg.periods; k++ {
		// last × (last / first)^(k / months): the unrounded rate compounded.
		x := float64(last.Amount) * math.Pow(ratio, float64(k)/float64(months))
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return Growth{}, fmt.Errorf("plan: cmgr: projection %d: %w", k, errOverflow)
		}
		amt, err := money.HalfEven.Round(money.Decimal(x))
		if err != nil {
			return Growth{}, fmt.Errorf("plan: cmgr: projection %d: %w", k, err)
		}
		g.Projection = append(g.Projection, money.Money{Amount: amt, Currency: last.Currency})
	}
	return g, nil
}

// Trend is a straight line y = Intercept + Slope × t fitted to a series
// observed at t = 0, 1, …, n−1, and its forecast for t = n, n+1, ….
type Trend struct {
	Variant   revenue.Variant `json:"variant"`
	Intercept float64         `json:"intercept"` // value at t = 0
	Slope     float64         `json:"slope"`     // change per step
	Forecast  []float64       `json:"forecast"`  // t = n … n+horizon−1
}

// LinearTrend fits y = a + b·t by ordinary least squares to y observed at
// t = 0 … n−1:
//
//	b = Σ (t − t̄)(y − ȳ) / Σ (t − t̄)²,  a = ȳ − b·t̄
//
// (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd
// ed., §7.1 and the trend model of §7.4) and extends it horizon steps.
// Example: 10, 12, 14 gives a = 10, b = 2 and forecasts 16, 18.
// Errors: fewer than two values, a value not finite, a negative horizon
// (ErrInvalidInput).
func LinearTrend(y []float64, horizon int) (Trend, error) {
	if len(y) < 2 {
		return Trend{}, fmt.Errorf("plan: linear trend: %w: want at least 2 values, have %d", errInvalid, len(y))
	}
	if horizon < 0 {
		return Trend{}, fmt.Errorf("plan: linear trend: %w: negative horizon %d", errNegative, horizon)
	}
	n := float64(len(y))
	tbar := (n - 1) / 2
	var ybar float64
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Trend{}, op.Finite("linear trend", fmt.Sprintf("value %d", i), v)
		}
		ybar += v
	}
	ybar /= n
	var sxy, sxx float64
	for i, v := range y {
		dt := float64(i) - tbar
		sxy += dt * (v - ybar)
		sxx += dt * dt
	}
	b := sxy / sxx // sxx > 0 for n ≥ 2
	a := ybar - b*tbar
	tr := Trend{Variant: TrendOLS, Intercept: a, Slope: b, Forecast: make([]float64, horizon)}
	for h := range horizon {
		tr.Forecast[h] = a + b*(n+float64(h))
	}
	if err := finiteAll("linear trend", append([]float64{a, b}, tr.Forecast...)); err != nil {
		return Trend{}, err
	}
	return tr, nil
}

func finiteAll(kpi string, vs []float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("plan: %s: %w: result is not finite", kpi, errOverflow)
		}
	}
	return nil
}

// Seasonal is an additive Holt–Winters fit and forecast.
type Seasonal struct {
	Variant revenue.Variant `json:"variant"`
	Period  int             `json:"period"` // m, observations per season
	Alpha   float64         `json:"alpha"`
	Beta    float64         `json:"beta"`
	Gamma   float64         `json:"gamma"`
	// Level, Trend and Seasonal are the final state: ℓ_n, b_n and the last
	// m seasonal components s_{n−m+1} … s_n.
	Level    float64   `json:"level"`
	Trend    float64   `json:"trend"`
	Seasonal []float64 `json:"seasonal"`
	// Fitted holds the one-step-ahead forecasts ŷ_{t|t−1} for t = m … n−1
	// (index 0 is t = m); SSE is Σ (y_t − ŷ_{t|t−1})² over them.
	Fitted   []float64 `json:"fitted"`
	SSE      float64   `json:"sse"`
	Forecast []float64 `json:"forecast"` // ŷ_{n+h|n} for h = 1 … horizon
}

// HoltWinters fits additive Holt–Winters (triple exponential smoothing) with
// season length m to y and forecasts horizon steps ahead. The smoothing
// parameters α (level), β (trend) and γ (seasonal) are inputs in [0, 1];
// nothing is optimised, so results are reproducible.
//
// Recursions (Hyndman & Athanasopoulos, "Forecasting: Principles and
// Practice", 3rd ed., §8.3, additive method; β here is their β*):
//
//	ℓ_t = α (y_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + b_{t−1})
//	b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) b_{t−1}
//	s_t = γ (y_t − ℓ_{t−1} − b_{t−1}) + (1 − γ) s_{t−m}
//	ŷ_{t+h|t} = ℓ_t + h b_t + s_{t+h−m(k+1)},  k = ⌊(h − 1)/m⌋
//
// Initialisation (classical, from the first two seasons; t counts from 0):
// the state at t = m−1 is
//
//	ℓ_{m−1} = (y_0 + … + y_{m−1}) / m                  (mean of the first season)
//	b_{m−1} = Σ_{i<m} (y_{m+i} − y_i) / m / m          (mean of the season-on-season slopes)
//	s_i     = y_i − ℓ_{m−1},  i = 0 … m−1
//
// and the recursions run for t = m … n−1. It therefore needs n ≥ 2m.
// Example: m = 2, y = 1, 3, 2, 4 (α = β = γ = 0.5): ℓ₁ = 2, b₁ = 0.5,
// s₀ = −1, s₁ = 1; t = 2: ŷ = 2 + 0.5 − 1 = 1.5, ℓ₂ = 0.5·3 + 0.5·2.5 =
// 2.75, b₂ = 0.5·0.75 + 0.5·0.5 = 0.625, s₂ = 0.5·(2 − 2.5) + 0.5·(−1) = −0.75.
//
// Errors: m < 1, fewer than 2m values, a parameter outside [0, 1], a value
// not finite, a negative horizon (ErrInvalidInput); ctx's error.
func HoltWinters(ctx context.Context, y []float64, m int, alpha, beta, gamma float64, horizon int) (Seasonal, error) {
	const kpi = "holt-winters"
	if m < 1 {
		return Seasonal{}, fmt.Errorf("plan: %s: %w: season length %d is not positive", kpi, errInvalid, m)
	}
	if m > len(y)/2 { // not len(y) < 2*m, which overflows for huge m
		return Seasonal{}, fmt.Errorf("plan: %s: %w: want at least two full seasons of %d values, have %d values", kpi, errInvalid, m, len(y))
	}
	if horizon < 0 {
		return Seasonal{}, fmt.Errorf("plan: %s: %w: negative horizon %d", kpi, errNegative, horizon)
	}
	for _, p := range []struct {
		n string
		v float64
	}{{"alpha", alpha}, {"beta", beta}, {"gamma", gamma}} {
		if err := op.Fraction(kpi, p.n, p.v, true); err != nil {
			return Seasonal{}, err
		}
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Seasonal{}, op.Finite(kpi, fmt.Sprintf("value %d", i), v)
		}
	}
	fm := float64(m)
	var level, trend float64
	for i := 0; i < m; i++ {
		level += y[i]
		trend += (y[m+i] - y[i]) / fm
	}
	level /= fm
	trend /= fm
	season := make([]float64, len(y)+horizon) // s_t by t
	for i := 0; i < m; i++ {
		season[i] = y[i] - level
	}
	out := Seasonal{Variant: HoltWintersAdditive, Period: m, Alpha: alpha, Beta: beta, Gamma: gamma}
	for t := m; t < len(y); t++ {
		if t%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Seasonal{}, err
			}
		}
		fit := level + trend + season[t-m]
		out.Fitted = append(out.Fitted, fit)
		out.SSE += (y[t] - fit) * (y[t] - fit)
		prevL, prevB := level, trend
		level = alpha*(y[t]-season[t-m]) + (1-alpha)*(prevL+prevB)
		trend = beta*(level-prevL) + (1-beta)*prevB
		season[t] = gamma*(y[t]-prevL-prevB) + (1-gamma)*season[t-m]
	}
	n := len(y)
	out.Level, out.Trend = level, trend
	out.Seasonal = append([]float64(nil), season[n-m:n]...)
	for h := 1; h <= horizon; h++ {
		k := (h - 1) / m
		out.Forecast = append(out.Forecast, level+float64(h)*trend+season[n-1+h-m*(k+1)])
	}
	all := append(append([]float64{out.Level, out.Trend, out.SSE}, out.Seasonal...), out.Forecast...)
	if err := finiteAll(kpi, append(all, out.Fitted...)); err != nil {
		return Seasonal{}, err
	}
	return out, nil
}
