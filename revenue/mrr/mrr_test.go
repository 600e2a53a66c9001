package mrr

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

func kpiEvent(id string, y int, m time.Month, d int, mrr int64) Event {
	return Event{CustomerID: id, Date: revenue.Date(y, m, d), MRR: money.New(mrr, "USD")}
}

// bridgeRow is the figures of a month, in minor units.
type bridgeRow struct {
	Month                                        string
	Start, New, Exp, Con, Churn, React, End, Net int64
	CustStart, CustEnd                           int
}

func bridgeRows(b *Bridge) []bridgeRow {
	var out []bridgeRow
	for _, m := range b.Months {
		out = append(out, bridgeRow{m.Period.String(), m.StartingMRR.Amount, m.New.Amount, m.Expansion.Amount, m.Contraction.Amount,
			m.Churn.Amount, m.Reactivation.Amount, m.EndingMRR.Amount, m.NetNewMRR.Amount, m.CustomersStart, m.CustomersEnd})
	}
	return out
}

// allMovements is a log in which every movement occurs, including a
// customer new and churned within one month (c, January) and churn followed
// by reactivation (b: churns in February, returns in April), a month with
// no events (March) and a same-day correction (d on 2024-04-10).
var allMovements = []Event{
	kpiEvent("a", 2024, 1, 3, 1000), // a new 1000
	kpiEvent("b", 2024, 1, 10, 500), // b new 500
	kpiEvent("c", 2024, 1, 12, 300), // c new 300
	kpiEvent("c", 2024, 1, 28, 0),   // c churn 300 (new and churned in January)
	kpiEvent("a", 2024, 2, 1, 1500), // a expansion 500
	kpiEvent("b", 2024, 2, 14, 0),   // b churn 500
	kpiEvent("a", 2024, 4, 2, 1200), // a contraction 300
	kpiEvent("b", 2024, 4, 5, 700),  // b reactivation 700 (paid before)
	kpiEvent("d", 2024, 4, 10, 900), // d: overwritten by the next row
	kpiEvent("d", 2024, 4, 10, 400), // d new 400 (later row of the day wins)
	kpiEvent("c", 2024, 4, 20, 250), // c reactivation 250 (paid in January)
	kpiEvent("c", 2024, 4, 25, 350), // c expansion 100 (event) — net: reactivation 350
}

// TestMRRBridgeAllMovements works the bridge by hand, both methods.
//
// event, January: new 1000+500+300 = 1800, churn 300; end 1500, 2 paying.
// February: expansion 500 (a 1000→1500), churn 500 (b); end 1500, 1 paying.
// March: no events, 1500 → 1500.
// April: contraction 300 (a 1500→1200), reactivation 700 (b), new 400 (d,
// the 900 row of the same day is superseded), reactivation 250 (c),
// expansion 100 (c 250→350); end 1200+700+400+350 = 2650, 4 paying.
// Check April: 1500 + 400 + 100 + (700+250) − 300 − 0 = 2650.
//
// net, January: a 0→1000 new, b 0→500 new, c 0→0 nothing: new 1500.
// April: a 1500→1200 contraction 300, b 0→700 reactivation, c 0→350
// reactivation (paid before April), d 0→400 new: 1500+400+1050−300 = 2650.
func TestMRRBridgeAllMovements(t *testing.T) {
	tests := []struct {
		name   string
		method Method
		want   []bridgeRow
	}{
		{"event", MethodEvent, []bridgeRow{
			{"2024-01", 0, 1800, 0, 0, 300, 0, 1500, 1500, 0, 2},
			{"2024-02", 1500, 0, 500, 0, 500, 0, 1500, 0, 2, 1},
			{"2024-03", 1500, 0, 0, 0, 0, 0, 1500, 0, 1, 1},
			{"2024-04", 1500, 400, 100, 300, 0, 950, 2650, 1150, 1, 4},
		}},
		{"net", MethodNet, []bridgeRow{
			{"2024-01", 0, 1500, 0, 0, 0, 0, 1500, 1500, 0, 2},
			{"2024-02", 1500, 0, 500, 0, 500, 0, 1500, 0, 2, 1},
			{"2024-03", 1500, 0, 0, 0, 0, 0, 1500, 0, 1, 1},
			{"2024-04", 1500, 400, 0, 300, 0, 1050, 2650, 1150, 1, 4},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBridge(context.Background(), allMovements, tt.method, "USD")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, bridgeRows(b)); diff != "" {
				t.Errorf("bridge (-want +got):\n%s", diff)
			}
			if b.Method != tt.method || b.Currency != "USD" || b.Events != len(allMovements) {
				t.Errorf("method %q currency %q events %d", b.Method, b.Currency, b.Events)
			}
			var events int
			for _, m := range b.Months {
				events += m.Events
			}
			if events != len(allMovements) {
				t.Errorf("months hold %d events, want %d", events, len(allMovements))
			}
		})
	}
}

// TestMRRBridgeDrillDown checks the movements behind April's figures.
func TestMRRBridgeDrillDown(t *testing.T) {
	type mv struct {
		Kind     MovementKind
		ID       string
		Day      int
		From, To int64
		Lines    []int
	}
	simplify := func(ms []Movement) []mv {
		var out []mv
		for _, m := range ms {
			out = append(out, mv{m.Kind, m.CustomerID, m.Date.Day(), m.From.Amount, m.To.Amount, m.Lines})
		}
		return out
	}
	// Lines are 1-based event indexes as the events carry no Line.
	tests := []struct {
		name   string
		method Method
		want   []mv
	}{
		{"event", MethodEvent, []mv{
			{MovementContraction, "a", 2, 1500, 1200, []int{7}},
			{MovementReactivation, "b", 5, 0, 700, []int{8}},
			{MovementNew, "d", 10, 0, 400, []int{9, 10}},
			{MovementReactivation, "c", 20, 0, 250, []int{11}},
			{MovementExpansion, "c", 25, 250, 350, []int{12}},
		}},
		{"net", MethodNet, []mv{
			{MovementContraction, "a", 2, 1500, 1200, []int{7}},
			{MovementReactivation, "b", 5, 0, 700, []int{8}},
			{MovementReactivation, "c", 25, 0, 350, []int{11, 12}},
			{MovementNew, "d", 10, 0, 400, []int{9, 10}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBridge(context.Background(), allMovements, tt.method, "USD")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, simplify(b.Months[3].Movements)); diff != "" {
				t.Errorf("April movements (-want +got):\n%s", diff)
			}
			var sum int64
			for _, m := range b.Months[3].MovementsOf(MovementReactivation) {
				sum += m.Amount.Amount
			}
			if sum != b.Months[3].Reactivation.Amount {
				t.Errorf("reactivation drill-down sums to %d, figure is %d", sum, b.Months[3].Reactivation.Amount)
			}
		})
	}
}

// TestMRRBridgeUnsorted checks that input order matters only for same-day
// rows: the log reversed, with same-day rows kept in order, gives the same
// bridge.
func TestMRRBridgeUnsorted(t *testing.T) {
	var rev []Event
	for i := len(allMovements) - 1; i >= 0; i-- {
		rev = append(rev, allMovements[i])
	}
	// restore file order of d's two same-day rows (indexes 8, 9 → 2, 3 reversed)
	rev[2], rev[3] = rev[3], rev[2]
	for _, m := range []Method{MethodEvent, MethodNet} {
		a, err := NewBridge(context.Background(), allMovements, m, "USD")
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewBridge(context.Background(), rev, m, "USD")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(bridgeRows(a), bridgeRows(b)); diff != "" {
			t.Errorf("%s: reversed log differs:\n%s", m, diff)
		}
	}
}

// TestMRRBridgeReconcilesGenerated is the bridge identity as a property:
// on generated logs, every month satisfies start + new + expansion +
// reactivation − contraction − churn = end, ending MRR equals the sum of
// the customers' last values, and the drill-down sums to the figures.
func TestMRRBridgeReconcilesGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + r.IntN(60)
		var evs []Event
		for i := 0; i < n; i++ {
			id := string(rune('a' + r.IntN(6)))
			d := revenue.Date(2023, time.Month(1+r.IntN(14)), 1+r.IntN(28)) // spills into 2024
			v := int64(0)
			if r.IntN(3) > 0 {
				v = int64(r.IntN(5)) * 1000
			}
			evs = append(evs, Event{CustomerID: id, Date: d, MRR: money.New(v, "USD")})
		}
		for _, m := range []Method{MethodEvent, MethodNet} {
			b, err := NewBridge(context.Background(), evs, m, "USD")
			if err != nil {
				t.Fatalf("trial %d %s: %v", trial, m, err)
			}
			// Independent end-of-month state by replaying rows in (date, file) order.
			for k, mo := range b.Months {
				state := map[string]int64{}
				best := map[string]time.Time{}
				for _, e := range evs {
					if e.Date.Before(mo.Period.End) && !e.Date.Before(best[e.CustomerID]) {
						state[e.CustomerID], best[e.CustomerID] = e.MRR.Amount, e.Date
					}
				}
				var end int64
				var paying int
				for _, v := range state {
					end += v
					if v > 0 {
						paying++
					}
				}
				got := mo.StartingMRR.Amount + mo.New.Amount + mo.Expansion.Amount + mo.Reactivation.Amount -
					mo.Contraction.Amount - mo.Churn.Amount
				if got != mo.EndingMRR.Amount || end != mo.EndingMRR.Amount || paying != mo.CustomersEnd {
					t.Fatalf("trial %d %s %s: bridge %d, ending %d, replay %d (%d paying, bridge %d)",
						trial, m, mo.Period, got, mo.EndingMRR.Amount, end, paying, mo.CustomersEnd)
				}
				if k > 0 && mo.StartingMRR != b.Months[k-1].EndingMRR {
					t.Fatalf("trial %d %s %s: start %v ≠ previous end %v", trial, m, mo.Period, mo.StartingMRR, b.Months[k-1].EndingMRR)
				}
				sums := map[MovementKind]int64{}
				for _, mv := range mo.Movements {
					sums[mv.Kind] += mv.Amount.Amount
					if mv.Amount.Amount <= 0 {
						t.Fatalf("trial %d: movement %+v has non-positive amount", trial, mv)
					}
				}
				if sums[MovementNew] != mo.New.Amount || sums[MovementChurn] != mo.Churn.Amount ||
					sums[MovementExpansion] != mo.Expansion.Amount || sums[MovementContraction] != mo.Contraction.Amount ||
					sums[MovementReactivation] != mo.Reactivation.Amount {
					t.Fatalf("trial %d %s %s: drill-down %v does not sum to the figures", trial, m, mo.Period, sums)
				}
			}
		}
	}
}

func TestMRRBridgeErrors(t *testing.T) {
	ok := []Event{kpiEvent("a", 2024, 1, 1, 100)}
	tests := []struct {
		name   string
		events []Event
		method Method
		cur    money.Currency
		want   error
		msg    string
	}{
		{"no events", nil, MethodEvent, "USD", money.ErrInvalidInput, "no events"},
		{"bad method", ok, "gross", "USD", money.ErrInvalidInput, `unknown method "gross"`},
		{"bad currency", ok, MethodNet, "usd", money.ErrInvalidCurrency, ""},
		{"other currency", []Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 1), MRR: money.New(1, "EUR")}}, MethodEvent, "USD", money.ErrCurrencyMismatch, "event 1"},
		{"negative mrr", []Event{kpiEvent("a", 2024, 1, 1, -5)}, MethodEvent, "USD", money.ErrInvalidInput, "negative mrr"},
		{"empty id", []Event{{Date: revenue.Date(2024, 1, 1), MRR: money.New(1, "USD"), Line: 7}}, MethodNet, "USD", money.ErrInvalidInput, "line 7: invalid input: empty customer id"},
		{"no date", []Event{{CustomerID: "a", MRR: money.New(1, "USD")}}, MethodEvent, "USD", money.ErrInvalidInput, "no date"},
		{"overflow", []Event{kpiEvent("a", 2024, 1, 1, 1<<62), kpiEvent("b", 2024, 1, 1, 1<<62)}, MethodEvent, "USD", money.ErrOverflow, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewBridge(context.Background(), tt.events, tt.method, tt.cur)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err %q lacks %q", err, tt.msg)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewBridge(ctx, ok, MethodEvent, "USD"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
