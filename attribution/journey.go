package attribution

import (
	"errors"
	"fmt"
	"time"
)

// A Touchpoint is one marketing touch in a journey: the channel that reached
// the buyer, when, and the B2B milestones that touch produced.
type Touchpoint struct {
	Channel     string    // e.g. "paid_search"; never empty
	Time        time.Time // when the touch happened
	Campaign    string    // optional campaign name; not used by the models
	LeadCreated bool      // this touch created the lead
	OppCreated  bool      // this touch created the opportunity
}

// A Journey is one buyer's touches, in time order, and its outcome.
// Value is in integer minor units (cents) and is zero when the journey did
// not convert; ConversionTime is the zero time when it did not convert.
type Journey struct {
	ID             string
	Touches        []Touchpoint
	Converted      bool
	Value          int64
	ConversionTime time.Time
}

// Errors a journey or aggregate can be rejected with; test with errors.Is.
var (
	// ErrInvalidJourney marks a journey whose fields contradict each other
	// (touches out of time order, value on a non-converted journey, ...).
	ErrInvalidJourney = errors.New("invalid journey")
	// ErrIncompatible is returned by Merge for aggregates built with
	// different half-lives or lookback windows.
	ErrIncompatible = errors.New("incompatible aggregates")
	// ErrOverflow is returned when a count or value total would overflow
	// int64; the aggregate is left unchanged.
	ErrOverflow = errors.New("total overflows int64")
	// ErrTooManyChannels is returned when an aggregate would hold more than
	// 65535 distinct channels.
	ErrTooManyChannels = errors.New("too many distinct channels (max 65535)")
)

// A JourneyError says which journey was rejected and why. It unwraps to
// ErrInvalidJourney.
type JourneyError struct {
	ID  string // journey id
	Msg string // what is wrong, e.g. "touch 3 is before touch 2"
}

// Error returns "journey \"ID\": message".
func (e *JourneyError) Error() string { return fmt.Sprintf("journey %q: %s", e.ID, e.Msg) }

// Unwrap makes errors.Is(err, ErrInvalidJourney) true.
func (e *JourneyError) Unwrap() error { return ErrInvalidJourney }

// validate checks the journey's internal consistency.
func (j *Journey) validate() error {
	bad := func(format string, a ...any) error {
		return &JourneyError{ID: j.ID, Msg: fmt.Sprintf(format, a...)}
	}
	if j.Value < 0 {
		return bad("negative value %d", j.Value)
	}
	if !j.Converted {
		if j.Value != 0 {
			return bad("value %d on a journey that did not convert", j.Value)
		}
		if !j.ConversionTime.IsZero() {
			return bad("conversion time on a journey that did not convert")
		}
	} else if j.ConversionTime.IsZero() {
		return bad("converted journey without a conversion time")
	}
	for i := range j.Touches {
		t := &j.Touches[i]
		if t.Channel == "" {
			return bad("touch %d has an empty channel", i+1)
		}
		if i > 0 && t.Time.Before(j.Touches[i-1].Time) {
			return bad("touch %d (%s) is before touch %d (%s)", i+1, t.Time.Format(time.RFC3339), i, j.Touches[i-1].Time.Format(time.RFC3339))
		}
		if j.Converted && t.Time.After(j.ConversionTime) {
			return bad("touch %d (%s) is after the conversion (%s)", i+1, t.Time.Format(time.RFC3339), j.ConversionTime.Format(time.RFC3339))
		}
	}
	return nil
}
