package revenue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReadersConventions: the behaviours every reader shares, through the
// public API of ReadDeals, ReadSpend and ReadProspects: a byte order mark
// and CRLF, amounts with a leading "+" or spaces read alike, a huge line
// reported with its number while the rest is read, an unknown column and a
// zero date rejected.
func TestReadersConventions(t *testing.T) {
	huge := strings.Repeat("x", 2<<20) // 2 MiB: over the 1 MiB default
	ctx := context.Background()
	deal := func(id string, line int, amount int64) Deal {
		return Deal{ID: id, Created: Date(2024, 1, 2), Status: DealOpen, Amount: usd(amount), Channel: "web", Line: line}
	}
	spend := func(line int, amount int64) Spend {
		return Spend{Period: Month(2024, time.January), Channel: "search", Category: SpendMarketing, Amount: usd(amount), Line: line}
	}
	prospect := func(id string, days ...int) Prospect {
		p := Prospect{ID: id, Channel: "web"}
		for _, d := range days {
			p.History = append(p.History, StageChange{StageLead, Date(2024, 1, d)})
		}
		return p
	}
	type result struct {
		got  any
		errs []string
		err  error
	}
	collect := func(got any, err error) result {
		r := result{got: got, err: err}
		var list Errors
		if err != nil && !errors.As(err, &list) {
			r.errs = []string{"not Errors: " + err.Error()}
		}
		for _, e := range list {
			r.errs = append(r.errs, e.Error())
		}
		return r
	}
	readDeals := func(in string) result {
		d, err := ReadDeals(ctx, strings.NewReader(in), "d.csv")
		return collect(d, err)
	}
	readSpend := func(in string) result {
		s, err := ReadSpend(ctx, strings.NewReader(in), "s.csv")
		return collect(s, err)
	}
	readProspects := func(in string) result {
		p, err := ReadProspects(ctx, strings.NewReader(in), "p.csv")
		return collect(p, err)
	}
	dealHead := "id,created,closed,status,amount,channel,touches\r\n"
	tests := []struct {
		name     string
		read     func(string) result
		in       string
		want     any
		wantErrs []string
		is       error
	}{
		{"deals: BOM and CRLF", readDeals, "\ufeff" + dealHead + "d1,2024-01-02,,open,100,web,\r\n",
			[]Deal{deal("d1", 2, 100)}, nil, nil},
		{"deals: plus and spaces", readDeals, dealHead + "d1,2024-01-02,,open,+100,web,\r\nd2,2024-01-02,,open, +100 ,web,\r\n",
			[]Deal{deal("d1", 2, 100), deal("d2", 3, 100)}, nil, nil},
		{"deals: huge line", readDeals, dealHead + "d1,2024-01-02,,open,1,web," + huge + "\nd2,2024-01-02,,open,2,web,\n",
			[]Deal{deal("d2", 3, 2)}, []string{"d.csv:2: line longer than 1048576 bytes"}, ErrLineTooLong},
		{"deals: unknown column", readDeals, "id,created,closed,status,amount,channel,touches,owner\nd1,2024-01-02,,open,1,web,,ann\n",
			[]Deal(nil), []string{"d.csv:1:8: owner: unknown column (known: id, created, closed, status, amount, channel, touches)"}, ErrSyntax},
		{"deals: zero date", readDeals, "d1,0001-01-01,,open,1,web,\n",
			[]Deal(nil), []string{`d.csv:1:2: created: date "0001-01-01" is the zero date`}, nil},
		{"spend: BOM and CRLF", readSpend, "\ufeffmonth,channel,category,amount\r\n2024-01,search,marketing,150\r\n",
			[]Spend{spend(2, 150)}, nil, nil},
		{"spend: BOM without header", readSpend, "\ufeff2024-01,search,marketing,150\n",
			[]Spend{spend(1, 150)}, nil, nil},
		{"spend: plus and spaces", readSpend, "2024-01,search,marketing,+150\n2024-01,search,marketing, +150\n",
			[]Spend{spend(1, 150), spend(2, 150)}, nil, nil},
		{"spend: huge line", readSpend, "2024-01,search,marketing,1\n2024-01," + huge + ",marketing,1\n2024-01,search,marketing,2\n",
			[]Spend{spend(1, 1), spend(3, 2)}, []string{"s.csv:2: line longer than 1048576 bytes"}, ErrLineTooLong},
		{"spend: unknown column", readSpend, "month,channel,category,amount,note\n2024-01,search,marketing,1,x\n",
			[]Spend(nil), []string{"s.csv:1:5: note: unknown column (known: month, channel, category, amount)"}, ErrSyntax},
		{"prospects: BOM and CRLF", readProspects, "\ufeffid,channel,stage,date\r\nL1,web,lead,2024-01-02\r\n",
			[]Prospect{prospect("L1", 2)}, nil, nil},
		{"prospects: huge line", readProspects, "L1,web,lead,2024-01-02\nL2," + huge + ",lead,2024-01-02\nL3,web,lead,2024-01-03\n",
			[]Prospect{prospect("L1", 2), prospect("L3", 3)}, []string{"p.csv:2: line longer than 1048576 bytes"}, ErrLineTooLong},
		{"prospects: unknown column", readProspects, "id,channel,stage,date,score\nL1,web,lead,2024-01-02,5\n",
			[]Prospect(nil), []string{"p.csv:1:5: score: unknown column (known: id, channel, stage, date)"}, ErrSyntax},
		{"prospects: zero date", readProspects, "L1,web,lead,0001-01-01\n",
			[]Prospect(nil), []string{`p.csv:1:4: date: date "0001-01-01" is the zero date`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.read(tt.in)
			if diff := cmp.Diff(tt.want, r.got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, r.errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tt.is != nil && !errors.Is(r.err, tt.is) {
				t.Errorf("errors.Is(%v) false for %v", tt.is, r.err)
			}
		})
	}
}

// TestScanReaders: ScanDeals and ScanSpend yield what the Read forms
// return, problems in place.
func TestScanReaders(t *testing.T) {
	ctx := context.Background()
	in := "2024-01,search,marketing,150\n2024-13,search,marketing,1\n2024-02,sdr,sales,90\n"
	var got []Spend
	var errs []string
	for s, err := range ScanSpend(ctx, strings.NewReader(in), "s.csv") {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		got = append(got, s)
	}
	want := []Spend{
		{Period: Month(2024, time.January), Channel: "search", Category: SpendMarketing, Amount: usd(150), Line: 1},
		{Period: Month(2024, time.February), Channel: "sdr", Category: SpendSales, Amount: usd(90), Line: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spend (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`s.csv:2:1: month: month "2024-13" is not YYYY-MM`}, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	n := 0
	for d, err := range ScanDeals(ctx, strings.NewReader("d1,2024-01-02,,open,100,web,\n"), "d.csv", WithCurrency("EUR")) {
		n++
		if err != nil || d.Amount.Currency != "EUR" || d.Amount.Amount != 100 {
			t.Errorf("deal %+v, %v", d, err)
		}
	}
	if n != 1 {
		t.Errorf("%d deals, want 1", n)
	}
}
