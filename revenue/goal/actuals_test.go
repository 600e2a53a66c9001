package goal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// TestReadActuals: the actuals reader through its public API: the shared
// conventions (BOM, CRLF, "+", a huge line, unknown columns, comments) and
// its own rules (an optional currency column that must match).
func TestReadActuals(t *testing.T) {
	huge := "2024-01-03," + strings.Repeat("1", 2<<20) // 2 MiB: over the 1 MiB default
	act := func(d int, a int64) Actual { return Actual{Date: revenue.Date(2024, 1, d), Amount: usd(a)} }
	tests := []struct {
		name     string
		in       string
		opts     []revenue.ReadOption
		want     []Actual
		wantErrs []string
		is       error
	}{
		{"BOM, CRLF, comment", "\ufeffdate,amount_minor\r\n# refunds netted\r\n2024-01-02,500\r\n", nil, []Actual{act(2, 500)}, nil, nil},
		{"BOM without header", "\ufeff2024-01-02,500\n", nil, []Actual{act(2, 500)}, nil, nil},
		{"plus and spaces", "2024-01-02,+500\n2024-01-03, +500 \n", nil, []Actual{act(2, 500), act(3, 500)}, nil, nil},
		{"currency column", "2024-01-02,500,USD\n2024-01-03,700\n2024-01-04,900,EUR\n", nil, []Actual{act(2, 500), act(3, 700)},
			[]string{`a.csv:3:3: currency: "EUR", but the target is in USD (mixed currencies)`}, money.ErrInvalidInput},
		{"target currency", "2024-01-02,500,EUR\n", []revenue.ReadOption{revenue.WithCurrency("EUR")},
			[]Actual{{Date: revenue.Date(2024, 1, 2), Amount: money.New(500, "EUR")}}, nil, nil},
		{"huge line", "2024-01-02,1\n" + huge + "\n2024-01-04,4\n", nil, []Actual{act(2, 1), act(4, 4)},
			[]string{"a.csv:2: line longer than 1048576 bytes"}, revenue.ErrLineTooLong},
		{"unknown column", "date,amount_minor,channel\n2024-01-02,5,web\n", nil, nil,
			[]string{"a.csv:1:3: channel: unknown column (known: date, amount_minor, currency)"}, revenue.ErrSyntax},
		{"zero date", "0001-01-01,5\n", nil, nil, []string{`a.csv:1:1: date: "0001-01-01" is not a date YYYY-MM-DD`}, money.ErrInvalidInput},
		{"too many fields", "2024-01-02,5,USD,x\n", nil, nil, []string{"a.csv:1:4: 4 fields, want 2 to 3 (date,amount_minor,currency; no header)"}, revenue.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadActuals(context.Background(), strings.NewReader(tt.in), "a.csv", tt.opts...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("actuals (-want +got):\n%s", diff)
			}
			var list revenue.Errors
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("err = %v, want revenue.Errors", err)
			}
			var msgs []string
			for _, e := range list {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.wantErrs, msgs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
		})
	}
	var n int
	for a, err := range ScanActuals(context.Background(), strings.NewReader("2024-01-02,5\nbad,1\n"), "a.csv") {
		n++
		if n == 1 && (err != nil || a != act(2, 5)) {
			t.Errorf("first: %v, %v", a, err)
		}
		if n == 2 && err == nil {
			t.Errorf("second: no error")
		}
	}
	if n != 2 {
		t.Errorf("%d items, want 2", n)
	}
}

// TestLoad: the target file through Load, LoadFile and Parse: every
// problem at once with its position, the size bound, a file that is not a
// mapping, and the errors.Is / errors.As contract.
func TestLoad(t *testing.T) {
	spec, err := LoadFile("testdata/q1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// q1.yaml: 9,100.00 over Q1 2024 by month, split by days: 31, 29, 31
	// days of 91 give 3,100.00, 2,900.00, 3,100.00 exactly.
	q1, _ := revenue.Quarter(2024, 1)
	if spec.Target != (Target{q1, usd(910000)}) || spec.By != "month" || spec.Method != MethodLinear ||
		spec.Pipeline == nil || spec.Pipeline.WinRate != 0.25 || spec.Pipeline.AverageDeal != usd(100000) {
		t.Errorf("spec = %+v", spec)
	}
	var parts []money.Money
	for _, p := range spec.Plan.Parts {
		parts = append(parts, p.Amount)
	}
	if diff := cmp.Diff([]money.Money{usd(310000), usd(290000), usd(310000)}, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	tests := []struct {
		name string
		src  string
		opts []LoadOption
		want []string
		is   error
	}{
		{"every problem, sorted", "currency: usd\nperiod: 2024-13\nfoo: 1\nperiod: 2024\n", nil, []string{
			`t.yaml:1:1: amount_minor: missing`,
			`t.yaml:1:11: currency: "usd" is not a three-letter upper-case ISO 4217 code`,
			`t.yaml:2:9: period: "2024-13" is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD`,
			`t.yaml:3:1: foo: unknown key (want period, amount_minor, currency, by, split, weights, weekend, holidays, pace, win_rate, average_deal_minor)`,
			`t.yaml:4:1: period: repeated key`,
		}, ErrSpec},
		{"not a mapping", "- 1\n- 2\n", nil, []string{"t.yaml:1:1: the target file must be a mapping of keys to values"}, ErrSpec},
		{"empty", "", nil, []string{"t.yaml:1:1: empty target file"}, ErrSpec},
		{"too large", "period: 2024\n", []LoadOption{MaxSourceBytes(5)}, []string{"t.yaml: larger than 5 bytes"}, revenue.ErrLineTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.src), "t.yaml", tt.opts...)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(strings.Join(tt.want, "\n"), err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
			var e *revenue.Error
			if !errors.As(err, &e) || e.File != "t.yaml" {
				t.Errorf("errors.As: %+v", e)
			}
		})
	}
}
