package revbeam

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// genJourney is a generated journey: its touch CSV rows, whole.
type genJourney struct {
	rows []string
}

var genChannels = []string{"paid_search", "organic_search", "email", "direct", "partner", "social", "display", "webinar"}

const touchHeader = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time"

// generateJourneys makes n journeys with a seeded generator: 1 to 6 touches
// in time order, about one in five converting with a value, lead and
// opportunity creation on some touches, and a few journeys without touches.
func generateJourneys(n int, seed uint64) []genJourney {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]genJourney, n)
	for i := range out {
		id := fmt.Sprintf("j%07d", i)
		if r.IntN(200) == 0 { // no touches: unattributed
			out[i].rows = []string{fmt.Sprintf("%s,%s,,0,0,0,0,", id, base.Format(time.RFC3339))}
			continue
		}
		k := 1 + r.IntN(6)
		t := base.Add(time.Duration(r.IntN(300*24)) * time.Hour)
		converted := r.IntN(5) == 0
		var value int64
		var conv time.Time
		times := make([]time.Time, k)
		for j := range times {
			times[j] = t
			t = t.Add(time.Duration(r.IntN(20*24*60)) * time.Minute)
		}
		if converted {
			value = int64(1000 + r.IntN(500000))
			conv = t.Add(time.Duration(r.IntN(48)) * time.Hour)
		}
		lead, opp := r.IntN(k+1)-1, -1
		if lead >= 0 && r.IntN(2) == 0 {
			opp = lead + r.IntN(k-lead)
		}
		for j := range k {
			c, v, ct := "0", "0", ""
			if converted {
				c, v, ct = "1", fmt.Sprint(value), conv.Format(time.RFC3339)
			}
			out[i].rows = append(out[i].rows, fmt.Sprintf("%s,%s,%s,%d,%d,%s,%s,%s", id, times[j].Format(time.RFC3339),
				genChannels[r.IntN(len(genChannels))], b2i(j == lead), b2i(j == opp), c, v, ct))
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wholeCSV is the single-process input: every journey's rows together.
func wholeCSV(js []genJourney) []byte {
	var b bytes.Buffer
	b.WriteString(touchHeader + "\n")
	for _, j := range js {
		b.WriteString(strings.Join(j.rows, "\n") + "\n")
	}
	return b.Bytes()
}

// writeShards writes the journeys into n shard files in dir, round robin;
// every split-th journey with two or more touches has its later touches
// written to the next shard, so grouping by journey id has work to do.
func writeShards(dir string, js []genJourney, n, split int) error {
	bufs := make([]bytes.Buffer, n)
	for i := range bufs {
		bufs[i].WriteString(touchHeader + "\n")
	}
	for i, j := range js {
		s := i % n
		if split > 0 && i%split == 0 && len(j.rows) > 1 {
			h := len(j.rows) / 2
			bufs[s].WriteString(strings.Join(j.rows[:h], "\n") + "\n")
			bufs[(s+1)%n].WriteString(strings.Join(j.rows[h:], "\n") + "\n")
			continue
		}
		bufs[s].WriteString(strings.Join(j.rows, "\n") + "\n")
	}
	for i := range bufs {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("touches-%03d.csv", i)), bufs[i].Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// TestGenerateBenchData writes the benchmark input when REVBEAM_GENERATE
// names a directory (REVBEAM_JOURNEYS journeys, default 1,000,000): whole.csv
// for the single-process CLI and 8 shards, one journey in ten split over two
// of them, for the pipeline. Skipped otherwise: the data is generated, never
// committed.
func TestGenerateBenchData(t *testing.T) {
	dir := os.Getenv("REVBEAM_GENERATE")
	if dir == "" {
		t.Skip("set REVBEAM_GENERATE=DIR to write the benchmark data")
	}
	n := 1_000_000
	if s := os.Getenv("REVBEAM_JOURNEYS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatal(err)
		}
	}
	js := generateJourneys(n, 1)
	if err := os.WriteFile(filepath.Join(dir, "whole.csv"), wholeCSV(js), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeShards(dir, js, 8, 10); err != nil {
		t.Fatal(err)
	}
}
