package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/scoring"
)

// ruleInfo is a scoring rule seen in the rules file or in a contribution.
type ruleInfo struct {
	id, model string
	literal   bool
	current   float64 // the literal points
	sum       float64 // of the points it gave, for the mean
	count     int
	min, max  float64
}

// accumulator keeps, per lead with an outcome, only its score per model,
// its pattern index and its outcome; leads are added in input order, so
// every sum is the same whatever the worker count.
type accumulator struct {
	rs     *scoring.RuleSet
	cfg    *config
	models []string

	counts   Counts
	rejected []Rejection

	ruleIdx map[string]int
	rules   []ruleInfo

	patIdx map[string]int32
	pats   []pattern

	scores [][]float64 // [model][lead]
	won    []bool
	pat    []int32
	stage  []int16 // stage ordinal: -1 disqualified, i for Stages()[i], -2 none or other

	scratch []uint16
	key     []byte

	tMin, tMax time.Time // span of the capacity time field

	// The regression's view: only the estimable rules (fired for some
	// leads with an outcome and not for all: a rule that never fires has
	// no data, one that always fires is the intercept).
	est     []int // rule → parameter index − 1, or −1
	nEst    int
	reduced []pattern // a.pats with only the estimable rules' bits
}

// reduce fills est, nEst and reduced.
func (a *accumulator) reduce() {
	fired := make([]int, len(a.rules))
	for _, p := range a.pats {
		for _, j := range p.bits {
			fired[j] += int(p.n)
		}
	}
	a.est = make([]int, len(a.rules))
	a.nEst = 0
	for j, n := range fired {
		a.est[j] = -1
		if n > 0 && n < a.counts.Outcomes {
			a.est[j] = a.nEst
			a.nEst++
		}
	}
	a.reduced = make([]pattern, len(a.pats))
	for k, p := range a.pats {
		var bits []uint16
		for _, j := range p.bits {
			if e := a.est[j]; e >= 0 {
				bits = append(bits, uint16(e))
			}
		}
		a.reduced[k] = pattern{bits: bits, n: p.n, won: p.won}
	}
}

func newAccumulator(rs *scoring.RuleSet, cfg *config) *accumulator {
	a := &accumulator{rs: rs, cfg: cfg, models: rs.Models(), ruleIdx: map[string]int{}, patIdx: map[string]int32{}}
	a.scores = make([][]float64, len(a.models))
	if cfg.rules != nil {
		for _, r := range cfg.rules.rules {
			if _, dup := a.ruleIdx[r.ID]; dup {
				continue
			}
			a.ruleIdx[r.ID] = len(a.rules)
			ri := ruleInfo{id: r.ID, model: r.Model}
			if r.Points != nil {
				ri.literal, ri.current = true, *r.Points
			}
			a.rules = append(a.rules, ri)
		}
	}
	return a
}

const maxRules = math.MaxUint16

func (a *accumulator) add(s *scored) {
	a.counts.Read++
	if s.err != nil {
		a.counts.Rejected++
		a.rejected = append(a.rejected, Rejection{Line: s.line, Err: s.err})
		return
	}
	if !s.out.known {
		a.counts.Open++
		return
	}
	a.counts.Outcomes++
	if s.out.won {
		a.counts.Won++
	} else {
		a.counts.Lost++
	}
	a.scratch = a.scratch[:0]
	for _, f := range s.fired {
		i, ok := a.ruleIdx[f.rule]
		if !ok {
			i = len(a.rules)
			a.ruleIdx[f.rule] = i
			a.rules = append(a.rules, ruleInfo{id: f.rule, model: f.model})
		}
		r := &a.rules[i]
		if r.count == 0 || f.points < r.min {
			r.min = f.points
		}
		if r.count == 0 || f.points > r.max {
			r.max = f.points
		}
		r.count++
		r.sum += f.points
		if i < maxRules && !slices.Contains(a.scratch, uint16(i)) {
			a.scratch = append(a.scratch, uint16(i))
		}
	}
	slices.Sort(a.scratch)
	a.key = a.key[:0]
	for _, b := range a.scratch {
		a.key = append(a.key, byte(b), byte(b>>8))
	}
	p, ok := a.patIdx[unsafe.String(unsafe.SliceData(a.key), len(a.key))]
	if !ok {
		p = int32(len(a.pats))
		a.patIdx[string(a.key)] = p
		a.pats = append(a.pats, pattern{bits: slices.Clone(a.scratch)})
	}
	a.pats[p].n++
	if s.out.won {
		a.pats[p].won++
	}
	for i, v := range s.scores {
		a.scores[i] = append(a.scores[i], v)
	}
	if a.cfg.objective.field != "" {
		if a.tMin.IsZero() || s.t.Before(a.tMin) {
			a.tMin = s.t
		}
		if a.tMax.IsZero() || s.t.After(a.tMax) {
			a.tMax = s.t
		}
	}
	a.won = append(a.won, s.out.won)
	a.pat = append(a.pat, p)
	a.stage = append(a.stage, a.stageOrdinal(s.stage))
}

func (a *accumulator) stageOrdinal(st string) int16 {
	if st == scoring.DisqualifiedStage {
		return -1
	}
	for i, s := range a.rs.Stages() {
		if s == st {
			return int16(i)
		}
	}
	return -2
}

func (a *accumulator) few(won, lost int) bool {
	return won < a.cfg.minOutcomes || lost < a.cfg.minOutcomes
}

func (a *accumulator) warn(r *Report, code, subject, format string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{Code: code, Subject: subject, Msg: fmt.Sprintf(format, args...)})
}

func (a *accumulator) report(ctx context.Context, at time.Time) (*Report, error) {
	cfg := a.cfg
	a.counts.Patterns = len(a.pats)
	r := &Report{File: a.rs.File(), Version: a.rs.Version(), Hash: a.rs.Hash(), At: at, Field: cfg.field,
		Counts: a.counts, Rejected: a.rejected, Models: []ModelReport{}, Rules: []RuleEffect{}, Warnings: []Warning{}}
	if r.Rejected == nil {
		r.Rejected = []Rejection{}
	}
	if a.counts.Outcomes == 0 {
		return nil, fmt.Errorf("calibrate: no lead has an outcome in field %q (%d read, %d rejected, %d open): %w",
			cfg.field, a.counts.Read, a.counts.Rejected, a.counts.Open, ErrEmptyInput)
	}
	if len(a.rules) >= maxRules {
		return nil, fmt.Errorf("calibrate: %d scoring rules, at most %d can be calibrated: %w", len(a.rules), maxRules-1, diag.ErrInvalidInput)
	}
	z := math.Sqrt2 * math.Erfinv(cfg.confidence)
	total, won := a.counts.Outcomes, a.counts.Won
	overall := float64(won) / float64(total)
	oneClass := won == 0 || a.counts.Lost == 0
	if oneClass {
		a.warn(r, WarnOneClass, "", "all %d leads with an outcome were %s: no AUC, threshold or regression", total, map[bool]string{true: "lost", false: "won"}[won == 0])
	} else if a.few(won, a.counts.Lost) {
		a.warn(r, WarnFewOutcomes, "", "%d won and %d lost leads: fewer than %d of one; every figure is uncertain", won, a.counts.Lost, cfg.minOutcomes)
	}

	if o := &cfg.objective; o.field != "" {
		weeks := max(1, a.tMax.Sub(a.tMin).Hours()/(7*24))
		o.maxMQLs = int(min(math.Floor(float64(o.perWeek)*weeks), math.MaxInt32))
		r.CapacityWeeks, r.CapacityMQLs = weeks, o.maxMQLs
	}

	// The regression first: the calibration table shows its predictions.
	var f *fit
	var predicted []float64 // per pattern
	if !oneClass {
		var err error
		a.reduce()
		f, err = fitLogistic(ctx, a.reduced, a.nEst, cfg.lambda)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("calibrate: regression: %v: %w", err, diag.ErrInconsistentInput)
		}
		predicted = make([]float64, len(a.pats))
		for k := range a.pats {
			predicted[k] = sigmoid(linear(a.reduced[k].bits, f.beta))
		}
	}

	order := make([]int32, total)
	for mi, m := range a.models {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mr, err := a.model(r, m, a.scores[mi], order, overall, predicted, z)
		if err != nil {
			return nil, err
		}
		r.Models = append(r.Models, mr)
	}
	if cfg.stage != "" {
		r.Stages = a.stages(r, overall, z)
	}
	a.ruleEffects(r, f, z)
	if f != nil {
		a.suggestedBest(r)
	}
	return r, nil
}

// model is the calibration of one score model over the leads' scores x.
func (a *accumulator) model(r *Report, name string, x []float64, order []int32, overall float64, predicted []float64, z float64) (ModelReport, error) {
	cfg := a.cfg
	mr := ModelReport{Model: name, Bands: []Band{}, Calibration: []Group{}}
	var pos, neg []float64
	for i, v := range x {
		if a.won[i] {
			pos = append(pos, v)
		} else {
			neg = append(neg, v)
		}
	}
	if auc, ok := computeAUC(pos, neg, z, cfg.confidence); ok {
		mr.AUC = &auc
	}

	// Bands [k·w, (k+1)·w), in ascending order of score.
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(p, q int32) int { // ties in input order: deterministic
		switch {
		case x[p] < x[q]:
			return -1
		case x[p] > x[q]:
			return 1
		}
		return int(p - q)
	})
	n := len(order)
	for i := 0; i < n; {
		k := math.Floor(x[order[i]]/cfg.width) + 0
		b := Band{Lo: k * cfg.width, Hi: (k + 1) * cfg.width}
		if math.IsInf(b.Lo, 0) || math.IsInf(b.Hi, 0) || b.Lo == b.Hi {
			return mr, fmt.Errorf("%w: band width %g is too small for score %g of %s", ErrOption, cfg.width, x[order[i]], name)
		}
		for i < n && math.Floor(x[order[i]]/cfg.width) == k {
			b.Leads++
			if a.won[order[i]] {
				b.Won++
			}
			i++
		}
		b.Rate = float64(b.Won) / float64(b.Leads)
		if overall > 0 {
			b.Lift = b.Rate / overall
		}
		b.Few = a.few(b.Won, b.Leads-b.Won)
		if b.Few {
			a.warn(r, WarnFewBand, fmt.Sprintf("%s [%g, %g)", name, b.Lo, b.Hi), "band has %d won and %d lost leads: fewer than %d of one", b.Won, b.Leads-b.Won, cfg.minOutcomes)
		}
		mr.Bands = append(mr.Bands, b)
	}

	// Calibration groups by rank: the lead of rank r is in group ⌈r·G/N⌉,
	// and a tie block goes whole to the group of its mid-rank.
	groups := make([]Group, cfg.groups)
	for i := 0; i < n; {
		j := i
		for j < n && x[order[j]] == x[order[i]] {
			j++
		}
		// The block's mid-rank r̄ (1-based) puts it in group ⌈r̄·G/N⌉.
		mid := float64(i+j+1) / 2
		g := min(max(int(math.Ceil(mid*float64(cfg.groups)/float64(n)))-1, 0), cfg.groups-1)
		gr := &groups[g]
		if gr.Leads == 0 {
			gr.MinScore, gr.RankLo = x[order[i]], 100*float64(i)/float64(n)
		}
		gr.MaxScore, gr.RankHi = x[order[i]], 100*float64(j)/float64(n)
		for ; i < j; i++ {
			gr.Leads++
			if a.won[order[i]] {
				gr.Won++
			}
			if predicted != nil {
				if gr.Predicted == nil {
					gr.Predicted = new(float64)
				}
				*gr.Predicted += predicted[a.pat[order[i]]]
			}
		}
	}
	for g := range groups {
		gr := groups[g]
		if gr.Leads == 0 {
			continue
		}
		gr.Group = g + 1
		gr.Observed = float64(gr.Won) / float64(gr.Leads)
		if gr.Predicted != nil {
			*gr.Predicted /= float64(gr.Leads)
		}
		gr.Few = a.few(gr.Won, gr.Leads-gr.Won)
		mr.Calibration = append(mr.Calibration, gr)
	}

	mr.Best = a.best(x, order)
	if mr.Best == nil && a.counts.Won > 0 {
		a.warn(r, WarnNoThreshold, name, "no threshold of %s meets %s: the top score alone has more MQLs", name, cfg.objective)
	}
	return mr, nil
}

func (a *accumulator) stages(r *Report, overall, z float64) *StageReport {
	cfg := a.cfg
	labels := a.rs.Stages()
	sr := &StageReport{Stage: cfg.stage, Stages: []StageOutcome{}}
	target := int16(slices.Index(labels, cfg.stage))
	type acc struct{ leads, won int }
	byOrd := map[int16]*acc{}
	var pos, neg []float64
	th := Threshold{Objective: "stage"}
	for i, o := range a.stage {
		c := byOrd[o]
		if c == nil {
			c = &acc{}
			byOrd[o] = c
		}
		c.leads++
		if a.won[i] {
			c.won++
			pos = append(pos, float64(o))
		} else {
			neg = append(neg, float64(o))
		}
		if o >= target {
			th.MQLs++
			if a.won[i] {
				th.Won++
			}
		}
	}
	emit := func(label string, o int16) {
		c := byOrd[o]
		if c == nil {
			return
		}
		so := StageOutcome{Stage: label, Leads: c.leads, Won: c.won, Rate: float64(c.won) / float64(c.leads)}
		if overall > 0 {
			so.Lift = so.Rate / overall
		}
		so.Few = a.few(c.won, c.leads-c.won)
		if so.Few {
			a.warn(r, WarnFewStage, label, "stage has %d won and %d lost leads: fewer than %d of one", c.won, c.leads-c.won, cfg.minOutcomes)
		}
		sr.Stages = append(sr.Stages, so)
	}
	for i, l := range labels {
		emit(l, int16(i))
	}
	emit(scoring.DisqualifiedStage, -1)
	emit("", -2)
	if th.MQLs > 0 && a.counts.Won > 0 {
		th.Precision = float64(th.Won) / float64(th.MQLs)
		th.Recall = float64(th.Won) / float64(a.counts.Won)
		th.F1 = 2 * float64(th.Won) / float64(th.MQLs+a.counts.Won)
		sr.Current = &th
	}
	if auc, ok := computeAUC(pos, neg, z, cfg.confidence); ok {
		sr.AUC = &auc
	}
	return sr
}

// ruleEffects fills r.Rules and r.Regression.
func (a *accumulator) ruleEffects(r *Report, f *fit, z float64) {
	cfg := a.cfg
	fired := make([][2]int, len(a.rules)) // leads, won
	for _, p := range a.pats {
		for _, j := range p.bits {
			fired[j][0] += int(p.n)
			fired[j][1] += int(p.won)
		}
	}
	total, won := a.counts.Outcomes, a.counts.Won
	for j, ri := range a.rules {
		e := RuleEffect{Rule: ri.id, Model: ri.model, Literal: ri.literal, Current: ri.current,
			Fired: fired[j][0], FiredWon: fired[j][1]}
		e.NotFired, e.NotFiredWon = total-e.Fired, won-e.FiredWon
		if !ri.literal && ri.count > 0 {
			e.Current = ri.sum / float64(ri.count)
		}
		e.PointsVary = ri.count > 0 && ri.min != ri.max
		if e.Fired > 0 {
			v := float64(e.FiredWon) / float64(e.Fired)
			e.FiredRate = &v
		}
		if e.NotFired > 0 {
			v := float64(e.NotFiredWon) / float64(e.NotFired)
			e.NotFiredRate = &v
		}
		if e.FiredRate != nil && e.NotFiredRate != nil {
			v := *e.FiredRate - *e.NotFiredRate
			e.Effect = &v
		}
		e.Few = a.few(e.FiredWon, e.Fired-e.FiredWon)
		if e.Few {
			a.warn(r, WarnFewRule, ri.id, "fired for %d won and %d lost leads: fewer than %d of one", e.FiredWon, e.Fired-e.FiredWon, cfg.minOutcomes)
		}
		r.Rules = append(r.Rules, e)
	}
	if f == nil {
		return
	}
	reg := &Regression{Lambda: cfg.lambda, Intercept: f.beta[0], InterceptSE: math.Sqrt(f.cov[0][0]),
		Iterations: f.iterations, Converged: f.converged, LogLik: f.logLik, Confidence: cfg.confidence}
	if !f.converged {
		a.warn(r, WarnNotConverged, "", "the regression did not converge in %d iterations", f.iterations)
	}
	if cfg.pdo > 0 {
		reg.Scale, reg.ScaleMethod = cfg.pdo/math.Ln2, "pdo"
	} else {
		// Least squares through the origin of the current points on the
		// coefficients: s = Σ c_j·β_j / Σ β_j².
		var num, den float64
		for j, e := range r.Rules {
			if a.est[j] < 0 {
				continue
			}
			b := f.beta[1+a.est[j]]
			num += e.Current * b
			den += b * b
		}
		s := num / den
		switch {
		case a.nEst == 0:
			const pdo = 20
			reg.Scale, reg.ScaleMethod = pdo/math.Ln2, "pdo"
		case !(s > 0) || math.IsInf(s, 0):
			const pdo = 20
			a.warn(r, WarnScale, "", "the current points do not rise with the fitted log-odds (scale %v): %d points per doubling of the odds used", s, pdo)
			reg.Scale, reg.ScaleMethod = pdo/math.Ln2, "pdo"
		default:
			reg.Scale, reg.ScaleMethod = s, "fit"
		}
	}
	for j := range r.Rules {
		e := &r.Rules[j]
		if a.est[j] < 0 {
			e.Suggested, e.SuggestedLo, e.SuggestedHi = e.Current, e.Current, e.Current
			what := "never fired"
			if e.Fired > 0 {
				what = "fired for every lead"
			}
			a.warn(r, WarnNotEstimable, e.Rule, "%s with an outcome: no coefficient; the points stay %.4g", what, e.Current)
			continue
		}
		e.Estimable = true
		q := 1 + a.est[j]
		b, se := f.beta[q], math.Sqrt(f.cov[q][q])
		e.Coefficient, e.SE = b, se
		e.CoefLo, e.CoefHi = b-z*se, b+z*se
		e.Suggested = math.Round(b*reg.Scale) + 0
		e.SuggestedLo, e.SuggestedHi = e.CoefLo*reg.Scale, e.CoefHi*reg.Scale
		e.Distinguishable = e.Current < e.SuggestedLo || e.Current > e.SuggestedHi
		if !e.Distinguishable {
			a.warn(r, WarnIndistinguishable, e.Rule, "suggested %g points is not distinguishable from the current %.4g (interval %.1f to %.1f)", e.Suggested, e.Current, e.SuggestedLo, e.SuggestedHi)
		}
	}
	r.Regression = reg
}

// best is the threshold "score ≥ t" over the leads' scores x that
// maximises the objective, walking the distinct scores from the top (so
// that a tie goes to the higher threshold); nil when no lead won or none
// meets the objective. order is scratch space of len(x).
func (a *accumulator) best(x []float64, order []int32) *Threshold {
	cfg := a.cfg
	allWon := a.counts.Won
	if allWon == 0 {
		return nil
	}
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(p, q int32) int { // ties in input order: deterministic
		switch {
		case x[p] > x[q]:
			return -1
		case x[p] < x[q]:
			return 1
		}
		return int(p - q)
	})
	var best *Threshold
	mqls, tp, n := 0, 0, len(order)
	for i := 0; i < n; {
		v := x[order[i]]
		for i < n && x[order[i]] == v {
			mqls++
			if a.won[order[i]] {
				tp++
			}
			i++
		}
		t := Threshold{Score: v, Objective: cfg.objective.kind, MQLs: mqls, Won: tp,
			Precision: float64(tp) / float64(mqls), Recall: float64(tp) / float64(allWon),
			F1: 2 * float64(tp) / float64(mqls+allWon)}
		switch cfg.objective.kind {
		case "f1":
			if best == nil || t.F1 > best.F1 {
				best = &t
			}
		case "capacity":
			if mqls <= cfg.objective.maxMQLs && (best == nil || t.Won > best.Won) {
				best = &t
			}
		}
	}
	return best
}

// suggestedBest sets each model's SuggestedBest: the best threshold of
// the score the suggested points would give. Per lead, the score changes
// by the sum, over its fired rules of the model whose points are a literal
// that never varied, of suggested − current points (for a combined model,
// the sum of its parts' changes, known WithRules), clamped to the model's
// min and max (known WithRules). Other rules keep the points they gave.
// Caps of changed rules are not replayed: it is the threshold to start
// from, which revengine diff then checks.
func (a *accumulator) suggestedBest(r *Report) {
	delta := make([]float64, len(r.Rules))
	for j, e := range r.Rules {
		if e.Literal && !e.PointsVary && e.Estimable {
			delta[j] = e.Suggested - e.Current
		}
	}
	var defs map[string]modelDef
	if a.cfg.rules != nil {
		defs = map[string]modelDef{}
		for _, md := range a.cfg.rules.models {
			defs[md.name] = md
		}
	}
	// Per pattern, the change of every model.
	change := make([][]float64, len(a.models))
	for mi, m := range a.models {
		md, known := defs[m]
		change[mi] = make([]float64, len(a.pats))
		for k, p := range a.pats {
			var d float64
			if known && len(md.sum) > 0 {
				for _, part := range md.sum {
					if pi := slices.Index(a.models, part); pi >= 0 && pi < mi {
						d += change[pi][k]
					}
				}
			} else {
				for _, j := range p.bits {
					if a.rules[j].model == m {
						d += delta[j]
					}
				}
			}
			change[mi][k] = d
		}
	}
	x := make([]float64, len(a.pat))
	order := make([]int32, len(a.pat))
	for mi, m := range a.models {
		md := defs[m]
		for i, p := range a.pat {
			v := a.scores[mi][i] + change[mi][p]
			if md.min != nil && v < *md.min {
				v = *md.min
			}
			if md.max != nil && v > *md.max {
				v = *md.max
			}
			x[i] = v
		}
		r.Models[mi].SuggestedBest = a.best(x, order)
	}
}
