package mrr

import (
	"github.com/revengine/revengine/revenue"

	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
)

func TestReadEvents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"header", "customer_id,date,mrr\na,2024-01-05,1000\nb,2024-02-01,0\n",
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}, {CustomerID: "b", Date: revenue.Date(2024, 2, 1), MRR: usd(0), Line: 3}}},
		{"no header", "a,2024-01-05,1000\n", []Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 1}}},
		{"reordered header, spaces, BOM", "\ufeffmrr,date,customer_id\n 1000 , 2024-01-05 , a \n",
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}}},
		{"blank lines", "customer_id,date,mrr\n\na,2024-01-05,1\n\n", []Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1), Line: 3}}},
		// the module's one amount grammar: "+" and white space read as in every reader
		{"plus and spaces", "customer_id,date,mrr\na,2024-01-05,+1000\nb,2024-01-05, +1000\n",
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}, {CustomerID: "b", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 3}}},
		{"quoted id with comma", "customer_id,date,mrr\n\"acme, inc\",2024-01-05,1\n", []Event{{CustomerID: "acme, inc", Date: revenue.Date(2024, 1, 5), MRR: usd(1), Line: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvents(context.Background(), strings.NewReader(tt.in), "e.csv")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadEventsErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		valid int
		want  []string
		is    error // the sentinel every problem matches; nil: at least one matches money.ErrInvalidInput
	}{
		{"every problem, in line order",
			"customer_id,date,mrr\na,2024-01-05,100\n,2024-02-30,x\nb,24-01-01,-1\nc,2024-01-01\nd,2024-1-5,5\n", 1,
			[]string{
				`e.csv:3:1: customer_id: empty customer_id`,
				`e.csv:3:2: date: date "2024-02-30" is not a valid YYYY-MM-DD date`,
				`e.csv:3:3: mrr: "x" is not an integer number of minor units`,
				`e.csv:4:2: date: date "24-01-01" is not YYYY-MM-DD`,
				`e.csv:4:3: mrr: negative amount -1`,
				// a short row: field 3 is missing (csvio's width check)
				`e.csv:5:3: 2 fields, the header has 3`,
				`e.csv:6:2: date: date "2024-1-5" is not YYYY-MM-DD`,
			}, nil},
		// the quote opened in field 1 of line 2 is never closed
		{"bad quote", "customer_id,date,mrr\n\"a,2024-01-01,1\n", 0, []string{`e.csv:2:1: quoted field not closed before the end of the input`}, revenue.ErrSyntax},
		{"header lacks column", "customer_id,day,mrr\na,2024-01-01,1\n", 0, []string{
			"e.csv:1: date: missing column",
			"e.csv:1:2: day: unknown column (known: customer_id, date, mrr)",
		}, revenue.ErrSyntax},
		{"unknown column is an error, not ignored", "customer_id,date,mrr,note\na,2024-01-01,1,x\n", 0, []string{
			"e.csv:1:4: note: unknown column (known: customer_id, date, mrr)",
		}, revenue.ErrSyntax},
		{"repeated column", "customer_id,date,mrr,date\na,2024-01-01,1,2024-01-01\n", 0, []string{
			"e.csv:1:4: date: duplicate column (also field 2)",
		}, revenue.ErrSyntax},
		{"empty", "", 0, []string{"e.csv:1: no events"}, nil},
		{"extra field without header", "a,2024-01-01,1\nb,2024-01-01,2,oops\n", 1, []string{"e.csv:2:4: 4 fields, want 3 (customer_id,date,mrr; no header)"}, revenue.ErrSyntax},
		{"overflow", "a,2024-01-01,99999999999999999999\n", 0, []string{`e.csv:1:3: mrr: "99999999999999999999" is not an integer number of minor units`}, nil},
		// 0001-01-01 is time.Time's zero value: it would read as "no date"
		{"zero date", "a,0001-01-01,1\n", 0, []string{`e.csv:1:2: date: date "0001-01-01" is the zero date`}, nil},
		{"minus after plus", "a,2024-01-01,+-1\n", 0, []string{`e.csv:1:3: mrr: "+-1" is not an integer number of minor units`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvents(context.Background(), strings.NewReader(tt.in), "e.csv")
			var pe revenue.Errors
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want ParseErrors", err)
			}
			if tt.is == nil && !errors.Is(err, money.ErrInvalidInput) {
				t.Errorf("errors.Is(ErrInvalidInput) false")
			}
			for _, e := range pe {
				if tt.is != nil && !errors.Is(e, tt.is) {
					t.Errorf("%v: errors.Is(%v) false", e, tt.is)
				}
			}
			if len(got) != tt.valid {
				t.Errorf("%d valid rows, want %d", len(got), tt.valid)
			}
			var msgs []string
			for _, e := range pe {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.want, msgs); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ReadEvents(context.Background(), strings.NewReader(""), "e.csv", revenue.WithCurrency("usd")); !errors.Is(err, money.ErrInvalidCurrency) {
		t.Errorf("currency: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := strings.Repeat("a,2024-01-01,1\n", 3000)
	if _, err := ReadEvents(ctx, strings.NewReader(big), "e.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func FuzzReadEvents(f *testing.F) {
	f.Add("customer_id,date,mrr\na,2024-01-05,1000\nb,2024-02-01,0\n")
	f.Add("a,2024-01-05,1000\na,2024-01-05,0\n")
	f.Add("\"a\nb\",2024-01-01,1\n")
	f.Add("mrr,date,customer_id\n-1,2024-02-30,\n")
	f.Add("a,2024-01-01,9223372036854775807\nb,2024-01-02,9223372036854775807\n")
	f.Add("a,1999-12-31,1\nb,2001-01-02,0\n")
	f.Fuzz(func(t *testing.T, data string) {
		evs, err := ReadEvents(context.Background(), strings.NewReader(data), "f.csv")
		var lines []int
		for _, e := range evs {
			lines = append(lines, e.Line)
		}
		fuzzCheck(t, data, lines, err)
		if err == nil && len(evs) > 0 && len(evs) < 200 && spanYears(evs) <= 50 {
			// Bridges of valid logs must reconcile or fail cleanly (overflow).
			for _, m := range []Method{MethodEvent, MethodNet} {
				if b, err := NewBridge(context.Background(), evs, m, "USD"); err == nil {
					for _, mo := range b.Months {
						if mo.StartingMRR.Amount+mo.New.Amount+mo.Expansion.Amount+mo.Reactivation.Amount-
							mo.Contraction.Amount-mo.Churn.Amount != mo.EndingMRR.Amount {
							t.Fatalf("%s %s does not reconcile", m, mo.Period)
						}
					}
				} else if !errors.Is(err, money.ErrOverflow) {
					t.Fatalf("bridge of valid events: %v", err)
				}
			}
		}
	})
}

// spanYears is the number of years between the earliest and latest event,
// to keep fuzzed bridges (one row per month) small.
func spanYears(evs []Event) int {
	lo, hi := evs[0].Date.Year(), evs[0].Date.Year()
	for _, e := range evs {
		lo, hi = min(lo, e.Date.Year()), max(hi, e.Date.Year())
	}
	return hi - lo
}

// fuzzCheck checks that a reader neither panics nor loses a row: every
// returned record carries a line within the input, and an error is a
// revenue.Errors whose entries name the file.
func fuzzCheck(t *testing.T, data string, lines []int, err error) {
	t.Helper()
	n := strings.Count(data, "\n") + 1
	for _, l := range lines {
		if l < 1 || l > n {
			t.Fatalf("line %d outside 1..%d", l, n)
		}
	}
	if err != nil {
		var pe revenue.Errors
		if !errors.As(err, &pe) || len(pe) == 0 {
			t.Fatalf("err %v is not revenue.Errors", err)
		}
		for _, e := range pe {
			if e.File != "f.csv" || e.Line < 0 {
				t.Fatalf("bad position %+v", e)
			}
		}
	}
}
