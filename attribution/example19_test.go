package attribution_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/revengine/revengine/attribution"
)

// Rows in any order, as a warehouse query without ORDER BY returns them:
// the default AnyOrder sorts them by journey and time.
func ExampleReadTouches_anyOrder() {
	rows := `journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
j2,2026-01-03T00:00:00Z,search,0,0,1,500,2026-01-04T00:00:00Z
j1,2026-01-02T00:00:00Z,search,0,0,0,0,
j2,2026-01-01T00:00:00Z,email,0,0,1,500,2026-01-04T00:00:00Z
`
	agg, err := attribution.ReadTouches(context.Background(), strings.NewReader(rows), "journeys.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range agg.Paths() {
		fmt.Println(strings.Join(p.Channels, " > "), p.Journeys, p.Conversions)
	}
	// Output:
	// email > search 1 1
	// search 1 0
}

func ExampleNewChannelMap() {
	m, err := attribution.NewChannelMap(attribution.ChannelRules{Trim: true, Fold: true,
		Names: map[string]string{"Google Ads": "paid_search"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, raw := range []string{"Paid_Search", " paid_search ", "GOOGLE ADS", "Email"} {
		fmt.Printf("%q -> %q\n", raw, m.Normalize(raw))
	}
	// Output:
	// "Paid_Search" -> "paid_search"
	// " paid_search " -> "paid_search"
	// "GOOGLE ADS" -> "paid_search"
	// "Email" -> "email"
}

func ExampleBootstrap() {
	paths := "path,total_conversions,total_conversion_value,total_null\n" +
		"search,40,40000,360\nemail > search,30,30000,70\nemail,10,10000,190\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	res, err := attribution.Bootstrap(context.Background(), agg,
		attribution.BootstrapConfig{Replicates: 500, Level: 0.9, Seed: 1}, attribution.Linear())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res[0].Channels {
		fmt.Printf("%s share %.3f, 90%% interval %.2f to %.2f\n", c.Channel, c.Share, c.CI.Share[0], c.CI.Share[1])
	}
	// Output:
	// email share 0.312, 90% interval 0.26 to 0.38
	// search share 0.688, 90% interval 0.62 to 0.74
}

func ExampleChooseOrder() {
	// Conversion depends on the last two channels: after a > b or b > a,
	// half the journeys convert; after a > a or b > b, a tenth. The last
	// channel alone says nothing (AUC ½); the last two separate 2000
	// converting journeys at ½ from 400 at a tenth, against 2000 and 3600
	// that did not convert: AUC (2000·(3600 + 2000/2) + 400·3600/2) /
	// (2400·5600) = 0.74 in sample, a little less held out.
	paths := "path,total_conversions,total_conversion_value,total_null\n" +
		"a > b,500,0,500\nb > a,500,0,500\na > a,100,0,900\nb > b,100,0,900\n" +
		"c > a > b,500,0,500\nc > b > a,500,0,500\nc > a > a,100,0,900\nc > b > b,100,0,900\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	sel, err := attribution.ChooseOrder(context.Background(), agg, 3, attribution.OrderConfig{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range sel.Orders {
		fmt.Printf("order %d: cross-validated AUC %.2f\n", o.Order, o.AUC)
	}
	fmt.Println("recommended:", sel.Recommended)
	// Output:
	// order 1: cross-validated AUC 0.49
	// order 2: cross-validated AUC 0.73
	// order 3: cross-validated AUC 0.73
	// recommended: 2
}

func ExampleCompare() {
	paths := "path,total_conversions,total_conversion_value,total_null\n" +
		"email > search,2,200,0\nsearch,1,100,0\ndisplay > search,1,100,0\nemail,1,100,0\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	var rs []*attribution.Result
	for _, m := range []attribution.Model{attribution.FirstTouch(), attribution.LastTouch()} {
		r, _ := attribution.Run(context.Background(), agg, m)
		rs = append(rs, r)
	}
	d, err := attribution.Compare(rs...)
	if err != nil {
		fmt.Println(err)
		return
	}
	// First touch: email 3, search 1, display 1 (shares .6 .2 .2); last
	// touch: search 4, email 1, display 0 (.8 .2 0). Ranks by name
	// (display, email, search): 1.5 3 1.5 and 1 2 3, deviations
	// (−½ 1 −½)·(−1 0 1) = 0: no rank correlation.
	top := d.Channels[0]
	fmt.Printf("%s: %.0f%% (%s) to %.0f%% (%s)\n", top.Channel, 100*top.Min, top.MinModel, 100*top.Max, top.MaxModel)
	fmt.Printf("spearman %.3f\n", *d.Pairs[0].Spearman)
	// Output:
	// search: 20% (first_touch) to 80% (last_touch)
	// spearman 0.000
}

func ExampleWithPrivacyThreshold() {
	paths := "path,total_conversions,total_conversion_value,total_null\n" +
		"search,40,4000,60\nemail > search,5,500,5\nsocial,1,100,0\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	m := attribution.Shapley(attribution.WithPrivacyThreshold(10, attribution.DropRare))
	res, _ := attribution.Run(context.Background(), agg, m)
	fmt.Println(res.Privacy.Units, "unit dropped,", res.Privacy.Conversions, "conversion unattributed")
	for _, c := range res.Channels {
		fmt.Printf("%s %.1f\n", c.Channel, c.Conversions)
	}
	// Output:
	// 1 unit dropped, 1 conversion unattributed
	// email 2.5
	// search 42.5
	// social 0.0
}

func ExampleCalibrate() {
	paths := "path,total_conversions,total_conversion_value,total_null\nsearch,80,8000,920\nemail > search,20,2000,80\n"
	agg, _ := attribution.ReadPaths(context.Background(), strings.NewReader(paths), "paths.csv")
	res, _ := attribution.Run(context.Background(), agg, attribution.LastTouch())
	lift := "channel,period_start,period_end,incremental_conversions,lower,upper\nsearch,2026-01-01,2026-01-31,60,45,75\n"
	tests, err := attribution.ReadLiftTests(context.Background(), strings.NewReader(lift), "lift.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	cal, _ := attribution.Calibrate(res, tests)
	for _, c := range cal.Channels {
		if c.Calibrated {
			fmt.Printf("%s: attributed %.0f, measured %.0f, factor %.2f (%.2f to %.2f)\n", c.Channel, c.Attributed, c.Conversions, *c.Factor, *c.FactorLow, *c.FactorHigh)
		} else {
			fmt.Printf("%s: %.0f (not calibrated)\n", c.Channel, c.Conversions)
		}
	}
	fmt.Println(cal.Label)
	// Output:
	// email: 0 (not calibrated)
	// search: attributed 100, measured 60, factor 0.60 (0.45 to 0.75)
	// calibrated to lift tests
}

func ExampleReadTouchesParquet() {
	type row struct {
		JourneyID      string     `parquet:"journey_id"`
		Timestamp      time.Time  `parquet:"timestamp,timestamp(millisecond)"`
		Channel        string     `parquet:"channel"`
		LeadCreated    bool       `parquet:"lead_created"`
		OppCreated     bool       `parquet:"opp_created"`
		Converted      bool       `parquet:"converted"`
		ValueMinor     int64      `parquet:"value_minor"`
		ConversionTime *time.Time `parquet:"conversion_time,optional,timestamp(millisecond)"`
	}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	conv := day(5)
	var b bytes.Buffer
	w := parquet.NewGenericWriter[row](&b)
	w.Write([]row{
		{JourneyID: "j1", Timestamp: day(2), Channel: "search", Converted: true, ValueMinor: 900, ConversionTime: &conv},
		{JourneyID: "j1", Timestamp: day(1), Channel: "email", Converted: true, ValueMinor: 900, ConversionTime: &conv},
	})
	w.Close()
	agg, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), "touches.parquet")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := attribution.Run(context.Background(), agg, attribution.FirstTouch())
	for _, c := range res.Channels {
		fmt.Println(c.Channel, c.Value)
	}
	// Output:
	// email USD 9.00
	// search USD 0.00
}
