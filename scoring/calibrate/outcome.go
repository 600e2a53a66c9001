package calibrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrOutcome reports a lead whose outcome field holds a value that is not
// an outcome. Such a lead is rejected with an *OutcomeError.
var ErrOutcome = errors.New("calibrate: invalid outcome")

// OutcomeError is a lead's outcome field holding something that is not an
// outcome. It matches ErrOutcome.
type OutcomeError struct {
	Field string
	Msg   string
}

// Error formats e as "outcome field FIELD: message".
func (e *OutcomeError) Error() string { return "outcome field " + e.Field + ": " + e.Msg }

// Is reports whether target is ErrOutcome.
func (e *OutcomeError) Is(target error) bool { return target == ErrOutcome }

// maxRevenue bounds a revenue value, as scoring/backtest does.
const maxRevenue = 1 << 53

// outcome is what a lead's outcome field says: known (won or lost) or open.
type outcome struct{ known, won bool }

// readOutcome reads a lead's outcome with the conventions of
// scoring/backtest (revengine diff --outcomes): "won" or "lost" (any case,
// surrounding space ignored), "open" or "" or a missing or null field
// (open: no outcome yet), a boolean (true = won), or revenue, a number
// (won when > 0).
func readOutcome(m map[string]any, field string) (outcome, error) {
	x, ok := m[field]
	if !ok || x == nil {
		return outcome{}, nil
	}
	num := func(f float64) (outcome, error) {
		if math.IsNaN(f) || math.Abs(f) > maxRevenue {
			return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("revenue %v is beyond ±2^53", f)}
		}
		return outcome{known: true, won: f > 0}, nil
	}
	switch v := x.(type) {
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "won":
			return outcome{known: true, won: true}, nil
		case "lost":
			return outcome{known: true}, nil
		case "open", "":
			return outcome{}, nil
		}
		return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf(`want "won", "lost", "open", a boolean or a number, got %q`, v)}
	case bool:
		return outcome{known: true, won: v}, nil
	case float64:
		return num(v)
	case float32:
		return num(float64(v))
	case int:
		return num(float64(v))
	case int64:
		return num(float64(v))
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf("number %s: %v", v, err)}
		}
		return num(f)
	}
	return outcome{}, &OutcomeError{Field: field, Msg: fmt.Sprintf(`want "won", "lost", "open", a boolean or a number, got %T`, x)}
}
