package scoring

import (
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// Codes of Lint findings: CodeLint for what can never work as written,
// CodeLintWarning for what works but may surprise (overlapping routes).
const (
	CodeLint        Code = "lint"
	CodeLintWarning Code = "lint_warning"
)

// Lint reports what in a rules file that loads can never do what it says
// (`revengine check --lint`):
//
//   - a grade or route that can never match: its condition implies an
//     earlier one's, and the first match wins;
//   - routes that overlap: a lead can match both, and goes to the first;
//   - a rule, stage, segment, disqualify or recycle rule whose condition
//     can never hold (contradictory bounds, or a score outside its model's
//     min and max);
//   - a score model whose min or max can never be reached by its rules'
//     points, and a rule whose points are always 0.
//
// The analysis understands conditions built with && from comparisons of
// one field or score with a constant (<, <=, >, >=, ==), string equality
// and `in` a literal or declared list, and bool fields; any other condition
// is taken to be possibly true, so Lint reports no false alarm on what it
// does not understand. Findings are *Error values with CodeLint, at the
// position of the expression, sorted.
func (rs *RuleSet) Lint() Errors {
	var out Errors
	report := func(code Code, e *expression, kind, id, format string, a ...any) {
		line, col := 0, 0
		if e != nil {
			line, col = e.line, e.col
		}
		out = append(out, &Error{File: rs.file, Line: line, Column: col, Kind: kind, ID: id, Code: code, Msg: fmt.Sprintf(format, a...)})
	}
	add := func(e *expression, kind, id, format string, a ...any) { report(CodeLint, e, kind, id, format, a...) }
	ranges := rs.scoreRanges()
	cond := func(e *expression) (box, bool) {
		if e == nil {
			return box{}, true // no condition: always true
		}
		b, ok := rs.boxOf(e.src)
		if !ok {
			return nil, false
		}
		return b.clampScores(rs, ranges), true
	}
	never := func(e *expression, kind, id string) {
		if b, ok := cond(e); ok && b.empty() {
			add(e, kind, id, "the condition can never hold (%s)", b.why())
		}
	}

	// Score models: reachable range and rules.
	for mi := range rs.models {
		m := &rs.models[mi]
		lo, hi := ranges[mi].rawLo, ranges[mi].rawHi
		if m.hasMax && hi < m.max {
			add(nil, "score", m.name, "max %v can never be reached: the rules add at most %v", m.max, hi)
		}
		if m.hasMin && lo > m.min {
			add(nil, "score", m.name, "min %v can never be reached: the rules add at least %v", m.min, lo)
		}
		for ri := range m.rules {
			r := &m.rules[ri]
			if r.pointsExpr == nil && r.points == 0 {
				add(r.when, "rule", r.id, "points: 0 — the rule never changes a score")
			}
			never(r.when, "rule", r.id)
		}
	}
	// First-match lists: grades and routes.
	firstMatch := func(kind string, ids []string, es []*expression) {
		type seen struct {
			b  box
			id string
		}
		var prev []seen // the earlier conditions the analysis understood
		for i, e := range es {
			if e == nil {
				continue // the fallback: it takes what the others leave
			}
			b, ok := cond(e)
			if !ok {
				continue
			}
			if b.empty() {
				add(e, kind, ids[i], "the condition can never hold (%s)", b.why())
			}
			for _, p := range prev {
				if b.subsetOf(p.b) {
					add(e, kind, ids[i], "can never match: every lead it matches matches %s %q first", kind, p.id)
					break
				}
				if kind == "route" && b.intersects(p.b) {
					report(CodeLintWarning, e, kind, ids[i], "overlaps %s %q: leads matching both go to %q", kind, p.id, p.id)
				}
			}
			prev = append(prev, seen{b, ids[i]})
		}
	}
	var ids []string
	var es []*expression
	for _, g := range rs.grades {
		ids, es = append(ids, g.grade), append(es, g.when)
	}
	firstMatch("grade", ids, es)
	ids, es = nil, nil
	for _, r := range rs.routing.routes {
		ids, es = append(ids, r.id), append(es, r.when)
	}
	firstMatch("route", ids, es)
	for _, st := range rs.stages {
		never(st.when, "stage", st.id)
	}
	for _, group := range []struct {
		kind  string
		rules []stageRule
	}{{"disqualify", rs.disqualify}, {"recycle", rs.recycle}, {"segment", rs.segments}} {
		for _, r := range group.rules {
			never(r.when, group.kind, r.id)
		}
	}
	out.Sort()
	return out
}

// scoreRange is what a model's rules can add (raw) and its value after
// min/max.
type scoreRange struct{ rawLo, rawHi, lo, hi float64 }

// scoreRanges bounds each model: a rule with constant points p adds 0 or p
// (p × decay ≤ p for a per-event rule, any number of events), bounded by
// its cap; points from an expression are unbounded unless capped.
func (rs *RuleSet) scoreRanges() []scoreRange {
	out := make([]scoreRange, len(rs.models))
	inf := math.Inf(1)
	for _, mi := range rs.order {
		m := &rs.models[mi]
		lo, hi := 0.0, 0.0
		for _, ref := range m.sum {
			lo += out[ref.idx].lo
			hi += out[ref.idx].hi
		}
		for ri := range m.rules {
			r := &m.rules[ri]
			rlo, rhi := -inf, inf
			if r.pointsExpr == nil {
				rlo, rhi = math.Min(0, r.points), math.Max(0, r.points)
				if r.event {
					// Any number of events: unbounded in the direction of p.
					if r.points > 0 {
						rhi = inf
					} else if r.points < 0 {
						rlo = -inf
					}
				}
			}
			if r.cap > 0 {
				rlo, rhi = math.Max(rlo, -r.cap), math.Min(rhi, r.cap)
			}
			lo, hi = lo+rlo, hi+rhi
		}
		sr := scoreRange{rawLo: lo, rawHi: hi, lo: lo, hi: hi}
		if m.hasMin {
			sr.lo, sr.hi = math.Max(sr.lo, m.min), math.Max(sr.hi, m.min)
		}
		if m.hasMax {
			sr.lo, sr.hi = math.Min(sr.lo, m.max), math.Min(sr.hi, m.max)
		}
		out[mi] = sr
	}
	return out
}

// box is a conjunction of constraints, one per variable.
type box map[string]*constraint

type constraint struct {
	lo, hi         float64 // numeric bounds
	loOpen, hiOpen bool
	set            map[string]bool // string: the values allowed (nil: any)
	numeric        bool
}

func (b box) empty() bool {
	for _, c := range b {
		if c.isEmpty() {
			return true
		}
	}
	return false
}

func (b box) why() string {
	for v, c := range b {
		if c.isEmpty() {
			if c.numeric {
				lo, hi := "≥", "≤"
				if c.loOpen {
					lo = ">"
				}
				if c.hiOpen {
					hi = "<"
				}
				return fmt.Sprintf("%s cannot be both %s %v and %s %v", v, lo, c.lo, hi, c.hi)
			}
			return v + " cannot take any value"
		}
	}
	return ""
}

func (c *constraint) isEmpty() bool {
	if c.numeric {
		return c.lo > c.hi || (c.lo == c.hi && (c.loOpen || c.hiOpen))
	}
	return c.set != nil && len(c.set) == 0
}

// subsetOf reports whether every point of b is in o.
func (b box) subsetOf(o box) bool {
	if b.empty() {
		return true
	}
	for v, oc := range o {
		bc, ok := b[v]
		if !ok {
			return false // o constrains v, b does not
		}
		if oc.numeric != bc.numeric {
			return false
		}
		if oc.numeric {
			if bc.lo < oc.lo || (bc.lo == oc.lo && oc.loOpen && !bc.loOpen) ||
				bc.hi > oc.hi || (bc.hi == oc.hi && oc.hiOpen && !bc.hiOpen) {
				return false
			}
			continue
		}
		if oc.set == nil {
			continue
		}
		if bc.set == nil {
			return false
		}
		for s := range bc.set {
			if !oc.set[s] {
				return false
			}
		}
	}
	return true
}

// intersects reports whether some point is in both.
func (b box) intersects(o box) bool {
	m := box{}
	for v, c := range b {
		m[v] = c.clone()
	}
	for v, c := range o {
		if mc, ok := m[v]; ok {
			if !mc.and(c) {
				return false
			}
		} else {
			m[v] = c.clone()
		}
	}
	return !m.empty()
}

func (c *constraint) clone() *constraint {
	d := *c
	if c.set != nil {
		d.set = make(map[string]bool, len(c.set))
		for k := range c.set {
			d.set[k] = true
		}
	}
	return &d
}

// and intersects c with o in place; false when the kinds disagree.
func (c *constraint) and(o *constraint) bool {
	if c.numeric != o.numeric {
		return false
	}
	if c.numeric {
		if o.lo > c.lo || (o.lo == c.lo && o.loOpen) {
			c.lo, c.loOpen = o.lo, o.loOpen
		}
		if o.hi < c.hi || (o.hi == c.hi && o.hiOpen) {
			c.hi, c.hiOpen = o.hi, o.hiOpen
		}
		return true
	}
	if o.set == nil {
		return true
	}
	if c.set == nil {
		c.set = o.clone().set
		return true
	}
	for k := range c.set {
		if !o.set[k] {
			delete(c.set, k)
		}
	}
	return true
}

// clampScores intersects the bounds of scores.X with the model's range.
func (b box) clampScores(rs *RuleSet, ranges []scoreRange) box {
	for v, c := range b {
		name, ok := strings.CutPrefix(v, "scores.")
		if !ok || !c.numeric {
			continue
		}
		if mi, ok := rs.modelIdx[name]; ok {
			c.and(&constraint{numeric: true, lo: ranges[mi].lo, hi: ranges[mi].hi})
		}
	}
	return b
}

// boxOf analyses a condition; false when it is beyond the analysis.
func (rs *RuleSet) boxOf(src string) (box, bool) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, false
	}
	b := box{}
	return b, rs.conj(tree.Node, b)
}

func (rs *RuleSet) conj(n ast.Node, b box) bool {
	put := func(v string, c *constraint) bool {
		if old, ok := b[v]; ok {
			return old.and(c)
		}
		b[v] = c
		return true
	}
	switch x := n.(type) {
	case *ast.BoolNode:
		if x.Value {
			return true
		}
		return put("false", &constraint{set: map[string]bool{}})
	case *ast.IdentifierNode:
		if i, ok := rs.fieldIdx[x.Value]; ok && rs.fields[i].kind == KindBool {
			return put(x.Value, &constraint{set: map[string]bool{"true": true}})
		}
	case *ast.UnaryNode:
		if id, ok := x.Node.(*ast.IdentifierNode); ok && (x.Operator == "!" || x.Operator == "not") {
			if i, ok := rs.fieldIdx[id.Value]; ok && rs.fields[i].kind == KindBool {
				return put(id.Value, &constraint{set: map[string]bool{"false": true}})
			}
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "&&", "and":
			return rs.conj(x.Left, b) && rs.conj(x.Right, b)
		case "<", "<=", ">", ">=", "==":
			v, num, str, flipped, ok := rs.cmpParts(x)
			if !ok {
				return false
			}
			op := x.Operator
			if flipped {
				op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}[op]
			}
			if str != nil {
				if op != "==" {
					return false
				}
				return put(v, &constraint{set: map[string]bool{*str: true}})
			}
			c := &constraint{numeric: true, lo: math.Inf(-1), hi: math.Inf(1)}
			switch op {
			case "<":
				c.hi, c.hiOpen = num, true
			case "<=":
				c.hi = num
			case ">":
				c.lo, c.loOpen = num, true
			case ">=":
				c.lo = num
			case "==":
				c.lo, c.hi = num, num
			}
			return put(v, c)
		case "in":
			v, ok := rs.varName(x.Left)
			if !ok {
				return false
			}
			set := map[string]bool{}
			switch r := x.Right.(type) {
			case *ast.ArrayNode:
				for _, it := range r.Nodes {
					s, ok := it.(*ast.StringNode)
					if !ok {
						return false
					}
					set[s.Value] = true
				}
			case *ast.MemberNode:
				base, ok1 := r.Node.(*ast.IdentifierNode)
				prop, ok2 := r.Property.(*ast.StringNode)
				if !ok1 || !ok2 || base.Value != "lists" {
					return false
				}
				li, ok := rs.listIdx[prop.Value]
				if !ok {
					return false
				}
				for _, it := range rs.lists[li].items {
					set[it] = true
				}
			default:
				return false
			}
			return put(v, &constraint{set: set})
		}
	}
	return false
}

// varName is the variable a comparison constrains: a string or number
// field, scores.X, grade or stage.
func (rs *RuleSet) varName(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		if i, ok := rs.fieldIdx[x.Value]; ok {
			k := rs.fields[i].kind
			return x.Value, k == KindString || k == KindInt || k == KindFloat
		}
		return x.Value, x.Value == "grade" || x.Value == "stage"
	case *ast.MemberNode:
		base, ok1 := x.Node.(*ast.IdentifierNode)
		prop, ok2 := x.Property.(*ast.StringNode)
		if ok1 && ok2 && base.Value == "scores" {
			_, ok := rs.modelIdx[prop.Value]
			return "scores." + prop.Value, ok
		}
	}
	return "", false
}

// cmpParts splits var OP constant (or constant OP var, flipped).
func (rs *RuleSet) cmpParts(x *ast.BinaryNode) (v string, num float64, str *string, flipped, ok bool) {
	lit := func(n ast.Node) (float64, *string, bool) {
		switch c := n.(type) {
		case *ast.IntegerNode:
			return float64(c.Value), nil, true
		case *ast.FloatNode:
			return c.Value, nil, true
		case *ast.StringNode:
			s := c.Value
			return 0, &s, true
		case *ast.UnaryNode:
			if c.Operator == "-" {
				if f, s, ok := litNum(c.Node); ok && s == nil {
					return -f, nil, true
				}
			}
		}
		return 0, nil, false
	}
	if name, isVar := rs.varName(x.Left); isVar {
		if f, s, ok := lit(x.Right); ok {
			return name, f, s, false, true
		}
	}
	if name, isVar := rs.varName(x.Right); isVar {
		if f, s, ok := lit(x.Left); ok {
			return name, f, s, true, true
		}
	}
	return "", 0, nil, false, false
}

func litNum(n ast.Node) (float64, *string, bool) {
	switch c := n.(type) {
	case *ast.IntegerNode:
		return float64(c.Value), nil, true
	case *ast.FloatNode:
		return c.Value, nil, true
	}
	return 0, nil, false
}
