package revenue

import (
	"fmt"
	"math/big"

	"github.com/revengine/revengine/money"
)

// ROI variants.
const (
	// ROIRevenue is (attributed revenue − cost) / cost, the default.
	ROIRevenue Variant = "revenue"
	// ROIGrossProfit is (attributed revenue × gross margin − cost) / cost,
	// selected by WithGrossMargin.
	ROIGrossProfit Variant = "gross_profit"
	// ROIIncremental is (attributed revenue − organic baseline − cost) / cost,
	// selected by WithBaseline.
	ROIIncremental Variant = "incremental"
	// ROIIncrementalGrossProfit is ((revenue − baseline) × margin − cost) / cost,
	// selected by WithBaseline and WithGrossMargin together.
	ROIIncrementalGrossProfit Variant = "incremental_gross_profit"
	// ROASVariant names return on ad spend, revenue / ad spend.
	ROASVariant Variant = "revenue_over_spend"
)

// ROI returns marketing return on investment:
//
//	ROI = (attributed revenue − cost) / cost
//
// (the marketing ROI of Farris et al., "Marketing Metrics", and HubSpot's
// definition). WithGrossMargin(m) replaces revenue with gross profit,
// revenue × m, the ROMI of Farris et al.; WithBaseline(organic) subtracts
// the revenue that would have come without the spend, giving incremental
// ROI. The result's Numerator and Denominator are in minor units; Value is
// a fraction (0.5 is a 50% return) and may be negative.
//
// Errors: cost zero (ErrDivisionByZero) or negative, revenue or baseline
// negative, margin outside [0, 1] (ErrInvalidInput), currencies that differ.
func ROI(revenue, cost money.Money, opts ...ROIOption) (Metric, error) {
	c, err := newConfig("roi", func(c *kpiConfig) {
		for _, o := range opts {
			if o != nil {
				o.applyROI(c)
			}
		}
	}, ROIRevenue)
	if err != nil {
		return Metric{}, err
	}
	if err := op.Money("roi", "revenue", revenue, false); err != nil {
		return Metric{}, err
	}
	if err := op.Money("roi", "cost", cost, false); err != nil {
		return Metric{}, err
	}
	if err := op.Same("roi", revenue.Currency, cost); err != nil {
		return Metric{}, err
	}
	base := new(big.Rat).SetInt64(revenue.Amount)
	v, formula := ROIRevenue, "(revenue − cost) / cost"
	if c.hasBaseline {
		if err := op.Money("roi", "baseline", c.baseline, false); err != nil {
			return Metric{}, err
		}
		if err := op.Same("roi", revenue.Currency, c.baseline); err != nil {
			return Metric{}, err
		}
		base.Sub(base, ratInt(c.baseline.Amount))
		v, formula = ROIIncremental, "(revenue − baseline − cost) / cost"
	}
	if c.hasMargin {
		base.Mul(base, ratFloat(c.margin))
		if c.hasBaseline {
			v, formula = ROIIncrementalGrossProfit, "((revenue − baseline) × gross margin − cost) / cost"
		} else {
			v, formula = ROIGrossProfit, "(revenue × gross margin − cost) / cost"
		}
	}
	if cost.Amount == 0 {
		return Metric{}, fmt.Errorf("revenue: roi: %w: cost is zero", errDivZero)
	}
	num, _ := new(big.Rat).Sub(base, ratInt(cost.Amount)).Float64()
	return newMetric("roi", v, formula, num, float64(cost.Amount))
}

// ROAS returns return on ad spend, revenue / ad spend (Google Ads' and
// Farris et al.'s definition): 4.0 means 4 of revenue per 1 spent.
// Errors: spend zero (ErrDivisionByZero), negative amounts, mixed currencies.
func ROAS(revenue, adSpend money.Money) (Metric, error) {
	if err := op.Money("roas", "revenue", revenue, false); err != nil {
		return Metric{}, err
	}
	if err := op.Money("roas", "ad spend", adSpend, false); err != nil {
		return Metric{}, err
	}
	if err := op.Same("roas", revenue.Currency, adSpend); err != nil {
		return Metric{}, err
	}
	return newMetric("roas", ROASVariant, "revenue / ad spend", float64(revenue.Amount), float64(adSpend.Amount))
}
