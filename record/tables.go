package record

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

func cols(req string, opt string) []csvio.Column {
	var out []csvio.Column
	for _, n := range strings.Fields(req) {
		out = append(out, csvio.Column{Name: n, Required: true})
	}
	for _, n := range strings.Fields(opt) {
		out = append(out, csvio.Column{Name: n})
	}
	return out
}

// Stage-change columns.
const (
	scLead = iota
	scTo
	scAt
	scFrom
	scRule
	scOwner
	scRoute
	scChannel
	scDeadline
)

var stageCols = cols("lead_id to at", "from rule owner route channel deadline")

// ScanStageChanges yields the stage changes of r, or each problem as a
// *diag.Error (and goes on). Columns: lead_id, to and at are required;
// from, rule, owner, route, channel and deadline (the SLA deadline of to)
// are optional. A deadline before at is an error.
func ScanStageChanges(ctx context.Context, r io.Reader, name string, opts ...Option) iter.Seq2[StageChange, error] {
	cfg, err := configure(name, opts)
	if err != nil {
		return errSeq[StageChange](err)
	}
	return scan(ctx, r, name, cfg, stageCols, func(w *row) StageChange {
		c := StageChange{Line: w.line, LeadID: w.text(scLead), To: w.text(scTo), At: w.time(scAt, true),
			From: w.get(scFrom), Rule: w.get(scRule), Owner: w.get(scOwner), Route: w.get(scRoute),
			Channel: w.get(scChannel), Deadline: w.time(scDeadline, false)}
		if !c.Deadline.IsZero() && !c.At.IsZero() && c.Deadline.Before(c.At) {
			w.errorf(scDeadline, "deadline %s before the change at %s", c.Deadline.Format(timeFmt), c.At.Format(timeFmt))
		}
		if c.From != "" && c.From == c.To {
			w.errorf(scTo, "stage change from %q to itself", c.To)
		}
		return c
	})
}

const timeFmt = "2006-01-02T15:04:05Z07:00"

// ReadStageChanges reads every stage change of r (see ScanStageChanges);
// problems come back together as a diag.List sorted by position.
func ReadStageChanges(ctx context.Context, r io.Reader, name string, opts ...Option) ([]StageChange, error) {
	cfg, err := configure(name, opts)
	if err != nil {
		return nil, err
	}
	return collect(name, cfg, ScanStageChanges(ctx, r, name, opts...))
}

// Touch columns.
const (
	tDeal = iota
	tAt
	tChannel
	tKind
	tCampaign
	tLead
	tLeadCreated
	tOppCreated
)

var touchCols = cols("deal_id at channel kind", "campaign lead_id lead_created opp_created")

// touchColsNested are the columns of a touch inside a deal's JSON object,
// where the deal id is the deal's.
var touchColsNested = cols("at channel kind", "campaign lead_id lead_created opp_created")

func parseTouch(w *row, off int) Touch {
	t := Touch{Line: w.line, At: w.time(tAt-off, true), Channel: w.text(tChannel - off),
		Kind:     TouchKind(w.oneOf(tKind-off, string(TouchMarketing), string(TouchSales))),
		Campaign: w.get(tCampaign - off), LeadID: w.get(tLead - off),
		LeadCreated: w.bool(tLeadCreated - off), OppCreated: w.bool(tOppCreated - off)}
	return t
}

// ScanTouches yields the touches of r, or each problem as a *diag.Error.
// Columns: deal_id, at, channel and kind (marketing or sales) are required;
// campaign, lead_id, lead_created and opp_created (booleans: the touch that
// created the lead, the opportunity) are optional.
func ScanTouches(ctx context.Context, r io.Reader, name string, opts ...Option) iter.Seq2[Touch, error] {
	cfg, err := configure(name, opts)
	if err != nil {
		return errSeq[Touch](err)
	}
	return scan(ctx, r, name, cfg, touchCols, func(w *row) Touch {
		t := parseTouch(w, 0)
		t.DealID = w.text(tDeal)
		return t
	})
}

// ReadTouches reads every touch of r (see ScanTouches).
func ReadTouches(ctx context.Context, r io.Reader, name string, opts ...Option) ([]Touch, error) {
	cfg, err := configure(name, opts)
	if err != nil {
		return nil, err
	}
	return collect(name, cfg, ScanTouches(ctx, r, name, opts...))
}

// Deal columns.
const (
	dID = iota
	dCreated
	dStatus
	dAmount
	dClosed
	dCurrency
	dAccount
	dLead
	dStage
	dChannel
	dCampaign
	dTouches
)

var dealCols = cols("id created status amount", "closed currency account_id lead_id stage channel campaign touches")

// MaxTouches bounds the touches of one deal in a JSON-lines deal.
const MaxTouches = 100000

// ScanDeals yields the deals of r, or each problem as a *diag.Error.
// Columns: id, created, status (open, won or lost) and amount (minor units)
// are required; closed (required for won and lost, empty while open, not
// before created), currency, account_id, lead_id, stage, channel and
// campaign are optional. In JSON lines a deal may carry its touches as an
// array "touches" of touch objects (the columns of ScanTouches without
// deal_id); in CSV touches come from their own file (ScanTouches). A
// repeated deal id is an error on the later row, never a second deal.
func ScanDeals(ctx context.Context, r io.Reader, name string, opts ...Option) iter.Seq2[Deal, error] {
	cfg, err := configure(name, opts)
	if err != nil {
		return errSeq[Deal](err)
	}
	seen := map[string]int{}
	return scan(ctx, r, name, cfg, dealCols, func(w *row) Deal {
		d := Deal{Line: w.line, ID: w.text(dID), Created: w.time(dCreated, true),
			Status: DealStatus(w.oneOf(dStatus, string(DealOpen), string(DealWon), string(DealLost))),
			Amount: w.money(dAmount, dCurrency, cfg.cur), AccountID: w.get(dAccount), LeadID: w.get(dLead),
			Stage: w.get(dStage), Channel: w.get(dChannel), Campaign: w.get(dCampaign)}
		if d.ID != "" {
			if first, dup := seen[d.ID]; dup {
				w.errorf(dID, "deal id %q repeats the deal of line %d", d.ID, first)
			} else {
				seen[d.ID] = w.line
			}
		}
		switch d.Status {
		case DealOpen:
			if w.get(dClosed) != "" {
				w.errorf(dClosed, "open deal with a close date")
			}
		case DealWon, DealLost:
			d.Closed = w.time(dClosed, true)
			if !d.Closed.IsZero() && !d.Created.IsZero() && d.Closed.Before(d.Created) {
				w.errorf(dClosed, "closed %s before created %s", d.Closed.Format(timeFmt), d.Created.Format(timeFmt))
			}
		}
		if w.get(dTouches) != "" {
			w.errorf(dTouches, "touches go in their own file in CSV, or as an array in JSON lines")
		}
		if raw, ok := w.nested["touches"]; ok {
			d.Touches = parseNestedTouches(w, raw, d.ID)
		}
		return d
	})
}

func parseNestedTouches(w *row, raw json.RawMessage, deal string) []Touch {
	var raws []json.RawMessage
	if err := json.Unmarshal(raw, &raws); err != nil {
		w.errs = append(w.errs, &diag.Error{File: w.file, Line: w.line, ID: "touches", Code: diag.CodeSyntax, Err: diag.ErrSyntax, Msg: "touches is not an array of objects"})
		return nil
	}
	objs := make([]map[string]json.RawMessage, len(raws))
	for i, r := range raws {
		o, err := decodeObject(r)
		if err != nil {
			w.errs = append(w.errs, &diag.Error{File: w.file, Line: w.line, ID: fmt.Sprintf("touches[%d]", i), Code: diag.CodeSyntax, Err: diag.ErrSyntax, Msg: err.Error()})
			return nil
		}
		objs[i] = o
	}
	if len(objs) > MaxTouches {
		w.errs = append(w.errs, &diag.Error{File: w.file, Line: w.line, ID: "touches", Code: diag.CodeLimit, Err: diag.ErrInvalidInput, Msg: fmt.Sprintf("more than %d touches", MaxTouches)})
		return nil
	}
	out := make([]Touch, 0, len(objs))
	for i, o := range objs {
		tr := objectRow(w.file, w.line, fmt.Sprintf("touches[%d].", i), touchColsNested, o)
		var t Touch
		if len(tr.errs) == 0 {
			t = parseTouch(tr, 1)
			t.DealID = deal
		}
		w.errs = append(w.errs, tr.errs...)
		out = append(out, t)
	}
	return out
}

// ReadDeals reads every deal of r (see ScanDeals).
func ReadDeals(ctx context.Context, r io.Reader, name string, opts ...Option) ([]Deal, error) {
	cfg, err := configure(name, opts)
	if err != nil {
		return nil, err
	}
	return collect(name, cfg, ScanDeals(ctx, r, name, opts...))
}

// Spend columns.
const (
	sPeriod = iota
	sChannel
	sCategory
	sAmount
	sCampaign
	sCurrency
)

var spendCols = cols("period channel category amount", "campaign currency")

// ScanSpend yields the spend rows of r, or each problem as a *diag.Error.
// Columns: period (any form of ParsePeriod: "2026-01", "2026-Q1", "2026"),
// channel, category (marketing or sales) and amount (minor units) are
// required; campaign and currency are optional.
func ScanSpend(ctx context.Context, r io.Reader, name string, opts ...Option) iter.Seq2[Spend, error] {
	cfg, err := configure(name, opts)
	if err != nil {
		return errSeq[Spend](err)
	}
	return scan(ctx, r, name, cfg, spendCols, func(w *row) Spend {
		s := Spend{Line: w.line, Channel: w.text(sChannel), Campaign: w.get(sCampaign),
			Category: SpendCategory(w.oneOf(sCategory, string(SpendMarketing), string(SpendSales))),
			Amount:   w.money(sAmount, sCurrency, cfg.cur)}
		if p, err := ParsePeriod(w.get(sPeriod)); err != nil {
			w.errorf(sPeriod, "%v", err)
		} else {
			s.Period = p
		}
		return s
	})
}

// ReadSpend reads every spend row of r (see ScanSpend).
func ReadSpend(ctx context.Context, r io.Reader, name string, opts ...Option) ([]Spend, error) {
	cfg, err := configure(name, opts)
	if err != nil {
		return nil, err
	}
	return collect(name, cfg, ScanSpend(ctx, r, name, opts...))
}

// Subscription-event columns.
const (
	eCustomer = iota
	eDate
	eMRR
	eCurrency
)

var eventCols = cols("customer_id date mrr", "currency")

// ScanSubscriptionEvents yields the subscription events of r, or each
// problem as a *diag.Error. Columns: customer_id, date (YYYY-MM-DD; a time
// is cut to its UTC date) and mrr (minor units, zero for no paid
// subscription) are required; currency is optional.
func ScanSubscriptionEvents(ctx context.Context, r io.Reader, name string, opts ...Option) iter.Seq2[SubscriptionEvent, error] {
	cfg, err := configure(name, opts)
	if err != nil {
		return errSeq[SubscriptionEvent](err)
	}
	return scan(ctx, r, name, cfg, eventCols, func(w *row) SubscriptionEvent {
		e := SubscriptionEvent{Line: w.line, CustomerID: w.text(eCustomer), MRR: w.money(eMRR, eCurrency, cfg.cur)}
		if t := w.time(eDate, true); !t.IsZero() {
			e.Date = Day(t)
		}
		return e
	})
}

// ReadSubscriptionEvents reads every subscription event of r (see
// ScanSubscriptionEvents).
func ReadSubscriptionEvents(ctx context.Context, r io.Reader, name string, opts ...Option) ([]SubscriptionEvent, error) {
	cfg, err := configure(name, opts)
	if err != nil {
		return nil, err
	}
	return collect(name, cfg, ScanSubscriptionEvents(ctx, r, name, opts...))
}
