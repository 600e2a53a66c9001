package revenue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/revengine/revengine/revenue/internal/csvrow"
)

// csvFile collects the rows and problems of one CSV input.
type csvFile struct {
	name string
	errs ParseErrors
}

func (f *csvFile) add(line, col int, field string, err error, format string, a ...any) {
	f.errs = append(f.errs, &ParseError{File: f.name, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, a...), Err: err})
}

// each calls fn for every well-formed row; malformed records are recorded.
func (f *csvFile) each(ctx context.Context, r io.Reader, cols []string, fn func(csvrow.Row)) error {
	cr := csvrow.New(ctx, r, cols...)
	for {
		row, err := cr.Next()
		if err == io.EOF {
			break
		}
		var ce *csvrow.Error
		if errors.As(err, &ce) {
			f.add(ce.Line, ce.Column, ce.Field, errInvalid, "%s", ce.Msg)
			if ce.Fatal {
				return nil // nothing else can be read
			}
			continue
		}
		if err != nil {
			return err // context cancelled or I/O error
		}
		fn(row)
	}
	return nil
}

func (f *csvFile) date(row csvrow.Row, col string) (time.Time, bool) {
	s := row.Get(col)
	t, err := parseCSVDate(s)
	if err != nil {
		f.add(row.Line, row.Column(col), col, errInvalid, "%v", err)
		return time.Time{}, false
	}
	return t, true
}

func (f *csvFile) minor(row csvrow.Row, col string, negOK bool) (int64, bool) {
	s := row.Get(col)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.add(row.Line, row.Column(col), col, errInvalid, "%q is not an integer number of minor units", s)
		return 0, false
	}
	if v < 0 && !negOK {
		f.add(row.Line, row.Column(col), col, errInvalid, "negative amount %d", v)
		return 0, false
	}
	return v, true
}

func (f *csvFile) text(row csvrow.Row, col string) (string, bool) {
	s := row.Get(col)
	if s == "" {
		f.add(row.Line, row.Column(col), col, errInvalid, "empty %s", col)
		return "", false
	}
	return s, true
}

// parseCSVDate accepts exactly YYYY-MM-DD (a valid calendar date).
func parseCSVDate(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	return t, nil
}

func (f *csvFile) result() error {
	sort.SliceStable(f.errs, func(i, j int) bool { return f.errs[i].Line < f.errs[j].Line })
	return f.errs.Err()
}

// ReadEvents reads a subscription event log: CSV with the columns
// customer_id, date (YYYY-MM-DD) and mrr (the customer's monthly-normalised
// MRR from that date on, a non-negative integer of minor units of cur; 0
// means no paid subscription). A first row naming the columns is a header
// (columns then in any order, extra columns ignored); without one the
// columns are positional and a row must have exactly three fields. name is
// used in error positions ("events.csv").
//
// Every row is either returned as an Event (with its Line) or reported: on
// any problem the error is a ParseErrors listing each as file:line:column,
// and the valid rows are still returned. Rows keep file order, which
// MRRBridge uses to let the later of two same-day rows win.
func ReadEvents(ctx context.Context, r io.Reader, name string, cur Currency) ([]Event, error) {
	if err := cur.Validate(); err != nil {
		return nil, err
	}
	f := &csvFile{name: name}
	var out []Event
	err := f.each(ctx, r, []string{"customer_id", "date", "mrr"}, func(row csvrow.Row) {
		id, ok1 := f.text(row, "customer_id")
		d, ok2 := f.date(row, "date")
		v, ok3 := f.minor(row, "mrr", false)
		if ok1 && ok2 && ok3 {
			out = append(out, Event{CustomerID: id, Date: d, MRR: Money{Amount: v, Currency: cur}, Line: row.Line})
		}
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && len(f.errs) == 0 {
		f.add(1, 0, "", errInvalid, "no events")
	}
	return out, f.result()
}

// ReadDeals reads deals: CSV with the columns id, created, closed (empty
// while open), status (open, won or lost), amount (integer minor units of
// cur), channel and touches. touches is a list separated by ";" of
// "YYYY-MM-DD|channel|kind" with kind marketing or sales, possibly empty.
// Header and error handling are as for ReadEvents.
func ReadDeals(ctx context.Context, r io.Reader, name string, cur Currency) ([]Deal, error) {
	if err := cur.Validate(); err != nil {
		return nil, err
	}
	f := &csvFile{name: name}
	var out []Deal
	cols := []string{"id", "created", "closed", "status", "amount", "channel", "touches"}
	err := f.each(ctx, r, cols, func(row csvrow.Row) {
		n := len(f.errs)
		d := Deal{Line: row.Line, Channel: row.Get("channel")}
		d.ID, _ = f.text(row, "id")
		d.Created, _ = f.date(row, "created")
		d.Status = DealStatus(strings.ToLower(row.Get("status")))
		switch d.Status {
		case DealOpen:
			if row.Get("closed") != "" {
				f.add(row.Line, row.Column("closed"), "closed", errInvalid, "open deal with a close date")
			}
		case DealWon, DealLost:
			if c, ok := f.date(row, "closed"); ok {
				d.Closed = c
				if c.Before(d.Created) && !d.Created.IsZero() {
					f.add(row.Line, row.Column("closed"), "closed", errInvalid, "closed %s before created %s",
						c.Format(time.DateOnly), d.Created.Format(time.DateOnly))
				}
			}
		default:
			f.add(row.Line, row.Column("status"), "status", errInvalid, "status %q is not open, won or lost", row.Get("status"))
		}
		amt, _ := f.minor(row, "amount", false)
		d.Amount = Money{Amount: amt, Currency: cur}
		if s := row.Get("touches"); s != "" {
			for _, t := range strings.Split(s, ";") {
				parts := strings.Split(strings.TrimSpace(t), "|")
				if len(parts) != 3 {
					f.add(row.Line, row.Column("touches"), "touches", errInvalid, "touch %q is not date|channel|kind", t)
					continue
				}
				at, err := parseCSVDate(strings.TrimSpace(parts[0]))
				kind := TouchKind(strings.ToLower(strings.TrimSpace(parts[2])))
				switch {
				case err != nil:
					f.add(row.Line, row.Column("touches"), "touches", errInvalid, "touch %q: %v", t, err)
				case kind != TouchMarketing && kind != TouchSales:
					f.add(row.Line, row.Column("touches"), "touches", errInvalid, "touch %q: kind %q is not marketing or sales", t, parts[2])
				default:
					d.Touches = append(d.Touches, Touch{At: at, Channel: strings.TrimSpace(parts[1]), Kind: kind})
				}
			}
		}
		if len(f.errs) == n {
			out = append(out, d)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, f.result()
}

// ReadLeads reads stage history: CSV with the columns id, channel, stage
// (lead, mql, sal, sql, opportunity or won) and date, one row per stage a
// lead entered. Rows of one lead are grouped into one Lead (in order of
// first appearance); they must agree on the channel. Header and error
// handling are as for ReadEvents.
func ReadLeads(ctx context.Context, r io.Reader, name string) ([]Lead, error) {
	f := &csvFile{name: name}
	var out []Lead
	pos := map[string]int{}
	known := map[Stage]bool{}
	for _, s := range Waterfall() {
		known[s] = true
	}
	err := f.each(ctx, r, []string{"id", "channel", "stage", "date"}, func(row csvrow.Row) {
		id, ok1 := f.text(row, "id")
		at, ok2 := f.date(row, "date")
		st := Stage(strings.ToLower(row.Get("stage")))
		ok3 := known[st]
		if !ok3 {
			f.add(row.Line, row.Column("stage"), "stage", errInvalid, "unknown stage %q", row.Get("stage"))
		}
		ch := row.Get("channel")
		if !ok1 || !ok2 || !ok3 {
			return
		}
		k, seen := pos[id]
		if !seen {
			pos[id] = len(out)
			out = append(out, Lead{ID: id, Channel: ch})
			k = len(out) - 1
		} else if out[k].Channel != ch {
			f.add(row.Line, row.Column("channel"), "channel", errInvalid, "lead %s: channel %q differs from %q on an earlier row", id, ch, out[k].Channel)
			return
		}
		out[k].History = append(out[k].History, StageChange{Stage: st, At: at})
	})
	if err != nil {
		return nil, err
	}
	return out, f.result()
}

// ReadSpend reads spend: CSV with the columns month (YYYY-MM), channel,
// category (marketing or sales) and amount (integer minor units of cur).
// Header and error handling are as for ReadEvents.
func ReadSpend(ctx context.Context, r io.Reader, name string, cur Currency) ([]Spend, error) {
	if err := cur.Validate(); err != nil {
		return nil, err
	}
	f := &csvFile{name: name}
	var out []Spend
	err := f.each(ctx, r, []string{"month", "channel", "category", "amount"}, func(row csvrow.Row) {
		n := len(f.errs)
		s := Spend{Line: row.Line, Channel: row.Get("channel"), Category: SpendCategory(strings.ToLower(row.Get("category")))}
		m := row.Get("month")
		t, err := time.Parse("2006-01", m)
		if err != nil || len(m) != 7 {
			f.add(row.Line, row.Column("month"), "month", errInvalid, "month %q is not YYYY-MM", m)
		} else {
			s.Period = Month(t.Year(), t.Month())
		}
		if s.Category != SpendMarketing && s.Category != SpendSales {
			f.add(row.Line, row.Column("category"), "category", errInvalid, "category %q is not marketing or sales", row.Get("category"))
		}
		amt, _ := f.minor(row, "amount", false)
		s.Amount = Money{Amount: amt, Currency: cur}
		if len(f.errs) == n {
			out = append(out, s)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, f.result()
}
