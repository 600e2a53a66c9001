// Package metric builds the revenue.Metric results of the sub-packages of
// revenue (mrr, plan), with the finite-quotient guarantee of package kpi.
package metric

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// New builds a Metric, refusing a zero denominator or a non-finite value;
// op is the package prefix of the messages.
func New(op kpi.Op, name string, v revenue.Variant, formula string, num, den float64) (revenue.Metric, error) {
	val, err := op.Quotient(name, formula, num, den)
	if err != nil {
		return revenue.Metric{}, err
	}
	return revenue.Metric{KPI: name, Variant: v, Formula: formula, Value: val, Numerator: num, Denominator: den}, nil
}

// Money builds a MoneyMetric num / den (num in minor units) rounded once
// with r, refusing a zero denominator and a value that does not fit.
func Money(op kpi.Op, name string, v revenue.Variant, formula string, num, den *big.Rat, cur money.Currency, r money.Rounding) (revenue.MoneyMetric, error) {
	if den.Sign() == 0 {
		return revenue.MoneyMetric{}, fmt.Errorf("%s%s: %w: %s has a zero denominator", op, name, kpi.ErrDivZero, formula)
	}
	q := new(big.Rat).Quo(num, den)
	amt, err := r.Round(q)
	if err != nil {
		return revenue.MoneyMetric{}, fmt.Errorf("%s%s: %w", op, name, err)
	}
	exact, _ := q.Float64()
	nf, _ := num.Float64()
	df, _ := den.Float64()
	if math.IsInf(exact, 0) || math.IsInf(nf, 0) || math.IsInf(df, 0) {
		return revenue.MoneyMetric{}, fmt.Errorf("%s%s: %w", op, name, kpi.ErrOverflow)
	}
	return revenue.MoneyMetric{KPI: name, Variant: v, Formula: formula, Value: money.Money{Amount: amt, Currency: cur}, Exact: exact,
		Rounding: r.String(), Numerator: nf, Denominator: df}, nil
}
