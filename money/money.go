// Package money is exact money: an integer number of minor units (cents
// for USD) with an ISO 4217 currency. Every package of revengine that
// handles an amount uses it, so that sums never lose a cent, mixing
// currencies is always an error, and every rounding is named.
//
// Arithmetic returns an error instead of wrapping on overflow: Add, Sub and
// Sum compute in a wider type and fail only when the result does not fit in
// int64 minor units. Scaling (Mul, MulFrac, MulRat) is exact and rounds
// once, with a Rounding the caller names. Allocate splits an amount into
// parts that add back up to it exactly.
//
// JSON: a Money encodes as {"amount_minor":1050,"currency":"USD"}, the one
// encoding of money in every result type of the module.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"sort"
	"strconv"
	"strings"

	"github.com/revengine/revengine/internal/diag"
)

// Errors returned by Money arithmetic. Test with errors.Is. They are the
// module's shared error kinds: revenue.ErrZeroDenominator is
// ErrDivisionByZero, revenue.ErrOverflow is ErrOverflow, and so on.
var (
	// ErrCurrencyMismatch reports an operation on amounts of two currencies.
	ErrCurrencyMismatch = diag.ErrCurrencyMismatch
	// ErrInvalidCurrency reports a currency code that is not three upper-case letters.
	ErrInvalidCurrency = errors.New("invalid currency code")
	// ErrOverflow reports a result outside the range of int64 minor units.
	ErrOverflow = diag.ErrOverflow
	// ErrDivisionByZero reports a zero divisor or denominator: the
	// module's ErrZeroDenominator.
	ErrDivisionByZero = diag.ErrZeroDenominator
	// ErrInvalidInput reports an argument outside its domain (NaN, Inf, negative weights...).
	ErrInvalidInput = diag.ErrInvalidInput
)

// CurrencyMismatchError is the error for an operation on two currencies. It
// matches ErrCurrencyMismatch with errors.Is.
type CurrencyMismatchError struct {
	Op   string   // the operation, e.g. "add"
	A, B Currency // the two currencies
}

func (e *CurrencyMismatchError) Error() string {
	return fmt.Sprintf("money: %s: currency mismatch: %s and %s", e.Op, e.A, e.B)
}

// Is reports whether target is ErrCurrencyMismatch.
func (e *CurrencyMismatchError) Is(target error) bool { return target == ErrCurrencyMismatch }

// Currency is an ISO 4217 alphabetic currency code such as "USD" or "EUR".
type Currency string

// Validate reports whether c is three upper-case ASCII letters. It does not
// check membership of the ISO 4217 list, so that new codes need no release.
func (c Currency) Validate() error {
	if len(c) != 3 {
		return fmt.Errorf("%w: %q", ErrInvalidCurrency, string(c))
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return fmt.Errorf("%w: %q", ErrInvalidCurrency, string(c))
		}
	}
	return nil
}

// Exponent is the number of decimal digits of the currency's minor unit per
// ISO 4217: 2 for most (USD cents), 0 for JPY, KRW and others, 3 for BHD,
// JOD, KWD, OMR, TND, IQD and LYD. It only affects formatting.
func (c Currency) Exponent() int {
	switch c {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
		"UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// Money is an exact amount: an integer number of minor units (cents for USD)
// in a currency. The zero value is zero of no currency; arithmetic with it
// fails with ErrInvalidCurrency. Money is a small value type, safe to copy and
// to use from many goroutines.
type Money struct {
	Amount   int64    // minor units, e.g. 1050 is USD 10.50
	Currency Currency // ISO 4217 code
}

// New returns amount minor units of currency cur.
func New(amount int64, cur Currency) Money { return Money{Amount: amount, Currency: cur} }

// Zero returns zero in currency cur.
func Zero(cur Currency) Money { return Money{Currency: cur} }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Amount == 0 }

// IsNegative reports whether the amount is below zero.
func (m Money) IsNegative() bool { return m.Amount < 0 }

func (m Money) check(op string, o Money) error {
	if err := m.Currency.Validate(); err != nil {
		return fmt.Errorf("money: %s: %w", op, err)
	}
	if m.Currency != o.Currency {
		return &CurrencyMismatchError{Op: op, A: m.Currency, B: o.Currency}
	}
	return nil
}

// Add returns m + o. Different currencies are an error, as is overflow.
func (m Money) Add(o Money) (Money, error) {
	if err := m.check("add", o); err != nil {
		return Money{}, err
	}
	s := m.Amount + o.Amount
	if (s > m.Amount) != (o.Amount > 0) {
		return Money{}, fmt.Errorf("money: add %v + %v: %w", m, o, ErrOverflow)
	}
	return Money{s, m.Currency}, nil
}

// Sub returns m − o. Different currencies are an error, as is overflow.
func (m Money) Sub(o Money) (Money, error) {
	if err := m.check("sub", o); err != nil {
		return Money{}, err
	}
	d := m.Amount - o.Amount
	if (d < m.Amount) != (o.Amount > 0) {
		return Money{}, fmt.Errorf("money: sub %v − %v: %w", m, o, ErrOverflow)
	}
	return Money{d, m.Currency}, nil
}

// Neg returns −m. Negating the most negative int64 is an overflow.
func (m Money) Neg() (Money, error) {
	if m.Amount == math.MinInt64 {
		return Money{}, fmt.Errorf("money: neg %v: %w", m, ErrOverflow)
	}
	return Money{-m.Amount, m.Currency}, nil
}

// Cmp compares m and o: −1 if m < o, 0 if equal, +1 if m > o. Different
// currencies are an error.
func (m Money) Cmp(o Money) (int, error) {
	if err := m.check("compare", o); err != nil {
		return 0, err
	}
	switch {
	case m.Amount < o.Amount:
		return -1, nil
	case m.Amount > o.Amount:
		return 1, nil
	}
	return 0, nil
}

// Sum adds amounts that must all share cur. An empty list sums to Zero(cur).
// The running total is kept in a wider integer, so intermediate sums may
// leave the int64 range (MaxInt64 + 1 − 1 is MaxInt64); only a final total
// that does not fit is ErrOverflow.
func Sum(cur Currency, ms ...Money) (Money, error) {
	if err := cur.Validate(); err != nil {
		return Money{}, fmt.Errorf("money: sum: %w", err)
	}
	var acc wide
	for _, m := range ms {
		if m.Currency != cur {
			return Money{}, &CurrencyMismatchError{Op: "sum", A: cur, B: m.Currency}
		}
		acc.add(m.Amount)
	}
	v, ok := acc.int64()
	if !ok {
		return Money{}, fmt.Errorf("money: sum of %d amounts in %s: %w", len(ms), cur, ErrOverflow)
	}
	return Money{v, cur}, nil
}

// Accumulator sums amounts of one currency in a wider integer, for totals
// over streams too long to hold in a slice. The zero value is not usable;
// start with NewAccumulator.
type Accumulator struct {
	cur Currency
	acc wide
	err error
}

// NewAccumulator returns an empty running total in cur.
func NewAccumulator(cur Currency) *Accumulator {
	a := &Accumulator{cur: cur}
	if err := cur.Validate(); err != nil {
		a.err = fmt.Errorf("money: sum: %w", err)
	}
	return a
}

// Add adds m to the total. A currency other than the accumulator's makes
// Total fail; the first such error is kept.
func (a *Accumulator) Add(m Money) {
	if a.err != nil {
		return
	}
	if m.Currency != a.cur {
		a.err = &CurrencyMismatchError{Op: "sum", A: a.cur, B: m.Currency}
		return
	}
	a.acc.add(m.Amount)
}

// Total returns the sum so far, ErrOverflow when it does not fit in int64
// minor units, or the first currency error.
func (a *Accumulator) Total() (Money, error) {
	if a.err != nil {
		return Money{}, a.err
	}
	v, ok := a.acc.int64()
	if !ok {
		return Money{}, fmt.Errorf("money: sum in %s: %w", a.cur, ErrOverflow)
	}
	return Money{v, a.cur}, nil
}

// wide is a 128-bit two's-complement integer, enough for the sum of 2^63
// int64 values.
type wide struct{ hi, lo uint64 }

func (w *wide) add(v int64) {
	lo, carry := bits.Add64(w.lo, uint64(v), 0)
	ext := uint64(0)
	if v < 0 {
		ext = ^uint64(0)
	}
	w.hi, _ = bits.Add64(w.hi, ext, carry)
	w.lo = lo
}

func (w wide) int64() (int64, bool) {
	v := int64(w.lo)
	if (v < 0 && w.hi == ^uint64(0)) || (v >= 0 && w.hi == 0) {
		return v, true
	}
	return 0, false
}

// Rounding says how a fractional number of minor units becomes an integer.
// There is no default: every scaling or division names its rounding.
type Rounding int

const (
	// HalfEven rounds to the nearest minor unit, ties to the even one
	// (banker's rounding; unbiased over many operations).
	HalfEven Rounding = iota
	// HalfUp rounds to the nearest minor unit, ties away from zero
	// (commercial rounding).
	HalfUp
	// Down truncates toward zero.
	Down
	// Up rounds away from zero.
	Up
	// Floor rounds toward negative infinity.
	Floor
	// Ceil rounds toward positive infinity.
	Ceil
)

// String returns the rounding's name, e.g. "half_even".
func (r Rounding) String() string {
	switch r {
	case HalfEven:
		return "half_even"
	case HalfUp:
		return "half_up"
	case Down:
		return "down"
	case Up:
		return "up"
	case Floor:
		return "floor"
	case Ceil:
		return "ceil"
	}
	return "Rounding(" + strconv.Itoa(int(r)) + ")"
}

// Round rounds the exact rational q to an integer with mode r: for money
// that integer is minor units, for counts (customers, leads) it is the count.
// A result outside int64 is ErrOverflow.
func (r Rounding) Round(q *big.Rat) (int64, error) {
	num, den := q.Num(), q.Denom() // den > 0
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Sign() != 0 {
		neg := num.Sign() < 0
		away := false
		switch r {
		case Down:
		case Up:
			away = true
		case Floor:
			away = neg
		case Ceil:
			away = !neg
		case HalfUp, HalfEven:
			twice := new(big.Int).Abs(rem)
			twice.Lsh(twice, 1)
			c := twice.Cmp(den)
			away = c > 0 || (c == 0 && (r == HalfUp || quo.Bit(0) == 1))
		default:
			return 0, fmt.Errorf("%w: unknown rounding %v", ErrInvalidInput, r)
		}
		if away {
			if neg {
				quo.Sub(quo, big.NewInt(1))
			} else {
				quo.Add(quo, big.NewInt(1))
			}
		}
	}
	if !quo.IsInt64() {
		return 0, ErrOverflow
	}
	return quo.Int64(), nil
}

// MulFrac returns m × num/den, computed exactly and rounded once with r.
func (m Money) MulFrac(num, den int64, r Rounding) (Money, error) {
	if den == 0 {
		return Money{}, fmt.Errorf("money: scale %v by %d/0: %w", m, num, ErrDivisionByZero)
	}
	q := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(m.Amount), big.NewInt(num)), big.NewInt(den))
	v, err := r.Round(q)
	if err != nil {
		return Money{}, fmt.Errorf("money: scale %v by %d/%d: %w", m, num, den, err)
	}
	return Money{v, m.Currency}, nil
}

// Mul returns m × f rounded once with r. The float is taken at its shortest
// round-trip decimal (0.1 is exactly 1/10), so a price of 10.05 × 0.9 is
// 9.045 exactly and rounds half-even to 9.04. NaN and Inf are errors.
func (m Money) Mul(f float64, r Rounding) (Money, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Money{}, fmt.Errorf("money: scale %v by %v: %w", m, f, ErrInvalidInput)
	}
	return m.MulRat(Decimal(f), r)
}

// MulRat returns m × q, exactly, rounded once with r.
func (m Money) MulRat(q *big.Rat, r Rounding) (Money, error) {
	p := new(big.Rat).Mul(q, new(big.Rat).SetInt64(m.Amount))
	v, err := r.Round(p)
	if err != nil {
		return Money{}, fmt.Errorf("money: scale %v by %s: %w", m, q.RatString(), err)
	}
	return Money{v, m.Currency}, nil
}

// OnePlus returns 1 + x exactly, x taken at its shortest decimal: a change
// of −0.07 scales by exactly 0.93, which the float 1 − 0.07 =
// 0.9299999999999999 would not.
func OnePlus(x float64) *big.Rat {
	return new(big.Rat).Add(big.NewRat(1, 1), Decimal(x))
}

// Div returns m / n rounded with r. Use Allocate to split an amount into
// parts that add back up exactly.
func (m Money) Div(n int64, r Rounding) (Money, error) { return m.MulFrac(1, n, r) }

// Ratio returns a / b as a float64 (for rates such as ROI). The currencies
// must match and b must not be zero.
func Ratio(a, b Money) (float64, error) {
	if err := a.check("ratio", b); err != nil {
		return 0, err
	}
	if b.Amount == 0 {
		return 0, fmt.Errorf("money: ratio %v / %v: %w", a, b, ErrDivisionByZero)
	}
	return float64(a.Amount) / float64(b.Amount), nil
}

// Allocate splits m into len(weights) parts proportional to the weights that
// add back up to m exactly, by the largest-remainder (Hamilton) method: each
// part first gets the truncation toward zero of its exact quota
// m × wᵢ/Σw; the minor units left over then go one each to the parts with the
// largest remainders, ties to the earlier part. Each weight is taken at the
// shortest decimal that round-trips to it (strconv.FormatFloat with
// precision −1), so 0.1 is exactly 1/10 and weights written as decimals
// (seasonal shares 0.3, 0.1, 0.3) tie where their decimal quotas tie rather
// than where their binary approximations happen to fall. Weights must be
// finite and non-negative with a positive sum. Split 100.00 in 3 equal parts
// gives 33.34, 33.33, 33.33.
func (m Money) Allocate(weights ...float64) ([]Money, error) {
	if len(weights) == 0 {
		return nil, fmt.Errorf("money: allocate %v: %w: no weights", m, ErrInvalidInput)
	}
	total := new(big.Rat)
	ws := make([]*big.Rat, len(weights))
	for i, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return nil, fmt.Errorf("money: allocate %v: %w: weight %d is %v", m, ErrInvalidInput, i, w)
		}
		ws[i] = Decimal(w)
		total.Add(total, ws[i])
	}
	if total.Sign() == 0 {
		return nil, fmt.Errorf("money: allocate %v: %w: weights sum to zero", m, ErrDivisionByZero)
	}
	sign := int64(1)
	amount := new(big.Int).SetInt64(m.Amount)
	if m.Amount < 0 {
		sign = -1
		amount.Neg(amount)
	}
	parts := make([]Money, len(weights))
	rems := make([]*big.Rat, len(weights))
	left := new(big.Int).Set(amount)
	for i, w := range ws {
		q := new(big.Rat).Mul(w, new(big.Rat).SetInt(amount))
		q.Quo(q, total)
		whole := new(big.Int).Quo(q.Num(), q.Denom())
		rems[i] = new(big.Rat).Sub(q, new(big.Rat).SetInt(whole))
		left.Sub(left, whole)
		parts[i] = Money{sign * whole.Int64(), m.Currency}
	}
	// left < len(weights): hand out one unit each to the largest
	// remainders, ties to the earlier part (a stable sort keeps index order).
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].Cmp(rems[order[b]]) > 0 })
	for k := int64(0); k < left.Int64(); k++ {
		parts[order[k]].Amount += sign
	}
	return parts, nil
}

// Decimal returns the finite float w as the exact rational of its
// shortest round-trip decimal representation: 0.1 → 1/10, not the binary
// 0.1000000000000000055…. Rates, margins and weights enter money
// arithmetic through it, so that they scale as they were written.
func Decimal(w float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(w, 'g', -1, 64))
	if !ok { // cannot happen for a finite float; fall back to the binary value
		return new(big.Rat).SetFloat64(w)
	}
	return r
}

// String formats m as "USD 1234.56", with the currency's minor-unit digits.
func (m Money) String() string {
	exp := m.Currency.Exponent()
	neg := m.Amount < 0
	u := uint64(m.Amount)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if exp > 0 {
		if len(digits) <= exp {
			digits = strings.Repeat("0", exp-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		digits = "-" + digits
	}
	if m.Currency == "" {
		return digits
	}
	return string(m.Currency) + " " + digits
}

type moneyJSON struct {
	AmountMinor int64    `json:"amount_minor"`
	Currency    Currency `json:"currency"`
}

// MarshalJSON encodes m as {"amount_minor":1050,"currency":"USD"}.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{m.Amount, m.Currency})
}

// UnmarshalJSON decodes the form MarshalJSON writes and validates the currency.
func (m *Money) UnmarshalJSON(b []byte) error {
	var j moneyJSON
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("money: money: %w", err)
	}
	if err := j.Currency.Validate(); err != nil {
		return err
	}
	*m = Money{j.AmountMinor, j.Currency}
	return nil
}
