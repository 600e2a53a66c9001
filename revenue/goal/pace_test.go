package goal

import (
	"github.com/revengine/revengine/revenue"

	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

func paceMoney(a int64) *money.Money { m := usd(a); return &m }

// paceActuals: Q1 2024 (91 days) with two actuals outside it.
func paceActuals() []Actual {
	return []Actual{
		{revenue.Date(2023, 12, 31), usd(99900)}, // outside: before the period
		{revenue.Date(2024, 1, 10), usd(100000)},
		{revenue.Date(2024, 2, 1), usd(250000)},
		{revenue.Date(2024, 2, 15), usd(50000)},
		{revenue.Date(2024, 3, 31), usd(30000)},
		{revenue.Date(2024, 4, 1), usd(100)}, // outside: after the period
	}
}

func paceApprox(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

type paceWantT struct {
	actual, expected, gap, remaining int64
	elapsed, remainingDays           int
	attainment                       float64
	projection, requiredDaily        *money.Money
}

func paceCheck(t *testing.T, p Pace, w paceWantT) {
	t.Helper()
	if p.Actual != usd(w.actual) || p.Expected != usd(w.expected) || p.Gap != usd(w.gap) || p.Remaining != usd(w.remaining) {
		t.Errorf("actual, expected, gap, remaining = %v, %v, %v, %v; want %d, %d, %d, %d",
			p.Actual, p.Expected, p.Gap, p.Remaining, w.actual, w.expected, w.gap, w.remaining)
	}
	if p.ElapsedDays != w.elapsed || p.RemainingDays != w.remainingDays || p.ElapsedDays+p.RemainingDays != p.TotalDays {
		t.Errorf("elapsed, remaining, total days = %d, %d, %d; want %d, %d", p.ElapsedDays, p.RemainingDays, p.TotalDays, w.elapsed, w.remainingDays)
	}
	if p.Attainment == nil || !paceApprox(*p.Attainment, w.attainment) {
		t.Errorf("attainment = %v, want %v", p.Attainment, w.attainment)
	}
	if (p.Projection == nil) != (w.projection == nil) || (p.Projection != nil && *p.Projection != *w.projection) {
		t.Errorf("projection = %v, want %v", p.Projection, w.projection)
	}
	if (p.RequiredDaily == nil) != (w.requiredDaily == nil) || (p.RequiredDaily != nil && *p.RequiredDaily != *w.requiredDaily) {
		t.Errorf("required daily = %v, want %v", p.RequiredDaily, w.requiredDaily)
	}
}

func TestTargetPace(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	target := Target{q1, usd(910000)} // 9,100.00 over 91 days: 100.00 a day
	tests := []struct {
		name                    string
		at                      time.Time
		want                    paceWantT
		counted, later, outside int
	}{
		// Before the period: nothing elapsed, nothing counted, no run rate;
		// required daily = 910000 / 91 = 10000.
		{"before", revenue.Date(2023, 12, 31), paceWantT{
			actual: 0, expected: 0, gap: 0, remaining: 910000, elapsed: 0, remainingDays: 91,
			attainment: 0, projection: nil, requiredDaily: paceMoney(10000)}, 0, 4, 2},
		// First day: e = 1, expected 910000 × 1/91 = 10000; no actual yet.
		// Projection 0 × 91/1 = 0; required 910000/90 = 10111.11 → 10111.
		{"first day", revenue.Date(2024, 1, 1), paceWantT{
			actual: 0, expected: 10000, gap: -10000, remaining: 910000, elapsed: 1, remainingDays: 90,
			attainment: 0, projection: paceMoney(0), requiredDaily: paceMoney(10111)}, 0, 4, 2},
		// 15 Feb, end of day: e = 31 + 15 = 46; actual 1000 + 2500 + 500 =
		// 4000.00; expected 910000 × 46/91 = 460000; gap −60000;
		// attainment 400000/910000; projection 400000 × 91/46 = 791304.35 →
		// 791304; remaining 510000 over 45 days = 11333.33 → 11333.
		{"inside", revenue.Date(2024, 2, 15), paceWantT{
			actual: 400000, expected: 460000, gap: -60000, remaining: 510000, elapsed: 46, remainingDays: 45,
			attainment: 400000.0 / 910000, projection: paceMoney(791304), requiredDaily: paceMoney(11333)}, 3, 1, 2},
		// The evaluation date is its UTC calendar date: 23:30 in New York on
		// 15 Feb is 04:30 UTC on 16 Feb, e = 47: expected 910000 × 47/91 =
		// 470000; projection 400000 × 91/47 = 774468.09 → 774468; required
		// 510000/44 = 11590.91 → 11591.
		{"time zone", time.Date(2024, 2, 15, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)), paceWantT{
			actual: 400000, expected: 470000, gap: -70000, remaining: 510000, elapsed: 47, remainingDays: 44,
			attainment: 400000.0 / 910000, projection: paceMoney(774468), requiredDaily: paceMoney(11591)}, 3, 1, 2},
		// Last day: everything elapsed; 4300.00 booked; no days left, so no
		// required daily rate; projection = actual.
		{"last day", revenue.Date(2024, 3, 31), paceWantT{
			actual: 430000, expected: 910000, gap: -480000, remaining: 480000, elapsed: 91, remainingDays: 0,
			attainment: 430000.0 / 910000, projection: paceMoney(430000), requiredDaily: nil}, 4, 0, 2},
		{"after", revenue.Date(2024, 5, 1), paceWantT{
			actual: 430000, expected: 910000, gap: -480000, remaining: 480000, elapsed: 91, remainingDays: 0,
			attainment: 430000.0 / 910000, projection: paceMoney(430000), requiredDaily: nil}, 4, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := target.Pace(context.Background(), paceActuals(), tt.at)
			if err != nil {
				t.Fatal(err)
			}
			paceCheck(t, p, tt.want)
			if p.Method != MethodLinear || p.Pipeline != nil {
				t.Errorf("method %q, pipeline %v", p.Method, p.Pipeline)
			}
			g, _ := target.Split(SplitByDays(), []revenue.Period{q1})
			r, err := g.Pace(context.Background(), paceActuals(), tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if r.Counted != tt.counted || r.Later != tt.later || r.Outside != tt.outside {
				t.Errorf("counted, later, outside = %d, %d, %d; want %d, %d, %d", r.Counted, r.Later, r.Outside, tt.counted, tt.later, tt.outside)
			}
			if r.Counted+r.Later+r.Outside != len(paceActuals()) || r.Total.Actuals != r.Counted {
				t.Errorf("actuals not all accounted for: %+v", r)
			}
		})
	}
}

func TestGoalPaceParts(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	// By days: January 3100.00, February 2900.00, March 3100.00.
	g, err := Target{q1, usd(910000)}.Split(SplitByDays(), q1.Months())
	if err != nil {
		t.Fatal(err)
	}
	r, err := g.Pace(context.Background(), paceActuals(), revenue.Date(2024, 2, 15))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Parts) != 3 {
		t.Fatalf("parts = %d", len(r.Parts))
	}
	// January is over: 1000.00 of 3100.00.
	paceCheck(t, r.Parts[0], paceWantT{actual: 100000, expected: 310000, gap: -210000, remaining: 210000,
		elapsed: 31, remainingDays: 0, attainment: 100000.0 / 310000, projection: paceMoney(100000)})
	// February, 15 of 29 days: expected 290000 × 15/29 = 150000; actual
	// 300000 is past the month's target, so remaining 0 and 0 a day;
	// projection 300000 × 29/15 = 580000.
	paceCheck(t, r.Parts[1], paceWantT{actual: 300000, expected: 150000, gap: 150000, remaining: 0,
		elapsed: 15, remainingDays: 14, attainment: 300000.0 / 290000, projection: paceMoney(580000), requiredDaily: paceMoney(0)})
	// March not started: required 310000 / 31 = 10000.
	paceCheck(t, r.Parts[2], paceWantT{actual: 0, expected: 0, gap: 0, remaining: 310000,
		elapsed: 0, remainingDays: 31, attainment: 0, requiredDaily: paceMoney(10000)})
	if r.Total.Expected != usd(460000) {
		t.Errorf("total expected = %v, want 460000 (linear)", r.Total.Expected)
	}
}

func TestGoalPaceMethods(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	ctx := context.Background()
	at := revenue.Date(2024, 2, 15)

	// Seasonal weights 1:2:4 of 9100.00: 1300.00, 2600.00, 5200.00. By plan
	// at 15 Feb: January in full + February × 15/29 = 130000 +
	// 134482.76 → 134483 = 264483.
	g, err := Target{q1, usd(910000)}.Split(SplitByWeights(1, 2, 4), q1.Months())
	if err != nil {
		t.Fatal(err)
	}
	r, err := g.Pace(ctx, paceActuals(), at, WithPlanPace())
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodPlan || r.Total.Expected != usd(264483) || r.Total.Gap != usd(400000-264483) {
		t.Errorf("plan: method %q expected %v gap %v; want 264483, 135517", r.Method, r.Total.Expected, r.Total.Gap)
	}
	// The share is exact, before rounding to cents: (130000 + 260000 ×
	// 15/29) / 910000 = 264482.7586…/910000 = 0.290640394….
	if !paceApprox(r.Total.ExpectedShare, (130000+260000.0*15/29)/910000) {
		t.Errorf("plan: share = %v", r.Total.ExpectedShare)
	}
	if r.Parts[1].Method != MethodLinear || r.Parts[1].Expected != usd(134483) {
		t.Errorf("plan: February row = %q %v, want linear 134483", r.Parts[1].Method, r.Parts[1].Expected)
	}

	// Working days (Mon–Fri, 1 Jan off): 64 in Q1; by 15 Feb (a Thursday)
	// January's 22 + 1–2, 5–9, 12–15 Feb = 11 → 33. 640.00 × 33/64 = 330.00.
	cal := revenue.MondayToFriday(revenue.Date(2024, 1, 1))
	g, err = Target{q1, usd(64000)}.Split(SplitByWorkingDays(cal), q1.Months())
	if err != nil {
		t.Fatal(err)
	}
	r, err = g.Pace(ctx, nil, at, WithWorkingDayPace(cal))
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Expected != usd(33000) || r.Total.Method != MethodWorkingDays {
		t.Errorf("working days: expected %v (%q), want 33000", r.Total.Expected, r.Total.Method)
	}
	// February's row: 210.00 × 11/21 = 110.00.
	if r.Parts[1].Expected != usd(11000) {
		t.Errorf("working days: February expected %v, want 11000", r.Parts[1].Expected)
	}
	// Friday 16 Feb is the 34th working day: 640.00 × 34/64 = 340.00; the
	// weekend after it adds none, so Saturday and Sunday stay at 340.00.
	for _, d := range []int{16, 17, 18} {
		r, _ = g.Pace(ctx, nil, revenue.Date(2024, 2, d), WithWorkingDayPace(cal))
		if r.Total.Expected != usd(34000) {
			t.Errorf("working days on %d Feb: expected %v, want 34000", d, r.Total.Expected)
		}
	}

	// Rounding option: 910000 × 46/91 is exact; 400000 × 91/46 =
	// 791304.35 rounds Up to 791305.
	p, err := Target{q1, usd(910000)}.Pace(ctx, paceActuals(), at, WithRounding(money.Up))
	if err != nil {
		t.Fatal(err)
	}
	if *p.Projection != usd(791305) || *p.RequiredDaily != usd(11334) {
		t.Errorf("rounding up: projection %v, daily %v; want 791305, 11334", p.Projection, p.RequiredDaily)
	}
}

func TestPacePipeline(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	ctx := context.Background()
	// Remaining 510000 at a 25% win rate: 510000 / 0.25 = 2040000 of
	// pipeline, 510000 / (0.25 × 100000) = 20.4 deals of 1000.00, coverage 4.
	p, err := Target{q1, usd(910000)}.Pace(ctx, paceActuals(), revenue.Date(2024, 2, 15), WithPipeline(0.25, usd(100000)))
	if err != nil {
		t.Fatal(err)
	}
	pl := p.Pipeline
	if pl == nil || pl.Needed != usd(2040000) || !paceApprox(pl.Deals, 20.4) || pl.RequiredCoverage != 4 {
		t.Fatalf("pipeline = %+v; want needed 2040000, 20.4 deals, coverage 4", pl)
	}
	// A third: 510000 / 0.3333333333333333 (the float's shortest decimal, a
	// hair below 1/3) = 1530000.00…015 → 1530000.
	p, _ = Target{q1, usd(910000)}.Pace(ctx, paceActuals(), revenue.Date(2024, 2, 15), WithPipeline(1.0/3, usd(170000)))
	if p.Pipeline.Needed != usd(1530000) || !paceApprox(p.Pipeline.Deals, 9) || !paceApprox(p.Pipeline.RequiredCoverage, 3) {
		t.Errorf("pipeline at 1/3 = %+v; want 1530000, 9 deals, coverage 3", p.Pipeline)
	}
	// A decimal tie: 3 cents remaining at a 0.4 win rate need 3 / 0.4 = 7.5
	// cents, half-even 8 (the binary 0.4 = 0.400000000000000022… gave 7).
	p, _ = Target{q1, usd(3)}.Pace(ctx, nil, revenue.Date(2024, 2, 15), WithPipeline(0.4, usd(1)))
	if p.Pipeline.Needed != usd(8) {
		t.Errorf("pipeline 3 / 0.4 = %v, want 8", p.Pipeline.Needed)
	}
	// Target met: nothing remains, no pipeline needed.
	p, _ = Target{q1, usd(1000)}.Pace(ctx, paceActuals(), revenue.Date(2024, 2, 15), WithPipeline(0.5, usd(100)))
	if p.Pipeline.Needed != usd(0) || p.Pipeline.Deals != 0 || p.Remaining != usd(0) {
		t.Errorf("target met: %+v", p.Pipeline)
	}
}

func TestPaceErrors(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	good := Target{q1, usd(910000)}
	at := revenue.Date(2024, 2, 15)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		target  Target
		actuals []Actual
		opts    []PaceOption
		want    []error
	}{
		{"zero target", nil, Target{q1, usd(0)}, nil, nil, []error{money.ErrInvalidInput, money.ErrDivisionByZero}},
		{"negative target", nil, Target{q1, usd(-100)}, nil, nil, []error{money.ErrInvalidInput}},
		{"negative actual", nil, good, []Actual{{revenue.Date(2024, 1, 2), usd(5)}, {revenue.Date(2024, 1, 3), usd(-5)}}, nil, []error{money.ErrInvalidInput}},
		{"negative actual outside the period", nil, good, []Actual{{revenue.Date(2020, 1, 3), usd(-5)}}, nil, []error{money.ErrInvalidInput}},
		{"mixed currencies", nil, good, []Actual{{revenue.Date(2024, 1, 2), usd(5)}, {revenue.Date(2024, 1, 3), money.New(5, "EUR")}}, nil, []error{money.ErrCurrencyMismatch}},
		{"no currency", nil, good, []Actual{{revenue.Date(2024, 1, 3), money.Money{Amount: 5}}}, nil, []error{money.ErrInvalidCurrency}},
		{"win rate zero", nil, good, nil, []PaceOption{WithPipeline(0, usd(100))}, []error{ErrZeroDenominator}}, // the pipeline needed divides by it,
		{"win rate above one", nil, good, nil, []PaceOption{WithPipeline(1.5, usd(100))}, []error{money.ErrInvalidInput}},
		{"win rate NaN", nil, good, nil, []PaceOption{WithPipeline(math.NaN(), usd(100))}, []error{money.ErrInvalidInput}},
		{"average deal zero", nil, good, nil, []PaceOption{WithPipeline(0.2, usd(0))}, []error{money.ErrInvalidInput}},
		{"average deal currency", nil, good, nil, []PaceOption{WithPipeline(0.2, money.New(100, "EUR"))}, []error{money.ErrCurrencyMismatch}},
		{"bad rounding", nil, good, nil, []PaceOption{WithRounding(money.Rounding(42))}, []error{money.ErrInvalidInput}},
		{"no working day", nil, good, nil, []PaceOption{WithWorkingDayPace(revenue.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}})}, []error{money.ErrDivisionByZero}},
		{"cancelled", cancelled, good, paceActuals(), nil, []error{context.Canceled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			_, err := tt.target.Pace(ctx, tt.actuals, at, tt.opts...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want errors.Is %v", err, w)
				}
			}
		})
	}
}

func TestGoalValidate(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	g, _ := Target{q1, usd(300)}.Split(SplitEqual(), q1.Months())
	bad := g
	bad.Parts = append([]Target(nil), g.Parts...)
	bad.Parts[0].Amount = usd(99) // parts add up to 299, not 300
	if _, err := bad.Pace(context.Background(), nil, revenue.Date(2024, 1, 1)); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("parts not adding up: err = %v", err)
	}
	bad.Parts[0].Amount = money.New(100, "EUR")
	if _, err := bad.Pace(context.Background(), nil, revenue.Date(2024, 1, 1)); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("part currency: err = %v", err)
	}
	bad.Parts = g.Parts[:2]
	if _, err := bad.Pace(context.Background(), nil, revenue.Date(2024, 1, 1)); !errors.Is(err, money.ErrInvalidInput) {
		t.Errorf("parts short: err = %v", err)
	}
}

func TestPacePartWithoutWorkingDays(t *testing.T) {
	// A week-end sub-period (Sat 6 – Sun 7 Jan 2024) under working-day
	// pacing expects nothing until it is over, then its whole target.
	weekend, _ := revenue.Range(revenue.Date(2024, 1, 6), revenue.Date(2024, 1, 7))
	week, _ := revenue.Range(revenue.Date(2024, 1, 1), revenue.Date(2024, 1, 5))
	all, _ := revenue.Range(revenue.Date(2024, 1, 1), revenue.Date(2024, 1, 7))
	g, err := Target{all, usd(700)}.Split(SplitByDays(), []revenue.Period{week, weekend})
	if err != nil {
		t.Fatal(err)
	}
	cal := revenue.MondayToFriday()
	r, err := g.Pace(context.Background(), nil, revenue.Date(2024, 1, 6), WithWorkingDayPace(cal))
	if err != nil {
		t.Fatal(err)
	}
	if r.Parts[1].Expected != usd(0) {
		t.Errorf("weekend part on Saturday: expected %v, want 0", r.Parts[1].Expected)
	}
	r, _ = g.Pace(context.Background(), nil, revenue.Date(2024, 1, 7), WithWorkingDayPace(cal))
	if r.Parts[1].Expected != usd(200) {
		t.Errorf("weekend part on Sunday: expected %v, want 200 (2/7 of 700)", r.Parts[1].Expected)
	}
}

func TestGoalPaceZeroPart(t *testing.T) {
	// Seasonal weights 0:1:1 (a January shutdown): January's target is 0,
	// so its attainment is absent; February and March get 50.00 each.
	q1 := goalQuarter(t, 2024, 1)
	g, err := Target{q1, usd(10000)}.Split(SplitByWeights(0, 1, 1), q1.Months())
	if err != nil {
		t.Fatal(err)
	}
	r, err := g.Pace(context.Background(), []Actual{{revenue.Date(2024, 1, 5), usd(700)}}, revenue.Date(2024, 1, 31), WithPlanPace())
	if err != nil {
		t.Fatal(err)
	}
	jan := r.Parts[0]
	if jan.Attainment != nil || jan.Target != usd(0) || jan.Actual != usd(700) || jan.Gap != usd(700) || jan.Remaining != usd(0) {
		t.Errorf("January = %+v", jan)
	}
	// By plan nothing is expected by the end of January; linearly the
	// total expects 10000 × 31/91 = 3406.59 → 3407.
	if r.Total.Expected != usd(0) || r.Total.ExpectedShare != 0 {
		t.Errorf("plan total expected = %v", r.Total.Expected)
	}
	r, _ = g.Pace(context.Background(), nil, revenue.Date(2024, 1, 31))
	if r.Total.Expected != usd(3407) {
		t.Errorf("linear total expected = %v, want 3407", r.Total.Expected)
	}
}

func TestSourcedTargetPace(t *testing.T) {
	// Marketing must source 60% of 9,100.00 = 5,460.00 in Q1; paced like
	// any target: by 15 Feb (46/91) 5460.00 × 46/91 = 2760.00 expected.
	q1 := goalQuarter(t, 2024, 1)
	f, err := NewFunnel(Target{q1, usd(910000)}, usd(100000), []Stage{{"MQL", 0.1}}, WithMarketingShare(0.6))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.SourcedTarget().Pace(context.Background(), []Actual{{revenue.Date(2024, 2, 1), usd(300000)}}, revenue.Date(2024, 2, 15))
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != usd(546000) || p.Expected != usd(276000) || p.Gap != usd(24000) {
		t.Errorf("sourced pace: target %v expected %v gap %v", p.Target, p.Expected, p.Gap)
	}
}

func TestPaceActualDates(t *testing.T) {
	// Actuals are placed on their UTC calendar date: 23:00 in New York on
	// 31 January is 04:00 UTC on 1 February. Dates before 1970 work alike.
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name     string
		period   revenue.Period
		date     time.Time
		wantPart int // index of the month that gets the actual; -1 outside
	}{
		{"evening in New York", revenue.Year(2024), time.Date(2024, 1, 31, 23, 0, 0, 0, est), 1},
		{"last second of January UTC", revenue.Year(2024), time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC), 0},
		{"last day of the year", revenue.Year(2024), revenue.Date(2024, 12, 31), 11},
		{"first day after", revenue.Year(2024), revenue.Date(2025, 1, 1), -1},
		{"1969, last second of March", revenue.Year(1969), time.Date(1969, 3, 31, 23, 59, 59, 0, time.UTC), 2},
		{"1969, first of April", revenue.Year(1969), revenue.Date(1969, 4, 1), 3},
		{"1968, last second", revenue.Year(1969), time.Date(1968, 12, 31, 23, 59, 59, 0, time.UTC), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Target{tt.period, usd(36500)}.Split(SplitByDays(), tt.period.Months())
			if err != nil {
				t.Fatal(err)
			}
			r, err := g.Pace(context.Background(), []Actual{{tt.date, usd(5)}}, tt.period.End)
			if err != nil {
				t.Fatal(err)
			}
			for k, p := range r.Parts {
				if want := k == tt.wantPart; (p.Actuals == 1) != want {
					t.Errorf("part %d (%s) has %d actuals", k, p.Period, p.Actuals)
				}
			}
			if (r.Outside == 1) != (tt.wantPart < 0) {
				t.Errorf("outside = %d", r.Outside)
			}
		})
	}
}

func TestPaceReportsEveryBadActual(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	actuals := []Actual{
		{revenue.Date(2024, 1, 2), usd(-5)},
		{revenue.Date(2024, 1, 3), usd(5)},
		{revenue.Date(2024, 1, 4), money.New(5, "EUR")},
	}
	_, err := Target{q1, usd(100)}.Pace(context.Background(), actuals, revenue.Date(2024, 2, 1))
	if !errors.Is(err, money.ErrInvalidInput) || !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Fatalf("err = %v, want both the negative and the EUR actual", err)
	}
	many := make([]Actual, 150)
	for i := range many {
		many[i] = Actual{revenue.Date(2024, 1, 2), usd(-1)}
	}
	_, err = Target{q1, usd(100)}.Pace(context.Background(), many, revenue.Date(2024, 2, 1))
	if got := len(err.(interface{ Unwrap() []error }).Unwrap()); got != 101 {
		t.Errorf("%d errors, want 100 described and 1 counting the other 50", got)
	}
}

// TestPaceStatus: Q1 2024 is 2024-01-01 … 2024-03-31. At the end of
// 2023-12-31 it has not started (0 of 91 days elapsed); on its first and
// last day it is in progress (1 and 91 days elapsed); on 2024-04-01 it has
// ended (91 of 91).
func TestPaceStatus(t *testing.T) {
	q1, _ := revenue.Quarter(2024, 1)
	target := Target{q1, usd(9_100_000)}
	for _, tt := range []struct {
		at      time.Time
		want    Status
		elapsed int
	}{
		{revenue.Date(2023, 12, 31), StatusNotStarted, 0},
		{revenue.Date(2024, 1, 1), StatusInProgress, 1},
		{revenue.Date(2024, 2, 15), StatusInProgress, 46},
		{revenue.Date(2024, 3, 31), StatusInProgress, 91},
		{revenue.Date(2024, 4, 1), StatusEnded, 91},
	} {
		p, err := target.Pace(context.Background(), nil, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != tt.want || p.ElapsedDays != tt.elapsed {
			t.Errorf("at %s: status %q, %d days; want %q, %d", tt.at.Format(time.DateOnly), p.Status, p.ElapsedDays, tt.want, tt.elapsed)
		}
		b, _ := json.Marshal(p)
		if !strings.Contains(string(b), `"status":"`+string(tt.want)+`"`) {
			t.Errorf("json %s", b)
		}
	}
}
