package record

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

func TestReadStageChanges(t *testing.T) {
	in := "lead_id,from,to,at,rule,owner,route,deadline\r\n" +
		"L1,lead,mql,2026-01-05T09:00:00Z,mql,ana,emea,2026-01-06T09:00:00Z\n" +
		"L1,mql,sal,2026-01-05,,,,\n"
	got, err := ReadStageChanges(context.Background(), strings.NewReader(in), "sc.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d changes, want 2", len(got))
	}
	want := StageChange{LeadID: "L1", From: "lead", To: "mql", At: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Rule: "mql", Owner: "ana", Route: "emea",
		Deadline: time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC), Line: 2}
	if got[0] != want {
		t.Errorf("row 1 = %+v, want %+v", got[0], want)
	}
	if !got[1].At.Equal(Date(2026, 1, 5)) || got[1].Line != 3 {
		t.Errorf("row 2 = %+v: a date is midnight UTC, line 3", got[1])
	}
}

func TestReadErrorsArePositioned(t *testing.T) {
	tests := []struct {
		name, file, in string
		read           func(string, string) error
		want           []string // error strings, in order
	}{
		{"bad time and empty to", "sc.csv", "lead_id,to,at\nL1,,yesterday\n", readSC,
			[]string{"sc.csv:2:2: to: empty to", `sc.csv:2:3: at: "yesterday" is not an RFC 3339 time or a YYYY-MM-DD date`}},
		{"missing column", "sc.csv", "lead_id,at\nL1,2026-01-01\n", readSC, []string{"sc.csv:1: to: missing column"}},
		{"deadline before at", "sc.csv", "lead_id,to,at,deadline\nL1,mql,2026-01-02,2026-01-01\n", readSC,
			[]string{"sc.csv:2:4: deadline: deadline 2026-01-01T00:00:00Z before the change at 2026-01-02T00:00:00Z"}},
		{"negative amount, bad status", "d.csv", "id,created,status,amount\nD1,2026-01-01,pending,-5\n", readDeals,
			[]string{`d.csv:2:3: status: status "pending" is not open or won or lost`, "d.csv:2:4: amount: negative amount -5"}},
		{"duplicate deal", "d.csv", "id,created,status,amount\nD1,2026-01-01,open,5\nD1,2026-01-01,open,5\n", readDeals,
			[]string{`d.csv:3:1: id: deal id "D1" repeats the deal of line 2`}},
		{"won without close", "d.csv", "id,created,status,amount\nD1,2026-01-01,won,5\n", readDeals,
			[]string{"d.csv:2: closed: empty closed"}},
		{"json unknown key and nested touch", "d.jsonl", `{"id":"D1","created":"2026-01-01","status":"open","amount":5,"colour":"red","touches":[{"at":"2026-01-01","channel":"ads","kind":"tv"}]}` + "\n", readDeals,
			[]string{"d.jsonl:1: colour: unknown key (known: id, created, status, amount, closed, currency, account_id, lead_id, stage, channel, campaign, touches)"}},
		{"json nested touch kind", "d.jsonl", `{"id":"D1","created":"2026-01-01","status":"open","amount":5,"touches":[{"at":"2026-01-01","channel":"ads","kind":"tv"}]}` + "\n", readDeals,
			[]string{`d.jsonl:1: touches[0].kind: kind "tv" is not marketing or sales`}},
		{"json repeated key", "d.jsonl", `{"id":"D1","created":"2026-01-01","status":"open","amount":5,"amount":-1}` + "\n", readDeals,
			[]string{`d.jsonl:1: key "amount" given twice`}},
		{"json repeated key in a touch", "d.jsonl", `{"id":"D1","created":"2026-01-01","status":"open","amount":5,"touches":[{"at":"2026-01-01","kind":"sales","kind":"marketing","channel":"a"}]}` + "\n", readDeals,
			[]string{`d.jsonl:1: touches[0]: key "kind" given twice`}},
		{"spend period", "s.csv", "period,channel,category,amount\n2026-13,ads,marketing,5\n", readSpend,
			[]string{`s.csv:2:1: period: "2026-13" is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD`}},
		{"width", "s.csv", "period,channel,category,amount\n2026-01,ads,marketing\n", readSpend,
			[]string{"s.csv:2:4: 3 fields, the header has 4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(tc.file, tc.in)
			var l diag.List
			if !errors.As(err, &l) {
				t.Fatalf("err = %v, want a diag.List", err)
			}
			var got []string
			for _, e := range l {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func readSC(name, in string) error {
	_, err := ReadStageChanges(context.Background(), strings.NewReader(in), name)
	return err
}
func readDeals(name, in string) error {
	_, err := ReadDeals(context.Background(), strings.NewReader(in), name)
	return err
}
func readSpend(name, in string) error {
	_, err := ReadSpend(context.Background(), strings.NewReader(in), name)
	return err
}

func TestReadDealsJSONWithTouches(t *testing.T) {
	in := `{"id":"D1","created":"2026-01-02","closed":"2026-02-01","status":"won","amount":120000,"currency":"eur","touches":[` +
		`{"at":"2026-01-01T10:00:00Z","channel":"webinar","campaign":"q1-launch","kind":"marketing","lead_created":true},` +
		`{"at":"2026-01-03","channel":"outbound","kind":"sales","opp_created":"yes"}]}` + "\n"
	ds, err := ReadDeals(context.Background(), strings.NewReader(in), "deals.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if d.Amount != money.New(120000, "EUR") || d.Status != DealWon || len(d.Touches) != 2 {
		t.Fatalf("deal = %+v", d)
	}
	if !d.Touches[0].LeadCreated || d.Touches[0].Campaign != "q1-launch" || !d.Touches[1].OppCreated || d.Touches[1].Kind != TouchSales || d.Touches[1].DealID != "D1" {
		t.Errorf("touches = %+v", d.Touches)
	}
}

func TestReadSpendAndEvents(t *testing.T) {
	sp, err := ReadSpend(context.Background(), strings.NewReader("period,channel,campaign,category,amount\n2026-Q1,ads,brand,marketing,+300\n"), "s.csv", WithCurrency("GBP"))
	if err != nil {
		t.Fatal(err)
	}
	q1, _ := Quarter(2026, 1)
	if sp[0].Period != q1 || sp[0].Amount != money.New(300, "GBP") || sp[0].Campaign != "brand" {
		t.Errorf("spend = %+v", sp[0])
	}
	ev, err := ReadSubscriptionEvents(context.Background(), strings.NewReader(`{"customer_id":"C1","date":"2026-01-15T23:00:00Z","mrr":0}`+"\n"), "e.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if ev[0].Date != Date(2026, 1, 15) || ev[0].MRR != money.New(0, "USD") {
		t.Errorf("event = %+v: the date is cut to the UTC day", ev[0])
	}
}
