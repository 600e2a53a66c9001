package calibrate

import (
	"github.com/revengine/revengine/scoring/backtest"
)

// ErrOutcome reports a lead whose outcome field holds a value that is not
// an outcome: the module's one, backtest.ErrOutcome.
var ErrOutcome = backtest.ErrOutcome

// OutcomeError is a lead's outcome field holding something that is not an
// outcome (backtest's); it matches ErrOutcome.
type OutcomeError = backtest.OutcomeError

// outcome is what a lead's outcome field says: known (won or lost) or open.
type outcome struct{ known, won bool }

// readOutcome reads a lead's outcome with the one reader of outcomes,
// backtest.ReadOutcome (the conventions of revengine diff --outcomes).
func readOutcome(m map[string]any, field string) (outcome, error) {
	o, err := backtest.ReadOutcome(m, field)
	return outcome{known: o.Known, won: o.Won}, err
}
