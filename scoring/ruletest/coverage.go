package ruletest

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/revengine/revengine/scoring"
)

// Coverage is what the cases of a report exercised, per rules file: for
// every score rule, grade, stage, disqualify and recycle rule, segment and
// route, how many cases hit it (it fired, the lead got it, ended in it)
// and how many did not. An item is covered when at least one case hit it;
// Percent is the covered share of the items.
type Coverage struct {
	RulesFile string         `json:"rules_file"`
	Items     []ItemCoverage `json:"items"`
	Covered   int            `json:"covered"`
	Total     int            `json:"total"`
	Percent   float64        `json:"percent"` // 100 × Covered / Total; 100 for a file without items
}

// ItemCoverage is one item's count of cases that hit it and that did not.
// Cases whose lead was rejected count for neither.
type ItemCoverage struct {
	scoring.Item
	Hit    int `json:"hit"`
	NotHit int `json:"not_hit"`
}

// Coverage computes the coverage of the report's cases, one entry per
// rules file, in the order the suite names them.
func (r *Report) Coverage() []Coverage {
	var out []Coverage
	for _, rs := range r.rules {
		c := Coverage{RulesFile: rs.File()}
		for _, it := range rs.Items() {
			ic := ItemCoverage{Item: it}
			for _, cr := range r.Results {
				if cr.RulesFile != rs.File() || cr.Result == nil {
					continue
				}
				if it.Hit(cr.Result) {
					ic.Hit++
				} else {
					ic.NotHit++
				}
			}
			if ic.Hit > 0 {
				c.Covered++
			}
			c.Items = append(c.Items, ic)
		}
		c.Total = len(c.Items)
		c.Percent = 100
		if c.Total > 0 {
			c.Percent = 100 * float64(c.Covered) / float64(c.Total)
		}
		out = append(out, c)
	}
	return out
}

// WriteText writes the coverage for people: the percentage, then each item
// never hit, then each item never not-hit (always true: a test that cannot
// fail it is missing).
func (c Coverage) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "coverage %s: %d of %d items hit (%.1f%%)\n", c.RulesFile, c.Covered, c.Total, c.Percent)
	items := append([]ItemCoverage(nil), c.Items...)
	sort.SliceStable(items, func(i, j int) bool {
		li, lj := items[i].Line, items[j].Line
		return li != 0 && (lj == 0 || li < lj) // items without a line (a fallback route) last
	})
	for _, it := range items {
		place := fmt.Sprintf("%s:%d", c.RulesFile, it.Line)
		if it.Line == 0 {
			place = c.RulesFile
		}
		switch {
		case it.Hit == 0:
			fmt.Fprintf(&b, "  never hit:  %s: %s %q\n", place, it.Kind, it.ID)
		case it.NotHit == 0 && it.Kind != "stage":
			fmt.Fprintf(&b, "  always hit: %s: %s %q (no case where it does not)\n", place, it.Kind, it.ID)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Merge combines reports of several test files into one, so that coverage
// counts every case that ran against a rules file, whichever file it is in.
func Merge(reports ...*Report) *Report {
	out := &Report{}
	seen := map[string]bool{}
	for _, r := range reports {
		out.Results = append(out.Results, r.Results...)
		out.Passed += r.Passed
		out.Failed += r.Failed
		for _, rs := range r.rules {
			if !seen[rs.File()] {
				seen[rs.File()] = true
				out.rules = append(out.rules, rs)
			}
		}
	}
	return out
}
