// Package duration is the one duration grammar of the module, shared by
// rules files, target files and every CLI flag: a sequence of decimal
// numbers each followed by a unit, such as "30d", "36h", "1w2d" or "1.5h".
// Units are w (7 days), d (24 hours), h, m and s. Days are exactly 24
// hours: decay and windows are elapsed time, not calendar days. A duration
// must be positive and fit in a time.Duration (about 292 years).
package duration

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// MaxLen bounds the text of a duration.
const MaxLen = 64

// ErrInvalid is what every parse error matches.
var ErrInvalid = errors.New("invalid duration")

var units = map[byte]int64{
	'w': int64(7 * 24 * time.Hour),
	'd': int64(24 * time.Hour),
	'h': int64(time.Hour),
	'm': int64(time.Minute),
	's': int64(time.Second),
}

// Parse parses s. The sum is computed exactly; a total that is not a whole
// number of nanoseconds is truncated, and must still be at least 1ns.
func Parse(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(s) > MaxLen {
		return 0, fmt.Errorf("%w: longer than %d characters", ErrInvalid, MaxLen)
	}
	total := new(big.Rat)
	for i := 0; i < len(s); {
		j := i
		dot := false
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && !dot) {
			if s[j] == '.' {
				dot = true
			}
			j++
		}
		if j == i || s[i:j] == "." {
			return 0, fmt.Errorf("%w %q: expected a number at offset %d", ErrInvalid, s, i)
		}
		n, ok := new(big.Rat).SetString(s[i:j])
		if !ok {
			return 0, fmt.Errorf("%w %q: bad number %q", ErrInvalid, s, s[i:j])
		}
		if j == len(s) {
			return 0, fmt.Errorf("%w %q: missing unit (w, d, h, m or s)", ErrInvalid, s)
		}
		unit, ok := units[s[j]]
		if !ok {
			return 0, fmt.Errorf("%w %q: unknown unit %q (use w, d, h, m or s)", ErrInvalid, s, s[j])
		}
		total.Add(total, n.Mul(n, new(big.Rat).SetInt64(unit)))
		i = j + 1
	}
	ns := new(big.Int).Quo(total.Num(), total.Denom())
	if ns.Sign() <= 0 {
		return 0, fmt.Errorf("%w %q: must be at least 1ns", ErrInvalid, s)
	}
	if !ns.IsInt64() {
		return 0, fmt.Errorf("%w %q: longer than %v", ErrInvalid, s, time.Duration(1<<63-1))
	}
	return time.Duration(ns.Int64()), nil
}
