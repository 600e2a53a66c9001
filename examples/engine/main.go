// Command engine walks one quarter of Northwind Analytics, a fictional B2B
// software company, through the whole revenue loop:
//
//  1. marketing brings leads (webinars, paid search, content, email) and
//     scores them every Monday with the quickstart rules
//     (examples/quickstart/rules.yaml, read from disk, not copied);
//
//  2. each stage change of the scoring — MQL, disqualified, recycled — goes
//     through engine.StageChange into the funnel, and MQLs are handed to
//     sales, who accept them (SAL) within or after the 24-hour SLA;
//
//  3. accepted leads qualify (SQL) and become opportunities, deals with the
//     lead's touches (engine.EventTouches) and a sales call; deals close
//     won or lost; won deals start a subscription;
//
//  4. the engine attributes the won revenue by the W-shaped model and
//     prints the revenue-engine view of the quarter.
//
//     go run ./examples/engine
//
// With -html FILE it also writes the quarter as a self-contained HTML
// report (package report): the summary, funnel, W-shaped attribution, the
// monthly MRR bridge with its drill-down and pacing against a USD 150,000
// bookings target; the text output is unchanged.
//
//	go run ./examples/engine -html out.html
//
// Everything is generated from a fixed seed and fixed dates, so the output
// never changes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue/goal"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/scoring"
)

func main() {
	html := flag.String("html", "", "also write the quarter as a self-contained HTML report to `FILE`")
	flag.Parse()
	if err := runWith(context.Background(), os.Stdout, *html); err != nil {
		fmt.Fprintln(os.Stderr, "engine:", err)
		os.Exit(1)
	}
}

func rulesPath() string {
	if _, err := os.Stat("examples/quickstart/rules.yaml"); err == nil {
		return "examples/quickstart/rules.yaml"
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "quickstart", "rules.yaml")
}

const cur = money.Currency("USD")

// lead is the company's view of one person while the quarter runs.
type lead struct {
	id        string
	fields    map[string]any
	events    []scoring.Event
	created   time.Time
	stage     string
	enteredAt time.Time
	owner     string
}

// channelOf maps an event to the marketing channel and campaign that made
// it; events that no campaign brought (a direct visit) are not touches.
func channelOf(e scoring.Event) (string, string) {
	camp, _ := e.Props["campaign"].(string)
	switch {
	case e.Type == "webinar_attended":
		return "webinar", camp
	case e.Type == "email_click":
		return "email", camp
	case len(camp) > 4 && camp[:4] == "ppc-":
		return "paid_search", camp
	case len(camp) > 6 && camp[:6] == "ebook-":
		return "content", camp
	}
	return "", ""
}

func run(ctx context.Context, out io.Writer) error { return runWith(ctx, out, "") }

// runWith prints the view to out and, when htmlPath is not empty, writes
// the HTML report there.
func runWith(ctx context.Context, out io.Writer, htmlPath string) error {
	rs, err := scoring.LoadFile(rulesPath())
	if err != nil {
		return err
	}
	b, err := engine.New(engine.Config{Currency: cur, Period: engine.ByQuarter, Rules: rs, Model: attribution.WShaped(),
		AsOf: time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC), GrossMargin: 0.8})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(2026, 1))
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) // a Monday
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	industries := []string{"banking", "software", "retail", "insurance", "saas", "education"}
	countries := []string{"US", "GB", "DE", "FR", "BR", "IN"}
	seniority := []string{"vp", "director", "manager", "individual", "c_level"}
	campaigns := []string{"ppc-brand", "ppc-competitor", "ebook-revops", "newsletter", "webinar-q1"}

	// Leads arrive over the quarter, each with a burst of activity.
	var leads []*lead
	for i := range 60 {
		created := start.Add(time.Duration(r.IntN(80*24)) * time.Hour)
		domain := fmt.Sprintf("company%d.com", i)
		switch i % 15 {
		case 7:
			domain = "rivalrev.io" // a competitor, disqualified by the rules
		case 11:
			domain = "gmail.com"
		}
		l := &lead{id: fmt.Sprintf("L-%03d", i+1), created: created, stage: "lead", enteredAt: created, fields: map[string]any{
			"email": fmt.Sprintf("buyer%d@%s", i, domain), "domain": domain,
			"company_size": []int{15, 120, 450, 1200, 5000}[r.IntN(5)], "industry": industries[r.IntN(len(industries))],
			"country": countries[r.IntN(len(countries))], "seniority": seniority[r.IntN(len(seniority))],
			"department": []string{"marketing", "sales", "finance", "it"}[r.IntN(4)], "job_title": "Buyer",
		}}
		if i%15 == 11 {
			l.fields["job_title"] = "Student"
		}
		camp := campaigns[r.IntN(len(campaigns))]
		t := created
		for range 2 + r.IntN(6) {
			typ := []string{"page_view", "page_view", "email_click", "webinar_attended", "form_submit", "demo_request"}[r.IntN(6)]
			props := map[string]any{"campaign": camp}
			if typ == "page_view" {
				props["url"] = []string{"/pricing", "/customers", "/blog/revops"}[r.IntN(3)]
			}
			l.events = append(l.events, scoring.Event{Type: typ, Time: t, Props: props})
			t = t.Add(time.Duration(6+r.IntN(72)) * time.Hour)
			if r.IntN(3) == 0 {
				camp = campaigns[r.IntN(len(campaigns))]
			}
		}
		leads = append(leads, l)
		if err := b.AddStageChange(record.StageChange{LeadID: l.id, To: "lead", At: created, Rule: "created"}); err != nil {
			return err
		}
	}

	var deals []record.Deal
	var subs []record.SubscriptionEvent
	for week := start; week.Before(end); week = week.AddDate(0, 0, 7) {
		for _, l := range leads {
			if l.created.After(week) || l.stage != "lead" && l.stage != "mql" {
				continue // not yet a lead, or already with sales or out
			}
			data := map[string]any{"id": l.id, "stage": l.stage, "stage_entered_at": l.enteredAt.Format(time.RFC3339)}
			for k, v := range l.fields {
				data[k] = v
			}
			var evs []any
			for _, e := range l.events {
				if !e.Time.After(week) {
					m := map[string]any{"type": e.Type, "time": e.Time.Format(time.RFC3339)}
					for k, v := range e.Props {
						m[k] = v
					}
					evs = append(evs, m)
				}
			}
			data["events"] = evs
			res, err := rs.Score(ctx, data, week)
			if err != nil {
				return fmt.Errorf("lead %s: %w", l.id, err)
			}
			c, ok := engine.StageChange(rs, res)
			if !ok {
				continue
			}
			if err := b.AddStageChange(c); err != nil {
				return err
			}
			l.stage, l.enteredAt, l.owner = c.To, c.At, c.Owner
			if c.To != "mql" {
				continue
			}
			// Sales picks the MQL up: most within the day, some late, a few never.
			delay := []time.Duration{2, 5, 20, 30, 70, -1}[r.IntN(6)] * time.Hour
			if delay < 0 {
				continue // left alone: the recycle rule will catch it
			}
			sal := c.At.Add(delay)
			steps := []record.StageChange{{LeadID: l.id, From: "mql", To: "sal", At: sal, Rule: "crm:accepted", Owner: c.Owner, Route: c.Route}}
			l.stage, l.fields["accepted_by_sales"] = "sal", true
			sql := sal.Add(time.Duration(24+r.IntN(96)) * time.Hour)
			opp := sql.Add(time.Duration(48+r.IntN(120)) * time.Hour)
			if r.IntN(3) > 0 && opp.Before(end) { // qualified, then an opportunity and a deal
				steps = append(steps, record.StageChange{LeadID: l.id, From: "sal", To: "sql", At: sql, Rule: "crm:qualified", Owner: c.Owner},
					record.StageChange{LeadID: l.id, From: "sql", To: "opportunity", At: opp, Rule: "crm:opportunity", Owner: c.Owner})
				d := record.Deal{ID: "D-" + l.id[2:], LeadID: l.id, Created: opp, Status: record.DealOpen,
					Amount: money.New(int64(12000+r.IntN(8)*6000)*100, cur)}
				d.Touches = engine.EventTouches(l.id, l.events, channelOf)
				d.Touches = append(d.Touches, record.Touch{At: sql, Channel: "sdr_call", Kind: record.TouchSales, OppCreated: true, LeadID: l.id})
				if closeAt := opp.AddDate(0, 0, 14+r.IntN(35)); closeAt.Before(end) {
					d.Closed = closeAt
					d.Status = []record.DealStatus{record.DealWon, record.DealWon, record.DealLost}[r.IntN(3)]
					if d.Status == record.DealWon {
						subs = append(subs, record.SubscriptionEvent{CustomerID: l.id, Date: record.Day(closeAt), MRR: money.New(d.Amount.Amount/12, cur)})
					}
				}
				deals = append(deals, d)
			}
			for _, s := range steps {
				if s.At.Before(end) {
					if err := b.AddStageChange(s); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, d := range deals {
		if err := b.AddDeal(d); err != nil {
			return err
		}
	}
	// The installed base: three customers from last year, one expands and
	// one churns in the quarter.
	base := []record.SubscriptionEvent{
		{CustomerID: "C-acme", Date: record.Date(2025, 10, 1), MRR: money.New(400000, cur)},
		{CustomerID: "C-bolt", Date: record.Date(2025, 11, 1), MRR: money.New(150000, cur)},
		{CustomerID: "C-core", Date: record.Date(2025, 12, 1), MRR: money.New(90000, cur)},
		{CustomerID: "C-acme", Date: record.Date(2026, 2, 1), MRR: money.New(480000, cur)},
		{CustomerID: "C-core", Date: record.Date(2026, 3, 1), MRR: money.Zero(cur)},
	}
	for _, e := range append(base, subs...) {
		if err := b.AddSubscriptionEvent(e); err != nil {
			return err
		}
	}
	for _, m := range []time.Month{1, 2, 3} {
		p := record.Month(2026, m)
		for _, s := range []record.Spend{
			{Period: p, Channel: "paid_search", Campaign: "ppc-brand", Category: record.SpendMarketing, Amount: money.New(600000, cur)},
			{Period: p, Channel: "paid_search", Campaign: "ppc-competitor", Category: record.SpendMarketing, Amount: money.New(400000, cur)},
			{Period: p, Channel: "webinar", Campaign: "webinar-q1", Category: record.SpendMarketing, Amount: money.New(300000, cur)},
			{Period: p, Channel: "content", Campaign: "ebook-revops", Category: record.SpendMarketing, Amount: money.New(200000, cur)},
			{Period: p, Channel: "email", Campaign: "newsletter", Category: record.SpendMarketing, Amount: money.New(50000, cur)},
			{Period: p, Channel: "sdr_call", Category: record.SpendSales, Amount: money.New(1800000, cur)},
		} {
			if err := b.AddSpend(s); err != nil {
				return err
			}
		}
	}
	v, err := b.View(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Northwind Analytics, 2026-Q1: %d leads scored weekly with %s %s, %d opportunities\n\n", len(leads), rs.Name(), rs.Version(), len(deals))
	if err := v.WriteText(out); err != nil {
		return err
	}
	if htmlPath == "" {
		return nil
	}
	return writeHTML(ctx, htmlPath, v, append(base, subs...), deals)
}

// writeHTML writes the report of the quarter: the view, the monthly MRR
// bridge of the subscription events (for the drill-down) and the won deals
// paced against the quarter's bookings target as of the view's date.
func writeHTML(ctx context.Context, path string, v *engine.View, events []record.SubscriptionEvent, deals []record.Deal) error {
	bridge, err := mrr.NewBridge(ctx, events, mrr.MethodEvent, cur)
	if err != nil {
		return err
	}
	var actuals []goal.Actual
	for _, d := range deals {
		if d.Status == record.DealWon {
			actuals = append(actuals, goal.Actual{Date: d.Closed, Amount: d.Amount})
		}
	}
	q1 := goal.Target{Period: record.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}, Amount: money.New(15000000, cur)}
	pace, err := q1.Pace(ctx, actuals, v.AsOf)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = report.Write(f, report.Input{Title: "Northwind Analytics, 2026-Q1", View: v, Bridge: bridge, Pacing: []goal.Pace{pace}})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
