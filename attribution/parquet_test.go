package attribution_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/attribution/internal/synth"
)

// pqTouch is one touch row as a warehouse writes it to Parquet.
type pqTouch struct {
	JourneyID      string     `parquet:"journey_id"`
	Timestamp      *time.Time `parquet:"timestamp,optional,timestamp(millisecond)"`
	Channel        string     `parquet:"channel"`
	LeadCreated    bool       `parquet:"lead_created"`
	OppCreated     bool       `parquet:"opp_created"`
	Converted      bool       `parquet:"converted"`
	ValueMinor     int64      `parquet:"value_minor"`
	ConversionTime *time.Time `parquet:"conversion_time,optional,timestamp(millisecond)"`
}

// csvToParquet converts touch CSV (the synthetic generator's: no quoted
// fields, the columns in the header's order) to Parquet with row groups of
// at most perGroup rows.
func csvToParquet(t testing.TB, csv []byte, perGroup int64) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	var rows []pqTouch
	ts := func(s string) *time.Time {
		if s == "" {
			return nil
		}
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		v, err := strconv.ParseInt(f[6], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, pqTouch{JourneyID: f[0], Timestamp: ts(f[1]), Channel: f[2], LeadCreated: f[3] == "1",
			OppCreated: f[4] == "1", Converted: f[5] == "1", ValueMinor: v, ConversionTime: ts(f[7])})
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[pqTouch](&b, parquet.MaxRowsPerRowGroup(perGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParquetMatchesCSV: the same rows as CSV and as Parquet (several row
// groups, sorted and shuffled) give byte-identical results for every
// model, in both row orders.
func TestParquetMatchesCSV(t *testing.T) {
	ctx := context.Background()
	csv := synthCSV(t, 2000, 13)
	want := allJSON(t, mustRead(t, csv))
	for name, in := range map[string][]byte{"sorted": csv, "shuffled": shuffleRows(csv, 2)} {
		pq := csvToParquet(t, in, 1000)
		for _, order := range []attribution.RowOrder{attribution.AnyOrder, attribution.Grouped} {
			if name == "shuffled" && order == attribution.Grouped {
				continue
			}
			a, err := attribution.ReadTouchesParquet(ctx, bytes.NewReader(pq), int64(len(pq)), "t.parquet", attribution.WithRowOrder(order))
			if err != nil {
				t.Fatalf("%s %v: %v", name, order, err)
			}
			if got := allJSON(t, a); !bytes.Equal(got, want) {
				t.Errorf("%s Parquet, %v: results differ from the CSV", name, order)
			}
		}
	}
}

func mustRead(t *testing.T, csv []byte) *attribution.Aggregate {
	t.Helper()
	a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(csv), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestParquetErrors: bad rows are reported with the file's row, the leaf
// column, and the row group and row within it; the validation is the CSV
// reader's.
func TestParquetErrors(t *testing.T) {
	csv := synth.Header + "\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-05T00:00:00Z\n" + // row 1 (group 1, row 1)
		"j1,2026-01-02T00:00:00Z,search,0,0,1,120,2026-01-05T00:00:00Z\n" + // row 2: value disagrees
		"j2,2026-01-09T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n" + // row 3 (group 2, row 1): after the conversion
		"j3,2026-01-01T00:00:00Z,,0,0,0,0,\n" // row 4: fine (no touches)
	pq := csvToParquet(t, []byte(csv), 2)
	_, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(pq), int64(len(pq)), "t.parquet")
	want := `t.parquet:2:7: value_minor: 120, but 100 on line 1 (first row of journey "j1") (row group 1, row 2)
t.parquet:3:2: timestamp: 2026-01-09T00:00:00Z is after the conversion (2026-01-05T00:00:00Z) (row group 2, row 1)`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}

	// A column of the wrong type is found before any row.
	type badTypes struct {
		JourneyID string  `parquet:"journey_id"`
		Timestamp float64 `parquet:"timestamp"`
		Channel   string  `parquet:"channel"`
		Lead      bool    `parquet:"lead_created"`
		Opp       bool    `parquet:"opp_created"`
		Converted bool    `parquet:"converted"`
		Value     float64 `parquet:"value_minor"`
		Conv      string  `parquet:"conversion_time"`
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[badTypes](&b)
	if _, err := w.Write([]badTypes{{JourneyID: "j1"}}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, err = attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), "b.parquet")
	if err == nil || !strings.Contains(err.Error(), "b.parquet: timestamp: Parquet type DOUBLE is not supported") ||
		!strings.Contains(err.Error(), "b.parquet: value_minor: Parquet type DOUBLE is not supported") {
		t.Errorf("wrong types: %v", err)
	}
	if _, err := attribution.ReadTouchesParquet(context.Background(), strings.NewReader("PAR1 nope"), 9, "x.parquet"); err == nil ||
		!strings.HasPrefix(err.Error(), "x.parquet: not a readable Parquet file") {
		t.Errorf("not Parquet: %v", err)
	}
}

func FuzzReadTouchesParquet(f *testing.F) {
	f.Add(csvToParquet(f, synthCSV(f, 20, 1), 7))
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(data), int64(len(data)), "f.parquet")
		if err != nil {
			return
		}
		if a.Totals().Conversions < a.Unattributed().Conversions {
			t.Fatalf("totals %+v, unattributed %+v", a.Totals(), a.Unattributed())
		}
	})
}

// TestParquetColumnTypes: the same journey with timestamps as strings and
// as INT96, flags as integers and strings, and the value as INT32 reads as
// the CSV does. By hand: j1 email (2026-01-01) then search (01-02),
// converted on 01-05 for 300: first touch credits email 300.
func TestParquetColumnTypes(t *testing.T) {
	type row struct {
		JourneyID      int64   `parquet:"journey_id"`
		Timestamp      string  `parquet:"timestamp"`
		Channel        string  `parquet:"channel"`
		LeadCreated    int32   `parquet:"lead_created"`
		OppCreated     string  `parquet:"opp_created"`
		Converted      bool    `parquet:"converted"`
		ValueMinor     int32   `parquet:"value_minor"`
		ConversionTime *string `parquet:"conversion_time,optional"`
	}
	ct := "2026-01-05T00:00:00Z"
	var b bytes.Buffer
	w := parquet.NewGenericWriter[row](&b)
	if _, err := w.Write([]row{
		{JourneyID: 1, Timestamp: "2026-01-02T00:00:00Z", Channel: "search", OppCreated: "1", Converted: true, ValueMinor: 300, ConversionTime: &ct},
		{JourneyID: 1, Timestamp: "2026-01-01T00:00:00Z", Channel: "email", LeadCreated: 1, OppCreated: "0", Converted: true, ValueMinor: 300, ConversionTime: &ct},
		{JourneyID: 2, Timestamp: "2026-01-01T00:00:00Z", Channel: "email", OppCreated: "0"},
	}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	a, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), "t.parquet")
	if err != nil {
		t.Fatal(err)
	}
	csv := synth.Header + "\n1,2026-01-01T00:00:00Z,email,1,0,1,300,2026-01-05T00:00:00Z\n" +
		"1,2026-01-02T00:00:00Z,search,0,1,1,300,2026-01-05T00:00:00Z\n2,2026-01-01T00:00:00Z,email,0,0,0,0,\n"
	if got, want := allJSON(t, a), allJSON(t, mustRead(t, []byte(csv))); !bytes.Equal(got, want) {
		t.Errorf("Parquet with other column types differs from the CSV:\n%s\n%s", got, want)
	}
	r, _ := attribution.Run(context.Background(), a, attribution.FirstTouch())
	if c, _ := r.Channel("email"); c.Value != usd(300) {
		t.Errorf("email %+v", c)
	}
}

// TestParquetInt96: a legacy INT96 timestamp is nanoseconds of the day and
// a Julian day: 2026-01-01 is day 20454 after 1970-01-01, Julian day
// 2440588 + 20454 = 2461042; 36 hours later is the next day (2461043) at
// 12:00, 43200·10⁹ ns.
func TestParquetInt96(t *testing.T) {
	type row struct {
		JourneyID      string           `parquet:"journey_id"`
		Timestamp      deprecated.Int96 `parquet:"timestamp"`
		Channel        string           `parquet:"channel"`
		LeadCreated    bool             `parquet:"lead_created"`
		OppCreated     bool             `parquet:"opp_created"`
		Converted      bool             `parquet:"converted"`
		ValueMinor     int64            `parquet:"value_minor"`
		ConversionTime deprecated.Int96 `parquet:"conversion_time"`
	}
	ns := uint64(43200) * 1e9
	var b bytes.Buffer
	w := parquet.NewGenericWriter[row](&b)
	if _, err := w.Write([]row{{JourneyID: "j1", Timestamp: deprecated.Int96{0, 0, 2461042}, Channel: "email", Converted: true, ValueMinor: 5,
		ConversionTime: deprecated.Int96{uint32(ns), uint32(ns >> 32), 2461043}}}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	a, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), "t.parquet")
	if err != nil {
		t.Fatal(err)
	}
	csv := synth.Header + "\nj1,2026-01-01T00:00:00Z,email,0,0,1,5,2026-01-02T12:00:00Z\n"
	if got, want := allJSON(t, a), allJSON(t, mustRead(t, []byte(csv))); !bytes.Equal(got, want) {
		t.Errorf("INT96 Parquet differs from the CSV:\n%s\n%s", got, want)
	}
}

// TestParquetRowBound: a row longer than MaxRecordBytes is an error at its
// row, and the rows after it are still checked. Row 1 as text: "j1" (2) +
// the timestamp (20) + the channel (300) + three flags (3) + value "0" (1)
// + a null conversion time (0) = 326 bytes.
func TestParquetRowBound(t *testing.T) {
	long := strings.Repeat("x", 300)
	csv := synth.Header + "\nj1,2026-01-01T00:00:00Z," + long + ",0,0,0,0,\nj2,2026-01-01T00:00:00Z,email,0,0,0,5,\n"
	pq := csvToParquet(t, []byte(csv), 10)
	_, err := attribution.ReadTouchesParquet(context.Background(), bytes.NewReader(pq), int64(len(pq)), "t.parquet", attribution.MaxRecordBytes(200))
	want := "t.parquet:1: a row of 326 bytes, more than the bound of 200 (MaxRecordBytes) (row group 1, row 1)\n" +
		"t.parquet:2:7: value_minor: 5 on a journey that did not convert (want 0) (row group 1, row 2)"
	if err == nil || err.Error() != want || !errors.Is(err, attribution.ErrLineTooLong) {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}
