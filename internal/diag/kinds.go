package diag

import "errors"

// The module's error kinds for calculators: one sentinel per kind, shared by
// every package (money, revenue, survey, attribution, scoring re-export the
// ones they return under the same names), so errors.Is(err,
// revenue.ErrZeroDenominator) and errors.Is(err, money.ErrDivisionByZero)
// are the same test. Messages carry no package prefix; the package that
// wraps one adds its own context once.
var (
	// ErrZeroDenominator reports a ratio, rate or division whose
	// denominator is zero (no leads for a conversion rate, zero churn in a
	// lifetime value, a zero divisor).
	ErrZeroDenominator = errors.New("zero denominator")
	// ErrCurrencyMismatch reports money inputs of two currencies.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrNegativeAmount reports a negative amount or count where only zero
	// or more makes sense (a spend, a cost, a number of customers).
	ErrNegativeAmount = errors.New("negative amount")
	// ErrInvalidRate reports a rate or share outside its domain (a churn
	// rate above 1, a conversion rate below 0, a confidence level of 1).
	ErrInvalidRate = errors.New("invalid rate")
	// ErrEmptyInput reports a calculation given no data at all.
	ErrEmptyInput = errors.New("empty input")
	// ErrInconsistentInput reports inputs that contradict each other (a
	// later funnel stage larger than an earlier one, marketing-sourced
	// revenue above total revenue, an end before a start).
	ErrInconsistentInput = errors.New("inconsistent input")
	// ErrOverflow reports a result that does not fit its type (int64 minor
	// units, a finite float64).
	ErrOverflow = errors.New("overflow")
	// ErrInvalidInput reports any other argument outside its domain (NaN,
	// Inf, an unknown option value).
	ErrInvalidInput = errors.New("invalid input")
)
