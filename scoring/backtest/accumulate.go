package backtest

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/revengine/revengine/scoring"
)

// accumulator gathers the report from the pairs, added in input order so
// that every floating-point sum is the same from run to run.
type accumulator struct {
	oldRules, newRules *scoring.RuleSet
	width              float64
	field              string
	bandModel          string // "" when no outcomes by band

	stageLabels []string
	models      []string
	oldHas      map[string]bool
	newHas      map[string]bool

	counts   Counts
	rejected []Rejection

	stages, grades, routes map[[2]string]int
	values                 map[string]*[2][]float64 // model → values of the compared leads per side
	sums                   map[string]*[2]sum
	moves                  map[string]*Moves
	segments               map[string]*SegmentDiff

	stageOut map[string]*[2]outStats
	bandOut  map[float64]*[2]outStats // band index → stats

	err error // a band that cannot be formed
}

// outStats is OutcomeStats being summed.
type outStats struct {
	leads, withOutcome, won int
	revenue                 sum
}

// sum is a Neumaier-compensated sum: the rounding error of each addition is
// carried, so sums of many revenue figures lose nothing to order.
type sum struct{ s, c float64 }

func (k *sum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k *sum) value() float64 { return k.s + k.c + 0 } // + 0 turns -0 into 0

func newAccumulator(oldRules, newRules *scoring.RuleSet, cfg *config) (*accumulator, error) {
	a := &accumulator{
		oldRules: oldRules, newRules: newRules, width: cfg.bandWidth, field: cfg.outcomes,
		stageLabels: append(mergeOrder(oldRules.Stages(), newRules.Stages()), scoring.DisqualifiedStage),
		models:      mergeOrder(oldRules.Models(), newRules.Models()),
		oldHas:      map[string]bool{}, newHas: map[string]bool{},
		stages: map[[2]string]int{}, grades: map[[2]string]int{}, routes: map[[2]string]int{},
		values: map[string]*[2][]float64{}, sums: map[string]*[2]sum{}, moves: map[string]*Moves{},
		segments: map[string]*SegmentDiff{},
		stageOut: map[string]*[2]outStats{}, bandOut: map[float64]*[2]outStats{},
	}
	for _, m := range oldRules.Models() {
		a.oldHas[m] = true
	}
	for _, m := range newRules.Models() {
		a.newHas[m] = true
	}
	for _, m := range a.models {
		a.values[m] = &[2][]float64{}
		a.sums[m] = &[2]sum{}
		if a.oldHas[m] && a.newHas[m] {
			a.moves[m] = &Moves{}
		}
	}
	if cfg.outcomes != "" {
		switch {
		case cfg.model != "":
			if !a.oldHas[cfg.model] || !a.newHas[cfg.model] {
				return nil, fmt.Errorf("%w: outcome model %q is not a score model of both rule sets (old: %v, new: %v)",
					ErrOption, cfg.model, oldRules.Models(), newRules.Models())
			}
			a.bandModel = cfg.model
		default:
			for _, m := range oldRules.Models() {
				if a.newHas[m] {
					a.bandModel = m
					break
				}
			}
		}
	}
	return a, nil
}

func label(s string) string {
	if s == "" {
		return None
	}
	return s
}

// destination is where a result routed the lead: the owner, else the
// queue, else None.
func destination(r *scoring.Result) string {
	if r.Route.Owner != "" {
		return r.Route.Owner
	}
	return label(r.Route.Queue)
}

func (a *accumulator) add(p *pair) {
	a.counts.Read++
	switch {
	case p.oldErr != nil && p.newErr != nil:
		a.counts.RejectedBoth++
	case p.oldErr != nil:
		a.counts.RejectedOldOnly++
	case p.newErr != nil:
		a.counts.RejectedNewOnly++
	default:
		a.counts.Compared++
		a.compare(p)
		return
	}
	a.rejected = append(a.rejected, Rejection{Line: p.line, Old: p.oldErr, New: p.newErr})
}

func (a *accumulator) compare(p *pair) {
	o, n := p.old, p.new
	a.stages[[2]string{label(o.Stage), label(n.Stage)}]++
	a.grades[[2]string{label(o.Grade), label(n.Grade)}]++
	a.routes[[2]string{destination(o), destination(n)}]++

	for _, m := range a.models {
		ov, oOK := o.Score(m)
		nv, nOK := n.Score(m)
		vs, ss := a.values[m], a.sums[m]
		if oOK {
			vs[0] = append(vs[0], ov)
			ss[0].add(ov)
		}
		if nOK {
			vs[1] = append(vs[1], nv)
			ss[1].add(nv)
		}
		if mv := a.moves[m]; mv != nil && oOK && nOK {
			switch {
			case nv > ov:
				mv.Up++
			case nv < ov:
				mv.Down++
			default:
				mv.Unchanged++
			}
		}
	}

	for _, s := range o.Segments {
		a.segment(s).Old++
		if !slices.Contains(n.Segments, s) {
			a.segment(s).Lost++
		}
	}
	for _, s := range n.Segments {
		a.segment(s).New++
		if !slices.Contains(o.Segments, s) {
			a.segment(s).Gained++
		}
	}

	if a.field == "" {
		return
	}
	a.stageStats(label(o.Stage))[0].count(p.out)
	a.stageStats(label(n.Stage))[1].count(p.out)
	if a.bandModel != "" {
		ov, _ := o.Score(a.bandModel)
		nv, _ := n.Score(a.bandModel)
		a.bandStats(a.band(ov))[0].count(p.out)
		a.bandStats(a.band(nv))[1].count(p.out)
	}
}

func (a *accumulator) segment(id string) *SegmentDiff {
	s := a.segments[id]
	if s == nil {
		s = &SegmentDiff{Segment: id}
		a.segments[id] = s
	}
	return s
}

func (a *accumulator) stageStats(stage string) *[2]outStats {
	s := a.stageOut[stage]
	if s == nil {
		s = &[2]outStats{}
		a.stageOut[stage] = s
	}
	return s
}

func (a *accumulator) bandStats(k float64) *[2]outStats {
	s := a.bandOut[k]
	if s == nil {
		s = &[2]outStats{}
		a.bandOut[k] = s
	}
	return s
}

// band returns the index k of the band [k·width, (k+1)·width) holding v.
// When the width is so small for v that the band's bounds cannot be told
// apart or are not finite, it records an ErrOption error for the report.
func (a *accumulator) band(v float64) float64 {
	k := math.Floor(v/a.width) + 0 // + 0 turns -0 into 0
	if math.IsInf(k, 0) || math.Abs(k) >= 1<<53 || math.IsInf((k+1)*a.width, 0) || math.IsInf(k*a.width, 0) {
		if a.err == nil {
			a.err = fmt.Errorf("%w: band width %g is too small for score %g", ErrOption, a.width, v)
		}
		return 0
	}
	return k
}

func (s *outStats) count(o outcome) {
	s.leads++
	if o.known {
		s.withOutcome++
		if o.won {
			s.won++
		}
	}
	s.revenue.add(o.revenue)
}

func (s *outStats) stats() OutcomeStats {
	st := OutcomeStats{Leads: s.leads, WithOutcome: s.withOutcome, Won: s.won, Revenue: s.revenue.value()}
	if s.withOutcome > 0 {
		r := float64(s.won) / float64(s.withOutcome)
		st.ConversionRate = &r
	}
	return st
}

func info(rs *scoring.RuleSet) RuleSetInfo {
	return RuleSetInfo{File: rs.File(), Name: rs.Name(), Version: rs.Version(), Hash: rs.Hash()}
}

func (a *accumulator) report(at time.Time) (*Report, error) {
	r := &Report{
		Old: info(a.oldRules), New: info(a.newRules), At: at,
		Counts: a.counts, Rejected: a.rejected,
		Stages:    matrix(a.stages, a.stageLabels),
		Grades:    matrix(a.grades, nil),
		Routes:    matrix(a.routes, nil),
		BandWidth: a.width,
		Scores:    []ScoreDiff{},
		Segments:  []SegmentDiff{},
	}
	if r.Rejected == nil {
		r.Rejected = []Rejection{}
	}
	for _, m := range a.models {
		vs, ss := a.values[m], a.sums[m]
		d := ScoreDiff{Model: m, Old: distribution(vs[0], ss[0]), New: distribution(vs[1], ss[1]), Moves: a.moves[m], Bands: []Band{}}
		bands := map[float64]*Band{}
		for side, values := range vs {
			for _, v := range values {
				k := a.band(v)
				b := bands[k]
				if b == nil {
					b = &Band{Lo: k * a.width, Hi: (k + 1) * a.width}
					bands[k] = b
				}
				if side == 0 {
					b.Old++
				} else {
					b.New++
				}
			}
		}
		for _, k := range sortedKeys(bands) {
			d.Bands = append(d.Bands, *bands[k])
		}
		r.Scores = append(r.Scores, d)
	}
	ids := make([]string, 0, len(a.segments))
	for id := range a.segments {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r.Segments = append(r.Segments, *a.segments[id])
	}
	if a.field != "" {
		out := &Outcomes{Field: a.field, Model: a.bandModel, Stages: []StageOutcome{}, Bands: []BandOutcome{}}
		for _, st := range r.Stages.Labels {
			s := a.stageOut[st]
			if s == nil {
				s = &[2]outStats{}
			}
			out.Stages = append(out.Stages, StageOutcome{Stage: st, Old: s[0].stats(), New: s[1].stats()})
		}
		for _, k := range sortedKeys(a.bandOut) {
			s := a.bandOut[k]
			out.Bands = append(out.Bands, BandOutcome{Lo: k * a.width, Hi: (k + 1) * a.width, Old: s[0].stats(), New: s[1].stats()})
		}
		r.Outcomes = out
	}
	if a.err != nil {
		return nil, a.err
	}
	return r, nil
}

func sortedKeys[V any](m map[float64]V) []float64 {
	keys := make([]float64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// matrix lays out pair counts with the base labels first, in their order,
// then any other label seen, sorted, with None last.
func matrix(counts map[[2]string]int, base []string) Matrix {
	labels := slices.Clone(base)
	var extra []string
	hasNone := false
	for k := range counts {
		for _, l := range k {
			switch {
			case slices.Contains(labels, l), slices.Contains(extra, l):
			case l == None:
				hasNone = true
			default:
				extra = append(extra, l)
			}
		}
	}
	sort.Strings(extra)
	labels = append(labels, extra...)
	if hasNone {
		labels = append(labels, None)
	}
	m := Matrix{Labels: labels, Counts: make([][]int, len(labels))}
	if m.Labels == nil {
		m.Labels = []string{}
	}
	idx := make(map[string]int, len(labels))
	for i, l := range labels {
		idx[l] = i
		m.Counts[i] = make([]int, len(labels))
	}
	for k, c := range counts {
		i, j := idx[k[0]], idx[k[1]]
		m.Counts[i][j] += c
		if i != j {
			m.Changed += c
		}
	}
	return m
}

// distribution summarises values (see Distribution for the percentile
// method); nil when there are none.
func distribution(values []float64, s sum) *Distribution {
	n := len(values)
	if n == 0 {
		return nil
	}
	x := slices.Clone(values)
	slices.Sort(x)
	rank := func(p int) float64 { // nearest rank: x_k, k = ⌈p·n/100⌉
		k := (p*n + 99) / 100
		return x[k-1]
	}
	mean := s.value() / float64(n)
	if math.IsInf(mean, 0) || math.IsNaN(mean) { // the sum overflowed: add the values divided by n
		var m sum
		for _, v := range values {
			m.add(v / float64(n))
		}
		mean = m.value()
	}
	return &Distribution{
		Count: n, Mean: mean,
		Min: x[0], P10: rank(10), Median: rank(50), P90: rank(90), Max: x[n-1],
	}
}
