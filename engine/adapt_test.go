package engine

import (
	"context"
	"testing"
	"time"

	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/scoring"
)

func day(y int, m time.Month, d int) time.Time { return record.Date(y, m, d) }

func TestJourney(t *testing.T) {
	d := record.Deal{ID: "D", Status: record.DealWon, Amount: usd(900), Created: day(2026, 1, 5), Closed: day(2026, 1, 20),
		Touches: []record.Touch{
			{At: day(2026, 1, 10), Channel: "email", Kind: record.TouchMarketing},
			{At: day(2026, 1, 2), Channel: "webinar", Campaign: "w1", Kind: record.TouchMarketing, LeadCreated: true},
			{At: day(2026, 1, 25), Channel: "late", Kind: record.TouchSales}, // after the close: left out
			{At: day(2026, 1, 10), Channel: "call", Kind: record.TouchSales, OppCreated: true},
		}}
	j := Journey(d)
	if !j.Converted || j.Value != usd(900) || !j.ConversionTime.Equal(day(2026, 1, 20)) {
		t.Errorf("journey %+v", j)
	}
	var got []string
	for _, tp := range j.Touches {
		got = append(got, tp.Channel)
	}
	// Sorted by time, ties (email, call on the 10th) in input order.
	if len(got) != 3 || got[0] != "webinar" || got[1] != "email" || got[2] != "call" {
		t.Errorf("channels %v, want webinar email call", got)
	}
	if !j.Touches[0].LeadCreated || j.Touches[0].Campaign != "w1" || !j.Touches[2].OppCreated {
		t.Errorf("milestones lost: %+v", j.Touches)
	}
	// Back: the touch keeps time, channel, campaign and milestones.
	if back := j.Touches[0].Record(record.TouchMarketing); back.Channel != "webinar" || back.Campaign != "w1" || !back.LeadCreated || !back.At.Equal(day(2026, 1, 2)) {
		t.Errorf("touch back %+v", back)
	}
	d.Status, d.Closed = record.DealLost, day(2026, 1, 21)
	if j := Journey(d); j.Converted || j.Value.Amount != 0 || len(j.Touches) != 3 {
		t.Errorf("lost journey %+v: want non-converting, value 0, the 3 touches by the 21st (not the 25th)", j)
	}
}

func TestEventTouches(t *testing.T) {
	ev := []scoring.Event{
		{Type: "page_view", Time: day(2026, 1, 3), Props: map[string]any{"utm_source": "ads", "utm_campaign": "brand"}},
		{Type: "page_view", Time: day(2026, 1, 1), Props: map[string]any{"utm_source": "seo"}},
		{Type: "email_click", Time: day(2026, 1, 2), Props: map[string]any{"url": "/x"}}, // no channel: skipped
	}
	ts := EventTouches("L", ev, ByProperty("utm_source", "utm_campaign"))
	if len(ts) != 2 || ts[0].Channel != "seo" || !ts[0].LeadCreated || ts[1].Channel != "ads" || ts[1].Campaign != "brand" || ts[1].LeadCreated {
		t.Errorf("touches %+v", ts)
	}
}

// TestContribution is the case revenue.MarketingRevenue used to compute
// with its own first-touch loop, now through attribution's FirstTouch and
// Participation. Won in 2024-Q1: d1 10,000 (first touch a webinar, Dec 20),
// d2 5,000 (first outbound; email Jan 15 before the close), d3 3,000 (its
// email is after the close), d6 2,000 (no touches): won 20,000, sourced d1
// = 10,000 (1/2), influenced d1 + d2 = 15,000 (3/4).
func TestContribution(t *testing.T) {
	tc := func(y int, m time.Month, d int, ch string, k record.TouchKind) record.Touch {
		return record.Touch{At: day(y, m, d), Channel: ch, Kind: k}
	}
	deals := []record.Deal{
		{ID: "d1", Created: day(2024, 1, 1), Closed: day(2024, 1, 31), Status: record.DealWon, Amount: usd(1_000_000),
			Touches: []record.Touch{tc(2024, 1, 5, "outbound", record.TouchSales), tc(2023, 12, 20, "webinar", record.TouchMarketing)}},
		{ID: "d2", Created: day(2024, 1, 10), Closed: day(2024, 2, 19), Status: record.DealWon, Amount: usd(500_000),
			Touches: []record.Touch{tc(2024, 1, 2, "outbound", record.TouchSales), tc(2024, 1, 15, "email", record.TouchMarketing)}},
		{ID: "d3", Created: day(2024, 2, 1), Closed: day(2024, 2, 11), Status: record.DealWon, Amount: usd(300_000),
			Touches: []record.Touch{tc(2024, 1, 20, "outbound", record.TouchSales), tc(2024, 3, 1, "email", record.TouchMarketing)}},
		{ID: "d4", Created: day(2024, 1, 5), Closed: day(2024, 2, 15), Status: record.DealLost, Amount: usd(800_000)},
		{ID: "d6", Created: day(2024, 2, 1), Closed: day(2024, 3, 2), Status: record.DealWon, Amount: usd(200_000)},
	}
	b, _ := New(Config{Currency: "USD", Period: ByQuarter})
	for _, d := range deals {
		if err := b.AddDeal(d); err != nil {
			t.Fatal(err)
		}
	}
	v, err := b.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := v.Periods[0].Revenue
	if r.Total != usd(2_000_000) || r.Sourced != usd(1_000_000) || r.Influenced != usd(1_500_000) || r.Deals != 4 {
		t.Errorf("revenue %+v", r)
	}
	near(t, "sourced share", r.SourcedShare.Value, 0.5)
	near(t, "influenced share", r.InfluencedShare.Value, 0.75)
	// A repeated deal id is refused, not counted twice.
	if err := b.AddDeal(deals[0]); err == nil {
		t.Error("repeated deal accepted")
	}
}
