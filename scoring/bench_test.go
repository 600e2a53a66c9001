package scoring

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// benchFitRules: 30 attribute rules — 20 fit rules, 5 grades, 5 stages.
const benchFitRules = `
version: "bench"
fields:
  email: {type: string, required: true}
  domain: string
  company_size: int
  annual_revenue: float
  industry: string
  country: string
  seniority: string
  department: string
  job_title: string
  tech_stack: list
  accepted: bool
  meeting: bool
  budget: bool
lists:
  free_mail: [gmail.com, yahoo.com, hotmail.com, outlook.com]
  industries: [fintech, banking, insurance, software, saas]
  countries: [US, CA, GB, DE, FR, NL, SE, AU]
scores:
  fit:
    min: 0
    max: 100
    rules:
      - {id: r01, when: company_size >= 1000, points: 25}
      - {id: r02, when: company_size >= 200 && company_size < 1000, points: 15}
      - {id: r03, when: company_size >= 20 && company_size < 200, points: 5}
      - {id: r04, when: industry in lists.industries, points: 20}
      - {id: r05, when: country in lists.countries, points: 10}
      - {id: r06, when: 'seniority in ["director", "vp", "c_level"]', points: 15}
      - {id: r07, when: seniority == "manager", points: 8}
      - {id: r08, when: 'department in ["marketing", "sales", "revops"]', points: 10}
      - {id: r09, when: domain in lists.free_mail, points: -20}
      - {id: r10, when: job_title contains "Student", points: -25}
      - {id: r11, when: annual_revenue > 0, points: annual_revenue / 10000000, cap: 10}
      - {id: r12, when: '"salesforce" in tech_stack', points: 4}
      - {id: r13, when: '"hubspot" in tech_stack', points: 3}
      - {id: r14, when: country == "US" && company_size > 500, points: 5}
      - {id: r15, when: industry == "fintech" || industry == "banking", points: 5}
      - {id: r16, when: job_title startsWith "VP", points: 4}
      - {id: r17, when: job_title endsWith "Officer", points: 4}
      - {id: r18, when: domain endsWith ".edu", points: -10}
      - {id: r19, when: company_size > 10000, points: 5}
      - {id: r20, when: annual_revenue > 1000000000 && country != "US", points: 3}
grades:
  - {grade: A, when: scores.fit >= 80}
  - {grade: B, when: scores.fit >= 60}
  - {grade: C, when: scores.fit >= 40}
  - {grade: D, when: scores.fit >= 20}
  - {grade: F}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 50
  - id: sal
    when: stage == "mql" && accepted
  - id: sql
    when: accepted && meeting
  - id: opportunity
    when: stage == "sql" && budget && meeting
`

const benchLeadJSON = `{"id":"L-1001","email":"ana@bank.com","domain":"bank.com","company_size":2500,
"annual_revenue":450000000,"industry":"banking","country":"DE","seniority":"vp","department":"marketing",
"job_title":"VP Marketing","tech_stack":["salesforce","snowflake"],"accepted":false,"meeting":false,"budget":false}`

func benchLead(b *testing.B) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(benchLeadJSON), &m); err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkScoreFit: 30 attribute rules on one lead as a user passes it (a
// map decoded from JSON), normalisation and the result with its trace
// included.
func BenchmarkScoreFit(b *testing.B) {
	rs := mustRules(b, benchFitRules)
	lead := benchLead(b)
	ctx := context.Background()
	b.ReportAllocs()
	done := cpuPerOp(b)
	for b.Loop() {
		if _, err := rs.Score(ctx, lead, at); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkScoreFitExprOnly is the same on expr's VM alone, for comparison.
func BenchmarkScoreFitExprOnly(b *testing.B) {
	rs := mustRules(b, benchFitRules, WithFastPath(false))
	lead := benchLead(b)
	ctx := context.Background()
	b.ReportAllocs()
	done := cpuPerOp(b)
	for b.Loop() {
		if _, err := rs.Score(ctx, lead, at); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// handResult is what the hand-written version returns: the same
// information as Result (scores, contributions with the values read, grade,
// stage), in the same number of allocations.
type handResult struct {
	fit      float64
	grade    string
	stage    string
	contribs []Contribution
	inputs   []Input
}

// handFit is benchFitRules written by hand in Go: the speed limit.
func handFit(m map[string]any) (*handResult, error) {
	email, ok := m["email"].(string)
	if !ok || email == "" {
		return nil, leadErr("email", "required")
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	num := func(k string) float64 { f, _ := m[k].(float64); return f }
	boolean := func(k string) bool { v, _ := m[k].(bool); return v }
	domain, industry, country := str("domain"), str("industry"), str("country")
	seniority, department, title := str("seniority"), str("department"), str("job_title")
	sizeF := num("company_size")
	if sizeF != math.Trunc(sizeF) {
		return nil, leadErr("company_size", "want int")
	}
	size := int(sizeF)
	revenue := num("annual_revenue")
	var stack []string
	if l, ok := m["tech_stack"].([]any); ok {
		for _, x := range l {
			if s, ok := x.(string); ok {
				stack = append(stack, s)
			}
		}
	}
	has := func(xs []string, s string) bool {
		for _, x := range xs {
			if x == s {
				return true
			}
		}
		return false
	}
	res := &handResult{}
	var cs [20]Contribution
	var ins [20]Input
	nc, ni := 0, 0
	add := func(rule string, pts float64, field string, v Value) {
		cs[nc] = Contribution{Rule: rule, Points: pts}
		ins[ni] = Input{Field: field, Value: v}
		nc++
		ni++
		res.fit += pts
	}
	sv := func(k string) Value { s, _ := m[k].(string); return strVal(s) } // the map's own string: no copy
	iv := intVal(size)
	switch {
	case size >= 1000:
		add("r01", 25, "company_size", iv)
	case size >= 200:
		add("r02", 15, "company_size", iv)
	case size >= 20:
		add("r03", 5, "company_size", iv)
	}
	switch industry {
	case "fintech", "banking", "insurance", "software", "saas":
		add("r04", 20, "industry", sv("industry"))
	}
	switch country {
	case "US", "CA", "GB", "DE", "FR", "NL", "SE", "AU":
		add("r05", 10, "country", sv("country"))
	}
	switch seniority {
	case "director", "vp", "c_level":
		add("r06", 15, "seniority", sv("seniority"))
	case "manager":
		add("r07", 8, "seniority", sv("seniority"))
	}
	switch department {
	case "marketing", "sales", "revops":
		add("r08", 10, "department", sv("department"))
	}
	switch domain {
	case "gmail.com", "yahoo.com", "hotmail.com", "outlook.com":
		add("r09", -20, "domain", sv("domain"))
	}
	if strings.Contains(title, "Student") {
		add("r10", -25, "job_title", sv("job_title"))
	}
	if revenue > 0 {
		add("r11", min(revenue/10000000, 10), "annual_revenue", floatVal(revenue))
	}
	if has(stack, "salesforce") {
		add("r12", 4, "tech_stack", anyListVal(m["tech_stack"].([]any)))
	}
	if has(stack, "hubspot") {
		add("r13", 3, "tech_stack", anyListVal(m["tech_stack"].([]any)))
	}
	if country == "US" && size > 500 {
		add("r14", 5, "country", sv("country"))
	}
	if industry == "fintech" || industry == "banking" {
		add("r15", 5, "industry", sv("industry"))
	}
	if strings.HasPrefix(title, "VP") {
		add("r16", 4, "job_title", sv("job_title"))
	}
	if strings.HasSuffix(title, "Officer") {
		add("r17", 4, "job_title", sv("job_title"))
	}
	if strings.HasSuffix(domain, ".edu") {
		add("r18", -10, "domain", sv("domain"))
	}
	if size > 10000 {
		add("r19", 5, "company_size", iv)
	}
	if revenue > 1e9 && country != "US" {
		add("r20", 3, "annual_revenue", floatVal(revenue))
	}
	res.fit = max(0, min(100, res.fit))
	switch {
	case res.fit >= 80:
		res.grade = "A"
	case res.fit >= 60:
		res.grade = "B"
	case res.fit >= 40:
		res.grade = "C"
	case res.fit >= 20:
		res.grade = "D"
	default:
		res.grade = "F"
	}
	stage := "lead"
	accepted, meeting, budget := boolean("accepted"), boolean("meeting"), boolean("budget")
	switch {
	case stage == "sql" && budget && meeting:
		stage = "opportunity"
	case accepted && meeting:
		stage = "sql"
	case stage == "mql" && accepted:
		stage = "sal"
	case res.fit >= 50:
		stage = "mql"
	}
	res.stage = stage
	res.contribs = append([]Contribution(nil), cs[:nc]...)
	res.inputs = append([]Input(nil), ins[:ni]...)
	return res, nil
}

// BenchmarkScoreFitHandWritten is the speed limit for BenchmarkScoreFit.
func BenchmarkScoreFitHandWritten(b *testing.B) {
	lead := benchLead(b)
	b.ReportAllocs()
	done := cpuPerOp(b)
	for b.Loop() {
		if _, err := handFit(lead); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// TestHandFitAgrees keeps the hand-written benchmark honest: it must compute
// what the rules compute.
func TestHandFitAgrees(t *testing.T) {
	rs := mustRules(t, benchFitRules)
	var lead map[string]any
	if err := json.Unmarshal([]byte(benchLeadJSON), &lead); err != nil {
		t.Fatal(err)
	}
	res, err := rs.Score(context.Background(), lead, at)
	if err != nil {
		t.Fatal(err)
	}
	hand, err := handFit(lead)
	if err != nil {
		t.Fatal(err)
	}
	fit, _ := res.Score("fit")
	// By hand: r01 25 + r04 20 + r05 10 + r06 15 + r08 10 + r11 min(45, 10) = 10
	// + r12 4 + r15 5 + r16 4 = 103, clamped to 100 → grade A, stage mql.
	if fit != 100 || hand.fit != 100 || res.Grade != "A" || hand.grade != "A" || res.Stage != "mql" || hand.stage != "mql" {
		t.Errorf("rules: %v %s %s; hand: %v %s %s; want 100 A mql", fit, res.Grade, res.Stage, hand.fit, hand.grade, hand.stage)
	}
	if len(res.Scores[0].Contributions()) != len(hand.contribs) {
		t.Errorf("rules fired %d, hand %d", len(res.Scores[0].Contributions()), len(hand.contribs))
	}
}

// benchEngagementRules: 5 per-event rules with decay.
const benchEngagementRules = `
version: "bench"
fields:
  email: string
event_fields:
  url: string
  campaign: string
scores:
  engagement:
    max: 100
    rules:
      - {id: pricing, on: page_view, when: event.url contains "/pricing", points: 5, half_life: 14d, cap: 25}
      - {id: pages, on: page_view, points: 1, half_life: 7d, cap: 10}
      - {id: clicks, on: email_click, points: 3, half_life: 30d, cap: 15}
      - {id: ebooks, on: form_submit, when: event.campaign startsWith "ebook", points: 8, half_life: 30d}
      - {id: demo, on: demo_request, points: 40, half_life: 60d}
`

func benchEvents() map[string]any {
	types := []string{"page_view", "page_view", "email_click", "form_submit", "page_view"}
	urls := []string{"/pricing", "/blog/x", "/", "/pricing/enterprise"}
	var evs []any
	for i := 0; i < 19; i++ {
		evs = append(evs, map[string]any{
			"type": types[i%len(types)], "time": at.Add(-time.Duration(i*37) * time.Hour).Format(time.RFC3339),
			"url": urls[i%len(urls)], "campaign": "ebook-2026",
		})
	}
	evs = append(evs, map[string]any{"type": "demo_request", "time": at.Add(-72 * time.Hour).Format(time.RFC3339)})
	b, _ := json.Marshal(map[string]any{"id": "L-2", "email": "x@y.z", "events": evs})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// BenchmarkScoreEngagement: a lead with 20 events and 5 per-event rules
// with decay.
func BenchmarkScoreEngagement(b *testing.B) {
	rs := mustRules(b, benchEngagementRules)
	lead := benchEvents()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Score(ctx, lead, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreEngagementHandWritten is the speed limit for BenchmarkScoreEngagement.
func BenchmarkScoreEngagementHandWritten(b *testing.B) {
	lead := benchEvents()
	b.ReportAllocs()
	for b.Loop() {
		evs := lead["events"].([]any)
		var sums [5]float64
		var counts [5]int
		for _, e := range evs {
			em := e.(map[string]any)
			t, err := time.Parse(time.RFC3339, em["time"].(string))
			if err != nil {
				b.Fatal(err)
			}
			age := float64(at.Sub(t))
			url, _ := em["url"].(string)
			camp, _ := em["campaign"].(string)
			day := float64(24 * time.Hour)
			switch em["type"] {
			case "page_view":
				if strings.Contains(url, "/pricing") {
					sums[0] += 5 * math.Exp2(-age/(14*day))
					counts[0]++
				}
				sums[1] += math.Exp2(-age / (7 * day))
				counts[1]++
			case "email_click":
				sums[2] += 3 * math.Exp2(-age/(30*day))
				counts[2]++
			case "form_submit":
				if strings.HasPrefix(camp, "ebook") {
					sums[3] += 8 * math.Exp2(-age/(30*day))
					counts[3]++
				}
			case "demo_request":
				sums[4] += 40 * math.Exp2(-age/(60*day))
				counts[4]++
			}
		}
		sums[0] = min(sums[0], 25)
		sums[1] = min(sums[1], 10)
		sums[2] = min(sums[2], 15)
		cs := make([]Contribution, 0, 5)
		total := 0.0
		for i, s := range sums {
			if counts[i] > 0 {
				cs = append(cs, Contribution{Points: s, Events: counts[i]})
				total += s
			}
		}
		_ = min(total, 100)
	}
}

const benchAggregateRules = `
version: "bench"
fields:
  email: string
event_fields:
  url: string
  campaign: string
scores:
  engagement:
    rules:
      - {id: pricing-3x-7d, when: 'count(events, .type == "page_view" && .url contains "/pricing" && .time > at - duration("7d")) >= 3', points: 10}
      - {id: inactive-30d, when: 'none(events, .time > at - duration("30d"))', points: -10}
      - {id: clicks-30d, when: true, points: 'count(events, .type == "email_click" && .time > at - duration("30d"))'}
      - {id: ebook-ever, when: 'any(events, .type == "form_submit" && .campaign startsWith "ebook")', points: 8}
      - {id: recent-click, when: 'days_since(at - duration("1d")) < 2 && count(events, .type == "page_view") > 5', points: 3}
`

// BenchmarkScoreAggregates: the lead of BenchmarkScoreEngagement (20
// events) under 5 rules that aggregate over its events (frequency in a
// window, inactivity, a count as points, an any, days_since).
func BenchmarkScoreAggregates(b *testing.B) {
	rs := mustRules(b, benchAggregateRules, Strict(false))
	lead := benchEvents()
	ctx := context.Background()
	res, err := rs.Score(ctx, lead, at)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Scores[0].Contributions()) == 0 {
		b.Fatal("no aggregate rule fired: the benchmark measures nothing")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Score(ctx, lead, at); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuPerOp starts counting the process's CPU time; the returned function,
// called after the benchmark loop, reports it per iteration as cpu-ns/op.
// Run with -cpu 1, the garbage collector shares the one P, so the metric
// includes the GC work the benchmark causes but not the time it spent
// waiting for a core on a loaded machine.
func cpuPerOp(b *testing.B) func() {
	t0 := cpuNanos()
	return func() {
		if t0 == 0 || b.N == 0 {
			return
		}
		b.ReportMetric(float64(cpuNanos()-t0)/float64(b.N), "cpu-ns/op")
	}
}
