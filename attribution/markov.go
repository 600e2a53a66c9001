package attribution

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Names of the Markov chain's special states in MarkovDetails.
const (
	StartState      = "(start)"
	ConversionState = "(conversion)"
	NullState       = "(null)"
)

// A MarkovValueRule says how the Markov model credits conversion value.
type MarkovValueRule int

const (
	// RemovalValue (the default) splits the total value in proportion to
	// the channels' value removal effects: 1 − V(without the channel)/V,
	// where V is the chain's expected conversion value (see Markov).
	RemovalValue MarkovValueRule = iota
	// ShareValue credits each channel its conversion share × total value.
	ShareValue
)

// String returns "removal" or "share", the CLI's --markov-value names.
func (r MarkovValueRule) String() string {
	if r == ShareValue {
		return "share"
	}
	return "removal"
}

// MarshalText encodes the rule by its name, "removal" or "share" (so it is
// a string in JSON).
func (r MarkovValueRule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes "removal" or "share".
func (r *MarkovValueRule) UnmarshalText(b []byte) error {
	v, err := ParseMarkovValueRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// ParseMarkovValueRule returns the rule named s: "removal" or "share".
func ParseMarkovValueRule(s string) (MarkovValueRule, error) {
	switch s {
	case "removal":
		return RemovalValue, nil
	case "share":
		return ShareValue, nil
	}
	return 0, fmt.Errorf("attribution: unknown markov value rule %q (want removal or share)", s)
}

// WithMarkovValue selects the value rule of the Markov model (default
// RemovalValue).
func WithMarkovValue(r MarkovValueRule) ModelOption { return func(c *modelConfig) { c.value = r } }

// MarkovDetails is the fitted chain behind a Markov result.
//
// JSON: order, value_rule ("removal" or "share"), conversion_probability,
// expected_value_minor, states and transitions (from, to, count,
// probability).
type MarkovDetails struct {
	Order     int             `json:"order"`
	ValueRule MarkovValueRule `json:"value_rule"`
	// ConversionProbability is P(reaching ConversionState from StartState)
	// in the full chain. For a chain fitted to complete journeys it equals
	// the attributable conversions / journeys with touches.
	ConversionProbability float64 `json:"conversion_probability"`
	// ExpectedValue is V, the expected conversion value per journey in
	// the full chain, in minor units of the result's currency (a mean, so
	// fractional): attributable value / journeys with touches.
	ExpectedValue float64 `json:"expected_value_minor"`
	// States names the transient states: StartState, then each window of
	// up to Order channels, e.g. "email > paid_search", sorted.
	States []string `json:"states"`
	// Transitions is the transition matrix, sparse: every observed
	// transition with its count and probability, sorted by From then To.
	Transitions []Transition `json:"transitions"`
}

// A Transition is one entry of the Markov transition matrix.
type Transition struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Count       int64   `json:"count"`       // journeys (weighted by path counts) making the step
	Probability float64 `json:"probability"` // Count / all steps out of From
}

type markov struct {
	order   int
	value   MarkovValueRule
	minJ    int64
	privacy PrivacyRule
}

// Markov is the data-driven Markov chain removal-effect model of order k
// (k ≥ 1), solved exactly.
//
// The chain: a journey with touches c1 … cn walks StartState → s1 → … → sn
// → ConversionState (or NullState if it did not convert), where si is the
// window of the last min(i, k) channels up to ci; consecutive identical
// states collapse into one, so at order 1 there are no self-loops. Transition
// probabilities are the observed step counts, weighted by path counts,
// divided by all steps out of the state.
//
// Removal effect of channel c: every state whose window contains c is
// redirected to NullState; RE(c) = 1 − P_c/P, where P and P_c are the
// probabilities of absorption in ConversionState from StartState with and
// without c. Conversions are split in proportion to the removal effects.
//
// Value (RemovalValue, the default): the expected conversion value is
// V = Σ over states s of P(absorbed in ConversionState directly from s) ×
// mean value of the converting journeys whose last state is s; V_c is the
// same sum in the chain without c, and the total value is split in
// proportion to 1 − V_c/V. With ShareValue the value follows the conversion
// shares instead.
//
// The absorption probabilities are the exact solution of the sparse linear
// system x = e_start + Pᵀx over the transient states (expected visits): by
// Gaussian elimination with partial pivoting up to 300 states and by
// Gauss–Seidel iteration to a relative change and an estimated relative
// error below 1e-14 above — never by simulating random walks, so results are
// the same on every run.
//
// The options that apply are WithMarkovValue and WithPrivacyThreshold
// (WithOrder is ModelByName's: order wins here).
func Markov(order int, opts ...ModelOption) Model {
	c := newModelConfig(opts)
	return markov{order: order, value: c.value, minJ: c.minJourneys, privacy: c.privacy}
}

// Name returns "markov".
func (m markov) Name() string { return "markov" }

// NeedsTimes reports false: the chain needs only the channel paths.
func (m markov) NeedsTimes() bool { return false }

// chain is the fitted state graph. State 0 is the start.
type chain struct {
	win      []string   // encoded channel ids of each state's window
	chanSets [][]uint16 // distinct channel ids of each window
	out      []int64    // all steps out of each state
	conv     []int64    // steps into ConversionState
	null     []int64    // steps into NullState
	value    []int64    // value of the journeys converting from the state
	edges    map[uint64]int64
	// incoming edges, CSR: inStart[t]..inStart[t+1] index inFrom/inProb
	inStart []int32
	inFrom  []int32
	inProb  []float64
}

func buildChain(ctx context.Context, a *Aggregate, k int) (*chain, error) {
	c := &chain{edges: map[uint64]int64{}}
	ids := map[string]int32{"": 0}
	c.win = append(c.win, "")
	grow := func() {
		c.out = append(c.out, 0)
		c.conv = append(c.conv, 0)
		c.null = append(c.null, 0)
		c.value = append(c.value, 0)
	}
	grow()
	// Order 1: a state is a channel, found by its id, and with few
	// channels the edges are counted in a matrix, then moved to the map.
	var idOf []int32 // the state of each channel; -1 before it appears
	var dense []int64
	var seen []bool
	nsMax := len(a.chans) + 1
	if k == 1 {
		idOf = make([]int32, len(a.chans))
		for i := range idOf {
			idOf[i] = -1
		}
		if nsMax <= 256 {
			dense, seen = make([]int64, nsMax*nsMax), make([]bool, nsMax*nsMax)
		}
	}
	for pi := range a.paths {
		if pi&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := &a.paths[pi]
		n := len(p.key) / 2
		prev, prevWin := int32(0), ""
		if idOf != nil {
			prevCh := -1
			for i := 0; i < n; i++ {
				ch := int(keyID(p.key, i))
				if ch == prevCh {
					continue
				}
				id := idOf[ch]
				if id < 0 {
					id = int32(len(c.win))
					idOf[ch] = id
					c.win = append(c.win, p.key[2*i:2*i+2])
					grow()
				}
				if dense != nil {
					e := int(prev)*nsMax + int(id)
					dense[e] += p.journeys
					seen[e] = true
				} else {
					c.edges[uint64(prev)<<32|uint64(id)] += p.journeys
				}
				c.out[prev] += p.journeys
				prev, prevCh = id, ch
			}
		}
		for i := 0; i < n && idOf == nil; i++ {
			lo := max(0, i-k+1)
			w := p.key[2*lo : 2*(i+1)]
			if w == prevWin {
				continue
			}
			id, ok := ids[w]
			if !ok {
				id = int32(len(c.win))
				ids[w] = id
				c.win = append(c.win, w)
				grow()
			}
			c.edges[uint64(prev)<<32|uint64(id)] += p.journeys
			c.out[prev] += p.journeys
			prev, prevWin = id, w
		}
		c.out[prev] += p.journeys
		c.conv[prev] += p.conversions
		c.null[prev] += p.journeys - p.conversions
		c.value[prev] += p.value
	}
	ns := len(c.win)
	for e, ok := range seen {
		if ok {
			c.edges[uint64(e/nsMax)<<32|uint64(e%nsMax)] = dense[e]
		}
	}
	c.chanSets = make([][]uint16, ns)
	for s, w := range c.win {
		var set []uint16
		for i := 0; i < len(w)/2; i++ {
			id := keyID(w, i)
			if !containsID(set, id) {
				set = append(set, id)
			}
		}
		c.chanSets[s] = set
	}
	c.inStart = make([]int32, ns+1)
	for e := range c.edges {
		c.inStart[int32(e)+1]++
	}
	for t := 0; t < ns; t++ {
		c.inStart[t+1] += c.inStart[t]
	}
	c.inFrom = make([]int32, len(c.edges))
	c.inProb = make([]float64, len(c.edges))
	fill := append([]int32(nil), c.inStart[:ns]...)
	// Sort edges so the CSR (and with it every floating-point sum) does not
	// depend on map iteration order.
	keys := make([]uint64, 0, len(c.edges))
	for e := range c.edges {
		keys = append(keys, e)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, e := range keys {
		s, t := int32(e>>32), int32(e)
		c.inFrom[fill[t]] = s
		c.inProb[fill[t]] = float64(c.edges[e]) / float64(c.out[s])
		fill[t]++
	}
	return c, nil
}

func containsID(set []uint16, id uint16) bool {
	for _, x := range set {
		if x == id {
			return true
		}
	}
	return false
}

// solve returns the expected visits x of every transient state, with the
// removed states sent to NullState (x = 0 there).
func (c *chain) solve(ctx context.Context, removed []bool) ([]float64, error) {
	if len(c.win) <= 300 {
		return c.solveDirect(removed), nil
	}
	return c.solveIterative(ctx, removed)
}

// solveIterative is Gauss–Seidel on x_t = [t = start] + Σ_s P(s,t) x_s,
// sweeping the states in order of first appearance (close to topological,
// since most steps go from shorter to longer prefixes of journeys).
func (c *chain) solveIterative(ctx context.Context, removed []bool) ([]float64, error) {
	ns := len(c.win)
	x := make([]float64, ns)
	x[0] = 1
	// Stop when the estimated remaining error, δ·ρ/(1−ρ) with δ the last
	// sweep's largest change and ρ ≈ δ/δ_prev the contraction rate, is below
	// tol relative to the solution (the change alone understates the error
	// of a slowly contracting chain).
	const tol = 1e-14
	const maxIter = 1000000
	prevDelta := math.Inf(1)
	for it := 0; it < maxIter; it++ {
		if it&15 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var maxDelta, maxX float64
		for t := 1; t < ns; t++ {
			if removed[t] {
				continue
			}
			var v float64
			for e := c.inStart[t]; e < c.inStart[t+1]; e++ {
				if s := c.inFrom[e]; !removed[s] {
					v += c.inProb[e] * x[s]
				}
			}
			maxDelta = math.Max(maxDelta, math.Abs(v-x[t]))
			maxX = math.Max(maxX, v)
			x[t] = v
		}
		rho := maxDelta / prevDelta
		prevDelta = maxDelta
		if maxDelta == 0 || (it > 0 && maxDelta <= tol*maxX && rho < 1 && maxDelta*rho/(1-rho) <= tol*maxX) {
			return x, nil
		}
	}
	return nil, ErrNotConverged
}

// solveDirect solves (I − Pᵀ) x = e_start over the kept states by Gaussian
// elimination with partial pivoting.
func (c *chain) solveDirect(removed []bool) []float64 {
	ns := len(c.win)
	idx := make([]int, ns)
	var kept []int
	for s := 0; s < ns; s++ {
		idx[s] = -1
		if !removed[s] {
			idx[s] = len(kept)
			kept = append(kept, s)
		}
	}
	n := len(kept)
	A := make([]float64, n*(n+1)) // augmented, row-major
	row := func(i int) []float64 { return A[i*(n+1) : (i+1)*(n+1)] }
	for i, t := range kept {
		r := row(i)
		r[i] = 1
		for e := c.inStart[t]; e < c.inStart[t+1]; e++ {
			if j := idx[c.inFrom[e]]; j >= 0 {
				r[j] -= c.inProb[e]
			}
		}
	}
	row(0)[n] = 1 // start is kept[0]
	for col := 0; col < n; col++ {
		p := col
		for i := col + 1; i < n; i++ {
			if math.Abs(row(i)[col]) > math.Abs(row(p)[col]) {
				p = i
			}
		}
		if p != col {
			rp, rc := row(p), row(col)
			for j := col; j <= n; j++ {
				rp[j], rc[j] = rc[j], rp[j]
			}
		}
		rc := row(col)
		piv := rc[col]
		for i := col + 1; i < n; i++ {
			ri := row(i)
			f := ri[col] / piv
			if f == 0 {
				continue
			}
			for j := col; j <= n; j++ {
				ri[j] -= f * rc[j]
			}
		}
	}
	y := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		r := row(i)
		v := r[n]
		for j := i + 1; j < n; j++ {
			v -= r[j] * y[j]
		}
		y[i] = v / r[i]
	}
	x := make([]float64, ns)
	for i, s := range kept {
		x[s] = y[i]
	}
	return x
}

// absorb returns P(conversion) and the expected conversion value V for the
// visits x: Σ x_s·conv_s/out_s and Σ x_s·conv_s/out_s · value_s/conv_s.
func (c *chain) absorb(x []float64, removed []bool) (p, v float64) {
	for s := range x {
		if removed[s] || c.conv[s] == 0 {
			continue
		}
		p += x[s] * float64(c.conv[s]) / float64(c.out[s])
		v += x[s] * float64(c.value[s]) / float64(c.out[s])
	}
	return p, v
}

func (m markov) run(ctx context.Context, a *Aggregate) (*Result, error) {
	if m.order < 1 {
		return nil, fmt.Errorf("%w: %d", ErrBadOrder, m.order)
	}
	a, priv := a.private(m.minJ, m.privacy, false)
	res := newResult(m.Name(), a)
	res.Privacy, res.Warnings = priv, privacyWarning(priv)
	if res.TotalConversions == 0 {
		return nil, ErrNoConversions
	}
	var c *chain
	var err error
	if a.replicaOf != nil {
		// A bootstrap replicate: the chain of the view it was drawn from,
		// with the replicate's counts.
		var t *chainTemplate
		if t, err = a.replicaOf.markovTemplate(ctx, m.order); err == nil {
			c = t.chain(a)
		}
	} else {
		c, err = buildChain(ctx, a, m.order)
	}
	if err != nil {
		return nil, err
	}
	ns := len(c.win)
	removed := make([]bool, ns)
	x, err := c.solve(ctx, removed)
	if err != nil {
		return nil, err
	}
	p, v := c.absorb(x, removed)
	if !(p > 0) {
		return nil, ErrNoConversions
	}
	nc := len(a.chans)
	re := make([]float64, nc)
	vre := make([]float64, nc)
	var sumRE, sumVRE float64
	for ch := 0; ch < nc; ch++ {
		touched := false
		for s := range removed {
			removed[s] = containsID(c.chanSets[s], uint16(ch))
			touched = touched || removed[s]
		}
		if !touched {
			continue // channel only on paths without journeys
		}
		xc, err := c.solve(ctx, removed)
		if err != nil {
			return nil, err
		}
		pc, vc := c.absorb(xc, removed)
		// Removing states can only lower the absorption; clamp rounding.
		re[ch] = math.Max(0, 1-pc/p)
		if v > 0 {
			vre[ch] = math.Max(0, 1-vc/v)
		}
		sumRE += re[ch]
		sumVRE += vre[ch]
	}
	if !(sumRE > 0) {
		return nil, ErrNoConversions
	}
	cr := make([]credit, nc)
	for ch := range cr {
		share := re[ch] / sumRE
		cr[ch].conv = share * float64(res.TotalConversions)
		switch {
		case m.value == ShareValue:
			cr[ch].value = share * float64(res.TotalValue.Amount)
		case sumVRE > 0:
			cr[ch].value = vre[ch] / sumVRE * float64(res.TotalValue.Amount)
		}
	}
	res.finish(a, cr, nil)
	for i := range res.Channels {
		id := a.chanID[res.Channels[i].Channel]
		res.Channels[i].RemovalEffect = re[id]
		res.Channels[i].ValueRemovalEffect = vre[id]
	}
	if a.replicaOf == nil {
		res.Markov = c.details(a, m, p, v)
	}
	return res, nil
}

func (c *chain) details(a *Aggregate, m markov, p, v float64) *MarkovDetails {
	names := make([]string, len(c.win))
	names[0] = StartState
	for s := 1; s < len(c.win); s++ {
		names[s] = strings.Join(a.decode(c.win[s]), " > ")
	}
	d := &MarkovDetails{Order: m.order, ValueRule: m.value, ConversionProbability: p, ExpectedValue: v}
	d.States = append([]string(nil), names...)
	sort.Strings(d.States[1:])
	for e, n := range c.edges {
		s, t := int(e>>32), int(int32(e))
		d.Transitions = append(d.Transitions, Transition{From: names[s], To: names[t], Count: n, Probability: float64(n) / float64(c.out[s])})
	}
	for s := range c.win {
		if c.conv[s] > 0 {
			d.Transitions = append(d.Transitions, Transition{From: names[s], To: ConversionState, Count: c.conv[s], Probability: float64(c.conv[s]) / float64(c.out[s])})
		}
		if c.null[s] > 0 {
			d.Transitions = append(d.Transitions, Transition{From: names[s], To: NullState, Count: c.null[s], Probability: float64(c.null[s]) / float64(c.out[s])})
		}
	}
	sort.Slice(d.Transitions, func(i, j int) bool {
		ti, tj := d.Transitions[i], d.Transitions[j]
		if ti.From != tj.From {
			return ti.From < tj.From
		}
		return ti.To < tj.To
	})
	return d
}

// A chainTemplate is the state graph of a view's order-k chain without its
// counts: every state and edge the view's paths use, and for each path the
// edges it steps through and its last state. A bootstrap replicate's chain
// is the template with the replicate's counts, built without any map.
type chainTemplate struct {
	win      []string
	chanSets [][]uint16
	from     []int32 // edges, sorted by (from, to)
	inStart  []int32 // CSR by target: inStart[t]..inStart[t+1] index inEdge
	inEdge   []int32
	pathAt   []int32 // path i's edges are pathEdge[pathAt[i]:pathAt[i+1]]
	pathEdge []int32
	last     []int32 // path i's last state
}

// markovTemplate returns the view's order-k template, built once.
func (v *Aggregate) markovTemplate(ctx context.Context, k int) (*chainTemplate, error) {
	v.viewMu.Lock()
	defer v.viewMu.Unlock()
	if t := v.templates[k]; t != nil {
		return t, nil
	}
	c, err := buildChain(ctx, v, k)
	if err != nil {
		return nil, err
	}
	t := &chainTemplate{win: c.win, chanSets: c.chanSets}
	keys := make([]uint64, 0, len(c.edges))
	for e := range c.edges {
		keys = append(keys, e)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	edgeID := make(map[uint64]int32, len(keys))
	ns := len(c.win)
	t.inStart = make([]int32, ns+1)
	for i, e := range keys {
		edgeID[e] = int32(i)
		t.from = append(t.from, int32(e>>32))
		t.inStart[int32(e)+1]++
	}
	for s := 0; s < ns; s++ {
		t.inStart[s+1] += t.inStart[s]
	}
	t.inEdge = make([]int32, len(keys))
	fill := append([]int32(nil), t.inStart[:ns]...)
	for i, e := range keys {
		to := int32(e)
		t.inEdge[fill[to]] = int32(i)
		fill[to]++
	}
	ids := make(map[string]int32, ns)
	for s, w := range c.win {
		ids[w] = int32(s)
	}
	t.pathAt = make([]int32, len(v.paths)+1)
	t.last = make([]int32, len(v.paths))
	for pi := range v.paths {
		p := &v.paths[pi]
		n := len(p.key) / 2
		prev, prevWin := int32(0), ""
		for i := 0; i < n; i++ {
			w := p.key[2*max(0, i-k+1) : 2*(i+1)]
			if w == prevWin {
				continue
			}
			id := ids[w]
			t.pathEdge = append(t.pathEdge, edgeID[uint64(prev)<<32|uint64(id)])
			prev, prevWin = id, w
		}
		t.last[pi] = prev
		t.pathAt[pi+1] = int32(len(t.pathEdge))
	}
	if v.templates == nil {
		v.templates = map[int]*chainTemplate{}
	}
	v.templates[k] = t
	return t, nil
}

// chain returns the template's chain with the counts of rep, a replicate
// of the template's view (rep's paths name their view path in src).
func (t *chainTemplate) chain(rep *Aggregate) *chain {
	ns := len(t.win)
	c := &chain{win: t.win, chanSets: t.chanSets, out: make([]int64, ns), conv: make([]int64, ns),
		null: make([]int64, ns), value: make([]int64, ns), inStart: t.inStart}
	cnt := make([]int64, len(t.from))
	for i := range rep.paths {
		p := &rep.paths[i]
		for _, e := range t.pathEdge[t.pathAt[p.src]:t.pathAt[p.src+1]] {
			cnt[e] += p.journeys
			c.out[t.from[e]] += p.journeys
		}
		l := t.last[p.src]
		c.out[l] += p.journeys
		c.conv[l] += p.conversions
		c.null[l] += p.journeys - p.conversions
		c.value[l] += p.value
	}
	c.inFrom = make([]int32, len(t.inEdge))
	c.inProb = make([]float64, len(t.inEdge))
	for j, e := range t.inEdge {
		s := t.from[e]
		c.inFrom[j] = s
		if c.out[s] > 0 {
			c.inProb[j] = float64(cnt[e]) / float64(c.out[s])
		}
	}
	return c
}
