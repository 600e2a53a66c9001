package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDashboard runs the dashboard on the shipped data and checks figures
// worked by hand from data/*.csv.
//
// March 2024 starts with acme 699 + brightly 199 + dunmore 199 + eastwind 49
// + fjord 99 + gallant 199 = 1,444.00 (corvid churned in February). Net new
// = hollis 99 + jasper 499 + kestrel 49 = 647.00; the event method adds
// ionic's 199 (new on the 6th, churned on the 27th) to new and to churn:
// 846.00 and 49 + 199 = 248.00. Ending MRR: 1,444 + 647 + 100 (dunmore) +
// 99 (corvid back) − 100 (brightly) − 49 (eastwind) = 2,141.00.
// Marketing spend 900 + 200 + 400 = 1,500.00; 14 leads entered in March →
// cost per lead 1,500/14 = 107.142… → 107.14. CAC = (1,500 + 600)/3 = 700.00.
// Won in March: D-102 1,188 + D-103 2,388 + D-104 5,988 + D-106 588 =
// 10,152.00; sourced D-102 + D-104 = 7,176.00 (70.7%).
// Email in March: delivered 8,820 + 2,950 = 11,770, opens 2,205 + 1,180 =
// 3,385 → open rate 3,385/11,770 = 0.2876…; bounces 230 of 12,000 sent =
// 0.0192 (0.01916…); delivery rate 11,770 / 12,000 = 0.9808.
// Quick ratio (Hamid) on the event bridge: (846 + 100) / (248 + 100) = 2.72;
// with reactivation (846 + 100 + 99) / 348 = 3.00. Customer churn 1/6
// (1 lost of 6 at the start) gives an expected lifetime of 6 months.
func TestDashboard(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, "2024-03"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"starting MRR                  USD 1444.00 |  USD 1444.00",
		"+ new                          USD 846.00 |   USD 647.00",
		"− churn                        USD 248.00 |    USD 49.00",
		"= ending MRR                  USD 2141.00 |  USD 2141.00",
		"marketing spend              USD 1500.00",
		"new leads                    14",
		"cost per lead                USD 107.14  [spend_over_leads]",
		"CAC                          USD 700.00  [fully_loaded]",
		"won revenue                  USD 10152.00",
		"marketing-sourced            USD 7176.00 (70.7%)  [first_touch_marketing]",
		"open rate                    0.288  [over_delivered]",
		"bounce rate                  0.0192  [bounces_over_sent]",
		"delivery rate                0.9808  [delivered_over_sent]",
		"quick ratio (event)          2.72  [mamoon_hamid]",
		"quick ratio (event)          3.00  [with_reactivation]",
		"expected lifetime (months)   6.0  [1 / churn]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dashboard lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), &out, "March"); err == nil {
		t.Error("bad month accepted")
	}
	if err := run(context.Background(), &out, "2023-01"); err == nil {
		t.Error("month without data accepted")
	}
}
