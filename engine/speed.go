package engine

import (
	"cmp"
	"slices"
	"time"

	"github.com/revengine/revengine/record"
)

type speedKey struct {
	p                   record.Period
	stage, owner, route int32
	level               int // 0 stage, 1 owner, 2 route
}

type speedAcc struct {
	entered, responded, met, breached, pending int64
	times                                      []time.Duration
}

// speed computes Speed rows per period from the compact changes: each
// lead's changes in time order (ties in input order), each entry into a
// funnel stage other than the last timed to the lead's next change.
func (b *Builder) speed(asOf time.Time) map[record.Period][]Speed {
	idx := make([]int, len(b.changes))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		a, c := b.changes[x], b.changes[y]
		return cmp.Or(cmp.Compare(a.lead, c.lead), cmp.Compare(a.at, c.at))
	})
	timed := map[int32]bool{}
	for _, s := range b.cfg.Stages[:len(b.cfg.Stages)-1] {
		if i, ok := b.index[string(s)]; ok {
			timed[i] = true
		}
	}
	acc := map[speedKey]*speedAcc{}
	add := func(k speedKey, responded bool, d time.Duration, verdict int) {
		a := acc[k]
		if a == nil {
			a = &speedAcc{}
			acc[k] = a
		}
		a.entered++
		if responded {
			a.responded++
			a.times = append(a.times, d)
		}
		switch verdict {
		case 1:
			a.met++
		case 2:
			a.breached++
		case 3:
			a.pending++
		}
	}
	for n, i := range idx {
		c := b.changes[i]
		if !timed[c.to] {
			continue
		}
		deadline := c.deadline
		if deadline == 0 {
			if sla, ok := b.cfg.SLA[b.names[c.to]]; ok {
				deadline = c.at + int64(sla)
			}
		}
		responded := n+1 < len(idx) && b.changes[idx[n+1]].lead == c.lead
		var d time.Duration
		verdict := 0 // no SLA
		if responded {
			next := b.changes[idx[n+1]].at
			d = time.Duration(next - c.at)
			if deadline != 0 {
				verdict = 2
				if next <= deadline {
					verdict = 1
				}
			}
		} else if deadline != 0 {
			verdict = 3
			if asOf.UnixNano() > deadline {
				verdict = 2
			}
		}
		p := b.periodOf(time.Unix(0, c.at))
		add(speedKey{p, c.to, 0, 0, 0}, responded, d, verdict)
		add(speedKey{p, c.to, c.owner, 0, 1}, responded, d, verdict)
		add(speedKey{p, c.to, 0, c.route, 2}, responded, d, verdict)
	}
	keys := make([]speedKey, 0, len(acc))
	for k := range acc {
		if k.level > 0 && k.owner == 0 && k.route == 0 {
			continue // no owner (or route) recorded: the stage row says it all
		}
		keys = append(keys, k)
	}
	order := map[int32]int{}
	for i, s := range b.cfg.Stages {
		order[b.index[string(s)]] = i
	}
	slices.SortFunc(keys, func(x, y speedKey) int {
		return cmp.Or(x.p.Start.Compare(y.p.Start), cmp.Compare(order[x.stage], order[y.stage]), cmp.Compare(x.level, y.level),
			cmp.Compare(b.names[x.owner], b.names[y.owner]), cmp.Compare(b.names[x.route], b.names[y.route]))
	})
	out := map[record.Period][]Speed{}
	for _, k := range keys {
		a := acc[k]
		s := Speed{Stage: b.names[k.stage], Owner: b.names[k.owner], Route: b.names[k.route], Entered: a.entered, Responded: a.responded,
			Met: a.met, Breached: a.breached, Pending: a.pending}
		if len(a.times) > 0 {
			med, p90 := Median(a.times), Percentile(a.times, 90)
			mh, ph := med.Hours(), p90.Hours()
			s.MedianHours, s.P90Hours = &mh, &ph
		}
		if j := a.met + a.breached; j > 0 {
			w := float64(a.met) / float64(j)
			s.WithinSLA = &w
		}
		out[k.p] = append(out[k.p], s)
	}
	return out
}

// Median returns the median of ds: the middle value, or the mean of the two
// middle values for an even count; 0 for none. ds is sorted in place.
func Median(ds []time.Duration) time.Duration {
	n := len(ds)
	if n == 0 {
		return 0
	}
	slices.Sort(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	a, b := ds[n/2-1], ds[n/2]
	return a + (b-a)/2 // no overflow
}

// Percentile returns the nearest-rank pct-th percentile of ds (1 ≤ pct ≤
// 100): the ⌈pct·n/100⌉-th smallest value (Hyndman and Fan 1996,
// definition 1, the inverse of the empirical distribution), computed in
// integers so that no rounding moves the rank; 0 for none or a pct out of
// range. ds is sorted in place.
func Percentile(ds []time.Duration, pct int) time.Duration {
	n := len(ds)
	if n == 0 || pct < 1 || pct > 100 {
		return 0
	}
	slices.Sort(ds)
	r := (pct*n + 99) / 100
	return ds[r-1]
}
