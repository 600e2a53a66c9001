package attribution_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/revengine/revengine/attribution"
	"github.com/revengine/revengine/attribution/internal/synth"
)

// shuffleRows returns the CSV with its data rows in a seeded random order,
// as a warehouse query without ORDER BY returns them.
func shuffleRows(csv []byte, seed uint64) []byte {
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	rows := lines[1:]
	rand.New(rand.NewPCG(seed, 7)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return []byte(lines[0] + "\n" + strings.Join(rows, "\n") + "\n")
}

// allJSON runs every model on a and returns the JSON of the results.
func allJSON(t *testing.T, a *attribution.Aggregate) []byte {
	t.Helper()
	var out []*attribution.Result
	for _, name := range attribution.Models() {
		m, err := attribution.ModelByName(name, attribution.WithOrder(2))
		if err != nil {
			t.Fatal(err)
		}
		r, err := attribution.Run(context.Background(), a, m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, r)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnsortedMatchesSorted: the rows of a grouped, time-ordered file in a
// random order give byte-identical results for every model — in memory,
// with the sort spilling to many temporary runs, and against the strict
// grouped reader of the sorted file. Shards merged in either order give
// the same bytes too. (Synthetic timestamps are whole seconds apart by
// 0 to 5 days, so seed 11's journeys have no equal-time touches whose
// order the strict reader would take from the file.)
func TestUnsortedMatchesSorted(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	if err := synth.WriteTouches(&buf, 3000, 11); err != nil {
		t.Fatal(err)
	}
	sorted := buf.Bytes()
	shuffled := shuffleRows(sorted, 1)
	if bytes.Equal(sorted, shuffled) {
		t.Fatal("shuffle did nothing")
	}
	read := func(b []byte, opts ...attribution.Option) *attribution.Aggregate {
		t.Helper()
		a, err := attribution.ReadTouches(ctx, bytes.NewReader(b), "t.csv", opts...)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	want := allJSON(t, read(sorted, attribution.WithRowOrder(attribution.Grouped)))
	dir := t.TempDir()
	for name, a := range map[string]*attribution.Aggregate{
		"sorted any order":   read(sorted),
		"shuffled in memory": read(shuffled),
		"shuffled spilled":   read(shuffled, attribution.WithSortMemory(16<<10), attribution.WithTempDir(dir)),
	} {
		if got := allJSON(t, a); !bytes.Equal(got, want) {
			t.Errorf("%s: results differ from the grouped reader of the sorted file", name)
		}
	}
	// The temporary runs are gone.
	if ents, err := readDir(dir); err != nil || len(ents) != 0 {
		t.Errorf("temporary files left: %v %v", ents, err)
	}

	// Two shards, merged in both orders.
	half := bytes.Index(sorted, []byte("\nj1500,")) + 1
	head := sorted[:bytes.IndexByte(sorted, '\n')+1]
	s1, s2 := sorted[:half], append(append([]byte{}, head...), sorted[half:]...)
	for _, order := range [][2][]byte{{s1, s2}, {s2, s1}} {
		a := read(order[0])
		if err := a.Merge(read(order[1])); err != nil {
			t.Fatal(err)
		}
		if got := allJSON(t, a); !bytes.Equal(got, want) {
			t.Error("merged shards differ from the whole file")
		}
	}
}

// TestUnsortedTies: touches at the same time are ordered by channel name
// in AnyOrder input, whatever their row order, so two exports of the same
// data agree. By hand: j1 has email and search at 10:00, then display;
// both row orders give the path email > search > display, whose first
// touch is email.
func TestUnsortedTies(t *testing.T) {
	rows := []string{
		"j1,2026-01-01T10:00:00Z,search,0,0,1,100,2026-01-03T00:00:00Z",
		"j1,2026-01-01T10:00:00Z,email,0,0,1,100,2026-01-03T00:00:00Z",
		"j1,2026-01-02T10:00:00Z,display,0,0,1,100,2026-01-03T00:00:00Z",
	}
	for _, perm := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		in := synth.Header + "\n"
		for _, i := range perm {
			in += rows[i] + "\n"
		}
		a, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "t.csv")
		if err != nil {
			t.Fatal(err)
		}
		p := a.Paths()
		if len(p) != 1 || strings.Join(p[0].Channels, " > ") != "email > search > display" {
			t.Errorf("order %v: paths %+v", perm, p)
		}
	}
}

// TestUnsortedErrorsInLineOrder: problems found while reading and while
// grouping the sorted rows come out in line order, each at its own line.
func TestUnsortedErrorsInLineOrder(t *testing.T) {
	in := synth.Header + "\n" +
		"j2,2026-01-01T00:00:00Z,email,0,0,1,10,2026-01-05T00:00:00Z\n" + // 2
		"j1,2026-01-01T00:00:00Z,email,0,0,0,0,\n" + // 3
		"j2,2026-01-02T00:00:00Z,email,0,0,1,12,2026-01-05T00:00:00Z\n" + // 4: value disagrees with line 2
		"j3,soon,email,0,0,0,0,\n" + // 5: bad timestamp
		"j1,2026-01-02T00:00:00Z,email,0,0,1,5,2026-01-05T00:00:00Z\n" // 6: converted disagrees with line 3
	_, err := attribution.ReadTouches(context.Background(), strings.NewReader(in), "u.csv", attribution.WithSortMemory(1))
	want := `u.csv:4:7: value_minor: 12, but 10 on line 2 (first row of journey "j2")
u.csv:5:2: timestamp: "soon" is not an RFC 3339 timestamp
u.csv:6:6: converted: 1, but 0 on line 3 (first row of journey "j1")`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

// TestUnsortedManyRuns: a budget of one byte makes every row its own run;
// past 64 runs they are merged into one, and the result is still the
// grouped reader's.
func TestUnsortedManyRuns(t *testing.T) {
	csv := synthCSV(t, 150, 3) // about 450 rows: several compactions
	want := allJSON(t, mustReadOpts(t, csv, attribution.WithRowOrder(attribution.Grouped)))
	dir := t.TempDir()
	got := allJSON(t, mustReadOpts(t, shuffleRows(csv, 5), attribution.WithSortMemory(1), attribution.WithTempDir(dir)))
	if !bytes.Equal(got, want) {
		t.Error("results differ from the grouped reader")
	}
	if ents, err := readDir(dir); err != nil || len(ents) != 0 {
		t.Errorf("temporary files left: %v %v", ents, err)
	}
}

func mustReadOpts(t *testing.T, csv []byte, opts ...attribution.Option) *attribution.Aggregate {
	t.Helper()
	a, err := attribution.ReadTouches(context.Background(), bytes.NewReader(csv), "t.csv", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
