package revenue

import (
	"github.com/revengine/revengine/internal/diag"
)

// Error is one problem with a row or field of an input file. It is the one
// error type of the module (scoring.Error, survey.Error and the readers of
// mrr and goal return the same type), so errors.As works the same way
// everywhere. Its message reads "name:line:col: column: message": Line is
// the row's first line, Column the 1-based field number and ID the column
// name. Data problems wrap money.ErrInvalidInput, a file that does not
// parse (a bad quote, an unknown or missing column, a row of the wrong
// width) ErrSyntax, a record over the bound ErrLineTooLong.
type Error = diag.Error

// Errors is every problem found in one input, sorted by position. A reader
// returns all of them at once, beside the rows it could read; errors.As
// finds an *Error in it and errors.Is matches the sentinels of its
// elements.
type Errors = diag.List

// The module's error kinds, one sentinel per kind shared by every package
// (money.ErrDivisionByZero is ErrZeroDenominator, money.ErrOverflow is
// ErrOverflow, survey.ErrInvalidRate is ErrInvalidRate, …). Test with
// errors.Is. ErrNegativeAmount, ErrInvalidRate, ErrEmptyInput and
// ErrInconsistentInput are kinds of invalid input: an error of one of them
// also matches ErrInvalidInput. ErrZeroDenominator, ErrOverflow and
// ErrCurrencyMismatch do not.
var (
	// ErrZeroDenominator reports a ratio whose denominator is zero (no
	// customers for CAC, zero churn for LTV, no won deals for a mean).
	ErrZeroDenominator = diag.ErrZeroDenominator
	// ErrCurrencyMismatch reports money inputs of two currencies; the
	// error is a *money.CurrencyMismatchError.
	ErrCurrencyMismatch = diag.ErrCurrencyMismatch
	// ErrNegativeAmount reports a negative amount or count.
	ErrNegativeAmount = diag.ErrNegativeAmount
	// ErrInvalidRate reports a rate, share or margin outside its domain.
	ErrInvalidRate = diag.ErrInvalidRate
	// ErrEmptyInput reports a calculation given no data.
	ErrEmptyInput = diag.ErrEmptyInput
	// ErrInconsistentInput reports inputs that contradict each other.
	ErrInconsistentInput = diag.ErrInconsistentInput
	// ErrOverflow reports a result that does not fit int64 minor units or a
	// finite float64.
	ErrOverflow = diag.ErrOverflow
	// ErrInvalidInput reports any other argument outside its domain.
	ErrInvalidInput = diag.ErrInvalidInput
)

// Sentinel errors of the readers, shared by the whole module.
var (
	// ErrSyntax reports input that does not parse.
	ErrSyntax = diag.ErrSyntax
	// ErrLineTooLong reports a record longer than the reader's bound.
	ErrLineTooLong = diag.ErrLineTooLong
	// ErrInternal reports a bug in revengine, returned instead of a panic.
	ErrInternal = diag.ErrInternal
)
