package attribution

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

// ReadTouchesParquet reads touch data from a Parquet file, as warehouse
// exports produce it, into a new aggregate: the same columns as the touch
// CSV (see TouchReader), each a flat, non-repeated column, validated the
// same way and read in the same row order (WithRowOrder, default
// AnyOrder), so that a Parquet file and a CSV file of the same rows give
// identical aggregates. Column types:
//
//   - journey_id, channel, campaign, currency: strings (BYTE_ARRAY), or
//     integers for journey_id;
//   - timestamp, conversion_time: TIMESTAMP (milli-, micro- or
//     nanoseconds), DATE, legacy INT96 timestamps, or RFC 3339 strings;
//   - lead_created, opp_created, converted: BOOLEAN, or integers or
//     strings 0 and 1;
//   - value_minor: INT32 or INT64 (or a decimal string).
//
// A null is an empty CSV field. Errors read
// "name:ROW:COLUMN: column: message (row group G, row R)", ROW counting
// the rows of the whole file from 1, G and R the row group and the row
// within it (from 1), COLUMN the leaf column (from 1). A column of
// another type, or a nested or repeated one, is an error before any row is
// read. A row longer than MaxRecordBytes (its values as text) is an error
// matching ErrLineTooLong. size is the file's size (os.File.Stat().Size()).
func ReadTouchesParquet(ctx context.Context, r io.ReaderAt, size int64, name string, opts ...Option) (a *Aggregate, err error) {
	defer diag.Recover(&err, "attribution: ReadTouchesParquet")
	c := newConfig(opts)
	t, groups, err := openParquet(ctx, r, size, name, c)
	if err != nil {
		return nil, err
	}
	if c.order == Grouped {
		tr := &TouchReader{t: t, curCol: t.h.Has(colCurrency), seen: newRecentIDs(c.regroup), intern: map[string]string{}}
		a, err = readGrouped(ctx, tr, name, c)
	} else {
		a, err = readUnsorted(ctx, t, name, c)
	}
	if err != nil {
		return nil, placeRows(err, groups)
	}
	return a, nil
}

// placeRows adds the row group and row to the message of every error
// placed at a row.
func placeRows(err error, groups []int64) error {
	place := func(e *Error) *Error {
		if e.Line <= 0 {
			return e
		}
		row := int64(e.Line)
		for g, n := range groups {
			if row <= n {
				c := *e
				c.Msg = fmt.Sprintf("%s (row group %d, row %d)", e.Msg, g+1, row)
				return &c
			}
			row -= n
		}
		return e
	}
	var list Errors
	if errors.As(err, &list) {
		out := make(Errors, len(list))
		for i, e := range list {
			out[i] = place(e)
		}
		return out
	}
	var e *Error
	if errors.As(err, &e) && e == err {
		return place(e)
	}
	return err
}

// parquetKind is how a Parquet column's values become CSV text.
type parquetKind int

const (
	pqBytes     parquetKind = iota // the bytes as they are
	pqInt                          // decimal
	pqBool                         // 0 or 1
	pqTimestamp                    // RFC 3339 from a unit since the epoch
	pqDate                         // RFC 3339 midnight UTC from days since the epoch
	pqInt96                        // RFC 3339 from a legacy INT96 timestamp (Impala, Spark)
)

// openParquet opens the file and maps its columns; the table's records
// come from its rows. It returns the row counts of the row groups.
func openParquet(ctx context.Context, r io.ReaderAt, size int64, name string, c config) (*table, []int64, error) {
	if err := c.currency.Validate(); err != nil {
		return nil, nil, &Error{File: name, Code: diag.CodeInvalid, Err: err, Msg: fmt.Sprintf("currency: %v", err)}
	}
	f, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, nil, &Error{File: name, Code: diag.CodeSyntax, Err: ErrSyntax, Msg: fmt.Sprintf("not a readable Parquet file: %v", err)}
	}
	fields := f.Schema().Fields()
	head := &csvio.Record{}
	kinds := make([]parquetKind, len(fields))
	units := make([]time.Duration, len(fields))
	var errs Errors
	for i, fl := range fields {
		head.Fields = append(head.Fields, []byte(fl.Name()))
		bad := func(format string, a ...any) {
			errs = append(errs, &Error{File: name, Column: i + 1, ID: fl.Name(), Code: diag.CodeInvalid, Err: ErrSyntax, Msg: fmt.Sprintf(format, a...)})
		}
		if !fl.Leaf() || fl.Repeated() {
			bad("a nested or repeated column; want a flat column")
			continue
		}
		typ := fl.Type()
		lt := typ.LogicalType()
		switch {
		case lt != nil && lt.Value != nil:
			switch v := lt.Value.(type) {
			case *format.TimestampType:
				kinds[i], units[i] = pqTimestamp, v.Unit.Value.Duration()
			case *format.DateType:
				kinds[i] = pqDate
			case *format.IntType:
				kinds[i] = pqInt
			case *format.StringType, *format.EnumType, *format.JsonType:
				kinds[i] = pqBytes
			default:
				bad("Parquet type %s is not supported", typ)
			}
		default:
			switch typ.Kind() {
			case parquet.ByteArray, parquet.FixedLenByteArray:
				kinds[i] = pqBytes
			case parquet.Int32, parquet.Int64:
				kinds[i] = pqInt
			case parquet.Boolean:
				kinds[i] = pqBool
			case parquet.Int96:
				kinds[i] = pqInt96
			default:
				bad("Parquet type %s is not supported (want strings, integers, booleans, timestamps or dates)", typ)
			}
		}
	}
	cr := csvio.NewReader(ctx, strings.NewReader(""), name, csvio.Options{MaxRecord: c.maxLine})
	h, herr := cr.MapHeader(head, touchColumns, csvio.HeaderOptions{})
	var hl Errors
	if errors.As(herr, &hl) {
		errs = append(errs, hl...)
	} else if herr != nil {
		return nil, nil, herr
	}
	// Column types the column does not allow.
	want := map[int]string{colTime: "time", colConvTime: "time", colLead: "flag", colOpp: "flag", colConverted: "flag", colValue: "int",
		colChannel: "text", colCampaign: "text", colCurrency: "text", colID: "id"}
	for k, w := range want {
		if !h.Has(k) {
			continue
		}
		i := h.Index[k]
		ok := map[string][]parquetKind{
			"time": {pqTimestamp, pqDate, pqInt96, pqBytes}, "flag": {pqBool, pqInt, pqBytes}, "int": {pqInt, pqBytes},
			"text": {pqBytes}, "id": {pqBytes, pqInt},
		}[w]
		found := false
		for _, kd := range ok {
			found = found || kinds[i] == kd
		}
		if !found {
			errs = append(errs, &Error{File: name, Column: i + 1, ID: fields[i].Name(), Code: diag.CodeInvalid, Err: ErrSyntax,
				Msg: fmt.Sprintf("Parquet type %s does not fit this column", fields[i].Type())})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	groups := f.RowGroups()
	counts := make([]int64, len(groups))
	for i, g := range groups {
		counts[i] = g.NumRows()
	}
	t := &table{cr: cr, name: name, cols: touchColumns, h: h, cur: c.currency}
	var (
		gi   = -1
		rows parquet.Rows
		buf  = make([]parquet.Row, 256)
		n, k int
		line int
		rec  = &csvio.Record{Fields: make([][]byte, len(fields))}
		text [][]byte
	)
	text = make([][]byte, len(fields))
	done := false // the row group's rows have all been read into buf
	t.src = func() (*csvio.Record, error) {
		for k >= n {
			if rows != nil && done {
				rows.Close()
				rows, done = nil, false
			}
			if rows == nil {
				gi++
				if gi >= len(groups) {
					return nil, io.EOF
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				rows = groups[gi].Rows()
			}
			var err error
			n, err = rows.ReadRows(buf)
			k = 0
			switch {
			case err != nil && !errors.Is(err, io.EOF):
				rows.Close()
				rows = nil
				return nil, fmt.Errorf("%s: row group %d: %w", name, gi+1, err)
			case err != nil || n == 0:
				done = true
			}
		}
		row := buf[k]
		k++
		line++
		for i := range rec.Fields {
			rec.Fields[i] = nil
		}
		for _, v := range row {
			ci := v.Column()
			if ci < 0 || ci >= len(text) {
				continue
			}
			text[ci] = text[ci][:0]
			if !v.IsNull() {
				text[ci] = appendValue(text[ci], v, kinds[ci], units[ci])
			}
			rec.Fields[ci] = text[ci]
		}
		size := 0
		for i := range rec.Fields {
			if rec.Fields[i] == nil {
				rec.Fields[i] = text[i][:0]
			}
			size += len(rec.Fields[i])
		}
		rec.Line = line
		if size > c.maxLine {
			return nil, &Error{File: name, Line: line, Code: diag.CodeLimit, Err: ErrLineTooLong,
				Msg: fmt.Sprintf("a row of %d bytes, more than the bound of %d (MaxRecordBytes)", size, c.maxLine)}
		}
		return rec, nil
	}
	return t, counts, nil
}

// appendValue appends the CSV text of a Parquet value.
func appendValue(b []byte, v parquet.Value, k parquetKind, unit time.Duration) []byte {
	switch k {
	case pqBool:
		if v.Kind() == parquet.Boolean {
			if v.Boolean() {
				return append(b, '1')
			}
			return append(b, '0')
		}
		return strconv.AppendInt(b, v.Int64(), 10)
	case pqInt:
		if v.Kind() == parquet.Int32 {
			return strconv.AppendInt(b, int64(v.Int32()), 10)
		}
		return strconv.AppendInt(b, v.Int64(), 10)
	case pqTimestamp:
		x := v.Int64()
		var tm time.Time
		switch unit {
		case time.Millisecond:
			tm = time.UnixMilli(x)
		case time.Microsecond:
			tm = time.UnixMicro(x)
		default:
			tm = time.Unix(0, x)
		}
		return tm.UTC().AppendFormat(b, time.RFC3339Nano)
	case pqDate:
		return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(b, time.RFC3339)
	case pqInt96:
		// Nanoseconds of the day in the low 8 bytes, the Julian day in the
		// high 4; Julian day 2440588 is 1970-01-01.
		x := v.Int96()
		nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
		days := int64(x[2]) - 2440588
		return time.Unix(days*86400, nanos).UTC().AppendFormat(b, time.RFC3339Nano)
	}
	return append(b, v.ByteArray()...)
}
