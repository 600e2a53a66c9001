package scoring

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/expr-lang/expr/file"
)

// evalErr is panicked inside evaluation and recovered by evaluate; it keeps
// error plumbing out of the hot closures.
type evalErr struct{ err error }

func (s *evalState) fail(err error) {
	panic(evalErr{err})
}

// evaluate scores the loaded lead and builds the result.
func (s *evalState) evaluate() (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			var cause error
			switch x := r.(type) {
			case evalErr:
				cause = x.err
			case evalPanic:
				cause = errors.New(x.msg)
			case error:
				cause = x
			default:
				cause = fmt.Errorf("%v", x)
			}
			if le, ok := isLeadErr(cause); ok {
				res, err = nil, le
				return
			}
			if errors.Is(cause, errCanceled) {
				cause = s.ctx.Err()
			}
			if errors.Is(cause, ErrLimit) || s.ctx.Err() != nil {
				res, err = nil, cause
				return
			}
			line, col, label := 0, 0, s.curRule
			if e := s.rs.expr(s.cur); e != nil {
				line, col = e.line, e.col
				if e.owner != "" {
					label = e.owner
				}
			}
			res, err = nil, newEvalErr(s.rs.file, line, col, label, cause)
		}
	}()
	rs := s.rs
	res = &Result{LeadID: s.id, RuleSet: rs.name, Version: rs.version, Hash: rs.hash, At: s.at}
	var scores []Score
	if len(rs.models) <= len(res.scoreBuf) {
		scores = res.scoreBuf[:len(rs.models)]
	} else {
		scores = make([]Score, len(rs.models))
	}
	// The contributions and inputs are appended to local slices, stored
	// back once: a store of s.contribs per rule would be a pointer write,
	// with its write barrier, each time.
	contribs, stage := s.contribs, s.curStage
	for _, mi := range rs.order {
		m := &rs.models[mi]
		c0 := len(contribs)
		total := 0.0
		for _, ref := range m.sum {
			v := s.scores[ref.idx]
			contribs = append(contribs, contribScratch{model: int32(mi), rule: -1 - int32(ref.idx), points: v})
			total += v
			if !finite(total) {
				s.cur, s.curRule = noExpr, m.name
				s.fail(fmt.Errorf("score %s overflows to %v: not a finite number", m.name, total))
			}
		}
		if m.plainCost > 0 {
			s.spendSteps(m.plainCost) // the plain rules' conditions, at once
		}
		// The plain rules' conditions first (candidates), then the rules
		// they picked: Go keeps no register across a call, and a loop
		// that carries the trace would spill and reload a dozen around
		// each condition.
		cand, picked := m.all, m.conds != nil
		if picked {
			cand = s.candidates(m.conds)
		}
		for _, ri := range cand {
			r := &m.rules[ri]
			var pts float64
			var n int
			if r.plain {
				// An attribute rule with a fast condition and constant
				// points: the condition's closure, called directly,
				// unless the first pass did.
				if w := r.when; w != nil && !picked {
					s.cur = w.id
					if !w.fast.b(s) {
						continue
					}
				}
				pts = r.points
			} else {
				var ok bool
				if pts, n, ok = s.rule(r); !ok {
					continue
				}
			}
			capped := false
			if r.cap > 0 {
				if pts > r.cap {
					pts, capped = r.cap, true
				} else if pts < -r.cap {
					pts, capped = -r.cap, true
				}
			}
			// Filled field by field in place: a composite literal is built
			// on the stack and copied in 16-byte moves that cannot be
			// forwarded from its narrower stores, a stall per rule.
			contribs = slices.Grow(contribs, 1)[:len(contribs)+1]
			c := &contribs[len(contribs)-1]
			c.model, c.rule, c.events = int32(mi), ri, int32(n)
			c.capped, c.points = capped, pts
			if len(s.fired) > 0 {
				s.fired[r.num] = true
			}
			total += pts
			if !finite(total) {
				s.cur, s.curRule = r.when.idOf(), r.id
				if r.pointsExpr != nil {
					s.cur = r.pointsExpr.id
				}
				s.fail(fmt.Errorf("score %s overflows to %v with this rule's %v points: not a finite number", m.name, total, pts))
			}
		}
		v := total
		if m.hasMin && v < m.min {
			v = m.min
		}
		if m.hasMax && v > m.max {
			v = m.max
		}
		s.scores[mi] = v
		sc := &scores[mi]
		sc.Name, sc.Value, sc.Raw = m.name, v, total
		sc.tr, sc.c0, sc.c1 = &res.tr, int32(c0), int32(len(contribs))
	}
	s.contribs = contribs
	s.cur, s.curRule = noExpr, ""
	if s.ctx.Err() != nil {
		return nil, s.ctx.Err()
	}
	grade := -1
	for gi := range rs.grades {
		g := &rs.grades[gi]
		if g.when == nil || s.cond(g.when) {
			s.grade, grade = g.grade, gi
			s.gradeVal.set(g.val)
			break
		}
	}
	res.Grade = s.grade
	s.segmentsEval()
	res.Segments = s.segments
	s.stageEval(res)
	s.routeEval(res)
	for i := range rs.roles {
		r := &rs.roles[i]
		if s.cond(r.when) {
			res.Roles = append(res.Roles, r.id)
		}
	}
	s.cur, s.curRule = noExpr, ""

	s.buildTrace(res, grade, stage, s.stageBy)
	res.Scores = scores
	if len(s.ignored) > 0 {
		res.Ignored = slices.Clone(s.ignored)
	}
	return res, nil
}

var errCanceled = errors.New("scoring: evaluation canceled")

// candidates runs the plain rules' conditions of a model (model.conds) and
// returns, in order, the rules whose condition held and the rules that are
// not plain, which evaluate then checks one by one.
func (s *evalState) candidates(conds []plainCond) []int32 {
	cand := s.cand[:len(conds)] // one per rule of the model: RuleSet.maxRules
	n := 0
	for i := range conds {
		c := &conds[i]
		if c.b != nil {
			s.cur = c.id
			if !c.b(s) {
				continue
			}
		}
		cand[n] = c.rule
		n++
	}
	return cand[:n]
}

// rule evaluates one score rule: its points, the events that matched, and
// whether it fired.
func (s *evalState) rule(r *rule) (pts float64, n int, fired bool) {
	if !r.event {
		if r.when != nil && !s.cond(r.when) {
			return 0, 0, false
		}
		return s.points(r), 0, true
	}
	total := 0.0
	for i := range s.events {
		ev := &s.events[i]
		if ev.typ != r.on {
			continue
		}
		age := s.at.Sub(ev.t)
		if age < 0 {
			continue // an event after the evaluation time has not happened yet
		}
		if r.within > 0 && age > r.within {
			continue
		}
		s.ev = ev
		if r.when != nil && !s.cond(r.when) {
			continue
		}
		p := s.points(r)
		if r.halfLife > 0 {
			p *= math.Exp2(-float64(age) / float64(r.halfLife))
		}
		total += p
		if !finite(total) {
			s.cur, s.curRule = r.when.idOf(), r.id
			s.fail(fmt.Errorf("points over the lead's events overflow to %v: not a finite number", total))
		}
		n++
	}
	s.ev = nil
	return total, n, n > 0
}

func (s *evalState) points(r *rule) float64 {
	if r.pointsExpr == nil {
		return r.points
	}
	p := s.num(r.pointsExpr)
	if !finite(p) {
		s.fail(fmt.Errorf("points are %v, not a finite number", p))
	}
	return p
}

// ctxEvery is the work, in estimated steps, between two checks of the
// context: with one evaluation bounded by Limits.Cost/100, Score notices a
// cancelled context within that much work plus ctxEvery.
const ctxEvery = 20000

// spend charges e's static cost and checks the context when enough work
// has been done since the last check. It is the run-time half of the cost
// bound: cheap on the hot path (an add and a compare), and it turns a
// deadline into an error within milliseconds however many rules and events
// a lead has.
func (s *evalState) spend(e *expression) {
	s.cur = e.id
	s.spendSteps(e.cost + 1)
}

// spendSteps counts estimated evaluation steps, checking the context
// every ctxEvery of them.
func (s *evalState) spendSteps(n float64) {
	s.spent += n
	if s.spent >= ctxEvery {
		s.checkContext()
	}
}

// checkContext is the slow half of spendSteps and tick, out of line so that
// they inline.
//
//go:noinline
func (s *evalState) checkContext() {
	s.spent = 0
	if s.ctx.Err() != nil {
		s.fail(errCanceled)
	}
}

// cond evaluates a boolean expression.
func (s *evalState) cond(e *expression) bool {
	s.spend(e)
	if e.fast.b != nil {
		return e.fast.b(s)
	}
	out := s.runVM(e)
	b, ok := out.(bool)
	if !ok {
		s.fail(fmt.Errorf("condition gave %T, not bool", out))
	}
	return b
}

// num evaluates a numeric expression.
func (s *evalState) num(e *expression) float64 {
	s.spend(e)
	if e.fast.f != nil {
		return e.fast.f(s)
	}
	switch v := s.runVM(e).(type) {
	case float64:
		return v
	case int:
		return float64(v)
	default:
		s.fail(fmt.Errorf("points gave %T, not a number", v))
		return 0
	}
}

// runVM evaluates e on expr's VM with the environment filled from the
// normalised lead.
func (s *evalState) runVM(e *expression) any {
	rs := s.rs
	if !s.env.IsValid() {
		s.env = rs.newEnv()
		s.env.Elem().Field(rs.env.daysSince).Set(reflect.ValueOf(s.daysSince))
		s.env.Elem().Field(rs.env.firedFn).Set(reflect.ValueOf(s.firedRule))
	}
	env := s.env.Elem()
	if !s.envLead {
		for slot, idx := range rs.env.fields {
			setValue(env.Field(idx), s.vals[slot])
		}
		env.Field(rs.env.at).Set(reflect.ValueOf(s.at))
		s.envLead = true
	}
	sc := env.Field(rs.env.scores)
	for mi := range rs.models {
		if fi := rs.env.scoreIdx[mi]; fi >= 0 {
			sc.Field(fi).SetFloat(s.scores[mi])
		}
	}
	env.Field(rs.env.grade).SetString(s.grade)
	env.Field(rs.env.stage).SetString(s.stage)
	env.Field(rs.env.segments).Set(reflect.ValueOf(s.segments))
	if s.ev != nil && s.envEvent != s.ev {
		ev := env.Field(rs.env.event)
		ev.Field(0).SetString(s.ev.typ)
		ev.Field(1).Set(reflect.ValueOf(s.ev.t))
		for j, v := range s.ev.props {
			setValue(ev.Field(2+j), v)
		}
		s.envEvent = s.ev
	}
	if e.usesEvents && !s.envPast {
		s.eventsEnv(env.Field(rs.env.events))
		s.envPast = true
	}
	out, err := s.vm.Run(e.prog, s.env.Interface())
	if err != nil {
		// expr's error carries a snippet of the source; the module's
		// error gives the position in the rules file instead.
		var fe *file.Error
		if errors.As(err, &fe) {
			if fe.Prev != nil {
				err = fe.Prev
			} else {
				err = errors.New(fe.Message)
			}
		}
		s.fail(err)
	}
	return out
}

// stageEval moves the lead through the lifecycle: disqualify rules first,
// then recycle rules (backwards only), then forward to the highest stage
// whose condition holds. A stage never moves backwards except by recycle.
func (s *evalState) stageEval(res *Result) {
	rs := s.rs
	if len(rs.stages) == 0 && len(rs.disqualify) == 0 {
		return
	}
	prev := s.curStage
	if s.givenStage {
		res.PreviousStage = s.stage
	}
	next, by := prev, ""
	var byExpr *expression
	disqualified := false
	for i := range rs.disqualify {
		r := &rs.disqualify[i]
		if s.cond(r.when) {
			// A lead already disqualified whose rule still fires stays
			// put: it must not be recycled on the next evaluation.
			disqualified = true
			if prev != -1 {
				next, by, byExpr = -1, r.id, r.when
			}
			break
		}
	}
	if !disqualified {
		for i := range rs.recycle {
			r := &rs.recycle[i]
			if !(prev == -1 || r.to < prev) {
				continue
			}
			if s.cond(r.when) {
				next, by, byExpr = r.to, r.id, r.when
				break
			}
		}
	}
	if by == "" && prev >= 0 {
		for i := len(rs.stages) - 1; i > prev; i-- {
			st := &rs.stages[i]
			if s.cond(st.when) {
				next, by, byExpr = i, st.id, st.when
				break
			}
		}
	}
	s.cur, s.curRule = noExpr, ""
	if next == -1 {
		res.Stage = DisqualifiedStage
	} else if next < len(rs.stages) {
		res.Stage = rs.stages[next].id
	}
	changed := next != prev || !s.givenStage
	res.StageChanged = changed
	if next != prev {
		res.StageRule = by
		s.stageBy = byExpr
	}
	// The stage left: its visit, judged against its SLA at the real
	// handoff time.
	if next != prev && s.givenStage {
		v := &StageVisit{Stage: stageName(rs, prev), EnteredAt: s.stageEntered, LeftAt: s.at}
		if prev >= 0 && prev < len(rs.stages) {
			st := &rs.stages[prev]
			if st.leftAt >= 0 {
				if t := s.vals[st.leftAt]; t.kind == KindTime && !t.time().IsZero() && !t.time().After(s.at) &&
					(v.EnteredAt.IsZero() || !t.time().Before(v.EnteredAt)) {
					v.LeftAt = t.time().UTC()
				}
			}
			if st.sla > 0 && !v.EnteredAt.IsZero() {
				v.Within, v.Deadline = st.slaText, v.EnteredAt.Add(st.sla)
				v.SLA = SLAMet
				if v.LeftAt.After(v.Deadline) {
					v.SLA = SLABreached
				}
			}
		}
		res.Left = v
	}
	s.curStage = next
	s.stage = res.Stage
	s.stageVal.set(stageValue(rs, next))
	entered := s.stageEntered
	if changed {
		entered = s.at
	}
	res.StageEnteredAt = entered
	res.State.Stage, res.State.EnteredAt = res.Stage, entered
	if next >= 0 && next < len(rs.stages) && rs.stages[next].sla > 0 {
		if !entered.IsZero() {
			d := rs.stages[next].sla
			res.SLA = SLA{Within: rs.stages[next].slaText, EnteredAt: entered, Deadline: entered.Add(d)}
			res.SLA.Breached = s.at.After(res.SLA.Deadline)
		}
	}
}

// stageName is the id of stage index i (−1: disqualified).
func stageName(rs *RuleSet, i int) string {
	if i < 0 {
		return DisqualifiedStage
	}
	if i < len(rs.stages) {
		return rs.stages[i].id
	}
	return ""
}
