package revenue

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"
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
	KPI         string  `json:"kpi"`
	Variant     Variant `json:"variant"`
	Formula     string  `json:"formula"`
	Value       Money   `json:"value"`       // Exact rounded with Rounding
	Exact       float64 `json:"exact_minor"` // exact quotient in minor units (float64 approximation)
	Rounding    string  `json:"rounding"`    // e.g. "half_even"
	Numerator   float64 `json:"numerator"`   // minor units unless documented otherwise
	Denominator float64 `json:"denominator"` // never zero
}

// KPIOption sets an optional parameter of a calculator: the variant, the
// rounding of money results, a gross margin, a baseline. Each calculator
// documents the options it reads; an option it does not read is an error
// (ErrInvalidInput), so a misplaced variant never passes unnoticed.
type KPIOption func(*kpiConfig)

type kpiConfig struct {
	variant     Variant
	rounding    Rounding
	hasRounding bool
	margin      float64
	hasMargin   bool
	baseline    Money
	hasBaseline bool
	countRound  CountRounding
	hasCount    bool
	seen        map[string]bool // option names given
}

// WithVariant selects a non-default definition, e.g. WithVariant(CACMarketingOnly).
func WithVariant(v Variant) KPIOption {
	return func(c *kpiConfig) { c.variant = v; c.seen["variant"] = true }
}

// WithRounding sets how money results are rounded to minor units. The
// default is HalfEven (banker's rounding).
func WithRounding(r Rounding) KPIOption {
	return func(c *kpiConfig) { c.rounding = r; c.hasRounding = true; c.seen["rounding"] = true }
}

// WithGrossMargin applies a gross margin in [0, 1] to revenue: it selects the
// gross-profit variant of ROI and LTV. (A profit plan takes its margin in
// PlanInput.)
func WithGrossMargin(m float64) KPIOption {
	return func(c *kpiConfig) { c.margin = m; c.hasMargin = true; c.seen["gross_margin"] = true }
}

// WithBaseline sets the organic revenue that would have come without the
// spend; it selects the incremental variant of ROI.
func WithBaseline(organic Money) KPIOption {
	return func(c *kpiConfig) { c.baseline = organic; c.hasBaseline = true; c.seen["baseline"] = true }
}

// WithCountRounding sets how a profit plan rounds customers, leads and
// visits: CountExact (the default, fractions kept) or CountUp.
func WithCountRounding(r CountRounding) KPIOption {
	return func(c *kpiConfig) { c.countRound = r; c.hasCount = true; c.seen["count_rounding"] = true }
}

// newConfig applies opts and rejects any option the calculator does not read
// (allowed lists the option names it reads) and any variant not in variants.
func newConfig(kpi string, opts []KPIOption, allowed []string, def Variant, variants ...Variant) (*kpiConfig, error) {
	c := &kpiConfig{variant: def, rounding: HalfEven, countRound: CountExact, seen: map[string]bool{}}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	for name := range c.seen {
		ok := false
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			return nil, fmt.Errorf("revenue: %s: %w: option %s does not apply", kpi, errInvalid, name)
		}
	}
	if c.seen["variant"] {
		ok := false
		for _, v := range variants {
			ok = ok || v == c.variant
		}
		if !ok {
			return nil, fmt.Errorf("revenue: %s: %w: unknown variant %q", kpi, errInvalid, c.variant)
		}
	}
	if c.hasRounding && (c.rounding < HalfEven || c.rounding > Ceil) {
		return nil, fmt.Errorf("revenue: %s: %w: unknown rounding %v", kpi, errInvalid, c.rounding)
	}
	if c.hasMargin {
		if err := checkFraction(kpi, "gross margin", c.margin, true); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkFraction checks 0 ≤ f ≤ 1 (0 < f ≤ 1 when zeroOK is false).
func checkFraction(kpi, name string, f float64, zeroOK bool) error {
	if math.IsNaN(f) || f < 0 || f > 1 || (!zeroOK && f == 0) {
		lo := "["
		if !zeroOK {
			lo = "("
		}
		return fmt.Errorf("revenue: %s: %w: %s %v outside %s0, 1]", kpi, errInvalid, name, f, lo)
	}
	return nil
}

// checkCount rejects a negative count.
func checkCount(kpi, name string, n int64) error {
	if n < 0 {
		return fmt.Errorf("revenue: %s: %w: %s %d is negative", kpi, errInvalid, name, n)
	}
	return nil
}

// checkFinite rejects NaN and ±Inf.
func checkFinite(kpi, name string, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("revenue: %s: %w: %s is %v", kpi, errInvalid, name, f)
	}
	return nil
}

// checkMoney validates the currency and, unless negOK, rejects a negative amount.
func checkMoney(kpi, name string, m Money, negOK bool) error {
	if err := m.Currency.Validate(); err != nil {
		return fmt.Errorf("revenue: %s: %s: %w", kpi, name, err)
	}
	if !negOK && m.Amount < 0 {
		return fmt.Errorf("revenue: %s: %w: %s %v is negative", kpi, errInvalid, name, m)
	}
	return nil
}

// sameCurrency checks that every amount has cur.
func sameCurrency(kpi string, cur Currency, ms ...Money) error {
	for _, m := range ms {
		if m.Currency != cur {
			return &CurrencyMismatchError{Op: kpi, A: cur, B: m.Currency}
		}
	}
	return nil
}

// newMetric builds a Metric, refusing a zero denominator or a non-finite value.
func newMetric(kpi string, v Variant, formula string, num, den float64) (Metric, error) {
	if den == 0 {
		return Metric{}, fmt.Errorf("revenue: %s: %w: %s has a zero denominator", kpi, errDivZero, formula)
	}
	val := num / den
	if math.IsNaN(val) || math.IsInf(val, 0) {
		return Metric{}, fmt.Errorf("revenue: %s: %w: %v / %v is not finite", kpi, errOverflow, num, den)
	}
	return Metric{KPI: kpi, Variant: v, Formula: formula, Value: val, Numerator: num, Denominator: den}, nil
}

// moneyQuotient returns num/den (num in minor units, exact rational) rounded
// with r as a MoneyMetric. den must be positive; callers check.
func moneyQuotient(kpi string, v Variant, formula string, num *big.Rat, den *big.Rat, cur Currency, r Rounding) (MoneyMetric, error) {
	if den.Sign() == 0 {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w: %s has a zero denominator", kpi, errDivZero, formula)
	}
	q := new(big.Rat).Quo(num, den)
	amt, err := r.Round(q)
	if err != nil {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w", kpi, err)
	}
	exact, _ := q.Float64()
	nf, _ := num.Float64()
	df, _ := den.Float64()
	if math.IsInf(exact, 0) || math.IsInf(nf, 0) || math.IsInf(df, 0) {
		return MoneyMetric{}, fmt.Errorf("revenue: %s: %w", kpi, errOverflow)
	}
	return MoneyMetric{KPI: kpi, Variant: v, Formula: formula, Value: Money{Amount: amt, Currency: cur}, Exact: exact,
		Rounding: r.String(), Numerator: nf, Denominator: df}, nil
}

// ratInt returns n as a big.Rat.
func ratInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// ratFloat returns a finite float as the exact rational of its shortest
// round-trip decimal (decimalRat): rates and margins are written as
// decimals, so 0.4 is 2/5 and 3 cents / 0.4 is exactly 7.5 (a HalfEven tie
// rounding to 8), not the 7.4999… its binary value would give.
func ratFloat(f float64) *big.Rat { return money.Decimal(f) }

// add64 adds with an overflow check.
func add64(a, b int64) (int64, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, errOverflow
	}
	return s, nil
}
