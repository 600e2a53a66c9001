package plan

import (
	"errors"
	"math"
	"testing"

	"github.com/revengine/revengine/money"
)

// TestForecastFunnelSeed is the task's seed example: 1,000 visits × 1% =
// 10 leads × 5% = 0.5 customers a month, the fraction kept.
func TestForecastFunnelSeed(t *testing.T) {
	f, err := ForecastFunnel("visits", 1000, Step{"leads", 0.01}, Step{"customers", 0.05})
	if err != nil {
		t.Fatal(err)
	}
	want := []Volume{{"visits", 1000}, {"leads", 10}, {"customers", 0.5}}
	for i, w := range want {
		if f.Stages[i].Stage != w.Stage {
			t.Errorf("stage %d = %q", i, f.Stages[i].Stage)
		}
		kpiApprox(t, w.Stage, f.Stages[i].Count, w.Count)
	}
	for _, bad := range []struct {
		name  string
		top   float64
		steps []Step
	}{
		{"negative top", -1, nil},
		{"NaN top", math.NaN(), nil},
		{"rate > 1", 10, []Step{{"leads", 1.5}}},
		{"negative rate", 10, []Step{{"leads", -0.1}}},
	} {
		if _, err := ForecastFunnel("visits", bad.top, bad.steps...); !errors.Is(err, money.ErrInvalidInput) {
			t.Errorf("%s: err = %v", bad.name, err)
		}
	}
}

func TestReverseFunnel(t *testing.T) {
	steps := []Step{{"leads", 0.01}, {"customers", 0.05}}
	tests := []struct {
		name   string
		target float64
		r      []FunnelOption
		want   []float64 // visits, leads, customers
	}{
		// 0.5 customers ÷ 5% = 10 leads ÷ 1% = 1,000 visits (the seed, backwards)
		{"seed exact", 0.5, nil, []float64{1000, 10, 0.5}},
		// 2.2 customers ÷ 5% = 44 leads ÷ 1% = 4,400 visits
		{"exact fraction", 2.2, nil, []float64{4400, 44, 2.2}},
		// up: ceil(2.2) = 3 customers; 3 ÷ 5% = 60 leads; 60 ÷ 1% = 6,000 visits
		{"up", 2.2, []FunnelOption{WithCountRounding(money.Up)}, []float64{6000, 60, 3}},
		// up on 0.5: 1 customer, 20 leads, 2,000 visits
		{"up seed", 0.5, []FunnelOption{WithCountRounding(money.Up)}, []float64{2000, 20, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ReverseFunnel("visits", tt.target, steps, tt.r...)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				kpiApprox(t, v[i].Stage, v[i].Count, w)
				if tt.r != nil && v[i].Count != math.Trunc(v[i].Count) {
					t.Errorf("%s not whole: %v", v[i].Stage, v[i].Count)
				}
			}
		})
	}
	// 3 ÷ 0.1 is 30.000000000000004 in float64; rounding up must not give 31.
	v, err := ReverseFunnel("leads", 3, []Step{{"customers", 0.1}}, WithCountRounding(money.Up))
	if err != nil || v[0].Count != 30 {
		t.Errorf("float noise: %v, %v", v, err)
	}
	for _, bad := range []struct {
		name   string
		target float64
		r      []FunnelOption
		steps  []Step
		want   error
	}{
		{"zero rate", 1, nil, []Step{{"leads", 0}}, money.ErrDivisionByZero},
		{"rate > 1", 1, nil, []Step{{"leads", 2}}, money.ErrInvalidInput},
		{"negative target", -1, nil, nil, money.ErrInvalidInput},
		{"bad rounding", 1, []FunnelOption{WithCountRounding(money.Rounding(9))}, nil, money.ErrInvalidInput},
		{"overflow", math.MaxFloat64, nil, []Step{{"leads", 1e-300}}, money.ErrOverflow},
	} {
		if _, err := ReverseFunnel("visits", bad.target, bad.steps, bad.r...); !errors.Is(err, bad.want) {
			t.Errorf("%s: err = %v, want %v", bad.name, err, bad.want)
		}
	}
}

func TestProfit(t *testing.T) {
	base := ProfitInput{Name: "base", RevenueGoal: usd(1_000_000), RevenuePerCustomer: usd(40_000),
		VisitToLead: 0.02, LeadToCustomer: 0.05, CostPerLead: usd(500), GrossMargin: 0.8}
	big := base
	big.Name, big.RevenuePerCustomer = "enterprise", usd(300_000)
	withFixed := base
	withFixed.Name, withFixed.FixedCosts = "fixed", usd(100_000)
	type want struct {
		customers, leads, visits             float64
		revenue, budget, grossProfit, profit int64
		roi                                  float64
		customerRevenue, perCustomer         int64
		margin                               float64
		rounded                              int // len(RoundedCounts)
	}
	tests := []struct {
		name string
		in   ProfitInput
		opts []ProfitOption
		want want
	}{
		// 10,000.00 ÷ 400.00 = 25 customers ÷ 5% = 500 leads ÷ 2% = 25,000 visits;
		// budget 500 × 5.00 = 2,500.00; gross profit 10,000 × 0.8 = 8,000.00;
		// profit 8,000 − 2,500 = 5,500.00; ROI 5,500/2,500 = 2.2; profit
		// margin 5,500/10,000 = 0.55; budget per customer 2,500/25 = 100.00
		// (= 5.00 ÷ 5%).
		{"whole numbers", base, nil, want{25, 500, 25000, 1_000_000, 250_000, 800_000, 550_000, 2.2, 1_000_000, 10_000, 0.55, 0}},
		// Fixed costs 1,000.00: profit = 10,000 × 0.8 − 2,500 − 1,000 =
		// 4,500.00, margin 4,500/10,000 = 0.45; ROI is the marketing ROI,
		// (8,000 − 2,500)/2,500 = 2.2 still.
		{"fixed costs", withFixed, nil, want{25, 500, 25000, 1_000_000, 250_000, 800_000, 450_000, 2.2, 1_000_000, 10_000, 0.45, 0}},
		// 10,000 ÷ 3,000 = 3.333… customers, 66.667 leads, 3,333.33 visits;
		// budget 66.667 × 5.00 = 333.333… → 333.33; gross profit 8,000.00;
		// profit 8,000.00 − 333.33 = 7,666.67. ROI from the exact values:
		// (8,000 − 1,000/3) / (1,000/3) = 23 (not 7,666.67/333.33 =
		// 23.00024); margin (8,000 − 1,000/3)/10,000 = 0.76666…; budget per
		// customer (1,000/3)/(10/3) = 100.00.
		{"fractions kept", big, nil, want{10.0 / 3, 200.0 / 3, 10000.0 / 3, 1_000_000, 33_333, 800_000, 766_667, 23, 1_000_000, 10_000, 23.0 / 30, 0}},
		// up: 4 customers, 80 leads, 4,000 visits; budget 80 × 5 = 400.00
		// (rounded counts); gross profit on the goal 10,000 × 0.8 =
		// 8,000.00; profit 7,600.00; ROI (8,000 − 400)/400 = 19; margin
		// 0.76; the rounded customers would bring 4 × 3,000 = 12,000.00;
		// budget per customer 400/4 = 100.00.
		{"rounded up", big, []ProfitOption{WithCountRounding(money.Up)}, want{4, 80, 4000, 1_000_000, 40_000, 800_000, 760_000, 19, 1_200_000, 10_000, 0.76, 6}},
		// the named option: gross profit on the rounded customers' revenue,
		// 12,000 × 0.8 = 9,600.00; profit 9,200.00; ROI 9,200/400 = 23;
		// margin 9,200/12,000 = 0.7666…
		{"rounded up, profit on rounded customers", big, []ProfitOption{WithCountRounding(money.Up), WithProfitOnRoundedCustomers()},
			want{4, 80, 4000, 1_200_000, 40_000, 960_000, 920_000, 23, 1_200_000, 10_000, 9200.0 / 12000, 11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Profit(tt.in, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			kpiApprox(t, "customers", p.Customers, tt.want.customers)
			kpiApprox(t, "leads", p.Leads, tt.want.leads)
			kpiApprox(t, "visits", p.Visits, tt.want.visits)
			if p.Revenue != usd(tt.want.revenue) || p.Budget != usd(tt.want.budget) ||
				p.GrossProfit != usd(tt.want.grossProfit) || p.Profit != usd(tt.want.profit) || p.CustomerRevenue != usd(tt.want.customerRevenue) {
				t.Errorf("money: revenue %v customer revenue %v budget %v gross profit %v profit %v", p.Revenue, p.CustomerRevenue, p.Budget, p.GrossProfit, p.Profit)
			}
			if p.ROI == nil || p.ProfitMargin == nil || p.BudgetPerCustomer == nil {
				t.Fatal("no ROI, margin or budget per customer")
			}
			kpiApprox(t, "roi", p.ROI.Value, tt.want.roi)
			kpiApprox(t, "profit margin", p.ProfitMargin.Value, tt.want.margin)
			if p.BudgetPerCustomer.Value != usd(tt.want.perCustomer) {
				t.Errorf("budget per customer %v, want %d", p.BudgetPerCustomer.Value, tt.want.perCustomer)
			}
			if len(p.RoundedCounts) != tt.want.rounded {
				t.Errorf("rounded counts %v", p.RoundedCounts)
			}
		})
	}
	// Side by side: same order as given, names kept.
	plans, err := Profits([]ProfitInput{base, big}, WithCountRounding(money.Up))
	if err != nil || len(plans) != 2 || plans[0].Name != "base" || plans[1].Name != "enterprise" || plans[1].Variant != "up" {
		t.Fatalf("plans %+v, %v", plans, err)
	}
	bad := func(f func(*ProfitInput)) ProfitInput { p := base; f(&p); return p }
	for _, tt := range []struct {
		name string
		in   ProfitInput
		opts []ProfitOption
		want error
	}{
		{"zero per customer", bad(func(p *ProfitInput) { p.RevenuePerCustomer = usd(0) }), nil, money.ErrDivisionByZero},
		{"negative per customer", bad(func(p *ProfitInput) { p.RevenuePerCustomer = usd(-1) }), nil, money.ErrInvalidInput},
		{"negative goal", bad(func(p *ProfitInput) { p.RevenueGoal = usd(-1) }), nil, money.ErrInvalidInput},
		{"currency", bad(func(p *ProfitInput) { p.CostPerLead = money.New(500, "EUR") }), nil, money.ErrCurrencyMismatch},
		{"fixed costs currency", bad(func(p *ProfitInput) { p.FixedCosts = money.New(500, "EUR") }), nil, ErrCurrencyMismatch},
		{"negative fixed costs", bad(func(p *ProfitInput) { p.FixedCosts = usd(-1) }), nil, ErrNegativeAmount},
		{"zero rate", bad(func(p *ProfitInput) { p.VisitToLead = 0 }), nil, money.ErrDivisionByZero},
		{"margin", bad(func(p *ProfitInput) { p.GrossMargin = 1.5 }), nil, money.ErrInvalidInput},
		{"count rounding", base, []ProfitOption{WithCountRounding(money.Rounding(-1))}, money.ErrInvalidInput},
	} {
		if _, err := Profit(tt.in, tt.opts...); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := Profits([]ProfitInput{base, bad(func(p *ProfitInput) { p.VisitToLead = 0 })}); err == nil {
		t.Error("Profits accepted a bad scenario")
	}
}

// TestFunnelRevenueAndCMGRProjection: the seed funnel, fractions kept:
// 1,000 visits × 1% = 10 leads × 5% = 0.5 customers a month; a year is 12 ×:
// 12,000 visits, 120 leads, 6 customers; at an ARPA of 99.00 the month's
// new customers add 0.5 × 99.00 = 49.50 of MRR. CMGR (100.00 → 121.00 in 2
// months) = 10%; projected 121 × 1.1 = 133.10, × 1.1² = 146.41, × 1.1³ =
// 161.051 → 161.05.
func TestFunnelRevenueAndCMGRProjection(t *testing.T) {
	f, err := FunnelRevenue(1000, 0.01, 0.05, usd(9900))
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "leads/month", f.LeadsPerMonth, 10)
	kpiApprox(t, "customers/month", f.CustomersPerMonth, 0.5)
	kpiApprox(t, "visits/year", f.VisitsPerYear, 12000)
	kpiApprox(t, "leads/year", f.LeadsPerYear, 120)
	kpiApprox(t, "customers/year", f.CustomersPerYear, 6)
	if f.NewMRRPerMonth != usd(4950) {
		t.Errorf("new MRR %v, want USD 49.50", f.NewMRRPerMonth)
	}
	if _, err := FunnelRevenue(1000, 1.5, 0.05, usd(9900)); !errors.Is(err, ErrInvalidRate) {
		t.Errorf("rate 1.5: %v", err)
	}
	g, err := CMGR(usd(10000), usd(12100), 2, WithProjection(3))
	if err != nil {
		t.Fatal(err)
	}
	kpiApprox(t, "cmgr", g.Value, 0.1)
	want := []money.Money{usd(13310), usd(14641), usd(16105)}
	if len(g.Projection) != 3 {
		t.Fatalf("projection %v", g.Projection)
	}
	for i, w := range want {
		if g.Projection[i] != w {
			t.Errorf("projection %d = %v, want %v", i+1, g.Projection[i], w)
		}
	}
	if _, err := CMGR(usd(1), usd(math.MaxInt64), 1, WithProjection(2)); !errors.Is(err, ErrOverflow) {
		t.Errorf("projection beyond int64: %v", err)
	}
}
