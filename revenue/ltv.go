package revenue

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"
)

// ARPA and LTV variants.
const (
	// ARPAVariant names revenue / accounts.
	ARPAVariant Variant = "revenue_over_accounts"
	// LTVRevenue is ARPA / churn rate, the default.
	LTVRevenue Variant = "arpa_over_churn"
	// LTVGrossMargin is ARPA × gross margin / churn rate, selected by WithGrossMargin.
	LTVGrossMargin Variant = "gross_margin"
	// CLVDiscounted names the Gupta–Lehmann discounted margin multiple m·r/(1+i−r).
	CLVDiscounted Variant = "gupta_lehmann"
	// LTVToCACVariant names LTV / CAC.
	LTVToCACVariant Variant = "ltv_over_cac"
)

// ARPA returns average revenue per account: recurring revenue (usually
// MRR) / active accounts (ChartMogul, Baremetrics). Rounded to minor units
// with WithRounding (default HalfEven).
// Errors: accounts zero (ErrDivisionByZero) or negative, revenue negative.
func ARPA(revenue money.Money, accounts int64, opts ...MoneyOption) (MoneyMetric, error) {
	c, err := newConfig("arpa", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyMoney(c)
			}
		}
	}, ARPAVariant)
	if err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Money("arpa", "revenue", revenue, false); err != nil {
		return MoneyMetric{}, err
	}
	if err := op.Count("arpa", "accounts", accounts); err != nil {
		return MoneyMetric{}, err
	}
	return moneyQuotient("arpa", ARPAVariant, "revenue / accounts", ratInt(revenue.Amount), ratInt(accounts), revenue.Currency, c.rounding)
}

// LifetimeValue is the result of LTV: the value (a MoneyMetric, its fields
// promoted, in JSON too) and the expected lifetime it assumes.
type LifetimeValue struct {
	MoneyMetric
	// LifetimePeriods is the expected customer lifetime in periods of the
	// churn rate, 1 / churn (50 months at 2% monthly churn), so that
	// LTV = ARPA (× gross margin) × LifetimePeriods.
	LifetimePeriods float64 `json:"lifetime_periods"`
}

// DiscountedValue is the result of DiscountedCLV: the value and its margin
// multiple.
type DiscountedValue struct {
	MoneyMetric
	// MarginMultiple is r / (1 + i − r), the number of periods' margins a
	// customer is worth today (2.667 at r = 0.8, i = 0.1), so that
	// CLV = m × MarginMultiple (Gupta and Lehmann's margin multiple).
	MarginMultiple float64 `json:"margin_multiple"`
}

// LTV returns customer lifetime value by the simple SaaS formula
//
//	LTV = ARPA / churn rate                        (default)
//	LTV = ARPA × gross margin / churn rate         (WithGrossMargin)
//
// with ARPA and churn over the same period (monthly ARPA with monthly
// customer churn). 1/churn is the expected lifetime in periods (David
// Skok, "SaaS Metrics"; ChartMogul's LTV, with the margin variant as
// Baremetrics' LTV). Rounded to minor units with WithRounding (default
// HalfEven); Exact keeps the quotient.
// The result carries LifetimePeriods = 1 / churn beside the value.
// Errors: churn zero (ErrZeroDenominator) or outside [0, 1] (ErrInvalidRate),
// margin outside [0, 1] (ErrInvalidRate), ARPA negative (ErrNegativeAmount),
// a value or lifetime that does not fit (ErrOverflow).
func LTV(arpa money.Money, churn float64, opts ...LTVOption) (LifetimeValue, error) {
	c, err := newConfig("ltv", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyLTV(c)
			}
		}
	}, LTVRevenue)
	if err != nil {
		return LifetimeValue{}, err
	}
	if err := op.Money("ltv", "arpa", arpa, false); err != nil {
		return LifetimeValue{}, err
	}
	if err := op.Fraction("ltv", "churn", churn, false); err != nil {
		return LifetimeValue{}, err
	}
	num := ratInt(arpa.Amount)
	v, formula := LTVRevenue, "arpa / churn"
	if c.hasMargin {
		num.Mul(num, ratFloat(c.margin))
		v, formula = LTVGrossMargin, "arpa × gross margin / churn"
	}
	m, err := moneyQuotient("ltv", v, formula, num, ratFloat(churn), arpa.Currency, c.rounding)
	if err != nil {
		return LifetimeValue{}, err
	}
	life, err := op.Quotient("ltv", "1 / churn", 1, churn)
	if err != nil {
		return LifetimeValue{}, err
	}
	return LifetimeValue{MoneyMetric: m, LifetimePeriods: life}, nil
}

// DiscountedCLV returns the customer lifetime value of Gupta and Lehmann
// ("Customers as Assets", Journal of Interactive Marketing 2003; "Managing
// Customers as Investments", 2005) for a constant margin and retention over
// an infinite horizon, margins received at the end of each period:
//
//	CLV = m × r / (1 + i − r)
//
// where m is the margin per customer per period, r the retention rate per
// period in [0, 1] and i the discount rate per period (≥ 0). Example: m =
// 100.00, r = 0.8, i = 0.1 gives 100 × 0.8 / 0.3 = 266.67. Rounded with
// WithRounding (default HalfEven).
// The result carries MarginMultiple = r / (1 + i − r) beside the value.
// Errors: r outside [0, 1] or i negative (ErrInvalidRate); i not finite;
// r = 1 with i = 0 (ErrZeroDenominator: the value is unbounded); m
// negative (ErrNegativeAmount).
func DiscountedCLV(margin money.Money, retention, discount float64, opts ...MoneyOption) (DiscountedValue, error) {
	c, err := newConfig("clv", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyMoney(c)
			}
		}
	}, CLVDiscounted)
	if err != nil {
		return DiscountedValue{}, err
	}
	if err := op.Money("clv", "margin", margin, false); err != nil {
		return DiscountedValue{}, err
	}
	if err := op.Fraction("clv", "retention", retention, true); err != nil {
		return DiscountedValue{}, err
	}
	if err := op.Finite("clv", "discount rate", discount); err != nil {
		return DiscountedValue{}, err
	}
	if discount < 0 {
		return DiscountedValue{}, fmt.Errorf("revenue: clv: %w: discount rate %v is negative", errRate, discount)
	}
	num := new(big.Rat).Mul(ratInt(margin.Amount), ratFloat(retention))
	den := new(big.Rat).Add(ratInt(1), ratFloat(discount))
	den.Sub(den, ratFloat(retention))
	m, err := moneyQuotient("clv", CLVDiscounted, "m × r / (1 + i − r)", num, den, margin.Currency, c.rounding)
	if err != nil {
		return DiscountedValue{}, err
	}
	mult, _ := new(big.Rat).Quo(ratFloat(retention), den).Float64() // den ≠ 0: checked above
	if math.IsInf(mult, 0) {
		return DiscountedValue{}, fmt.Errorf("revenue: clv: %w: margin multiple r / (1 + i − r) does not fit a float64", errOverflow)
	}
	return DiscountedValue{MoneyMetric: m, MarginMultiple: mult}, nil
}

// LTVToCAC returns LTV / CAC (3 or more is the usual SaaS benchmark, David
// Skok). Errors: CAC zero (ErrDivisionByZero), negative amounts, currencies
// that differ.
func LTVToCAC(ltv, cac money.Money) (Metric, error) {
	if err := op.Money("ltv:cac", "ltv", ltv, false); err != nil {
		return Metric{}, err
	}
	if err := op.Money("ltv:cac", "cac", cac, false); err != nil {
		return Metric{}, err
	}
	if err := op.Same("ltv:cac", ltv.Currency, cac); err != nil {
		return Metric{}, err
	}
	return newMetric("ltv_to_cac", LTVToCACVariant, "ltv / cac", float64(ltv.Amount), float64(cac.Amount))
}
