package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// lastTouchResult: paths "search" (4 conversions, value 2000, 6 nulls) and
// "email > search" (1, 1000, 0) under last touch credit search with all 5
// conversions and 3000 minor units; email touches journeys but earns 0.
func lastTouchResult(t testing.TB) *attribution.Result {
	paths := "path,total_conversions,total_conversion_value,total_null\nsearch,4,2000,6\nemail > search,1,1000,0\n"
	agg, err := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := attribution.Run(context.Background(), agg, attribution.LastTouch())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func usd(v int64) money.Money { return money.New(v, "USD") }

// TestReturns checks the returns against the published definitions:
// ROI = (revenue − cost)/cost (Farris et al., "Marketing Metrics"; revenue.ROI),
// ROAS = revenue/cost (Google Ads), CAC = cost / credited conversions.
func TestReturns(t *testing.T) {
	res := lastTouchResult(t)
	spend := []record.Spend{
		{Channel: "search", Amount: usd(1000)}, {Channel: "search", Amount: usd(500)}, // two periods: 1500 in all
		{Channel: "tv", Amount: usd(400)},
	}
	rets, err := engine.Returns(res, spend)
	if err != nil {
		t.Fatal(err)
	}
	if len(rets) != 3 || rets[0].Key != "email" || rets[1].Key != "search" || rets[2].Key != "tv" {
		t.Fatalf("keys %+v", rets)
	}
	// email: journeys, no spend → cost 0, no ratios.
	if e := rets[0]; e.Cost != usd(0) || e.ROI != nil || e.ROAS != nil || e.CAC != nil {
		t.Errorf("email %+v", e)
	}
	// search: ROI (3000−1500)/1500 = 1, ROAS 3000/1500 = 2, CAC 1500/5 = 300.
	s := rets[1]
	if s.Cost != usd(1500) || s.Value != usd(3000) || s.Conversions != 5 ||
		s.ROI == nil || math.Abs(s.ROI.Value-1) > 1e-12 || s.ROAS == nil || math.Abs(s.ROAS.Value-2) > 1e-12 ||
		s.CAC == nil || s.CAC.Value != usd(300) || s.CAC.Exact != 300 {
		t.Errorf("search %+v", s)
	}
	// tv: spend, no journeys → value 0, ROI (0−400)/400 = −1, ROAS 0, no CAC.
	if v := rets[2]; v.Cost != usd(400) || v.ROI == nil || v.ROI.Value != -1 || v.ROAS == nil || v.ROAS.Value != 0 || v.CAC != nil {
		t.Errorf("tv %+v", v)
	}
	ws := engine.SpendWarnings(res, spend)
	if len(ws) != 2 || ws[0].Code != attribution.WarnJourneysWithoutSpend || ws[0].Channel != "email" ||
		ws[1].Code != attribution.WarnSpendWithoutJourneys || ws[1].Channel != "tv" {
		t.Errorf("warnings %+v", ws)
	}
}

func TestReturnsErrors(t *testing.T) {
	res := lastTouchResult(t)
	for _, tt := range []struct {
		name  string
		spend []record.Spend
		want  error
	}{
		{"currency", []record.Spend{{Channel: "search", Amount: money.New(1, "EUR"), Line: 3}}, engine.ErrCurrencyMismatch},
		{"negative", []record.Spend{{Channel: "search", Amount: usd(-1)}}, engine.ErrNegativeAmount},
		{"overflow", []record.Spend{{Channel: "a", Amount: usd(math.MaxInt64)}, {Channel: "a", Amount: usd(1)}}, engine.ErrOverflow},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := engine.Returns(res, tt.spend); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := engine.Returns(nil, nil); !errors.Is(err, engine.ErrInvalidInput) {
		t.Errorf("nil result: %v", err)
	}
}

func ExampleReturns() {
	paths := "path,total_conversions,total_conversion_value,total_null\nsearch,4,2000,6\nemail > search,1,1000,0\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	res, _ := attribution.Run(context.Background(), agg, attribution.LastTouch())
	spend, _ := record.ReadSpend(context.Background(), strings.NewReader(
		"period,channel,category,amount\n2026-01,search,marketing,1500\n2026-01,email,marketing,0\n"), "spend.csv")
	rets, err := engine.Returns(res, spend)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rets {
		fmt.Printf("%s cost %v", r.Key, r.Cost)
		if r.ROI != nil {
			fmt.Printf(" ROAS %.1f ROI %.1f per conversion %v", r.ROAS.Value, r.ROI.Value, r.CAC.Value)
		}
		fmt.Println()
	}
	// Output:
	// email cost USD 0.00
	// search cost USD 15.00 ROAS 2.0 ROI 1.0 per conversion USD 3.00
}
