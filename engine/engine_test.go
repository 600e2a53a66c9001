package engine

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

func usd(c int64) money.Money { return money.New(c, "USD") }

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// sampleView reads the shipped sample (examples/kpis/data) by quarter.
func sampleView(t *testing.T) *View {
	t.Helper()
	b, err := New(Config{Currency: "USD", Period: ByQuarter})
	if err != nil {
		t.Fatal(err)
	}
	f, err := DirFiles(filepath.Join("..", "examples", "kpis", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Read(context.Background(), f, 0); err != nil {
		t.Fatal(err)
	}
	v, err := b.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func quarter(t *testing.T, v *View, s string) PeriodView {
	t.Helper()
	for _, p := range v.Periods {
		if p.Period.String() == s {
			return p
		}
	}
	t.Fatalf("no period %s", s)
	return PeriodView{}
}

// TestSampleFunnelAndSpeed checks the sample against a hand count.
//
// Cohort 2026-Q1: L1–L6 enter lead. mql: L1, L2, L3, L5, L6 = 5; sal: L1,
// L2, L5 = 3; sql: L1, L5 = 2; opportunity: L5 = 1; won 0. lead→mql 5/6,
// mql→sal 3/5, sal→sql 2/3, sql→opportunity 1/2. L4 disqualified (1), L3
// recycled mql→lead (1).
//
// Speed at mql (the next change after entering mql): L1 6h (met, deadline
// 24h), L2 48h (breached), L3 168h to the recycle (breached), L5 2h (met),
// L6 none, deadline 03-31 12:00 after AsOf = the latest change 03-30 12:00
// (pending). Times 2, 6, 48, 168: median (6+48)/2 = 27h, P90 the
// ⌈0.9·4⌉ = 4th = 168h; within SLA 2 / (2+2) = 0.5. Owner ana: L1 met, L3
// breached, L5 met, L6 pending → 2/3; ben: L2 breached → 0. Route emea: L1
// met, L3 breached → 1/2.
func TestSampleFunnelAndSpeed(t *testing.T) {
	q := quarter(t, sampleView(t), "2026-Q1")
	want := []int64{6, 5, 3, 2, 1, 0}
	for i, s := range q.Funnel.Total.Stages {
		if s.Count != want[i] {
			t.Errorf("funnel %s = %d, want %d", s.Stage, s.Count, want[i])
		}
	}
	rates := []float64{5.0 / 6, 3.0 / 5, 2.0 / 3, 1.0 / 2}
	for i, r := range rates {
		if c := q.Funnel.Total.Conversions[i]; c.Rate == nil {
			t.Errorf("%s→%s rate missing", c.From, c.To)
		} else {
			near(t, string(c.From)+"→"+string(c.To), c.Rate.Value, r)
		}
	}
	if len(q.Funnel.Exits) != 1 || q.Funnel.Exits[0].Count != 1 || q.Funnel.Recycled != 1 {
		t.Errorf("exits %v recycled %d", q.Funnel.Exits, q.Funnel.Recycled)
	}
	rows := map[[3]string]Speed{}
	for _, s := range q.Speed {
		rows[[3]string{s.Stage, s.Owner, s.Route}] = s
	}
	mql := rows[[3]string{"mql", "", ""}]
	if mql.Entered != 5 || mql.Responded != 4 || mql.Met != 2 || mql.Breached != 2 || mql.Pending != 1 {
		t.Fatalf("mql speed %+v", mql)
	}
	near(t, "median hours", *mql.MedianHours, 27)
	near(t, "p90 hours", *mql.P90Hours, 168)
	near(t, "within SLA", *mql.WithinSLA, 0.5)
	near(t, "ana within SLA", *rows[[3]string{"mql", "ana", ""}].WithinSLA, 2.0/3)
	near(t, "ben within SLA", *rows[[3]string{"mql", "ben", ""}].WithinSLA, 0)
	near(t, "emea within SLA", *rows[[3]string{"mql", "", "emea"}].WithinSLA, 0.5)
}

// TestSampleMoney checks pipeline, revenue, attribution, ROI, CAC, MRR, NRR,
// GRR, LTV and payback of 2026-Q1 against a hand computation.
//
// Pipeline (created in Q1): D1 12,000 + D2 6,000 + D3 9,000 + D4 5,000 +
// D5 3,000 = 35,000. Sourced (first touch up to creation is marketing): D1
// webinar, D3 paid_search, D4 webinar = 26,000; D2's first is outbound.
//
// Revenue (won, closed in Q1): D1 + D2 + D5 = 21,000. Sourced: D1 = 12,000
// (12/21); influenced (a marketing touch by the close): D1 + D2 = 18,000
// (6/7); D5 has no touches.
//
// Linear attribution of the won deals: D1 thirds of 12,000 → webinar,
// outbound, paid_search 4,000 each (1/3 conversion); D2 halves of 6,000 →
// outbound, paid_search 3,000 each. webinar 4,000 (1/3), outbound 7,000
// (5/6), paid_search 7,000 (5/6). Spend: webinar 2,000, paid_search 3,000,
// outbound 9,000.
//
//	ROI webinar     (4,000 − 2,000) / 2,000 = 1,    ROAS 2,   CAC 2,000 / (1/3) = 6,000
//	ROI paid_search (7,000 − 3,000) / 3,000 = 4/3,  CAC 3,000 / (5/6) = 3,600
//	ROI outbound    (7,000 − 9,000) / 9,000 = −2/9, CAC 9,000 / (5/6) = 10,800
//	blended CAC (5,000 + 9,000) / 3 = 4,666.666… → 4,666.67
//
// MRR: start 1,000 + 500 + 300 = 1,800; new C4 800, expansion C1 200,
// contraction C3 100, churn C2 500; end 2,200. Cohort at the start ends at
// 1,200 + 0 + 200 = 1,400: NRR 1,400/1,800 = 7/9, GRR (1,800 − 100 − 500) /
// 1,800 = 2/3. March: 4 customers at the start, C2 lost, 3 at the end:
// churn 1/4, ARPA 2,200 / 3 = 733.33; LTV 733.33 / 0.25 = 2,933.32;
// LTV:CAC 2,933.32 / 4,666.67; payback 4,666.67 / 733.33 months.
//
// Velocity: 5 opportunities created × win rate 3 / (3 won + 1 lost) ×
// average won deal 21,000 / 3 = 7,000 / mean cycle (36 + 49 + 38) / 3 = 41
// days = 26,250 / 41 = 640.2439… → 640.24 a day; over the quarter's 90
// days 57,621.95.
func TestSampleMoney(t *testing.T) {
	q := quarter(t, sampleView(t), "2026-Q1")
	if q.Pipeline.Total != usd(3_500_000) || q.Pipeline.Sourced != usd(2_600_000) || q.Pipeline.Deals != 5 {
		t.Errorf("pipeline %+v", q.Pipeline)
	}
	r := q.Revenue
	if r.Total != usd(2_100_000) || r.Sourced != usd(1_200_000) || r.Influenced != usd(1_800_000) {
		t.Errorf("revenue %+v", r)
	}
	near(t, "sourced share", r.SourcedShare.Value, 12.0/21)
	near(t, "influenced share", r.InfluencedShare.Value, 6.0/7)
	ch := map[string]Return{}
	for _, x := range q.Attribution.ByChannel {
		ch[x.Key] = x
	}
	if ch["webinar"].Value != usd(400_000) || ch["outbound"].Value != usd(700_000) || ch["paid_search"].Value != usd(700_000) {
		t.Errorf("credits %+v", q.Attribution.ByChannel)
	}
	near(t, "roi webinar", ch["webinar"].ROI.Value, 1)
	near(t, "roas webinar", ch["webinar"].ROAS.Value, 2)
	near(t, "roi paid_search", ch["paid_search"].ROI.Value, 4.0/3)
	near(t, "roi outbound", ch["outbound"].ROI.Value, -2.0/9)
	if ch["webinar"].CAC.Value != usd(600_000) || ch["paid_search"].CAC.Value != usd(360_000) || ch["outbound"].CAC.Value != usd(1_080_000) {
		t.Errorf("channel CAC %v %v %v", ch["webinar"].CAC, ch["paid_search"].CAC, ch["outbound"].CAC)
	}
	camp := map[string]Return{}
	for _, x := range q.Attribution.ByCampaign {
		camp[x.Key] = x
	}
	if camp["brand-search"].Value != usd(700_000) || camp["q1-webinar"].Cost != usd(200_000) || camp[NoCampaign].Cost != usd(900_000) {
		t.Errorf("campaigns %+v", q.Attribution.ByCampaign)
	}
	if q.CAC == nil || q.CAC.Value != usd(466_667) || q.NewCustomers != 3 {
		t.Fatalf("CAC %+v new %d", q.CAC, q.NewCustomers)
	}
	m := q.MRR
	if m.StartingMRR != usd(180_000) || m.New != usd(80_000) || m.Expansion != usd(20_000) || m.Contraction != usd(10_000) || m.Churn != usd(50_000) || m.EndingMRR != usd(220_000) {
		t.Errorf("bridge %+v", m)
	}
	near(t, "nrr", m.NRR.Value, 7.0/9)
	near(t, "grr", m.GRR.Value, 2.0/3)
	if q.LTV == nil || q.LTV.Value != usd(293_332) {
		t.Fatalf("LTV %+v (%v)", q.LTV, q.Unavailable)
	}
	near(t, "ltv:cac", q.LTVToCAC.Value, 293_332.0/466_667)
	near(t, "payback", q.Payback.Value, 466_667.0/73_333)
	if q.Velocity == nil || q.Velocity.Value != usd(64_024) || q.Velocity.ExpectedRevenue != usd(5_762_195) {
		t.Errorf("velocity %+v", q.Velocity)
	}
}

// TestStreamingJoinErrors: touches must be grouped by deal and name known
// deals; every problem comes back with its position.
func TestStreamingJoinErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := writeFile(p, s); err != nil {
			t.Fatal(err)
		}
		return p
	}
	deals := write("deals.csv", "id,created,status,amount\nD1,2026-01-01,open,5\nD2,2026-01-01,open,5\n")
	touches := write("touches.csv", "deal_id,at,channel,kind\nD1,2026-01-01,a,sales\nD2,2026-01-01,a,sales\nD1,2026-01-02,a,sales\nD9,2026-01-02,a,sales\n")
	b, _ := New(Config{Currency: "USD"})
	err := b.Read(context.Background(), Files{Deals: deals, Touches: touches}, 0)
	want := touches + `:4:1: deal_id: touches of deal "D1" are not grouped: its first group starts on line 2` + "\n" +
		touches + `:5:1: deal_id: touch of deal "D9", which ` + deals + " does not have"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

func TestMedianPercentile(t *testing.T) {
	h := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, x := range n {
			out = append(out, time.Duration(x)*time.Hour)
		}
		return out
	}
	tests := []struct {
		name     string
		in       []time.Duration
		med, p90 time.Duration
	}{
		// odd: middle; P90 of 5 is the ⌈4.5⌉ = 5th.
		{"odd", h(5, 1, 3, 2, 4), 3 * time.Hour, 5 * time.Hour},
		// even: (2+3)/2; P90 of 4 is the 4th.
		{"even", h(4, 1, 3, 2), 150 * time.Minute, 4 * time.Hour},
		// 10 values: P90 is the 9th exactly (no float rounding up to the 10th).
		{"ten", h(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 330 * time.Minute, 9 * time.Hour},
		{"none", nil, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if m := Median(tc.in); m != tc.med {
				t.Errorf("median %v, want %v", m, tc.med)
			}
			if p := Percentile(tc.in, 90); p != tc.p90 {
				t.Errorf("p90 %v, want %v", p, tc.p90)
			}
		})
	}
}

var _ = record.Date

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }
