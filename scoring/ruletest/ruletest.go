// Package ruletest runs unit tests of scoring rules written in YAML beside
// the rules, the way `promtool test rules` tests alerting rules.
//
// A test file names the rules file (or files) it tests and lists cases: a
// lead (its fields and events), the evaluation time, and what must come out:
//
//	rules: rules.yaml                  # relative to the test file; or a list
//	at: 2026-11-23T09:00:00Z           # default evaluation time of the cases
//	tests:
//	  - name: enterprise banker with a demo request is an MQL
//	    lead:
//	      id: L-1
//	      email: maria@bank.com
//	      company_size: 4200
//	      industry: banking
//	      events:
//	        - {type: demo_request, time: 2026-11-21T09:00:00Z}
//	    expect:
//	      scores:
//	        fit: 96                    # exact (to 1e-9)
//	        engagement: {min: 35, max: 45}
//	      grade: A
//	      stage: mql
//	      stage_rule: mql
//	      fired: [enterprise-size]     # rules that must fire
//	      not_fired: [free-mail]       # rules that must not
//	      segments: [enterprise-fintech]   # exactly these, in any order
//	      route: {id: enterprise, owner: ana}
//	      sla_breached: false
//	  - name: a lead without an email is rejected
//	    lead: {company_size: 10}
//	    expect:
//	      error: "field email"         # the lead must be rejected with this in the message
//
// Every key of expect is optional; a case checks only what it names. Run
// tests with `revengine test FILE...` or from a Go test with Run.
package ruletest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/yamlx"
	"github.com/revengine/revengine/scoring"
)

// Suite is a loaded test file.
type Suite struct {
	File  string
	Rules []*scoring.RuleSet
	Cases []Case
}

// Case is one test case.
type Case struct {
	Name string
	Line int // line of the case in the test file
	At   time.Time
	Lead map[string]any
	// Account, when set, makes the case an account case: the account's
	// fields, id, stage and "leads", scored with RuleSet.ScoreAccount; the
	// expectations apply to the account's result.
	Account map[string]any
	Expect  Expect
	// Unavailable owners for routing in this case.
	Unavailable []string
}

// Expect is what a case requires. Nil and empty fields are not checked.
type Expect struct {
	Scores      map[string]Range
	Grade       *string
	Stage       *string
	StageRule   *string
	Fired       []string
	NotFired    []string
	Segments    []string
	HasSegments bool // segments was given (an empty list means none)
	Route       *scoring.Route
	SLABreached *bool
	Error       *string
	// For account cases: each group's completeness, missing roles and
	// weighted engagement, and each roll-up's value.
	Groups  map[string]GroupExpect
	Rollups map[string]float64
}

// GroupExpect is what an account case expects of a buying group; nil
// fields are not checked.
type GroupExpect struct {
	Completeness *float64
	Missing      []string
	HasMissing   bool
	Engagement   *float64
}

// Range is an expected score: Min == Max for an exact value.
type Range struct {
	Min, Max float64
}

// MaxFileBytes bounds a test file.
const MaxFileBytes = 8 << 20

// Error is one problem in a test file, with its position: the module's one
// error type (the same as scoring.Error). Errors is the list Parse and
// LoadFile return; errors.As finds either.
type (
	Error  = diag.Error
	Errors = diag.List
)

// ErrTestFile is matched by every problem in a test file (errors.Is).
var ErrTestFile = errors.New("ruletest: invalid test file")

// ErrInternal reports a bug in revengine, returned instead of a panic; the
// module-wide sentinel.
var ErrInternal = diag.ErrInternal

// LoadFile reads a test file and the rules files it names. Every problem in
// the test file and in the rules files is reported at once as Errors, with
// positions ("rules_test.yaml:12:7: test "big": ...").
func LoadFile(path string, opts ...scoring.Option) (*Suite, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ruletest: reading %s: %w", path, err)
	}
	if len(src) > MaxFileBytes {
		return nil, Errors{{File: path, Code: diag.CodeLimit, Err: ErrTestFile, Msg: fmt.Sprintf("test file is larger than %d bytes", MaxFileBytes)}}
	}
	return Parse(path, src, opts...)
}

type rawSuite struct {
	Rules yaml.Node `yaml:"rules"`
	At    string    `yaml:"at"`
	Tests []rawCase `yaml:"tests"`
}

type rawCase struct {
	Name        string         `yaml:"name"`
	At          string         `yaml:"at"`
	Lead        map[string]any `yaml:"lead"`
	Account     map[string]any `yaml:"account"`
	Expect      rawExpect      `yaml:"expect"`
	Unavailable []string       `yaml:"unavailable"`
}

type rawExpect struct {
	Scores      map[string]yaml.Node `yaml:"scores"`
	Grade       *string              `yaml:"grade"`
	Stage       *string              `yaml:"stage"`
	StageRule   *string              `yaml:"stage_rule"`
	Fired       []string             `yaml:"fired"`
	NotFired    []string             `yaml:"not_fired"`
	Segments    *[]string            `yaml:"segments"`
	Route       *scoring.Route       `yaml:"route"`
	SLABreached *bool                `yaml:"sla_breached"`
	Error       *string              `yaml:"error"`
	Groups      map[string]rawGroup  `yaml:"groups"`
	Rollups     map[string]float64   `yaml:"rollups"`
}

type rawGroup struct {
	Completeness *float64 `yaml:"completeness"`
	Missing      []string `yaml:"missing"`
	Engagement   *float64 `yaml:"engagement"`
}

var (
	suiteKeys  = []string{"rules", "at", "tests"}
	caseKeys   = []string{"name", "at", "lead", "account", "expect", "unavailable"}
	expectKeys = []string{"scores", "grade", "stage", "stage_rule", "fired", "not_fired", "segments", "route", "sla_breached", "error", "groups", "rollups"}
)

// Parse reads a test file held in memory; rules files are resolved relative
// to the directory of path. See LoadFile.
func Parse(path string, src []byte, opts ...scoring.Option) (s *Suite, err error) {
	defer diag.Recover(&err, "ruletest: parse "+path)
	w := yamlx.New(path, src)
	w.Sentinel = ErrTestFile
	root := w.Parse(src, "test file")
	if root == nil {
		return nil, w.Errs
	}
	none := diag.Subject{}
	dec := func(n *yaml.Node, s diag.Subject, v any) bool {
		if err := n.Decode(v); err != nil {
			msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  ")
			w.Errorf(n, s, diag.CodeInvalid, "%s", msg)
			return false
		}
		return true
	}
	var caseNodes []*yaml.Node
	for _, p := range w.Mapping(root, "test file", none, suiteKeys...) {
		if p.Key.Value == "tests" {
			caseNodes = w.Sequence(p.Val, "tests", none)
		}
	}
	var raw rawSuite
	if len(w.Errs) > 0 || !dec(root, none, &raw) {
		w.Errs.Sort()
		return nil, w.Errs
	}
	s = &Suite{File: path}
	var ruleFiles []string
	switch raw.Rules.Kind {
	case yaml.ScalarNode:
		ruleFiles = []string{raw.Rules.Value}
	case yaml.SequenceNode:
		dec(&raw.Rules, none, &ruleFiles)
	default:
		w.ErrAt(root.Line, root.Column, none, diag.CodeMissing, "missing rules: the rules file(s) under test")
	}
	var ruleErrs Errors
	for _, rf := range ruleFiles {
		if !filepath.IsAbs(rf) {
			rf = filepath.Join(filepath.Dir(path), rf)
		}
		rs, err := scoring.LoadFile(rf, opts...)
		if err != nil {
			var l Errors
			if errors.As(err, &l) {
				ruleErrs = append(ruleErrs, l...)
			} else {
				ruleErrs = append(ruleErrs, &Error{File: rf, Code: diag.CodeInvalid, Err: err, Msg: err.Error()})
			}
			continue
		}
		s.Rules = append(s.Rules, rs)
	}
	parseAt := func(v string, n *yaml.Node, s diag.Subject) time.Time {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			w.Errorf(n, s, diag.CodeInvalid, "at: want an RFC 3339 time such as 2026-11-23T09:00:00Z, got %q", v)
		}
		return t
	}
	var defaultAt time.Time
	if raw.At != "" {
		defaultAt = parseAt(raw.At, valueNode(root, "at"), none)
	}
	for i, rc := range raw.Tests {
		var node *yaml.Node
		if i < len(caseNodes) {
			node = caseNodes[i]
		}
		c := Case{Name: rc.Name, At: defaultAt, Lead: rc.Lead, Account: rc.Account, Unavailable: rc.Unavailable}
		if c.Name == "" {
			c.Name = fmt.Sprintf("case %d", i+1)
		}
		subj := diag.Subject{Kind: "test", ID: c.Name}
		if node != nil {
			c.Line = node.Line
			for _, p := range w.Mapping(node, "test", subj, caseKeys...) {
				if p.Key.Value == "expect" {
					w.Mapping(p.Val, "expect", subj, expectKeys...)
				}
			}
		}
		if rc.At != "" {
			c.At = parseAt(rc.At, valueNode(node, "at"), subj)
		}
		if c.At.IsZero() && rc.At == "" {
			w.Errorf(node, subj, diag.CodeMissing, "no evaluation time (give at: on the case or the file)")
		}
		if c.Lead == nil {
			c.Lead = map[string]any{}
		}
		if rc.Account != nil && rc.Lead != nil {
			w.Errorf(node, subj, diag.CodeInvalid, "a case has a lead or an account, not both")
		}
		e := rc.Expect
		c.Expect = Expect{Grade: e.Grade, Stage: e.Stage, StageRule: e.StageRule, Fired: e.Fired, NotFired: e.NotFired,
			Route: e.Route, SLABreached: e.SLABreached, Error: e.Error, Rollups: e.Rollups}
		if len(e.Groups) > 0 {
			c.Expect.Groups = map[string]GroupExpect{}
			for name, g := range e.Groups {
				c.Expect.Groups[name] = GroupExpect{Completeness: g.Completeness, Missing: g.Missing, HasMissing: g.Missing != nil, Engagement: g.Engagement}
			}
		}
		if (len(e.Groups) > 0 || len(e.Rollups) > 0) && rc.Account == nil {
			w.Errorf(node, subj, diag.CodeInvalid, "groups and rollups are expectations of an account case")
		}
		if e.Segments != nil {
			c.Expect.Segments, c.Expect.HasSegments = *e.Segments, true
		}
		if len(e.Scores) > 0 {
			c.Expect.Scores = map[string]Range{}
			names := make([]string, 0, len(e.Scores))
			for name := range e.Scores {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				n := e.Scores[name]
				r, err := parseRange(&n)
				if err != nil {
					w.Errorf(&n, subj, diag.CodeInvalid, "score %s: %v", name, err)
					continue
				}
				c.Expect.Scores[name] = r
			}
		}
		s.Cases = append(s.Cases, c)
	}
	errs := append(w.Errs, ruleErrs...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return s, nil
}

// valueNode returns the value node of key in mapping n, or n.
func valueNode(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return n
}

func parseRange(n *yaml.Node) (Range, error) {
	var f float64
	if n.Kind == yaml.ScalarNode {
		if err := n.Decode(&f); err != nil {
			return Range{}, fmt.Errorf("want a number or {min, max}, got %q", n.Value)
		}
		return Range{f, f}, nil
	}
	var m struct {
		Min *float64 `yaml:"min"`
		Max *float64 `yaml:"max"`
	}
	if err := n.Decode(&m); err != nil {
		return Range{}, fmt.Errorf("want a number or {min, max}")
	}
	r := Range{Min: math.Inf(-1), Max: math.Inf(1)}
	if m.Min != nil {
		r.Min = *m.Min
	}
	if m.Max != nil {
		r.Max = *m.Max
	}
	if m.Min == nil && m.Max == nil {
		return Range{}, fmt.Errorf("want a number or {min, max}")
	}
	if r.Min > r.Max {
		return Range{}, fmt.Errorf("min %v above max %v", r.Min, r.Max)
	}
	return r, nil
}

// Report is the outcome of running suites.
type Report struct {
	Results        []CaseResult
	Passed, Failed int
	rules          []*scoring.RuleSet // for Coverage
}

// CaseResult is one case run against one rules file.
type CaseResult struct {
	File      string // the test file
	Line      int
	Name      string
	RulesFile string
	Passed    bool
	Failures  []string        // what did not match, "stage: want sql, got mql"
	Lead      map[string]any  // the lead, for the report; pii fields masked
	Result    *scoring.Result // nil when the lead was rejected
	Err       error           // why the lead was rejected
}

// Run runs every case of the suite against every rules file it names.
func (s *Suite) Run(ctx context.Context) *Report {
	rep := &Report{rules: s.Rules}
	for _, rs := range s.Rules {
		for _, c := range s.Cases {
			cr := c.run(ctx, rs)
			cr.File = s.File
			if cr.Passed {
				rep.Passed++
			} else {
				rep.Failed++
			}
			rep.Results = append(rep.Results, cr)
		}
	}
	return rep
}

// tolerance for exact scores: floating-point decay is not exact in decimal.
const tolerance = 1e-9

func (c *Case) run(ctx context.Context, rs *scoring.RuleSet) CaseResult {
	cr := CaseResult{Line: c.Line, Name: c.Name, RulesFile: rs.File(), Lead: maskLead(rs, c.Lead)}
	var opts []scoring.EvalOption
	if len(c.Unavailable) > 0 {
		opts = append(opts, scoring.WithUnavailable(c.Unavailable...))
	}
	var res *scoring.Result
	var acct *scoring.AccountResult
	var err error
	if c.Account != nil {
		cr.Lead = maskLead(rs, c.Account)
		var a scoring.Account
		a, err = scoring.AccountFromMap(copyMap(c.Account))
		if err == nil {
			acct, err = rs.ScoreAccount(ctx, a, c.At, opts...)
		}
		if acct != nil {
			res = acct.Account
		}
	} else {
		res, err = rs.Score(ctx, c.Lead, c.At, opts...)
	}
	cr.Result, cr.Err = res, err
	fail := func(format string, a ...any) { cr.Failures = append(cr.Failures, fmt.Sprintf(format, a...)) }
	e := c.Expect
	if e.Error != nil {
		switch {
		case err == nil:
			fail("error: want the lead rejected with %q, but it was scored", *e.Error)
		case !strings.Contains(err.Error(), *e.Error):
			fail("error: want %q in %q", *e.Error, err.Error())
		}
		cr.Passed = len(cr.Failures) == 0
		return cr
	}
	if err != nil {
		fail("lead rejected: %v", err)
		return cr
	}
	names := make([]string, 0, len(e.Scores))
	for n := range e.Scores {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := e.Scores[n]
		got, ok := res.Score(n)
		switch {
		case !ok:
			fail("score %s: no such score model", n)
		case r.Min == r.Max && math.Abs(got-r.Min) > tolerance*math.Max(1, math.Abs(r.Min)):
			fail("score %s: want %g, got %g", n, r.Min, got)
		case r.Min != r.Max && (got < r.Min || got > r.Max):
			fail("score %s: want in [%g, %g], got %g", n, r.Min, r.Max, got)
		}
	}
	str := func(what string, want *string, got string) {
		if want != nil && *want != got {
			fail("%s: want %q, got %q", what, *want, got)
		}
	}
	str("grade", e.Grade, res.Grade)
	str("stage", e.Stage, res.Stage)
	str("stage_rule", e.StageRule, res.StageRule)
	for _, r := range e.Fired {
		if !res.Fired(r) {
			fail("fired: rule %s did not fire", r)
		}
	}
	for _, r := range e.NotFired {
		if res.Fired(r) {
			fail("not_fired: rule %s fired", r)
		}
	}
	if e.HasSegments {
		want := append([]string(nil), e.Segments...)
		got := append([]string(nil), res.Segments...)
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			fail("segments: want %v, got %v", want, got)
		}
	}
	if e.Route != nil {
		if e.Route.ID != "" && e.Route.ID != res.Route.ID {
			fail("route id: want %q, got %q", e.Route.ID, res.Route.ID)
		}
		if e.Route.Owner != "" && e.Route.Owner != res.Route.Owner {
			fail("route owner: want %q, got %q (%s)", e.Route.Owner, res.Route.Owner, res.Route.Reason)
		}
		if e.Route.Queue != "" && e.Route.Queue != res.Route.Queue {
			fail("route queue: want %q, got %q", e.Route.Queue, res.Route.Queue)
		}
	}
	if e.SLABreached != nil && *e.SLABreached != res.SLA.Breached {
		fail("sla_breached: want %v, got %v", *e.SLABreached, res.SLA.Breached)
	}
	if acct != nil {
		for _, name := range sortedNames(e.Rollups) {
			want, found := e.Rollups[name], false
			for _, r := range acct.Rollups {
				if r.Name == name {
					found = true
					if math.Abs(r.Value-want) > tolerance*math.Max(1, math.Abs(want)) {
						fail("rollup %s: want %g, got %g (from %s)", name, want, r.Value, strings.Join(r.Leads, ", "))
					}
				}
			}
			if !found {
				fail("rollup %s: no such roll-up", name)
			}
		}
		for _, name := range sortedNames(e.Groups) {
			want := e.Groups[name]
			var got *scoring.GroupResult
			for i := range acct.Groups {
				if acct.Groups[i].Name == name {
					got = &acct.Groups[i]
				}
			}
			if got == nil {
				fail("group %s: no such group", name)
				continue
			}
			if want.Completeness != nil && math.Abs(*want.Completeness-got.Completeness) > tolerance {
				fail("group %s completeness: want %g, got %g", name, *want.Completeness, got.Completeness)
			}
			if want.Engagement != nil && math.Abs(*want.Engagement-got.Engagement) > tolerance*math.Max(1, math.Abs(*want.Engagement)) {
				fail("group %s engagement: want %g, got %g", name, *want.Engagement, got.Engagement)
			}
			if want.HasMissing && strings.Join(want.Missing, ",") != strings.Join(got.Missing, ",") {
				fail("group %s missing: want %v, got %v", name, want.Missing, got.Missing)
			}
		}
	}
	cr.Passed = len(cr.Failures) == 0
	return cr
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Trace describes the rules that fired for a result, one per line, for
// failure reports.
func Trace(res *scoring.Result) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range res.Scores {
		fmt.Fprintf(&b, "%s = %g\n", s.Name, s.Value)
		for _, c := range s.Contributions() {
			name := c.Rule
			if name == "" {
				name = "scores." + c.Score // a part of a combined score
			}
			fmt.Fprintf(&b, "  %s %+g", name, c.Points)
			if c.Events > 0 {
				fmt.Fprintf(&b, " (%d events)", c.Events)
			}
			for _, in := range c.Inputs {
				fmt.Fprintf(&b, " %s=%s", in.Field, in.Value)
			}
			b.WriteByte('\n')
		}
	}
	fmt.Fprintf(&b, "grade %q", res.Grade)
	if res.Stage != "" {
		fmt.Fprintf(&b, ", stage %s", res.Stage)
	}
	if res.StageRule != "" {
		fmt.Fprintf(&b, " (set by %s", res.StageRule)
		for _, in := range res.StageInputs() {
			fmt.Fprintf(&b, " %s=%s", in.Field, in.Value)
		}
		b.WriteByte(')')
	}
	if len(res.Segments) > 0 {
		fmt.Fprintf(&b, ", segments %s", strings.Join(res.Segments, ","))
	}
	if res.Route.ID != "" || res.Route.Reason != "" {
		fmt.Fprintf(&b, ", route %s → %s%s", res.Route.ID, res.Route.Owner, res.Route.Queue)
	}
	b.WriteByte('\n')
	return b.String()
}

// Run loads each test file and runs its cases as subtests of t, so that a
// user's own `go test` checks their rules:
//
//	func TestRules(t *testing.T) { ruletest.Run(t, "rules_test.yaml") }
func Run(t *testing.T, files ...string) {
	t.Helper()
	for _, f := range files {
		s, err := LoadFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		rep := s.Run(context.Background())
		for _, cr := range rep.Results {
			cr := cr
			t.Run(cr.Name, func(t *testing.T) {
				if !cr.Passed {
					t.Errorf("%s:%d: %s (rules %s):\n  %s\n%s", cr.File, cr.Line, cr.Name, cr.RulesFile,
						strings.Join(cr.Failures, "\n  "), Trace(cr.Result))
				}
			})
		}
	}
}

// maskLead returns the lead as reports show it: the values of fields
// declared pii replaced by their mask (scoring.RuleSet.Redact).
func maskLead(rs *scoring.RuleSet, lead map[string]any) map[string]any {
	var out map[string]any
	for k, v := range lead {
		if !rs.IsPII(k) {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(lead))
			for k2, v2 := range lead {
				out[k2] = v2
			}
		}
		out[k] = rs.Redact(k, v)
	}
	if out == nil {
		return lead
	}
	return out
}
