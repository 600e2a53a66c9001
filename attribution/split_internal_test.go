package attribution

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution/internal/synth"
)

// oneReader hides everything but Read, so that ReadTouches cannot split.
type oneReader struct{ r io.Reader }

func (o oneReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// outcome is everything a read returns, as bytes: the error's text, or
// the totals, the renames and every model's result.
func outcome(t *testing.T, a *Aggregate, err error) string {
	t.Helper()
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%+v %+v %+v %v\n", a.Totals(), a.Unattributed(), a.OutsidePeriod(), a.Renamed())
	for _, name := range Models() {
		m, err := ModelByName(name, WithOrder(2))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), a, m)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", name, err)
			continue
		}
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// splitInputs are touch files for the split differential tests: valid
// ones and ones with every kind of problem near wherever the split lands.
func splitInputs(t *testing.T) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.WriteTouches(&buf, 60, 5); err != nil {
		t.Fatal(err)
	}
	valid := buf.String()
	lines := strings.SplitAfter(valid, "\n")
	insert := func(at int, extra string) string {
		return strings.Join(lines[:at], "") + extra + strings.Join(lines[at:], "")
	}
	const h = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time"
	const hc = h + ",campaign\n"
	row := func(id, day, ch string) string { return id + ",2026-01-" + day + "T00:00:00Z," + ch + ",0,0,0,0,\n" }
	rowc := func(id, day, ch, camp string) string {
		return id + ",2026-01-" + day + "T00:00:00Z," + ch + ",0,0,0,0,," + camp + "\n"
	}
	var regroup, quoted, crlf, many strings.Builder
	regroup.WriteString(h + "\n")
	for i := range 40 {
		regroup.WriteString(row(fmt.Sprint("r", i), "01", "email"))
		regroup.WriteString(row(fmt.Sprint("r", i), "02", "search"))
		if i%7 == 6 {
			regroup.WriteString(row(fmt.Sprint("r", i-3), "03", "email")) // resumes after 3 others
		}
	}
	quoted.WriteString(hc)
	for i := range 30 {
		quoted.WriteString(rowc(fmt.Sprint("q", i), "01", "email", "plain"))
		if i%3 == 0 { // lines inside quotes that look like rows
			quoted.WriteString(rowc(fmt.Sprint("q", i), "02", "search", "\"two\nlines, and \"\"quotes\"\"\n\""))
			quoted.WriteString(rowc(fmt.Sprint("q", i), "03", "social", "\"\nq"+fmt.Sprint(i+1)+",2026-01-01T00:00:00Z,email\n\""))
		}
	}
	crlf.WriteString(h + "\r\n")
	for i := range 40 {
		crlf.WriteString(strings.ReplaceAll(row(fmt.Sprint("c", i), "01", "email"), "\n", "\r\n"))
		if i%9 == 0 {
			crlf.WriteString("\r\n\n ,  ,,,,,,\n")
		}
	}
	many.WriteString(h + "\n")
	for i := range 200 {
		many.WriteString(row("long", fmt.Sprintf("%02d", 1+i%28), "email"))
	}
	many.WriteString(row("after", "01", "email"))
	// The valid rows shuffled: most journeys' rows apart. And the same
	// with equal touch times, whose order the sort decides.
	data := lines[1 : len(lines)-1]
	shuffled := []string{lines[0]}
	for i := range data {
		shuffled = append(shuffled, data[(i*37)%len(data)])
	}
	ties := valid[:strings.IndexByte(valid, '\n')+1]
	for _, l := range data[:120] {
		f := strings.Split(l, ",")
		f[1] = "2025-01-01T00:00:00Z"
		if f[5] == "1" {
			f[7] = "2025-01-02T00:00:00Z\n"
		}
		ties += strings.Join(f, ",")
	}
	return map[string]string{
		"valid":        valid,
		"bad rows":     insert(20, "x1,yesterday,email,0,0,0,0,\n") + "short,row\n",
		"bad journeys": insert(30, lines[29]) + insert(60, "j7,2025-01-01T00:00:00Z,email,0,0,1,5,\n"),
		"mixed rows":   insert(45, "j20,2025-01-02T00:00:00Z,email,1,0,0,0,\nbare\"quote,x\n"+lines[44]),
		"regroups":     regroup.String(),
		"quoted":       quoted.String(),
		"crlf blank":   crlf.String(),
		"one journey":  many.String(),
		"shuffled":     strings.Join(shuffled, ""),
		"equal times":  ties,
		"currency":     strings.Replace(hc, "campaign", "currency", 1) + rowc("a", "01", "email", "USD") + rowc("a", "02", "email", "EUR") + rowc("b", "01", "web", ""),
	}
}

// TestSplitMatchesOneReader is the split read's differential test: for
// each input, each row order, and a split searched from every byte
// offset, the result (aggregate and every model's result, or the error
// list with its positions and order) is the one reader's, byte for byte.
func TestSplitMatchesOneReader(t *testing.T) {
	defer func(m int64, p func(int64, int64) int64, tr func(string)) {
		splitMinBytes, splitPoint, splitTrace = m, p, tr
	}(splitMinBytes, splitPoint, splitTrace)
	splitMinBytes = 0
	ctx := context.Background()
	inputs := splitInputs(t)
	for _, mode := range []struct {
		name string
		opts []Option
		want string // the outcome some reads must have
		also string // and another one
	}{
		{"grouped", []Option{WithRowOrder(Grouped)}, "split", ""},
		{"grouped window 2", []Option{WithRowOrder(Grouped), WithRegroupWindow(2)}, "split", ""},
		{"grouped window 5", []Option{WithRowOrder(Grouped), WithRegroupWindow(5)}, "split", ""},
		{"grouped period", []Option{WithRowOrder(Grouped), WithPeriod(dayUTC(2025, 1, 3), dayUTC(2025, 3, 1))}, "split", ""},
		// Valid input whose journeys come together is added while it is
		// parsed (split_spec.go); scattered journeys are grouped.
		{"any", nil, "split", "speculation"},
		{"any period", []Option{WithPeriod(dayUTC(2025, 1, 3), dayUTC(2025, 3, 1))}, "split", "speculation"},
		// Past the sort memory the one reader spills to disk.
		{"any spilling", []Option{WithSortMemory(2000)}, "sort memory", ""},
	} {
		outcomes := map[string]int{}
		splitTrace = func(o string) { outcomes[o]++ }
		for name, in := range inputs {
			t.Run(mode.name+"/"+name, func(t *testing.T) {
				a, err := ReadTouches(ctx, oneReader{strings.NewReader(in)}, "t.csv", mode.opts...)
				want := outcome(t, a, err)
				// findSplit moves on to the next line start: one offset per
				// line is every split there is.
				for off := 0; off <= len(in); off++ {
					if off > 0 && in[off-1] != '\n' {
						continue
					}
					splitPoint = func(start, end int64) int64 { return int64(off) }
					r := bytes.NewReader([]byte(in))
					a, err := ReadTouches(ctx, r, "t.csv", mode.opts...)
					if got := outcome(t, a, err); got != want {
						t.Fatalf("split from offset %d: got\n%s\nwant\n%s", off, got, want)
					}
					if pos, _ := r.Seek(0, io.SeekCurrent); pos != int64(len(in)) {
						t.Fatalf("split from offset %d: reader left at %d of %d", off, pos, len(in))
					}
				}
			})
		}
		t.Logf("%s: %v", mode.name, outcomes)
		for _, w := range []string{mode.want, mode.also} {
			if w != "" && outcomes[w] == 0 {
				t.Errorf("%s: no read had outcome %q: %v", mode.name, w, outcomes)
			}
		}
	}
}

func dayUTC(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// FuzzSplit: any input, split from any offset, reads as one reader reads
// it, in both row orders.
func FuzzSplit(f *testing.F) {
	for _, in := range splitInputs(&testing.T{}) {
		f.Add(in, uint16(len(in)/2), false)
	}
	f.Add(touchHeaderForFuzz+"a,2026-01-01T00:00:00Z,x,0,0,0,0,\n\"a\nb\",1,2\nb,2026-01-01T00:00:00Z,x,0,0,0,0,\n", uint16(40), true)
	f.Fuzz(func(t *testing.T, in string, off uint16, grouped bool) {
		defer func(m int64, p func(int64, int64) int64) { splitMinBytes, splitPoint = m, p }(splitMinBytes, splitPoint)
		splitMinBytes = 0
		splitPoint = func(start, end int64) int64 { return min(int64(off), end) }
		var opts []Option
		if grouped {
			opts = append(opts, WithRowOrder(Grouped), WithRegroupWindow(3))
		}
		ctx := context.Background()
		a, err := ReadTouches(ctx, oneReader{strings.NewReader(in)}, "t.csv", opts...)
		want := outcome(t, a, err)
		a, err = ReadTouches(ctx, bytes.NewReader([]byte(in)), "t.csv", opts...)
		if got := outcome(t, a, err); got != want {
			t.Fatalf("split from %d: got\n%s\nwant\n%s", off, got, want)
		}
	})
}

const touchHeaderForFuzz = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time\n"

// TestSplitCancel: a split read honours its context.
func TestSplitCancel(t *testing.T) {
	defer func(m int64) { splitMinBytes = m }(splitMinBytes)
	splitMinBytes = 0
	var buf bytes.Buffer
	if err := synth.WriteTouches(&buf, 20000, 3); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]Option{nil, {WithRowOrder(Grouped)}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ReadTouches(ctx, bytes.NewReader(buf.Bytes()), "t.csv", opts...)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v: err = %v, want context.Canceled", opts, err)
		}
	}
}

// TestSpeculation: a split AnyOrder read of journeys whose rows come
// together is done in one pass; one journey resumed at the very end makes
// the check fail and the read start again; scattered journeys give up
// the speculation early. Each gives what one reader gives.
func TestSpeculation(t *testing.T) {
	defer func(m int64, p func(int64, int64) int64, tr func(string)) {
		splitMinBytes, splitPoint, splitTrace = m, p, tr
	}(splitMinBytes, splitPoint, splitTrace)
	splitMinBytes = 0
	var buf bytes.Buffer
	if err := synth.WriteTouches(&buf, 4000, 11); err != nil {
		t.Fatal(err)
	}
	valid := buf.String()
	lines := strings.SplitAfter(valid, "\n")
	data := lines[1 : len(lines)-1]
	// The last row of the first journey with several rows, moved to the end.
	var k int
	for k = 1; strings.Split(data[k], ",")[0] != strings.Split(data[k-1], ",")[0]; k++ {
	}
	late := lines[0] + strings.Join(data[:k], "") + strings.Join(data[k+1:], "") + data[k]
	scattered := []string{lines[0]}
	for i := range data {
		scattered = append(scattered, data[(i*7919)%len(data)])
	}
	// One journey of 60,000 rows in reverse time order, then a short one:
	// sorted by insertion, that journey alone would take 1.8·10⁹
	// comparisons.
	var long strings.Builder
	long.WriteString(lines[0])
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 60000; i > 0; i-- {
		fmt.Fprintf(&long, "big,%s,ch%d,0,0,0,0,\n", base.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i%7)
	}
	long.WriteString("small,2025-01-01T00:00:00Z,email,0,0,0,0,\n")
	for _, tc := range []struct {
		name, in string
		want     []string // the outcomes traced, in order
	}{
		{"together", valid, []string{"speculation"}},
		{"one long journey", long.String(), []string{"speculation"}},
		{"resumed at the end", late, []string{"speculation failed", "split"}},
		{"scattered", strings.Join(scattered, ""), []string{"speculation given up", "split"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ReadTouches(context.Background(), oneReader{strings.NewReader(tc.in)}, "t.csv")
			want := outcome(t, a, err)
			if strings.HasPrefix(want, "error") {
				t.Fatalf("one reader: %s", want)
			}
			var got []string
			splitTrace = func(o string) { got = append(got, o) }
			splitPoint = func(start, end int64) int64 { return (start + end) / 2 }
			a, err = ReadTouches(context.Background(), strings.NewReader(tc.in), "t.csv")
			splitTrace = nil
			if o := outcome(t, a, err); o != want {
				t.Fatalf("split: got\n%s\nwant\n%s", o, want)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("outcomes %q, want %q", got, tc.want)
			}
		})
	}
}
