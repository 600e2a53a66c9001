package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/revengine/revengine/scoring"
	"github.com/revengine/revengine/scoring/backtest"
)

// score prints exactly the library's JSON encoding of each Result: every
// line decodes into a scoring.Result that re-encodes to the bytes the
// library gives for the same lead.
func TestScoreJSONIsTheLibraryEncoding(t *testing.T) {
	const at = "2026-11-23T09:00:00Z"
	leads := "testdata/scoring/leads.jsonl"
	_, out, _ := runCLI(t, "", "score", "--rules", quickRules, "--at", at, leads)
	rs, err := scoring.LoadFile(quickRules)
	if err != nil {
		t.Fatal(err)
	}
	atT, _ := time.Parse(time.RFC3339, at)
	f, err := os.Open(leads)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	if _, err := rs.ScoreLines(context.Background(), f, leads, atT, func(r scoring.Record) error {
		if r.Err == nil {
			b, err := json.Marshal(r.Result)
			if err != nil {
				return err
			}
			want = append(want, string(b))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var res scoring.Result
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("stdout line %q: %v", sc.Text(), err)
		}
		b, err := json.Marshal(&res)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	if len(want) == 0 {
		t.Fatal("no lead scored")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("score stdout is not the library's encoding (-library +cli):\n%s", d)
	}
}

// diff --json prints exactly the library's encoding of backtest.Report.
func TestDiffJSONIsTheLibraryEncoding(t *testing.T) {
	const at = "2026-11-23T12:00:00Z"
	dir := "testdata/diff/"
	_, out, _ := runCLI(t, "", "diff", "--rules", dir+"old.yaml", "--against", dir+"new.yaml", "--at", at, "--outcomes", "outcome", "--json", dir+"leads.jsonl")
	oldRules, err1 := scoring.LoadFile(dir + "old.yaml")
	newRules, err2 := scoring.LoadFile(dir + "new.yaml")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	src, err := os.ReadFile(dir + "leads.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	atT, _ := time.Parse(time.RFC3339, at)
	rep, err := backtest.Run(context.Background(), oldRules, newRules, bytes.NewReader(src), dir+"leads.jsonl", atT, backtest.WithOutcomes("outcome"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("diff --json output: %v\n%s", err, out)
	}
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(b, a); d != "" {
		t.Errorf("diff --json is not the library's encoding (-library +cli):\n%s", d)
	}
}
