package engine

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/revengine/revengine/revenue"
)

// WriteText prints the view for people, one block per period: funnel,
// speed-to-lead, pipeline and revenue from marketing, attribution with
// returns per channel and campaign, CAC, MRR, NRR/GRR, LTV. Figures that
// could not be computed print as "–" and are listed with their reasons.
// The layout is for reading, not parsing: use the JSON encoding for that.
func (v *View) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "revenue engine · %s by %s · attribution %s", v.Currency, v.Granularity, v.Model)
	if !v.AsOf.IsZero() {
		fmt.Fprintf(ew, " · SLAs as of %s", v.AsOf.Format("2006-01-02 15:04Z07:00"))
	}
	fmt.Fprintln(ew)
	for _, p := range v.Periods {
		fmt.Fprintf(ew, "\n== %s ==\n", p.Period)
		writePeriod(ew, p)
	}
	if v.Survey != nil {
		fmt.Fprintf(ew, "\n== survey %s ==\n", v.Survey.Survey)
		if err := v.Survey.WriteText(ew); err != nil && ew.err == nil {
			return err
		}
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func pct(m *revenue.Metric) string {
	if m == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*m.Value)
}

func ratio(m *revenue.Metric) string {
	if m == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", m.Value)
}

func optf(f *float64, format string) string {
	if f == nil {
		return "–"
	}
	return fmt.Sprintf(format, *f)
}

func writePeriod(w io.Writer, p PeriodView) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if f := p.Funnel.Total; len(f.Stages) > 0 && f.Stages[0].Count > 0 {
		fmt.Fprintln(tw, "funnel (cohort)\tleads\tfrom previous\tfrom first")
		for i, s := range f.Stages {
			if i == 0 {
				fmt.Fprintf(tw, "  %s\t%d\t\t\n", s.Stage, s.Count)
				continue
			}
			c := f.Conversions[i-1]
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", s.Stage, s.Count, pct(c.Rate), pct(c.Cumulative))
		}
		for _, x := range p.Funnel.Exits {
			fmt.Fprintf(tw, "  exit %s\t%d\t\t\n", x.Stage, x.Count)
		}
		fmt.Fprintf(tw, "  recycled\t%d\t\t\n", p.Funnel.Recycled)
		tw.Flush()
	}
	if len(p.Speed) > 0 {
		fmt.Fprintln(tw, "\nspeed to lead\tentered\tmedian h\tp90 h\tmet\tbreached\tpending\twithin SLA")
		for _, s := range p.Speed {
			who := s.Stage
			switch {
			case s.Owner != "":
				who += " · owner " + s.Owner
			case s.Route != "":
				who += " · route " + s.Route
			}
			within := "–"
			if s.WithinSLA != nil {
				within = fmt.Sprintf("%.1f%%", 100**s.WithinSLA)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%d\t%d\t%d\t%s\n", who, s.Entered, optf(s.MedianHours, "%.1f"), optf(s.P90Hours, "%.1f"), s.Met, s.Breached, s.Pending, within)
		}
		tw.Flush()
	}
	fmt.Fprintln(tw, "\nfrom marketing\tdeals\ttotal\tsourced\t%\tinfluenced\t%")
	for _, c := range []struct {
		name string
		c    Contribution
	}{{"pipeline created", p.Pipeline}, {"revenue won", p.Revenue}} {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\n", c.name, c.c.Deals, c.c.Total, c.c.Sourced, pct(c.c.SourcedShare), c.c.Influenced, pct(c.c.InfluencedShare))
	}
	tw.Flush()
	if a := p.Attribution; a != nil {
		for _, part := range []struct {
			title string
			rows  []Return
		}{{"channel", a.ByChannel}, {"campaign", a.ByCampaign}} {
			fmt.Fprintf(tw, "\n%s (%s)\tcost\tconversions\tcredited\tROI\tROAS\tCAC\n", part.title, a.Model)
			for _, r := range part.rows {
				cac := "–"
				if r.CAC != nil {
					cac = r.CAC.Value.String()
				}
				fmt.Fprintf(tw, "  %s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", r.Key, r.Cost, r.Conversions, r.Value, pct(r.ROI), ratio(r.ROAS), cac)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "spend\tmarketing %s\tsales %s\n", p.Spend.Marketing, p.Spend.Sales)
	cac := "–"
	if p.CAC != nil {
		cac = p.CAC.Value.String()
	}
	fmt.Fprintf(tw, "new customers\t%d\tCAC %s\n", p.NewCustomers, cac)
	if p.Velocity != nil {
		fmt.Fprintf(tw, "pipeline velocity\t%s a day\texpected over the period %s\n", p.Velocity.Value, p.Velocity.ExpectedRevenue)
	}
	if m := p.MRR; m != nil {
		fmt.Fprintf(tw, "MRR\tstart %s\tnew %s\texpansion %s\tcontraction %s\tchurn %s\treactivation %s\tend %s\n",
			m.StartingMRR, m.New, m.Expansion, m.Contraction, m.Churn, m.Reactivation, m.EndingMRR)
		fmt.Fprintf(tw, "retention\tNRR %s\tGRR %s\n", pct(m.NRR), pct(m.GRR))
	}
	if p.LTV != nil {
		fmt.Fprintf(tw, "LTV\t%s\tLTV:CAC %s\tpayback %s months\n", p.LTV.Value, ratio(p.LTVToCAC), ratio(p.Payback))
	}
	tw.Flush()
	if len(p.Unavailable) > 0 {
		var s []string
		for _, u := range p.Unavailable {
			s = append(s, u.KPI+": "+u.Reason)
		}
		fmt.Fprintf(w, "not computed: %s\n", strings.Join(s, "; "))
	}
}
