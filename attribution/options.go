package attribution

import (
	"time"

	"github.com/revengine/revengine/internal/lineio"
	"github.com/revengine/revengine/money"
)

// DefaultCurrency is the currency of journey values when none is given
// (WithCurrency, or a currency column).
const DefaultCurrency money.Currency = "USD"

// An Option configures an aggregate (NewAggregate) or a reader
// (ReadTouches, ReadPaths, NewTouchReader, ReadLiftTests). Each says what it
// applies to; a reader that builds an aggregate passes the options on.
type Option func(*config)

type config struct {
	halfLife time.Duration
	lookback time.Duration
	currency money.Currency
	maxLine  int
	norm     *ChannelMap
	period   Period
	order    RowOrder
	sortMem  int
	tempDir  string
	regroup  int // WithRegroupWindow
}

func newConfig(opts []Option) config {
	c := config{halfLife: DefaultHalfLife, currency: DefaultCurrency, maxLine: lineio.DefaultMaxLine}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithHalfLife sets the half-life of the time-decay model (default
// DefaultHalfLife). Time-decay credit is accumulated journey by journey as
// the data streams in, so the half-life is fixed when the aggregate is
// built. A non-positive d keeps the default.
func WithHalfLife(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.halfLife = d
		}
	}
}

// WithLookback keeps only the touches of a converting journey that happened
// at most d before its conversion. A converting journey left with no
// touches is unattributed. Journeys that did not convert keep all their
// touches (they have no conversion to look back from). Every model sees
// only the touches inside the window: a lead created by a touch before it
// is a missing W-shaped role. d ≤ 0 disables the window (the default).
func WithLookback(d time.Duration) Option {
	return func(c *config) { c.lookback = max(d, 0) }
}

// WithCurrency sets the currency of the journeys' values and of spend
// (default DefaultCurrency). An input has one currency: a currency column,
// where a format has one, may be empty or name this currency; any other is
// an error, so currencies are never mixed. An aggregate rejects journeys in
// another currency.
func WithCurrency(cur money.Currency) Option { return func(c *config) { c.currency = cur } }

// MaxRecordBytes bounds the bytes of one CSV record (a quoted field may span
// lines; default 1 MiB). A longer record is an error matching
// ErrLineTooLong at its line; the reader goes on with the next line.
// n ≤ 0 keeps the default.
func MaxRecordBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxLine = n
		}
	}
}

// A Period is a half-open time interval [From, To). The zero Period is no
// period.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.From.IsZero() && p.To.IsZero() }

// Contains reports whether t is in [From, To).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// String formats the period as "FROM..TO" in RFC 3339.
func (p Period) String() string {
	if p.IsZero() {
		return "none"
	}
	return p.From.Format(time.RFC3339) + ".." + p.To.Format(time.RFC3339)
}

// WithPeriod keeps only the journeys that ended in [from, to): a
// converting journey by its conversion time, one that did not convert by
// its last touch; a journey with neither (no touches, no conversion) is
// kept. The others are counted in Aggregate.OutsidePeriod, not in the
// totals — so that a result can be set against lift tests of that period
// (Calibrate). Path-aggregated input has no times and refuses a period.
// A period whose end is not after its start keeps nothing; the zero
// times disable it.
func WithPeriod(from, to time.Time) Option {
	return func(c *config) { c.period = Period{From: from, To: to} }
}
