package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/mrr"
)

var updateMRR = flag.Bool("update-mrr", false, "rewrite the golden files of the mrr command")

// TestMRRGolden runs the command on the shipped log and compares stdout with
// testdata/mrr/<name>.golden. The figures were checked by hand; see
// TestMRRHandChecked for the arithmetic.
func TestMRRGolden(t *testing.T) {
	events := filepath.Join("testdata", "mrr", "events.csv")
	tests := []struct {
		name string
		args []string
	}{
		{"event_table", []string{"mrr", events}},
		{"net_table", []string{"mrr", "--method", "net", events}},
		{"event_json", []string{"mrr", "--json", events}},
		{"net_json", []string{"mrr", "--method", "net", "--json", events}},
		{"eur_json", []string{"mrr", "--currency", "EUR", "--json", events}},
		{"flags_after_file", []string{"mrr", events, "--method", "net"}},
		{"all_movements_event", []string{"mrr", "--json", filepath.Join("testdata", "mrr", "all_movements.csv")}},
		{"all_movements_net", []string{"mrr", "--json", "--method", "net", filepath.Join("testdata", "mrr", "all_movements.csv")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			golden := filepath.Join("testdata", "mrr", tt.name+".golden")
			if *updateMRR {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("stdout differs from %s:\n got:\n%s\nwant:\n%s", golden, out, want)
			}
		})
	}
}

// TestMRRHandChecked checks the JSON figures of testdata/mrr/events.csv
// against a bridge worked by hand.
//
// Log (amounts in cents): Jan acme→10000 (5th), beta→5000 (10th), gamma→3000
// (12th), gamma→0 (25th); Feb acme→15000, beta→2000, delta→4000; Mar beta→0,
// acme→12000; Apr nothing; May beta→6000, delta→4000 (unchanged).
//
// event: Jan new 10000+5000+3000=18000, churn 3000, end 15000.
// Feb: expansion 5000 (acme), contraction 3000 (beta), new 4000 (delta),
// end 21000. Mar: churn 2000 (beta), contraction 3000 (acme), end 16000.
// Apr: 16000 → 16000. May: reactivation 6000 (beta paid before), delta no
// change, end 22000.
// net: Jan new 15000 only (gamma nets to nothing); the rest as event.
func TestMRRHandChecked(t *testing.T) {
	type row struct {
		Month                                                string
		Start, New, Exp, Con, Churn, React, End, Net, CS, CE int64
	}
	var t0 *testing.T
	month := func(m map[string]any) row {
		t := t0
		// Counts are numbers; money is {"amount_minor":…,"currency":"USD"}.
		g := func(k string) int64 { return int64(m[k].(float64)) }
		mon := func(k string) int64 {
			o := m[k].(map[string]any)
			if o["currency"] != "USD" {
				t.Errorf("%s: currency %v", k, o["currency"])
			}
			return int64(o["amount_minor"].(float64))
		}
		return row{m["month"].(string), mon("starting_mrr"), mon("new"), mon("expansion"), mon("contraction"), mon("churn"),
			mon("reactivation"), mon("ending_mrr"), mon("net_new_mrr"), g("customers_start"), g("customers_end")}
	}
	tests := []struct {
		name   string
		method string
		file   string
		want   []row
	}{
		// all_movements.csv is unsorted; d has two rows on 2024-04-10 (the
		// later, 40000, wins); c is new and churned in January, back in April.
		// event: Jan new 100000+50000+30000 = 180000, churn 30000, end 150000.
		// Feb: a +50000 expansion, b churn 50000; end 150000. Mar: no events.
		// Apr: a −30000, b reactivation 70000, d new 40000, c reactivation
		// 25000 then expansion 10000: end 120000+70000+40000+35000 = 265000.
		{"all movements event", "event", "all_movements.csv", []row{
			{"2024-01", 0, 180000, 0, 0, 30000, 0, 150000, 150000, 0, 2},
			{"2024-02", 150000, 0, 50000, 0, 50000, 0, 150000, 0, 2, 1},
			{"2024-03", 150000, 0, 0, 0, 0, 0, 150000, 0, 1, 1},
			{"2024-04", 150000, 40000, 10000, 30000, 0, 95000, 265000, 115000, 1, 4},
		}},
		// net: c nets to nothing in January; in April c 0→35000 is one
		// reactivation.
		{"all movements net", "net", "all_movements.csv", []row{
			{"2024-01", 0, 150000, 0, 0, 0, 0, 150000, 150000, 0, 2},
			{"2024-02", 150000, 0, 50000, 0, 50000, 0, 150000, 0, 2, 1},
			{"2024-03", 150000, 0, 0, 0, 0, 0, 150000, 0, 1, 1},
			{"2024-04", 150000, 40000, 0, 30000, 0, 105000, 265000, 115000, 1, 4},
		}},
		{"event", "event", "", []row{
			{"2024-01", 0, 18000, 0, 0, 3000, 0, 15000, 15000, 0, 2},
			{"2024-02", 15000, 4000, 5000, 3000, 0, 0, 21000, 6000, 2, 3},
			{"2024-03", 21000, 0, 0, 3000, 2000, 0, 16000, -5000, 3, 2},
			{"2024-04", 16000, 0, 0, 0, 0, 0, 16000, 0, 2, 2},
			{"2024-05", 16000, 0, 0, 0, 0, 6000, 22000, 6000, 2, 3},
		}},
		{"net", "net", "", []row{
			{"2024-01", 0, 15000, 0, 0, 0, 0, 15000, 15000, 0, 2},
			{"2024-02", 15000, 4000, 5000, 3000, 0, 0, 21000, 6000, 2, 3},
			{"2024-03", 21000, 0, 0, 3000, 2000, 0, 16000, -5000, 3, 2},
			{"2024-04", 16000, 0, 0, 0, 0, 0, 16000, 0, 2, 2},
			{"2024-05", 16000, 0, 0, 0, 0, 6000, 22000, 6000, 2, 3},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "events.csv"
			}
			code, out, errOut := runCLI(t, "", "mrr", "--method", tt.method, "--json", filepath.Join("testdata", "mrr", file))
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var doc struct {
				Method, Currency string
				Months           []map[string]any
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Method != tt.method || doc.Currency != "USD" {
				t.Errorf("method, currency = %q, %q", doc.Method, doc.Currency)
			}
			if len(doc.Months) != len(tt.want) {
				t.Fatalf("%d months, want %d", len(doc.Months), len(tt.want))
			}
			t0 = t
			for i, w := range tt.want {
				if got := month(doc.Months[i]); got != w {
					t.Errorf("month %d:\n got %+v\nwant %+v", i, got, w)
				}
			}
		})
	}
}

// TestMRRJSONKeys pins the key order of the documented JSON shape.
func TestMRRJSONKeys(t *testing.T) {
	_, out, _ := runCLI(t, "customer_id,date,mrr\na,2024-01-01,100\n", "mrr", "--json", "-")
	want := []string{`"method"`, `"currency"`, `"months"`, `"month"`, `"starting_mrr"`, `"new"`, `"expansion"`,
		`"contraction"`, `"churn"`, `"reactivation"`, `"ending_mrr"`, `"net_new_mrr"`, `"customers_start"`, `"customers_end"`}
	at := 0
	for _, k := range want {
		i := strings.Index(out[at:], k)
		if i < 0 {
			t.Fatalf("key %s missing or out of order in\n%s", k, out)
		}
		at += i
	}
}

func TestMRRErrors(t *testing.T) {
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  []string // substrings of stderr
	}{
		{"no file", "", []string{"mrr"}, exitUsage, []string{"want exactly one"}},
		{"two files", "", []string{"mrr", "a", "b"}, exitUsage, []string{"want exactly one"}},
		{"bad method", "", []string{"mrr", "--method", "gross", "-"}, exitUsage, []string{`--method "gross"`}},
		{"bad currency", "", []string{"mrr", "--currency", "usd", "-"}, exitUsage, []string{`--currency "usd"`}},
		{"unknown flag", "", []string{"mrr", "--frob", "-"}, exitUsage, nil},
		{"help", "", []string{"mrr", "-h"}, exitOK, []string{"usage: revengine mrr"}},
		{"missing file", "", []string{"mrr", filepath.Join("testdata", "mrr", "nope.csv")}, exitFindings, []string{"nope.csv"}},
		{"empty input", "", []string{"mrr", "-"}, exitFindings, []string{"<stdin>:1: no events"}},
		{"bad rows", "customer_id,date,mrr\na,2024-01-01,100\nb,2024-13-01,5\n,2024-01-02,-3\nc,2024-01-03,1.5\n",
			[]string{"mrr", "-"}, exitFindings, []string{
				`<stdin>:3:2: date: date "2024-13-01" is not a valid YYYY-MM-DD date`,
				`<stdin>:4:1: customer_id: empty customer_id`,
				`<stdin>:4:3: mrr: negative amount -3`,
				`<stdin>:5:3: mrr: "1.5" is not an integer number of minor units`,
				"4 rows rejected, 1 read",
			}},
		{"header missing column", "customer,date,mrr\n", []string{"mrr", "-"}, exitFindings, []string{
			"<stdin>:1: customer_id: missing column",
			"<stdin>:1:1: customer: unknown column (known: customer_id, date, mrr)",
		}},
		{"unknown column", "customer_id,date,mrr,plan\na,2024-01-01,100,pro\n", []string{"mrr", "-"}, exitFindings, []string{
			"<stdin>:1:4: plan: unknown column (known: customer_id, date, mrr)",
		}},
		{"huge line", "a,2024-01-01,1\nb,2024-01-01," + strings.Repeat("7", 2<<20) + "\n", []string{"mrr", "-"}, exitFindings, []string{
			"<stdin>:2: line longer than 1048576 bytes",
			"1 rows rejected, 1 read",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut)
			}
			if code != exitOK && out != "" {
				t.Errorf("stdout not empty on failure:\n%s", out)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestMRRJSONIsTheLibrarys: --json prints exactly the library's encoding
// of mrr.Bridge. Decoded with json.Unmarshal into the library type it
// equals the bridge the library computes from the same file, and encoding
// that bridge gives the same bytes.
func TestMRRJSONIsTheLibrarys(t *testing.T) {
	tests := []struct {
		name, file string
		method     mrr.Method
		currency   money.Currency
	}{
		{"event", "events.csv", mrr.MethodEvent, "USD"},
		{"net", "events.csv", mrr.MethodNet, "USD"},
		{"eur", "events.csv", mrr.MethodEvent, "EUR"},
		{"all movements event", "all_movements.csv", mrr.MethodEvent, "USD"},
		{"all movements net", "all_movements.csv", mrr.MethodNet, "USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("testdata", "mrr", tt.file)
			code, stdout, stderr := runCLI(t, "", "mrr", "--json", "--method", string(tt.method), "--currency", string(tt.currency), path)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got mrr.Bridge
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			events, err := mrr.ReadEvents(context.Background(), f, path, revenue.WithCurrency(tt.currency))
			if err != nil {
				t.Fatal(err)
			}
			want, err := mrr.NewBridge(context.Background(), events, tt.method, tt.currency)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, &got); diff != "" {
				t.Errorf("CLI JSON decoded (-library +cli):\n%s", diff)
			}
			b, err := json.MarshalIndent(want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if string(b)+"\n" != stdout {
				t.Errorf("CLI JSON is not the library's encoding:\n%s\nlibrary:\n%s", stdout, b)
			}
		})
	}
}
