package attribution

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/revengine/revengine/internal/diag"
)

// BootstrapConfig configures Bootstrap. The zero value means 1000
// replicates, a 95% interval, seed 0 and one worker per CPU.
type BootstrapConfig struct {
	// Replicates is the number of bootstrap samples (default
	// DefaultReplicates; 2 to MaxReplicates).
	Replicates int
	// Level is the confidence level of the intervals, in (0, 1)
	// (default 0.95).
	Level float64
	// Seed seeds the generator: replicate r draws from PCG(Seed, r), so
	// the intervals do not depend on Workers or on scheduling.
	Seed uint64
	// Workers is how many replicates run at once (default GOMAXPROCS).
	Workers int
}

// DefaultReplicates is the number of bootstrap replicates when none is set.
const DefaultReplicates = 1000

// MaxReplicates bounds BootstrapConfig.Replicates: the replicates' credits
// are held until the intervals are taken.
const MaxReplicates = 1_000_000

// ErrBootstrap marks an invalid BootstrapConfig.
var ErrBootstrap = errors.New("invalid bootstrap configuration")

// An Interval is a bootstrap confidence interval of one channel's credit,
// [low, high] for each measure. Low ≤ the model's estimate ≤ High need not
// hold: a percentile interval is not centred on the estimate.
type Interval struct {
	Conversions [2]float64 `json:"conversions"`
	ValueMinor  [2]float64 `json:"value_minor"`
	Share       [2]float64 `json:"share"`
}

// BootstrapInfo describes how a result's intervals were computed.
type BootstrapInfo struct {
	Replicates int     `json:"replicates"`
	Level      float64 `json:"level"`
	Seed       uint64  `json:"seed"`
	Method     string  `json:"method"` // "percentile"
	// Failed counts replicates on which the model had nothing to credit
	// (a resample without conversions); the intervals use the others.
	Failed int `json:"failed,omitempty"`
}

// Bootstrap runs each model on a and adds to every channel of each result a
// bootstrap confidence interval (ChannelCredit.CI) of its credited
// conversions, value and share, and to the result its BootstrapInfo.
//
// Method: the nonparametric bootstrap of Efron (1979), resampling whole
// journeys with replacement, done on the path aggregate so that it costs
// one pass over the distinct paths per replicate, not over the journeys:
// a replicate draws the number of times each (path, converted) cell of the
// aggregate is chosen from the multinomial distribution of N draws (N the
// journeys, journeys without touches included) over the cells with
// probabilities count/N — by sequential conditional binomials, exact
// (Hörmann 1993 BTRS above a mean of 10, inversion below). The resampled
// journeys of a cell carry its mean value and, for the time-based models,
// its mean journey-level credit, so value intervals reflect the path mix,
// not the spread of values within a path. The interval is the percentile
// interval: the (1−Level)/2 and (1+Level)/2 quantiles of the replicates
// (Hyndman & Fan type 7, linear interpolation). The same seed gives the
// same intervals; the result's point estimates are Run's.
//
// ctx is checked between replicates.
func Bootstrap(ctx context.Context, a *Aggregate, cfg BootstrapConfig, models ...Model) (res []*Result, err error) {
	defer diag.Recover(&err, "attribution: Bootstrap")
	if cfg.Replicates == 0 {
		cfg.Replicates = DefaultReplicates
	}
	if cfg.Level == 0 {
		cfg.Level = 0.95
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case cfg.Replicates < 2 || cfg.Replicates > MaxReplicates:
		return nil, fmt.Errorf("%w: %w: %d replicates (want 2 to %d)", ErrBootstrap, ErrInvalidInput, cfg.Replicates, MaxReplicates)
	case !(cfg.Level > 0 && cfg.Level < 1):
		return nil, fmt.Errorf("%w: %w: level %g (want 0 < level < 1)", ErrBootstrap, ErrInvalidInput, cfg.Level)
	}
	if a == nil {
		a = &Aggregate{}
	}
	for _, m := range models {
		r, err := Run(ctx, a, m)
		if err != nil {
			return nil, err
		}
		res = append(res, r)
	}
	v := a.view()
	// pos[m] maps a channel name to its index in the result of model m: a
	// replicate's result may lack a channel (PooledChannel when no rare
	// path was drawn), which then has zero credit.
	pos := make([]map[string]int, len(res))
	for i, r := range res {
		pos[i] = make(map[string]int, len(r.Channels))
		for ci, c := range r.Channels {
			pos[i][c.Channel] = ci
		}
	}
	// draws[m][r] holds replicate r's credits of model m, 3 per channel
	// (conversions, value, share); nil when the model failed on it.
	draws := make([][][]float64, len(models))
	for i := range draws {
		draws[i] = make([][]float64, cfg.Replicates)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < min(cfg.Workers, cfg.Replicates); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("%w: attribution: Bootstrap: %v", ErrInternal, p) })
					cancel()
				}
			}()
			rs := newResampler(v)
			for {
				r := int(next.Add(1) - 1)
				if r >= cfg.Replicates {
					return
				}
				if err := cctx.Err(); err != nil {
					return
				}
				rep := rs.sample(rand.New(rand.NewPCG(cfg.Seed, uint64(r))))
				for mi, m := range models {
					out, err := m.run(cctx, rep)
					if err != nil {
						if errors.Is(err, ErrNoConversions) || errors.Is(err, ErrNeedsTimes) {
							continue
						}
						errOnce.Do(func() { firstErr = fmt.Errorf("%s: %w", m.Name(), err) })
						cancel()
						return
					}
					d := make([]float64, 3*len(pos[mi]))
					for _, c := range out.Channels {
						if ci, ok := pos[mi][c.Channel]; ok {
							d[3*ci], d[3*ci+1], d[3*ci+2] = c.Conversions, c.ValueMinor, c.Share
						}
					}
					draws[mi][r] = d
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lo, hi := (1-cfg.Level)/2, (1+cfg.Level)/2
	col := make([]float64, 0, cfg.Replicates)
	for mi, r := range res {
		info := &BootstrapInfo{Replicates: cfg.Replicates, Level: cfg.Level, Seed: cfg.Seed, Method: "percentile"}
		var ok [][]float64
		for _, d := range draws[mi] {
			if d == nil {
				info.Failed++
			} else {
				ok = append(ok, d)
			}
		}
		r.Bootstrap = info
		if len(ok) < 2 {
			continue // no interval from fewer than two replicates
		}
		for ci := range r.Channels {
			iv := &Interval{}
			for k, dst := range []*[2]float64{&iv.Conversions, &iv.ValueMinor, &iv.Share} {
				col = col[:0]
				for _, d := range ok {
					col = append(col, d[3*ci+k])
				}
				slices.Sort(col)
				dst[0], dst[1] = quantile(col, lo), quantile(col, hi)
			}
			r.Channels[ci].CI = iv
		}
	}
	return res, nil
}

// quantile is the type 7 quantile of sorted x (Hyndman & Fan 1996):
// linear interpolation between the order statistics at (n−1)q.
func quantile(x []float64, q float64) float64 {
	h := float64(len(x)-1) * q
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}

// resampler draws bootstrap replicates of a view, reusing its buffers.
//
// The multinomial draw over the cells is sequential conditional binomials
// over "units": a cell of its own, or a group of the many cells that hold
// the same count (most paths are followed by one or a few journeys). The
// draws that fall in a group are then spread over its equally likely cells
// uniformly, which is the multinomial within the group, at the cost of
// one uniform index per draw instead of one binomial per cell.
type resampler struct {
	v     *Aggregate
	rep   *Aggregate
	cell  []int64   // cell counts: per path conversions, nulls; then unattributed conversions, nulls
	units []unit    // in a fixed order
	k     []int64   // this replicate's draws per cell
	mean  []float64 // per path: value per converting journey
	jc    []jmean   // per path-channel: journey-level credit per converting journey
	jcAt  []int32   // path i's jmeans are jc[jcAt[i]:jcAt[i+1]]
}

// A unit is a cell (cells has one element) or a group of cells with the
// same count n.
type unit struct {
	n     int64
	cells []int32
}

type jmean struct {
	id uint16
	c  [3][2]float64
}

// minGroup is the fewest cells of one count that are drawn as a group.
const minGroup = 16

func newResampler(v *Aggregate) *resampler {
	rs := &resampler{v: v}
	rs.rep = &Aggregate{halfLife: v.halfLife, lookback: v.lookback, period: v.period, currency: v.currency, currencyOK: true,
		noTimes: v.noTimes, isView: true, chanID: v.chanID, chans: v.chans, replicaOf: v,
		timeDecay: make([]credit, len(v.chans)), wShaped: make([]credit, len(v.chans)), fullPath: make([]credit, len(v.chans))}
	rs.cell = make([]int64, 0, 2*len(v.paths)+2)
	rs.mean = make([]float64, len(v.paths))
	rs.jcAt = make([]int32, len(v.paths)+1)
	for i, p := range v.paths {
		rs.cell = append(rs.cell, p.conversions, p.journeys-p.conversions)
		if p.conversions > 0 {
			rs.mean[i] = float64(p.value) / float64(p.conversions)
			for _, c := range p.jc {
				m := jmean{id: c.id}
				for k := range c.c {
					m.c[k][0] = c.c[k][0].float() / float64(p.conversions)
					m.c[k][1] = c.c[k][1].float() / float64(p.conversions)
				}
				rs.jc = append(rs.jc, m)
			}
		}
		rs.jcAt[i+1] = int32(len(rs.jc))
	}
	u := v.unattributed
	rs.cell = append(rs.cell, u.conversions, u.journeys-u.conversions)
	rs.k = make([]int64, len(rs.cell))
	byCount := map[int64][]int32{}
	for i, n := range rs.cell {
		if n > 0 {
			byCount[n] = append(byCount[n], int32(i))
		}
	}
	ns := make([]int64, 0, len(byCount))
	for n := range byCount {
		ns = append(ns, n)
	}
	slices.Sort(ns) // a fixed order of the units
	for _, n := range ns {
		cells := byCount[n]
		if len(cells) >= minGroup {
			rs.units = append(rs.units, unit{n: n, cells: cells})
			continue
		}
		for _, c := range cells {
			rs.units = append(rs.units, unit{n: n, cells: []int32{c}})
		}
	}
	return rs
}

// sample returns a replicate: the aggregate of N journeys drawn with
// replacement from the view's.
func (rs *resampler) sample(rng *rand.Rand) *Aggregate {
	v, rep := rs.v, rs.rep
	clear(rs.k)
	left := v.total.journeys // draws left
	mass := left             // journeys in the units not yet drawn from
	for _, u := range rs.units {
		if left == 0 {
			break
		}
		um := u.n * int64(len(u.cells)) // ≤ the journeys: no overflow
		var k int64
		if um >= mass {
			k = left
		} else {
			k = binomial(rng, left, float64(um)/float64(mass))
		}
		left -= k
		mass -= um
		if len(u.cells) == 1 {
			rs.k[u.cells[0]] = k
			continue
		}
		m := uint64(len(u.cells))
		for ; k > 0; k-- {
			rs.k[u.cells[rng.Uint64N(m)]]++
		}
	}
	rep.paths = rep.paths[:0]
	rep.total, rep.unattributed = counts{}, counts{}
	for _, cr := range [][]credit{rep.timeDecay, rep.wShaped, rep.fullPath} {
		clear(cr)
	}
	for i := range v.paths {
		kc, kn := rs.k[2*i], rs.k[2*i+1]
		if kc+kn == 0 {
			continue
		}
		np := pathStat{key: v.paths[i].key, journeys: kc + kn, conversions: kc, src: int32(i)}
		if kc > 0 {
			f := float64(kc)
			np.value = int64(math.Round(f * rs.mean[i]))
			for _, c := range rs.jc[rs.jcAt[i]:rs.jcAt[i+1]] {
				rep.timeDecay[c.id].conv += f * c.c[jTimeDecay][0]
				rep.timeDecay[c.id].value += f * c.c[jTimeDecay][1]
				rep.wShaped[c.id].conv += f * c.c[jWShaped][0]
				rep.wShaped[c.id].value += f * c.c[jWShaped][1]
				rep.fullPath[c.id].conv += f * c.c[jFullPath][0]
				rep.fullPath[c.id].value += f * c.c[jFullPath][1]
			}
		}
		rep.paths = append(rep.paths, np)
		rep.total.add(counts{np.journeys, np.conversions, np.value})
	}
	n := len(rs.cell)
	kc, kn := rs.k[n-2], rs.k[n-1]
	u := counts{journeys: kc + kn, conversions: kc}
	if kc > 0 {
		u.value = int64(math.Round(float64(kc) / float64(v.unattributed.conversions) * float64(v.unattributed.value)))
	}
	rep.unattributed = u
	rep.total.add(u)
	return rep
}

// binomial draws from Binomial(n, p).
func binomial(rng *rand.Rand, n int64, p float64) int64 {
	switch {
	case n <= 0 || !(p > 0):
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(rng, n, 1-p)
	case float64(n)*p < 10:
		return binomialInversion(rng, n, p)
	}
	return btrs(rng, n, p)
}

// open01 is uniform on the open interval (0, 1).
func open01(rng *rand.Rand) float64 { return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53) }

// binomialInversion counts the successes among n trials as the number of
// geometric waiting times (trials to a success, G = ⌈log U / log(1−p)⌉)
// that fit in n: about np + 1 draws.
func binomialInversion(rng *rand.Rand, n int64, p float64) int64 {
	lq := math.Log1p(-p)
	var sum float64
	var k int64
	for {
		sum += math.Ceil(math.Log(open01(rng)) / lq)
		if sum > float64(n) {
			return k
		}
		k++
	}
}

// btrs is Hörmann's transformed rejection with squeeze (W. Hörmann, "The
// generation of binomial random variates", J. Statist. Comput. Simul. 46,
// 1993, algorithm BTRS), for np ≥ 10 and p ≤ 1/2.
func btrs(rng *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	alpha := (2.83 + 5.1/b) * spq
	lpq := math.Log(p / q)
	m := math.Floor((nf + 1) * p)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	h := lg(m+1) + lg(nf-m+1)
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || k > nf || us <= 0 {
			continue
		}
		v = v * alpha / (a/(us*us) + b)
		if math.Log(v) <= h-lg(k+1)-lg(nf-k+1)+(k-m)*lpq {
			return int64(k)
		}
	}
}
