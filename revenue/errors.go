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

// Sentinel errors of the readers, shared by the whole module. Test with
// errors.Is. Calculators wrap the sentinels of package money
// (money.ErrInvalidInput, money.ErrDivisionByZero, money.ErrOverflow,
// money.ErrCurrencyMismatch).
var (
	// ErrSyntax reports input that does not parse.
	ErrSyntax = diag.ErrSyntax
	// ErrLineTooLong reports a record longer than the reader's bound.
	ErrLineTooLong = diag.ErrLineTooLong
	// ErrInternal reports a bug in revengine, returned instead of a panic.
	ErrInternal = diag.ErrInternal
)
