package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/report"
	"github.com/revengine/revengine/revenue"
)

// browser finds a Chromium or Chrome: $REVENGINE_CHROME, then the usual
// names on $PATH (Debian's chromium package installs /usr/bin/chromium).
func browser() string {
	if p := os.Getenv("REVENGINE_CHROME"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// kpiText is what the summary must show for a KPI of the period, computed
// from the view with the library's own formats (money.Money.String; rates
// as percentages with one decimal; ratios with two).
func kpiText(p engine.PeriodView) map[string]string {
	pct := func(m *revenue.Metric) string {
		if m == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*m.Value)
	}
	want := map[string]string{
		"revenue":                 p.Revenue.Total.String(),
		"pipeline":                p.Pipeline.Total.String(),
		"new_customers":           fmt.Sprint(p.NewCustomers),
		"marketing_sourced_share": pct(p.Revenue.SourcedShare),
	}
	if p.CAC != nil {
		want["cac"] = p.CAC.Value.String()
	}
	if p.MRR != nil {
		want["ending_mrr"] = p.MRR.EndingMRR.String()
		want["nrr"] = pct(p.MRR.NRR)
	}
	return want
}

type chartBox struct {
	ID            string
	Width, Height float64
	Title, Desc   string
}

// TestBrowser opens the sample report in headless Chromium from a file URL
// with the network off, and checks what a reader sees.
func TestBrowser(t *testing.T) {
	exe := browser()
	if exe == "" {
		t.Skip("SKIP: no Chromium on this machine (install Debian's chromium, or set REVENGINE_CHROME); the browser test did not run")
	}
	in := sample(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(abs)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1200, 900),
		// no network at all: every host resolves to nothing, every proxy
		// is a closed port
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"), chromedp.ProxyServer("127.0.0.1:9"))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	var mu sync.Mutex
	var problems, requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				msg := "console " + string(e.Type) + ":"
				for _, a := range e.Args {
					msg += " " + string(a.Value) + a.Description
				}
				problems = append(problems, msg)
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				problems = append(problems, "log error: "+e.Entry.Text)
			}
		case *network.EventLoadingFailed:
			problems = append(problems, "failed request: "+e.ErrorText)
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	// Start the browser, then cut the network of the tab before loading.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	// Any request over a network scheme is blocked and fails (and the
	// test reports it); the browser also starts with no resolver and no
	// reachable proxy, and the tab believes it is offline.
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
		{URLPattern: "*://*:*/*", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}

	// Every chart: present, with a non-zero bounding box, a title and a
	// description.
	boxesJSON, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll("svg.chart")].map(s => {
		const r = s.getBoundingClientRect();
		return {ID: s.id, Width: r.width, Height: r.height, Title: (s.querySelector("title")||{}).textContent||"", Desc: (s.querySelector("desc")||{}).textContent||""};
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	var boxes []chartBox
	if err := json.Unmarshal([]byte(boxesJSON), &boxes); err != nil {
		t.Fatal(err)
	}
	// The charts the input implies: funnel, SLA compliance (when a stage
	// is judged), attribution, one waterfall per
	// bridge month, one distribution per score model, the outcome bands,
	// one pacing bar per target, one eNPS trend per question.
	want := []string{"chart-funnel"}
	for _, s := range in.View.Periods[len(in.View.Periods)-1].Speed {
		if s.Owner == "" && s.Route == "" && s.WithinSLA != nil {
			want = append(want, "chart-sla") // one chart of the judged stages
			break
		}
	}
	want = append(want, "chart-attribution")
	for i := range in.Bridge.Months {
		want = append(want, fmt.Sprintf("chart-mrr-%d", i))
	}
	for i := range in.Backtest.Scores {
		want = append(want, fmt.Sprintf("chart-score-%d", i))
	}
	want = append(want, "chart-outcome")
	for i := range in.Pacing {
		want = append(want, fmt.Sprintf("chart-pace-%d", i))
	}
	for i := range in.View.Survey.Trends {
		want = append(want, fmt.Sprintf("chart-enps-%d", i))
	}
	var got []string
	for _, b := range boxes {
		got = append(got, b.ID)
		if !(b.Width > 0 && b.Height > 0) {
			t.Errorf("chart %s has an empty bounding box %v×%v", b.ID, b.Width, b.Height)
		}
		if b.Title == "" || b.Desc == "" {
			t.Errorf("chart %s lacks its title or description", b.ID)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("charts in the DOM:\n  %v\nwant\n  %v", got, want)
	}

	// The headline numbers in the DOM are the library's.
	kpisJSON, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(Object.fromEntries([...document.querySelectorAll("[data-kpi]")].map(e => [e.dataset.kpi, e.textContent])))`))
	if err != nil {
		t.Fatal(err)
	}
	var dom map[string]string
	if err := json.Unmarshal([]byte(kpisJSON), &dom); err != nil {
		t.Fatal(err)
	}
	last := in.View.Periods[len(in.View.Periods)-1]
	for k, w := range kpiText(last) {
		if dom[k] != w {
			t.Errorf("KPI %s in the DOM = %q, the library's value is %q", k, dom[k], w)
		}
	}

	// The drill-down opens: closed, its table is not visible
	// (checkVisibility); after a click on its summary, open, and the
	// movements table visible with a height.
	const drill = `details.drill[data-month="2026-02"]`
	state := func() (bool, float64) {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const d = document.querySelector('`+drill+`'); const tb = d.querySelector("table");
			return JSON.stringify([d.open, tb && tb.checkVisibility() ? tb.getBoundingClientRect().height : 0]); })()`))
		if err != nil {
			t.Fatal(err)
		}
		var v [2]any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return v[0].(bool), v[1].(float64)
	}
	if open, h := state(); open || h != 0 {
		t.Errorf("drill-down before the click: open=%v, table height %v; want closed, 0", open, h)
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(drill+" > summary"), chromedp.Click(drill+" > summary")); err != nil {
		t.Fatal(err)
	}
	if open, h := state(); !open || h <= 0 {
		t.Errorf("drill-down after the click: open=%v, table height %v; want open and laid out", open, h)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('`+drill+` tbody tr')].map(r => r.innerText.replace(/\t/g, " ")).join("\n")`))
	if err != nil {
		t.Fatal(err)
	}
	// 2026-02 of subscriptions.csv: C1 1,000.00 → 1,200.00 on 02-15
	// (expansion 200.00); C4 starts at 800.00 on 02-01 (new).
	for _, w := range []string{"expansion C1 2026-02-15 USD 1000.00 USD 1200.00 USD 200.00", "new C4 2026-02-01 USD 0.00 USD 800.00 USD 800.00"} {
		if !strings.Contains(rows, w) {
			t.Errorf("drill-down rows:\n%s\nlack %q", rows, w)
		}
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "report.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	for _, r := range requests {
		if r != url {
			t.Errorf("the report requested %s", r)
		}
	}
	if len(requests) == 0 {
		t.Error("saw no request at all: the network listener did not run")
	}
}
