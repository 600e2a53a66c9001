package scoring

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Explain returns the result as text for people: why the lead is in its
// stage, each score with its value and every rule that contributed (its
// id, the points with their sign, how many events matched for per-event
// rules, whether the rule's cap cut it, and the lead values it read), the
// rule that set the stage and the values it read, the handoff SLA, the
// route, and the rule set's version and hash. For example:
//
//	why L-1001 is mql (grade A, segments: enterprise-fintech):
//	  fit 96.0
//	    enterprise-size     +25.0  company_size=4200
//	    modern-stack         +6.0  (capped)  tech_stack=["salesforce","snowflake","segment"]
//	  engagement 60.2
//	    pricing-page         +9.5  (2 events)
//	  stage lead → mql, set by mql: scores.fit=96 scores.engagement=60.2250586482636
//	  SLA 24h: entered 2026-11-23T09:00:00Z, due 2026-11-24T09:00:00Z, not breached
//	  routed by enterprise to owner ana (weighted: hash of lead id mod 3)
//	  rules quickstart version 2026.11.1 (sha256:894b…), evaluated at 2026-11-23T09:00:00Z
//
// Points and score values are rounded to one decimal; the values a rule
// read are printed in full. The text depends only on the Result, so the
// same result always gives the same bytes, but its wording is for people
// and may change between releases: programs should read the Result's
// fields (or its JSON) instead.
func (r *Result) Explain() string {
	var b strings.Builder
	r.writeExplain(&b)
	return b.String()
}

// WriteExplain writes Explain's text to w and returns the first write
// error.
func (r *Result) WriteExplain(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r.writeExplain(bw)
	return bw.Flush()
}

// explainWriter is the part of strings.Builder and bufio.Writer that
// writeExplain uses; a bufio.Writer remembers its first error.
type explainWriter interface {
	io.Writer
	WriteString(string) (int, error)
}

func (r *Result) writeExplain(w explainWriter) {
	lead := r.LeadID
	if lead == "" {
		lead = "the lead"
	}
	stage := r.Stage
	if stage == "" {
		stage = "scored"
	} else {
		stage = "is " + stage
	}
	var meta []string
	if r.Grade != "" {
		meta = append(meta, "grade "+r.Grade)
	}
	segs := "none"
	if len(r.Segments) > 0 {
		segs = strings.Join(r.Segments, ", ")
	}
	meta = append(meta, "segments: "+segs)
	fmt.Fprintf(w, "why %s %s (%s):\n", lead, stage, strings.Join(meta, ", "))

	for i := range r.Scores {
		s := &r.Scores[i]
		fmt.Fprintf(w, "  %s %s", s.Name, points1(s.Value, false))
		if s.Value != s.Raw {
			fmt.Fprintf(w, " (sum %s, clamped)", points1(s.Raw, false))
		}
		w.WriteString("\n")
		contribs := s.Contributions()
		if len(contribs) == 0 {
			w.WriteString("    no rule fired\n")
		}
		for _, c := range contribs {
			id := c.Rule
			if id == "" {
				id = "score " + c.Score // a part of a combined score
			}
			fmt.Fprintf(w, "    %-18s %6s", id, points1(c.Points, true))
			decayed := ""
			if c.Decayed {
				decayed = ", decayed"
			}
			if c.Events > 0 {
				if c.Events == 1 {
					fmt.Fprintf(w, "  (1 event%s)", decayed)
				} else {
					fmt.Fprintf(w, "  (%d events%s)", c.Events, decayed)
				}
			}
			if c.Capped {
				w.WriteString("  (capped)")
			}
			if len(c.Inputs) > 0 {
				w.WriteString("  ")
				writeInputs(w, c.Inputs)
			}
			w.WriteString("\n")
		}
	}

	if r.Stage != "" {
		w.WriteString("  stage ")
		switch {
		case r.StageChanged && r.PreviousStage != "" && r.PreviousStage != r.Stage:
			w.WriteString(r.PreviousStage + " → " + r.Stage)
		case r.StageChanged:
			w.WriteString(r.Stage + " (a new lead, entered now)")
		default:
			w.WriteString(r.Stage + " (unchanged)")
		}
		if r.StageRule != "" {
			w.WriteString(", set by " + r.StageRule)
			if in := r.StageInputs(); len(in) > 0 {
				w.WriteString(": ")
				writeInputs(w, in)
			}
		}
		w.WriteString("\n")
	}

	if v := r.Left; v != nil {
		entered := "at an unknown time"
		if !v.EnteredAt.IsZero() {
			entered = explainTime(v.EnteredAt)
		}
		fmt.Fprintf(w, "  left %s: entered %s, left %s", v.Stage, entered, explainTime(v.LeftAt))
		if v.SLA != "" {
			fmt.Fprintf(w, ", SLA %s (due %s) %s", v.Within, explainTime(v.Deadline), v.SLA)
		}
		w.WriteString("\n")
	}

	if r.SLA != (SLA{}) {
		state := "not breached"
		if r.SLA.Breached {
			state = "BREACHED"
		}
		fmt.Fprintf(w, "  SLA %s: entered %s, due %s, %s\n", r.SLA.Within,
			explainTime(r.SLA.EnteredAt), explainTime(r.SLA.Deadline), state)
	}

	switch {
	case r.Route.ID != "":
		fmt.Fprintf(w, "  routed by %s", r.Route.ID)
		if r.Route.Owner != "" {
			w.WriteString(" to owner " + r.Route.Owner)
		}
		if r.Route.Queue != "" {
			w.WriteString(" to queue " + r.Route.Queue)
		}
		if r.Route.Reason != "" {
			w.WriteString(" (" + r.Route.Reason + ")")
		}
		w.WriteString("\n")
	case r.Route.Reason != "":
		w.WriteString("  not routed (" + r.Route.Reason + ")\n")
	}

	if !r.NextChangeAt.IsZero() {
		fmt.Fprintf(w, "  next change %s: %s\n", explainTime(r.NextChangeAt), r.NextChange)
	}
	if len(r.Ignored) > 0 {
		fmt.Fprintf(w, "  ignored (not declared by the rules): %s\n", strings.Join(r.Ignored, ", "))
	}

	w.WriteString("  rules ")
	if r.RuleSet != "" {
		w.WriteString(r.RuleSet + " ")
	}
	fmt.Fprintf(w, "version %s", r.Version)
	if r.Hash != "" {
		w.WriteString(" (" + r.Hash + ")")
	}
	w.WriteString(", evaluated at " + explainTime(r.At) + "\n")
}

// points1 formats a number with one decimal, with its sign when signed.
// A value that rounds to zero prints as 0.0, without a sign.
func points1(v float64, signed bool) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if signed && s[0] != '-' && s != "0.0" {
		s = "+" + s
	}
	return s
}

func writeInputs(w explainWriter, in []Input) {
	for i, x := range in {
		if i > 0 {
			w.WriteString(" ")
		}
		w.WriteString(x.Field + "=" + x.Value.String())
	}
}

func explainTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
