package revenue

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadDeals(t *testing.T) {
	in := `id,created,closed,status,amount,channel,touches
d1,2024-01-01,2024-01-31,won,1000000,webinar,2023-12-20|webinar|marketing;2024-01-05|outbound|sales
d2,2024-02-05,,open,600000,outbound,
d3,2024-02-01,2024-01-01,lost,5,web,
d4,2024-02-01,,won,5,web,2024-01-01|web|ads
d5,2024-02-01,2024-02-02,pending,5,web,
d6,2024-02-01,2024-02-02,open,5,web,bad
`
	got, err := ReadDeals(context.Background(), strings.NewReader(in), "deals.csv")
	want := []Deal{
		{ID: "d1", Created: Date(2024, 1, 1), Closed: Date(2024, 1, 31), Status: DealWon, Amount: usd(1_000_000), Channel: "webinar", Line: 2,
			Touches: []Touch{{Date(2023, 12, 20), "webinar", TouchMarketing}, {Date(2024, 1, 5), "outbound", TouchSales}}},
		{ID: "d2", Created: Date(2024, 2, 5), Status: DealOpen, Amount: usd(600_000), Channel: "outbound", Line: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantErr := []string{
		"deals.csv:4:3: closed: closed 2024-01-01 before created 2024-02-01",
		`deals.csv:5:3: closed: date "" is not YYYY-MM-DD`,
		`deals.csv:5:7: touches: touch "2024-01-01|web|ads": kind "ads" is not marketing or sales`,
		`deals.csv:6:4: status: status "pending" is not open, won or lost`,
		"deals.csv:7:3: closed: open deal with a close date",
		`deals.csv:7:7: touches: touch "bad" is not date|channel|kind`,
	}
	var pe Errors
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	var msgs []string
	for _, e := range pe {
		msgs = append(msgs, e.Error())
	}
	if diff := cmp.Diff(wantErr, msgs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestReadProspectsAndSpend(t *testing.T) {
	leads, err := ReadProspects(context.Background(), strings.NewReader(
		"id,channel,stage,date\nL1,web,lead,2024-01-02\nL2,events,lead,2024-01-03\nL1,web,MQL,2024-01-05\n"), "leads.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Prospect{
		{ID: "L1", Channel: "web", History: []StageChange{{StageLead, Date(2024, 1, 2)}, {StageMQL, Date(2024, 1, 5)}}},
		{ID: "L2", Channel: "events", History: []StageChange{{StageLead, Date(2024, 1, 3)}}},
	}
	if diff := cmp.Diff(want, leads); diff != "" {
		t.Errorf("leads (-want +got):\n%s", diff)
	}
	_, err = ReadProspects(context.Background(), strings.NewReader("L1,web,lead,2024-01-02\nL1,ads,mql,2024-01-03\nL2,web,churned,2024-01-01\n"), "leads.csv")
	if err == nil || !strings.Contains(err.Error(), `leads.csv:2:2: channel: prospect L1: channel "ads" differs from "web"`) ||
		!strings.Contains(err.Error(), `leads.csv:3:3: stage: unknown stage "churned"`) {
		t.Errorf("lead errors: %v", err)
	}
	spend, err := ReadSpend(context.Background(), strings.NewReader("month,channel,category,amount\n2024-01,search,marketing,150000\n2024-01,sdr,sales,90000\n"), "spend.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(spend) != 2 || spend[0].Period != Month(2024, time.January) || spend[1].Category != SpendSales || spend[1].Amount != usd(90000) {
		t.Errorf("spend %+v", spend)
	}
	total, err := TotalSpend(spend, Month(2024, time.January), "", "USD")
	if err != nil || total != usd(240000) {
		t.Errorf("total spend %v, %v", total, err)
	}
	mkt, _ := TotalSpend(spend, Month(2024, time.January), SpendMarketing, "USD")
	if mkt != usd(150000) {
		t.Errorf("marketing spend %v", mkt)
	}
	_, err = ReadSpend(context.Background(), strings.NewReader("2024-13,search,marketing,1\n2024-01,search,brand,1\n"), "spend.csv")
	if err == nil || !strings.Contains(err.Error(), `spend.csv:1:1: month: month "2024-13" is not YYYY-MM`) ||
		!strings.Contains(err.Error(), `spend.csv:2:3: category: category "brand" is not marketing or sales`) {
		t.Errorf("spend errors: %v", err)
	}
}

// fuzzReader checks that a reader neither panics nor loses a row: every
// returned record carries a line within the input, and an error is a
// Errors whose entries name the file.
func fuzzCheck(t *testing.T, data string, lines []int, err error) {
	t.Helper()
	n := strings.Count(data, "\n") + 1
	for _, l := range lines {
		if l < 1 || l > n {
			t.Fatalf("line %d outside 1..%d", l, n)
		}
	}
	if err != nil {
		var pe Errors
		if !errors.As(err, &pe) || len(pe) == 0 {
			t.Fatalf("err %v is not Errors", err)
		}
		for _, e := range pe {
			if e.File != "f.csv" || e.Line < 0 {
				t.Fatalf("bad position %+v", e)
			}
		}
	}
}

func FuzzReadDeals(f *testing.F) {
	f.Add("id,created,closed,status,amount,channel,touches\nd1,2024-01-01,2024-01-31,won,100,web,2024-01-01|web|marketing\n")
	f.Add("d2,2024-02-05,,open,600000,outbound,\n")
	f.Add("d3,2024-02-01,2024-01-01,lost,5,web,;;|||\n")
	f.Fuzz(func(t *testing.T, data string) {
		ds, err := ReadDeals(context.Background(), strings.NewReader(data), "f.csv")
		var lines []int
		for _, d := range ds {
			lines = append(lines, d.Line)
		}
		fuzzCheck(t, data, lines, err)
	})
}

func FuzzReadProspects(f *testing.F) {
	f.Add("id,channel,stage,date\nL1,web,lead,2024-01-02\nL1,web,mql,2024-01-05\n")
	f.Add("L1,web,won,2024-01-02\nL1,ads,mql,2024-01-05\n")
	f.Fuzz(func(t *testing.T, data string) {
		ls, err := ReadProspects(context.Background(), strings.NewReader(data), "f.csv")
		fuzzCheck(t, data, nil, err)
		if err == nil && len(ls) > 0 {
			if _, err := Conversions(context.Background(), ls, Month(2024, time.January), FunnelCohort, nil); err != nil {
				t.Fatalf("funnel of valid leads: %v", err)
			}
		}
	})
}

func FuzzReadSpend(f *testing.F) {
	f.Add("month,channel,category,amount\n2024-01,search,marketing,150000\n")
	f.Add("2024-13,x,sales,-1\n")
	f.Fuzz(func(t *testing.T, data string) {
		ss, err := ReadSpend(context.Background(), strings.NewReader(data), "f.csv")
		var lines []int
		for _, s := range ss {
			lines = append(lines, s.Line)
		}
		fuzzCheck(t, data, lines, err)
	})
}

func TestSpendJSON(t *testing.T) {
	b, err := json.Marshal(Spend{Period: Month(2024, time.March), Channel: "search", Category: SpendMarketing, Amount: usd(150000), Line: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"period":"2024-03","channel":"search","category":"marketing","amount":{"amount_minor":150000,"currency":"USD"},"line":2}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestReadersShareGrammar: the zero date is rejected, a repeated deal id is
// an error on its later row (the deal is not counted twice), and an amount
// written "500", " 500", "+500" or " +500 " is the same 500 minor units in
// every reader of the package.
func TestReadersShareGrammar(t *testing.T) {
	ctx := context.Background()
	deals := "id,created,closed,status,amount,channel,touches\n" +
		"d1,2024-01-01,2024-01-31,won,500,web,\n" +
		"d2,2024-01-01,2024-01-31,won, 500,web,\n" +
		"d3,2024-01-01,2024-01-31,won,+500,web,\n" +
		"d4,2024-01-01,2024-01-31,won,\" +500 \",web,\n" +
		"d1,2024-01-02,2024-01-31,won,700,web,\n" +
		"d5,0001-01-01,2024-01-31,won,500,web,\n"
	got, err := ReadDeals(ctx, strings.NewReader(deals), "deals.csv")
	if len(got) != 4 {
		t.Fatalf("%d deals, want 4: %+v", len(got), got)
	}
	for _, d := range got {
		if d.Amount != usd(500) {
			t.Errorf("%s: amount %v, want USD 5.00", d.ID, d.Amount)
		}
	}
	wantErr := []string{
		`deals.csv:6:1: id: deal id "d1" repeats the deal of line 2`,
		`deals.csv:7:2: created: date "0001-01-01" is the zero date`,
	}
	var pe Errors
	if !errors.As(err, &pe) || len(pe) != len(wantErr) {
		t.Fatalf("err = %v", err)
	}
	for i, w := range wantErr {
		if pe[i].Error() != w {
			t.Errorf("error %d = %q, want %q", i, pe[i].Error(), w)
		}
	}
	// A slice with a repeated id is refused by the calculators too:
	// 500 + 500 would be one deal counted twice.
	twice := []Deal{got[0], got[0]}
	if _, err := AverageDealSize(twice, "USD"); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("AverageDealSize of a repeated deal: %v", err)
	}
	if _, err := MarketingRevenue(twice, "USD"); !errors.Is(err, ErrInconsistentInput) {
		t.Errorf("MarketingRevenue of a repeated deal: %v", err)
	}
	spend := "month,channel,category,amount\n2024-01,web,marketing,500\n2024-01,web,marketing, +500\n2024-01,web,marketing,+500\n"
	sp, err := ReadSpend(ctx, strings.NewReader(spend), "spend.csv")
	if err != nil || len(sp) != 3 {
		t.Fatalf("spend: %v, %v", sp, err)
	}
	for _, s := range sp {
		if s.Amount != usd(500) {
			t.Errorf("spend line %d: %v", s.Line, s.Amount)
		}
	}
	prospects := "id,channel,stage,date\np1,web,lead,0001-01-01\n"
	if _, err := ReadProspects(ctx, strings.NewReader(prospects), "leads.csv"); err == nil || !strings.Contains(err.Error(), "zero date") {
		t.Errorf("prospects with the zero date: %v", err)
	}
}
