package scoring

import (
	"time"

	"github.com/revengine/revengine/internal/duration"
)

// ParseDuration parses a rules-file duration: a sequence of decimal numbers,
// each with a unit, such as "30d", "36h", "1w2d" or "90m". Units are w
// (7 days), d (24 hours), h, m, s. Days are exactly 24 hours: decay and
// windows are measured in elapsed time, not calendar days. The result must
// be positive (at least 1ns) and fit in a time.Duration. It is the one
// duration grammar of revengine: the CLI's duration flags use it too.
func ParseDuration(s string) (time.Duration, error) { return duration.Parse(s) }
