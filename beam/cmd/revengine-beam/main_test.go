package main

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"0d", 0, false},
		{"-1h", 0, false},
		{"d", 0, false},
		{"1.5d", 0, false},
		{"99999999999999999d", 0, false}, // overflows a Duration
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// The binary on prism: the sample journeys give one line per model asked
// for, and an empty rejects file exists though nothing was rejected.
func TestAttributeOnPrism(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("SKIP: prism needs the loopback interface (127.0.0.1): %v", err)
	}
	l.Close()
	dir := t.TempDir()
	for name, v := range map[string]string{
		"pipeline": "attribute",
		"input":    "../../../examples/attribution/journeys.csv",
		"output":   filepath.Join(dir, "results.jsonl"),
		"rejects":  filepath.Join(dir, "rejects.txt"),
		"models":   "linear,first_touch",
	} {
		if err := flag.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	beam.Init()
	if err := runMain(context.Background()); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var models []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Model string `json:"model"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Error != "" {
			t.Fatalf("line %q: %v %s", l, err, r.Error)
		}
		models = append(models, r.Model)
	}
	// Sorted lines: {"model":"first_touch"… before {"model":"linear"….
	if strings.Join(models, ",") != "first_touch,linear" {
		t.Errorf("models %v, want first_touch, linear", models)
	}
	rej, err := os.ReadFile(filepath.Join(dir, "rejects.txt"))
	if err != nil || len(rej) != 0 {
		t.Errorf("rejects file: %q, %v; want it empty", rej, err)
	}
}

// The binary's kpis pipeline on prism: the sample directory as one shard
// gives the view JSON of the whole sample (quarters of 2026 in the
// granularity asked for), and an empty rejects file.
func TestKPIsOnPrism(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("SKIP: prism needs the loopback interface (127.0.0.1): %v", err)
	}
	l.Close()
	dir := t.TempDir()
	for name, v := range map[string]string{
		"pipeline":    "kpis",
		"input":       "../../../examples/kpis/dat[a]",
		"output":      filepath.Join(dir, "view.json"),
		"rejects":     filepath.Join(dir, "rejects.txt"),
		"granularity": "quarter",
		"model":       "w_shaped",
		"sla":         "sal=72h",
	} {
		if err := flag.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	beam.Init()
	if err := runMain(context.Background()); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(filepath.Join(dir, "view.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Granularity string `json:"granularity"`
		Model       string `json:"model"`
		Periods     []struct {
			Period string `json:"period"`
		} `json:"periods"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("view %q: %v", out, err)
	}
	if v.Granularity != "quarter" || v.Model != "w_shaped" || len(v.Periods) == 0 {
		t.Errorf("view %+v, want quarterly w_shaped periods", v)
	}
	rej, err := os.ReadFile(filepath.Join(dir, "rejects.txt"))
	if err != nil || len(rej) != 0 {
		t.Errorf("rejects file: %q, %v; want it empty", rej, err)
	}
}
