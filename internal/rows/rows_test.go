package rows

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/revengine/revengine/internal/csvio"
	"github.com/revengine/revengine/internal/diag"
)

func TestParseMinor(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"0", 0, ""},
		{" 1250 ", 1250, ""},
		{"+7", 7, ""},
		{"9223372036854775807", 1<<63 - 1, ""},
		{"-1", 0, "negative amount -1"},
		{"++7", 0, `"++7" is not an integer number of minor units`},
		{"+-7", 0, `"+-7" is not an integer number of minor units`},
		{"12.50", 0, `"12.50" is not an integer number of minor units`},
		{"9223372036854775808", 0, "is not an integer number of minor units"}, // 2^63 overflows int64
		{"", 0, `"" is not an integer`},
	} {
		got, err := ParseMinor(tt.in)
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseMinor(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseMinor(%q) error %v, want %q", tt.in, err, tt.wantErr)
		}
	}
	if v, err := ParseSigned("-42"); err != nil || v != -42 {
		t.Errorf("ParseSigned(-42) = %d, %v", v, err)
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"2026-02-28", true}, {"2024-02-29", true}, // 2024 is a leap year
		{"2026-02-29", false}, {"2026-1-01", false}, {"0001-01-01", false}, {"2026-01-01T00:00:00Z", false},
	} {
		d, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || (tt.ok && d.Format("2006-01-02") != tt.in) {
			t.Errorf("ParseDate(%q) = %v, %v; want ok %v", tt.in, d, err, tt.ok)
		}
	}
}

var testCols = []csvio.Column{{Name: "id", Required: true}, {Name: "amount", Required: true}, {Name: "note"}}

type item struct {
	id     string
	amount int64
	line   int
}

func readItems(t *testing.T, in string, spec Spec) ([]item, error) {
	t.Helper()
	cfg, err := Configure[func(*Config)](nil)
	if err != nil {
		t.Fatal(err)
	}
	spec.Columns = testCols
	return Collect("t.csv", cfg, All(context.Background(), strings.NewReader(in), "t.csv", cfg, spec, func(r *Row) (item, bool) {
		id, ok := r.Text(0)
		v, ok2 := r.Minor(1)
		return item{id, v, r.Line()}, ok && ok2
	}))
}

func TestAll(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		spec    Spec
		want    []item
		wantErr []string
	}{
		{"header any order and case", "Amount,ID\n5,a\n7,b\n", Spec{}, []item{{"a", 5, 2}, {"b", 7, 3}}, nil},
		{"positional with optional tail", "a,5\nb,7,x\n", Spec{OptionalTail: 1}, []item{{"a", 5, 1}, {"b", 7, 2}}, nil},
		{"positional too short", "a\n", Spec{OptionalTail: 1}, nil, []string{"t.csv:1:2: 1 fields, want 2 to 3 (id,amount,note; no header)"}},
		{"header required", "a,5\n", Spec{HeaderRequired: true}, nil, []string{"t.csv:1: id: missing column", "t.csv:1: amount: missing column",
			"t.csv:1:1: a: unknown column", "t.csv:1:2: 5: unknown column"}},
		{"every bad row reported", "id,amount\na,-1\n,3\nc,4\nd,4,extra\n", Spec{}, []item{{"c", 4, 4}},
			[]string{"t.csv:2:2: amount: negative amount -1", "t.csv:3:1: id: empty id", "t.csv:5:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readItems(t, tt.in, tt.spec)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v (err %v)", got, tt.want, err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("item %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			var l diag.List
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Errorf("err %v", err)
				}
				return
			}
			if !errors.As(err, &l) || len(l) != len(tt.wantErr) {
				t.Fatalf("err %v, want %d problems", err, len(tt.wantErr))
			}
			for i, w := range tt.wantErr {
				if !strings.HasPrefix(l[i].Error(), w) {
					t.Errorf("problem %d = %q, want prefix %q", i, l[i].Error(), w)
				}
			}
		})
	}
}

func TestCollectLimit(t *testing.T) {
	cfg := Config{Currency: DefaultCurrency, MaxErrors: 2}
	in := "id,amount\na,x\nb,x\nc,x\n"
	_, err := Collect("t.csv", cfg, All(context.Background(), strings.NewReader(in), "t.csv", cfg, Spec{Columns: testCols},
		func(r *Row) (int64, bool) { return r.Minor(1) }))
	var l diag.List
	if !errors.As(err, &l) || len(l) != 3 || !strings.Contains(l[0].Error(), "more than 2 problems") || l[2].Line != 3 {
		t.Fatalf("err %v", err)
	}
	if !errors.Is(err, diag.ErrInvalidInput) {
		t.Errorf("err %v does not match ErrInvalidInput", err)
	}
}

func TestRowsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range Rows(ctx, strings.NewReader("id,amount\na,1\n"), "t.csv", Config{}, Spec{Columns: testCols}) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
		return
	}
	t.Error("no error for a cancelled context")
}

// FuzzAll: any input gives values or positioned problems, never a panic,
// and every data line is either a value or at least one problem.
func FuzzAll(f *testing.F) {
	for _, s := range []string{"id,amount\na,5\n", "a,5,x\n", "id,amount\n\"a,5\n", "\xEF\xBB\xBFid,amount\r\na,-1\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cfg := Config{Currency: DefaultCurrency}
		for v, err := range All(context.Background(), strings.NewReader(in), "f.csv", cfg, Spec{Columns: testCols, OptionalTail: 1},
			func(r *Row) (item, bool) {
				id, ok := r.Text(0)
				v, ok2 := r.Minor(1)
				return item{id, v, r.Line()}, ok && ok2
			}) {
			if err != nil {
				var e *diag.Error
				if !errors.As(err, &e) && !errors.Is(err, diag.ErrLineTooLong) {
					t.Fatalf("unpositioned error %T %v", err, err)
				}
				continue
			}
			if v.id == "" || v.amount < 0 || v.line < 1 {
				t.Fatalf("bad value %+v", v)
			}
		}
	})
}
