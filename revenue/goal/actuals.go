package goal

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

// Columns of the actuals file.
const (
	colDate = iota
	colAmount
	colCurrency
)

var actualSpec = rows.Spec{
	Columns: []csvio.Column{{Name: "date", Required: true}, {Name: "amount_minor", Required: true}, {Name: "currency"}},
	Comment: '#', OptionalTail: 1,
}

// ReadActuals reads dated actuals: CSV with one actual per row,
// "date,amount_minor[,currency]": a date YYYY-MM-DD, an amount in minor
// units (zero or positive; net refunds into the day's actual) and a
// currency that, when given, must be the revenue.WithCurrency currency
// (default USD; pass the target's). An optional header names the columns
// (date, amount_minor, currency, in any order); lines starting with # are
// comments. Header, options and errors are those of every revenue reader
// (see the package doc of revenue).
func ReadActuals(ctx context.Context, r io.Reader, name string, opts ...revenue.ReadOption) (_ []Actual, err error) {
	defer diag.Recover(&err, "goal: read actuals")
	cfg, err := rows.Configure(opts)
	if err != nil {
		return nil, fmt.Errorf("goal: read actuals %s: %w", name, err)
	}
	return rows.Collect(name, cfg, scanActuals(ctx, r, name, cfg))
}

// ScanActuals yields the actuals of r one by one, or each problem as a
// *revenue.Error (and goes on with the next row); a header problem, ctx's
// error or a read error ends the sequence. The columns are those of
// ReadActuals.
func ScanActuals(ctx context.Context, r io.Reader, name string, opts ...revenue.ReadOption) iter.Seq2[Actual, error] {
	cfg, err := rows.Configure(opts)
	if err != nil {
		return func(yield func(Actual, error) bool) {
			yield(Actual{}, fmt.Errorf("goal: read actuals %s: %w", name, err))
		}
	}
	return scanActuals(ctx, r, name, cfg)
}

func scanActuals(ctx context.Context, r io.Reader, name string, cfg rows.Config) iter.Seq2[Actual, error] {
	cur := cfg.Currency
	return rows.All(ctx, r, name, cfg, actualSpec, func(row *rows.Row) (Actual, bool) {
		ds := row.Get(colDate)
		d, err := rows.ParseDate(ds)
		if err != nil {
			row.Errorf(colDate, "%q is not a date YYYY-MM-DD", ds)
		}
		a, err := rows.ParseSigned(row.Get(colAmount))
		switch {
		case err != nil:
			row.Errorf(colAmount, "%v", err)
		case a < 0:
			row.Errorf(colAmount, "negative amount %d (actuals must be zero or positive; net refunds into the day's actual)", a)
		}
		if cs := row.Get(colCurrency); cs != "" && cs != string(cur) {
			row.Errorf(colCurrency, "%q, but the target is in %s (mixed currencies)", cs, cur)
		}
		return Actual{Date: d, Amount: money.Money{Amount: a, Currency: cur}}, true
	})
}
