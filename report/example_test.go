package report_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
)

// Write renders an engine view; here one won deal of USD 12,000.00 with
// one paid-search touch, in March 2026.
func ExampleWrite() {
	ctx := context.Background()
	b, err := engine.New(engine.Config{Currency: "USD", Model: attribution.Linear()})
	if err != nil {
		log.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := b.AddDeal(record.Deal{ID: "D1", Created: day, Closed: day.AddDate(0, 0, 14), Status: record.DealWon,
		Amount: money.New(1200000, "USD"), Touches: []record.Touch{{At: day, Channel: "paid_search", Kind: record.TouchMarketing}}}); err != nil {
		log.Fatal(err)
	}
	v, err := b.View(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := report.Write(&out, report.Input{Title: "March", View: v}); err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, `data-kpi="revenue"`) || strings.Contains(line, `data-kpi="marketing_sourced_share"`) {
			fmt.Println(line[strings.Index(line, `<div class="value"`):])
		}
	}
	// Output:
	// <div class="value" data-kpi="revenue" data-raw="1200000">USD 12000.00</div></div>
	// <div class="value" data-kpi="marketing_sourced_share" data-raw="1">100.0%</div></div>
}
