package mrr

func TestReadEvents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"header", "customer_id,date,mrr\na,2024-01-05,1000\nb,2024-02-01,0\n",
			[]Event{{"a", Date(2024, 1, 5), usd(1000), 2}, {"b", Date(2024, 2, 1), usd(0), 3}}},
		{"no header", "a,2024-01-05,1000\n", []Event{{"a", Date(2024, 1, 5), usd(1000), 1}}},
		{"reordered header, extra column, spaces, BOM", "\ufeffmrr, note ,date,customer_id\n 1000 ,x, 2024-01-05 , a \n",
			[]Event{{"a", Date(2024, 1, 5), usd(1000), 2}}},
		{"blank lines", "customer_id,date,mrr\n\na,2024-01-05,1\n\n", []Event{{"a", Date(2024, 1, 5), usd(1), 3}}},
		{"quoted id with comma", "customer_id,date,mrr\n\"acme, inc\",2024-01-05,1\n", []Event{{"acme, inc", Date(2024, 1, 5), usd(1), 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvents(context.Background(), strings.NewReader(tt.in), "e.csv", "USD")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadEventsErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		valid int
		want  []string
	}{
		{"every problem, in line order",
			"customer_id,date,mrr\na,2024-01-05,100\n,2024-02-30,x\nb,24-01-01,-1\nc,2024-01-01\nd,2024-1-5,5\n", 1,
			[]string{
				`e.csv:3:1: customer_id: empty customer_id`,
				`e.csv:3:2: date: date "2024-02-30" is not a valid YYYY-MM-DD date`,
				`e.csv:3:3: mrr: "x" is not an integer number of minor units`,
				`e.csv:4:2: date: date "24-01-01" is not YYYY-MM-DD`,
				`e.csv:4:3: mrr: negative amount -1`,
				`e.csv:5:2: mrr: 2 fields, no mrr`,
				`e.csv:6:2: date: date "2024-1-5" is not YYYY-MM-DD`,
			}},
		{"bad quote", "customer_id,date,mrr\n\"a,2024-01-01,1\n", 0, []string{`e.csv:2:17: extraneous or missing " in quoted-field`}},
		{"header lacks column", "customer_id,day,mrr\na,2024-01-01,1\n", 0, []string{"e.csv:1:1: date: header lacks column date"}},
		{"empty", "", 0, []string{"e.csv:1: no events"}},
		{"extra field without header", "a,2024-01-01,1\nb,2024-01-01,2,oops\n", 1, []string{"e.csv:2:4: 4 fields, want 3 (no header)"}},
		{"overflow", "a,2024-01-01,99999999999999999999\n", 0, []string{`e.csv:1:3: mrr: "99999999999999999999" is not an integer number of minor units`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEvents(context.Background(), strings.NewReader(tt.in), "e.csv", "USD")
			var pe ParseErrors
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want ParseErrors", err)
			}
			if !errors.Is(err, money.ErrInvalidInput) {
				t.Errorf("errors.Is(ErrInvalidInput) false")
			}
			if len(got) != tt.valid {
				t.Errorf("%d valid rows, want %d", len(got), tt.valid)
			}
			var msgs []string
			for _, e := range pe {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.want, msgs); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ReadEvents(context.Background(), strings.NewReader(""), "e.csv", "usd"); !errors.Is(err, money.ErrInvalidCurrency) {
		t.Errorf("currency: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := strings.Repeat("a,2024-01-01,1\n", 3000)
	if _, err := ReadEvents(ctx, strings.NewReader(big), "e.csv", "USD"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func FuzzReadEvents(f *testing.F) {
	f.Add("customer_id,date,mrr\na,2024-01-05,1000\nb,2024-02-01,0\n")
	f.Add("a,2024-01-05,1000\na,2024-01-05,0\n")
	f.Add("\"a\nb\",2024-01-01,1\n")
	f.Add("mrr,date,customer_id\n-1,2024-02-30,\n")
	f.Add("a,2024-01-01,9223372036854775807\nb,2024-01-02,9223372036854775807\n")
	f.Add("a,1999-12-31,1\nb,2001-01-02,0\n")
	f.Fuzz(func(t *testing.T, data string) {
		evs, err := ReadEvents(context.Background(), strings.NewReader(data), "f.csv", "USD")
		var lines []int
		for _, e := range evs {
			lines = append(lines, e.Line)
		}
		fuzzCheck(t, data, lines, err)
		if err == nil && len(evs) > 0 && len(evs) < 200 && spanYears(evs) <= 50 {
			// Bridges of valid logs must reconcile or fail cleanly (overflow).
			for _, m := range []Method{MethodEvent, MethodNet} {
				if b, err := MRRBridge(context.Background(), evs, m, "USD"); err == nil {
					for _, mo := range b.Months {
						if mo.StartingMRR.Amount+mo.New.Amount+mo.Expansion.Amount+mo.Reactivation.Amount-
							mo.Contraction.Amount-mo.Churn.Amount != mo.EndingMRR.Amount {
							t.Fatalf("%s %s does not reconcile", m, mo.Month)
						}
					}
				} else if !errors.Is(err, money.ErrOverflow) {
					t.Fatalf("bridge of valid events: %v", err)
				}
			}
		}
	})
}

// spanYears is the number of years between the earliest and latest event,
// to keep fuzzed bridges (one row per month) small.
func spanYears(evs []Event) int {
	lo, hi := evs[0].Date.Year(), evs[0].Date.Year()
	for _, e := range evs {
		lo, hi = min(lo, e.Date.Year()), max(hi, e.Date.Year())
	}
	return hi - lo
}
