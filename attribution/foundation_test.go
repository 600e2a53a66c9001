package attribution_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/money"
)

// The three CSV formats, each with a header and two good lines, for the
// tests that every reader must pass through the public API.
var readerCases = []struct {
	name   string
	header string
	lines  [2]string
	// read reads in, returning how many records it took in.
	read func(ctx context.Context, in io.Reader, opts ...attribution.Option) (int64, error)
}{
	{"ReadTouches", strings.TrimSuffix(touchHeader, "\n"),
		[2]string{"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-02T00:00:00Z", "j2,2026-01-01T00:00:00Z,search,0,0,0,0,"},
		func(ctx context.Context, in io.Reader, opts ...attribution.Option) (int64, error) {
			a, err := attribution.ReadTouches(ctx, in, "t.csv", opts...)
			if err != nil {
				return 0, err
			}
			return a.Totals().Journeys, nil
		}},
	{"TouchReader", strings.TrimSuffix(touchHeader, "\n"),
		[2]string{"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-02T00:00:00Z", "j2,2026-01-01T00:00:00Z,search,0,0,0,0,"},
		func(ctx context.Context, in io.Reader, opts ...attribution.Option) (int64, error) {
			tr, err := attribution.NewTouchReader(ctx, in, "t.csv", opts...)
			if err != nil {
				return 0, err
			}
			var n int64
			var errs attribution.Errors
			for _, err := range tr.All() {
				var e *attribution.Error
				switch {
				case errors.As(err, &e):
					errs = append(errs, e)
				case err != nil:
					return n, err
				default:
					n++
				}
			}
			return n, errs.Err()
		}},
	{"ReadPaths", "path,total_conversions,total_conversion_value,total_null",
		[2]string{"a > b,1,100,2", "b,0,0,3"},
		func(ctx context.Context, in io.Reader, opts ...attribution.Option) (int64, error) {
			a, err := attribution.ReadPaths(ctx, in, "t.csv", opts...)
			if err != nil {
				return 0, err
			}
			return int64(len(a.Paths())), nil
		}},
}

func TestReadersBOMAndCRLF(t *testing.T) {
	for _, rc := range readerCases {
		t.Run(rc.name, func(t *testing.T) {
			in := "\xEF\xBB\xBF" + rc.header + "\r\n" + rc.lines[0] + "\r\n\r\n" + rc.lines[1] + "\r\n"
			n, err := rc.read(context.Background(), strings.NewReader(in))
			if err != nil || n != 2 {
				t.Errorf("with a BOM and CRLF: %d records, %v; want 2, nil", n, err)
			}
		})
	}
}

// TestReadersHugeLine puts a 5 MB line between two good ones: a positioned
// ErrLineTooLong error at line 3, memory that does not grow with the line,
// and (for the TouchReader) the next line still read.
func TestReadersHugeLine(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	for _, rc := range readerCases {
		t.Run(rc.name, func(t *testing.T) {
			in := rc.header + "\n" + rc.lines[0] + "\n" + huge + "\n" + rc.lines[1] + "\n"
			n, err := rc.read(context.Background(), strings.NewReader(in))
			var e *attribution.Error
			if !errors.Is(err, attribution.ErrLineTooLong) || !errors.As(err, &e) || e.File != "t.csv" || e.Line != 3 {
				t.Fatalf("err = %v, want t.csv:3: ... ErrLineTooLong", err)
			}
			if rc.name == "TouchReader" && n != 2 {
				t.Errorf("read %d journeys around the long line, want 2", n)
			}
			// Memory follows the bound, not the line: with MaxRecordBytes(64 KiB)
			// the 5 MB line costs the 1 MiB read buffer and little more.
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = rc.read(context.Background(), strings.NewReader(in), attribution.MaxRecordBytes(64<<10))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, attribution.ErrLineTooLong) {
				t.Errorf("MaxRecordBytes(64 KiB): err = %v", err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 5<<19 {
				t.Errorf("allocated %d bytes for a 5 MB line with a 64 KiB bound; want it skipped in bounded memory", got)
			}
		})
	}
}

// endless never yields a line end.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestReadersEndlessLine: input without an end of line (like /dev/zero) ends
// with an error after a bounded amount of reading, instead of hanging or
// growing.
func TestReadersEndlessLine(t *testing.T) {
	for _, rc := range readerCases {
		for _, where := range []string{"header", "body"} {
			t.Run(rc.name+"/"+where, func(t *testing.T) {
				src := &endless{}
				var in io.Reader = src
				if where == "body" {
					in = io.MultiReader(strings.NewReader(rc.header+"\n"+rc.lines[0]+"\n"), src)
				}
				done := make(chan error, 1)
				go func() {
					_, err := rc.read(context.Background(), in, attribution.MaxRecordBytes(4096))
					done <- err
				}()
				select {
				case err := <-done:
					if !errors.Is(err, attribution.ErrLineTooLong) {
						t.Errorf("err = %v, want ErrLineTooLong", err)
					}
				case <-time.After(20 * time.Second):
					t.Fatal("reader did not stop on an endless line")
				}
				// At most a few 1 MiB read buffers beyond 64 × MaxRecordBytes.
				if src.n > 4<<20 {
					t.Errorf("read %d bytes of an endless line with MaxRecordBytes(4096)", src.n)
				}
			})
		}
	}
}

// TestReadersPanicIsInternal: a panic under a public entry point (here in
// the caller's io.Reader) comes back as ErrInternal.
func TestReadersPanicIsInternal(t *testing.T) {
	for _, rc := range readerCases {
		t.Run(rc.name, func(t *testing.T) {
			_, err := rc.read(context.Background(), panicReader{})
			if !errors.Is(err, attribution.ErrInternal) {
				t.Errorf("err = %v, want ErrInternal", err)
			}
		})
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader bug") }

func TestModelByName(t *testing.T) {
	names := attribution.Models()
	if len(names) != 14 {
		t.Fatalf("Models() = %v", names)
	}
	timed := map[string]bool{"time_decay": true, "w_shaped": true, "full_path": true}
	for _, name := range names {
		m, err := attribution.ModelByName(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.Name() != name || m.NeedsTimes() != timed[name] {
			t.Errorf("%s: Name %q, NeedsTimes %v", name, m.Name(), m.NeedsTimes())
		}
	}
	if _, err := attribution.ModelByName("magic"); !errors.Is(err, attribution.ErrUnknownModel) {
		t.Errorf("magic: %v, want ErrUnknownModel", err)
	}
	if _, err := attribution.ModelByName("markov", attribution.WithOrder(0)); !errors.Is(err, attribution.ErrBadOrder) {
		t.Errorf("markov order 0: %v, want ErrBadOrder", err)
	}
	// The options reach the model: order 3 and the share rule.
	m, err := attribution.ModelByName("markov", attribution.WithOrder(3), attribution.WithMarkovValue(attribution.ShareValue))
	if err != nil {
		t.Fatal(err)
	}
	r, err := attribution.Run(context.Background(), readHand(t), m)
	if err != nil {
		t.Fatal(err)
	}
	if r.Markov.Order != 3 || r.Markov.ValueRule != attribution.ShareValue {
		t.Errorf("markov details %+v", r.Markov)
	}
	s, err := attribution.ModelByName("shapley_local_rate", attribution.WithSampling(100, 3))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := attribution.Run(context.Background(), readHand(t), s); err != nil || r.Estimate == nil || r.Estimate.Samples != 100 || r.Estimate.Seed != 3 {
		t.Errorf("sampled shapley_local_rate: %+v, %v", r, err)
	}
}

// TestValuesAddUpExactly runs every model on synthetic data and checks that
// the channels' money values add up to the total to the minor unit, each
// within one minor unit of its unrounded credit.
func TestValuesAddUpExactly(t *testing.T) {
	a := synthAgg(t, 5000, 3)
	for _, name := range attribution.Models() {
		m, _ := attribution.ModelByName(name)
		r, err := attribution.Run(context.Background(), a, m)
		if err != nil {
			t.Fatal(err)
		}
		checkAllocation(t, r)
		for _, c := range r.Channels {
			if d := float64(c.Value.Amount) - c.ValueMinor; d <= -1 || d >= 1 || c.Value.Currency != "USD" {
				t.Errorf("%s: %s value %v, unrounded %g", name, c.Channel, c.Value, c.ValueMinor)
			}
		}
	}
}

func TestResultJSONRoundTrip(t *testing.T) {
	a := readHand(t)
	for _, name := range attribution.Models() {
		m, _ := attribution.ModelByName(name)
		r, err := attribution.Run(context.Background(), a, m)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"model"`, `"total_conversions"`, `"total_value":{"amount_minor":2400,"currency":"USD"}`, `"unattributed"`, `"channels"`, `"value_minor"`} {
			if !strings.Contains(string(b), key) {
				t.Errorf("%s: JSON has no %s: %s", name, key, b)
			}
		}
		if strings.Contains(string(b), `"TotalValue"`) {
			t.Errorf("%s: Go field names in JSON: %s", name, b)
		}
		var back attribution.Result
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, &back); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", name, diff)
		}
	}
}

func TestCurrency(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	eur := attribution.NewAggregate(attribution.WithCurrency("EUR"))
	j := attribution.Journey{ID: "j", Converted: true, Value: money.New(500, "EUR"), ConversionTime: at,
		Touches: []attribution.Touchpoint{{Channel: "a", Time: at}}}
	if err := eur.Add(j); err != nil {
		t.Fatal(err)
	}
	// A zero value may have no currency.
	if err := eur.Add(attribution.Journey{ID: "k", Touches: []attribution.Touchpoint{{Channel: "b", Time: at}}}); err != nil {
		t.Errorf("non-converted journey without a currency: %v", err)
	}
	j.ID, j.Value = "usd", money.New(500, "USD")
	err := eur.Add(j)
	var e *attribution.Error
	if !errors.Is(err, money.ErrCurrencyMismatch) || !errors.As(err, &e) || e.Kind != "journey" || e.ID != "usd" {
		t.Errorf("USD journey in an EUR aggregate: %v", err)
	}
	if got := eur.Totals(); got != (attribution.Totals{Journeys: 2, Conversions: 1, Value: money.New(500, "EUR")}) {
		t.Errorf("Totals = %+v", got)
	}
	r, err := attribution.Run(ctx, eur, attribution.LastTouch())
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := r.Channel("a"); r.TotalValue != money.New(500, "EUR") || c.Value != money.New(500, "EUR") {
		t.Errorf("result in %v, channel a %v", r.TotalValue, c.Value)
	}
	if err := eur.Merge(attribution.NewAggregate()); !errors.Is(err, attribution.ErrIncompatible) {
		t.Errorf("merging USD into EUR: %v, want ErrIncompatible", err)
	}
	if _, err := attribution.ReadTouches(ctx, strings.NewReader(touchHeader), "t.csv", attribution.WithCurrency("euro")); !errors.Is(err, money.ErrInvalidCurrency) {
		t.Errorf("WithCurrency(euro): %v, want ErrInvalidCurrency", err)
	}
	if err := attribution.NewAggregate(attribution.WithCurrency("euro")).Add(j); err == nil {
		t.Error("Add to an aggregate with an invalid currency succeeded")
	}
	// A currency column naming the input's currency is fine, as is an empty cell.
	in := strings.TrimSuffix(touchHeader, "\n") + ",currency\n" +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z,EUR\n" +
		"j2,2026-01-01T00:00:00Z,email,0,0,1,15,2026-01-05T00:00:00Z,\n"
	a, err := attribution.ReadTouches(ctx, strings.NewReader(in), "t.csv", attribution.WithCurrency("EUR"))
	if err != nil || a.Totals().Value != money.New(25, "EUR") {
		t.Errorf("EUR input: %v, %v", a, err)
	}
}

// TestLookbackDuration: the window is a duration, to the second: a touch
// 36h before the conversion is out of a 35h window and inside a 37h one.
func TestLookbackDuration(t *testing.T) {
	in := touchHeader +
		"j1,2026-01-01T00:00:00Z,email,0,0,1,100,2026-01-02T12:00:00Z\n" +
		"j1,2026-01-02T00:00:00Z,social,0,0,1,100,2026-01-02T12:00:00Z\n"
	for _, tt := range []struct {
		lookback time.Duration
		first    string
	}{{35 * time.Hour, "social"}, {36 * time.Hour, "email"}, {37 * time.Hour, "email"}, {0, "email"}} {
		a, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "lb.csv", attribution.WithLookback(tt.lookback))
		if err != nil {
			t.Fatal(err)
		}
		if a.Lookback() != tt.lookback {
			t.Errorf("Lookback() = %v, want %v", a.Lookback(), tt.lookback)
		}
		r, err := attribution.Run(context.Background(), a, attribution.FirstTouch())
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := r.Channel(tt.first); c.Conversions != 1 {
			t.Errorf("lookback %v: first touch credit %+v, want %s", tt.lookback, r.Channels, tt.first)
		}
	}
}

// TestTouchReaderAll: the iterator yields what Next does, and stops when
// the loop breaks.
func TestTouchReaderAll(t *testing.T) {
	in := touchHeader +
		"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n" +
		"j2,bad,email,0,0,0,0,\n" +
		"j3,2026-01-01T00:00:00Z,email,0,0,0,0,\n" +
		"j4,2026-01-01T00:00:00Z,email,0,0,0,0,\n"
	tr, err := attribution.NewTouchReader(context.Background(), strings.NewReader(in), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for j, err := range tr.All() {
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, j.ID)
		if j.ID == "j3" {
			break
		}
	}
	want := []string{`a.csv:3:2: timestamp: "bad" is not an RFC 3339 timestamp`, "j1", "j3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}
	// Next goes on where the loop stopped.
	if j, err := tr.Next(); err != nil || j.ID != "j4" {
		t.Errorf("Next after break: %v, %v; want j4", j, err)
	}
}
