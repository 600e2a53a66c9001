package mrr

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/revenue"
)

// Event is one row of a subscription event log (record.SubscriptionEvent,
// the module's one subscription-event type): from Date on, the customer's
// monthly-normalised MRR is MRR; an MRR of zero means no paid subscription.
// Before a customer's first event its MRR is zero.
type Event = record.SubscriptionEvent

// Method is the classification of MRR movements.
type Method string

// The two classifications of MRR movements.
const (
	// MethodEvent classifies each change on its own, in date order: 0→x is
	// new if the customer never had paid MRR before, else reactivation;
	// x→0 is churn; a rise is expansion, a fall contraction. A customer
	// who starts and cancels within one month counts as new and churn.
	// This is how event-sourced tools such as ChartMogul report movements.
	MethodEvent Method = "event"
	// MethodNet compares, per customer and month, the MRR at the month's
	// start with the MRR at its end: 0→x is new or reactivation (as above,
	// judged by paid MRR before the month's first day), x→0 churn, a rise
	// expansion, a fall contraction, equal nothing. A customer who starts
	// and cancels within one month nets to nothing; changes that cancel
	// out within a month are invisible. This is the month-over-month
	// snapshot comparison of spreadsheet and Baremetrics-style reports.
	MethodNet Method = "net"
)

// MovementKind is the kind of an MRR movement.
type MovementKind string

// The five MRR movements.
const (
	MovementNew          MovementKind = "new"
	MovementExpansion    MovementKind = "expansion"
	MovementContraction  MovementKind = "contraction"
	MovementChurn        MovementKind = "churn"
	MovementReactivation MovementKind = "reactivation"
)

// Movement is one customer's change behind a bridge figure: the drill-down.
type Movement struct {
	Kind       MovementKind `json:"kind"`
	CustomerID string       `json:"customer_id"`
	// Date is the day of the change (event method) or of the customer's
	// last event in the month (net method).
	Date   time.Time   `json:"date"`
	From   money.Money `json:"from"`   // MRR before
	To     money.Money `json:"to"`     // MRR after
	Amount money.Money `json:"amount"` // |To − From|, never negative
	// Lines are the source lines of the rows behind the movement: for the
	// event method the rows of that customer on that day (the last one
	// wins), for the net method all the customer's rows in the month.
	Lines []int `json:"lines,omitempty"`
}

// Month is one calendar month of the MRR bridge. It always satisfies
//
//	StartingMRR + New + Expansion + Reactivation − Contraction − Churn = EndingMRR
//
// and NetNewMRR = EndingMRR − StartingMRR.
//
// Its JSON names are stable: month ("2024-01"), starting_mrr, new,
// expansion, contraction, churn, reactivation, ending_mrr, net_new_mrr
// (each money, {"amount_minor":…,"currency":…}), customers_start,
// customers_end, events and movements (the drill-down, each with kind,
// customer_id, date, from, to, amount and lines).
type Month struct {
	Period         revenue.Period `json:"month"`        // the calendar month, "2024-01" in JSON
	StartingMRR    money.Money    `json:"starting_mrr"` // in effect before the month's first day
	New            money.Money    `json:"new"`
	Expansion      money.Money    `json:"expansion"`
	Contraction    money.Money    `json:"contraction"`
	Churn          money.Money    `json:"churn"`
	Reactivation   money.Money    `json:"reactivation"`
	EndingMRR      money.Money    `json:"ending_mrr"` // after the month's last event
	NetNewMRR      money.Money    `json:"net_new_mrr"`
	CustomersStart int            `json:"customers_start"` // customers with MRR > 0 at the start
	CustomersEnd   int            `json:"customers_end"`   // customers with MRR > 0 at the end
	Events         int            `json:"events"`          // rows dated in the month
	Movements      []Movement     `json:"movements"`       // the drill-down, see Bridge
}

// MovementsOf returns the month's movements of one kind.
func (m Month) MovementsOf(kind MovementKind) []Movement {
	var out []Movement
	for _, mv := range m.Movements {
		if mv.Kind == kind {
			out = append(out, mv)
		}
	}
	return out
}

// Bridge is the monthly MRR bridge (movements table) of an event log:
// the result of NewBridge, and what "revengine mrr --json" prints. It
// encodes to JSON as {"method":…,"currency":…,"events":…,"months":[…]}
// with the months as described on Month; json.Unmarshal gives the same
// Bridge back.
type Bridge struct {
	Method   Method         `json:"method"`
	Currency money.Currency `json:"currency"`
	Events   int            `json:"events"` // rows read, all of them dated in Months
	Months   []Month        `json:"months"`
}

// NewBridge computes the monthly MRR movements of an event log with the
// given classification (MethodEvent or MethodNet).
//
// Semantics. Each event sets its customer's MRR from its date on; zero
// means no paid subscription; before its first event a customer has zero.
// Months are calendar months (UTC) from the month of the earliest event
// through the month of the latest, months without events included. A
// month's starting MRR is the total in effect before its first day, its
// ending MRR the total after its last event. When a customer has two or
// more events on the same date, the later one in slice (file) order wins
// and the earlier ones have no effect beyond appearing in the drill-down
// lines. Events need not be sorted.
//
// Reactivation. A customer's move from zero to a positive MRR is a
// reactivation when the customer had a positive MRR at any earlier time —
// before the event (MethodEvent) or before the month's first day
// (MethodNet) — and new otherwise. So churn in March followed by a restart
// in May is churn in March and reactivation in May under both methods.
//
// Every month reconciles exactly:
// start + new + expansion + reactivation − contraction − churn = end.
// Movements in a month are listed in date order then file order
// (MethodEvent) or by customer ID (MethodNet).
//
// Errors: an empty log; an invalid currency or events in another currency
// (ErrCurrencyMismatch); a negative MRR, empty customer ID or zero date
// (ErrInvalidInput); sums beyond int64 (ErrOverflow); ctx's error when it
// is cancelled.
func NewBridge(ctx context.Context, events []Event, method Method, cur money.Currency) (_ *Bridge, err error) {
	defer diag.Recover(&err, "mrr: bridge")
	if method != MethodEvent && method != MethodNet {
		return nil, fmt.Errorf("mrr: bridge: %w: unknown method %q (want event or net)", errInvalid, method)
	}
	if err := cur.Validate(); err != nil {
		return nil, fmt.Errorf("mrr: bridge: %w", err)
	}
	if err := validateEvents("bridge", events, cur); err != nil {
		return nil, err
	}
	changes := collapse(events)
	first, last := changes[0].date, changes[len(changes)-1].date
	b := &Bridge{Method: method, Currency: cur, Events: len(events)}

	state := map[string]int64{} // MRR in effect
	paid := map[string]bool{}   // had MRR > 0 at some time so far
	var total int64             // Σ state
	var customers int           // count of state > 0
	i := 0
	for ms := revenue.Date(first.Year(), first.Month(), 1); !ms.After(last); ms = ms.AddDate(0, 1, 0) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := revenue.Month(ms.Year(), ms.Month())
		bm := Month{Period: p, StartingMRR: money.Money{Amount: total, Currency: cur}, CustomersStart: customers, Movements: []Movement{}}
		j := i
		for j < len(changes) && changes[j].date.Before(p.End) {
			j++
		}
		month := changes[i:j]
		i = j
		// Net method: each touched customer's MRR and paid flag at the
		// month start, its last event date and all its lines.
		type touch struct {
			start     int64
			paidStart bool
			date      time.Time
			lines     []int
		}
		var touched map[string]*touch
		if method == MethodNet {
			touched = map[string]*touch{}
		}
		for _, c := range month {
			bm.Events += len(c.lines)
			old := state[c.customer]
			switch method {
			case MethodEvent:
				if kind, ok := classify(old, c.mrr, paid[c.customer]); ok {
					bm.Movements = append(bm.Movements, movement(kind, c.customer, c.date, old, c.mrr, c.lines, cur))
				}
			case MethodNet:
				t := touched[c.customer]
				if t == nil {
					t = &touch{start: old, paidStart: paid[c.customer]}
					touched[c.customer] = t
				}
				t.date = c.date
				t.lines = append(t.lines, c.lines...)
			}
			var err error
			if total, err = add64(total, c.mrr-old); err != nil {
				return nil, fmt.Errorf("mrr: bridge: %s: total mrr: %w", p, err)
			}
			switch {
			case old == 0 && c.mrr > 0:
				customers++
			case old > 0 && c.mrr == 0:
				customers--
			}
			state[c.customer] = c.mrr
			if c.mrr > 0 {
				paid[c.customer] = true
			}
		}
		if method == MethodNet {
			ids := make([]string, 0, len(touched))
			for id := range touched {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, id := range ids {
				t := touched[id]
				if kind, ok := classify(t.start, state[id], t.paidStart); ok {
					sort.Ints(t.lines)
					bm.Movements = append(bm.Movements, movement(kind, id, t.date, t.start, state[id], t.lines, cur))
				}
			}
		}
		bm.EndingMRR, bm.CustomersEnd = money.Money{Amount: total, Currency: cur}, customers
		if err := bm.sum(cur); err != nil {
			return nil, err
		}
		b.Months = append(b.Months, bm)
	}
	return b, nil
}

// validateEvents checks an event log for NewBridge and Retention.
func validateEvents(kpi string, events []Event, cur money.Currency) error {
	if len(events) == 0 {
		return fmt.Errorf("mrr: %s: %w: no events", kpi, errEmpty)
	}
	for i, e := range events {
		where := func() string {
			if e.Line > 0 {
				return fmt.Sprintf("line %d", e.Line)
			}
			return fmt.Sprintf("event %d", i+1)
		}
		switch {
		case e.MRR.Currency != cur:
			return fmt.Errorf("mrr: %s: %s: %w", kpi, where(), &money.CurrencyMismatchError{Op: kpi, A: cur, B: e.MRR.Currency})
		case e.MRR.Amount < 0:
			return fmt.Errorf("mrr: %s: %s: %w: negative mrr %d", kpi, where(), errNegative, e.MRR.Amount)
		case e.CustomerID == "":
			return fmt.Errorf("mrr: %s: %s: %w: empty customer id", kpi, where(), errInvalid)
		case e.Date.IsZero():
			return fmt.Errorf("mrr: %s: %s: %w: no date", kpi, where(), errInvalid)
		}
	}
	return nil
}

// sum fills the bridge totals from the movements and checks the bridge.
func (bm *Month) sum(cur money.Currency) error {
	var tot [5]int64
	idx := map[MovementKind]int{MovementNew: 0, MovementExpansion: 1, MovementContraction: 2, MovementChurn: 3, MovementReactivation: 4}
	for _, mv := range bm.Movements {
		k := idx[mv.Kind]
		var err error
		if tot[k], err = add64(tot[k], mv.Amount.Amount); err != nil {
			return fmt.Errorf("mrr: bridge: %s: %s: %w", bm.Period, mv.Kind, err)
		}
	}
	bm.New, bm.Expansion, bm.Contraction = money.Money{Amount: tot[0], Currency: cur}, money.Money{Amount: tot[1], Currency: cur}, money.Money{Amount: tot[2], Currency: cur}
	bm.Churn, bm.Reactivation = money.Money{Amount: tot[3], Currency: cur}, money.Money{Amount: tot[4], Currency: cur}
	// Check start + new + expansion + reactivation − contraction − churn = end
	// in exact arithmetic; each partial sum is bounded by the customers'
	// MRR, but an adversarial log could still overflow, so check each step.
	v := bm.StartingMRR.Amount
	var err error
	for _, d := range []int64{tot[0], tot[1], tot[4], -tot[2], -tot[3]} {
		if v, err = add64(v, d); err != nil {
			return fmt.Errorf("mrr: bridge: %s: %w", bm.Period, err)
		}
	}
	if v != bm.EndingMRR.Amount {
		// Cannot happen: every change is classified exactly once.
		return fmt.Errorf("mrr: bridge: %s: internal error: bridge gives %d, state gives %d", bm.Period, v, bm.EndingMRR.Amount)
	}
	net, err := add64(bm.EndingMRR.Amount, -bm.StartingMRR.Amount)
	if err != nil {
		return fmt.Errorf("mrr: bridge: %s: net new: %w", bm.Period, err)
	}
	bm.NetNewMRR = money.Money{Amount: net, Currency: cur}
	return nil
}

// mrrChange is one customer's MRR from a date on, after same-day rows collapsed.
type mrrChange struct {
	customer string
	date     time.Time
	mrr      int64
	lines    []int // source lines (or 1-based event index) of the day's rows
}

// collapse sorts events by date (stable, so file order breaks ties) and
// keeps one change per customer and day: the last row's value.
func collapse(events []Event) []mrrChange {
	type key struct {
		day  int64 // Unix seconds of the UTC day
		date time.Time
		i    int
	}
	keys := make([]key, len(events))
	for i, e := range events {
		d := revenue.Day(e.Date)
		keys[i] = key{d.Unix(), d, i}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return cmp.Compare(a.day, b.day) })
	out := make([]mrrChange, 0, len(events))
	pos := map[string]int{} // customer → index in out for the current day
	cur := int64(math.MinInt64)
	for _, k := range keys {
		e := events[k.i]
		if k.day != cur {
			cur = k.day
			clear(pos)
		}
		line := e.Line
		if line == 0 {
			line = k.i + 1
		}
		if j, ok := pos[e.CustomerID]; ok {
			out[j].mrr = e.MRR.Amount
			out[j].lines = append(out[j].lines, line)
			continue
		}
		pos[e.CustomerID] = len(out)
		out = append(out, mrrChange{customer: e.CustomerID, date: k.date, mrr: e.MRR.Amount, lines: []int{line}})
	}
	return out
}

// classify names the movement from old to new MRR; ok is false when equal.
func classify(old, new int64, paidBefore bool) (MovementKind, bool) {
	switch {
	case old == new:
		return "", false
	case old == 0 && paidBefore:
		return MovementReactivation, true
	case old == 0:
		return MovementNew, true
	case new == 0:
		return MovementChurn, true
	case new > old:
		return MovementExpansion, true
	}
	return MovementContraction, true
}

func movement(kind MovementKind, customer string, date time.Time, old, new int64, lines []int, cur money.Currency) Movement {
	amt := new - old
	if amt < 0 {
		amt = -amt // both are in [0, MaxInt64], so the difference fits
	}
	return Movement{Kind: kind, CustomerID: customer, Date: date, From: money.Money{Amount: old, Currency: cur}, To: money.Money{Amount: new, Currency: cur},
		Amount: money.Money{Amount: amt, Currency: cur}, Lines: append([]int(nil), lines...)}
}

// movementJSON is the wire form of a Movement: its date as YYYY-MM-DD.
type movementJSON struct {
	Kind       MovementKind `json:"kind"`
	CustomerID string       `json:"customer_id"`
	Date       string       `json:"date"`
	From       money.Money  `json:"from"`
	To         money.Money  `json:"to"`
	Amount     money.Money  `json:"amount"`
	Lines      []int        `json:"lines,omitempty"`
}

// MarshalJSON encodes m with its date as "2024-01-05".
func (m Movement) MarshalJSON() ([]byte, error) {
	return json.Marshal(movementJSON{m.Kind, m.CustomerID, m.Date.UTC().Format(time.DateOnly), m.From, m.To, m.Amount, m.Lines})
}

// UnmarshalJSON decodes the form MarshalJSON writes.
func (m *Movement) UnmarshalJSON(b []byte) error {
	var w movementJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d, err := time.Parse(time.DateOnly, w.Date)
	if err != nil {
		return fmt.Errorf("mrr: movement date %q is not YYYY-MM-DD", w.Date)
	}
	*m = Movement{Kind: w.Kind, CustomerID: w.CustomerID, Date: d, From: w.From, To: w.To, Amount: w.Amount, Lines: w.Lines}
	return nil
}
