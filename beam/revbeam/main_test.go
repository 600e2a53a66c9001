package revbeam

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// requirePrism skips a test that runs a pipeline when the loopback interface,
// on which prism's job server listens, is unavailable.
func requirePrism(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("SKIP: prism needs the loopback interface (127.0.0.1): %v", err)
	}
	l.Close()
}

// run runs the pipeline on prism and returns its counters by name.
func run(t *testing.T, p *beam.Pipeline) map[string]int64 {
	t.Helper()
	res, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	out := map[string]int64{}
	if res == nil {
		return out
	}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		out[c.Namespace()+"/"+c.Name()] += counterValue(c)
	}
	return out
}

func counterValue(c metrics.CounterResult) int64 { return c.Result() }

// readLines reads a text file written by textio.Write, without empty lines.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil // textio.Write writes no file for an empty PCollection
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			out = append(out, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// write writes col (strings) to a file in dir and returns its path.
func write(s beam.Scope, dir, name string, col beam.PCollection) string {
	p := filepath.Join(dir, name)
	textio.Write(s, p, col)
	return p
}

// sameJSON reports where two JSON documents differ. Nothing may differ, not
// a float's last bit nor a minor unit: the attribution package sums the
// journey-level credits in fixed point and runs every model on a canonical
// view of the aggregate, so the order journeys were added and shards merged
// in does not change a bit.
func sameJSON(a, b []byte) error {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return err
	}
	return diffJSON("$", x, y)
}

func diffJSON(path string, x, y any) error {
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: %v != %v", path, x, y)
		}
		keys := make([]string, 0, len(xv))
		for k := range xv {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := diffJSON(path+"."+k, xv[k], yv[k]); err != nil {
				return err
			}
		}
		return nil
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: lengths differ: %v != %v", path, x, y)
		}
		for i := range xv {
			if err := diffJSON(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i]); err != nil {
				return err
			}
		}
		return nil
	case float64:
		if yv, ok := y.(float64); !ok || math.Float64bits(xv) != math.Float64bits(yv) {
			return fmt.Errorf("%s: %v != %v", path, x, y)
		}
		return nil
	}
	if !reflect.DeepEqual(x, y) {
		return fmt.Errorf("%s: %v != %v", path, x, y)
	}
	return nil
}

var _ = context.Background
