package attribution

import (
	"context"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
)

type shapley struct {
	minJ    int64
	privacy PrivacyRule
}

// Shapley is the Shapley value of the cooperative game whose worth v(S) is
// the conversions (and, separately, the value) of the journeys whose channel
// set is a subset of S.
//
// That worth is a sum of unanimity games, one per observed channel set T
// with dividend a(T) = conversions (value) of the journeys whose channel set
// is exactly T, so the exact Shapley value is φ_i = Σ_{T ∋ i} a(T)/|T|
// (Harsanyi dividends; the "simplified Shapley value" of Zhao et al. 2018).
// It is exact for any number of channels and costs one pass over the paths.
// The option that applies is WithPrivacyThreshold.
func Shapley(opts ...ModelOption) Model {
	c := newModelConfig(opts)
	return shapley{minJ: c.minJourneys, privacy: c.privacy}
}

// Name returns "shapley".
func (shapley) Name() string { return "shapley" }

func (m shapley) run(ctx context.Context, a *Aggregate) (*Result, error) {
	a, priv := a.private(m.minJ, m.privacy, true)
	cr := make([]credit, len(a.chans))
	var set []uint16
	for pi, p := range a.paths {
		if pi&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if p.conversions == 0 {
			continue
		}
		set = channelSet(set[:0], p.key)
		f := 1 / float64(len(set))
		for _, id := range set {
			cr[id].conv += f * float64(p.conversions)
			cr[id].value += f * float64(p.value)
		}
	}
	res := newResult("shapley", a)
	res.Privacy, res.Warnings = priv, privacyWarning(priv)
	return res.finish(a, cr, nil), nil
}

// NeedsTimes reports false.
func (shapley) NeedsTimes() bool { return false }

// channelSet appends the sorted distinct channel ids of an encoded path.
func channelSet(dst []uint16, key string) []uint16 {
	for i := 0; i < len(key)/2; i++ {
		dst = append(dst, keyID(key, i))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// WithSampling makes ShapleyLocalRate estimate the Shapley values from
// samples random channel orders per converting channel set, drawn from a
// PCG generator seeded with seed, instead of computing them exactly.
// Without it, sampling (with DefaultSamples and seed 1) is used only for
// converting sets of more than 12 channels in aggregates with more than 64
// channels.
func WithSampling(samples int, seed uint64) ModelOption {
	return func(c *modelConfig) { c.samples, c.seed, c.forceSample = max(samples, 1), seed, true }
}

// DefaultSamples is the number of permutations per converting channel set
// of a sampled ShapleyLocalRate estimate.
const DefaultSamples = 10000

type localRate struct {
	samples     int
	seed        uint64
	forceSample bool
	minJ        int64
	privacy     PrivacyRule
}

// ShapleyLocalRate is the "local conversion rate" Shapley variant: the worth
// of a channel set S is the conversion rate w(S) of the journeys whose
// channel set is exactly S (0 for sets never seen). The conversions (and
// value) of the journeys with channel set T are split over T's channels in
// proportion to their Shapley values in the game restricted to the subsets
// of T, φ_i^T = Σ_{S ⊆ T∖{i}} |S|!(|T|−|S|−1)!/|T|! · (w(S ∪ {i}) − w(S)),
// which sum to w(T) > 0. A channel's value can be negative when adding it
// lowers the conversion rate of the sets it joins.
//
// It is exact for up to 64 channels (only the observed subsets contribute,
// so the cost is the number of converting sets × observed sets). With more
// channels, each converting set of up to 12 channels is still solved
// exactly, over its 2^|T| subsets, and larger ones are a seeded Monte Carlo
// estimate over random channel orders, recorded in Result.Estimate (nil
// when nothing was sampled); WithSampling samples every set.
//
// The options that apply are WithSampling and WithPrivacyThreshold.
func ShapleyLocalRate(opts ...ModelOption) Model {
	c := newModelConfig(opts)
	return localRate{samples: c.samples, seed: c.seed, forceSample: c.forceSample, minJ: c.minJourneys, privacy: c.privacy}
}

// Name returns "shapley_local_rate".
func (localRate) Name() string { return "shapley_local_rate" }

// NeedsTimes reports false.
func (localRate) NeedsTimes() bool { return false }

type setStat struct {
	ids                          []uint16 // sorted channel ids
	mask                         uint64   // when there are ≤ 64 channels
	journeys, conversions, value int64
}

func (m localRate) run(ctx context.Context, a *Aggregate) (*Result, error) {
	a, priv := a.private(m.minJ, m.privacy, true)
	// Group the paths by channel set.
	byKey := map[string]int{}
	var sets []setStat
	var ids []uint16
	var kb []byte
	// With 64 channels or fewer a set is its mask: found without sorting
	// the path's ids or hashing a string.
	small := len(a.chans) <= 64
	byMask := map[uint64]int{}
	for _, p := range a.paths {
		if small {
			var mask uint64
			for i := 0; i < len(p.key)/2; i++ {
				mask |= 1 << keyID(p.key, i)
			}
			i, ok := byMask[mask]
			if !ok {
				i = len(sets)
				byMask[mask] = i
				st := setStat{mask: mask}
				for m := mask; m != 0; m &= m - 1 {
					st.ids = append(st.ids, uint16(bits.TrailingZeros64(m)))
				}
				sets = append(sets, st)
			}
			sets[i].journeys += p.journeys
			sets[i].conversions += p.conversions
			sets[i].value += p.value
			continue
		}
		ids = channelSet(ids[:0], p.key)
		kb = kb[:0]
		for _, id := range ids {
			kb = binary.LittleEndian.AppendUint16(kb, id)
		}
		i, ok := byKey[string(kb)]
		if !ok {
			i = len(sets)
			byKey[string(kb)] = i
			st := setStat{ids: slices.Clone(ids)}
			for _, id := range ids {
				st.mask |= 1 << (id & 63)
			}
			sets = append(sets, st)
		}
		sets[i].journeys += p.journeys
		sets[i].conversions += p.conversions
		sets[i].value += p.value
	}
	// Deterministic order, independent of how the aggregate was built.
	sort.Slice(sets, func(i, j int) bool { return slices.Compare(sets[i].ids, sets[j].ids) < 0 })
	rate := func(s *setStat) float64 { return float64(s.conversions) / float64(s.journeys) }

	res := newResult(m.Name(), a)
	res.Privacy, res.Warnings = priv, privacyWarning(priv)
	cr := make([]credit, len(a.chans))
	if m.forceSample || len(a.chans) > 64 {
		sampled, err := m.bySet(ctx, sets, rate, cr)
		if err != nil {
			return nil, err
		}
		if sampled {
			res.Estimate = &Estimate{Samples: m.samples, Seed: m.seed}
		}
		return res.finish(a, cr, nil), nil
	}
	// coef[t][s]: weight of a seen subset S (|S| = s) of a converting set T
	// (|T| = t) in φ_i^T: (s−1)!(t−s)!/t! when i ∈ S, −s!(t−s−1)!/t! when not.
	fact := make([]float64, 66)
	fact[0] = 1
	for i := 1; i < len(fact); i++ {
		fact[i] = fact[i-1] * float64(i)
	}
	phi := make([]float64, 64)
	for ti := range sets {
		if ti&255 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		T := &sets[ti]
		if T.conversions == 0 {
			continue
		}
		t := len(T.ids)
		for _, id := range T.ids {
			phi[id] = 0
		}
		for si := range sets {
			S := &sets[si]
			if S.mask&^T.mask != 0 || S.conversions == 0 {
				continue // not a subset, or worth 0
			}
			s := len(S.ids)
			w := rate(S)
			in := fact[s-1] * fact[t-s] / fact[t] * w
			var out float64
			if s < t {
				out = fact[s] * fact[t-s-1] / fact[t] * w
			}
			for _, id := range T.ids {
				if S.mask&(1<<id) != 0 {
					phi[id] += in
				} else {
					phi[id] -= out
				}
			}
		}
		m.distribute(T, rate(T), func(id uint16) float64 { return phi[id] }, cr)
	}
	return res.finish(a, cr, nil), nil
}

// distribute splits T's conversions and value over its channels in
// proportion to phi, whose sum over T is wT.
func (localRate) distribute(T *setStat, wT float64, phi func(uint16) float64, cr []credit) {
	for _, id := range T.ids {
		f := phi(id) / wT
		cr[id].conv += f * float64(T.conversions)
		cr[id].value += f * float64(T.value)
	}
}

// maxExactSet is the largest converting channel set whose Shapley values
// bySet enumerates exactly (2^12 subsets); larger sets are sampled.
const maxExactSet = 12

// bySet handles aggregates with more than 64 channels (or forced sampling),
// one converting set T at a time, looking worths up by key: exactly, over
// all 2^|T| subsets, when |T| ≤ maxExactSet; otherwise (or when forced) it
// estimates the Shapley values from random channel orders, the mean marginal
// worth w(pred ∪ {i}) − w(pred). The marginals of one order telescope to
// w(T), so the credit still sums exactly. It reports whether it sampled.
func (m localRate) bySet(ctx context.Context, sets []setStat, rate func(*setStat) float64, cr []credit) (sampled bool, err error) {
	worth := map[string]float64{}
	var kb []byte
	key := func(ids []uint16) string {
		kb = kb[:0]
		for _, id := range ids {
			kb = binary.LittleEndian.AppendUint16(kb, id)
		}
		return string(kb)
	}
	for i := range sets {
		if sets[i].conversions > 0 {
			worth[key(sets[i].ids)] = rate(&sets[i])
		}
	}
	var fact [maxExactSet + 1]float64
	fact[0] = 1
	for i := 1; i <= maxExactSet; i++ {
		fact[i] = fact[i-1] * float64(i)
	}
	rng := rand.New(rand.NewPCG(m.seed, 0x5ca1ab1e))
	phi := map[uint16]float64{}
	var perm, pred, sub []uint16
	for ti := range sets {
		T := &sets[ti]
		if T.conversions == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
		clear(phi)
		t := len(T.ids)
		if !m.forceSample && t <= maxExactSet {
			for mask := 1; mask < 1<<t; mask++ {
				sub = sub[:0]
				for j, id := range T.ids {
					if mask&(1<<j) != 0 {
						sub = append(sub, id)
					}
				}
				w, ok := worth[key(sub)]
				if !ok {
					continue
				}
				sz := len(sub)
				in := fact[sz-1] * fact[t-sz] / fact[t] * w
				var out float64
				if sz < t {
					out = fact[sz] * fact[t-sz-1] / fact[t] * w
				}
				for j, id := range T.ids {
					if mask&(1<<j) != 0 {
						phi[id] += in
					} else {
						phi[id] -= out
					}
				}
			}
		} else {
			sampled = true
			perm = append(perm[:0], T.ids...)
			for n := 0; n < m.samples; n++ {
				rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
				pred = pred[:0]
				prev := 0.0
				for _, id := range perm {
					j, _ := slices.BinarySearch(pred, id) // keep pred sorted
					pred = slices.Insert(pred, j, id)
					w := worth[key(pred)]
					phi[id] += w - prev
					prev = w
				}
			}
			for id := range phi {
				phi[id] /= float64(m.samples)
			}
		}
		m.distribute(T, rate(T), func(id uint16) float64 { return phi[id] }, cr)
	}
	return sampled, nil
}
