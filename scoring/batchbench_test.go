package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/internal/pool"
)

// batchInput is n leads as JSON lines, the fit benchmark's lead with
// varying ids and sizes.
func batchInput(n int) []byte {
	var b bytes.Buffer
	one := strings.ReplaceAll(benchLeadJSON, "\n", "")
	for i := range n {
		line := strings.Replace(one, `"L-1001"`, fmt.Sprintf(`"L-%d"`, i), 1)
		line = strings.Replace(line, `"company_size":2500`, fmt.Sprintf(`"company_size":%d`, i%5000), 1)
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// bareDecodeEncode is the floor of batch scoring: two workers that decode
// each line into map[string]any with encoding/json and write a small JSON
// line, in input order — reading and ordering as ScoreLines does.
func bareDecodeEncode(ctx context.Context, in []byte, w io.Writer) error {
	type out struct {
		ID   string `json:"id"`
		Keys int    `json:"keys"`
	}
	return pool.Ordered(ctx, 2, 8,
		func(yield func([]byte) bool) error {
			return jsonlines.Read(ctx, bytes.NewReader(in), "leads.jsonl", 1<<20, func(it jsonlines.Item) error {
				if !yield(append([]byte(nil), it.Data...)) {
					return errStopped
				}
				return nil
			})
		},
		func(_ context.Context, line []byte) []byte {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				return nil
			}
			id, _ := m["id"].(string)
			b, _ := json.Marshal(out{ID: id, Keys: len(m)})
			return append(b, '\n')
		},
		func(b []byte) error { _, err := w.Write(b); return err })
}

// BenchmarkScoreLinesVsDecode: ScoreLines (30 fit rules, results encoded
// in the workers, two workers) against the bare decode/encode program on
// the same 20,000 leads, both in each iteration; the metric ratio is
// ScoreLines' time over the bare program's (issue target ≤ 1.25).
func BenchmarkScoreLinesVsDecode(b *testing.B) {
	rs := mustRules(b, benchFitRules, Strict(false))
	in := batchInput(20000)
	ctx := context.Background()
	var ours, bare time.Duration
	for b.Loop() {
		start := time.Now()
		if err := bareDecodeEncode(ctx, in, io.Discard); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(start)
		start = time.Now()
		st, err := rs.ScoreLines(ctx, bytes.NewReader(in), "leads.jsonl", at, func(r Record) error {
			if r.Err != nil {
				return r.Err
			}
			_, err := io.Discard.Write(r.JSON)
			return err
		}, WithWorkers(2), WithJSON())
		if err != nil || st.Scored != 20000 {
			b.Fatal(st, err)
		}
		ours += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(bare), "ratio")
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N)/20000, "ns/lead")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N)/20000, "bare-ns/lead")
}
