package scoring

import (
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/revengine/revengine/internal/duration"
)

// The fast path compiles the common shapes of rule expressions — a field
// compared with a constant, `in` a list, string operators, arithmetic,
// boolean combinations, time arithmetic with constant durations — into
// typed Go closures over the normalised lead, with no interface boxing and
// no allocation; duration("720h") is parsed once, at load time. Anything
// else (loops over lists, most builtins) runs on expr's VM instead.
// The closures reproduce expr's semantics exactly (int arithmetic wraps,
// `/` is always float, mixed int/float compares as float); a differential
// test runs both on random leads and requires identical results.

type (
	boolFn  func(*evalState) bool
	intFn   func(*evalState) int
	floatFn func(*evalState) float64
	strFn   func(*evalState) string
	timeFn  func(*evalState) time.Time
	listFn  func(*evalState) *Value
	durFn   func(*evalState) time.Duration
)

// kindDuration is the closure kind of time.Duration values (at − created_at,
// duration("720h")); durations are never lead fields.
const kindDuration Kind = 100

// kindEvents marks the identifier events on the fast path: not a value, only
// len(events) and the aggregates use it.
const kindEvents Kind = 101

// cfn is a compiled closure of one kind.
type cfn struct {
	k Kind
	b boolFn
	i intFn
	f floatFn
	s strFn
	t timeFn
	l listFn
	d durFn
	// constant values, for folding `in` lists into sets and constant
	// operands into the closure that uses them.
	isConst bool
	// slot is 1 + the lead field slot the closure reads when it is a bare
	// field identifier (0 otherwise): comparisons with a constant read the
	// field directly instead of calling a closure for it.
	slot int
}

// constant folding: the value of a constant closure, computed once at load
// time (constant closures never read the evaluation state).
func (c cfn) constInt() int       { return c.i(nil) }
func (c cfn) constFloat() float64 { return asFloat(c)(nil) }
func (c cfn) constString() string { return c.s(nil) }
func (c cfn) field() (int, bool)  { return c.slot - 1, c.slot > 0 }
func constNumeric(c cfn) bool     { return c.isConst && numeric(c.k) }
func constStr(c cfn) bool         { return c.isConst && c.k == KindString }

// evalPanic carries a run-time error out of a closure; the evaluator
// recovers it and reports the rule. Only integer modulo by zero raises it.
type evalPanic struct{ msg string }

type fastBuilder struct {
	rs    *RuleSet
	inAgg int // inside a predicate over events: .prop reads the aggregate's event
	// fired are the fired("id") calls compiled, resolved after load.
	fired []*firedRef
}

// firedRef is a fired("id") of the fast path: num is the rule's number,
// filled in once every model is compiled (−1 until then, or for an id that
// names no rule, which checkLiterals reports).
type firedRef struct {
	id  string
	num int
}

func (fb *fastBuilder) build(n ast.Node) (cfn, bool) {
	switch x := n.(type) {
	case *ast.BoolNode:
		v := x.Value
		return cfn{k: KindBool, b: func(*evalState) bool { return v }, isConst: true}, true
	case *ast.IntegerNode:
		v := x.Value
		return cfn{k: KindInt, i: func(*evalState) int { return v }, isConst: true}, true
	case *ast.FloatNode:
		v := x.Value
		return cfn{k: KindFloat, f: func(*evalState) float64 { return v }, isConst: true}, true
	case *ast.StringNode:
		v := x.Value
		return cfn{k: KindString, s: func(*evalState) string { return v }, isConst: true}, true
	case *ast.IdentifierNode:
		return fb.ident(x.Value)
	case *ast.MemberNode:
		return fb.member(x)
	case *ast.UnaryNode:
		return fb.unary(x)
	case *ast.BinaryNode:
		return fb.binary(x)
	case *ast.ConditionalNode:
		return fb.conditional(x)
	case *ast.BuiltinNode:
		return fb.builtin(x)
	case *ast.CallNode:
		// duration(...) is the module's function, not expr's builtin.
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "duration" {
			return fb.builtin(&ast.BuiltinNode{Name: "duration", Arguments: x.Arguments})
		}
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "fired" && len(x.Arguments) == 1 {
			str, ok := x.Arguments[0].(*ast.StringNode)
			if !ok {
				return cfn{}, false
			}
			// The rule's number is known once every model is compiled
			// (orderModels); the closure reads it then.
			ref := &firedRef{id: str.Value, num: -1}
			fb.fired = append(fb.fired, ref)
			return cfn{k: KindBool, b: func(s *evalState) bool {
				return ref.num >= 0 && len(s.fired) > 0 && s.fired[ref.num]
			}}, true
		}
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "days_since" && len(x.Arguments) == 1 {
			t, ok := fb.build(x.Arguments[0])
			if !ok || t.k != KindTime {
				return cfn{}, false
			}
			f := t.t
			return cfn{k: KindFloat, f: func(s *evalState) float64 {
				v := f(s)
				if v.IsZero() {
					return math.Inf(1)
				}
				return s.at.Sub(v).Hours() / 24
			}}, true
		}
	}
	return cfn{}, false
}

func (fb *fastBuilder) ident(name string) (cfn, bool) {
	if slot, ok := fb.rs.fieldIdx[name]; ok {
		switch fb.rs.fields[slot].kind {
		case KindString:
			return cfn{k: KindString, s: func(s *evalState) string { return s.vals[slot].str() }, slot: slot + 1}, true
		case KindInt:
			return cfn{k: KindInt, i: func(s *evalState) int { return s.vals[slot].int() }, slot: slot + 1}, true
		case KindFloat:
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return s.vals[slot].float() }, slot: slot + 1}, true
		case KindBool:
			return cfn{k: KindBool, b: func(s *evalState) bool { return s.vals[slot].bool() }}, true
		case KindTime:
			return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.vals[slot].time() }}, true
		case KindList:
			return cfn{k: KindList, l: func(s *evalState) *Value { return &s.vals[slot] }}, true
		}
	}
	switch name {
	case "at":
		return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.at }}, true
	case "grade":
		return cfn{k: KindString, s: func(s *evalState) string { return s.grade }}, true
	case "stage":
		return cfn{k: KindString, s: func(s *evalState) string { return s.stage }}, true
	case "segments":
		return cfn{k: KindList, l: func(s *evalState) *Value { return &s.segVal }}, true
	case "events":
		// Only len(events) reads the list itself; aggregates compile their
		// own loops (aggregate.go).
		return cfn{k: kindEvents}, true
	}
	return cfn{}, false
}

func (fb *fastBuilder) member(x *ast.MemberNode) (cfn, bool) {
	if ptr, isPtr := x.Node.(*ast.PointerNode); isPtr && ptr.Name == "" && fb.inAgg > 0 && !x.Optional && !x.Method {
		if prop, isStr := x.Property.(*ast.StringNode); isStr {
			return fb.aggMember(prop.Value)
		}
		return cfn{}, false
	}
	base, ok := x.Node.(*ast.IdentifierNode)
	prop, isStr := x.Property.(*ast.StringNode)
	if !ok || !isStr || x.Optional || x.Method {
		return cfn{}, false
	}
	switch base.Value {
	case "lists":
		idx, found := fb.rs.listIdx[prop.Value]
		if !found {
			return cfn{}, false
		}
		val := &fb.rs.lists[idx].val
		return cfn{k: KindList, l: func(*evalState) *Value { return val }, isConst: true}, true
	case "scores":
		idx, found := fb.rs.modelIdx[prop.Value]
		if !found {
			return cfn{}, false
		}
		return cfn{k: KindFloat, f: func(s *evalState) float64 { return s.scores[idx] }}, true
	case "event":
		switch prop.Value {
		case "type":
			return cfn{k: KindString, s: func(s *evalState) string { return s.ev.typ }}, true
		case "time":
			return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.ev.t }}, true
		}
		slot, found := fb.rs.propIdx[prop.Value]
		if !found {
			return cfn{}, false
		}
		switch fb.rs.props[slot].kind {
		case KindString:
			return cfn{k: KindString, s: func(s *evalState) string { return s.ev.props[slot].str() }}, true
		case KindInt:
			return cfn{k: KindInt, i: func(s *evalState) int { return s.ev.props[slot].int() }}, true
		case KindFloat:
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return s.ev.props[slot].float() }}, true
		case KindBool:
			return cfn{k: KindBool, b: func(s *evalState) bool { return s.ev.props[slot].bool() }}, true
		case KindTime:
			return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.ev.props[slot].time() }}, true
		case KindList:
			return cfn{k: KindList, l: func(s *evalState) *Value { return &s.ev.props[slot] }}, true
		}
	}
	return cfn{}, false
}

func (fb *fastBuilder) unary(x *ast.UnaryNode) (cfn, bool) {
	a, ok := fb.build(x.Node)
	if !ok {
		return cfn{}, false
	}
	switch x.Operator {
	case "!", "not":
		if a.k == KindBool {
			f := a.b
			return cfn{k: KindBool, b: func(s *evalState) bool { return !f(s) }}, true
		}
	case "-":
		switch a.k {
		case KindInt:
			f := a.i
			return cfn{k: KindInt, i: func(s *evalState) int { return subInt(0, f(s)) }}, true
		case KindFloat:
			f := a.f
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return -f(s) }}, true
		}
	case "+":
		if a.k == KindInt || a.k == KindFloat {
			a.isConst = false
			return a, true
		}
	}
	return cfn{}, false
}

// asFloat widens an int closure to float, as expr does for mixed operands.
func asFloat(a cfn) floatFn {
	if a.k == KindFloat {
		return a.f
	}
	f := a.i
	return func(s *evalState) float64 { return float64(f(s)) }
}

func numeric(k Kind) bool { return k == KindInt || k == KindFloat }

func (fb *fastBuilder) binary(x *ast.BinaryNode) (cfn, bool) {
	switch x.Operator {
	case "in":
		return fb.in(x)
	}
	a, ok := fb.build(x.Left)
	if !ok {
		return cfn{}, false
	}
	if x.Operator == "matches" {
		pat, isStr := x.Right.(*ast.StringNode)
		if !isStr || a.k != KindString {
			return cfn{}, false
		}
		re, err := regexp.Compile(pat.Value)
		if err != nil {
			return cfn{}, false
		}
		f := a.s
		return cfn{k: KindBool, b: func(s *evalState) bool { return re.MatchString(f(s)) }}, true
	}
	b, ok := fb.build(x.Right)
	if !ok {
		return cfn{}, false
	}
	switch x.Operator {
	case "&&", "and":
		if a.k == KindBool && b.k == KindBool {
			fa, fb := a.b, b.b
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) && fb(s) }}, true
		}
	case "||", "or":
		if a.k == KindBool && b.k == KindBool {
			fa, fb := a.b, b.b
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) || fb(s) }}, true
		}
	case "==", "!=":
		eq, ok := fusedEqual(a, b)
		if !ok {
			eq, ok = equal(a, b)
		}
		if !ok {
			return cfn{}, false
		}
		if x.Operator == "!=" {
			return cfn{k: KindBool, b: func(s *evalState) bool { return !eq(s) }}, true
		}
		return cfn{k: KindBool, b: eq}, true
	case "<", "<=", ">", ">=":
		if f, ok := fusedCompare(x.Operator, a, b); ok {
			return cfn{k: KindBool, b: f}, true
		}
		return compare(x.Operator, a, b)
	case "+", "-", "*":
		return arith(x.Operator, a, b)
	case "/":
		if numeric(a.k) && numeric(b.k) {
			fa, fb := asFloat(a), asFloat(b)
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return fa(s) / fb(s) }}, true
		}
	case "%":
		if a.k == KindInt && b.k == KindInt {
			fa, fb := a.i, b.i
			return cfn{k: KindInt, i: func(s *evalState) int {
				d := fb(s)
				if d == 0 {
					panic(evalPanic{"integer divide by zero"})
				}
				return fa(s) % d
			}}, true
		}
	case "contains", "startsWith", "endsWith":
		if f, ok := fusedStringOp(x.Operator, a, b); ok {
			return cfn{k: KindBool, b: f}, true
		}
		if a.k == KindString && b.k == KindString {
			fa, fb := a.s, b.s
			var op func(string, string) bool
			switch x.Operator {
			case "contains":
				op = strings.Contains
			case "startsWith":
				op = strings.HasPrefix
			default:
				op = strings.HasSuffix
			}
			return cfn{k: KindBool, b: func(s *evalState) bool { return op(fa(s), fb(s)) }}, true
		}
	}
	return cfn{}, false
}

func equal(a, b cfn) (boolFn, bool) {
	switch {
	case a.k == KindInt && b.k == KindInt:
		fa, fb := a.i, b.i
		return func(s *evalState) bool { return fa(s) == fb(s) }, true
	case numeric(a.k) && numeric(b.k):
		fa, fb := asFloat(a), asFloat(b)
		return func(s *evalState) bool { return fa(s) == fb(s) }, true
	case a.k == KindString && b.k == KindString:
		fa, fb := a.s, b.s
		return func(s *evalState) bool { return fa(s) == fb(s) }, true
	case a.k == KindBool && b.k == KindBool:
		fa, fb := a.b, b.b
		return func(s *evalState) bool { return fa(s) == fb(s) }, true
	case a.k == KindTime && b.k == KindTime:
		fa, fb := a.t, b.t
		return func(s *evalState) bool { return fa(s).Equal(fb(s)) }, true
	case a.k == kindDuration && b.k == kindDuration:
		fa, fb := a.d, b.d
		return func(s *evalState) bool { return fa(s) == fb(s) }, true
	}
	return nil, false
}

func compare(op string, a, b cfn) (cfn, bool) {
	var lt, le boolFn // a < b, a <= b
	switch {
	case a.k == KindInt && b.k == KindInt:
		fa, fb := a.i, b.i
		lt = func(s *evalState) bool { return fa(s) < fb(s) }
		le = func(s *evalState) bool { return fa(s) <= fb(s) }
		switch op {
		case ">":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) > fb(s) }}, true
		case ">=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) >= fb(s) }}, true
		}
	case numeric(a.k) && numeric(b.k):
		fa, fb := asFloat(a), asFloat(b)
		lt = func(s *evalState) bool { return fa(s) < fb(s) }
		le = func(s *evalState) bool { return fa(s) <= fb(s) }
		switch op {
		case ">":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) > fb(s) }}, true
		case ">=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) >= fb(s) }}, true
		}
	case a.k == KindString && b.k == KindString:
		fa, fb := a.s, b.s
		lt = func(s *evalState) bool { return fa(s) < fb(s) }
		le = func(s *evalState) bool { return fa(s) <= fb(s) }
		switch op {
		case ">":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) > fb(s) }}, true
		case ">=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) >= fb(s) }}, true
		}
	case a.k == kindDuration && b.k == kindDuration:
		fa, fb := a.d, b.d
		switch op {
		case "<":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) < fb(s) }}, true
		case "<=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) <= fb(s) }}, true
		case ">":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) > fb(s) }}, true
		case ">=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s) >= fb(s) }}, true
		}
		return cfn{}, false
	case a.k == KindTime && b.k == KindTime:
		fa, fb := a.t, b.t
		switch op {
		case "<":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s).Before(fb(s)) }}, true
		case "<=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return !fa(s).After(fb(s)) }}, true
		case ">":
			return cfn{k: KindBool, b: func(s *evalState) bool { return fa(s).After(fb(s)) }}, true
		case ">=":
			return cfn{k: KindBool, b: func(s *evalState) bool { return !fa(s).Before(fb(s)) }}, true
		}
		return cfn{}, false
	default:
		return cfn{}, false
	}
	if op == "<" {
		return cfn{k: KindBool, b: lt}, true
	}
	return cfn{k: KindBool, b: le}, true
}

func arith(op string, a, b cfn) (cfn, bool) {
	switch {
	case a.k == KindInt && b.k == KindInt:
		fa, fb := a.i, b.i
		switch op {
		case "+":
			return cfn{k: KindInt, i: func(s *evalState) int { return addInt(fa(s), fb(s)) }}, true
		case "-":
			return cfn{k: KindInt, i: func(s *evalState) int { return subInt(fa(s), fb(s)) }}, true
		case "*":
			return cfn{k: KindInt, i: func(s *evalState) int { return mulInt(fa(s), fb(s)) }}, true
		}
	case numeric(a.k) && numeric(b.k):
		fa, fb := asFloat(a), asFloat(b)
		switch op {
		case "+":
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return fa(s) + fb(s) }}, true
		case "-":
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return fa(s) - fb(s) }}, true
		case "*":
			return cfn{k: KindFloat, f: func(s *evalState) float64 { return fa(s) * fb(s) }}, true
		}
	case a.k == KindString && b.k == KindString && op == "+":
		fa, fb := a.s, b.s
		return cfn{k: KindString, s: func(s *evalState) string { return fa(s) + fb(s) }}, true
	case a.k == KindTime && b.k == kindDuration && (op == "+" || op == "-"):
		fa, fb := a.t, b.d
		if op == "+" {
			return cfn{k: KindTime, t: func(s *evalState) time.Time { return fa(s).Add(fb(s)) }}, true
		}
		return cfn{k: KindTime, t: func(s *evalState) time.Time { return fa(s).Add(-fb(s)) }}, true
	case a.k == kindDuration && b.k == KindTime && op == "+":
		fa, fb := a.d, b.t
		return cfn{k: KindTime, t: func(s *evalState) time.Time { return fb(s).Add(fa(s)) }}, true
	case a.k == KindTime && b.k == KindTime && op == "-":
		fa, fb := a.t, b.t
		return cfn{k: kindDuration, d: func(s *evalState) time.Duration { return fa(s).Sub(fb(s)) }}, true
	case a.k == kindDuration && b.k == kindDuration && (op == "+" || op == "-"):
		fa, fb := a.d, b.d
		if op == "+" {
			return cfn{k: kindDuration, d: func(s *evalState) time.Duration { return time.Duration(addInt(int(fa(s)), int(fb(s)))) }}, true
		}
		return cfn{k: kindDuration, d: func(s *evalState) time.Duration { return time.Duration(subInt(int(fa(s)), int(fb(s)))) }}, true
	}
	return cfn{}, false
}

// in compiles `x in list`: a set lookup for constant lists of strings, a
// scan for list fields.
func (fb *fastBuilder) in(x *ast.BinaryNode) (cfn, bool) {
	a, ok := fb.build(x.Left)
	if !ok {
		return cfn{}, false
	}
	if arr, isArr := x.Right.(*ast.ArrayNode); isArr {
		var strs []string
		var nums []float64
		for _, el := range arr.Nodes {
			switch v := el.(type) {
			case *ast.StringNode:
				strs = append(strs, v.Value)
			case *ast.IntegerNode:
				nums = append(nums, float64(v.Value))
			case *ast.FloatNode:
				nums = append(nums, v.Value)
			default:
				return cfn{}, false
			}
		}
		switch {
		case a.k == KindString && len(nums) == 0:
			set := make(map[string]struct{}, len(strs))
			for _, s := range strs {
				set[s] = struct{}{}
			}
			return cfn{k: KindBool, b: inStrings(a, strs, set)}, true
		case numeric(a.k) && len(strs) == 0:
			f := asFloat(a)
			return cfn{k: KindBool, b: func(s *evalState) bool {
				v := f(s)
				for _, n := range nums {
					if v == n {
						return true
					}
				}
				return false
			}}, true
		}
		return cfn{}, false
	}
	b, ok := fb.build(x.Right)
	if !ok || a.k != KindString || b.k != KindList {
		return cfn{}, false
	}
	f := a.s
	if m, isMember := x.Right.(*ast.MemberNode); isMember && b.isConst {
		if base, ok := m.Node.(*ast.IdentifierNode); ok && base.Value == "lists" {
			li := &fb.rs.lists[fb.rs.listIdx[m.Property.(*ast.StringNode).Value]]
			return cfn{k: KindBool, b: inStrings(a, li.items, li.set)}, true
		}
	}
	l := b.l
	if constStr(a) {
		return cfn{k: KindBool, b: constInList(a.constString(), l)}, true
	}
	return cfn{k: KindBool, b: func(s *evalState) bool {
		v := f(s)
		list := l(s)
		for i, n := 0, list.listLen(); i < n; i++ {
			if list.listAt(i) == v {
				return true
			}
		}
		return false
	}}, true
}

func (fb *fastBuilder) conditional(x *ast.ConditionalNode) (cfn, bool) {
	c, ok1 := fb.build(x.Cond)
	a, ok2 := fb.build(x.Exp1)
	b, ok3 := fb.build(x.Exp2)
	if !ok1 || !ok2 || !ok3 || c.k != KindBool || a.k != b.k {
		return cfn{}, false
	}
	cond := c.b
	switch a.k {
	case KindBool:
		fa, fb := a.b, b.b
		return cfn{k: KindBool, b: func(s *evalState) bool {
			if cond(s) {
				return fa(s)
			}
			return fb(s)
		}}, true
	case KindInt:
		fa, fb := a.i, b.i
		return cfn{k: KindInt, i: func(s *evalState) int {
			if cond(s) {
				return fa(s)
			}
			return fb(s)
		}}, true
	case KindFloat:
		fa, fb := a.f, b.f
		return cfn{k: KindFloat, f: func(s *evalState) float64 {
			if cond(s) {
				return fa(s)
			}
			return fb(s)
		}}, true
	case KindString:
		fa, fb := a.s, b.s
		return cfn{k: KindString, s: func(s *evalState) string {
			if cond(s) {
				return fa(s)
			}
			return fb(s)
		}}, true
	}
	return cfn{}, false
}

func (fb *fastBuilder) builtin(x *ast.BuiltinNode) (cfn, bool) {
	switch x.Name {
	case "count", "any", "all", "none", "one", "sum":
		return fb.aggregate(x)
	}
	if len(x.Arguments) != 1 {
		return cfn{}, false
	}
	if x.Name == "duration" {
		// Folded at load time: expr would parse the string on every run.
		str, ok := x.Arguments[0].(*ast.StringNode)
		if !ok {
			return cfn{}, false
		}
		d, err := duration.Parse(str.Value)
		if err != nil {
			return cfn{}, false
		}
		return cfn{k: kindDuration, d: func(*evalState) time.Duration { return d }, isConst: true}, true
	}
	a, ok := fb.build(x.Arguments[0])
	if !ok {
		return cfn{}, false
	}
	switch x.Name {
	case "lower", "upper", "trim":
		if a.k != KindString {
			return cfn{}, false
		}
		f := a.s
		var op func(string) string
		switch x.Name {
		case "lower":
			op = strings.ToLower
		case "upper":
			op = strings.ToUpper
		default:
			op = strings.TrimSpace
		}
		return cfn{k: KindString, s: func(s *evalState) string { return op(f(s)) }}, true
	case "len":
		if a.k == kindEvents {
			return cfn{k: KindInt, i: func(s *evalState) int { return len(s.pastEvents()) }}, true
		}
		switch a.k {
		case KindString:
			f := a.s
			return cfn{k: KindInt, i: func(s *evalState) int { return len(f(s)) }}, true
		case KindList:
			f := a.l
			return cfn{k: KindInt, i: func(s *evalState) int { return f(s).listLen() }}, true
		}
	}
	return cfn{}, false
}
