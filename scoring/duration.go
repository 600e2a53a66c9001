package scoring

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// ParseDuration parses a rules-file duration: a sequence of decimal numbers,
// each with a unit, such as "30d", "36h", "1w2d" or "90m". Units are w
// (7 days), d (24 hours), h, m, s. Days are exactly 24 hours: decay and
// windows are measured in elapsed time, not calendar days. The result must
// be positive.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total float64
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		if j == i {
			return 0, fmt.Errorf("invalid duration %q: expected a number at offset %d", s, i)
		}
		n, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: bad number %q", s, s[i:j])
		}
		if j == len(s) {
			return 0, fmt.Errorf("invalid duration %q: missing unit (w, d, h, m or s)", s)
		}
		var unit time.Duration
		switch s[j] {
		case 'w':
			unit = 7 * 24 * time.Hour
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		case 's':
			unit = time.Second
		default:
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use w, d, h, m or s)", s, s[j])
		}
		total += n * float64(unit)
		i = j + 1
	}
	if total <= 0 || total > math.MaxInt64 {
		return 0, fmt.Errorf("invalid duration %q: must be positive and below 292 years", s)
	}
	return time.Duration(total), nil
}
