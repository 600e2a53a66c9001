package revenue

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// Variant names the definition a calculator used, e.g. "fully_loaded" for
// CAC or "closed_only" for the win rate. Every result carries one so that two
// teams comparing numbers can see why they differ. The strings are stable.
type Variant string

// Metric is a dimensionless KPI (a rate, a ratio, a number of months or days)
// with the parts it was computed from. Rates are fractions: 0.25, not 25.
// Numerator and Denominator are in the units the calculator documents (minor
// units for money). Value is always finite.
type Metric struct {
	KPI         string  `json:"kpi"`         // e.g. "cac_payback_months"
	Variant     Variant `json:"variant"`     // the definition used
	Formula     string  `json:"formula"`     // the definition, for people
	Value       float64 `json:"value"`       // Numerator / Denominator
	Numerator   float64 `json:"numerator"`   // see the calculator's doc
	Denominator float64 `json:"denominator"` // never zero
}

// MoneyMetric is a KPI in money that divides an amount by a count (CAC,
// ARPA, cost per lead, average deal size, LTV). Value is Exact rounded to
// minor units with the named Rounding; Exact keeps the unrounded quotient in
// minor units for those who need it.
type MoneyMetric struct {
	KPI         string      `json:"kpi"`
	Variant     Variant     `json:"variant"`
	Formula     string      `json:"formula"`
	Value       money.Money `json:"value"`       // Exact rounded with Rounding
	Exact       float64     `json:"exact_minor"` // exact quotient in minor units (float64 approximation)
	Rounding    string      `json:"rounding"`    // e.g. "half_even"
	Numerator   float64     `json:"numerator"`   // minor units unless documented otherwise
	Denominator float64     `json:"denominator"` // never zero
}

// Options. Every calculator takes the options of its own kind, so that an
// option it does not read is a compile error, not a surprise at run time:
// CAC(m, s, n, CACMarketingOnly) compiles, ROI(r, c, CACMarketingOnly) does
// not. A variant is itself an option of its calculator; WithRounding,
// WithGrossMargin and WithBaseline are options of every calculator that
// reads them.
type (
	// CACOption is an optional setting of CAC: a CACVariant or WithRounding.
	CACOption interface{ applyCAC(*kpiConfig) }
	// MoneyOption is an optional setting of the calculators whose only
	// setting is the rounding of their money result (CostPerLead, ARPA,
	// DiscountedCLV, AverageDealSize, PipelineVelocity): WithRounding.
	MoneyOption interface{ applyMoney(*kpiConfig) }
	// LTVOption is an optional setting of LTV: WithRounding or WithGrossMargin.
	LTVOption interface{ applyLTV(*kpiConfig) }
	// ROIOption is an optional setting of ROI: WithGrossMargin or WithBaseline.
	ROIOption interface{ applyROI(*kpiConfig) }
	// WinRateOption is an optional setting of WinRate: a WinRateVariant.
	WinRateOption interface{ applyWinRate(*kpiConfig) }
	// EmailOption is an optional setting of EmailEngagement: an EmailVariant.
	EmailOption interface{ applyEmail(*kpiConfig) }
	// VelocityOption is an optional setting of PipelineVelocity:
	// WithRounding or WithPeriod.
	VelocityOption interface{ applyVelocity(*kpiConfig) }
	// CoverageOption is an optional setting of PipelineCoverage:
	// WithExpectedWinRate or WithRounding (of the expected bookings).
	CoverageOption interface{ applyCoverage(*kpiConfig) }
)

type kpiConfig struct {
	variant     Variant
	hasVariant  bool
	rounding    money.Rounding
	hasRounding bool
	margin      float64
	hasMargin   bool
	baseline    money.Money
	hasBaseline bool
	period      time.Duration
	hasPeriod   bool
	winRate     float64
	hasWinRate  bool
}

// RoundingOption is the option WithRounding returns.
type RoundingOption struct{ r money.Rounding }

// WithRounding sets how money results are rounded to minor units. The
// default is money.HalfEven (banker's rounding).
func WithRounding(r money.Rounding) RoundingOption { return RoundingOption{r} }

func (o RoundingOption) set(c *kpiConfig)           { c.rounding, c.hasRounding = o.r, true }
func (o RoundingOption) applyCAC(c *kpiConfig)      { o.set(c) }
func (o RoundingOption) applyMoney(c *kpiConfig)    { o.set(c) }
func (o RoundingOption) applyLTV(c *kpiConfig)      { o.set(c) }
func (o RoundingOption) applyVelocity(c *kpiConfig) { o.set(c) }
func (o RoundingOption) applyCoverage(c *kpiConfig) { o.set(c) }

// PeriodOption is the option WithPeriod returns.
type PeriodOption struct{ d time.Duration }

// WithPeriod sets the length of the period whose expected revenue
// PipelineVelocity reports (default: the sales cycle). A day is 24 hours.
func WithPeriod(d time.Duration) PeriodOption { return PeriodOption{d} }

func (o PeriodOption) applyVelocity(c *kpiConfig) { c.period, c.hasPeriod = o.d, true }

// ExpectedWinRateOption is the option WithExpectedWinRate returns.
type ExpectedWinRateOption struct{ w float64 }

// WithExpectedWinRate gives PipelineCoverage the win rate (in [0, 1]) at
// which the open pipeline is expected to close, for the expected bookings
// and attainment.
func WithExpectedWinRate(w float64) ExpectedWinRateOption { return ExpectedWinRateOption{w} }

func (o ExpectedWinRateOption) applyCoverage(c *kpiConfig) { c.winRate, c.hasWinRate = o.w, true }

// GrossMarginOption is the option WithGrossMargin returns.
type GrossMarginOption struct{ m float64 }

// WithGrossMargin applies a gross margin in [0, 1] to revenue: it selects the
// gross-profit variant of ROI and LTV.
func WithGrossMargin(m float64) GrossMarginOption { return GrossMarginOption{m} }

func (o GrossMarginOption) set(c *kpiConfig)      { c.margin, c.hasMargin = o.m, true }
func (o GrossMarginOption) applyROI(c *kpiConfig) { o.set(c) }
func (o GrossMarginOption) applyLTV(c *kpiConfig) { o.set(c) }

// BaselineOption is the option WithBaseline returns.
type BaselineOption struct{ organic money.Money }

// WithBaseline sets the organic revenue that would have come without the
// spend; it selects the incremental variant of ROI.
func WithBaseline(organic money.Money) BaselineOption { return BaselineOption{organic} }

func (o BaselineOption) applyROI(c *kpiConfig) { c.baseline, c.hasBaseline = o.organic, true }

func (v CACVariant) applyCAC(c *kpiConfig)         { c.variant, c.hasVariant = Variant(v), true }
func (v WinRateVariant) applyWinRate(c *kpiConfig) { c.variant, c.hasVariant = Variant(v), true }
func (v EmailVariant) applyEmail(c *kpiConfig)     { c.variant, c.hasVariant = Variant(v), true }

// newConfig runs apply (which applies the calculator's options) and checks
// the result: a variant not in variants, an unknown rounding or a margin
// outside [0, 1] is ErrInvalidInput.
func newConfig(name string, apply func(*kpiConfig), def Variant, variants ...Variant) (*kpiConfig, error) {
	c := &kpiConfig{variant: def, rounding: money.HalfEven}
	apply(c)
	if c.hasVariant {
		ok := false
		for _, v := range variants {
			ok = ok || v == c.variant
		}
		if !ok {
			return nil, fmt.Errorf("revenue: %s: %w: unknown variant %q", name, errInvalid, c.variant)
		}
	}
	if c.hasRounding && !kpi.ValidRounding(c.rounding) {
		return nil, fmt.Errorf("revenue: %s: %w: unknown rounding %v", name, errInvalid, c.rounding)
	}
	if c.hasMargin {
		if err := op.Fraction(name, "gross margin", c.margin, true); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// op prefixes the messages of the shared checks.
const op kpi.Op = "revenue: "

// Short forms of the shared sentinels and helpers.
var (
	errInvalid      = kpi.ErrInvalid
	errDivZero      = kpi.ErrDivZero
	errOverflow     = kpi.ErrOverflow
	errInconsistent = kpi.ErrInconsistent
	errNegative     = kpi.ErrNegative
	errEmpty        = kpi.ErrEmpty
	ratInt          = kpi.RatInt
	ratFloat        = kpi.RatFloat
	add64           = kpi.Add64
	errRate         = kpi.ErrRate
)

// newMetric builds a Metric, refusing a zero denominator or a non-finite value.
func newMetric(name string, v Variant, formula string, num, den float64) (Metric, error) {
	val, err := op.Quotient(name, formula, num, den)
	if err != nil {
		return Metric{}, err
	}
	return Metric{KPI: name, Variant: v, Formula: formula, Value: val, Numerator: num, Denominator: den}, nil
}

// moneyQuotient returns num/den (num in minor units, exact rational) rounded
// with r as a MoneyMetric. den must be positive; callers check.
func moneyQuotient(name string, v Variant, formula string, num *big.Rat, den *big.Rat, cur money.Currency, r money.Rounding) (MoneyMetric, error) {
	if den.Sign() == 0 {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w: %s has a zero denominator", name, errDivZero, formula)
	}
	q := new(big.Rat).Quo(num, den)
	amt, err := r.Round(q)
	if err != nil {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w", name, err)
	}
	exact, _ := q.Float64()
	nf, _ := num.Float64()
	df, _ := den.Float64()
	if math.IsInf(exact, 0) || math.IsInf(nf, 0) || math.IsInf(df, 0) {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w", name, errOverflow)
	}
	return MoneyMetric{KPI: name, Variant: v, Formula: formula, Value: money.Money{Amount: amt, Currency: cur}, Exact: exact,
		Rounding: r.String(), Numerator: nf, Denominator: df}, nil
}
