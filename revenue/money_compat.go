package revenue

import "github.com/revengine/revengine/money"

// Transitional names while revenue moves onto package money; removed by the
// revenue split of the foundation issue.
type (
	Money                 = money.Money
	Currency              = money.Currency
	Rounding              = money.Rounding
	CurrencyMismatchError = money.CurrencyMismatchError
)

const (
	HalfEven = money.HalfEven
	HalfUp   = money.HalfUp
	Down     = money.Down
	Up       = money.Up
	Floor    = money.Floor
	Ceil     = money.Ceil
)

var (
	ErrCurrencyMismatch = money.ErrCurrencyMismatch
	ErrInvalidCurrency  = money.ErrInvalidCurrency
	ErrOverflow         = money.ErrOverflow
	ErrDivisionByZero   = money.ErrDivisionByZero
	ErrInvalidInput     = money.ErrInvalidInput
	New                 = money.New
	Zero                = money.Zero
	Sum                 = money.Sum
	Ratio               = money.Ratio
)
