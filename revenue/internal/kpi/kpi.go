// Package kpi holds the checks and exact-arithmetic helpers that the
// calculators of revenue and its sub-packages share: argument checks that
// wrap the money sentinels, exact rationals of decimals, and the finite
// quotient behind every Metric. Every op string is the full prefix of the
// message, such as "revenue: cac" or "mrr: nrr".
package kpi

import (
	"fmt"
	"math"
	"math/big"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// kindErr is one of the refined kinds of invalid input (a negative amount,
// a rate outside its domain, no data, inputs that contradict each other):
// it matches its own sentinel and, as a kind of invalid input,
// diag.ErrInvalidInput too. Its message is the kind's.
type kindErr struct{ kind error }

func (e *kindErr) Error() string   { return e.kind.Error() }
func (e *kindErr) Unwrap() []error { return []error{e.kind, diag.ErrInvalidInput} }

// The module's error kinds, for wrapping with %w. ErrNegative, ErrRate,
// ErrEmpty and ErrInconsistent also match diag.ErrInvalidInput; a zero
// denominator and an overflow do not.
var (
	ErrInvalid            = diag.ErrInvalidInput
	ErrDivZero            = diag.ErrZeroDenominator
	ErrOverflow           = diag.ErrOverflow
	ErrNegative     error = &kindErr{diag.ErrNegativeAmount}
	ErrRate         error = &kindErr{diag.ErrInvalidRate}
	ErrEmpty        error = &kindErr{diag.ErrEmptyInput}
	ErrInconsistent error = &kindErr{diag.ErrInconsistentInput}
)

// CheckFraction checks 0 ≤ f ≤ 1 (ErrRate otherwise). When zeroOK is
// false the fraction divides: zero is then ErrDivZero.
func CheckFraction(op, name string, f float64, zeroOK bool) error {
	if math.IsNaN(f) || f < 0 || f > 1 {
		return fmt.Errorf("%s: %w: %s %v outside [0, 1]", op, ErrRate, name, f)
	}
	if !zeroOK && f == 0 {
		return fmt.Errorf("%s: %w: %s is zero", op, ErrDivZero, name)
	}
	return nil
}

// CheckCount rejects a negative count.
func CheckCount(op, name string, n int64) error {
	if n < 0 {
		return fmt.Errorf("%s: %w: %s %d is negative", op, ErrNegative, name, n)
	}
	return nil
}

// CheckFinite rejects NaN and ±Inf.
func CheckFinite(op, name string, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%s: %w: %s is %v", op, ErrInvalid, name, f)
	}
	return nil
}

// CheckMoney validates the currency and, unless negOK, rejects a negative amount.
func CheckMoney(op, name string, m money.Money, negOK bool) error {
	if err := m.Currency.Validate(); err != nil {
		return fmt.Errorf("%s: %s: %w", op, name, err)
	}
	if !negOK && m.Amount < 0 {
		return fmt.Errorf("%s: %w: %s %v is negative", op, ErrNegative, name, m)
	}
	return nil
}

// SameCurrency checks that every amount has cur.
func SameCurrency(op string, cur money.Currency, ms ...money.Money) error {
	for _, m := range ms {
		if m.Currency != cur {
			return &money.CurrencyMismatchError{Op: op, A: cur, B: m.Currency}
		}
	}
	return nil
}

// Quotient returns num / den, refusing a zero denominator or a non-finite
// value: no calculator returns NaN or ±Inf.
func Quotient(op, formula string, num, den float64) (float64, error) {
	if den == 0 {
		return 0, fmt.Errorf("%s: %w: %s has a zero denominator", op, ErrDivZero, formula)
	}
	val := num / den
	if math.IsNaN(val) || math.IsInf(val, 0) {
		return 0, fmt.Errorf("%s: %w: %v / %v is not finite", op, ErrOverflow, num, den)
	}
	return val, nil
}

// RatInt returns n as a big.Rat.
func RatInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// RatFloat returns a finite float as the exact rational of its shortest
// round-trip decimal: rates and margins are written as decimals, so 0.4 is
// 2/5 and 3 cents / 0.4 is exactly 7.5 (a HalfEven tie rounding to 8), not
// the 7.4999… its binary value would give.
func RatFloat(f float64) *big.Rat { return money.Decimal(f) }

// Add64 adds with an overflow check.
func Add64(a, b int64) (int64, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, ErrOverflow
	}
	return s, nil
}

// countTolerance absorbs binary noise in rates (10 ÷ 0.05 may come out as
// 200.00000000000003) so that rounding a count does not add a whole unit.
const countTolerance = 1e-9

// RoundCount rounds a non-negative count with r (nil keeps the fraction).
// A value within 1e-9 (relative) of a whole number counts as that number
// first, so 72 / 0.6 is 120 under money.Up, not 121. The rounding itself is
// r.Round on the count's exact decimal.
func RoundCount(x float64, r *money.Rounding) (float64, error) {
	if r == nil {
		return x, nil
	}
	if n := math.Round(x); math.Abs(x-n) <= countTolerance*math.Max(1, math.Abs(x)) {
		return n, nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%w: count %v is not finite", ErrInvalid, x)
	}
	v, err := r.Round(money.Decimal(x))
	if err != nil {
		return 0, err
	}
	return float64(v), nil
}

// RoundingName is r's name, or "none" for nil (fractions kept).
func RoundingName(r *money.Rounding) string {
	if r == nil {
		return "none"
	}
	return r.String()
}

// ValidRounding reports whether r is one of money's roundings.
func ValidRounding(r money.Rounding) bool { return r >= money.HalfEven && r <= money.Ceil }

// invalid is a problem with input whose message is given whole; it
// matches money.ErrInvalidInput.
type invalid struct{ msg string }

func (e *invalid) Error() string { return e.msg }
func (e *invalid) Unwrap() error { return money.ErrInvalidInput }

// Invalidf returns an error with exactly the formatted message that
// matches money.ErrInvalidInput with errors.Is.
func Invalidf(format string, a ...any) error { return &invalid{fmt.Sprintf(format, a...)} }

// Op is the package prefix of a calculator's messages ("mrr: "); its
// methods are the checks above with that prefix, so each package writes
// op.Count("churn", "lost", n) rather than wrapping every check.
type Op string

// Fraction is CheckFraction with the prefix.
func (p Op) Fraction(k, name string, f float64, zeroOK bool) error {
	return CheckFraction(string(p)+k, name, f, zeroOK)
}

// Count is CheckCount with the prefix.
func (p Op) Count(k, name string, n int64) error { return CheckCount(string(p)+k, name, n) }

// Finite is CheckFinite with the prefix.
func (p Op) Finite(k, name string, f float64) error { return CheckFinite(string(p)+k, name, f) }

// Money is CheckMoney with the prefix.
func (p Op) Money(k, name string, m money.Money, negOK bool) error {
	return CheckMoney(string(p)+k, name, m, negOK)
}

// Quotient is Quotient with the prefix.
func (p Op) Quotient(k, formula string, num, den float64) (float64, error) {
	return Quotient(string(p)+k, formula, num, den)
}

// Same is SameCurrency; the mismatch error names the operation k without
// the prefix, as money's errors do.
func (p Op) Same(k string, cur money.Currency, ms ...money.Money) error {
	return SameCurrency(k, cur, ms...)
}
