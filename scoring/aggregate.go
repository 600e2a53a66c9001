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
// events, or filter(source, condition).
func (fb *fastBuilder) eventSource(n ast.Node) (func(s *evalState, yield func() bool), bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		if x.Value != "events" {
			return nil, false
		}
		return func(s *evalState, yield func() bool) {
			prev := s.agg
			defer func() { s.agg = prev }()
			for _, ev := range s.pastEvents() {
				s.agg = ev
				s.tick()
				if !yield() {
					return
				}
			}
		}, true
	case *ast.BuiltinNode:
		if x.Name != "filter" || len(x.Arguments) != 2 {
			return nil, false
		}
		src, ok := fb.eventSource(x.Arguments[0])
		if !ok {
			return nil, false
		}
		cond, ok := fb.predicate(x.Arguments[1])
		if !ok || cond.k != KindBool {
			return nil, false
		}
		c := cond.b
		return func(s *evalState, yield func() bool) {
			src(s, func() bool {
				if c(s) {
					return yield()
				}
				return true
			})
		}, true
	}
	return nil, false
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

// aggregate compiles count, any, all, none, one and sum over events.
func (fb *fastBuilder) aggregate(x *ast.BuiltinNode) (cfn, bool) {
	if len(x.Arguments) != 2 || fb.inAgg > 0 {
		return cfn{}, false
	}
	src, ok := fb.eventSource(x.Arguments[0])
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
			return cfn{k: KindInt, i: func(s *evalState) int {
				total := 0
				src(s, func() bool { total = addInt(total, f(s)); return true })
				return total
			}}, true
		case KindFloat:
			f := body.f
			return cfn{k: KindFloat, f: func(s *evalState) float64 {
				total := 0.0
				src(s, func() bool { total += f(s); return true })
				return total
			}}, true
		}
		return cfn{}, false
	}
	if body.k != KindBool {
		return cfn{}, false
	}
	c := body.b
	switch x.Name {
	case "count":
		return cfn{k: KindInt, i: func(s *evalState) int {
			n := 0
			src(s, func() bool {
				if c(s) {
					n++
				}
				return true
			})
			return n
		}}, true
	case "any":
		return cfn{k: KindBool, b: func(s *evalState) bool {
			found := false
			src(s, func() bool { found = c(s); return !found })
			return found
		}}, true
	case "all":
		return cfn{k: KindBool, b: func(s *evalState) bool {
			all := true
			src(s, func() bool { all = c(s); return all })
			return all
		}}, true
	case "none":
		return cfn{k: KindBool, b: func(s *evalState) bool {
			found := false
			src(s, func() bool { found = c(s); return !found })
			return !found
		}}, true
	case "one":
		return cfn{k: KindBool, b: func(s *evalState) bool {
			n := 0
			src(s, func() bool {
				if c(s) {
					n++
				}
				return n < 2
			})
			return n == 1
		}}, true
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
		s.spent = 0
		if s.ctx.Err() != nil {
			s.fail(errCanceled)
		}
	}
}
