package revbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/revengine/revengine/attribution"
)

// buildShards reads the generated journeys as n accumulators, journey i in
// shard i%n, the way the CombineFn's AddInput builds them.
func buildShards(t *testing.T, cfg AttributionConfig, js []genJourney, n int) []*PathAggregate {
	t.Helper()
	f := &aggregateFn{AttributionConfig: cfg}
	accs := make([]*PathAggregate, n)
	for i := range accs {
		accs[i] = f.CreateAccumulator()
	}
	ctx := context.Background()
	tr, err := attribution.NewTouchReader(ctx, bytes.NewReader(wholeCSV(js)), "whole.csv")
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for j, err := range tr.All() {
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.AddInput(accs[i%n], partOf(j, "whole.csv", tr.Line())); err != nil {
			t.Fatal(err)
		}
		i++
	}
	return accs
}

// An accumulator that crosses the wire (encoded, decoded) and is merged gives
// every model the result of the single-process aggregate of the same data.
func TestPathAggregateWireRoundTrip(t *testing.T) {
	js := generateJourneys(5000, 7)
	cfg := AttributionConfig{HalfLife: 3 * 24 * time.Hour, Lookback: 30 * 24 * time.Hour}
	want := reference(t, cfg, wholeCSV(js))
	accs := buildShards(t, cfg, js, 3)
	f := &aggregateFn{AttributionConfig: cfg}
	merged := f.CreateAccumulator()
	for _, a := range accs {
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		d, err := decodePathAggregate(b)
		if err != nil {
			t.Fatal(err)
		}
		// Encoding is deterministic: the decoded accumulator encodes to the
		// same bytes.
		b2, _ := d.MarshalBinary()
		if !bytes.Equal(b, b2) {
			t.Fatal("re-encoding a decoded accumulator changed its bytes")
		}
		if merged, err = f.MergeAccumulators(merged, d); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, name := range cfg.models() {
		got, _ := json.Marshal(RunModel(ctx, merged.Aggregate(), name))
		if err := sameJSON(want[name], got); err != nil {
			t.Errorf("model %s after the wire: %v", name, err)
		}
	}
	// The accumulator's size is set by its distinct paths, not its
	// journeys: the same shard merged into itself 8 times (8× the journeys,
	// the same paths) encodes in less than 1.25× the bytes, and the
	// encoding is smaller than the shard's touch CSV.
	one, err := accs[0].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	eight := f.CreateAccumulator()
	for range 8 {
		if eight, err = f.MergeAccumulators(eight, accs[0]); err != nil {
			t.Fatal(err)
		}
	}
	b8, err := eight.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if float64(len(b8)) >= 1.25*float64(len(one)) {
		t.Errorf("8× the journeys: %d bytes, one: %d bytes", len(b8), len(one))
	}
	if csv := len(wholeCSV(js)) / 3; len(one) >= csv {
		t.Errorf("encoding %d bytes, a third of the CSV %d", len(one), csv)
	}
}

// Aggregates with other options do not merge: ErrIncompatible.
func TestPathAggregateIncompatible(t *testing.T) {
	a := newPathAggregate(time.Hour, 0, "")
	b := newPathAggregate(2*time.Hour, 0, "")
	f := &aggregateFn{}
	if _, err := f.MergeAccumulators(a, b); !errors.Is(err, attribution.ErrIncompatible) {
		t.Errorf("merge of half-lives 1h and 2h: %v, want ErrIncompatible", err)
	}
}

func TestPathAggregateDecodeErrors(t *testing.T) {
	good, err := newPathAggregate(0, 0, "EUR").MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("XXXX\x01"),
		"form":      append([]byte("RVPA\x09"), good[5:]...),
		"form 1":    append([]byte("RVPA\x01"), good[5:]...),
		"inner":     append(bytes.Clone(good[:len(good)-4]), "XXXX"...),
		"truncated": good[:len(good)-1],
		"trailing":  append(append([]byte{}, good...), 0),
	} {
		if _, err := decodePathAggregate(b); !errors.Is(err, ErrWireFormat) {
			t.Errorf("%s: %v, want ErrWireFormat", name, err)
		}
	}
}

// FuzzPathAggregateDecode: no input makes the decoder panic or accept bytes
// that do not re-encode to themselves.
func FuzzPathAggregateDecode(f *testing.F) {
	js := generateJourneys(50, 3)
	t := &testing.T{}
	for _, a := range buildShards(t, AttributionConfig{}, js, 2) {
		b, _ := a.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte("RVPA\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodePathAggregate(b)
		if err != nil {
			return
		}
		if _, err := a.MarshalBinary(); err != nil {
			t.Fatalf("decoded accumulator does not encode: %v", err)
		}
	})
}
