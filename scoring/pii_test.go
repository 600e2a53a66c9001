package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const piiRules = `version: "1"
fields:
  email: {type: string, pii: true}
  phone: {type: int, pii: true}
  company_size: int
scores:
  fit:
    rules:
      - {id: bank, when: 'email endsWith "@bank.com"', points: 10}
      - {id: big, when: company_size > 100, points: 5}
stages:
  - id: lead
  - id: mql
    when: scores.fit >= 10 && email != ""
`

const planted = "planted-secret@bank.com"

// The value of a pii field never appears in an output, while rules still
// read it.
func TestPIIMasked(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("k1")} {
		var opts []Option
		if key != nil {
			opts = append(opts, WithPIIKey(key))
		}
		rs := mustRules(t, piiRules, opts...)
		res, err := rs.Score(context.Background(), map[string]any{"email": planted, "company_size": 500}, at)
		if err != nil {
			t.Fatal(err)
		}
		// The rule read the real value.
		if v, _ := res.Score("fit"); v != 15 || res.Stage != "mql" {
			t.Fatalf("fit %v stage %s: the rules must still read the value", v, res.Stage)
		}
		b, _ := json.Marshal(res)
		if strings.Contains(string(b), planted) || strings.Contains(string(b), "planted") {
			t.Fatalf("result JSON leaks the value: %s", b)
		}
		// The mask: *** without a key, a stable keyed hash with one.
		in := res.Scores[0].Contributions()[0].Inputs[0]
		want := `"***"`
		if key != nil {
			res2, _ := rs.Score(context.Background(), map[string]any{"email": planted}, at)
			if got := res2.Scores[0].Contributions()[0].Inputs[0].Value.String(); got != in.Value.String() || !strings.HasPrefix(got, `"pii:`) {
				t.Fatalf("keyed mask not stable: %s vs %s", got, in.Value)
			}
			want = in.Value.String()
		}
		if in.Field != "email" || in.Value.String() != want {
			t.Fatalf("input %+v, want the mask %s", in, want)
		}
		// An error about a pii field does not quote it.
		_, err = rs.Score(context.Background(), map[string]any{"phone": "planted-555-0100"}, at)
		if !errors.Is(err, ErrLead) || strings.Contains(err.Error(), "planted") {
			t.Fatalf("lead error: %v", err)
		}
		if got := rs.Redact("email", planted); got == planted {
			t.Fatalf("Redact returned the value")
		}
		if got := rs.Redact("company_size", 500); got != 500 {
			t.Fatalf("Redact of a plain field: %v", got)
		}
	}
}
