package attribution

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/revengine/revengine/internal/diag"
)

// sharedNames is the channel and campaign names table of the parts of a
// split AnyOrder read. The ids depend on which part saw a name first; only
// the names reach the aggregate, and the sort compares names, not ids.
type sharedNames struct {
	mu    sync.Mutex
	names []string
	ids   map[string]uint32
}

func (n *sharedNames) id(b []byte) uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if id, ok := n.ids[string(b)]; ok {
		return id
	}
	id := uint32(len(n.names))
	str := string(b)
	n.names = append(n.names, str)
	n.ids[str] = id
	return id
}

// nParts is the number of sorters (and of parts) of a split AnyOrder read.
const nParts = 2

// anyPart is one part of a split AnyOrder read: its rows, in one bin per
// sorter, a journey's rows always in the same bin.
type anyPart struct {
	part
	s    *sorter // the part's parser (its table, its names cache)
	bins [nParts]segment
	spec *specPart // see split_spec.go: nil when the rows are held
}

// partOf returns the sorter of a journey id: the top bit of its hash
// (the in-memory grouping uses the low bits).
func partOf(id []byte) int { return int(fnv64(id) >> 63) }

// readUnsortedSplit reads AnyOrder input src in two parts at once (see
// split.go); t is the table of the whole input, its header read. ok is
// false when the input is to be read by one reader instead.
func readUnsortedSplit(ctx context.Context, src source, t *table, name string, c config, dataStart int64) (a *Aggregate, err error, ok bool) {
	budget := c.sortMem
	if budget <= 0 {
		budget = DefaultSortMemory
	}
	if 2*(src.end-src.start) > int64(budget) {
		// A row held takes at least about twice its bytes in the file
		// (72 bytes and its id for a row of 40 to 50): this input will not fit, and
		// the one reader spills it.
		trace("sort memory")
		return nil, nil, false
	}
	at := findSplit(src, t.h, dataStart, false)
	if at < 0 {
		trace("no split point")
		return nil, nil, false
	}
	if a, err, ok, done := readSplitParts(ctx, src, t, name, c, at, budget, true); done {
		return a, err, ok
	}
	a, err, ok, _ = readSplitParts(ctx, src, t, name, c, at, budget, false)
	return a, err, ok
}

// readSplitParts is readUnsortedSplit from the split at on: speculating
// (see split_spec.go), or holding the rows and grouping them. done is
// false when the speculation did not hold.
func readSplitParts(ctx context.Context, src source, t *table, name string, c config, at int64, budget int, speculate bool) (a *Aggregate, err error, ok, done bool) {
	t1, err := openTable(ctx, src.section(src.start, at), name, c, touchColumns)
	if err != nil {
		return nil, nil, false, true // the header read once already: not expected
	}
	names := &sharedNames{names: []string{""}, ids: map[string]uint32{"": 0}}
	var held atomic.Int64 // bytes of rows held by both parts
	var off atomic.Bool   // the speculation is given up
	seed := newRunSeed()
	newPart := func(t *table, second bool) *anyPart {
		p := &anyPart{s: &sorter{t: t, c: c, names: []string{""}, nameID: map[string]uint32{}, shared: names, errs: lineErrors{name: name}}}
		if speculate {
			p.spec = newSpecPart(c, names, name, seed, &off, second)
		}
		return p
	}
	p1, p2 := newPart(t1, false), newPart(nil, true)
	if !speculate {
		perRow := bytesPerLine(src, at)
		p1.presize(at-src.start, perRow, budget)
		p2.presize(src.end-at, perRow, budget)
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer p2.guard()
		off, err := countLines(ctx, src, src.start, at)
		if err != nil {
			p2.fatal = err
			return
		}
		p2.s.t = newPartTable(ctx, src, at, src.end, name, c, t.h, off)
		p2.parse(ctx, &held, int64(budget))
	}()
	func() {
		defer p1.guard()
		p1.parse(ctx, &held, int64(budget))
	}()
	<-finished

	if speculate && off.Load() {
		trace("speculation given up")
		return nil, nil, false, false // the rows are read again, held
	}
	switch {
	case p1.fatal != nil:
		trace("split")
		return nil, p1.fatal, true, true
	case p1.stopped:
		trace("stopped")
		return nil, nil, false, true // the one reader groups only the rows before it
	case t1.openAtEnd:
		trace("inside quotes")
		return nil, nil, false, true
	case p2.fatal != nil:
		trace("split")
		return nil, p2.fatal, true, true
	case held.Load() < 0:
		if speculate {
			return nil, nil, false, false
		}
		trace("sort memory")
		return nil, nil, false, true // the one reader spills to disk
	}
	if speculate {
		a, ok, err := finishSpec(ctx, p1, p2, names.names)
		switch {
		case err != nil:
			return nil, err, true, true
		case !ok:
			trace("speculation failed")
			return nil, nil, false, false
		}
		var errs lineErrors
		errs.name = name
		for _, s := range []*sorter{p1.s, p2.s, p1.spec.s, p2.spec.s} {
			errs.total += s.errs.total
			errs.list = append(errs.list, s.errs.list...)
		}
		trace("speculation")
		if !errs.empty() {
			return nil, errs.err(), true, true
		}
		return a, nil, true, true
	}
	// Group each sorter's journeys, the first part's rows first, into an
	// aggregate of its own.
	var sorters [nParts]*sorter
	var aggs [nParts]*Aggregate
	var fatal [nParts]error
	skip := !p1.s.errs.empty() || !p2.s.errs.empty()
	var wg sync.WaitGroup
	for k := range nParts {
		s := &sorter{t: t, c: c, names: names.names, shared: names, errs: lineErrors{name: name}, skipAdd: skip}
		sorters[k], aggs[k] = s, newAggregate(c)
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					fatal[k] = diag.Internal("attribution: ReadTouches", r)
				}
			}()
			g := grouper{s: s, a: aggs[k]}
			fatal[k] = s.groupSegments(ctx, &g, []segment{p1.bins[k], p2.bins[k]})
		})
	}
	wg.Wait()
	var errs lineErrors
	errs.name = name
	for _, s := range []*sorter{p1.s, p2.s, sorters[0], sorters[1]} {
		errs.total += s.errs.total
		errs.list = append(errs.list, s.errs.list...)
	}
	for k := range nParts {
		if fatal[k] != nil {
			trace("split")
			return nil, fatal[k], true, true
		}
		if sorters[k].addErr && !skip {
			trace("add error")
			return nil, nil, false, true // an overflow may come on another journey in one pass
		}
	}
	if !errs.empty() {
		trace("split")
		return nil, errs.err(), true, true
	}
	a = aggs[0]
	if err := a.Merge(aggs[1]); err != nil {
		trace("merge")
		return nil, nil, false, true
	}
	trace("split")
	return a, nil, true, true
}

// parse reads the part's rows into its bins, as readUnsorted's loop does.
// Past the budget it stops and sets held negative.
func (p *anyPart) parse(ctx context.Context, held *atomic.Int64, budget int64) {
	s, t := p.s, p.s.t
	curCol := t.h.Has(colCurrency)
	sp := p.spec
	if sp != nil {
		sp.s.t = t
	}
	var mine int64 // bytes held, not yet counted in held
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				p.fatal = err
				return
			}
			if sp != nil && sp.off.Load() {
				return
			}
			if total := held.Add(mine); total < 0 || total >= budget {
				held.Store(-1 << 62)
				return
			}
			mine = 0
		}
		_, fatal, err := t.read()
		if errors.Is(err, io.EOF) {
			if held.Add(mine) >= budget {
				held.Store(-1 << 62)
			}
			if sp != nil {
				sp.end(p)
			}
			return
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				p.fatal = err
				return
			}
			s.errs.add(e)
			if fatal {
				p.stopped = true
				return
			}
			continue
		}
		r, e := s.parse(curCol)
		if e != nil {
			s.errs.add(e)
			continue
		}
		id := t.field(colID)
		k := partOf(id)
		if sp != nil {
			mine += sp.row(p, k, id, &r)
			continue
		}
		b := &p.bins[k]
		n := rowDataSize(&r.srow, len(id))
		if uint64(len(b.arena))+uint64(n) > 1<<32-1 {
			held.Store(-1 << 62)
			return
		}
		if len(b.arena)+n > cap(b.arena) {
			b.arena = append(make([]byte, 0, min(2*cap(b.arena)+4096, int(budget))+n), b.arena...)
		}
		if len(b.rows) == cap(b.rows) {
			b.rows = append(make([]srow, 0, min(2*cap(b.rows)+1024, int(budget)/(srowSize+skeySize)+1)), b.rows...)
		}
		b.arena = appendRowData(b.arena, &r, id)
		b.rows = append(b.rows, r.srow)
		mine += int64(srowSize+skeySize) + int64(n)
	}
}

// bytesPerLine estimates the bytes per line of src from up to 256 KiB at
// offset at; 0 when there is no line feed there.
func bytesPerLine(src source, at int64) int64 {
	buf := make([]byte, min(256<<10, src.end-at))
	n, _ := src.ra.ReadAt(buf, at)
	if k := bytes.Count(buf[:n], []byte{'\n'}); k > 0 {
		return int64(n / k)
	}
	return 0
}

// presize gives the part's bins room for the rows of n bytes of input at
// perRow bytes a row (plus 5%), within what the sort memory can hold, so
// that they are not copied while they grow (the rows of a million
// journeys are 200 MB, copied about twice over by doubling).
func (p *anyPart) presize(n, perRow int64, budget int) {
	if perRow <= 0 {
		return
	}
	rows := n / perRow / nParts
	rows += rows/20 + 1024
	rows = min(rows, int64(budget/(srowSize+skeySize)/(2*nParts)))
	// The ids (and a converted row's fields) take a third of a row's
	// bytes at most in most files; the arena's pages that the ids do not
	// reach are never touched.
	arena := min(rows*max(perRow/3, 8), int64(budget/(2*nParts)))
	for k := range p.bins {
		p.bins[k].rows = make([]srow, 0, rows)
		p.bins[k].arena = make([]byte, 0, arena)
	}
}
