package revenue

import (
	"github.com/revengine/revengine/internal/rows"
	"github.com/revengine/revengine/money"
)

// ReadOption is an optional setting of the CSV readers of revenue, mrr and
// goal: WithCurrency, MaxRecordBytes or MaxErrors.
type ReadOption func(*rows.Config)

// WithCurrency sets the currency of the amounts read, an ISO 4217 code
// (default USD). An invalid code is an error of the read.
func WithCurrency(cur money.Currency) ReadOption {
	return func(c *rows.Config) { c.Currency = cur }
}

// MaxRecordBytes bounds the bytes of one record, all its lines included (default
// 1 MiB). A longer record is reported as an *Error matching ErrLineTooLong
// with its line and the read goes on with the next one (a line longer than
// 64 times the bound ends the read), so no input can exhaust memory.
func MaxRecordBytes(n int) ReadOption { return func(c *rows.Config) { c.MaxRecord = n } }

// MaxErrors bounds the problems a reader reports before it stops (default
// 1000); the last one says so.
func MaxErrors(n int) ReadOption { return func(c *rows.Config) { c.MaxErrors = n } }
