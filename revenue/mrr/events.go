package mrr

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/rows"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// Columns of the event log.
const (
	colCustomer = iota
	colDate
	colMRR
)

var eventSpec = rows.Spec{Columns: []csvio.Column{
	{Name: "customer_id", Required: true}, {Name: "date", Required: true}, {Name: "mrr", Required: true},
}}

// ReadEvents reads a subscription event log: CSV with the columns
// customer_id, date (YYYY-MM-DD) and mrr (the customer's
// monthly-normalised MRR from that date on, minor units of the
// revenue.WithCurrency currency, default USD; 0 means no paid
// subscription). name is used in error positions ("events.csv").
//
// The header, the options and the errors are those of every revenue
// reader (see the package doc of revenue): every valid row is returned as
// an Event with its Line, and every problem is listed at once in a
// revenue.Errors, each "events.csv:3:2: date: …". An input without a
// single event is an error too. Rows keep file order, which NewBridge uses
// to let the later of two same-day rows win.
func ReadEvents(ctx context.Context, r io.Reader, name string, opts ...revenue.ReadOption) (_ []Event, err error) {
	defer diag.Recover(&err, "mrr: read events")
	cfg, err := rows.Configure(opts)
	if err != nil {
		return nil, fmt.Errorf("mrr: read events %s: %w", name, err)
	}
	out, err := rows.Collect(name, cfg, scanEvents(ctx, r, name, cfg))
	if err == nil && len(out) == 0 {
		err = diag.List{{File: name, Line: 1, Code: diag.CodeMissing, Err: money.ErrInvalidInput, Msg: "no events"}}
	}
	return out, err
}

// ScanEvents yields the events of r one by one, or each problem as a
// *revenue.Error (and goes on with the next row); a header problem, ctx's
// error or a read error ends the sequence. It holds one row in memory at a
// time. The columns are those of ReadEvents.
func ScanEvents(ctx context.Context, r io.Reader, name string, opts ...revenue.ReadOption) iter.Seq2[Event, error] {
	cfg, err := rows.Configure(opts)
	if err != nil {
		return func(yield func(Event, error) bool) { yield(Event{}, fmt.Errorf("mrr: read events %s: %w", name, err)) }
	}
	return scanEvents(ctx, r, name, cfg)
}

func scanEvents(ctx context.Context, r io.Reader, name string, cfg rows.Config) iter.Seq2[Event, error] {
	return rows.All(ctx, r, name, cfg, eventSpec, func(row *rows.Row) (Event, bool) {
		id, ok1 := row.Text(colCustomer)
		d, ok2 := row.Date(colDate)
		v, ok3 := row.Minor(colMRR)
		return Event{CustomerID: id, Date: d, MRR: money.Money{Amount: v, Currency: cfg.Currency}, Line: row.Line()}, ok1 && ok2 && ok3
	})
}
