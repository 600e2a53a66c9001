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
// (ReadTouches, ReadPaths, NewTouchReader, ReadSpend). Each says what it
// applies to; a reader that builds an aggregate passes the options on.
type Option func(*config)

type config struct {
	halfLife time.Duration
	lookback time.Duration
	currency money.Currency
	maxLine  int
	norm     *ChannelMap
	order    RowOrder
	sortMem  int
	tempDir  string
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
