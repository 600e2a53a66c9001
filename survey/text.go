package survey

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as plain text for people: the overview, each
// question, the eNPS trends and the breakdown. Numbers are rounded to one
// decimal; use the Report's fields (or encoding/json) for full precision.
// The layout is not promised to be stable between versions.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	scope := "all waves"
	if r.Wave != "" {
		scope = "wave " + r.Wave
	}
	p("%s (%s), %s\n", r.Survey, r.Cadence, scope)
	p("responses %d from %d respondents", r.Responses, r.Respondents)
	if r.ResponseRate != nil {
		p("; invited %d, response rate %s%%", r.Invited, f1(100**r.ResponseRate))
	}
	p("\nrows read %d, accepted %d, rejected %d\n", r.Read, r.Accepted, r.Rejected)
	p("anonymity threshold %d respondents", r.Threshold)
	if r.MinGroupSize > 0 {
		p(" (the survey's minimum %d)", r.MinGroupSize)
	}
	p("; intervals at %s%% confidence\n", trimFloat(100*r.Level))
	if len(r.Waves) > 0 {
		p("pooled waves: %s", strings.Join(r.Waves, ", "))
		if r.RepeatRespondents > 0 {
			p("; %d respondents answered more than one, and their answers are not independent: the pooled intervals are too narrow (see the trend, or --wave, for one wave)", r.RepeatRespondents)
		}
		p("\n")
	}
	level := trimFloat(100*r.Level) + "%"
	if r.Suppressed != "" {
		p("\nsuppressed: fewer than %d respondents\n", r.Threshold)
	}
	for _, q := range r.Questions {
		p("\n")
		writeQuestion(bw, q, "", level)
	}
	for _, t := range r.Trends {
		p("\ntrend of %s by wave\n", t.Question)
		p("  %-12s %5s %7s  %-17s %-17s %7s %7s\n", "wave", "n", "eNPS", "Wald "+level, "adj. Wald "+level, "change", "p")
		for _, ws := range t.Waves {
			if ws.Suppressed != "" {
				p("  %-12s %s\n", ws.Wave, suppressedText(ws.Suppressed, r.Threshold))
				continue
			}
			if ws.NPS == nil {
				p("  %-12s %5d %7s\n", ws.Wave, ws.Respondents, "-")
				continue
			}
			change, pv := "", ""
			if ws.Change != nil {
				change, pv = signed(ws.Change.Delta), pValue(ws.Change.P)
			}
			line := fmt.Sprintf("  %-12s %5d %7s  %-17s %-17s %7s %7s", ws.Wave, ws.NPS.N, signed(ws.NPS.Score),
				interval(ws.Wald), interval(ws.AdjustedWald), change, pv)
			p("%s\n", strings.TrimRight(line, " "))
		}
	}
	if r.Breakdown != nil {
		p("\nbreakdown by %s\n", r.Breakdown.By)
		writeSummary(bw, r, level)
		for _, g := range r.Breakdown.Groups {
			name := g.Value
			if name == "" {
				name = "(blank)"
			}
			if g.Suppressed != "" {
				p("\n%s = %s: %s\n", r.Breakdown.By, name, suppressedText(g.Suppressed, r.Threshold))
				continue
			}
			p("\n%s = %s: %d responses from %d respondents\n", r.Breakdown.By, name, g.Responses, g.Respondents)
			for _, q := range g.Questions {
				writeQuestion(bw, q, "  ", level)
			}
		}
	}
	return bw.Flush()
}

func writeQuestion(w io.Writer, q QuestionStats, indent, level string) {
	p := func(format string, a ...any) { fmt.Fprintf(w, indent+format, a...) }
	p("%s (%s): answered %d, skipped %d", q.ID, q.Kind, q.Answered, q.Skipped)
	if q.Mean != nil {
		fmt.Fprintf(w, ", mean %s", f2(*q.Mean))
	}
	if q.Favourable != nil {
		fmt.Fprintf(w, ", favourable %s%%", f1(100**q.Favourable))
		if q.Neutral != nil && q.Unfavourable != nil {
			fmt.Fprintf(w, ", neutral %s%%, unfavourable %s%%", f1(100**q.Neutral), f1(100**q.Unfavourable))
		}
	}
	fmt.Fprintln(w)
	if q.NPS != nil {
		n := q.NPS
		p("  eNPS %s: promoters %d (%s%%), passives %d (%s%%), detractors %d (%s%%); SE %s\n",
			signed(n.Score), n.Promoters, f1(100*n.PromoterShare), n.Passives, f1(100*n.PassiveShare),
			n.Detractors, f1(100*n.DetractorShare), f1(n.StdErr))
		p("  %s interval: Wald %s, adjusted Wald %s\n", level, interval(q.Wald), interval(q.AdjustedWald))
	}
	if len(q.Distribution) > 0 {
		parts := make([]string, len(q.Distribution))
		for i, b := range q.Distribution {
			parts[i] = fmt.Sprintf("%s: %d", b.Answer, b.Count)
		}
		sep := "  "
		if q.Kind == Choice {
			sep = "; "
		}
		p("  %s\n", strings.Join(parts, sep))
	}
	for _, c := range q.Comments {
		p("  - %s\n", strings.ReplaceAll(c, "\n", " "))
	}
}

func suppressedText(s Suppression, threshold int) string {
	if s == Complementary {
		return "suppressed (complementary: the total would reveal the hidden groups by subtraction)"
	}
	return fmt.Sprintf("suppressed (fewer than %d respondents)", threshold)
}

func interval(iv *Interval) string {
	if iv == nil {
		return "-"
	}
	return fmt.Sprintf("[%s, %s]", f1(iv.Lower), f1(iv.Upper))
}

// f1 formats with one decimal, never printing "-0.0".
func f1(x float64) string {
	if math.Abs(x) < 0.05 {
		x = 0
	}
	return fmt.Sprintf("%.1f", x)
}

func f2(x float64) string {
	if math.Abs(x) < 0.005 {
		x = 0
	}
	return fmt.Sprintf("%.2f", x)
}

func signed(x float64) string {
	if math.Abs(x) < 0.05 {
		return "0.0"
	}
	return fmt.Sprintf("%+.1f", x)
}

func pValue(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

func trimFloat(x float64) string {
	s := fmt.Sprintf("%.4f", x)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// writeSummary writes one line per group: respondents, then each eNPS
// question's score and adjusted-Wald interval and each Likert question's
// % favourable, aligned in columns; suppressed groups show only why.
func writeSummary(w io.Writer, r *Report, level string) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	head := []string{r.Breakdown.By, "respondents"}
	var cols []int // question indexes shown
	anySuppressed := false
	for _, g := range r.Breakdown.Groups {
		anySuppressed = anySuppressed || g.Suppressed != ""
	}
	for _, g := range r.Breakdown.Groups {
		if g.Suppressed != "" {
			continue
		}
		for i, q := range g.Questions {
			switch q.Kind {
			case ENPS:
				head = append(head, q.ID+" eNPS", "adj. Wald "+level)
				cols = append(cols, i, i)
			case Likert:
				head = append(head, q.ID+" favourable")
				cols = append(cols, i)
			}
		}
		break
	}
	if anySuppressed {
		head = append(head, "note")
	}
	fmt.Fprintf(tw, "  %s\n", strings.Join(head, "\t"))
	for _, g := range r.Breakdown.Groups {
		name := g.Value
		if name == "" {
			name = "(blank)"
		}
		row := []string{name}
		if g.Suppressed != "" {
			row = append(row, "-")
			for range cols {
				row = append(row, "-")
			}
			reason := fmt.Sprintf("suppressed: fewer than %d respondents", r.Threshold)
			if g.Suppressed == Complementary {
				reason = "suppressed: complementary"
			}
			row = append(row, reason)
			fmt.Fprintf(tw, "  %s\n", strings.Join(row, "\t"))
			continue
		}
		row = append(row, fmt.Sprint(g.Respondents))
		for k, i := range cols {
			q := g.Questions[i]
			switch {
			case q.Kind == ENPS && (k == 0 || cols[k-1] != i):
				score := "-"
				if q.NPS != nil {
					score = signed(q.NPS.Score)
				}
				row = append(row, score)
			case q.Kind == ENPS:
				row = append(row, interval(q.AdjustedWald))
			case q.Kind == Likert:
				fav := "-"
				if q.Favourable != nil {
					fav = f1(*q.Favourable) + "%"
				}
				row = append(row, fav)
			}
		}
		if anySuppressed {
			row = append(row, "")
		}
		fmt.Fprintf(tw, "  %s\n", strings.Join(row, "\t"))
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		io.WriteString(w, strings.TrimRight(line, " \n")+"\n")
	}
}
