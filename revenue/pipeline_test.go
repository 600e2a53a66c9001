package revenue

import (
	"errors"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

func dealTouch(y int, m time.Month, d int, ch string, k TouchKind) Touch {
	return Touch{At: Date(y, m, d), Channel: ch, Kind: k}
}

// pipelineDeals: four won (20,000.00 in all), one lost, one open.
//
//	d1 won 30 days (Jan 1 → Jan 31) 10,000; first touch marketing → sourced and influenced
//	d2 won 40 days (Jan 10 → Feb 19) 5,000; first touch sales, marketing later → influenced only
//	d3 won 10 days (Feb 1 → Feb 11) 3,000; marketing touch after close → neither
//	d4 lost; d5 open
//	d6 won 30 days (Feb 1 → Mar 2, 2024 is a leap year) 2,000; no touches → neither
var pipelineDeals = []Deal{
	{ID: "d1", Created: Date(2024, 1, 1), Closed: Date(2024, 1, 31), Status: DealWon, Amount: usd(1_000_000),
		Touches: []Touch{dealTouch(2024, 1, 5, "outbound", TouchSales), dealTouch(2023, 12, 20, "webinar", TouchMarketing)}},
	{ID: "d2", Created: Date(2024, 1, 10), Closed: Date(2024, 2, 19), Status: DealWon, Amount: usd(500_000),
		Touches: []Touch{dealTouch(2024, 1, 2, "outbound", TouchSales), dealTouch(2024, 1, 15, "email", TouchMarketing)}},
	{ID: "d3", Created: Date(2024, 2, 1), Closed: Date(2024, 2, 11), Status: DealWon, Amount: usd(300_000),
		Touches: []Touch{dealTouch(2024, 1, 20, "outbound", TouchSales), dealTouch(2024, 3, 1, "email", TouchMarketing)}},
	{ID: "d4", Created: Date(2024, 1, 5), Closed: Date(2024, 2, 15), Status: DealLost, Amount: usd(800_000)},
	{ID: "d5", Created: Date(2024, 2, 5), Status: DealOpen, Amount: usd(600_000)},
	{ID: "d6", Created: Date(2024, 2, 1), Closed: Date(2024, 3, 2), Status: DealWon, Amount: usd(200_000)},
}

func TestPipelineKPIs(t *testing.T) {
	// Average deal size over won deals: 20,000 / 4 = 5,000.00.
	avg, err := AverageDealSize(pipelineDeals, "USD")
	if err != nil {
		t.Fatal(err)
	}
	if avg.Value != usd(500_000) {
		t.Errorf("average deal = %v", avg.Value)
	}
	// Win rate closed-only: 4 / (4 + 1) = 0.8; over all: 4 / 6.
	wr, err := WinRate(pipelineDeals)
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "win rate", wr.Value, 0.8)
	wa, err := WinRate(pipelineDeals, WinRateAll)
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "win rate all", wa.Value, 4.0/6)
	if wr.Variant != Variant(WinRateClosed) || wa.Variant != Variant(WinRateAll) {
		t.Errorf("variants %q %q", wr.Variant, wa.Variant)
	}
	// Cycle: 30, 40, 10, 30 days → mean 27.5, median (30 + 30)/2 = 30.
	cy, err := SalesCycleLength(pipelineDeals)
	if err != nil {
		t.Fatal(err)
	}
	if cy.Deals != 4 || cy.MeanDays != 27.5 || cy.MedianDays != 30 {
		t.Errorf("cycle %+v", cy)
	}
	// Odd count: d1, d3, d6 → 30, 10, 30: median 30, mean 70/3.
	cy, err = SalesCycleLength([]Deal{pipelineDeals[0], pipelineDeals[2], pipelineDeals[5]})
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "mean", cy.MeanDays, 70.0/3)
	kpiApprox(t, "median", cy.MedianDays, 30)
	// ClosedIn February: d2, d3, d4 → win rate 2/3.
	feb := ClosedIn(pipelineDeals, Month(2024, time.February))
	if len(feb) != 3 {
		t.Fatalf("closed in Feb: %d", len(feb))
	}
	wr, _ = WinRate(feb)
	kpiApprox(t, "feb win rate", wr.Value, 2.0/3)
	if n := len(CreatedIn(pipelineDeals, Month(2024, time.February))); n != 3 {
		t.Errorf("created in Feb: %d, want 3 (d3, d5, d6)", n)
	}
}

func TestPipelineErrors(t *testing.T) {
	lostOnly := []Deal{{ID: "x", Status: DealLost, Amount: usd(1)}}
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"average no won", func() error { _, err := AverageDealSize(lostOnly, "USD"); return err }, money.ErrDivisionByZero},
		{"win rate none", func() error { _, err := WinRate(nil); return err }, money.ErrDivisionByZero},
		{"win rate only open", func() error { _, err := WinRate([]Deal{{Status: DealOpen}}); return err }, money.ErrDivisionByZero},
		{"win rate bad status", func() error { _, err := WinRate([]Deal{{Status: "pending"}}); return err }, money.ErrInvalidInput},
		{"cycle none", func() error { _, err := SalesCycleLength(lostOnly); return err }, money.ErrDivisionByZero},
		{"cycle backwards", func() error {
			_, err := SalesCycleLength([]Deal{{Status: DealWon, Created: Date(2024, 2, 1), Closed: Date(2024, 1, 1)}})
			return err
		}, money.ErrInvalidInput},
		{"cycle no date", func() error {
			_, err := SalesCycleLength([]Deal{{Status: DealWon, Created: Date(2024, 2, 1)}})
			return err
		}, money.ErrInvalidInput},
		{"other currency", func() error {
			_, err := AverageDealSize([]Deal{{Status: DealWon, Amount: money.New(1, "EUR")}}, "USD")
			return err
		}, money.ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestEmailEngagement(t *testing.T) {
	s := EmailStats{Sent: 10000, Delivered: 9800, Bounced: 200, Opens: 2450, Clicks: 490, Unsubscribes: 49}
	tests := []struct {
		name                   string
		opts                   []EmailOption
		open, ctr, ctor, unsub float64
		variant                Variant
	}{
		// Mailchimp: 2450/9800 = 0.25, 490/9800 = 0.05, 490/2450 = 0.2, 49/9800 = 0.005
		{"over delivered", nil, 0.25, 0.05, 0.2, 0.005, Variant(EmailOverDelivered)},
		// over sent: 2450/10000 = 0.245, 490/10000 = 0.049, CTOR unchanged, 49/10000 = 0.0049
		{"over sent", []EmailOption{EmailOverSent}, 0.245, 0.049, 0.2, 0.0049, Variant(EmailOverSent)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := EmailEngagement(s, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, "open", r.Open.Value, tt.open)
			kpiApprox(t, "ctr", r.ClickThrough.Value, tt.ctr)
			kpiApprox(t, "ctor", r.ClickToOpen.Value, tt.ctor)
			kpiApprox(t, "unsubscribe", r.Unsubscribe.Value, tt.unsub)
			kpiApprox(t, "bounce", r.Bounce.Value, 0.02) // 200/10000 in both
			if r.Open.Variant != tt.variant || r.Bounce.Variant != BounceOverSent || r.ClickToOpen.Variant != ClickToOpenVariant {
				t.Errorf("variants %q %q %q", r.Open.Variant, r.Bounce.Variant, r.ClickToOpen.Variant)
			}
		})
	}
	r, err := EmailEngagement(EmailStats{Sent: 10, Delivered: 10})
	if err != nil || r.ClickToOpen != nil || r.Open.Value != 0 {
		t.Errorf("no opens: %+v, %v", r, err)
	}
	for _, bad := range []struct {
		name string
		s    EmailStats
		want error
	}{
		{"nothing sent", EmailStats{}, money.ErrDivisionByZero},
		{"negative", EmailStats{Sent: 10, Delivered: 10, Opens: -1}, money.ErrInvalidInput},
		{"delivered > sent", EmailStats{Sent: 10, Delivered: 11}, money.ErrInvalidInput},
		{"delivered + bounced > sent", EmailStats{Sent: 10, Delivered: 9, Bounced: 2}, money.ErrInvalidInput},
		{"opens > delivered", EmailStats{Sent: 10, Delivered: 5, Opens: 6}, money.ErrInvalidInput},
		{"all bounced", EmailStats{Sent: 10, Bounced: 10}, money.ErrDivisionByZero},
	} {
		if _, err := EmailEngagement(bad.s); !errors.Is(err, bad.want) {
			t.Errorf("%s: err = %v, want %v", bad.name, err, bad.want)
		}
	}
	if _, err := EmailEngagement(s, EmailVariant("over_opened")); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("unknown variant: %v", err)
	}
}
