package revenue

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue/internal/rows"
)

// Columns of the deals file.
const (
	dealID = iota
	dealCreated
	dealClosed
	dealStatus
	dealAmount
	dealChannel
	dealTouches
)

var dealSpec = rows.Spec{Columns: []csvio.Column{
	{Name: "id", Required: true}, {Name: "created", Required: true}, {Name: "closed", Required: true},
	{Name: "status", Required: true}, {Name: "amount", Required: true}, {Name: "channel", Required: true},
	{Name: "touches", Required: true},
}}

// ReadDeals reads deals: CSV with the columns id, created, closed (empty
// while open), status (open, won or lost), amount (minor units), channel
// and touches. touches is a list separated by ";" of
// "YYYY-MM-DD|channel|kind" with kind marketing or sales, possibly empty.
// Deal ids are unique: a repeated id is an error on the later row (the
// first is kept), never a second deal. Dates before 0001-01-02 (the zero
// date) are rejected; amounts are integers of minor units, with white space
// around them and a leading "+" read the same by every reader.
// What every reader shares is in the package doc ("Reading CSV").
func ReadDeals(ctx context.Context, r io.Reader, name string, opts ...ReadOption) (_ []Deal, err error) {
	defer diag.Recover(&err, "revenue: read deals")
	cfg, err := rows.Configure(opts)
	if err != nil {
		return nil, fmt.Errorf("revenue: read deals %s: %w", name, err)
	}
	return rows.Collect(name, cfg, scanDeals(ctx, r, name, cfg))
}

// ScanDeals yields the deals of r one by one, or each problem as an *Error
// (and goes on with the next row); a header problem, ctx's error or a read
// error ends the sequence. The columns are those of ReadDeals.
func ScanDeals(ctx context.Context, r io.Reader, name string, opts ...ReadOption) iter.Seq2[Deal, error] {
	cfg, err := rows.Configure(opts)
	if err != nil {
		return errSeq[Deal](fmt.Errorf("revenue: read deals %s: %w", name, err))
	}
	return scanDeals(ctx, r, name, cfg)
}

func scanDeals(ctx context.Context, r io.Reader, name string, cfg rows.Config) iter.Seq2[Deal, error] {
	cur := cfg.Currency
	seen := map[string]int{} // deal id → line of its first row
	return rows.All(ctx, r, name, cfg, dealSpec, func(row *rows.Row) (Deal, bool) {
		d := Deal{Line: row.Line(), Channel: row.Get(dealChannel)}
		var ok bool
		if d.ID, ok = row.Text(dealID); ok {
			// A repeated id is an error, not a second deal: it would count
			// the same revenue twice.
			if first, dup := seen[d.ID]; dup {
				row.Errorf(dealID, "deal id %q repeats the deal of line %d", d.ID, first)
			} else {
				seen[d.ID] = row.Line()
			}
		}
		d.Created, _ = row.Date(dealCreated)
		d.Status = DealStatus(strings.ToLower(row.Get(dealStatus)))
		switch d.Status {
		case DealOpen:
			if row.Get(dealClosed) != "" {
				row.Errorf(dealClosed, "open deal with a close date")
			}
		case DealWon, DealLost:
			if c, ok := row.Date(dealClosed); ok {
				d.Closed = c
				if c.Before(d.Created) && !d.Created.IsZero() {
					row.Errorf(dealClosed, "closed %s before created %s", c.Format(time.DateOnly), d.Created.Format(time.DateOnly))
				}
			}
		default:
			row.Errorf(dealStatus, "status %q is not open, won or lost", row.Get(dealStatus))
		}
		amt, _ := row.Minor(dealAmount)
		d.Amount = money.Money{Amount: amt, Currency: cur}
		if s := row.Get(dealTouches); s != "" {
			for _, t := range strings.Split(s, ";") {
				parts := strings.Split(strings.TrimSpace(t), "|")
				if len(parts) != 3 {
					row.Errorf(dealTouches, "touch %q is not date|channel|kind", t)
					continue
				}
				at, err := rows.ParseDate(strings.TrimSpace(parts[0]))
				kind := TouchKind(strings.ToLower(strings.TrimSpace(parts[2])))
				switch {
				case err != nil:
					row.Errorf(dealTouches, "touch %q: %v", t, err)
				case kind != TouchMarketing && kind != TouchSales:
					row.Errorf(dealTouches, "touch %q: kind %q is not marketing or sales", t, parts[2])
				default:
					d.Touches = append(d.Touches, Touch{At: at, Channel: strings.TrimSpace(parts[1]), Kind: kind})
				}
			}
		}
		return d, true
	})
}

// Columns of the stage-history file.
const (
	leadID = iota
	leadChannel
	leadStage
	leadDate
)

var leadSpec = rows.Spec{Columns: []csvio.Column{
	{Name: "id", Required: true}, {Name: "channel", Required: true}, {Name: "stage", Required: true}, {Name: "date", Required: true},
}}

// ReadProspects reads stage history: CSV with the columns id, channel,
// stage (lead, mql, sal, sql, opportunity or won) and date, one row per
// stage a prospect entered. Rows of one id are grouped into one Prospect
// (in order of first appearance); they must agree on the channel. It has
// no Scan form: a prospect is complete only at the end of the file.
// Header and error handling are those of ReadDeals; WithCurrency does not
// apply.
func ReadProspects(ctx context.Context, r io.Reader, name string, opts ...ReadOption) (_ []Prospect, err error) {
	defer diag.Recover(&err, "revenue: read prospects")
	cfg, err := rows.Configure(opts)
	if err != nil {
		return nil, fmt.Errorf("revenue: read prospects %s: %w", name, err)
	}
	known := map[Stage]bool{}
	for _, s := range Waterfall() {
		known[s] = true
	}
	type change struct {
		id, channel string
		at          StageChange
	}
	var out []Prospect
	pos := map[string]int{}
	seq := rows.All(ctx, r, name, cfg, leadSpec, func(row *rows.Row) (change, bool) {
		id, ok1 := row.Text(leadID)
		at, ok2 := row.Date(leadDate)
		st := Stage(strings.ToLower(row.Get(leadStage)))
		if !known[st] {
			row.Errorf(leadStage, "unknown stage %q", row.Get(leadStage))
			return change{}, false
		}
		ch := row.Get(leadChannel)
		if k, seen := pos[id]; ok1 && seen && out[k].Channel != ch {
			row.Errorf(leadChannel, "prospect %s: channel %q differs from %q on an earlier row", id, ch, out[k].Channel)
			return change{}, false
		}
		if !ok1 || !ok2 {
			return change{}, false
		}
		k, seen := pos[id]
		if !seen {
			pos[id] = len(out)
			out = append(out, Prospect{ID: id, Channel: ch})
			k = len(out) - 1
		}
		out[k].History = append(out[k].History, StageChange{Stage: st, At: at})
		return change{}, true
	})
	if _, err := rows.Collect(name, cfg, seq); err != nil {
		return out, err
	}
	return out, nil
}

// Columns of the spend file.
const (
	spendMonth = iota
	spendChannel
	spendCategory
	spendAmount
)

var spendSpec = rows.Spec{Columns: []csvio.Column{
	{Name: "month", Required: true}, {Name: "channel", Required: true}, {Name: "category", Required: true}, {Name: "amount", Required: true},
}}

// ReadSpend reads spend: CSV with the columns month (YYYY-MM), channel,
// category (marketing or sales) and amount (minor units). Header and error
// handling are those of ReadDeals.
func ReadSpend(ctx context.Context, r io.Reader, name string, opts ...ReadOption) (_ []Spend, err error) {
	defer diag.Recover(&err, "revenue: read spend")
	cfg, err := rows.Configure(opts)
	if err != nil {
		return nil, fmt.Errorf("revenue: read spend %s: %w", name, err)
	}
	return rows.Collect(name, cfg, scanSpend(ctx, r, name, cfg))
}

// ScanSpend yields the spend rows of r one by one, or each problem as an
// *Error, like ScanDeals. The columns are those of ReadSpend.
func ScanSpend(ctx context.Context, r io.Reader, name string, opts ...ReadOption) iter.Seq2[Spend, error] {
	cfg, err := rows.Configure(opts)
	if err != nil {
		return errSeq[Spend](fmt.Errorf("revenue: read spend %s: %w", name, err))
	}
	return scanSpend(ctx, r, name, cfg)
}

func scanSpend(ctx context.Context, r io.Reader, name string, cfg rows.Config) iter.Seq2[Spend, error] {
	return rows.All(ctx, r, name, cfg, spendSpec, func(row *rows.Row) (Spend, bool) {
		s := Spend{Line: row.Line(), Channel: row.Get(spendChannel), Category: SpendCategory(strings.ToLower(row.Get(spendCategory)))}
		// The module's one period grammar, restricted to a calendar month.
		m := row.Get(spendMonth)
		if p, err := ParsePeriod(m); err != nil || len(m) != 7 || m[4] != '-' || m[5] == 'Q' {
			row.Errorf(spendMonth, "month %q is not YYYY-MM", m)
		} else {
			s.Period = p
		}
		if s.Category != SpendMarketing && s.Category != SpendSales {
			row.Errorf(spendCategory, "category %q is not marketing or sales", row.Get(spendCategory))
		}
		amt, _ := row.Minor(spendAmount)
		s.Amount = money.Money{Amount: amt, Currency: cfg.Currency}
		return s, true
	})
}

// errSeq is a sequence of one error.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
