package scoring

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
)

// Event aggregates. Every expression may read `events`: the lead's events
// that happened at or before the evaluation time, oldest first (ties in
// input order), each with type, time and the declared event_fields. With
// expr's builtins that is every aggregate marketing tools offer:
//
//	count(events, .type == "page_view" && .url contains "/pricing" && .time > at - duration("7d")) >= 3
//	none(events, .type in ["email_click", "page_view"] && .time > at - duration("30d"))  // inactivity
//	sum(filter(events, .type == "purchase"), .amount)
//	max(map(filter(events, .type == "purchase"), .amount))
//	days_since(last(filter(events, .type == "email_click"))?.time) > 14
//
// days_since(t) is (at − t) in days of 24 hours, a float; it is +Inf for a
// missing time (nil: no such event), so "no click in 14 days" holds for a
// lead that never clicked. A window is whatever comparison the rule writes:
// `.time > at - duration("7d")` excludes an event exactly 7 days old,
// `>=` includes it. The common shapes (count, any, all, none, one and sum
// over events or filter(events, …), with conditions on the event's fields)
// run on the fast path without allocating; the rest on expr's VM. The cost
// estimator charges a loop over events MaxEvents iterations.

// typeDaysSince is the type of the environment's days_since: a function
// field, bound per evaluation state to that state's evaluation time (expr
// calls functions of the environment with the arguments only, so the time
// must come with the function). It takes any so that a missing time (nil,
// from ?.time of no event) is +Inf, not a type error.
var typeDaysSince = reflect.TypeOf(func(any) (float64, error) { return 0, nil })

// daysSince is days_since for the state s.
func (s *evalState) daysSince(x any) (float64, error) {
	switch t := x.(type) {
	case nil:
		return math.Inf(1), nil
	case time.Time:
		if t.IsZero() {
			return math.Inf(1), nil
		}
		return s.at.Sub(t).Hours() / 24, nil
	}
	return 0, fmt.Errorf("days_since: want a time, got %T", x)
}

// pastEvents returns the lead's events at or before the evaluation time,
// oldest first, computed once per evaluation.
func (s *evalState) pastEvents() []*leadEvent {
	if s.pastOK {
		return s.past
	}
	s.pastOK = true
	s.past = s.past[:0]
	for i := range s.events {
		if !s.events[i].t.After(s.at) {
			s.past = append(s.past, &s.events[i])
		}
	}
	slices.SortStableFunc(s.past, func(a, b *leadEvent) int { return a.t.Compare(b.t) })
	return s.past
}

// eventsEnv fills the VM environment's events slice.
func (s *evalState) eventsEnv(dst reflect.Value) {
	past := s.pastEvents()
	v := reflect.MakeSlice(dst.Type(), len(past), len(past))
	for i, ev := range past {
		e := v.Index(i)
		e.Field(0).SetString(ev.typ)
		e.Field(1).Set(reflect.ValueOf(ev.t))
		for j, p := range ev.props {
			setValue(e.Field(2+j), p)
		}
	}
	dst.Set(v)
}

// eventSource compiles the collection of an aggregate on the fast path:
// events, or filter(source, condition) — as the conditions an event must
// meet, outermost last.
func (fb *fastBuilder) eventSource(n ast.Node) ([]boolFn, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return nil, x.Value == "events"
	case *ast.BuiltinNode:
		if x.Name != "filter" || len(x.Arguments) != 2 {
			return nil, false
		}
		conds, ok := fb.eventSource(x.Arguments[0])
		if !ok {
			return nil, false
		}
		cond, ok := fb.predicate(x.Arguments[1])
		if !ok || cond.k != KindBool {
			return nil, false
		}
		return append(conds, cond.b), true
	}
	return nil, false
}

// eventLoop visits the events that meet every condition, oldest first, with
// s.agg set to each; visit returns false to stop. It allocates nothing: the
// visitors are built once, at load.
func (s *evalState) eventLoop(conds []boolFn, visit func(*evalState) bool) {
	prev := s.agg
next:
	for _, ev := range s.pastEvents() {
		s.agg = ev
		s.tick()
		for _, c := range conds {
			if !c(s) {
				continue next
			}
		}
		if !visit(s) {
			break
		}
	}
	s.agg = prev
}

// predicate compiles the body of a predicate over events.
func (fb *fastBuilder) predicate(n ast.Node) (cfn, bool) {
	p, ok := n.(*ast.PredicateNode)
	if !ok {
		return cfn{}, false
	}
	fb.inAgg++
	defer func() { fb.inAgg-- }()
	return fb.build(p.Node)
}

// aggregate compiles count, any, all, none, one and sum over events. The
// running value lives in the evaluation state (aggInt, aggFloat, aggBool),
// so the per-event visitor is a closure built once, at load.
func (fb *fastBuilder) aggregate(x *ast.BuiltinNode) (cfn, bool) {
	if len(x.Arguments) != 2 || fb.inAgg > 0 {
		return cfn{}, false
	}
	conds, ok := fb.eventSource(x.Arguments[0])
	if !ok {
		return cfn{}, false
	}
	body, ok := fb.predicate(x.Arguments[1])
	if !ok {
		return cfn{}, false
	}
	if x.Name == "sum" {
		switch body.k {
		case KindInt:
			f := body.i
			visit := func(s *evalState) bool { s.aggInt = addInt(s.aggInt, f(s)); return true }
			return cfn{k: KindInt, i: func(s *evalState) int {
				saved := s.aggInt
				s.aggInt = 0
				s.eventLoop(conds, visit)
				v := s.aggInt
				s.aggInt = saved
				return v
			}}, true
		case KindFloat:
			f := body.f
			visit := func(s *evalState) bool { s.aggFloat += f(s); return true }
			return cfn{k: KindFloat, f: func(s *evalState) float64 {
				saved := s.aggFloat
				s.aggFloat = 0
				s.eventLoop(conds, visit)
				v := s.aggFloat
				s.aggFloat = saved
				return v
			}}, true
		}
		return cfn{}, false
	}
	if body.k != KindBool {
		return cfn{}, false
	}
	c := body.b
	// count and one count matches (one stops at two); any, all and none stop
	// at the first event that decides.
	var visit func(s *evalState) bool
	switch x.Name {
	case "count":
		visit = func(s *evalState) bool {
			if c(s) {
				s.aggInt++
			}
			return true
		}
	case "one":
		visit = func(s *evalState) bool {
			if c(s) {
				s.aggInt++
			}
			return s.aggInt < 2
		}
	case "any", "none":
		visit = func(s *evalState) bool {
			if c(s) {
				s.aggInt = 1
				return false
			}
			return true
		}
	case "all":
		visit = func(s *evalState) bool {
			if !c(s) {
				s.aggInt = 1
				return false
			}
			return true
		}
	default:
		return cfn{}, false
	}
	run := func(s *evalState) int {
		saved := s.aggInt
		s.aggInt = 0
		s.eventLoop(conds, visit)
		v := s.aggInt
		s.aggInt = saved
		return v
	}
	switch x.Name {
	case "count":
		return cfn{k: KindInt, i: run}, true
	case "one":
		return cfn{k: KindBool, b: func(s *evalState) bool { return run(s) == 1 }}, true
	case "any":
		return cfn{k: KindBool, b: func(s *evalState) bool { return run(s) == 1 }}, true
	case "none", "all":
		return cfn{k: KindBool, b: func(s *evalState) bool { return run(s) == 0 }}, true
	}
	return cfn{}, false
}

// aggMember compiles .prop / #.prop inside a predicate over events.
func (fb *fastBuilder) aggMember(prop string) (cfn, bool) {
	switch prop {
	case "type":
		return cfn{k: KindString, s: func(s *evalState) string { return s.agg.typ }}, true
	case "time":
		return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.agg.t }}, true
	}
	slot, found := fb.rs.propIdx[prop]
	if !found {
		return cfn{}, false
	}
	switch fb.rs.props[slot].kind {
	case KindString:
		return cfn{k: KindString, s: func(s *evalState) string { return s.agg.props[slot].str() }}, true
	case KindInt:
		return cfn{k: KindInt, i: func(s *evalState) int { return s.agg.props[slot].int() }}, true
	case KindFloat:
		return cfn{k: KindFloat, f: func(s *evalState) float64 { return s.agg.props[slot].float() }}, true
	case KindBool:
		return cfn{k: KindBool, b: func(s *evalState) bool { return s.agg.props[slot].bool() }}, true
	case KindTime:
		return cfn{k: KindTime, t: func(s *evalState) time.Time { return s.agg.props[slot].time() }}, true
	case KindList:
		return cfn{k: KindList, l: func(s *evalState) *Value { return &s.agg.props[slot] }}, true
	}
	return cfn{}, false
}

// tick charges one step of a loop inside an expression and checks the
// context every ctxEvery steps, so that a fast-path loop over thousands of
// events honours a deadline like the loops between rules do.
func (s *evalState) tick() {
	s.spent += loopStep
	if s.spent >= ctxEvery {
		s.checkContext()
	}
}
