package attribution

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math/bits"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/revengine/revengine/internal/diag"
)

// A RowOrder says how the rows of the touch format are ordered.
type RowOrder int

const (
	// AnyOrder (the default of ReadTouches) accepts rows in any order, as
	// a warehouse query without ORDER BY returns them: the rows are sorted
	// by journey and time with an external merge sort in bounded memory
	// (see WithSortMemory) before the journeys are built. A file read on
	// two cores (see ReadTouches) whose journeys' rows do come together
	// is read without holding its rows: each run of rows of one id is
	// added as a journey, and a check that no id has two runs, exact,
	// confirms it; when the check fails the file is read again, holding
	// the rows.
	AnyOrder RowOrder = iota
	// Grouped is the strict, streaming mode: the rows of a journey must be
	// contiguous and in time order, and a journey whose rows resume after
	// another journey is an error (see TouchReader), detected within the
	// latest journeys (WithRegroupWindow) so that memory does not grow
	// with the input.
	Grouped
)

// String returns "any" or "grouped".
func (o RowOrder) String() string {
	if o == Grouped {
		return "grouped"
	}
	return "any"
}

// WithRowOrder sets the row order ReadTouches accepts (default AnyOrder).
// NewTouchReader always reads Grouped input.
func WithRowOrder(o RowOrder) Option { return func(c *config) { c.order = o } }

// DefaultSortMemory is the memory budget of the AnyOrder sort.
const DefaultSortMemory = 512 << 20

// WithSortMemory sets the memory budget, in bytes, of the rows ReadTouches
// holds while sorting AnyOrder input (default DefaultSortMemory; n ≤ 0
// keeps it). A row takes 72 bytes (40 for its fields, 32 for its sort
// key) plus its journey id, and 20 bytes more when its journey converted
// (the value and the conversion time): the default holds about 6.5
// million rows of short ids, and input that fits is grouped in memory (see the hash
// grouping below). When the budget is reached the rows held are sorted and
// written to a temporary file (a "run", in WithTempDir), and the runs are
// merged at the end, reading each through a 64 KiB buffer; at 64 runs they
// are merged into one. The memory bound is therefore the budget, plus at
// most 64 × 64 KiB for the runs, plus the distinct channel and campaign
// names, plus the rows of the largest journey, plus the aggregate itself —
// not a set of every journey id. (The process can hold more: Go's garbage
// collector lets the heap grow to about twice what is live, see GOGC.)
// Temporary files are removed before ReadTouches returns. A split read
// that speculates (see AnyOrder) counts 16 bytes per journey and the rows
// of the journeys being read against the same budget; past it, the file is
// read again as above.
func WithSortMemory(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.sortMem = n
		}
	}
}

// WithTempDir sets the directory of the AnyOrder sort's temporary files
// (default os.TempDir()).
func WithTempDir(dir string) Option { return func(c *config) { c.tempDir = dir } }

// srow is one parsed touch row while sorting: 40 bytes. The fields of its
// journey (value and conversion time) are not repeated on every row: a
// row that did not convert has none (parse rejects a value or a
// conversion time on one), and a converted row keeps them in the arena
// after its id (convSize bytes, see appendRowData).
type srow struct {
	line     int64
	sec      int64  // touch time, Unix seconds
	idOff    uint32 // the id is arena[idOff : idOff+idLen]
	idLen    uint32
	nsec     int32
	ch, camp uint32 // index in the names table; 0 for none
	flags    uint8
}

// trow is a row with its journey's fields, as the grouper and the run
// files use it.
type trow struct {
	srow
	csec  int64 // conversion time, Unix seconds
	value int64
	cnsec int32
}

// convSize is the bytes a converted row adds to the arena after its id:
// the conversion time's seconds and nanoseconds and the value.
const convSize = 20

// appendRowData appends the row's id and, when it converted, its journey
// fields to arena, and sets r.idOff.
func appendRowData(arena []byte, r *trow, id []byte) []byte {
	r.idOff = uint32(len(arena))
	arena = append(arena, id...)
	if r.flags&fConverted != 0 {
		arena = binary.LittleEndian.AppendUint64(arena, uint64(r.csec))
		arena = binary.LittleEndian.AppendUint32(arena, uint32(r.cnsec))
		arena = binary.LittleEndian.AppendUint64(arena, uint64(r.value))
	}
	return arena
}

// rowDataSize is the arena bytes of a row whose id is n bytes.
func rowDataSize(r *srow, n int) int {
	if r.flags&fConverted != 0 {
		return n + convSize
	}
	return n
}

// full returns r, whose data is in arena, with its journey's fields.
func full(r *srow, arena []byte) trow {
	t := trow{srow: *r}
	if r.flags&fConverted != 0 {
		b := arena[r.idOff+r.idLen:]
		b = b[:convSize]
		t.csec = int64(binary.LittleEndian.Uint64(b))
		t.cnsec = int32(binary.LittleEndian.Uint32(b[8:]))
		t.value = int64(binary.LittleEndian.Uint64(b[12:]))
	}
	return t
}

const (
	fLead uint8 = 1 << iota
	fOpp
	fConverted
	fEmpty // a row with an empty channel: a journey without touches
)

const (
	srowSize = int(unsafe.Sizeof(srow{}))
	skeySize = int(unsafe.Sizeof(skey{}))
)

func idPrefix(id []byte) uint64 {
	var b [8]byte
	copy(b[:], id)
	return binary.BigEndian.Uint64(b[:])
}

// sorter holds what the AnyOrder path shares between reading, spilling and
// merging.
type sorter struct {
	t      *table
	c      config
	names  []string          // channel and campaign names; names[0] = ""
	nameID map[string]uint32 // name → index in names
	rows   []srow
	keys   []skey // the rows' sort order
	arena  []byte
	runs   []*os.File
	errs   lineErrors
	// In a split read (split_any.go): the names table the parts share,
	// whether adding is skipped (a part found a problem), and whether
	// adding a journey failed.
	shared  *sharedNames
	skipAdd bool
	addErr  bool
	ncache  [64]cachedName // recent names (see name)
	// byID: with shared, the names this sorter has looked up, by id
	// ("" for the others).
	byID []string
}

// cmpRows orders rows by journey id (bytes), then time, then channel name,
// campaign, flags and line: equal-time touches get an order that does not
// depend on where their rows were in the input.
func (s *sorter) cmpRows(a *srow, aid []byte, b *srow, bid []byte) int {
	if c := bytes.Compare(aid, bid); c != 0 {
		return c
	}
	if a.sec != b.sec {
		return cmp.Compare(a.sec, b.sec)
	}
	if a.nsec != b.nsec {
		return cmp.Compare(a.nsec, b.nsec)
	}
	if a.ch != b.ch {
		if c := strings.Compare(s.names[a.ch], s.names[b.ch]); c != 0 {
			return c
		}
	}
	if a.camp != b.camp {
		if c := strings.Compare(s.names[a.camp], s.names[b.camp]); c != 0 {
			return c
		}
	}
	if a.flags != b.flags {
		return cmp.Compare(a.flags, b.flags)
	}
	return cmp.Compare(a.line, b.line)
}

// cmpSameJourney is cmpRows for two rows of one journey.
func (s *sorter) cmpSameJourney(a, b *srow) int {
	if a.sec != b.sec {
		return cmp.Compare(a.sec, b.sec)
	}
	if a.nsec != b.nsec {
		return cmp.Compare(a.nsec, b.nsec)
	}
	return s.cmpRows(a, nil, b, nil)
}

func (s *sorter) name(b []byte) uint32 {
	if len(b) == 0 {
		return 0
	}
	k := nameSlot(b)
	if c := &s.ncache[k]; c.id != 0 && c.name == string(b) {
		return c.id
	}
	id := s.lookupName(b)
	s.ncache[k] = cachedName{name: s.nameOf(id, b), id: id}
	return id
}

// cachedName is an entry of the sorter's small cache of names.
type cachedName struct {
	name string
	id   uint32
}

// nameOf returns the interned string of name id (b's bytes).
func (s *sorter) nameOf(id uint32, b []byte) string {
	if s.shared == nil {
		return s.names[id]
	}
	if int(id) < len(s.byID) && s.byID[id] != "" {
		return s.byID[id]
	}
	return string(b)
}

func (s *sorter) lookupName(b []byte) uint32 {
	if id, ok := s.nameID[string(b)]; ok {
		return id
	}
	if s.shared != nil {
		id := s.shared.id(b)
		str := string(b)
		s.nameID[str] = id
		for int(id) >= len(s.byID) {
			s.byID = append(s.byID, "")
		}
		s.byID[id] = str
		return id
	}
	id := uint32(len(s.names))
	str := string(b)
	s.names = append(s.names, str)
	s.nameID[str] = id
	return id
}

// parse checks the row just read on its own and returns it as an srow.
func (s *sorter) parse(curCol bool) (trow, *Error) {
	t := s.t
	rec := t.rec
	if len(rec.Fields) != t.h.Width {
		return trow{}, t.cr.CheckWidth(rec, t.h).(*Error)
	}
	idx, fields := t.h.Index, rec.Fields
	f := func(k int) []byte {
		if i := idx[k]; i >= 0 {
			return fields[i]
		}
		return nil
	}
	var r trow
	id := f(colID)
	if len(id) == 0 {
		return r, t.errf(colID, ErrSyntax, "empty")
	}
	converted, err := parse01(f(colConverted))
	if err != nil {
		return r, t.errf(colConverted, ErrSyntax, "%v", err)
	}
	value, err := parseInt(f(colValue))
	if err != nil && !converted && len(f(colValue)) == 0 {
		value, err = 0, nil
	}
	switch {
	case err != nil:
		return r, t.errf(colValue, ErrSyntax, "%q is not an integer (minor units)", f(colValue))
	case value < 0:
		return r, t.errf(colValue, ErrInvalidJourney, "negative value %d", value)
	case !converted && value != 0:
		return r, t.errf(colValue, ErrInvalidJourney, "%d on a journey that did not convert (want 0)", value)
	}
	if curCol {
		if err := t.checkCurrency(colCurrency); err != nil {
			return r, err
		}
	}
	var convTime time.Time
	if ct := f(colConvTime); converted {
		if convTime, err = parseTime(ct); err != nil {
			return r, t.errf(colConvTime, ErrSyntax, "%v", err)
		}
		r.flags |= fConverted
		r.csec, r.cnsec = convTime.Unix(), int32(convTime.Nanosecond())
	} else if len(ct) != 0 {
		return r, t.errf(colConvTime, ErrInvalidJourney, "set on a journey that did not convert (want empty)")
	}
	if channel := f(colChannel); len(channel) > 0 {
		tm, err := parseTime(f(colTime))
		if err != nil {
			return r, t.errf(colTime, ErrSyntax, "%v", err)
		}
		lead, err := parse01(f(colLead))
		if err != nil {
			return r, t.errf(colLead, ErrSyntax, "%v", err)
		}
		opp, err := parse01(f(colOpp))
		if err != nil {
			return r, t.errf(colOpp, ErrSyntax, "%v", err)
		}
		if converted && tm.After(convTime) {
			return r, t.errf(colTime, ErrInvalidJourney, "%s is after the conversion (%s)", f(colTime), f(colConvTime))
		}
		if lead {
			r.flags |= fLead
		}
		if opp {
			r.flags |= fOpp
		}
		r.sec, r.nsec = tm.Unix(), int32(tm.Nanosecond())
		r.ch = s.name(channel)
		r.camp = s.name(f(colCampaign))
	} else {
		r.flags |= fEmpty
	}
	if uint64(len(s.arena))+uint64(len(id))+convSize > 1<<32-1 {
		if err := s.spill(); err != nil {
			return r, t.lineErr(err)
		}
	}
	r.line, r.value, r.idLen = int64(rec.Line), value, uint32(len(id))
	return r, nil
}

// readUnsorted is ReadTouches for AnyOrder input.
func readUnsorted(ctx context.Context, t *table, name string, c config) (*Aggregate, error) {
	s := &sorter{t: t, c: c, names: []string{""}, nameID: map[string]uint32{}, errs: lineErrors{name: name}}
	defer s.removeRuns()
	curCol := t.h.Has(colCurrency)
	budget := c.sortMem
	if budget <= 0 {
		budget = DefaultSortMemory
	}
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		_, fatal, err := t.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				return nil, err
			}
			s.errs.add(e)
			if fatal {
				break
			}
			continue
		}
		r, e := s.parse(curCol)
		if e != nil {
			s.errs.add(e)
			continue
		}
		id := t.field(colID)
		// Grow by doubling: append grows large slices by only 1.25×,
		// which would copy the rows several times over.
		// Neither grows past what the budget can hold.
		if n := rowDataSize(&r.srow, len(id)); len(s.arena)+n > cap(s.arena) {
			s.arena = append(make([]byte, 0, min(2*cap(s.arena)+4096, budget)+n), s.arena...)
		}
		if len(s.rows) == cap(s.rows) {
			s.rows = append(make([]srow, 0, min(2*cap(s.rows)+1024, budget/(srowSize+skeySize)+1)), s.rows...)
		}
		s.arena = appendRowData(s.arena, &r, id)
		s.rows = append(s.rows, r.srow)
		if len(s.rows)*(srowSize+skeySize)+len(s.arena) >= budget || int64(len(s.rows)) >= 1<<31 {
			if err := s.spill(); err != nil {
				return nil, err
			}
		}
	}
	a := newAggregate(c)
	if err := s.merge(ctx, a); err != nil {
		return nil, err
	}
	if err := s.errs.err(); err != nil {
		return nil, err
	}
	return a, nil
}

// skey is the part of a row the sort compares first: a 32-byte key
// instead of the 72-byte row, and the row's index.
type skey struct {
	pfx   uint64
	sec   int64
	nsec  int32
	idLen uint32
	n     uint32
}

// sortRows sorts the rows held into s.order (cmpRows' order).
func (s *sorter) sortRows() {
	keys := s.keys[:0]
	if cap(keys) < len(s.rows) {
		keys = make([]skey, 0, len(s.rows))
	}
	for i := range s.rows {
		r := &s.rows[i]
		keys = append(keys, skey{pfx: idPrefix(s.arena[r.idOff : r.idOff+r.idLen]), sec: r.sec, nsec: r.nsec, idLen: r.idLen, n: uint32(i)})
	}
	ar := s.arena
	whole := func(x, y *skey) int {
		a, b := &s.rows[x.n], &s.rows[y.n]
		return s.cmpRows(a, ar[a.idOff:a.idOff+a.idLen], b, ar[b.idOff:b.idOff+b.idLen])
	}
	slices.SortFunc(keys, func(x, y skey) int {
		if x.pfx != y.pfx {
			if x.pfx < y.pfx {
				return -1
			}
			return 1
		}
		if x.idLen != y.idLen || x.idLen > 8 {
			return whole(&x, &y) // ids that differ after 8 bytes or in length
		}
		if x.sec != y.sec {
			if x.sec < y.sec {
				return -1
			}
			return 1
		}
		if x.nsec != y.nsec {
			if x.nsec < y.nsec {
				return -1
			}
			return 1
		}
		return whole(&x, &y)
	})
	s.keys = keys
}

// spill sorts the rows held and writes them to a new run file.
func (s *sorter) spill() error {
	if len(s.rows) == 0 {
		return nil
	}
	s.sortRows()
	f, err := os.CreateTemp(s.c.tempDir, "revengine-attribution-sort-*")
	if err != nil {
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	s.runs = append(s.runs, f)
	w := bufio.NewWriterSize(f, 1<<16)
	var buf []byte
	for _, k := range s.keys {
		r := &s.rows[k.n]
		fr := full(r, s.arena)
		buf = appendRow(buf[:0], &fr, s.arena[r.idOff:r.idOff+r.idLen])
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	s.rows, s.arena = s.rows[:0], s.arena[:0]
	if len(s.runs) >= maxRuns {
		return s.compact()
	}
	return nil
}

// maxRuns is the most runs held open: at this many, they are merged into
// one, so a small budget on a large input never runs out of files.
const maxRuns = 64

// appendRow appends the run encoding of r, whose id is id.
func appendRow(buf []byte, r *trow, id []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(id)))
	buf = append(buf, id...)
	buf = binary.AppendVarint(buf, r.line)
	buf = binary.AppendVarint(buf, r.sec)
	buf = binary.AppendUvarint(buf, uint64(r.nsec))
	buf = binary.AppendVarint(buf, r.csec)
	buf = binary.AppendUvarint(buf, uint64(r.cnsec))
	buf = binary.AppendVarint(buf, r.value)
	buf = binary.AppendUvarint(buf, uint64(r.ch))
	buf = binary.AppendUvarint(buf, uint64(r.camp))
	return append(buf, r.flags)
}

// compact merges the runs into one.
func (s *sorter) compact() error {
	f, err := os.CreateTemp(s.c.tempDir, "revengine-attribution-sort-*")
	if err != nil {
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var buf []byte
	err = s.eachMerged(func(r *trow, id []byte) error {
		buf = appendRow(buf[:0], r, id)
		_, err := w.Write(buf)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	s.removeRuns()
	s.runs = []*os.File{f}
	if err != nil {
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	return nil
}

// eachMerged calls fn with the rows of all runs in order.
func (s *sorter) eachMerged(fn func(r *trow, id []byte) error) error {
	h := &cursorHeap{s: s}
	for _, f := range s.runs {
		c := &cursor{r: bufio.NewReaderSize(f, 1<<16)}
		if c.next() {
			h.cs = append(h.cs, c)
		} else if c.err != nil {
			return c.err
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		c := h.cs[0]
		if err := fn(&c.row, c.id); err != nil {
			return err
		}
		if c.next() {
			heap.Fix(h, 0)
		} else {
			if c.err != nil {
				return c.err
			}
			heap.Pop(h)
		}
	}
	return nil
}

func (s *sorter) removeRuns() {
	for _, f := range s.runs {
		f.Close()
		os.Remove(f.Name())
	}
	s.runs = nil
}

// A run cursor: the current row of one sorted run.
type cursor struct {
	r   *bufio.Reader
	row trow
	pfx uint64 // idPrefix(id)
	id  []byte
	err error
}

func (c *cursor) next() bool {
	n, err := binary.ReadUvarint(c.r)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			c.err = err
		}
		return false
	}
	if cap(c.id) < int(n) {
		c.id = make([]byte, n)
	}
	c.id = c.id[:n]
	if _, err := io.ReadFull(c.r, c.id); err != nil {
		c.err = err
		return false
	}
	var vals [8]int64
	for i := range vals {
		var v int64
		switch i {
		case 0, 1, 3, 5: // line, sec, csec, value
			v, err = binary.ReadVarint(c.r)
		default:
			var u uint64
			u, err = binary.ReadUvarint(c.r)
			v = int64(u)
		}
		if err != nil {
			c.err = err
			return false
		}
		vals[i] = v
	}
	fl, err := c.r.ReadByte()
	if err != nil {
		c.err = err
		return false
	}
	c.pfx = idPrefix(c.id)
	c.row = trow{srow: srow{line: vals[0], sec: vals[1], nsec: int32(vals[2]), ch: uint32(vals[6]), camp: uint32(vals[7]), flags: fl, idLen: uint32(n)},
		csec: vals[3], cnsec: int32(vals[4]), value: vals[5]}
	return true
}

type cursorHeap struct {
	s  *sorter
	cs []*cursor
}

func (h *cursorHeap) Len() int { return len(h.cs) }
func (h *cursorHeap) Less(i, j int) bool {
	a, b := h.cs[i], h.cs[j]
	if a.pfx != b.pfx {
		return a.pfx < b.pfx
	}
	return h.s.cmpRows(&a.row.srow, a.id, &b.row.srow, b.id) < 0
}
func (h *cursorHeap) Swap(i, j int) { h.cs[i], h.cs[j] = h.cs[j], h.cs[i] }
func (h *cursorHeap) Push(x any)    { h.cs = append(h.cs, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	c := h.cs[len(h.cs)-1]
	h.cs = h.cs[:len(h.cs)-1]
	return c
}

// merge feeds the sorted rows, journey by journey, into a.
func (s *sorter) merge(ctx context.Context, a *Aggregate) error {
	g := grouper{s: s, a: a}
	if len(s.runs) == 0 {
		return s.groupInMemory(ctx, &g)
	}
	if err := s.spill(); err != nil {
		return err
	}
	n := 0
	err := s.eachMerged(func(r *trow, id []byte) error {
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		g.row(r, id)
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("attribution: sorting %s: %w", s.t.name, err)
	}
	g.flush()
	return nil
}

// groupInMemory feeds the rows held, journey by journey, into g without
// a full sort: each row finds its journey in a hash table of the ids, a
// counting sort by journey brings each journey's rows together, and only
// those are sorted (by time, then the tie-breaks of cmpRows). Journeys
// come in order of first appearance, which does not matter: an aggregate
// is the same whatever order its journeys are added in. It takes 8 bytes
// per row and 48 to 96 per journey on top of the rows.
func (s *sorter) groupInMemory(ctx context.Context, g *grouper) error {
	return s.groupSegments(ctx, g, []segment{{s.rows, s.arena}})
}

// A segment is rows with the arena their ids are in.
type segment struct {
	rows  []srow
	arena []byte
}

// segmentRows returns functions that give row i of segments segs, in
// order, as if they were one: the row, its id and the arena it is in;
// and its id.
func segmentRows(segs []segment) (at func(i uint32) (*srow, []byte, []byte), id func(i uint32) []byte) {
	// Row i of the whole is row i-base[k] of segment k.
	base := make([]int, len(segs)+1)
	for k, sg := range segs {
		base[k+1] = base[k] + len(sg.rows)
	}
	at = func(i uint32) (*srow, []byte, []byte) {
		k := 0
		for int(i) >= base[k+1] {
			k++
		}
		r := &segs[k].rows[int(i)-base[k]]
		return r, segs[k].arena[r.idOff : r.idOff+r.idLen], segs[k].arena
	}
	id = func(i uint32) []byte { _, b, _ := at(i); return b }
	return at, id
}

// groupSegments is groupInMemory over the rows of several segments, in
// order, as if they were one.
func (s *sorter) groupSegments(ctx context.Context, g *grouper, segs []segment) error {
	n := 0
	for _, sg := range segs {
		n += len(sg.rows)
	}
	if n == 0 {
		return nil
	}
	at, id := segmentRows(segs)
	jid, first, err := journeysOf(ctx, n, id)
	if err != nil {
		return err
	}
	start := make([]uint32, len(first)+1)
	for _, j := range jid {
		start[j+1]++
	}
	for j := range first {
		start[j+1] += start[j]
	}
	order := make([]uint32, n)
	fill := append([]uint32(nil), start[:len(first)]...)
	for i, j := range jid {
		order[fill[j]] = uint32(i)
		fill[j]++
	}
	jid, fill = nil, nil
	for j := range first {
		if j&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		seg := order[start[j]:start[j+1]]
		row := func(i uint32) *srow { r, _, _ := at(i); return r }
		if len(seg) <= insertionMax {
			// Insertion sort: a journey mostly has few rows.
			for a := 1; a < len(seg); a++ {
				for b := a; b > 0 && s.cmpSameJourney(row(seg[b]), row(seg[b-1])) < 0; b-- {
					seg[b], seg[b-1] = seg[b-1], seg[b]
				}
			}
		} else {
			slices.SortFunc(seg, func(x, y uint32) int { return s.cmpSameJourney(row(x), row(y)) })
		}
		for _, i := range seg {
			r, id, arena := at(i)
			fr := full(r, arena)
			g.row(&fr, id)
		}
		g.flush()
	}
	return nil
}

// journeysOf numbers the journeys of n rows, row i having id(i): jid[i]
// is row i's journey and first[j] a row of journey j.
//
// The rows of a journey mostly come together, even in input that may be
// in any order, so it works on runs of rows with equal ids. Looking every
// run up in one hash table of the ids would miss the cache on every run
// (the table of a million journeys is tens of megabytes), so the runs are
// first partitioned by the top bits of their hash (see partitionRuns), and
// each partition, of about 4096 runs, is numbered with a table that stays
// in the cache (a radix-partitioned hash join). Journeys are numbered
// partition by partition, which does not matter: an aggregate is the same
// whatever order its journeys are added in.
func journeysOf(ctx context.Context, n int, id func(uint32) []byte) (jid, first []uint32, err error) {
	runOf := make([]uint32, n) // a row's run, in parted; then its journey
	pr, err := partitionRuns(ctx, n, id, runOf)
	if err != nil {
		return nil, nil, err
	}
	runJ := make([]uint32, len(pr.runs)) // the journey of each run of pr.runs
	first = make([]uint32, 0, len(pr.runs))
	err = pr.each(ctx, id, func(r int, dup uint32, ok bool) bool {
		if ok {
			runJ[r] = runJ[dup]
		} else {
			runJ[r] = uint32(len(first))
			first = append(first, pr.runs[r].start)
		}
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	for i, r := range runOf {
		runOf[i] = runJ[r]
	}
	return runOf, first, nil
}

// repeatedRun reports whether two runs of equal ids among n rows, row i
// having id(i), have the same id: whether a journey's rows are apart.
func repeatedRun(ctx context.Context, n int, id func(uint32) []byte) (bool, error) {
	pr, err := partitionRuns(ctx, n, id, nil)
	if err != nil {
		return false, err
	}
	repeated := false
	err = pr.each(ctx, id, func(_ int, _ uint32, ok bool) bool {
		repeated = ok
		return !ok
	})
	return repeated, err
}

// A run is rows with equal ids, in a row; 16 bytes while journeys are
// numbered: its key (an id of up to 8 bytes itself, a longer one's hash,
// compared in full on a match), its length and its first row.
type run struct {
	key   uint64
	len   uint32
	start uint32
}

// partedRuns are runs in partitions: runs[count[p]:count[p+1]] is
// partition p.
type partedRuns struct {
	runs  []run
	count []uint32
	seed  runSeed
}

// runSeed seeds the hashes of the runs' ids, at random per read, so that
// no input can be made to collide on purpose; no result depends on them.
type runSeed struct {
	long maphash.Seed
	mix  uint64
}

func newRunSeed() runSeed { return runSeed{maphash.MakeSeed(), rand.Uint64()} }

func (s runSeed) key(b []byte) uint64 {
	if len(b) <= 8 {
		return idPrefix(b)
	}
	return maphash.Bytes(s.long, b)
}

func (s runSeed) hash(key uint64, n uint32) uint64 { return mix(key^uint64(n)<<56, s.mix) }

// partitionRuns finds the runs of n rows and partitions them by the top
// bits of their hash, about 4096 runs a partition. With runOf (n long) it
// sets runOf[i] to the index in runs of row i's run.
func partitionRuns(ctx context.Context, n int, id func(uint32) []byte, runOf []uint32) (partedRuns, error) {
	pbits := 0
	for n>>pbits > 4096 {
		pbits++
	}
	shift := uint(64 - pbits) // the partition is the hash's top pbits bits (h>>64 is 0)
	count := make([]uint32, 1<<pbits+1)
	runs := 0
	var prev []byte
	seed := newRunSeed()
	for i := range n {
		if i&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return partedRuns{}, err
			}
		}
		if b := id(uint32(i)); i == 0 || string(b) != string(prev) {
			prev = b
			count[seed.hash(seed.key(b), uint32(len(b)))>>shift+1]++
			runs++
		}
	}
	for p := 1; p < len(count); p++ {
		count[p] += count[p-1]
	}
	parted := make([]run, runs)
	fill := append([]uint32(nil), count[:len(count)-1]...) // where partition p's next run goes
	r := uint32(0)
	for i := range n {
		if b := id(uint32(i)); i == 0 || string(b) != string(prev) {
			prev = b
			key, l := seed.key(b), uint32(len(b))
			p := seed.hash(key, l) >> shift
			r = fill[p]
			fill[p]++
			parted[r] = run{key: key, len: l, start: uint32(i)}
		}
		if runOf != nil {
			runOf[i] = r
		}
	}
	return partedRuns{runs: parted, count: count, seed: seed}, nil
}

// each calls fn with each run r, partition by partition, with ok and the
// earlier run dup of its partition that has the same id, if there is
// one; it stops when fn returns false. With id nil, runs of equal keys
// and lengths have the same id.
func (pr partedRuns) each(ctx context.Context, id func(uint32) []byte, fn func(r int, dup uint32, ok bool) bool) error {
	type entry struct {
		key uint64
		len uint32
		r1  uint32 // run + 1; 0 empty
	}
	var table []entry
	for p := range len(pr.count) - 1 {
		if p&255 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		lo, hi := int(pr.count[p]), int(pr.count[p+1])
		size := 16
		for size < 2*(hi-lo) {
			size *= 2
		}
		if cap(table) < size {
			table = make([]entry, size)
		}
		table = table[:size]
		clear(table)
		mask := uint64(size - 1)
		for r := lo; r < hi; r++ {
			ru := &pr.runs[r]
			q := pr.seed.hash(ru.key, ru.len) & mask
			for {
				e := &table[q]
				if e.r1 == 0 {
					*e = entry{key: ru.key, len: ru.len, r1: uint32(r) + 1}
					if !fn(r, 0, false) {
						return nil
					}
					break
				}
				if e.key == ru.key && e.len == ru.len && (ru.len <= 8 || id == nil || bytes.Equal(id(pr.runs[e.r1-1].start), id(ru.start))) {
					if !fn(r, e.r1-1, true) {
						return nil
					}
					break
				}
				q = (q + 1) & mask
			}
		}
	}
	return nil
}

// insertionMax is the most rows of a journey sorted by insertion; more are
// sorted in O(n log n), so that one journey of a million rows in reverse
// order does not take 10¹¹ comparisons. cmpSameJourney is a total order
// (the line breaks every tie): both sorts give the same order.
const insertionMax = 32

// fnv64 is the 64-bit FNV-1a hash.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// grouper turns sorted rows into journeys.
type grouper struct {
	s    *sorter
	a    *Aggregate
	id   []byte
	rows []trow
	j    Journey
}

func (g *grouper) row(r *trow, id []byte) {
	if len(g.rows) > 0 && !bytes.Equal(id, g.id) {
		g.flush()
	}
	if len(g.rows) == 0 {
		g.id = append(g.id[:0], id...)
	}
	g.rows = append(g.rows, *r)
}

func utc(sec int64, nsec int32) time.Time { return time.Unix(sec, int64(nsec)).UTC() }

// flush checks the journey held and adds it to the aggregate.
func (g *grouper) flush() {
	rows := g.rows
	if len(rows) == 0 {
		return
	}
	defer func() { g.rows = g.rows[:0] }()
	s, t := g.s, g.s.t
	id := string(g.id)
	first := 0 // the row first in the input
	for i := range rows {
		if rows[i].line < rows[first].line {
			first = i
		}
	}
	f := &rows[first]
	bad := false
	for i := range rows {
		r := &rows[i]
		if i == first {
			continue
		}
		at := func(k int, format string, a ...any) {
			s.errs.add(t.errAt(int(r.line), k, ErrInvalidJourney, format, a...))
			bad = true
		}
		fc, rc := f.flags&fConverted != 0, r.flags&fConverted != 0
		switch {
		case r.flags&fEmpty != 0 || f.flags&fEmpty != 0:
			at(colChannel, "empty channel in journey %q, which has other rows (a journey without touchpoints has a single row with an empty channel)", id)
		case rc != fc:
			at(colConverted, "%s, but %s on line %d (first row of journey %q)", b01(rc), b01(fc), f.line, id)
		case r.value != f.value:
			at(colValue, "%d, but %d on line %d (first row of journey %q)", r.value, f.value, f.line, id)
		case r.csec != f.csec || r.cnsec != f.cnsec:
			at(colConvTime, "%s, but %s on line %d (first row of journey %q)", utc(r.csec, r.cnsec).Format(time.RFC3339Nano),
				utc(f.csec, f.cnsec).Format(time.RFC3339Nano), f.line, id)
		}
	}
	if bad || !s.errs.empty() || s.skipAdd {
		return // only looking for more problems
	}
	j := &g.j
	j.ID, j.Converted = id, f.flags&fConverted != 0
	j.Value.Amount, j.Value.Currency = f.value, t.cur
	j.ConversionTime = time.Time{}
	if j.Converted {
		j.ConversionTime = utc(f.csec, f.cnsec)
	}
	j.Touches = j.Touches[:0]
	if f.flags&fEmpty == 0 {
		for i := range rows {
			r := &rows[i]
			j.Touches = append(j.Touches, Touchpoint{Channel: s.names[r.ch], Time: utc(r.sec, r.nsec), Campaign: s.names[r.camp],
				LeadCreated: r.flags&fLead != 0, OppCreated: r.flags&fOpp != 0})
		}
	}
	if err := g.a.add(j); err != nil {
		s.addErr = true
		s.errs.add(fileLineErr(t.name, int(f.line), err))
	}
}

// errAt is errf for a record read earlier, on line.
func (t *table) errAt(line, k int, sentinel error, format string, a ...any) *Error {
	col := 0
	if t.h.Has(k) {
		col = t.h.Index[k] + 1
	}
	return &Error{File: t.name, Line: line, Column: col, ID: t.cols[k].Name, Code: diag.CodeInvalid, Err: sentinel, Msg: fmt.Sprintf(format, a...)}
}

// lineErrors collects problems found out of line order and reports the
// MaxErrors with the lowest lines, sorted, holding at most 2·MaxErrors.
type lineErrors struct {
	name  string
	list  []*Error
	total int
}

func (l *lineErrors) add(e *Error) {
	l.total++
	l.list = append(l.list, e)
	if len(l.list) >= 2*MaxErrors {
		l.sort()
		l.list = l.list[:MaxErrors]
	}
}

func (l *lineErrors) sort() {
	slices.SortStableFunc(l.list, func(a, b *Error) int {
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		return cmp.Compare(a.Column, b.Column)
	})
}

func (l *lineErrors) empty() bool { return l.total == 0 }

func (l *lineErrors) err() error {
	l.sort()
	el := errorList{name: l.name, total: l.total, list: l.list[:min(len(l.list), MaxErrors)]}
	return el.err()
}

// mix folds two words into one (the wyhash mixing step).
func mix(x, y uint64) uint64 {
	hi, lo := bits.Mul64(x^0xA0761D6478BD642F, y^0xE7037ED1A0B428DB)
	return hi ^ lo
}
