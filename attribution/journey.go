package attribution

import (
	"errors"
	"fmt"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// A Touchpoint is one marketing touch in a journey: the channel that reached
// the buyer, when, and the B2B milestones that touch produced.
type Touchpoint struct {
	Channel     string    `json:"channel"`            // e.g. "paid_search"; never empty
	Time        time.Time `json:"time"`               // when the touch happened
	Campaign    string    `json:"campaign,omitempty"` // optional campaign name; not used by the models
	LeadCreated bool      `json:"lead_created"`       // this touch created the lead
	OppCreated  bool      `json:"opp_created"`        // this touch created the opportunity
}

// A Journey is one buyer's touches, in time order, and its outcome.
// Value is zero when the journey did not convert (its currency may then be
// empty); ConversionTime is the zero time when it did not convert.
type Journey struct {
	ID             string       `json:"id"`
	Touches        []Touchpoint `json:"touches"`
	Converted      bool         `json:"converted"`
	Value          money.Money  `json:"value"`
	ConversionTime time.Time    `json:"conversion_time,omitzero"`
}

// Errors a journey or aggregate can be rejected with; test with errors.Is.
// A currency other than the aggregate's matches money.ErrCurrencyMismatch.
var (
	// ErrInvalidJourney marks a journey whose fields contradict each other
	// (touches out of time order, value on a non-converted journey, ...).
	ErrInvalidJourney = errors.New("invalid journey")
	// ErrIncompatible is returned by Merge for aggregates built with
	// different half-lives, lookback windows or currencies.
	ErrIncompatible = errors.New("incompatible aggregates")
	// ErrOverflow is returned when a count or value total would overflow
	// int64; the aggregate is left unchanged. It is the module's sentinel.
	ErrOverflow = diag.ErrOverflow
	// ErrInvalidInput marks an argument outside its domain (a number of
	// folds, a confidence level); the module's sentinel.
	ErrInvalidInput = diag.ErrInvalidInput
	// ErrInconsistentInput marks inputs that contradict each other; the
	// module's sentinel.
	ErrInconsistentInput = diag.ErrInconsistentInput
	// ErrTooManyChannels is returned when an aggregate would hold more than
	// 65535 distinct channels.
	ErrTooManyChannels = errors.New("too many distinct channels (max 65535)")
)

// journeyError is the *Error for journey id: `journey "ID": message`.
func journeyError(id string, sentinel error, format string, a ...any) *Error {
	return &Error{Kind: "journey", ID: id, Code: diag.CodeInvalid, Err: sentinel, Msg: fmt.Sprintf(format, a...)}
}

// validate checks the journey's internal consistency.
func (j *Journey) validate() error {
	bad := func(format string, a ...any) error { return journeyError(j.ID, ErrInvalidJourney, format, a...) }
	if j.Value.Amount < 0 {
		return bad("negative value %d", j.Value.Amount)
	}
	if !j.Converted {
		if j.Value.Amount != 0 {
			return bad("value %d on a journey that did not convert", j.Value.Amount)
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

// kindError is an error with its own message that matches a sentinel.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// errTotalOverflow is the error of a total that would overflow int64.
var errTotalOverflow = &kindError{"total overflows int64", ErrOverflow}
