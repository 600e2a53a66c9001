package scoring

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/revengine/revengine/internal/duration"
)

// Next change: when, with no new data, the lead's result would next change
// — its grade, stage or segments (a decaying score falling below a
// threshold, an event leaving a window, a recycle rule firing), or its SLA
// being breached — so that a service sets a timer instead of rescoring
// every lead every day.
//
// It is found by evaluating the lead again at later times with the state
// this evaluation ends in: at the SLA deadline, at every boundary the rules
// can cross (each event's and time field's time plus each duration the
// rules name — windows, within — and plus each day count compared with
// days_since), and on a grid over the horizon for decay; the first interval
// with a change is then bisected to the second. Changes that appear and
// vanish between two such times are not seen; with no new data scores only
// decay and windows only empty, so in practice the first change is found.

// WithNextChange asks Score to report the lead's next change within the
// horizon (Result.NextChangeAt, Result.NextChange). It costs a few dozen
// more evaluations of the lead; without it nothing is computed.
func WithNextChange(horizon time.Duration) EvalOption {
	return func(c *evalConfig) { c.horizon = horizon }
}

// gridPoints is the number of times on the horizon's grid, denser near now.
const gridPoints = 48

// maxBoundaries bounds the boundary times tried per lead.
const maxBoundaries = 512

type outcome struct {
	grade, stage, segments string
	breached               bool
}

func outcomeOf(r *Result) outcome {
	return outcome{grade: r.Grade, stage: r.Stage, segments: strings.Join(r.Segments, ","), breached: r.SLA.Breached}
}

func (o outcome) diff(n outcome) string {
	var parts []string
	if o.stage != n.stage {
		parts = append(parts, fmt.Sprintf("stage %s → %s", o.stage, n.stage))
	}
	if o.grade != n.grade {
		parts = append(parts, fmt.Sprintf("grade %s → %s", o.grade, n.grade))
	}
	if o.segments != n.segments {
		parts = append(parts, fmt.Sprintf("segments [%s] → [%s]", o.segments, n.segments))
	}
	if !o.breached && n.breached {
		parts = append(parts, fmt.Sprintf("SLA of %s breached", n.stage))
	}
	return strings.Join(parts, "; ")
}

// nextChange fills res.NextChangeAt and res.NextChange. The lead is loaded
// in s; each probe re-runs the evaluation at a later time from the state
// res ends in, without routing rotation (a probe must not take a turn).
func (s *evalState) nextChange(res *Result) {
	at, horizon := res.At, s.cfg.horizon
	state := res.State
	s.cfg.rotation = nil
	probe := func(t time.Time) (outcome, bool) {
		s.rewind(t, state)
		r, err := s.evaluate()
		if err != nil {
			return outcome{}, false
		}
		return outcomeOf(r), true
	}
	base, ok := probe(at)
	if !ok {
		return
	}
	end := at.Add(horizon)
	times := s.boundaries(res, at, end)
	for i := 1; i <= gridPoints; i++ {
		f := float64(i) / gridPoints
		times = append(times, at.Add(time.Duration(f*f*float64(horizon))))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	times = slices.CompactFunc(times, func(a, b time.Time) bool { return a.Equal(b) })
	prev := at
	for _, t := range times {
		if !t.After(at) || t.After(end) {
			continue
		}
		o, ok := probe(t)
		if !ok {
			return
		}
		if o == base {
			prev = t
			continue
		}
		// The change is in (prev, t]: bisect to the second.
		lo, hi, hiOut := prev, t, o
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			mo, ok := probe(mid)
			if !ok {
				return
			}
			if mo == base {
				lo = mid
			} else {
				hi, hiOut = mid, mo
			}
		}
		res.NextChangeAt, res.NextChange = hi, base.diff(hiOut)
		return
	}
}

// boundaries are the times at which a rule's window or threshold can flip:
// each event's and time field's time plus each duration the rules name
// (and a nanosecond later, for strict comparisons), plus the SLA deadline.
func (s *evalState) boundaries(res *Result, at, end time.Time) []time.Time {
	rs := s.rs
	var out []time.Time
	if !res.SLA.Deadline.IsZero() && !res.SLA.Breached {
		out = append(out, res.SLA.Deadline, res.SLA.Deadline.Add(time.Nanosecond))
	}
	if len(rs.spans) == 0 {
		return out
	}
	var bases []time.Time
	for i := range s.events {
		bases = append(bases, s.events[i].t)
	}
	for i := range rs.fields {
		if v := s.vals[rs.fields[i].slot]; v.kind == KindTime && !v.time().IsZero() {
			bases = append(bases, v.time())
		}
	}
	for _, b := range bases {
		for _, d := range rs.spans {
			t := b.Add(d)
			if t.After(at) && !t.After(end) {
				out = append(out, t, t.Add(time.Nanosecond))
			}
		}
		if len(out) >= maxBoundaries {
			break
		}
	}
	return out
}

// rewind resets the evaluation scratch of s, keeping the loaded lead, for
// an evaluation at t from state st.
func (s *evalState) rewind(t time.Time, st State) {
	s.at = t
	s.ev, s.agg = nil, nil
	s.past, s.pastOK, s.envPast = s.past[:0], false, false
	s.grade, s.segments = "", nil
	s.segVal.set(kindVal(KindList))
	s.gradeVal.set(emptyStrVal)
	s.contribs, s.segBuf, s.stageBy = s.contribs[:0], s.segBuf[:0], nil
	s.envLead, s.envEvent = false, nil
	s.cur, s.curRule = noExpr, ""
	clear(s.scores)
	clear(s.fired)
	s.ignored = s.ignored[:0]
	s.givenStage = false
	if st.Stage != "" {
		_ = s.setStage(st.Stage) // a stage of this rule set: it came from a result
	}
	s.stageEntered = st.EnteredAt
}

// collectSpans gathers, at load, the durations rules compare times with —
// duration("…") literals, within, and day counts compared with days_since
// — for the boundaries of next change.
func (c *compiler) collectSpans(root ast.Node) {
	visit(root, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "duration" && len(x.Arguments) == 1 {
				if str, ok := x.Arguments[0].(*ast.StringNode); ok {
					if d, err := duration.Parse(str.Value); err == nil {
						c.addSpan(d)
					}
				}
			}
		case *ast.BuiltinNode:
			if x.Name == "duration" && len(x.Arguments) == 1 {
				if str, ok := x.Arguments[0].(*ast.StringNode); ok {
					if d, err := duration.Parse(str.Value); err == nil {
						c.addSpan(d)
					}
				}
			}
		case *ast.BinaryNode:
			switch x.Operator {
			case "<", "<=", ">", ">=":
				if callsDaysSince(x.Left) || callsDaysSince(x.Right) {
					for _, side := range []ast.Node{x.Left, x.Right} {
						switch v := side.(type) {
						case *ast.IntegerNode:
							c.addSpan(time.Duration(v.Value) * 24 * time.Hour)
						case *ast.FloatNode:
							c.addSpan(time.Duration(v.Value * float64(24*time.Hour)))
						}
					}
				}
			}
		}
	})
}

func callsDaysSince(n ast.Node) bool {
	found := false
	visit(n, func(x ast.Node) {
		if c, ok := x.(*ast.CallNode); ok {
			if id, ok := c.Callee.(*ast.IdentifierNode); ok && id.Value == "days_since" {
				found = true
			}
		}
	})
	return found
}

func (c *compiler) addSpan(d time.Duration) {
	if d > 0 && !slices.Contains(c.rs.spans, d) && len(c.rs.spans) < 64 {
		c.rs.spans = append(c.rs.spans, d)
	}
}
