package attribution

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// fixed is a non-negative sum in 64.64 fixed point: hi is the integer part,
// lo the fraction in units of 2^-64. Integer addition is associative, so a
// sum of fixed values does not depend on the order of its terms: the
// journey-level credits of an aggregate are the same bytes whatever order
// the journeys (or the shards of a Merge) came in. Each term is rounded
// down to a multiple of 2^-64, far below a minor unit or a conversion.
type fixed struct{ hi, lo uint64 }

// add adds x, a finite value in [0, 2^64).
func (f *fixed) add(x float64) {
	if !(x > 0) {
		return // 0, and NaN which cannot occur
	}
	ip := math.Floor(x)
	frac := uint64(math.Ldexp(x-ip, 64)) // x−ip is exact; the product is below 2^64
	var carry uint64
	f.lo, carry = bits.Add64(f.lo, frac, 0)
	f.hi += uint64(ip) + carry
}

func (f *fixed) addFixed(o fixed) {
	var carry uint64
	f.lo, carry = bits.Add64(f.lo, o.lo, 0)
	f.hi += o.hi + carry
}

func (f fixed) float() float64 { return float64(f.hi) + math.Ldexp(float64(f.lo), -64) }

// A jcredit is the journey-level credit of one channel of a path, summed
// over the path's converting journeys: [model][0] conversions, [model][1]
// value in minor units, for time decay, W-shaped and full-path.
type jcredit struct {
	id uint16
	c  [3][2]fixed
}

const (
	jTimeDecay = iota
	jWShaped
	jFullPath
)

// slot returns the credit of channel id on path p, adding it if new.
func (p *pathStat) slot(id uint16) *jcredit {
	for i := range p.jc {
		if p.jc[i].id == id {
			return &p.jc[i]
		}
	}
	p.jc = append(p.jc, jcredit{id: id})
	return &p.jc[len(p.jc)-1]
}

// view returns the canonical form of the aggregate that every model runs
// on: channels numbered in name order and paths sorted by their channel
// ids, with the per-channel journey-level credits summed exactly. Two
// aggregates holding the same journeys, added in any order or merged from
// shards in any order, have the same view, so a model gives the same bytes
// on both. The view is built once and kept until the aggregate changes.
func (a *Aggregate) view() *Aggregate {
	if a.isView {
		return a
	}
	a.viewMu.Lock()
	defer a.viewMu.Unlock()
	if a.cache != nil {
		return a.cache
	}
	v := &Aggregate{
		halfLife: a.HalfLife(), lookback: a.lookback, period: a.period, currency: a.Currency(), currencyOK: a.currencyOK,
		noTimes: a.noTimes, total: a.total, unattributed: a.unattributed, isView: true,
		chanID: make(map[string]uint16, len(a.chans)), renamed: a.renamed,
	}
	v.chans = append([]string(nil), a.chans...)
	sort.Strings(v.chans)
	for id, name := range v.chans {
		v.chanID[name] = uint16(id)
	}
	remap := make([]uint16, len(a.chans))
	for old, name := range a.chans {
		remap[old] = v.chanID[name]
	}
	// Sort the renumbered keys with the index of their path, then build
	// the paths in that order: sorting the 72-byte paths themselves moves
	// ten times the bytes. A key's first 8 bytes, big-endian and
	// zero-padded, order it as the string does, without reading it.
	type keyAt struct {
		pfx uint64
		key string
		i   int
	}
	order := make([]keyAt, len(a.paths))
	var key []byte
	for i, p := range a.paths {
		key = key[:0]
		for k := 0; k < len(p.key)/2; k++ {
			key = binary.LittleEndian.AppendUint16(key, remap[keyID(p.key, k)])
		}
		order[i] = keyAt{idPrefix(key), string(key), i}
	}
	// A radix sort on the prefixes, skipping the bytes all keys share
	// (the high bytes of channel ids below 256), then the keys of equal
	// prefix by comparing them.
	buf := make([]keyAt, len(order))
	src, dst := order, buf
	for shift := 0; shift < 64 && len(src) > 1; shift += 8 {
		var pos [256]int
		for _, o := range src {
			pos[byte(o.pfx>>shift)]++
		}
		if pos[byte(src[0].pfx>>shift)] == len(src) {
			continue
		}
		at := 0
		for b, n := range pos {
			pos[b] = at
			at += n
		}
		for _, o := range src {
			b := byte(o.pfx >> shift)
			dst[pos[b]] = o
			pos[b]++
		}
		src, dst = dst, src
	}
	order = src
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && order[j].pfx == order[i].pfx {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(order[i:j], func(x, y keyAt) int { return strings.Compare(x.key, y.key) })
		}
		i = j
	}
	v.paths = make([]pathStat, len(order))
	sums := make([][3][2]fixed, len(v.chans))
	for k, o := range order {
		p := &a.paths[o.i]
		np := &v.paths[k]
		np.key, np.journeys, np.conversions, np.value = o.key, p.journeys, p.conversions, p.value
		if p.jc != nil {
			np.jc = make([]jcredit, len(p.jc))
			for j, c := range p.jc {
				c.id = remap[c.id]
				np.jc[j] = c
				for m := range c.c {
					sums[c.id][m][0].addFixed(c.c[m][0])
					sums[c.id][m][1].addFixed(c.c[m][1])
				}
			}
			slices.SortFunc(np.jc, func(x, y jcredit) int { return int(x.id) - int(y.id) })
		}
	}
	v.timeDecay = make([]credit, len(v.chans))
	v.wShaped = make([]credit, len(v.chans))
	v.fullPath = make([]credit, len(v.chans))
	for id, s := range sums {
		v.timeDecay[id] = credit{s[jTimeDecay][0].float(), s[jTimeDecay][1].float()}
		v.wShaped[id] = credit{s[jWShaped][0].float(), s[jWShaped][1].float()}
		v.fullPath[id] = credit{s[jFullPath][0].float(), s[jFullPath][1].float()}
	}
	a.cache = v
	return v
}

// pathString is a path's channel names joined by " > ".
func (a *Aggregate) pathString(key string) string { return strings.Join(a.decode(key), " > ") }
