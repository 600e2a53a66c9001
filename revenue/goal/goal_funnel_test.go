package goal

import (
	"github.com/revengine/revengine/revenue"

	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/revengine/revengine/money"
)

func goalStages() []Stage {
	return []Stage{{"lead", 0.2}, {"MQL", 0.4}, {"SQL", 0.6}, {"opportunity", 0.25}}
}

func TestGoalFunnelFor(t *testing.T) {
	year := Target{revenue.Year(2024), usd(100000000)} // 1,000,000.00
	tests := []struct {
		name  string
		avg   money.Money
		opts  []FunnelOption
		deals float64
		want  []float64 // lead, MQL, SQL, opportunity
		src   int64
	}{
		// 60% of 1,000,000.00 = 600,000.00 sourced; / 25,000.00 = 24 deals;
		// / 0.25 = 96 opportunities; / 0.6 = 160 SQLs; / 0.4 = 400 MQLs;
		// / 0.2 = 2000 leads.
		{"round numbers", usd(2500000), []FunnelOption{WithMarketingShare(0.6)}, 24, []float64{2000, 400, 160, 96}, 60000000},
		// The same with rounding up changes nothing: all counts are whole
		// (snapping absorbs 96/0.6 = 160.00000000000003 in binary).
		{"round numbers, up", usd(2500000), []FunnelOption{WithMarketingShare(0.6), WithCountRounding(money.Up)}, 24, []float64{2000, 400, 160, 96}, 60000000},
		// 600,000 / 35,000 = 17.142857… deals (= 120/7); opportunities 480/7
		// = 68.571…; SQLs 800/7 = 114.285…; MQLs 2000/7 = 285.714…; leads
		// 10000/7 = 1428.571…
		{"fractional kept", usd(3500000), []FunnelOption{WithMarketingShare(0.6)}, 120.0 / 7,
			[]float64{10000.0 / 7, 2000.0 / 7, 800.0 / 7, 480.0 / 7}, 60000000},
		// Up, bottom first: 18 deals; 18/0.25 = 72 opportunities; 72/0.6 =
		// 120 SQLs; 120/0.4 = 300 MQLs; 300/0.2 = 1500 leads.
		{"rounded up", usd(3500000), []FunnelOption{WithMarketingShare(0.6), WithCountRounding(money.Up)}, 18,
			[]float64{1500, 300, 120, 72}, 60000000},
		// Whole target: 1,000,000 / 25,000 = 40 deals → 160, 266.67, 666.67, 3333.33.
		{"whole target", usd(2500000), nil, 40, []float64{40 / 0.25 / 0.6 / 0.4 / 0.2, 40 / 0.25 / 0.6 / 0.4, 40 / 0.25 / 0.6, 160}, 100000000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFunnel(year, tt.avg, goalStages(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if f.Sourced != usd(tt.src) || f.SourcedTarget() != (Target{revenue.Year(2024), usd(tt.src)}) {
				t.Errorf("sourced = %v, want %d", f.Sourced, tt.src)
			}
			if !paceApprox(f.Deals, tt.deals) {
				t.Errorf("deals = %v, want %v", f.Deals, tt.deals)
			}
			for i, w := range tt.want {
				if !paceApprox(f.Stages[i].Count, w) {
					t.Errorf("%s = %v, want %v", f.Stages[i].Name, f.Stages[i].Count, w)
				}
			}
		})
	}
}

func TestGoalFunnelErrors(t *testing.T) {
	year := Target{revenue.Year(2024), usd(100000000)}
	tests := []struct {
		name   string
		t      Target
		avg    money.Money
		stages []Stage
		opts   []FunnelOption
		want   error
	}{
		{"zero target", Target{revenue.Year(2024), usd(0)}, usd(100), goalStages(), nil, money.ErrDivisionByZero},
		{"zero average deal", year, usd(0), goalStages(), nil, money.ErrInvalidInput},
		{"average deal currency", year, money.New(100, "EUR"), goalStages(), nil, money.ErrCurrencyMismatch},
		{"no stages", year, usd(100), nil, nil, money.ErrInvalidInput},
		{"zero rate", year, usd(100), []Stage{{"MQL", 0}}, nil, ErrZeroDenominator}, // counts are divided by the rate,
		{"rate above one", year, usd(100), []Stage{{"MQL", 1.2}}, nil, money.ErrInvalidInput},
		{"duplicate stage", year, usd(100), []Stage{{"MQL", 0.5}, {"MQL", 0.5}}, nil, money.ErrInvalidInput},
		{"reserved name", year, usd(100), []Stage{{"won", 0.5}}, nil, money.ErrInvalidInput},
		{"share zero", year, usd(100), goalStages(), []FunnelOption{WithMarketingShare(0)}, money.ErrInvalidInput},
		{"share NaN", year, usd(100), goalStages(), []FunnelOption{WithMarketingShare(math.NaN())}, money.ErrInvalidInput},
		{"bad rounding", year, usd(100), goalStages(), []FunnelOption{WithCountRounding(7)}, money.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewFunnel(tt.t, tt.avg, tt.stages, tt.opts...); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestGoalFunnelPace(t *testing.T) {
	q1 := goalQuarter(t, 2024, 1)
	// 1,000,000.00 in Q1 at 25,000.00: 40 deals; 25% win: 160 opportunities;
	// 50% SQL→opp: 320 SQLs; 80% MQL→SQL: 400 MQLs.
	f, err := NewFunnel(Target{q1, usd(100000000)}, usd(2500000),
		[]Stage{{"MQL", 0.8}, {"SQL", 0.5}, {"opportunity", 0.25}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Pace(revenue.Date(2024, 2, 15), map[string]float64{"MQL": 180, "won": 25})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Stage != "MQL" || got[1].Stage != "won" {
		t.Fatalf("stages = %+v, want MQL then won", got)
	}
	// MQL: e = 46 of 91; expected 400 × 46/91 = 202.1978…; gap 180 − that;
	// projection 180 × 91/46 = 356.087…; remaining 220 over 45 days = 4.888…
	m := got[0]
	if m.Target != 400 || !paceApprox(m.Expected, 400.0*46/91) || !paceApprox(m.Gap, 180-400.0*46/91) ||
		!paceApprox(*m.Projection, 180.0*91/46) || m.Remaining != 220 || !paceApprox(*m.RequiredDaily, 220.0/45) ||
		!paceApprox(m.Attainment, 0.45) {
		t.Errorf("MQL pace = %+v", m)
	}
	// Won: 25 of 40, attainment 0.625; expected 40 × 46/91.
	w := got[1]
	if w.Target != 40 || !paceApprox(w.Attainment, 0.625) || !paceApprox(w.Expected, 40.0*46/91) {
		t.Errorf("won pace = %+v", w)
	}
	// Before the period: nothing expected, no projection.
	got, _ = f.Pace(revenue.Date(2023, 12, 1), map[string]float64{"SQL": 0})
	if got[0].Expected != 0 || got[0].Projection != nil || !paceApprox(*got[0].RequiredDaily, 320.0/91) {
		t.Errorf("before = %+v", got[0])
	}
	// After: all expected, no daily rate.
	got, _ = f.Pace(revenue.Date(2024, 4, 2), map[string]float64{"SQL": 300})
	if got[0].Expected != 320 || got[0].RequiredDaily != nil || got[0].Remaining != 20 {
		t.Errorf("after = %+v", got[0])
	}
	// Working days (Mon–Fri, 1 Jan off): 33 of 64 by 15 Feb; 400 × 33/64 = 206.25.
	got, _ = f.Pace(revenue.Date(2024, 2, 15), map[string]float64{"MQL": 1}, WithWorkingDayPace(revenue.MondayToFriday(revenue.Date(2024, 1, 1))))
	if got[0].Expected != 206.25 || got[0].Method != MethodWorkingDays {
		t.Errorf("working days = %+v", got[0])
	}
	for name, actual := range map[string]map[string]float64{
		"unknown stage":  {"visits": 1},
		"negative count": {"MQL": -1},
		"NaN count":      {"MQL": math.NaN()},
	} {
		if _, err := f.Pace(revenue.Date(2024, 2, 15), actual); !errors.Is(err, money.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := f.Pace(revenue.Date(2024, 2, 15), nil, WithWorkingDayPace(revenue.Calendar{Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}})); !errors.Is(err, money.ErrDivisionByZero) {
		t.Errorf("no working day: err = %v", err)
	}
}

// TestGoalFunnelNoInfinity: rates so small that a stage count leaves
// float64 are ErrOverflow, never a +Inf count. 1,000,000.00 / 25,000.00 =
// 40 deals; 40 / 1e-300 = 4e301 opportunities (finite); 4e301 / 1e-300 =
// 4e601 > MaxFloat64 ≈ 1.8e308 SQLs: overflow.
func TestGoalFunnelNoInfinity(t *testing.T) {
	year := Target{revenue.Year(2024), usd(100000000)}
	_, err := NewFunnel(year, usd(2500000), []Stage{{"SQL", 1e-300}, {"opportunity", 1e-300}})
	if !errors.Is(err, ErrOverflow) {
		t.Fatalf("err = %v, want ErrOverflow", err)
	}
	// one tiny stage still fits: 4e301 opportunities, JSON-encodable
	f, err := NewFunnel(year, usd(2500000), []Stage{{"opportunity", 1e-300}})
	if err != nil {
		t.Fatal(err)
	}
	if !paceApprox(f.Stages[0].Count, 4e301) {
		t.Errorf("count = %v, want 4e301", f.Stages[0].Count)
	}
	if _, err := json.Marshal(f); err != nil {
		t.Errorf("json: %v", err)
	}
	// pacing a finite target with an actual that overflows the projection:
	// A × D / e = MaxFloat64 × 366 / 1 is beyond float64.
	_, err = f.Pace(revenue.Date(2024, 1, 1), map[string]float64{"won": math.MaxFloat64})
	if !errors.Is(err, ErrOverflow) {
		t.Errorf("pace: err = %v, want ErrOverflow", err)
	}
}
