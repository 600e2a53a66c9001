package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/revengine/revengine/engine"
	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
	"github.com/revengine/revengine/revenue/goal"
	"github.com/revengine/revengine/revenue/mrr"
	"github.com/revengine/revengine/scoring/backtest"
	"github.com/revengine/revengine/survey"
)

// The module's error kinds that Write returns, wrapped: test with
// errors.Is.
var (
	// ErrInvalidInput: no view, an unknown period, a comparison view of
	// another granularity.
	ErrInvalidInput = diag.ErrInvalidInput
	// ErrCurrencyMismatch: a comparison view, the bridge or a pace in
	// another currency than the view.
	ErrCurrencyMismatch = diag.ErrCurrencyMismatch
)

// Input is everything a report shows. Only View is required; each other
// field adds its section, and a section without data says so instead of
// drawing an empty chart.
type Input struct {
	// Title heads the report; default "Revenue report".
	Title string
	// View is the revenue-engine view (engine.Builder.View).
	View *engine.View
	// Period is the period of the headline KPIs, the funnel and the
	// attribution comparison, as record.Period.String formats it
	// ("2026-03", "2026-Q1"); default the view's last period.
	Period string
	// Compare are views of the same data under other attribution models
	// (an engine.Builder per model); their attribution for Period is shown
	// beside the view's own, in this order.
	Compare []*engine.View
	// Bridge is the monthly MRR bridge (mrr.NewBridge) whose movements fill
	// the drill-down tables of the waterfall; without it the waterfall is
	// drawn per period of the view, without drill-down.
	Bridge *mrr.Bridge
	// Backtest is a scoring backtest (package scoring/backtest) whose score
	// bands give the score distribution and, with outcomes, the won rate
	// per band.
	Backtest *backtest.Report
	// Pacing are targets and where they stand (goal.Target.Pace or
	// goal.Spec.Pace).
	Pacing []goal.Pace
}

// Write renders in as one self-contained HTML document. The same Input
// gives the same bytes. Errors wrap ErrInvalidInput or
// ErrCurrencyMismatch, or are w's; nothing is written when in is invalid.
func Write(w io.Writer, in Input) error {
	d, err := build(in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// doc is what the template reads: every figure already formatted.
type doc struct {
	Title, Subtitle string
	Period          string
	KPIs            []kpi
	Notes           []note
	Funnel          *funnelView
	Attribution     *attributionView
	MRR             []bridgeView
	MRRNote         string
	Scores          []scoreView
	Outcomes        *scoreView
	Pacing          []paceView
	Survey          *surveyView
	Charts          int
}

type kpi struct {
	ID, Label, Value, Raw, Def string
	Note                       int
}

type note struct {
	N             int
	Label, Detail string
}

type funnelView struct {
	Chart  chart
	SLA    *chart // within-SLA share per judged stage; nil when none is judged
	Rows   []funnelRow
	Exits  string
	Speed  []speedRow
	NoData bool
}

type funnelRow struct{ Stage, Count, Rate, Cumulative string }

type speedRow struct{ Stage, Entered, Responded, Median, P90, Met, Breached, Pending, Within string }

type attributionView struct {
	Chart  chart
	Models []string
	Rows   []attrRow
	NoData bool
}

type attrRow struct {
	Channel string
	Cells   []attrCell
	Cost    string // the channel's spend, the same under every model
}

type attrCell struct{ Value, ROI, Cost string }

type bridgeView struct {
	Month     string
	Chart     chart
	Rows      []kv
	Movements []movementRow
	Drill     bool
}

type kv struct{ K, V string }

type movementRow struct{ Kind, Customer, Date, From, To, Amount, Lines string }

type scoreView struct {
	Model  string
	Chart  chart
	Series []string
	Rows   []scoreRow
}

type scoreRow struct {
	Band  string
	Cells []string
}

type paceView struct {
	Chart chart
	Rows  []kv
}

type surveyView struct {
	Name      string
	Trends    []trendView
	Breakdown *breakdownView
	Whole     string
}

type trendView struct {
	Question string
	Chart    chart
	Rows     []waveRow
}

type waveRow struct{ Wave, Respondents, Score, Interval, Status string }

type breakdownView struct {
	By   string
	Rows []waveRow
}

const dash = "–"

func pct(m *revenue.Metric) string {
	if m == nil {
		return dash
	}
	return pctf(m.Value)
}

func pctf(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

func ratio(m *revenue.Metric) string {
	if m == nil {
		return dash
	}
	return strconv.FormatFloat(m.Value, 'f', 2, 64)
}

func hours(h *float64) string {
	if h == nil {
		return dash
	}
	return strconv.FormatFloat(*h, 'f', 1, 64) + " h"
}

func build(in Input) (*doc, error) {
	v := in.View
	if v == nil {
		return nil, fmt.Errorf("report: no view: %w", ErrInvalidInput)
	}
	if len(v.Periods) == 0 {
		return nil, fmt.Errorf("report: the view has no period: %w", ErrInvalidInput)
	}
	d := &doc{Title: cmp.Or(in.Title, "Revenue report")}
	pi := len(v.Periods) - 1
	if in.Period != "" {
		pi = slices.IndexFunc(v.Periods, func(p engine.PeriodView) bool { return p.Period.String() == in.Period })
		if pi < 0 {
			return nil, fmt.Errorf("report: period %q is not in the view: %w", in.Period, ErrInvalidInput)
		}
	}
	p := v.Periods[pi]
	d.Period = p.Period.String()
	d.Subtitle = fmt.Sprintf("%s by %s · attribution %s · period %s", v.Currency, v.Granularity, v.Model, d.Period)
	if !v.AsOf.IsZero() {
		d.Subtitle += " · as of " + v.AsOf.UTC().Format("2006-01-02 15:04Z07:00")
	}
	for _, c := range in.Compare {
		if c == nil {
			return nil, fmt.Errorf("report: a nil comparison view: %w", ErrInvalidInput)
		}
		if c.Currency != v.Currency {
			return nil, fmt.Errorf("report: comparison view (%s) in %s, the view in %s: %w", c.Model, c.Currency, v.Currency, ErrCurrencyMismatch)
		}
		if c.Granularity != v.Granularity {
			return nil, fmt.Errorf("report: comparison view (%s) by %s, the view by %s: %w", c.Model, c.Granularity, v.Granularity, ErrInvalidInput)
		}
	}
	if in.Bridge != nil && in.Bridge.Currency != v.Currency {
		return nil, fmt.Errorf("report: MRR bridge in %s, the view in %s: %w", in.Bridge.Currency, v.Currency, ErrCurrencyMismatch)
	}
	for _, pc := range in.Pacing {
		if pc.Target.Currency != v.Currency {
			return nil, fmt.Errorf("report: pacing target %s in %s, the view in %s: %w", pc.Period, pc.Target.Currency, v.Currency, ErrCurrencyMismatch)
		}
	}
	d.summary(p)
	d.funnel(p)
	d.attribution(in, p)
	d.mrr(in)
	d.scores(in.Backtest)
	d.pacing(in.Pacing)
	d.survey(v.Survey)
	return d, nil
}

// why is the reason a KPI is unavailable in p, or "".
func why(p engine.PeriodView, k string) string {
	for _, u := range p.Unavailable {
		if u.KPI == k {
			return u.Reason
		}
	}
	return ""
}

func (d *doc) summary(p engine.PeriodView) {
	add := func(id, label, value, raw, def string) {
		n := len(d.Notes) + 1
		detail := def
		if value == dash {
			if r := why(p, id); r != "" {
				detail += " — unavailable: " + r
			} else {
				detail += " — unavailable"
			}
		}
		d.Notes = append(d.Notes, note{N: n, Label: label, Detail: detail})
		d.KPIs = append(d.KPIs, kpi{ID: id, Label: label, Value: value, Raw: raw, Def: def, Note: n})
	}
	add("revenue", "Won revenue", p.Revenue.Total.String(), strconv.FormatInt(p.Revenue.Total.Amount, 10),
		"sum of the amounts of the won deals closed in the period")
	add("pipeline", "Pipeline created", p.Pipeline.Total.String(), strconv.FormatInt(p.Pipeline.Total.Amount, 10),
		"sum of the amounts of the deals created in the period")
	add("new_customers", "New customers", strconv.FormatInt(p.NewCustomers, 10), strconv.FormatInt(p.NewCustomers, 10),
		"won deals closed in the period")
	metric := func(id, label string, m *revenue.Metric, f func(*revenue.Metric) string, def string) {
		raw := ""
		if m != nil {
			raw = strconv.FormatFloat(m.Value, 'g', -1, 64)
			def = cmp.Or(m.Formula, def)
		}
		add(id, label, f(m), raw, def)
	}
	metric("marketing_sourced_share", "Marketing-sourced revenue", p.Revenue.SourcedShare, pct, "won revenue whose first touch is a marketing touch / won revenue")
	metric("marketing_influenced_share", "Marketing-influenced revenue", p.Revenue.InfluencedShare, pct, "won revenue with a marketing touch / won revenue")
	if p.CAC != nil {
		add("cac", "CAC", p.CAC.Value.String(), strconv.FormatInt(p.CAC.Value.Amount, 10), p.CAC.Formula)
	} else {
		add("cac", "CAC", dash, "", "spend / new customers")
	}
	if p.MRR != nil {
		add("ending_mrr", "Ending MRR", p.MRR.EndingMRR.String(), strconv.FormatInt(p.MRR.EndingMRR.Amount, 10), "MRR after the period's last subscription event")
		metric("nrr", "NRR", p.MRR.NRR, pct, "(starting MRR + expansion − contraction − churn) / starting MRR")
		metric("grr", "GRR", p.MRR.GRR, pct, "(starting MRR − contraction − churn) / starting MRR")
	} else {
		add("ending_mrr", "Ending MRR", dash, "", "MRR after the period's last subscription event")
	}
	metric("ltv_to_cac", "LTV:CAC", p.LTVToCAC, ratio, "lifetime value / CAC")
	metric("cac_payback_months", "CAC payback (months)", p.Payback, ratio, "CAC / (ARPA × gross margin)")
	if p.Velocity != nil {
		add("pipeline_velocity", "Pipeline velocity (per day)", p.Velocity.Value.String(), strconv.FormatInt(p.Velocity.Value.Amount, 10), p.Velocity.Formula)
	} else {
		add("pipeline_velocity", "Pipeline velocity (per day)", dash, "", "opportunities × win rate × average deal / sales cycle in days")
	}
}

func (d *doc) funnel(p engine.PeriodView) {
	f := p.Funnel.Total
	fv := &funnelView{}
	d.Funnel = fv
	var labels, texts []string
	var values []float64
	for i, s := range f.Stages {
		row := funnelRow{Stage: string(s.Stage), Count: strconv.FormatInt(s.Count, 10), Rate: dash, Cumulative: dash}
		txt := strconv.FormatInt(s.Count, 10)
		if i > 0 && i-1 < len(f.Conversions) {
			c := f.Conversions[i-1]
			row.Rate, row.Cumulative = pct(c.Rate), pct(c.Cumulative)
			txt += " (" + row.Rate + " from " + string(c.From) + ")"
		}
		fv.Rows = append(fv.Rows, row)
		labels, values, texts = append(labels, string(s.Stage)), append(values, float64(s.Count)), append(texts, txt)
	}
	if len(f.Stages) == 0 || f.Stages[0].Count == 0 {
		fv.NoData = true
	}
	var exits []string
	for _, e := range p.Funnel.Exits {
		exits = append(exits, fmt.Sprintf("%s %d", e.Stage, e.Count))
	}
	exits = append(exits, fmt.Sprintf("recycled %d", p.Funnel.Recycled))
	fv.Exits = joinComma(exits)
	desc := "Leads of the " + p.Period.String() + " cohort reaching each stage: "
	for i := range labels {
		desc += labels[i] + " " + texts[i] + "; "
	}
	fv.Chart = hbars("chart-funnel", "Funnel, "+p.Period.String(), desc, labels, values, texts, colourTotal)
	d.Charts++
	var slaLabels, slaTexts []string
	var slaValues []float64
	slaDesc := "Share of the judged entries of each stage handled within its SLA, met / (met + breached), " + p.Period.String() + ": "
	for _, s := range p.Speed {
		if s.Owner != "" || s.Route != "" {
			continue
		}
		within := dash
		if s.WithinSLA != nil {
			within = pctf(*s.WithinSLA)
			txt := fmt.Sprintf("%s (%d of %d judged)", within, s.Met, s.Met+s.Breached)
			slaLabels, slaValues, slaTexts = append(slaLabels, s.Stage), append(slaValues, 100**s.WithinSLA), append(slaTexts, txt)
			slaDesc += s.Stage + " " + txt + "; "
		}
		fv.Speed = append(fv.Speed, speedRow{Stage: s.Stage, Entered: strconv.FormatInt(s.Entered, 10), Responded: strconv.FormatInt(s.Responded, 10),
			Median: hours(s.MedianHours), P90: hours(s.P90Hours), Met: strconv.FormatInt(s.Met, 10), Breached: strconv.FormatInt(s.Breached, 10),
			Pending: strconv.FormatInt(s.Pending, 10), Within: within})
	}
	if len(slaLabels) > 0 {
		// scaled to 100%, not to the best stage: a share is read against
		// the whole
		slaLabels, slaValues, slaTexts = append(slaLabels, ""), append(slaValues, 100), append(slaTexts, "")
		c := hbars("chart-sla", "Within SLA per stage, "+p.Period.String(), slaDesc, slaLabels, slaValues, slaTexts, colourUp)
		n := len(slaLabels) - 1
		c.Texts, c.Rects = c.Texts[:2*n], c.Rects[:n] // drop the 100% scale row
		c.Height -= 28
		fv.SLA = &c
		d.Charts++
	}
}

func joinComma(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x)
	}
	return b.String()
}

func (d *doc) attribution(in Input, p engine.PeriodView) {
	type model struct {
		name string
		a    *engine.Attribution
	}
	models := []model{{in.View.Model, p.Attribution}}
	for _, c := range in.Compare {
		var a *engine.Attribution
		for _, cp := range c.Periods {
			if cp.Period == p.Period {
				a = cp.Attribution
			}
		}
		models = append(models, model{c.Model, a})
	}
	av := &attributionView{}
	d.Attribution = av
	var channels []string
	for _, m := range models {
		av.Models = append(av.Models, m.name)
		if m.a == nil {
			continue
		}
		for _, r := range m.a.ByChannel {
			if !slices.Contains(channels, r.Key) {
				channels = append(channels, r.Key)
			}
		}
	}
	slices.Sort(channels)
	values := make([][]float64, len(channels))
	texts := make([][]string, len(channels))
	desc := "Won revenue of " + p.Period.String() + " credited per channel by each model: "
	for i, ch := range channels {
		row := attrRow{Channel: ch}
		for _, m := range models {
			cell := attrCell{Value: dash, ROI: dash, Cost: dash}
			val := 0.0
			if m.a != nil {
				for _, r := range m.a.ByChannel {
					if r.Key == ch {
						cell = attrCell{Value: r.Value.String(), ROI: pct(r.ROI), Cost: r.Cost.String()}
						val = float64(max(r.Value.Amount, 0))
					}
				}
			}
			row.Cells = append(row.Cells, cell)
			if row.Cost == "" || row.Cost == dash {
				row.Cost = cell.Cost
			}
			values[i] = append(values[i], val)
			texts[i] = append(texts[i], cell.Value)
			desc += ch + " " + m.name + " " + cell.Value + "; "
		}
		av.Rows = append(av.Rows, row)
	}
	if len(channels) == 0 {
		av.NoData = true
		return
	}
	av.Chart = groupedBars("chart-attribution", "Credited revenue per channel and model, "+p.Period.String(), desc, channels, av.Models, values, texts)
	d.Charts++
}

func (d *doc) mrr(in Input) {
	type month struct {
		label                                    string
		start, nw, exp, react, contr, churn, end money.Money
		moves                                    []mrr.Movement
		drill                                    bool
	}
	var ms []month
	if in.Bridge != nil {
		for _, m := range in.Bridge.Months {
			ms = append(ms, month{m.Period.String(), m.StartingMRR, m.New, m.Expansion, m.Reactivation, m.Contraction, m.Churn, m.EndingMRR, m.Movements, true})
		}
	} else {
		for _, p := range in.View.Periods {
			if p.MRR != nil {
				m := p.MRR
				ms = append(ms, month{p.Period.String(), m.StartingMRR, m.New, m.Expansion, m.Reactivation, m.Contraction, m.Churn, m.EndingMRR, nil, false})
			}
		}
		if len(ms) > 0 {
			d.MRRNote = "Per period of the view; give the monthly bridge for the customer movements behind each bar."
		}
	}
	for i, m := range ms {
		signed := func(sign string, a money.Money) string {
			if a.IsZero() {
				return a.String()
			}
			return sign + a.String()
		}
		steps := []step{
			{"Start", m.start.Amount, true, m.start.String()},
			{"New", m.nw.Amount, false, signed("+", m.nw)},
			{"Expansion", m.exp.Amount, false, signed("+", m.exp)},
			{"Reactivation", m.react.Amount, false, signed("+", m.react)},
			{"Contraction", -m.contr.Amount, false, signed("−", m.contr)},
			{"Churn", -m.churn.Amount, false, signed("−", m.churn)},
			{"End", m.end.Amount, true, m.end.String()},
		}
		desc := "MRR bridge of " + m.label + ": "
		bv := bridgeView{Month: m.label, Drill: m.drill}
		for _, s := range steps {
			desc += s.Label + " " + s.Text + "; "
			bv.Rows = append(bv.Rows, kv{s.Label, s.Text})
		}
		bv.Chart = waterfall("chart-mrr-"+strconv.Itoa(i), "MRR bridge, "+m.label, desc, steps)
		d.Charts++
		for _, mv := range m.moves {
			lines := make([]string, len(mv.Lines))
			for j, l := range mv.Lines {
				lines[j] = strconv.Itoa(l)
			}
			bv.Movements = append(bv.Movements, movementRow{Kind: string(mv.Kind), Customer: mv.CustomerID, Date: mv.Date.UTC().Format("2006-01-02"),
				From: mv.From.String(), To: mv.To.String(), Amount: mv.Amount.String(), Lines: joinComma(lines)})
		}
		d.MRR = append(d.MRR, bv)
	}
}

func band(lo, hi float64) string {
	return "[" + strconv.FormatFloat(lo, 'g', -1, 64) + ", " + strconv.FormatFloat(hi, 'g', -1, 64) + ")"
}

func (d *doc) scores(bt *backtest.Report) {
	if bt == nil {
		return
	}
	series := []string{"old: " + bt.Old.Name + " " + bt.Old.Version, "new: " + bt.New.Name + " " + bt.New.Version}
	// One rule set on both sides (no rules change to compare): one series.
	single := bt.Old.Hash != "" && bt.Old.Hash == bt.New.Hash
	if single {
		series = []string{bt.New.Name + " " + bt.New.Version}
	}
	pick := func(old, new float64, ot, nt string) ([]float64, []string) {
		if single {
			return []float64{new}, []string{nt}
		}
		return []float64{old, new}, []string{ot, nt}
	}
	for i, s := range bt.Scores {
		sv := scoreView{Model: s.Model, Series: series}
		var groups []string
		var values [][]float64
		var texts [][]string
		desc := "Leads per score band of model " + s.Model + " (" + strings.Join(series, "; ") + "): "
		for _, b := range s.Bands {
			g := band(b.Lo, b.Hi)
			groups = append(groups, g)
			vs, t := pick(float64(b.Old), float64(b.New), strconv.Itoa(b.Old), strconv.Itoa(b.New))
			values = append(values, vs)
			texts = append(texts, t)
			sv.Rows = append(sv.Rows, scoreRow{Band: g, Cells: t})
			desc += g + " " + strings.Join(t, ", ") + "; "
		}
		sv.Chart = groupedBars("chart-score-"+strconv.Itoa(i), "Score distribution, "+s.Model, desc, groups, series, values, texts)
		d.Charts++
		d.Scores = append(d.Scores, sv)
	}
	if o := bt.Outcomes; o != nil && len(o.Bands) > 0 {
		sv := &scoreView{Model: o.Model, Series: series}
		var groups []string
		var values [][]float64
		var texts [][]string
		desc := "Won rate (won / leads with an outcome) per score band of model " + o.Model + " (" + strings.Join(series, "; ") + "): "
		rate := func(s backtest.OutcomeStats) (float64, string) {
			if s.ConversionRate == nil {
				return 0, dash
			}
			return 100 * *s.ConversionRate, pctf(*s.ConversionRate) + " of " + strconv.Itoa(s.WithOutcome)
		}
		for _, b := range o.Bands {
			g := band(b.Lo, b.Hi)
			ov, ot := rate(b.Old)
			nv, nt := rate(b.New)
			groups = append(groups, g)
			vs, t := pick(ov, nv, ot, nt)
			values = append(values, vs)
			texts = append(texts, t)
			sv.Rows = append(sv.Rows, scoreRow{Band: g, Cells: t})
			desc += g + " " + strings.Join(t, ", ") + "; "
		}
		sv.Chart = groupedBars("chart-outcome", "Won rate per score band, "+o.Model, desc, groups, series, values, texts)
		d.Charts++
		d.Outcomes = sv
	}
}

func (d *doc) pacing(ps []goal.Pace) {
	for i, p := range ps {
		att := dash
		if p.Attainment != nil {
			att = pctf(*p.Attainment)
		}
		proj := dash
		if p.Projection != nil {
			proj = p.Projection.String()
		}
		desc := fmt.Sprintf("Target %s for %s as of %s: actual %s (%s), expected to date %s, gap %s.", p.Target, p.Period, p.At.UTC().Format("2006-01-02"), p.Actual, att, p.Expected, p.Gap)
		pv := paceView{Chart: pacing("chart-pace-"+strconv.Itoa(i), "Pacing, "+p.Period.String(), desc, p.Target.Amount, p.Actual.Amount, p.Expected.Amount,
			p.Actual.String(), p.Expected.String(), p.Target.String())}
		d.Charts++
		pv.Rows = []kv{{"Period", p.Period.String()}, {"As of", p.At.UTC().Format("2006-01-02")}, {"Status", string(p.Status)}, {"Target", p.Target.String()},
			{"Actual", p.Actual.String()}, {"Attainment", att}, {"Expected to date (" + string(p.Method) + ")", p.Expected.String()}, {"Gap", p.Gap.String()},
			{"Run-rate projection", proj}, {"Days elapsed", fmt.Sprintf("%d of %d", p.ElapsedDays, p.TotalDays)}}
		d.Pacing = append(d.Pacing, pv)
	}
}

func interval(w survey.WaveScore) *survey.Interval {
	if w.AdjustedWald != nil {
		return w.AdjustedWald
	}
	return w.Wald
}

func score(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func (d *doc) survey(r *survey.Report) {
	if r == nil {
		return
	}
	sv := &surveyView{Name: r.Survey}
	d.Survey = sv
	if r.Suppressed != "" {
		sv.Whole = "The whole report is suppressed (" + string(r.Suppressed) + ", fewer than " + strconv.Itoa(r.Threshold) + " respondents)."
	}
	for i, t := range r.Trends {
		tv := trendView{Question: t.Question}
		var pts []point
		desc := "eNPS of " + t.Question + " per wave with its interval: "
		for _, w := range t.Waves {
			row := waveRow{Wave: w.Wave, Respondents: dash, Score: dash, Interval: dash}
			pt := point{Label: w.Wave}
			switch {
			case w.Suppressed != "":
				row.Status = "suppressed (" + string(w.Suppressed) + ")"
				pt.Suppressed = string(w.Suppressed)
				desc += w.Wave + " suppressed; "
			case w.NPS == nil:
				row.Respondents = strconv.Itoa(w.Respondents)
				row.Status = "no eNPS answers"
				pt.Suppressed = "none"
				desc += w.Wave + " no answers; "
			default:
				row.Respondents = strconv.Itoa(w.Respondents)
				row.Score = score(w.NPS.Score)
				pt.Score, pt.Text = w.NPS.Score, row.Score
				pt.Lower, pt.Upper = w.NPS.Score, w.NPS.Score
				if iv := interval(w); iv != nil {
					row.Interval = fmt.Sprintf("%s to %s (%s, %s)", score(iv.Lower), score(iv.Upper), iv.Method, pctf(iv.Level))
					pt.Lower, pt.Upper = iv.Lower, iv.Upper
				}
				desc += w.Wave + " " + row.Score + " (" + row.Interval + "); "
			}
			tv.Rows = append(tv.Rows, row)
			pts = append(pts, pt)
		}
		tv.Chart = intervals("chart-enps-"+strconv.Itoa(i), "eNPS per wave, "+t.Question, desc, pts)
		d.Charts++
		sv.Trends = append(sv.Trends, tv)
	}
	if b := r.Breakdown; b != nil {
		bv := &breakdownView{By: b.By}
		for _, g := range b.Groups {
			row := waveRow{Wave: cmp.Or(g.Value, "(blank)"), Respondents: dash, Score: dash, Interval: dash}
			if g.Suppressed != "" {
				row.Status = "suppressed (" + string(g.Suppressed) + ")"
			} else {
				row.Respondents = strconv.Itoa(g.Respondents)
				for _, q := range g.Questions {
					if q.Kind == survey.ENPS && q.NPS != nil {
						row.Score = score(q.NPS.Score)
						iv := q.AdjustedWald
						if iv == nil {
							iv = q.Wald
						}
						if iv != nil {
							row.Interval = fmt.Sprintf("%s to %s (%s, %s)", score(iv.Lower), score(iv.Upper), iv.Method, pctf(iv.Level))
						}
						break
					}
				}
			}
			bv.Rows = append(bv.Rows, row)
		}
		sv.Breakdown = bv
	}
}
