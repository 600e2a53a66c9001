package attribution

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
)

// Columns of the touch CSV (campaign and currency are optional).
var touchColumns = []csvio.Column{
	{Name: "journey_id", Required: true},
	{Name: "timestamp", Required: true},
	{Name: "channel", Required: true},
	{Name: "lead_created", Required: true},
	{Name: "opp_created", Required: true},
	{Name: "converted", Required: true},
	{Name: "value_minor", Required: true},
	{Name: "conversion_time", Required: true},
	{Name: "campaign"},
	{Name: "currency"},
}

const (
	colID = iota
	colTime
	colChannel
	colLead
	colOpp
	colConverted
	colValue
	colConvTime
	colCampaign
	colCurrency
	nTouchCols
)

// readBuffer is the read buffer of the CSV readers: large inputs (a million
// journeys is 150 MB) are read in fewer, larger reads than lineio's default.
const readBuffer = 1 << 20

// table is a CSV input with its header mapped: the one reader behind the
// touch, path and spend formats.
type table struct {
	cr   *csvio.Reader
	name string
	cols []csvio.Column
	h    csvio.Header
	cur  money.Currency // the input's currency
	rec  *csvio.Record  // the record read last
	eof  bool           // the input has ended
	// src, when set, yields the records instead of cr (Parquet input):
	// io.EOF at the end, any other error is fatal.
	src func() (*csvio.Record, error)
	// lineOff is added to every line number: the table reads a part of a
	// file (a split, see split.go) that starts after lineOff lines.
	lineOff int
	// openAtEnd: the input ended inside a quoted field. For the first
	// part of a split file it means the split point is not a record
	// boundary.
	openAtEnd bool
}

// msgOpenQuoteAtEnd is csvio's message for a quoted field still open at
// the end of the input (TestSplitInsideQuotes keeps the two in step).
const msgOpenQuoteAtEnd = "quoted field not closed before the end of the input"

// shiftLine returns err with lineOff added to its line when it is an
// *Error; the error is copied, since a reader returns its fatal error again.
func shiftLine(err error, lineOff int) error {
	if err == nil {
		return nil // before e, which escapes: no allocation per record
	}
	return shiftErr(err, lineOff)
}

func shiftErr(err error, lineOff int) error {
	var e *Error
	if !errors.As(err, &e) || e.Line == 0 {
		return err
	}
	c := *e
	c.Line += lineOff
	return &c
}

// openTable reads the header of a CSV input with columns cols.
func openTable(ctx context.Context, r io.Reader, name string, c config, cols []csvio.Column) (*table, error) {
	if err := c.currency.Validate(); err != nil {
		return nil, &Error{File: name, Code: diag.CodeInvalid, Err: err, Msg: fmt.Sprintf("currency: %v", err)}
	}
	if _, ok := r.(*bufio.Reader); !ok {
		r = bufio.NewReaderSize(r, readBuffer)
	}
	t := &table{cr: csvio.NewReader(ctx, r, name, csvio.Options{MaxRecord: c.maxLine}), name: name, cols: cols, cur: c.currency}
	rec, err := t.cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, &Error{File: name, Line: 1, Code: diag.CodeMissing, Err: ErrSyntax, Msg: "empty input: a header line is required"}
	case err != nil:
		return nil, err
	}
	t.h, err = t.cr.MapHeader(rec, cols, csvio.HeaderOptions{})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// read returns the next record, or io.EOF. A bad record is an *Error and
// fatal reports whether reading can go on after it.
func (t *table) read() (rec *csvio.Record, fatal bool, err error) {
	if t.eof {
		return nil, true, io.EOF
	}
	if t.src != nil {
		rec, err = t.src()
		t.rec = rec
		var e *Error
		if errors.As(err, &e) {
			return nil, false, err // a bad row: go on with the next
		}
		if err != nil {
			t.eof = true
			return nil, true, err
		}
		return rec, false, nil
	}
	rec, err = t.cr.Read()
	if t.lineOff != 0 {
		if rec != nil {
			rec.Line += t.lineOff
		}
		err = shiftLine(err, t.lineOff)
	}
	t.rec = rec
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, true, err // reading, or ctx
		}
		if e.Msg == msgOpenQuoteAtEnd {
			t.openAtEnd = true
		}
		if t.cr.Stopped() {
			// Either the input ended with this bad record (the next Read
			// is io.EOF) or the reader gave up for good (a line with no
			// end in sight: the next Read is the same error).
			if _, again := t.cr.Read(); !errors.Is(again, io.EOF) {
				return nil, true, err
			}
			t.eof = true
		}
		return nil, false, err
	}
	return rec, false, nil
}

// field returns the field of column k in the record read last, nil when the
// column is absent.
func (t *table) field(k int) []byte { return t.h.Field(t.rec, k) }

// errf returns a problem with column k of the record read last.
func (t *table) errf(k int, sentinel error, format string, a ...any) *Error {
	col := 0
	if t.h.Has(k) {
		col = t.h.Index[k] + 1
	}
	return &Error{File: t.name, Line: t.rec.Line, Column: col, ID: t.cols[k].Name, Code: diag.CodeInvalid, Err: sentinel, Msg: fmt.Sprintf(format, a...)}
}

// lineErr places err, a problem of the whole record read last, at its line.
func (t *table) lineErr(err error) *Error { return fileLineErr(t.name, t.rec.Line, err) }

// fileLineErr is lineErr for a given file and line.
func fileLineErr(name string, line int, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.File, c.Line = name, line
		return &c
	}
	code := diag.CodeInvalid
	if errors.Is(err, ErrOverflow) || errors.Is(err, ErrTooManyChannels) {
		code = diag.CodeLimit
	}
	return &Error{File: name, Line: line, Code: code, Err: err, Msg: err.Error()}
}

// checkCurrency checks the currency column k of the record read last: empty,
// or the input's currency.
func (t *table) checkCurrency(k int) *Error {
	if c := t.field(k); len(c) > 0 && string(c) != string(t.cur) {
		return t.errf(k, money.ErrCurrencyMismatch, "%q, but the input is in %s (one currency per input)", c, t.cur)
	}
	return nil
}

// A TouchReader reads journeys from the touch CSV, one row per touchpoint:
//
//	journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
//
// with a required header (columns in any order; optional campaign and
// currency columns). Timestamps are RFC 3339; lead_created, opp_created and
// converted are 0 or 1; value_minor is an integer in minor units, 0 (or
// empty) when not converted; converted, value_minor and conversion_time are
// journey-level, repeated on each row; conversion_time is empty when not
// converted. The currency column, when present, is empty or the input's
// currency (WithCurrency, default DefaultCurrency): one input, one
// currency. The rows of a journey must be contiguous and in time order
// (equal times keep their input order). A journey whose single row has an
// empty channel has no touchpoints. Every violation is an *Error naming the
// line, field and column.
//
// Lines are read by the module's CSV reader: a UTF-8 byte order mark is
// dropped, CRLF and LF end lines, blank lines are skipped, a quoted field
// may hold commas, doubled quotes and line breaks, and a record longer than
// MaxRecordBytes is an error matching ErrLineTooLong. A TouchReader is not safe for
// concurrent use.
type TouchReader struct {
	t           *table
	curCol      bool
	seen        *recentIDs // the latest journey ids with their first line
	intern      map[string]string
	icache      [64]string // recent interned names, by a hash of their bytes
	out, pend   Journey    // the journey returned, the journey being read
	outLine     int        // first line of out
	pendLine    int        // first line of pend
	pendEmpty   bool       // pend's row had an empty channel
	pendBad     bool       // a row of pend was rejected: never return it
	pendConvRaw []byte     // pend's conversion_time field, as read
	has         bool       // pend holds a journey started by a row already read
	ready       bool       // out holds a journey to return before reading on
	rowID       []byte     // journey id of the row being parsed, if known
	rowSeen     bool       // the row's journey id went into seen already
	firstID     []byte     // the first row's journey id, nil until one is known (split.go)
	end         readerEnd
	badID       []byte // a rejected journey whose further rows are skipped
	skipping    bool   // badID is set
	done        bool
	err         error
}

// NewTouchReader reads the header of r; name is used in error messages.
// A TouchReader streams, so it reads Grouped input only; ReadTouches
// accepts rows in any order.
// It takes WithCurrency, MaxRecordBytes and WithRegroupWindow (other
// options are ignored): a journey whose rows resume after fewer than
// DefaultRegroupWindow other journeys is an error, in memory that does not
// grow with the input. ctx is checked while reading.
func NewTouchReader(ctx context.Context, r io.Reader, name string, opts ...Option) (tr *TouchReader, err error) {
	defer diag.Recover(&err, "attribution: NewTouchReader")
	return newTouchReader(ctx, r, name, newConfig(opts))
}

func newTouchReader(ctx context.Context, r io.Reader, name string, c config) (*TouchReader, error) {
	t, err := openTable(ctx, r, name, c, touchColumns)
	if err != nil {
		return nil, err
	}
	return &TouchReader{t: t, curCol: t.h.Has(colCurrency), seen: newRecentIDs(c.regroup), intern: map[string]string{}}, nil
}

// Next returns the next journey, or io.EOF after the last. The journey and
// its Touches are reused by the following call to Next; copy what you keep.
//
// A journey is complete when the row of the next one (or the end of the
// input) is read, so a problem on that row is returned before it. A bad
// line is returned as an *Error; calling Next again goes on with the next
// line, and the journey the bad line belongs to is never returned (its
// other rows are skipped), so a caller can collect every problem in one
// pass. Other errors (reading the input, ctx, a line with no end in sight)
// are returned again by every call.
func (tr *TouchReader) Next() (j *Journey, err error) {
	defer diag.Recover(&err, "attribution: TouchReader.Next")
	return tr.next()
}

func (tr *TouchReader) next() (*Journey, error) {
	if tr.err != nil {
		return nil, tr.err
	}
	j, fatal, err := tr.readJourney()
	if err != nil {
		if fatal {
			tr.err = err
		}
		return nil, err
	}
	return j, nil
}

// All returns an iterator over the journeys Next would return: each journey
// with a nil error, each bad line as a nil journey and its *Error (the
// iteration goes on after it), and a final error after which it stops. It
// ends without an error at the end of the input. The journey is reused as
// with Next.
func (tr *TouchReader) All() iter.Seq2[*Journey, error] {
	return func(yield func(*Journey, error) bool) {
		for {
			j, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(j, err) || tr.err != nil {
				return
			}
		}
	}
}

func (tr *TouchReader) readJourney() (*Journey, bool, error) {
	for {
		if tr.ready {
			tr.ready = false
			return &tr.out, false, nil
		}
		if tr.done {
			if tr.has {
				tr.has = false
				tr.out, tr.pend = tr.pend, tr.out
				tr.outLine = tr.pendLine
				if tr.pendBad {
					tr.pendBad = false
					return nil, true, io.EOF
				}
				return &tr.out, false, nil
			}
			return nil, true, io.EOF
		}
		_, fatal, err := tr.t.read()
		if errors.Is(err, io.EOF) {
			tr.done = true
			tr.end = readerEnd{has: tr.has, id: tr.pend.ID, skipping: tr.skipping, badID: tr.badID}
			continue
		}
		if err != nil {
			if !fatal {
				tr.rowID, tr.rowSeen = nil, false
				tr.fail()
			}
			return nil, fatal, err
		}
		done, err := tr.row()
		if err != nil {
			return nil, false, err
		}
		if done {
			return &tr.out, false, nil
		}
	}
}

// row parses the record just read into the journey in progress (tr.pend).
// When the row starts a new journey while one was in progress, the
// finished one moves to tr.out and row reports done.
func (tr *TouchReader) row() (done bool, err error) {
	tr.rowID, tr.rowSeen = nil, false
	done, err = tr.parseRow()
	if err != nil {
		tr.fail()
	}
	return done, err
}

// fail records that the row just read (journey id tr.rowID, nil if
// unknown) was rejected, so that its journey is never returned.
func (tr *TouchReader) fail() {
	id := tr.rowID
	switch {
	case id == nil:
		// Unsplittable line: its journey is unknown; nothing to skip.
	case tr.has && string(id) == tr.pend.ID:
		tr.pendBad = true
	default:
		// The bad row starts another journey: the one in progress is
		// complete, and the bad journey's further rows are skipped.
		if tr.has {
			if !tr.pendBad {
				tr.out, tr.pend = tr.pend, tr.out
				tr.outLine = tr.pendLine
				tr.ready = true
			}
			tr.has, tr.pendBad = false, false
		}
		if !tr.rowSeen {
			tr.seen.addOrGet(id, tr.t.rec.Line)
		}
		tr.badID = append(tr.badID[:0], id...)
		tr.skipping = true
	}
}

func (tr *TouchReader) parseRow() (done bool, err error) {
	t := tr.t
	rec := t.rec
	if p := t.h.Index[colID]; p < len(rec.Fields) && len(rec.Fields[p]) > 0 {
		tr.rowID = rec.Fields[p]
		if tr.firstID == nil {
			tr.firstID = append([]byte{}, tr.rowID...)
		}
		if tr.skipping {
			if string(tr.rowID) == string(tr.badID) {
				return false, nil // more rows of a journey already rejected
			}
			tr.skipping = false
		}
	}
	if len(rec.Fields) != t.h.Width {
		return false, t.cr.CheckWidth(rec, t.h)
	}
	// The field of column k, nil for an absent optional column; every
	// index is in range after the width check.
	idx, fields := t.h.Index, rec.Fields
	f := func(k int) []byte {
		if i := idx[k]; i >= 0 {
			return fields[i]
		}
		return nil
	}
	id := f(colID)
	if len(id) == 0 {
		return false, t.errf(colID, ErrSyntax, "empty")
	}
	converted, err := parse01(f(colConverted))
	if err != nil {
		return false, t.errf(colConverted, ErrSyntax, "%v", err)
	}
	value, err := parseInt(f(colValue))
	if err != nil && !converted && len(f(colValue)) == 0 {
		value, err = 0, nil // an empty value on a journey that did not convert
	}
	if err != nil {
		return false, t.errf(colValue, ErrSyntax, "%q is not an integer (minor units)", f(colValue))
	}
	if value < 0 {
		return false, t.errf(colValue, ErrInvalidJourney, "negative value %d", value)
	}
	if !converted && value != 0 {
		return false, t.errf(colValue, ErrInvalidJourney, "%d on a journey that did not convert (want 0)", value)
	}
	if tr.curCol {
		if err := t.checkCurrency(colCurrency); err != nil {
			return false, err
		}
	}
	var convTime time.Time
	if ct := f(colConvTime); converted {
		if tr.has && tr.pend.Converted && string(ct) == string(tr.pendConvRaw) && string(id) == tr.pend.ID {
			convTime = tr.pend.ConversionTime // another row of the journey: parsed on its first row
		} else if convTime, err = parseTime(ct); err != nil {
			return false, t.errf(colConvTime, ErrSyntax, "%v", err)
		}
	} else if len(ct) != 0 {
		return false, t.errf(colConvTime, ErrInvalidJourney, "set on a journey that did not convert (want empty)")
	}
	channel := f(colChannel)
	var touch Touchpoint
	if len(channel) > 0 {
		if touch.Time, err = parseTime(f(colTime)); err != nil {
			return false, t.errf(colTime, ErrSyntax, "%v", err)
		}
		if touch.LeadCreated, err = parse01(f(colLead)); err != nil {
			return false, t.errf(colLead, ErrSyntax, "%v", err)
		}
		if touch.OppCreated, err = parse01(f(colOpp)); err != nil {
			return false, t.errf(colOpp, ErrSyntax, "%v", err)
		}
		touch.Channel = tr.internStr(channel)
		if c := f(colCampaign); len(c) > 0 {
			touch.Campaign = tr.internStr(c)
		}
		if converted && touch.Time.After(convTime) {
			return false, t.errf(colTime, ErrInvalidJourney, "%s is after the conversion (%s)", f(colTime), f(colConvTime))
		}
	}

	j := &tr.pend
	if tr.has && string(id) == j.ID {
		// Another row of the journey in progress.
		switch {
		case tr.pendEmpty || len(channel) == 0:
			return false, t.errf(colChannel, ErrInvalidJourney, "empty channel in journey %q, which has other rows (a journey without touchpoints has a single row with an empty channel)", j.ID)
		case converted != j.Converted:
			return false, t.errf(colConverted, ErrInvalidJourney, "%s, but %s on line %d (first row of journey %q)", b01(converted), b01(j.Converted), tr.pendLine, j.ID)
		case value != j.Value.Amount:
			return false, t.errf(colValue, ErrInvalidJourney, "%d, but %d on line %d (first row of journey %q)", value, j.Value.Amount, tr.pendLine, j.ID)
		case !convTime.Equal(j.ConversionTime):
			return false, t.errf(colConvTime, ErrInvalidJourney, "%s, but %s on line %d (first row of journey %q)", f(colConvTime), j.ConversionTime.Format(time.RFC3339Nano), tr.pendLine, j.ID)
		}
		if last := &j.Touches[len(j.Touches)-1]; touch.Time.Before(last.Time) {
			return false, t.errf(colTime, ErrInvalidJourney, "%s is before the journey's previous touch (%s): rows must be in time order", f(colTime), last.Time.Format(time.RFC3339Nano))
		}
		j.Touches = append(j.Touches, touch)
		return false, nil
	}
	// A new journey.
	tr.rowSeen = true
	if first, isNew := tr.seen.addOrGet(id, rec.Line); !isNew {
		return false, t.errf(colID, ErrInvalidJourney, "journey %q is not grouped: its rows started on line %d and resume here after another journey", id, first)
	}
	sid := string(id)
	if tr.has {
		tr.out, tr.pend = tr.pend, tr.out
		tr.outLine = tr.pendLine
		done = !tr.pendBad // a rejected journey is dropped here
		tr.pendBad = false
	}
	j.ID, j.Converted, j.Value.Amount, j.ConversionTime = sid, converted, value, convTime
	if j.Value.Currency != t.cur {
		j.Value.Currency = t.cur // once: the same on every journey
	}
	j.Touches = j.Touches[:0]
	if len(channel) > 0 {
		j.Touches = append(j.Touches, touch)
	}
	tr.pendEmpty = len(channel) == 0
	tr.pendLine = rec.Line
	tr.pendConvRaw = append(tr.pendConvRaw[:0], f(colConvTime)...)
	tr.has = true
	return done, nil
}

// Line returns the first line of the journey Next returned last.
func (tr *TouchReader) Line() int { return tr.outLine }

// ReadTouches reads the touch CSV (see TouchReader for the columns) into a
// new aggregate built with opts (WithHalfLife, WithLookback, WithCurrency,
// WithChannelMap; MaxRecordBytes bounds a record).
//
// By default (AnyOrder) the rows may come in any order: they are held and
// grouped by journey within the WithSortMemory budget, spilled as sorted
// runs to temporary files (WithTempDir) beyond it and merged, and each
// journey's touches are put in time order, touches at the same time ordered
// by channel name, campaign and milestones, so that any order of the same
// rows gives the same aggregate. A journey's journey-level columns must
// still agree on every row. WithRowOrder(Grouped) is the strict mode of
// TouchReader: it streams, and a journey whose rows are not contiguous and
// in time order is an error.
//
// name is used in error messages. Every bad line is reported: the error is
// then an *Error, or an Errors list sorted by line (the first MaxErrors
// problems), and no aggregate is returned. A read error or ctx's error is
// returned as it is.
//
// A file of 16 MiB or more (an *os.File, or any reader that is also an
// io.ReaderAt and an io.Seeker, read from its current offset) is read on
// two goroutines when GOMAXPROCS is 2 or more: the bytes before and after
// a line near the middle are parsed at once, into two aggregates that are
// merged exactly. The result is the one a single reader returns — the
// same aggregate, the same errors with the same positions in the same
// order — and where the split could change it (the line is inside a
// quoted field, a journey or a regroup crosses it, an overflow, AnyOrder
// input larger than half the sort memory) the file is read by one reader
// instead. Standard input, pipes and other streams are read by one
// streaming reader. The reader is left at its end in both cases.
func ReadTouches(ctx context.Context, r io.Reader, name string, opts ...Option) (a *Aggregate, err error) {
	defer diag.Recover(&err, "attribution: ReadTouches")
	c := newConfig(opts)
	if c.order != Grouped {
		if src, ok := splittable(r); ok {
			t, err := openTable(ctx, src.section(src.start, src.end), name, c, touchColumns)
			if err != nil {
				return nil, err
			}
			if dataStart, ok := headerEnd(src); ok {
				if a, err, ok := readUnsortedSplit(ctx, src, t, name, c, dataStart); ok {
					return a, err
				}
			}
			return readUnsorted(ctx, t, name, c)
		}
		t, err := openTable(ctx, r, name, c, touchColumns)
		if err != nil {
			return nil, err
		}
		return readUnsorted(ctx, t, name, c)
	}
	if src, ok := splittable(r); ok {
		// A file: its header is read once here; the split read, when it
		// goes ahead, reads it again for its first part.
		t, err := openTable(ctx, src.section(src.start, src.end), name, c, touchColumns)
		if err != nil {
			return nil, err
		}
		if dataStart, ok := headerEnd(src); ok {
			if a, err, ok := readGroupedSplit(ctx, src, name, c, t.h, dataStart); ok {
				return a, err
			}
		}
		tr := &TouchReader{t: t, curCol: t.h.Has(colCurrency), seen: newRecentIDs(c.regroup), intern: map[string]string{}}
		return readGrouped(ctx, tr, name, c)
	}
	tr, err := newTouchReader(ctx, r, name, c)
	if err != nil {
		return nil, err
	}
	return readGrouped(ctx, tr, name, c)
}

// readGrouped is ReadTouches for Grouped input.
func readGrouped(ctx context.Context, tr *TouchReader, name string, c config) (*Aggregate, error) {
	a := newAggregate(c)
	errs := errorList{name: name}
	stop := make(chan struct{})
	defer close(stop)
	// Parsing runs on its own goroutine, a batch of journeys ahead of the
	// aggregate, which takes them in input order: the result is the same
	// as one loop's, on up to two cores.
	for b := range parseAhead(ctx, tr, stop) {
		for i := range b.items {
			it := &b.items[i]
			if it.err != nil {
				var e *Error
				if it.panic || !errors.As(it.err, &e) {
					return nil, it.err // ctx, I/O, or a panic while parsing
				}
				errs.add(e)
				continue
			}
			if !errs.empty() {
				continue // only looking for more problems
			}
			j := it.j
			j.Touches = b.touches[it.from:it.to]
			if err := a.add(&j); err != nil {
				errs.add(fileLineErr(tr.t.name, it.line, err)) // tr.t itself is the parser's
			}
		}
		b.recycle()
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return a, nil
}

// A journeyBatch is up to batchJourneys journeys (or problems) of a
// TouchReader in input order, their touches back to back in one slice.
type journeyBatch struct {
	items   []batchItem
	touches []Touchpoint
	free    chan *journeyBatch
}

type batchItem struct {
	j        Journey // Touches: batch.touches[from:to]
	from, to int
	line     int
	err      error
	panic    bool // err is the ErrInternal of a panic while parsing
}

const batchJourneys = 512

func (b *journeyBatch) recycle() {
	b.items, b.touches = b.items[:0], b.touches[:0]
	select {
	case b.free <- b:
	default:
	}
}

// parseAhead reads tr on a goroutine and sends its journeys in batches,
// in order; a fatal problem (ctx, I/O, a line with no end, a panic) is
// the last item. It stops early when stop is closed. At most a few
// batches are in flight, so memory stays bounded.
func parseAhead(ctx context.Context, tr *TouchReader, stop <-chan struct{}) <-chan *journeyBatch {
	out := make(chan *journeyBatch, 2)
	free := make(chan *journeyBatch, 4)
	go func() {
		defer close(out)
		b := &journeyBatch{free: free}
		send := func() bool {
			select {
			case out <- b:
			case <-stop:
				return false
			}
			select {
			case b = <-free:
			default:
				b = &journeyBatch{free: free}
			}
			return true
		}
		defer func() {
			if r := recover(); r != nil {
				b.items = append(b.items, batchItem{err: diag.Internal("attribution: ReadTouches", r), panic: true})
				send()
			}
		}()
		for n := 0; ; n++ {
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					b.items = append(b.items, batchItem{err: err})
					send()
					return
				}
			}
			j, err := tr.next()
			if errors.Is(err, io.EOF) {
				if len(b.items) > 0 {
					send()
				}
				return
			}
			if err != nil {
				b.items = append(b.items, batchItem{err: err})
				var e *Error
				if !errors.As(err, &e) || tr.err != nil {
					send() // nothing more to read
					return
				}
			} else {
				from := len(b.touches)
				b.touches = append(b.touches, j.Touches...)
				it := batchItem{j: *j, from: from, to: len(b.touches), line: tr.Line()}
				it.j.Touches = nil
				b.items = append(b.items, it)
			}
			if len(b.items) == batchJourneys && !send() {
				return
			}
		}
	}()
	return out
}

// each calls row for every record of the table, collecting the bad records
// and row's problems in errs; it returns errs' error, or a read error or
// ctx's, which end the reading.
func (t *table) each(ctx context.Context, errs *errorList, row func() *Error) error {
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		_, fatal, err := t.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				return err
			}
			errs.add(e)
			if fatal {
				break
			}
			continue
		}
		if e := row(); e != nil {
			errs.add(e)
		}
	}
	return errs.err()
}

// Columns of the path-aggregated CSV (currency is optional).
var pathColumns = []csvio.Column{
	{Name: "path", Required: true},
	{Name: "total_conversions", Required: true},
	{Name: "total_conversion_value", Required: true},
	{Name: "total_null", Required: true},
	{Name: "currency"},
}

// ReadPaths reads the path-aggregated CSV that ChannelAttribution and DP6
// users have, one row per distinct path:
//
//	path,total_conversions,total_conversion_value,total_null
//
// with a required header (columns in any order; an optional currency
// column, as in the touch format). The path is "a > b > c" (spaces around
// ">" optional, an empty path counts as journeys without touches); the
// counts are non-negative integers and the value is an integer in minor
// units. Rows with the same path add up. The aggregate has no times or
// milestones (see AddPath). Every bad line is reported, as in ReadTouches,
// and lines are read the same way.
func ReadPaths(ctx context.Context, r io.Reader, name string, opts ...Option) (a *Aggregate, err error) {
	defer diag.Recover(&err, "attribution: ReadPaths")
	c := newConfig(opts)
	if c.lookback > 0 {
		return nil, &Error{File: name, Code: diag.CodeInvalid, Err: ErrNeedsTimes, Msg: "a lookback window needs touch times: " + ErrNeedsTimes.Error()}
	}
	if !c.period.IsZero() {
		return nil, &Error{File: name, Code: diag.CodeInvalid, Err: ErrNeedsTimes, Msg: "a period needs conversion times: " + ErrNeedsTimes.Error()}
	}
	t, err := openTable(ctx, r, name, c, pathColumns)
	if err != nil {
		return nil, err
	}
	a = newAggregate(c)
	errs := errorList{name: name}
	var chans []string
	// row adds one line's path, or returns its problem.
	row := func() *Error {
		if err := t.cr.CheckWidth(t.rec, t.h); err != nil {
			return err.(*Error)
		}
		var nums [3]int64
		for i := range nums {
			k := i + 1
			s := strings.TrimSpace(string(t.field(k)))
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < 0 {
				what := "a non-negative integer"
				if k == 2 {
					what += " (minor units)"
				}
				return t.errf(k, ErrSyntax, "%q is not %s", s, what)
			}
			nums[i] = v
		}
		conv, value, null := nums[0], nums[1], nums[2]
		if conv == 0 && value != 0 {
			return t.errf(2, ErrInvalidJourney, "%d on a path without conversions", value)
		}
		if err := t.checkCurrency(4); err != nil {
			return err
		}
		chans = chans[:0]
		p := strings.TrimSpace(string(t.field(0)))
		if p != "" {
			for i, c := range strings.Split(p, ">") {
				c = strings.TrimSpace(c)
				if c == "" {
					return t.errf(0, ErrSyntax, "empty channel at position %d of %q", i+1, p)
				}
				chans = append(chans, c)
			}
		}
		if !errs.empty() {
			return nil // only looking for more problems
		}
		if err := a.AddPath(chans, conv, null, money.New(value, t.cur)); err != nil {
			return t.lineErr(err)
		}
		return nil
	}
	if err := t.each(ctx, &errs, row); err != nil {
		return nil, err
	}
	return a, nil
}
