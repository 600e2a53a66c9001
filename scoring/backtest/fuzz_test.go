package backtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/revengine/revengine/scoring"
)

// FuzzReadLeads checks the JSON lines / JSON array reader against
// independent oracles: for lines, splitting on '\n'; for an array that
// encoding/json's Unmarshal accepts, its elements. It must never panic or
// hang, and line numbers must increase and stay inside the input.
func FuzzReadLeads(f *testing.F) {
	for _, seed := range []string{
		"",
		"{}\n{}\n",
		"{\"a\":1}\r\n\r\n{\"b\":2}",
		"[]",
		"[\n{\"a\":1},\n{\"b\":2}\n]\n",
		"  \n [ {\"a\": [1, 2]} , 3, \"x\", null ]",
		"[1 2]",
		"[{},]",
		"[{}] x",
		"[",
		"\xEF\xBB\xBF[{}]",
		"\xEF\xBB\xBF{}\n",
		"[\"" + string(bytes.Repeat([]byte("y"), 100)) + "\"]",
		string(bytes.Repeat([]byte("z"), 100)) + "\n{}",
	} {
		f.Add([]byte(seed))
	}
	const max = 64
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []rawLead
		err := readLeads(context.Background(), bytes.NewReader(data), "f", max, func(rl rawLead) error {
			got = append(got, rl)
			return nil
		})
		lines := bytes.Count(data, []byte("\n")) + 1
		prev := 0
		for _, rl := range got {
			if rl.line < prev || rl.line < 1 || rl.line > lines { // array elements may share a line
				t.Fatalf("line %d after %d, input has %d lines", rl.line, prev, lines)
			}
			prev = rl.line
			if (rl.err == nil) == (rl.data == nil) {
				t.Fatalf("line %d: want exactly one of data and err (err %v)", rl.line, rl.err)
			}
		}
		var ie *scoring.Error
		if errors.As(err, &ie) && (ie.Line < 1 || ie.Line > lines || ie.Column < 0) {
			t.Fatalf("input error outside the input: %v", ie)
		}

		body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		trimmed := body[skipSpace(body, 0):]
		if len(trimmed) > 0 && trimmed[0] == '[' {
			var elems []json.RawMessage
			if json.Unmarshal(body, &elems) != nil {
				if err == nil {
					t.Fatalf("invalid array read without error: %q", data)
				}
				if ie == nil {
					t.Fatalf("invalid array: err = %v, want an *InputError", err)
				}
				return
			}
			if len(data) > 4096 { // the hard bound on bytes between elements may apply
				return
			}
			if err != nil {
				t.Fatalf("valid array: %v", err)
			}
			if len(got) != len(elems) {
				t.Fatalf("%d leads, want %d", len(got), len(elems))
			}
			for i, e := range elems {
				switch {
				case len(e) > max:
					if !errors.Is(got[i].err, scoring.ErrLineTooLong) {
						t.Fatalf("element %d of %d bytes: err = %v", i, len(e), got[i].err)
					}
				case !bytes.Equal(got[i].data, e):
					t.Fatalf("element %d = %q, want %q", i, got[i].data, e)
				}
			}
			return
		}

		// JSON lines: every line that is not JSON white space only is a lead.
		if err != nil && len(data) > 64*max {
			return // a line with no end within 64 × the bound ends the read
		}
		if err != nil {
			t.Fatalf("lines: %v", err)
		}
		var want [][]byte
		var wantLines []int
		for i, l := range bytes.Split(body, []byte("\n")) {
			l = bytes.TrimSuffix(l, []byte("\r"))
			if skipSpace(l, 0) == len(l) {
				continue
			}
			want = append(want, l)
			wantLines = append(wantLines, i+1)
		}
		if len(got) != len(want) {
			t.Fatalf("%d leads, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].line != wantLines[i] {
				t.Fatalf("lead %d on line %d, want %d", i, got[i].line, wantLines[i])
			}
			if got[i].err != nil {
				if !errors.Is(got[i].err, scoring.ErrLineTooLong) || len(want[i]) <= max {
					t.Fatalf("line %d (%d bytes): err = %v", wantLines[i], len(want[i]), got[i].err)
				}
				continue
			}
			w := want[i]
			if i == 0 {
				w = w[skipSpace(w, 0):] // leading white space of the input is skipped before the first line
			}
			if !bytes.Equal(got[i].data, w) {
				t.Fatalf("line %d = %q, want %q", wantLines[i], got[i].data, w)
			}
		}
	})
}

// FuzzRun runs the whole backtest of the fixture on arbitrary input: no
// panic, the counts add up, and the report always encodes to JSON (which
// fails on NaN or ±Inf, so none leaks out).
func FuzzRun(f *testing.F) {
	oldRules, newRules, leads := loadFixture(f)
	f.Add(leads)
	f.Add([]byte(`[{"fit": 55, "outcome": 1e300}, {"fit": -1e308, "outcome": -5}]`))
	f.Add([]byte(`{"fit": 9007199254740993, "outcome": "won", "events": 3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Run(context.Background(), oldRules, newRules, bytes.NewReader(data), "leads.jsonl", fixtureAt,
			WithOutcomes("outcome"), MaxLineBytes(256), WithWorkers(2))
		if err != nil {
			if !errors.Is(err, ErrInput) {
				t.Fatalf("err = %v, want nil or ErrInput", err)
			}
			return
		}
		c := rep.Counts
		if c.Read != c.Compared+c.RejectedOldOnly+c.RejectedNewOnly+c.RejectedBoth || len(rep.Rejected) != c.Read-c.Compared {
			t.Fatalf("counts do not add up: %+v, %d rejections", c, len(rep.Rejected))
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}
	})
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
