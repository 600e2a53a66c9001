package scoring

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The hostile-rules suite: rules files and leads an attacker who controls
// only them would write. Each case either fails at load with a positioned
// *Error, or loads and scores its worst-case lead within hostileTime and
// hostileBytes on one core. The guarantee it checks is the package doc's:
// for any rules file and any lead, Load and Score return within a bounded
// time and memory, or return an error with a position.

const (
	hostileTime  = 5 * time.Second
	hostileBytes = 500 << 20
)

func hostileHead(extra string) string {
	return "version: \"1\"\nfields: {email: string, name: string, size: int, x: float, tags: list}\n" +
		"event_types: [view]\nevent_fields: {url: string, n: int}\n" + extra + "scores:\n  s:\n    rules:\n"
}

// oneRule is a rules file with one rule whose condition and points are
// given, quoted for YAML.
func oneRule(when, points string) string {
	return hostileHead("") + fmt.Sprintf("      - id: r\n        when: %s\n        points: %s\n", yamlQuote(when), yamlQuote(points))
}

func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// worstLead is the largest lead the default limits accept: every string at
// MaxStringBytes, the list at MaxListItems, MaxEvents events.
func worstLead() map[string]any {
	str := func(c string) string { return strings.Repeat(c, DefaultMaxStringBytes-1) + "z" }
	tags := make([]any, DefaultMaxLeadListItems)
	for i := range tags {
		tags[i] = strings.Repeat("t", DefaultMaxStringBytes-8) + fmt.Sprintf("%08d", i)
	}
	evs := make([]any, DefaultMaxEvents)
	for i := range evs {
		evs[i] = map[string]any{"type": "view", "time": "2026-11-01T00:00:00Z", "url": str("u"), "n": i}
	}
	return map[string]any{"email": str("e"), "name": str("a"), "size": 1 << 40, "x": 1e300, "tags": tags, "events": evs}
}

func bigList(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("item-%05d", i)
	}
	return "lists:\n  big: [" + strings.Join(items, ", ") + "]\n"
}

// manyRules repeats a rule n times with ids r0..r(n-1); %d in rule is the
// rule's number.
func manyRules(extra, rule string, n int) string {
	var b strings.Builder
	b.WriteString(hostileHead(extra))
	for i := range n {
		r := rule
		if strings.Contains(r, "%d") {
			r = fmt.Sprintf(r, i)
		}
		fmt.Fprintf(&b, "      - {id: r%d, %s}\n", i, r)
	}
	return b.String()
}

type hostileCase struct {
	name    string
	src     func() string
	loadErr string // a substring of the load error; "" when the file must load
	// scoreErr is a substring of the error scoring the worst lead gives;
	// "" when it must score.
	scoreErr string
	lead     func() map[string]any // nil: worstLead
}

func hostileCases() []hostileCase {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "true" + strings.Repeat(close, n)
	}
	doubling := func(n int) string {
		var b strings.Builder
		b.WriteString("let v0 = email + email; ")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "let v%d = v%d + v%d; ", i, i-1, i-1)
		}
		fmt.Fprintf(&b, "len(v%d) > 0", n-1)
		return b.String()
	}
	return []hostileCase{
		// Nesting and size, before expr's recursive parser sees the text.
		{name: "parens 300k deep in 600 KB", src: func() string { return oneRule(deep("(", ")", 300000), "1") }, loadErr: "MaxExprBytes"},
		{name: "parens 2000 deep", src: func() string { return oneRule(deep("(", ")", 2000), "1") }, loadErr: "deeper than 32"},
		{name: "brackets 1000 deep", src: func() string { return oneRule("len("+deep("[", "]", 1000)+") > 0", "1") }, loadErr: "deeper than 32"},
		{name: "unary not 4000 deep", src: func() string { return oneRule(strings.Repeat("!", 4000)+"true", "1") }, loadErr: "deeper than 32"},
		{name: "unary minus 3000 deep", src: func() string { return oneRule("true", strings.Repeat("- ", 1500)+"1") }, loadErr: "deeper than 32"},
		{name: "word not 800 deep", src: func() string { return oneRule(strings.Repeat("not ", 800)+"true", "1") }, loadErr: "deeper than 32"},
		{name: "2000 tokens", src: func() string { return oneRule("size > "+strings.Repeat("1+", 1000)+"1", "1") }, loadErr: "MaxTokens"},
		{name: "YAML flow nesting 300k deep", src: func() string {
			return hostileHead("") + "      - {id: r, when: true, points: 1, x: " + strings.Repeat("[", 300000) + strings.Repeat("]", 300000) + "}\n"
		}, loadErr: ":"},
		{name: "YAML alias bomb", src: func() string {
			var b strings.Builder
			b.WriteString("version: \"1\"\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
			for i := 1; i < 12; i++ {
				fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
			}
			return b.String()
		}, loadErr: ":"},
		{name: "3000 fields", src: func() string {
			var b strings.Builder
			b.WriteString("version: \"1\"\nfields:\n")
			for i := range 3000 {
				fmt.Fprintf(&b, "  f%d: int\n", i)
			}
			return b.String()
		}, loadErr: "MaxFields"},
		{name: "2001 rules", src: func() string { return manyRules("", "when: 'size > %d', points: 1", 2001) }, loadErr: "2000"},
		{name: "1 MB of rules, each with errors", src: func() string {
			long := strings.Repeat("compnay_size > 1 && ", 20) + "emial == \"x\""
			return manyRules("", "when: '"+long+" && size > %d', points: 1", 1900)
		}, loadErr: "unknown field compnay_size"},
		{name: "one 1 MB line with an error", src: func() string {
			return hostileHead("") + "      - {id: r, when: 'nope == 1', points: 1, description: '" + strings.Repeat("x", 1<<20-300) + "'}\n"
		}, loadErr: "unknown field nope"},

		// Builtins that grow memory.
		{name: "repeat", src: func() string { return oneRule(`len(repeat("ab", 1000000000)) > 0`, "1") }, loadErr: "repeat() is not available"},
		{name: "repeat nested", src: func() string { return oneRule(`len(repeat(repeat("ab", 100000), 100000)) > 0`, "1") }, loadErr: "repeat() is not available"},
		{name: "reduce accumulating", src: func() string { return oneRule(`len(reduce(tags, #acc + #acc, "x")) > 0`, "1") }, loadErr: "reduce() is not available"},
		{name: "let doubling 30 times", src: func() string { return oneRule(doubling(30), "1") }, loadErr: "MaxCost"},
		{name: "let doubling 10 times loads", src: func() string { return oneRule(doubling(10), "1") }},
		{name: "replace inside replace", src: func() string { return oneRule(`len(replace(replace(email, "", email), "", email)) > 0`, "1") }, loadErr: "MaxCost"},
		{name: "join of split", src: func() string { return oneRule(`len(join(split(email, ""), name)) > 0`, "1") }},
		{name: "join of split of join", src: func() string {
			return oneRule(`len(join(split(join(split(email, ""), name), ""), name)) > 0`, "1")
		}, loadErr: "MaxCost"},
		{name: "map of ranges", src: func() string { return oneRule(`len(map(1..100000, map(1..100000, #))) > 0`, "1") }, loadErr: "MaxCost"},
		{name: "range from a field", src: func() string { return oneRule(`len(1..size) > 0`, "1") }, loadErr: "integer literals"},
		{name: "range of 10^12", src: func() string { return oneRule(`len(1..1000000000000) > 0`, "1") }, loadErr: "MaxCost"},
		{name: "upper of concatenations", src: func() string { return oneRule(`len(upper(email + name + email + name)) > 0`, "1") }},
		{name: "string of a list of lists", src: func() string { return oneRule(`len(string(map(tags, split(#, "")))) > 0`, "1") }, loadErr: "Max"},

		// Loops over the largest lists and events.
		{name: "3 nested loops over a 3000 list", src: func() string {
			return hostileHead(bigList(3000)) + "      - id: r\n        when: 'any(lists.big, all(lists.big, any(lists.big, # == \"x\")))'\n        points: 1\n"
		}, loadErr: "nested"},
		{name: "2 nested loops over the lead's list", src: func() string { return oneRule(`any(tags, any(tags, # == "x"))`, "1") }, loadErr: "MaxCost"},
		{name: "filter map over the lead's list", src: func() string { return oneRule(`len(filter(map(tags, lower(#)), # contains "x")) > 1`, "1") }},
		{name: "per-event loop over a list, at the limit", src: func() string {
			return manyRules(bigList(1000), "on: view, when: 'any(lists.big, event.url == #)', points: 1", 1)
		}, loadErr: "MaxCost"},
		{name: "per-event contains, 120 rules", src: func() string {
			return manyRules("", "on: view, when: 'event.url contains \"/p%d\"', points: 1", 120)
		}},
		{name: "matches with a field as pattern, 700 rules", src: func() string {
			return manyRules("", "when: 'email matches name || size == %d', points: 1", 700)
		}},
		{name: "map to lists, 300 rules", src: func() string {
			return manyRules("", "when: 'len(map(tags, [#, #, #])) > %d', points: 1", 300)
		}},
		{name: "sort the lead's list", src: func() string { return oneRule(`len(sort(tags)) > 0`, "1") }},
		{name: "sort a sorted map of the lead's list", src: func() string { return oneRule(`len(sort(map(sort(tags), upper(# + #)))) > 0`, "1") }},

		// Numbers and durations.
		{name: "integer literal out of range", src: func() string { return oneRule("size > 99999999999999999999", "1") }, loadErr: "out of range"},
		{name: "float literal out of range", src: func() string { return oneRule("x > 1e999", "1") }, loadErr: "out of range"},
		{name: "points literal 1e999", src: func() string { return hostileHead("") + "      - {id: r, when: 'true', points: 1e999}\n" }, loadErr: "out of range"},
		{name: "points literal .inf", src: func() string { return hostileHead("") + "      - {id: r, when: 'true', points: .inf}\n" }, loadErr: "finite"},
		{name: "int overflow in points", src: func() string { return oneRule("true", "9223372036854775807 + 1") }, scoreErr: "integer overflow"},
		{name: "int overflow on a field", src: func() string { return oneRule("true", "size * size * size") }, scoreErr: "integer overflow"},
		{name: "negation of MinInt64", src: func() string { return oneRule("true", "-(-9223372036854775807 - 1)") }, scoreErr: "integer overflow"},
		{name: "int overflow on the VM", src: func() string { return oneRule(`any(tags, # == "a") || size * size > 0`, "1") }, scoreErr: "integer overflow"},
		{name: "int() of a huge float", src: func() string { return oneRule("int(x) > 0", "1") }, scoreErr: "integer overflow"},
		{name: "abs of MinInt64", src: func() string { return oneRule("abs(-9223372036854775807 - 1) > 0", "1") }, scoreErr: "integer overflow"},
		{name: "duration overflow", src: func() string { return oneRule(`duration("10000w") * 100000 > duration("1d")`, "1") }, scoreErr: "integer overflow"},
		{name: "points +Inf from a field", src: func() string { return oneRule("true", "x * 1e300") }, scoreErr: "finite"},
		{name: "two finite points overflow the total", src: func() string {
			return manyRules("", "when: 'true', points: 'x * 1.7e8'", 2)
		}, scoreErr: "overflows"},
		{name: "per-event points overflow", src: func() string {
			return manyRules("", "on: view, points: 'x * 1e7'", 1)
		}, scoreErr: "overflow"},
		{name: "half_life rounding to zero", src: func() string {
			return hostileHead("") + "      - {id: r, on: view, points: 1, half_life: 0.0000000001s}\n"
		}, loadErr: "duration"},
		{name: "within overflowing", src: func() string {
			return hostileHead("") + "      - {id: r, on: view, points: 1, within: 99999999999w}\n"
		}, loadErr: "duration"},
		{name: "duration() of zero", src: func() string { return oneRule(`at - duration("0s") > at`, "1") }, loadErr: "duration"},
		{name: "duration() overflowing", src: func() string { return oneRule(`at - duration("99999999999w") > at`, "1") }, loadErr: "duration"},

		// Lead data over the limits.
		{name: "lead string over MaxStringBytes", src: func() string { return oneRule("true", "1") },
			lead: func() map[string]any { return map[string]any{"email": strings.Repeat("e", 1<<20)} }, scoreErr: "MaxStringBytes"},
		{name: "lead list over MaxListItems", src: func() string { return oneRule("true", "1") },
			lead: func() map[string]any {
				tags := make([]any, DefaultMaxLeadListItems+1)
				for i := range tags {
					tags[i] = "t"
				}
				return map[string]any{"tags": tags}
			}, scoreErr: "MaxLeadListItems"},
		{name: "lead events over MaxEvents", src: func() string { return oneRule("true", "1") },
			lead: func() map[string]any { return map[string]any{"events": make([]any, 20000)} }, scoreErr: "MaxEvents"},
	}
}

func TestHostileRules(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile-rules suite takes a few seconds")
	}
	prev := runtime.GOMAXPROCS(1) // the bound is stated for one core
	defer runtime.GOMAXPROCS(prev)
	limit := hostileTime
	if raceEnabled {
		limit *= 10 // the race detector slows evaluation about tenfold
	}
	var worst map[string]any
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			src := c.src()
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			rs, err := Parse("hostile.yaml", []byte(src))
			loadTime := time.Since(start)
			if c.loadErr != "" {
				if err == nil {
					t.Fatalf("loaded; want an error containing %q (cost %.3g)", c.loadErr, rs.Cost())
				}
				var e *Error
				if !errors.As(err, &e) || e.File != "hostile.yaml" || (e.Line == 0 && !errors.Is(err, ErrSyntax) && e.Code != CodeLimit) {
					t.Fatalf("error without a position: %v", err)
				}
				if !strings.Contains(err.Error(), c.loadErr) {
					t.Fatalf("error %q does not contain %q", truncate(err.Error(), 400), c.loadErr)
				}
				var list Errors
				if errors.As(err, &list) {
					for _, e := range list {
						if len(e.Error()) > 4096 || len(e.Caret()) > 4096 {
							t.Errorf("an error message is %d bytes (caret %d): the report of a hostile file must stay readable", len(e.Error()), len(e.Caret()))
							break
						}
					}
				}
			} else if err != nil {
				t.Fatalf("load: %v", truncate(err.Error(), 400))
			}
			if loadTime > limit {
				t.Errorf("load took %v, more than %v", loadTime, limit)
			}
			if rs != nil {
				var lead map[string]any
				if c.lead != nil {
					lead = c.lead()
				} else {
					if worst == nil {
						worst = worstLead()
					}
					lead = worst
				}
				start = time.Now()
				_, err = rs.Score(context.Background(), lead, at)
				scoreTime := time.Since(start)
				if c.scoreErr != "" {
					if err == nil || !strings.Contains(err.Error(), c.scoreErr) {
						t.Fatalf("Score: %v; want an error containing %q", err, c.scoreErr)
					}
					var e *Error
					if !errors.As(err, &e) || (e.Kind != "rule" && e.Kind != "lead field") {
						t.Fatalf("Score error does not name its rule or field: %v", err)
					}
				} else if err != nil {
					t.Fatalf("Score: %v", err)
				}
				if scoreTime > limit {
					t.Errorf("Score took %v, more than %v (static cost %.3g)", scoreTime, limit, rs.Cost())
				}
				t.Logf("load %v, score %v, static cost %.3g", loadTime, scoreTime, rs.Cost())
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			// TotalAlloc bounds the peak from above (the worst lead, built
			// once outside, is not counted).
			if got := after.TotalAlloc - before.TotalAlloc; got > hostileBytes {
				t.Errorf("allocated %d MB, more than %d MB", got>>20, hostileBytes>>20)
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestCancelLongEvaluation: a deadline stops an evaluation that would take
// far longer, within 50 ms — the context is watched inside the loops over
// events, not only between rules.
func TestCancelLongEvaluation(t *testing.T) {
	rs := mustRules(t, manyRules("", "on: view, when: 'len(map(split(event.url, \"\"), # + \"x\")) > %d', points: 1", 1), MaxCost(1e10))
	lead := worstLead()
	// Uncancelled, the evaluation takes much longer than the deadline.
	if rs.Cost() < 1e8 {
		t.Fatalf("static cost %.3g: the rule is too cheap to test cancellation", rs.Cost())
	}
	for _, deadline := range []time.Duration{time.Millisecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		_, err := rs.Score(ctx, lead, at)
		late := time.Since(start) - deadline
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("deadline %v: err = %v, want context.DeadlineExceeded", deadline, err)
		}
		max := 50 * time.Millisecond
		if raceEnabled {
			max *= 10
		}
		if late > max {
			t.Errorf("deadline %v: Score returned %v after it", deadline, late)
		}
	}
	// And an explicit cancel from another goroutine.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan time.Time, 1)
	go func() {
		_, _ = rs.Score(ctx, lead, at)
		done <- time.Now()
	}()
	time.Sleep(30 * time.Millisecond)
	cancelled := time.Now()
	cancel()
	select {
	case end := <-done:
		if d := end.Sub(cancelled); d > 500*time.Millisecond {
			t.Errorf("Score returned %v after cancel", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Score did not return after cancel")
	}
}

// TestLimitsOptions: each limit is settable and a non-positive one is an
// error, not a silent default.
func TestLimitsOptions(t *testing.T) {
	src := oneRule("len(email) > 3", "1")
	rs := mustRules(t, src)
	if got := rs.Limits(); got != DefaultLimits() {
		t.Fatalf("Limits() = %+v, want the defaults", got)
	}
	l := DefaultLimits()
	l.ExprBytes = 5
	if _, err := Parse("r.yaml", []byte(src), WithLimits(l)); err == nil || !strings.Contains(err.Error(), "MaxExprBytes") {
		t.Fatalf("ExprBytes 5: %v", err)
	}
	if _, err := Parse("r.yaml", []byte(src), MaxCost(0)); err == nil || !strings.Contains(err.Error(), "Cost must be at least 1") {
		t.Fatalf("MaxCost(0): %v", err)
	}
	if _, err := Parse("r.yaml", []byte(src), MaxTokens(3)); err == nil || !strings.Contains(err.Error(), "MaxTokens") {
		t.Fatalf("MaxTokens(3): %v", err)
	}
	rs = mustRules(t, src, MaxStringBytes(4))
	if _, err := rs.Score(context.Background(), map[string]any{"email": "abcde"}, at); !errors.Is(err, ErrLimit) || !errors.Is(err, ErrLead) {
		t.Fatalf("MaxStringBytes(4) on 5 bytes: %v", err)
	}
}

// Even an embedder's own limits cannot let a rules file overflow the
// parser's stack: Depth is capped.
func TestDepthLimitCapped(t *testing.T) {
	src := oneRule(deepParens(5000), "1")
	_, err := Parse("r.yaml", []byte(src), MaxDepth(1_000_000), MaxExprBytes(1<<20), MaxTokens(1<<20))
	if err == nil || !strings.Contains(err.Error(), "most the parser's recursion can take") {
		t.Fatalf("Depth 1e6: %v", err)
	}
	// At the cap, a 1000-deep expression is parsed, not crashed on.
	_, err = Parse("r.yaml", []byte(oneRule(deepParens(990), "1")), MaxDepth(MaxDepthLimit), MaxExprBytes(1<<20), MaxTokens(1<<20), MaxNodes(1<<20))
	if err != nil && errors.Is(err, ErrInternal) {
		t.Fatalf("at the cap: %v", err)
	}
}

func deepParens(n int) string { return strings.Repeat("(", n) + "true" + strings.Repeat(")", n) }
