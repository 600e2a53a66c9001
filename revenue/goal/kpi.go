package goal

import (
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/internal/kpi"
)

// Short forms of the money sentinels for messages that already name their
// package ("goal: …: invalid input: …"); errors.Is still matches them.
var (
	errInvalid      = kpi.ErrInvalid
	errDivZero      = kpi.ErrDivZero
	errOverflow     = kpi.ErrOverflow
	errNegative     = kpi.ErrNegative
	errRate         = kpi.ErrRate
	errEmpty        = kpi.ErrEmpty
	errInconsistent = kpi.ErrInconsistent
)

// The module's error kinds, as in package revenue (see revenue.ErrZeroDenominator):
// one sentinel per kind for the whole module, re-exported under the same names.
var (
	ErrZeroDenominator   = revenue.ErrZeroDenominator   // a zero denominator
	ErrCurrencyMismatch  = revenue.ErrCurrencyMismatch  // money of two currencies
	ErrNegativeAmount    = revenue.ErrNegativeAmount    // a negative amount or count
	ErrInvalidRate       = revenue.ErrInvalidRate       // a rate or share outside its domain
	ErrEmptyInput        = revenue.ErrEmptyInput        // no data
	ErrInconsistentInput = revenue.ErrInconsistentInput // inputs that contradict each other
	ErrOverflow          = revenue.ErrOverflow          // a result that does not fit
	ErrInvalidInput      = revenue.ErrInvalidInput      // any other invalid argument
)
