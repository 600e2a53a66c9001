package goal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadActualsHeader(t *testing.T) {
	in := "\ufeffamount_minor,date\n5,2024-01-02\n7,2024-01-03\n"
	got, err := ReadActuals(context.Background(), strings.NewReader(in), "h.csv")
	if err != nil || len(got) != 2 || got[1].Amount.Amount != 7 || got[1].Date.Day() != 3 {
		t.Fatalf("got %v, %v", got, err)
	}
	for name, in := range map[string]string{
		"unknown column": "date,amount_minor,channel\n2024-01-02,5,web\n",
		"missing column": "date,currency\n2024-01-02,USD\n",
		"short row":      "date,amount_minor\n2024-01-02\n",
		"bare quote":     "2024-01-02,5\"x\n",
	} {
		if _, err := ReadActuals(context.Background(), strings.NewReader(in), "h.csv"); err == nil || !strings.HasPrefix(err.Error(), "h.csv:") {
			t.Errorf("%s: err = %v, want a positioned error", name, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"q1.yaml", "weights.yaml", "workdays.yaml", "zero.yaml", "bad_target.yaml", "year.yaml", "bad_weights.yaml", "bad_yaml.yaml", "bad_calendar.yaml", "missing.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("period: 2024-01-01..2024-01-01\namount_minor: 1\ncurrency: JPY\nby: none\n"))
	f.Add([]byte("[1, 2]"))
	f.Add([]byte("a: &a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		var sum int64
		for _, p := range spec.Plan.Parts {
			sum += p.Amount.Amount
		}
		if sum != spec.Target.Amount.Amount {
			t.Errorf("split adds up to %d, target %d", sum, spec.Target.Amount.Amount)
		}
	})
}

func FuzzReadActuals(f *testing.F) {
	for _, name := range []string{"actuals.csv", "bad_actuals.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("amount_minor,date\n5,2024-01-02\n"))
	f.Add([]byte("\"2024-01-02\n,5"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadActuals(context.Background(), strings.NewReader(string(data)), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		for _, a := range got {
			if a.Amount.Amount < 0 || a.Amount.Currency != "USD" {
				t.Errorf("accepted %v", a)
			}
		}
	})
}
