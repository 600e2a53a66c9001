package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// shapesRules exercises every expression shape the fast path compiles, and
// a few it hands to expr's VM, so that the differential test covers both.
const shapesRules = `
version: "shapes"
fields:
  s: string
  t: string
  n: int
  m: int
  f: float
  b: bool
  c: bool
  when_at: time
  tags: list
event_fields:
  url: string
  n: int
lists:
  l: [a, b, c, "A"]
scores:
  x:
    rules:
      - {id: eq-int, when: n == m, points: 1}
      - {id: eq-mixed, when: n == f, points: 1}
      - {id: ne, when: s != t, points: 1}
      - {id: lt-int, when: n < m, points: 1}
      - {id: le-mixed, when: n <= f, points: 1}
      - {id: gt-float, when: f > 2.5, points: 1}
      - {id: ge-str, when: s >= t, points: 1}
      - {id: lt-str, when: s < "b", points: 1}
      - {id: time-cmp, when: when_at < at, points: 1}
      - {id: time-eq, when: when_at == at, points: 1}
      - {id: and-or, when: '(b && !c) || (n > 3 and not b) or c', points: 1}
      - {id: in-list, when: s in lists.l, points: 1}
      - {id: in-tags, when: s in tags, points: 1}
      - {id: in-lit, when: 's in ["a", "z"]', points: 1}
      - {id: not-in, when: 't not in ["a", "b"]', points: 1}
      - {id: in-num, when: 'n in [1, 2.0, 5]', points: 1}
      - {id: contains, when: s contains t, points: 1}
      - {id: starts, when: s startsWith "a", points: 1}
      - {id: ends, when: s endsWith t, points: 1}
      - {id: matches, when: 's matches "^[ab]+$"', points: 1}
      - {id: lower, when: lower(s) == "ab", points: 1}
      - {id: upper, when: upper(t) in lists.l, points: 1}
      - {id: trim, when: trim(s) == "a", points: 1}
      - {id: len, when: len(s) + len(tags) > 3, points: 1}
      - {id: arith-int, when: n * m - 2 > n + 1, points: n * m - 2}
      - {id: arith-mixed, when: true, points: n + f * 2 - m}
      - {id: div, when: m != 0, points: n / m}
      - {id: mod, when: m != 0 && n % m == 1, points: 3}
      - {id: neg, when: -n < -2, points: -f}
      - {id: cond, when: true, points: 'b ? n : m'}
      - {id: cond-f, when: true, points: 'c ? f : 0.5'}
      - {id: concat, when: s + t == "ab", points: 1}
      - {id: vm-filter, when: 'len(filter(tags, # startsWith "a")) > 0', points: 1}
      - {id: vm-any, when: 'any(tags, {# == s})', points: 1}
      - {id: dur-1, when: 'when_at > at - duration("48h")', points: 1}
      - {id: dur-2, when: 'at - when_at < duration("72h")', points: 1}
      - {id: dur-3, when: 'when_at + duration("24h") >= at', points: 1}
      - {id: dur-4, when: 'duration("1h") + when_at == at - duration("23h") + duration("1h") - duration("23h") + duration("23h")', points: 1}
      - {id: dur-5, when: 'at - when_at >= duration("1s") && at - when_at <= duration("49h") + duration("23h")', points: 1}
      - {id: vm-date, when: 'when_at > date("2026-11-20")', points: 1}
      - {id: vm-abs, when: 'abs(n) > 2', points: 'max(n, m)'}
  y:
    rules:
      - {id: ev-url, on: view, when: event.url contains s, points: 2, half_life: 3d}
      - {id: ev-n, on: view, when: event.n > n, points: event.n, within: 5d}
      - {id: ev-vm, on: view, when: 'event.url in filter(tags, true)', points: 1}
  z:
    rules:
      - {id: agg-count, when: 'count(events, .type == "view" && .time > at - duration("3d")) >= 2', points: 1}
      - {id: agg-any, when: 'any(events, .url == s)', points: 1}
      - {id: agg-all, when: 'all(events, .n >= 0)', points: 1}
      - {id: agg-none, when: 'none(events, .type == "click" && .time > at - duration("5d"))', points: 1}
      - {id: agg-one, when: 'one(events, .url contains "a")', points: 1}
      - {id: agg-sum, when: true, points: 'sum(events, .n)'}
      - {id: agg-sumf, when: true, points: 'sum(filter(events, .type == "view"), .n * 0.5)'}
      - {id: agg-len, when: 'len(events) > 2', points: 1}
      - {id: agg-since, when: 'days_since(last(filter(events, .type == "click"))?.time) > 2', points: 1}
      - {id: agg-since-fast, when: 'days_since(when_at) < 1.5', points: 1}
      - {id: agg-fired, when: 'fired("ev-url") || fired("in-tags")', points: 2}
      - {id: agg-vm, when: 'len(events) > 0 && max(map(events, .n)) > 2', points: 1}
      - {id: agg-score, when: 'scores.x > 3', points: 'scores.y'}
  w:
    sum: [x, z]
    max: 20
grades:
  - {grade: A, when: scores.x > 10 && scores.y > 0}
  - {grade: B, when: scores.x > 5}
  - {grade: C}
stages:
  - id: one
  - id: two
    when: grade in ["A", "B"] || scores.y >= 2
  - id: three
    when: stage == "two" && b
`

func randLead(r *rand.Rand) map[string]any {
	strs := []string{"", "a", "b", "ab", "ba", " a ", "A", "abc", "z"}
	pick := func() string { return strs[r.IntN(len(strs))] }
	var tags []any
	for i := r.IntN(4); i > 0; i-- {
		tags = append(tags, pick())
	}
	var events []any
	for i := r.IntN(5); i > 0; i-- {
		events = append(events, map[string]any{
			"type": []string{"view", "view", "click"}[r.IntN(3)],
			// Some events are after the evaluation time: aggregates must
			// not see them.
			"time": at.Add(-time.Duration(r.IntN(10*24)-12) * time.Hour).Format(time.RFC3339),
			"url":  pick(),
			"n":    float64(r.IntN(7) - 2),
		})
	}
	return map[string]any{
		"s": pick(), "t": pick(),
		"n": float64(r.IntN(9) - 3), "m": float64(r.IntN(5) - 1),
		"f": float64(r.IntN(12)-4) / 2,
		"b": r.IntN(2) == 0, "c": r.IntN(3) == 0,
		"when_at": at.Add(time.Duration(r.IntN(5)-3) * 24 * time.Hour).Format(time.RFC3339),
		"tags":    tags,
		"events":  events,
		"stage":   []string{"one", "two", "three"}[r.IntN(3)],
	}
}

// TestFastPathMatchesExpr is the differential test: every rule set is
// compiled twice, with the fast path and with expr's VM alone, and random
// leads must give byte-identical results (or the same error).
func TestFastPathMatchesExpr(t *testing.T) {
	quick, err := os.ReadFile("../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"shapes": shapesRules, "test": testRules, "quickstart": string(quick)} {
		t.Run(name, func(t *testing.T) {
			// The shapes include a per-event scan of a lead's list, whose
			// worst case at the default limits (10000 events × 10000
			// items) is over MaxCost: the test's leads are small.
			fast := mustRules(t, src, MaxEvents(100))
			slow := mustRules(t, src, WithFastPath(false), MaxEvents(100))
			if name == "shapes" {
				// Guard the test itself: the shapes must really take both paths.
				nFast, nVM := fast.pathCounts()
				// The aggregates, days_since and fired of model z are
				// compiled natively, except agg-since (last/filter/?.) and
				// agg-vm (max/map), which are the VM's.
				for _, r := range fast.models[fast.modelIdx["z"]].rules {
					wantFast := r.id != "agg-since" && r.id != "agg-vm"
					if got := r.when.fast.k != KindInvalid; got != wantFast {
						t.Errorf("rule %s: fast path %v, want %v", r.id, got, wantFast)
					}
				}
				if nFast < 30 || nVM < 5 {
					t.Fatalf("fast path compiled %d expressions, VM %d: the test no longer covers both", nFast, nVM)
				}
			}
			r := rand.New(rand.NewPCG(1, 2))
			n := 3000
			if testing.Short() {
				n = 300
			}
			for i := 0; i < n; i++ {
				lead := randLead(r)
				if name != "shapes" {
					lead = quickLead(r)
				}
				a, errA := fast.Score(context.Background(), lead, at)
				b, errB := slow.Score(context.Background(), lead, at)
				if fmt.Sprint(errA) != fmt.Sprint(errB) {
					t.Fatalf("lead %v:\nfast err: %v\nexpr err: %v", lead, errA, errB)
				}
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if string(ja) != string(jb) {
					t.Fatalf("lead %v:\nfast: %s\nexpr: %s", lead, ja, jb)
				}
			}
		})
	}
}

func quickLead(r *rand.Rand) map[string]any {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	types := []string{"page_view", "email_click", "webinar_attended", "demo_request", "trial_signup", "form_submit"}
	var events []any
	for i := r.IntN(8); i > 0; i-- {
		events = append(events, map[string]any{
			"type": types[r.IntN(len(types))], "time": at.Add(-time.Duration(r.IntN(100*24)) * time.Hour).Format(time.RFC3339),
			"url": pick("/pricing", "/blog", "/"), "campaign": pick("ebook-q3", "webinar", "")})
	}
	return map[string]any{
		"id": fmt.Sprint(r.IntN(1000)), "email": "x@y.z", "domain": pick("acme.com", "gmail.com", "rivalrev.io", "bank.de"),
		"company_size": float64(r.IntN(3000)), "annual_revenue": float64(r.IntN(300)) * 1e6,
		"industry": pick("fintech", "retail", "saas", "unknown"), "country": pick("US", "BR", "DE"),
		"job_title": pick("VP Marketing", "Student", "Intern", "CFO"), "seniority": pick("vp", "manager", "individual", "c_level"),
		"department": pick("marketing", "finance", "sales"), "tech_stack": []any{pick("hubspot", "react"), pick("snowflake", "")},
		"accepted_by_sales": r.IntN(2) == 0, "meeting_booked": r.IntN(2) == 0, "budget_confirmed": r.IntN(2) == 0,
		"unsubscribed": r.IntN(5) == 0, "stage": pick("lead", "mql", "sal", "sql"), "events": events,
	}
}

// pathCounts counts expressions compiled to the fast path and left to the VM.
func (rs *RuleSet) pathCounts() (fast, vm int) {
	count := func(e *expression) {
		if e == nil {
			return
		}
		if e.fast.k != KindInvalid {
			fast++
		} else {
			vm++
		}
	}
	for _, m := range rs.models {
		for _, r := range m.rules {
			count(r.when)
			count(r.pointsExpr)
		}
	}
	for _, g := range rs.grades {
		count(g.when)
	}
	for _, s := range rs.stages {
		count(s.when)
	}
	for _, r := range append(append([]stageRule(nil), rs.disqualify...), rs.recycle...) {
		count(r.when)
	}
	for _, sg := range rs.segments {
		count(sg.when)
	}
	for _, r := range rs.routing.routes {
		count(r.when)
	}
	return fast, vm
}

func TestQuickstartFastPathCoverage(t *testing.T) {
	rs, err := LoadFile("../examples/quickstart/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fast, vm := rs.pathCounts()
	// Only modern-stack's points use filter(), which the VM runs. Fast:
	// 12 fit conditions + revenue-band's points + 5 engagement conditions
	// (pricing-frequency and inactive-30d are event aggregates) + 4 grades
	// + 4 stages (mql's fast track on fired()) + 2 disqualify + 1 recycle
	// + 3 segments + 3 routes with a condition = 35.
	if vm != 1 || fast != 35 {
		t.Errorf("quickstart: %d expressions on the fast path, %d on the VM; want all but one fast", fast, vm)
	}
}
