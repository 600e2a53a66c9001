package attribution

import (
	"context"
	"errors"
	"io"

	"github.com/revengine/revengine/internal/csvio"
)

// readGroupedSplit reads Grouped input src in two parts at once (see
// split.go). ok is false when the input is to be read by one reader
// instead; a, err are then unset.
func readGroupedSplit(ctx context.Context, src source, name string, c config, h csvio.Header, dataStart int64) (a *Aggregate, err error, ok bool) {
	if c.regroup < 0 {
		trace("exact regroup set")
		return nil, nil, false // an exact regroup check over the whole input is one set
	}
	at := findSplit(src, h, dataStart, true)
	if at < 0 {
		trace("no split point")
		return nil, nil, false
	}
	t1, err := openTable(ctx, src.section(src.start, at), name, c, touchColumns)
	if err != nil {
		return nil, nil, false // the header read once already: not expected
	}
	window := c.regroup
	if window == 0 {
		window = DefaultRegroupWindow
	}
	curCol := h.Has(colCurrency)
	tr1 := &TouchReader{t: t1, curCol: curCol, seen: newRecentIDs(window), intern: map[string]string{}}
	var p1, p2 part
	var tr2 *TouchReader
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer p2.guard()
		off, err := countLines(ctx, src, src.start, at)
		if err != nil {
			p2.fatal = err
			return
		}
		t2 := newPartTable(ctx, src, at, src.end, name, c, h, off)
		tr2 = &TouchReader{t: t2, curCol: curCol, seen: newRecentIDs(window), intern: map[string]string{}}
		tr2.seen.logMax = window
		p2.readGrouped(ctx, tr2, c)
	}()
	func() {
		defer p1.guard()
		p1.readGrouped(ctx, tr1, c)
	}()
	<-done

	switch {
	case p1.fatal != nil:
		trace("split")
		return nil, p1.fatal, true
	case p1.stopped:
		trace("split")
		return nil, p1.errs.err(), true // the one reader stops here too
	case t1.openAtEnd:
		trace("inside quotes")
		return nil, nil, false // the split point is inside a quoted field
	}
	if tr2 != nil {
		if x := tr2.firstID; x != nil {
			if e := tr1.end; (e.has && string(x) == e.id) || (e.skipping && string(x) == string(e.badID)) {
				trace("journey goes on")
				return nil, nil, false // the second part goes on with the first's last journey
			}
		}
		// A journey of the second part within the window of one in the
		// first: the one reader would have rejected it.
		s1, s2 := tr1.seen, tr2.seen
		for k, ev := range s2.log {
			if !ev.isNew {
				continue
			}
			if e, ok := s1.lastEvent(s2.logArena[ev.off:ev.end]); ok && s1.events+int64(k)-e <= int64(window) {
				trace("regroup across the split")
				return nil, nil, false
			}
		}
	}
	switch {
	case p2.fatal != nil:
		trace("split")
		return nil, p2.fatal, true
	case p2.addErr:
		trace("add error")
		return nil, nil, false // an overflow may come earlier in one pass
	}
	if !p1.errs.empty() || !p2.errs.empty() {
		trace("split")
		return nil, joinErrors(name, &p1.errs, &p2.errs), true
	}
	a = p1.agg
	if err := a.Merge(p2.agg); err != nil {
		trace("merge")
		return nil, nil, false
	}
	trace("split")
	return a, nil, true
}

// readGrouped is readGrouped's loop (read.go) on one goroutine, into the
// part's own aggregate and error list.
func (p *part) readGrouped(ctx context.Context, tr *TouchReader, c config) {
	a := newAggregate(c)
	p.agg = a
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				p.fatal = err
				return
			}
		}
		j, err := tr.next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				p.fatal = err // ctx or I/O
				return
			}
			p.errs.add(e)
			if tr.err != nil {
				p.stopped = true
				return // a line with no end: nothing more to read
			}
			continue
		}
		if !p.errs.empty() {
			continue // only looking for more problems
		}
		if err := a.add(j); err != nil {
			p.errs.add(fileLineErr(tr.t.name, tr.Line(), err))
			p.addErr = true
		}
	}
}

// joinErrors returns the problems of two parts, the first part's first.
func joinErrors(name string, a, b *errorList) error {
	l := errorList{name: name, total: a.total + b.total, list: a.list}
	for _, e := range b.list {
		if len(l.list) == MaxErrors {
			break
		}
		l.list = append(l.list, e)
	}
	return l.err()
}
