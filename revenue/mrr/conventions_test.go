package mrr

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/revengine/revengine/revenue"
)

// TestReadEventsConventions: the behaviours every revenue reader shares,
// through ReadEvents' public API: a byte order mark, CRLF, amounts with a
// leading "+" or spaces, and a bound on the line length that reports the
// line and goes on.
func TestReadEventsConventions(t *testing.T) {
	huge := "b,2024-01-05," + strings.Repeat("9", 2<<20) // 2 MiB: over the 1 MiB default
	tests := []struct {
		name    string
		in      string
		opts    []revenue.ReadOption
		want    []Event
		wantErr []string
		is      error
	}{
		{"BOM before the header, CRLF", "\ufeffcustomer_id,date,mrr\r\na,2024-01-05,1000\r\n", nil,
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}}, nil, nil},
		{"BOM without a header", "\ufeffa,2024-01-05,1000\n", nil,
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 1}}, nil, nil},
		{"plus sign and spaces read alike", "a,2024-01-05,+1000\nb,2024-01-05, +1000 \nc,2024-01-05,1000\n", nil,
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 1}, {CustomerID: "b", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}, {CustomerID: "c", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 3}}, nil, nil},
		{"huge line reported, the rest read", "a,2024-01-05,1\n" + huge + "\nc,2024-01-06,2\n", nil,
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1), Line: 1}, {CustomerID: "c", Date: revenue.Date(2024, 1, 6), MRR: usd(2), Line: 3}},
			[]string{"e.csv:2: line longer than 1048576 bytes"}, revenue.ErrLineTooLong},
		{"MaxRecordBytes", "a,2024-01-05,1\nb,2024-01-05," + strings.Repeat("1", 40) + "\n", []revenue.ReadOption{revenue.MaxRecordBytes(32)},
			[]Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1), Line: 1}},
			[]string{"e.csv:2: line longer than 32 bytes"}, revenue.ErrLineTooLong},
		{"MaxErrors", "x,1,1\ny,2,2\nz,3,3\n", []revenue.ReadOption{revenue.MaxErrors(2)}, nil,
			[]string{`e.csv: more than 2 problems; giving up`, `e.csv:1:2: date: date "1" is not YYYY-MM-DD`, `e.csv:2:2: date: date "2" is not YYYY-MM-DD`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvents(context.Background(), strings.NewReader(tt.in), "e.csv", tt.opts...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			var msgs []string
			var list revenue.Errors
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("err = %v, want revenue.Errors", err)
			}
			for _, e := range list {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.wantErr, msgs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
		})
	}
}

// TestScanEvents: the iterator yields what ReadEvents returns, in order,
// with each problem in its place, and stops when the caller does.
func TestScanEvents(t *testing.T) {
	in := "customer_id,date,mrr\na,2024-01-05,1000\nb,bad,1\nc,2024-02-01,0\n"
	var got []Event
	var errs []string
	for e, err := range ScanEvents(context.Background(), strings.NewReader(in), "e.csv") {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		got = append(got, e)
	}
	want := []Event{{CustomerID: "a", Date: revenue.Date(2024, 1, 5), MRR: usd(1000), Line: 2}, {CustomerID: "c", Date: revenue.Date(2024, 2, 1), MRR: usd(0), Line: 4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`e.csv:3:2: date: date "bad" is not YYYY-MM-DD`}, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	n := 0
	for range ScanEvents(context.Background(), strings.NewReader(in), "e.csv") {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break: %d iterations", n)
	}
	for _, err := range ScanEvents(context.Background(), strings.NewReader(in), "e.csv", revenue.WithCurrency("usd")) {
		if err == nil {
			t.Fatal("invalid currency: no error")
		}
	}
}
