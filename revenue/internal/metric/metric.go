// Package metric builds the revenue.Metric results of the sub-packages of
// revenue (mrr, plan), with the finite-quotient guarantee of package kpi.
package metric

import (
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
