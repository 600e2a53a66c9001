package attribution

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Speculation in a split AnyOrder read.
//
// Most files that may be in any order are not: a warehouse export or a
// log writes the rows of a journey together. So a split AnyOrder read
// first reads its two parts as if each run of rows with equal ids were a
// whole journey: it sorts the run's rows as the grouping sorts a
// journey's, adds the run to the part's aggregate and keeps only a
// 16-byte record of its id. When both parts are read, the records of
// each bin (see partOf) are checked for two runs with the same id
// (hasRepeatedKey); if there are none, each run was a whole journey, the
// parts' aggregates, merged, hold exactly the journeys the grouping would
// build, and the read is done without holding a row.
//
// Otherwise the read starts again, holding the rows for the grouping
// (readUnsortedSplit). To waste little on input whose journeys are
// scattered, the ids of a sample of the runs (1 in 64, by hash) are kept
// while reading, and a sampled id seen twice stops both parts at once:
// with journeys spread over the file, that happens within its first
// percent. Input whose only repeated journey comes late is read twice.
//
// A journey that straddles the split is two runs: the first run of each
// bin of the second part and the last of each bin of the first are held
// back, and added once, as one journey when their ids are equal.
//
// A journey's problems (rows that disagree on its conversion, say) are
// found by the same code (grouper.flush) on the same rows either way.
// Two different long ids with the same 64-bit hash are taken for one id:
// the read starts again, and the result is exact either way.

// specPart is one part's speculation.
type specPart struct {
	s      *sorter // its errors are the journeys' problems
	a      *Aggregate
	seed   runSeed             // the same in both parts
	off    *atomic.Bool        // shared: given up (a repeated id, or adding failed)
	second bool                // the part after the split
	open   [nParts]grouper     // the run being read in each bin
	held   [nParts]heldRun     // the run held back in each bin
	seen   [nParts]bool        // the second part: bin k's first run has been seen
	recs   [nParts][]run       // the records of the runs added, by bin
	sample map[string]struct{} // the ids of the sampled runs
}

// heldRun is a run held back until both parts are read.
type heldRun struct {
	id   []byte
	rows []trow
}

func newSpecPart(c config, names *sharedNames, name string, seed runSeed, off *atomic.Bool, second bool) *specPart {
	sp := &specPart{s: &sorter{c: c, shared: names, errs: lineErrors{name: name}}, a: newAggregate(c), seed: seed, off: off,
		second: second, sample: map[string]struct{}{}}
	for k := range nParts {
		sp.open[k] = grouper{s: sp.s, a: sp.a}
	}
	return sp
}

// trowSize is the bytes a row of an open run takes.
const trowSize = int64(unsafe.Sizeof(trow{}))

// row takes the next row of bin k, whose id is id, and returns the change
// in the bytes held: the rows of open and held runs, and 16 bytes for a
// run's record.
func (sp *specPart) row(p *anyPart, k int, id []byte, r *trow) (delta int64) {
	g := &sp.open[k]
	if len(g.rows) > 0 && string(g.id) != string(id) {
		delta = sp.close(p, k)
	}
	if len(g.rows) == 0 {
		g.id = append(g.id[:0], id...)
	}
	g.rows = append(g.rows, *r)
	return delta + trowSize
}

// close ends bin k's open run and returns the change in the bytes held.
func (sp *specPart) close(p *anyPart, k int) int64 {
	g := &sp.open[k]
	if sp.second && !sp.seen[k] {
		sp.seen[k] = true
		sp.hold(k)
		return 0
	}
	n := int64(len(g.rows))
	if fnv64(g.id)&63 == 0 {
		if _, ok := sp.sample[string(g.id)]; ok {
			sp.off.Store(true)
			g.rows = g.rows[:0]
			return 0
		}
		sp.sample[string(g.id)] = struct{}{}
	}
	sp.record(k, g.id)
	sp.s.names = p.s.byID
	g.flushSorted()
	if cap(g.rows) > 4096 {
		g.rows = nil // the largest journey's rows are not kept
	}
	if sp.s.addErr {
		sp.off.Store(true)
	}
	return 16 - n*trowSize
}

// record keeps the record of a run of bin k with this id.
func (sp *specPart) record(k int, id []byte) {
	r := &sp.recs[k]
	if len(*r) == cap(*r) {
		// Double: append grows large slices by 1.25×, copying the
		// records several times over.
		*r = append(make([]run, 0, 2*cap(*r)+4096), *r...)
	}
	*r = append(*r, run{key: sp.seed.key(id), len: uint32(len(id))})
}

// hold keeps bin k's open run for the end.
func (sp *specPart) hold(k int) {
	g := &sp.open[k]
	sp.held[k] = heldRun{id: append([]byte(nil), g.id...), rows: append([]trow(nil), g.rows...)}
	g.rows = nil
}

// end is called when p has read all its rows.
func (sp *specPart) end(p *anyPart) {
	for k := range nParts {
		if len(sp.open[k].rows) == 0 {
			continue
		}
		if !sp.second {
			sp.hold(k) // the last run
			continue
		}
		sp.close(p, k)
	}
}

// finishSpec ends the speculation of a split read whose parts p1 and p2
// read all their rows, and returns the parts' aggregates merged (nil when
// there were problems: the parts' sorters have them). ok is false when it
// does not hold: the read is to start again.
func finishSpec(ctx context.Context, p1, p2 *anyPart, names []string) (a *Aggregate, ok bool, err error) {
	s1, s2 := p1.spec, p2.spec
	if s1.off.Load() {
		return nil, false, nil
	}
	s1.s.names, s2.s.names = names, names
	for k := range nParts {
		h1, h2 := s1.held[k], s2.held[k]
		g := &s1.open[k]
		add := func(sp *specPart, h heldRun) {
			sp.record(k, h.id)
			g.id = append(g.id[:0], h.id...)
			g.rows = append(g.rows[:0], h.rows...)
		}
		switch {
		case len(h1.rows) > 0 && len(h2.rows) > 0 && string(h1.id) == string(h2.id):
			add(s1, h1)
			g.rows = append(g.rows, h2.rows...)
			g.flushSorted()
		default:
			if len(h1.rows) > 0 {
				add(s1, h1)
				g.flushSorted()
			}
			if len(h2.rows) > 0 {
				add(s1, h2)
				g.flushSorted()
			}
		}
	}
	if s1.s.addErr {
		return nil, false, nil
	}
	// Merge while the bins are checked, and build the canonical view the
	// models run on (see view) while the other core checks: that work is
	// lost only when the speculation does not hold.
	var repeated [nParts]bool
	var errs [nParts]error
	var mergeErr error
	problems := !s1.s.errs.empty() || !s2.s.errs.empty() || !p1.s.errs.empty() || !p2.s.errs.empty()
	var wg sync.WaitGroup
	if !problems {
		wg.Go(func() {
			if mergeErr = s1.a.Merge(s2.a); mergeErr == nil {
				s1.a.view()
			}
		})
	}
	for k := range nParts {
		wg.Go(func() {
			repeated[k], errs[k] = hasRepeatedKey(ctx, s1.seed, s1.recs[k], s2.recs[k])
			s1.recs[k], s2.recs[k] = nil, nil
		})
	}
	wg.Wait()
	for k := range nParts {
		if errs[k] != nil {
			return nil, false, errs[k]
		}
		if repeated[k] {
			return nil, false, nil
		}
	}
	if problems {
		return nil, true, nil
	}
	if mergeErr != nil {
		return nil, false, nil // the grouping finds which journey
	}
	return s1.a, true, nil
}

// hasRepeatedKey reports whether two records of the lists have the same
// key and length, partitioning them as partitionRuns does.
func hasRepeatedKey(ctx context.Context, seed runSeed, lists ...[]run) (bool, error) {
	n := 0
	for _, recs := range lists {
		n += len(recs)
	}
	pbits := 0
	for n>>pbits > 4096 {
		pbits++
	}
	shift := uint(64 - pbits)
	count := make([]uint32, 1<<pbits+1)
	for _, recs := range lists {
		for i := range recs {
			count[seed.hash(recs[i].key, recs[i].len)>>shift+1]++
		}
	}
	for p := 1; p < len(count); p++ {
		count[p] += count[p-1]
	}
	parted := make([]run, n)
	fill := append([]uint32(nil), count[:len(count)-1]...)
	for _, recs := range lists {
		for _, r := range recs {
			p := seed.hash(r.key, r.len) >> shift
			parted[fill[p]] = r
			fill[p]++
		}
	}
	repeated := false
	err := partedRuns{runs: parted, count: count, seed: seed}.each(ctx, nil, func(_ int, _ uint32, ok bool) bool {
		repeated = ok
		return !ok
	})
	return repeated, err
}

// flushSorted sorts the rows held as groupSegments sorts a journey's rows
// and flushes them.
func (g *grouper) flushSorted() {
	rows := g.rows
	if len(rows) <= insertionMax {
		// Insertion sort: a journey mostly has few rows.
		for a := 1; a < len(rows); a++ {
			for b := a; b > 0 && g.s.cmpSameJourney(&rows[b].srow, &rows[b-1].srow) < 0; b-- {
				rows[b], rows[b-1] = rows[b-1], rows[b]
			}
		}
	} else {
		slices.SortFunc(rows, func(x, y trow) int { return g.s.cmpSameJourney(&x.srow, &y.srow) })
	}
	g.flush()
}
