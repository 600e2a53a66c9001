package goal

import "github.com/revengine/revengine/revenue/internal/kpi"

// Short forms of the money sentinels for messages that already name their
// package ("goal: …: invalid input: …"); errors.Is still matches them.
var (
	errInvalid  = kpi.ErrInvalid
	errDivZero  = kpi.ErrDivZero
	errOverflow = kpi.ErrOverflow
)
