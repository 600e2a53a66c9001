package attribution

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// A ParseError is a rejected line of an input file. Its message reads
// "NAME:LINE: FIELD: message" (the field is omitted when the whole line or
// journey is at fault). Err, when set, is a sentinel the error unwraps to.
type ParseError struct {
	File  string // the input's name, e.g. "journeys.csv" or "<stdin>"
	Line  int    // 1-based line number
	Field string // column name, or ""
	Msg   string
	Err   error
}

// Error returns "FILE:LINE: FIELD: message".
func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap returns the sentinel behind the error, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrSyntax marks malformed CSV: a missing or unknown column, a wrong field
// count, a bad quote.
var ErrSyntax = errors.New("malformed CSV")

// Columns of the touch CSV (campaign is optional).
var touchColumns = []string{"journey_id", "timestamp", "channel", "lead_created", "opp_created", "converted", "value_minor", "conversion_time", "campaign"}

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
	nTouchCols
)

// Columns of the path-aggregated CSV.
var pathColumns = []string{"path", "total_conversions", "total_conversion_value", "total_null"}

// lineReader yields the lines of a CSV and splits them into fields. Quoted
// fields ("a, b", with "" for a quote) are supported within one line; a
// quoted field that spans lines is rejected.
type lineReader struct {
	name   string
	br     *bufio.Reader
	line   int
	long   []byte // a line longer than the buffer
	fields [][]byte
	quoted []byte // unquoted field storage for lines with quotes
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{name: name, br: bufio.NewReaderSize(r, 1<<20)}
}

// next returns the next non-empty line without its line ending, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	for {
		b, err := lr.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			lr.long = append(lr.long[:0], b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = lr.br.ReadSlice('\n')
				lr.long = append(lr.long, b...)
			}
			b = lr.long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if len(b) == 0 && err != nil {
			return nil, io.EOF
		}
		lr.line++
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if lr.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // UTF-8 BOM
		}
		if len(b) == 0 {
			if err != nil {
				return nil, io.EOF
			}
			continue
		}
		return b, nil
	}
}

func (lr *lineReader) errf(field, format string, a ...any) *ParseError {
	return &ParseError{File: lr.name, Line: lr.line, Field: field, Msg: fmt.Sprintf(format, a...)}
}

// split splits a line into lr.fields.
func (lr *lineReader) split(b []byte) error {
	lr.fields = lr.fields[:0]
	if bytes.IndexByte(b, '"') < 0 {
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				lr.fields = append(lr.fields, b)
				return nil
			}
			lr.fields = append(lr.fields, b[:i])
			b = b[i+1:]
		}
	}
	// Slow path: quotes. Unquoted fields are appended to lr.quoted; the
	// field slices are fixed up once it stops growing.
	lr.quoted = lr.quoted[:0]
	var bounds [][2]int
	for col := 1; ; col++ {
		start := len(lr.quoted)
		if len(b) > 0 && b[0] == '"' {
			b = b[1:]
			for {
				i := bytes.IndexByte(b, '"')
				if i < 0 {
					return &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("field %d: unterminated quoted field (fields spanning lines are not supported)", col), Err: ErrSyntax}
				}
				lr.quoted = append(lr.quoted, b[:i]...)
				b = b[i+1:]
				if len(b) > 0 && b[0] == '"' {
					lr.quoted = append(lr.quoted, '"')
					b = b[1:]
					continue
				}
				break
			}
			if len(b) > 0 && b[0] != ',' {
				return &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("field %d: unexpected text after a closing quote", col), Err: ErrSyntax}
			}
		} else {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				i = len(b)
			}
			if bytes.IndexByte(b[:i], '"') >= 0 {
				return &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("field %d: bare quote in an unquoted field", col), Err: ErrSyntax}
			}
			lr.quoted = append(lr.quoted, b[:i]...)
			b = b[i:]
		}
		bounds = append(bounds, [2]int{start, len(lr.quoted)})
		if len(b) == 0 {
			break
		}
		b = b[1:] // the comma
	}
	for _, bd := range bounds {
		lr.fields = append(lr.fields, lr.quoted[bd[0]:bd[1]])
	}
	return nil
}

// header reads the header line and maps the known columns to positions;
// optional columns may be absent (position −1).
func (lr *lineReader) header(known []string, optional map[string]bool) ([]int, int, error) {
	b, err := lr.next()
	if errors.Is(err, io.EOF) {
		return nil, 0, &ParseError{File: lr.name, Line: 1, Msg: "empty input: a header line is required", Err: ErrSyntax}
	}
	if err != nil {
		return nil, 0, err
	}
	if err := lr.split(b); err != nil {
		return nil, 0, err
	}
	pos := make([]int, len(known))
	for i := range pos {
		pos[i] = -1
	}
	for i, f := range lr.fields {
		name := strings.TrimSpace(string(f))
		k := -1
		for j, n := range known {
			if n == name {
				k = j
			}
		}
		switch {
		case k < 0:
			return nil, 0, &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("unknown column %q (want %s)", name, strings.Join(known, ",")), Err: ErrSyntax}
		case pos[k] >= 0:
			return nil, 0, &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("duplicate column %q", name), Err: ErrSyntax}
		}
		pos[k] = i
	}
	for j, n := range known {
		if pos[j] < 0 && !optional[n] {
			return nil, 0, &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("missing column %q", n), Err: ErrSyntax}
		}
	}
	return pos, len(lr.fields), nil
}

// A TouchReader reads journeys from the touch CSV, one row per touchpoint:
//
//	journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time
//
// with a required header (columns in any order; an optional campaign column).
// Timestamps are RFC 3339; lead_created, opp_created and converted are 0 or
// 1; value_minor is an integer in minor units, 0 (or empty) when not converted;
// converted, value_minor and conversion_time are journey-level, repeated on
// each row; conversion_time is empty when not converted. The rows of a
// journey must be contiguous and in time order (equal times keep their input
// order). A journey whose single row has an empty channel has no touchpoints.
// Every violation is a *ParseError naming the line.
type TouchReader struct {
	lr        *lineReader
	pos       []int
	ncols     int
	seen      *idSet // journey ids with their first line
	intern    map[string]string
	out, pend Journey // the journey returned, the journey being read
	outLine   int     // first line of out
	pendLine  int     // first line of pend
	pendEmpty bool    // pend's row had an empty channel
	pendBad   bool    // a row of pend was rejected: never return it
	has       bool    // pend holds a journey started by a row already read
	ready     bool    // out holds a journey to return before reading on
	rowID     []byte  // journey id of the row being parsed, if known
	badID     []byte  // a rejected journey whose further rows are skipped
	skipping  bool    // badID is set
	done      bool
	err       error
}

// NewTouchReader reads the header of r; name is used in error messages.
func NewTouchReader(r io.Reader, name string) (*TouchReader, error) {
	lr := newLineReader(r, name)
	pos, n, err := lr.header(touchColumns, map[string]bool{"campaign": true})
	if err != nil {
		return nil, err
	}
	return &TouchReader{lr: lr, pos: pos, ncols: n, seen: newIDSet(), intern: map[string]string{}}, nil
}

// Next returns the next journey, or io.EOF after the last. The journey and
// its Touches are reused by the following call to Next; copy what you keep.
//
// A bad line is returned as a *ParseError; calling Next again goes on with
// the next line, and the journey the bad line belongs to is never returned
// (its other rows are skipped), so a caller can collect every problem in one
// pass. Other errors (reading the input) are returned again by every call.
func (tr *TouchReader) Next() (*Journey, error) {
	if tr.err != nil {
		return nil, tr.err
	}
	j, err := tr.readJourney()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			tr.err = err
		}
		return nil, err
	}
	return j, nil
}

func (tr *TouchReader) readJourney() (*Journey, error) {
	for {
		if tr.ready {
			tr.ready = false
			return &tr.out, nil
		}
		if tr.done {
			if tr.has {
				tr.has = false
				tr.out, tr.pend = tr.pend, tr.out
				tr.outLine = tr.pendLine
				if tr.pendBad {
					tr.pendBad = false
					return nil, io.EOF
				}
				return &tr.out, nil
			}
			return nil, io.EOF
		}
		b, err := tr.lr.next()
		if errors.Is(err, io.EOF) {
			tr.done = true
			continue
		}
		if err != nil {
			return nil, err
		}
		done, err := tr.row(b)
		if err != nil {
			return nil, err
		}
		if done {
			return &tr.out, nil
		}
	}
}

// row parses one row into the journey in progress (tr.pend). When the row
// starts a new journey while one was in progress, the finished one moves to
// tr.out and row reports done.
func (tr *TouchReader) row(b []byte) (done bool, err error) {
	tr.rowID = nil
	done, err = tr.parseRow(b)
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
		tr.seen.addOrGet(id, tr.lr.line)
		tr.badID = append(tr.badID[:0], id...)
		tr.skipping = true
	}
}

func (tr *TouchReader) parseRow(b []byte) (done bool, err error) {
	lr := tr.lr
	if err := lr.split(b); err != nil {
		return false, err
	}
	if p := tr.pos[colID]; p < len(lr.fields) && len(lr.fields[p]) > 0 {
		tr.rowID = lr.fields[p]
		if tr.skipping {
			if string(tr.rowID) == string(tr.badID) {
				return false, nil // more rows of a journey already rejected
			}
			tr.skipping = false
		}
	}
	if len(lr.fields) != tr.ncols {
		return false, &ParseError{File: lr.name, Line: lr.line, Msg: fmt.Sprintf("%d fields, want %d", len(lr.fields), tr.ncols), Err: ErrSyntax}
	}
	f := func(col int) []byte {
		if tr.pos[col] < 0 {
			return nil
		}
		return lr.fields[tr.pos[col]]
	}
	id := f(colID)
	if len(id) == 0 {
		return false, lr.errf("journey_id", "empty")
	}
	converted, err := parse01(f(colConverted))
	if err != nil {
		return false, lr.errf("converted", "%v", err)
	}
	value, err := parseInt(f(colValue))
	if err != nil && !converted && len(f(colValue)) == 0 {
		value, err = 0, nil // an empty value on a journey that did not convert
	}
	if err != nil {
		return false, lr.errf("value_minor", "%q is not an integer (minor units)", f(colValue))
	}
	if value < 0 {
		return false, lr.errf("value_minor", "negative value %d", value)
	}
	if !converted && value != 0 {
		return false, lr.errf("value_minor", "%d on a journey that did not convert (want 0)", value)
	}
	var convTime time.Time
	if ct := f(colConvTime); converted {
		if convTime, err = parseTime(ct); err != nil {
			return false, lr.errf("conversion_time", "%v", err)
		}
	} else if len(ct) != 0 {
		return false, lr.errf("conversion_time", "set on a journey that did not convert (want empty)")
	}
	channel := f(colChannel)
	var touch Touchpoint
	if len(channel) > 0 {
		if touch.Time, err = parseTime(f(colTime)); err != nil {
			return false, lr.errf("timestamp", "%v", err)
		}
		if touch.LeadCreated, err = parse01(f(colLead)); err != nil {
			return false, lr.errf("lead_created", "%v", err)
		}
		if touch.OppCreated, err = parse01(f(colOpp)); err != nil {
			return false, lr.errf("opp_created", "%v", err)
		}
		touch.Channel = tr.internStr(channel)
		if c := f(colCampaign); len(c) > 0 {
			touch.Campaign = tr.internStr(c)
		}
		if converted && touch.Time.After(convTime) {
			return false, lr.errf("timestamp", "%s is after the conversion (%s)", f(colTime), f(colConvTime))
		}
	}

	j := &tr.pend
	if tr.has && string(id) == j.ID {
		// Another row of the journey in progress.
		switch {
		case tr.pendEmpty || len(channel) == 0:
			return false, lr.errf("channel", "empty channel in journey %q, which has other rows (a journey without touchpoints has a single row with an empty channel)", j.ID)
		case converted != j.Converted:
			return false, lr.errf("converted", "%s, but %s on line %d (first row of journey %q)", b01(converted), b01(j.Converted), tr.pendLine, j.ID)
		case value != j.Value:
			return false, lr.errf("value_minor", "%d, but %d on line %d (first row of journey %q)", value, j.Value, tr.pendLine, j.ID)
		case !convTime.Equal(j.ConversionTime):
			return false, lr.errf("conversion_time", "%s, but %s on line %d (first row of journey %q)", f(colConvTime), j.ConversionTime.Format(time.RFC3339Nano), tr.pendLine, j.ID)
		}
		if last := &j.Touches[len(j.Touches)-1]; touch.Time.Before(last.Time) {
			return false, lr.errf("timestamp", "%s is before the journey's previous touch (%s): rows must be in time order", f(colTime), last.Time.Format(time.RFC3339Nano))
		}
		j.Touches = append(j.Touches, touch)
		return false, nil
	}
	// A new journey.
	if first, isNew := tr.seen.addOrGet(id, lr.line); !isNew {
		return false, lr.errf("journey_id", "journey %q is not grouped: its rows started on line %d and resume here after another journey", id, first)
	}
	sid := string(id)
	if tr.has {
		tr.out, tr.pend = tr.pend, tr.out
		tr.outLine = tr.pendLine
		done = !tr.pendBad // a rejected journey is dropped here
		tr.pendBad = false
	}
	j.ID, j.Converted, j.Value, j.ConversionTime = sid, converted, value, convTime
	j.Touches = j.Touches[:0]
	if len(channel) > 0 {
		j.Touches = append(j.Touches, touch)
	}
	tr.pendEmpty = len(channel) == 0
	tr.pendLine = lr.line
	tr.has = true
	return done, nil
}

// Line returns the first line of the journey Next returned last.
func (tr *TouchReader) Line() int { return tr.outLine }

// parseInt parses a decimal int64 without allocating.
func parseInt(b []byte) (int64, error) {
	s := b
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return strconv.ParseInt(string(b), 10, 64) // errors, and 19-digit values
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func (tr *TouchReader) internStr(b []byte) string {
	if s, ok := tr.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	tr.intern[s] = s
	return s
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func parse01(b []byte) (bool, error) {
	if len(b) == 1 && (b[0] == '0' || b[0] == '1') {
		return b[0] == '1', nil
	}
	return false, fmt.Errorf("%q is not 0 or 1", b)
}

// ReadTouches reads the touch CSV (see TouchReader) into a new aggregate
// built with opts. name is used in error messages. Every bad line is
// reported: the error is then a ParseErrors list, sorted by line (the first
// MaxErrors of them), and no aggregate is returned.
func ReadTouches(ctx context.Context, r io.Reader, name string, opts ...AggregateOption) (*Aggregate, error) {
	a := NewAggregate(opts...)
	tr, err := NewTouchReader(r, name)
	if err != nil {
		return nil, err
	}
	var errs ParseErrors
	var pe *ParseError
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		j, err := tr.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if errors.As(err, &pe) {
				errs.add(pe)
				continue
			}
			return nil, err
		}
		if len(errs.List) > 0 {
			continue // only looking for more problems
		}
		if err := a.Add(*j); err != nil {
			errs.add(&ParseError{File: name, Line: tr.Line(), Msg: err.Error(), Err: err})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// MaxErrors is how many problems a ParseErrors list keeps; it still counts
// the rest.
const MaxErrors = 100

// ParseErrors is every problem found in one input, in line order: the first
// MaxErrors of them in List, and how many there were in all. errors.As finds
// the first *ParseError through it.
type ParseErrors struct {
	List  []*ParseError
	Total int
}

func (e *ParseErrors) add(pe *ParseError) {
	e.Total++
	if len(e.List) < MaxErrors {
		e.List = append(e.List, pe)
	}
}

// Err returns e, or nil when it holds no problem; a single problem is
// returned as its *ParseError.
func (e *ParseErrors) Err() error {
	switch len(e.List) {
	case 0:
		return nil
	case 1:
		if e.Total == 1 {
			return e.List[0]
		}
	}
	return e
}

// Error lists the problems one per line.
func (e *ParseErrors) Error() string {
	var b strings.Builder
	for i, pe := range e.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pe.Error())
	}
	if more := e.Total - len(e.List); more > 0 {
		fmt.Fprintf(&b, "\n... and %d more problems", more)
	}
	return b.String()
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (e *ParseErrors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, pe := range e.List {
		out[i] = pe
	}
	return out
}

// ReadPaths reads the path-aggregated CSV that ChannelAttribution and DP6
// users have, one row per distinct path:
//
//	path,total_conversions,total_conversion_value,total_null
//
// with a required header (columns in any order). The path is "a > b > c"
// (spaces around ">" optional, an empty path counts as journeys without
// touches); the counts are non-negative integers and the value is an integer
// in minor units. Rows with the same path add up. The aggregate has no times
// or milestones (see AddPath). Every bad line is reported, as in
// ReadTouches.
func ReadPaths(ctx context.Context, r io.Reader, name string, opts ...AggregateOption) (*Aggregate, error) {
	a := NewAggregate(opts...)
	if a.lookback > 0 {
		return nil, fmt.Errorf("%s: %w: a lookback window needs touch times", name, ErrNeedsTimes)
	}
	lr := newLineReader(r, name)
	pos, ncols, err := lr.header(pathColumns, nil)
	if err != nil {
		return nil, err
	}
	var errs ParseErrors
	var chans []string
	// row adds one line's path, or returns its problem.
	row := func(b []byte) error {
		if err := lr.split(b); err != nil {
			return err
		}
		if len(lr.fields) != ncols {
			return &ParseError{File: name, Line: lr.line, Msg: fmt.Sprintf("%d fields, want %d", len(lr.fields), ncols), Err: ErrSyntax}
		}
		var nums [3]int64
		for i, col := range pathColumns[1:] {
			s := string(bytes.TrimSpace(lr.fields[pos[i+1]]))
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < 0 {
				what := "a non-negative integer"
				if col == "total_conversion_value" {
					what += " (minor units)"
				}
				return lr.errf(col, "%q is not %s", s, what)
			}
			nums[i] = v
		}
		conv, value, null := nums[0], nums[1], nums[2]
		if conv == 0 && value != 0 {
			return lr.errf("total_conversion_value", "%d on a path without conversions", value)
		}
		chans = chans[:0]
		p := strings.TrimSpace(string(lr.fields[pos[0]]))
		if p != "" {
			for i, c := range strings.Split(p, ">") {
				c = strings.TrimSpace(c)
				if c == "" {
					return lr.errf("path", "empty channel at position %d of %q", i+1, p)
				}
				chans = append(chans, c)
			}
		}
		if len(errs.List) > 0 {
			return nil // only looking for more problems
		}
		if err := a.AddPath(chans, conv, null, value); err != nil {
			return &ParseError{File: name, Line: lr.line, Msg: err.Error(), Err: err}
		}
		return nil
	}
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := row(b); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				return nil, err
			}
			errs.add(pe)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// parseTime parses an RFC 3339 timestamp. The common shape
// YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm) is parsed without allocating; anything
// else goes through time.Parse for its error message.
func parseTime(b []byte) (time.Time, error) {
	if t, ok := fastRFC3339(b); ok {
		return t, nil
	}
	if len(b) == 0 {
		return time.Time{}, errors.New("empty timestamp (want RFC 3339)")
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp", b)
	}
	return t, nil
}

func fastRFC3339(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if rest[0] == '.' {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if i <= 9 {
				nsec += int(rest[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(rest[1:3])
		om, ok2 := num(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
