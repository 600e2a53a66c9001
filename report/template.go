package report

import "html/template"

// page is the report. Its CSS is inline; it has no script and refers to
// no other resource, so it opens offline and the browser makes no request.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;margin:0 auto;max-width:1100px;padding:16px 24px}
h1{font-size:24px;margin:8px 0 0}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:16px 0 4px}
.sub,.muted{color:#595959}.note{color:#595959;font-size:12px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px;margin:12px 0}
.kpi{border:1px solid #ccc;border-radius:6px;padding:8px 10px}.kpi .label{font-size:12px;color:#595959}.kpi .value{font-size:20px;font-weight:600}
.pair{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}.pair>figure{margin:0;flex:0 1 auto}
table{border-collapse:collapse;font-size:13px;margin:4px 0}th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:600;padding:4px 0}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}svg text.small{font-size:11px}svg text.muted{fill:#767676}
details{margin:4px 0 12px}summary{cursor:pointer;color:#0b5394}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}.pair,figure,table{break-inside:avoid}summary{display:none}details::details-content{content-visibility:visible;display:block}}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
</header>
<main>
<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">Engine summary, {{.Period}}</h2>
<div class="kpis">
{{- range .KPIs}}
<div class="kpi" title="{{.Def}}"><div class="label">{{.Label}} <sup><a href="#note-{{.Note}}">{{.Note}}</a></sup></div><div class="value" data-kpi="{{.ID}}" data-raw="{{.Raw}}">{{.Value}}</div></div>
{{- end}}
</div>
</section>
{{with .Funnel}}
<section id="funnel" aria-labelledby="h-funnel">
<h2 id="h-funnel">Funnel and SLA compliance</h2>
{{if .NoData}}<p class="muted">No lead entered the funnel in this period.</p>{{end}}
<div class="pair">
{{template "chart" .Chart}}
<table>
<caption>Stage-to-stage conversion</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Leads</th><th scope="col">From previous</th><th scope="col">From first</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><th scope="row">{{.Stage}}</th><td>{{.Count}}</td><td>{{.Rate}}</td><td>{{.Cumulative}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
<p class="note">Exits: {{.Exits}}.</p>
{{if .Speed}}
<div class="pair">
{{with .SLA}}{{template "chart" .}}{{end}}
<table>
<caption>Speed-to-lead and SLA compliance per stage</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Entered</th><th scope="col">Responded</th><th scope="col">Median</th><th scope="col">P90</th><th scope="col">SLA met</th><th scope="col">Breached</th><th scope="col">Pending</th><th scope="col">Within SLA</th></tr></thead>
<tbody>
{{- range .Speed}}
<tr><th scope="row">{{.Stage}}</th><td>{{.Entered}}</td><td>{{.Responded}}</td><td>{{.Median}}</td><td>{{.P90}}</td><td>{{.Met}}</td><td>{{.Breached}}</td><td>{{.Pending}}</td><td>{{.Within}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
<p class="note">Within SLA = met / (met + breached); P90 is the nearest-rank 90th percentile.</p>
{{end}}
</section>
{{end}}
{{with .Attribution}}
<section id="attribution" aria-labelledby="h-attribution">
<h2 id="h-attribution">Attribution by model</h2>
{{if .NoData}}<p class="muted">No won revenue to attribute in this period.</p>{{else}}
{{template "chart" .Chart}}
<table>
<caption>Credited revenue and ROI per channel</caption>
<thead><tr><th scope="col" rowspan="2">Channel</th>{{range .Models}}<th scope="colgroup" colspan="2">{{.}}</th>{{end}}<th scope="col" rowspan="2">Cost</th></tr>
<tr>{{range .Models}}<th scope="col">Credited</th><th scope="col">ROI</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><th scope="row">{{.Channel}}</th>{{range .Cells}}<td>{{.Value}}</td><td>{{.ROI}}</td>{{end}}<td>{{.Cost}}</td></tr>
{{- end}}
</tbody>
</table>
<p class="note">ROI = (credited value − cost) / cost, revenue.ROI with the view's options.</p>
{{end}}
</section>
{{end}}
{{if .MRR}}
<section id="mrr" aria-labelledby="h-mrr">
<h2 id="h-mrr">MRR bridge</h2>
{{with .MRRNote}}<p class="note">{{.}}</p>{{end}}
{{- range .MRR}}
<h3>{{.Month}}</h3>
<div class="pair">
{{template "chart" .Chart}}
<table>
<caption>MRR bridge, {{.Month}}</caption>
<tbody>{{range .Rows}}<tr><th scope="row">{{.K}}</th><td>{{.V}}</td></tr>{{end}}</tbody>
</table>
</div>
{{- if .Drill}}
<details class="drill" data-month="{{.Month}}">
<summary>Movements behind {{.Month}} ({{len .Movements}})</summary>
{{if .Movements}}<table>
<caption>Customer movements, {{.Month}}</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Customer</th><th scope="col">Date</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Amount</th><th scope="col">Source lines</th></tr></thead>
<tbody>
{{- range .Movements}}
<tr><th scope="row">{{.Kind}}</th><td>{{.Customer}}</td><td>{{.Date}}</td><td>{{.From}}</td><td>{{.To}}</td><td>{{.Amount}}</td><td>{{.Lines}}</td></tr>
{{- end}}
</tbody>
</table>{{else}}<p class="muted">No movement in {{.Month}}.</p>{{end}}
</details>
{{- end}}
{{- end}}
</section>
{{end}}
{{if .Scores}}
<section id="scores" aria-labelledby="h-scores">
<h2 id="h-scores">Lead scores</h2>
{{- range .Scores}}
<h3>Score distribution, {{.Model}}</h3>
<div class="pair">
{{template "chart" .Chart}}
{{template "scoretable" .}}
</div>
{{- end}}
{{with .Outcomes}}
<h3>Won rate per score band, {{.Model}}</h3>
<div class="pair">
{{template "chart" .Chart}}
{{template "scoretable" .}}
</div>
<p class="note">Won rate = won / leads with an outcome (won or lost), per band [lo, hi).</p>
{{end}}
</section>
{{end}}
{{if .Pacing}}
<section id="pacing" aria-labelledby="h-pacing">
<h2 id="h-pacing">Pacing against target</h2>
{{- range .Pacing}}
<div class="pair">
{{template "chart" .Chart}}
<table><tbody>{{range .Rows}}<tr><th scope="row">{{.K}}</th><td>{{.V}}</td></tr>{{end}}</tbody></table>
</div>
{{- end}}
</section>
{{end}}
{{with .Survey}}
<section id="enps" aria-labelledby="h-enps">
<h2 id="h-enps">eNPS, {{.Name}}</h2>
{{with .Whole}}<p class="muted">{{.}}</p>{{end}}
{{- range .Trends}}
<div class="pair">
{{template "chart" .Chart}}
{{template "wavetable" .Rows}}
</div>
{{- end}}
{{with .Breakdown}}
<h3>By {{.By}}</h3>
{{template "wavetable" .Rows}}
{{end}}
<p class="note">eNPS = 100 × (promoters − detractors) / respondents; groups below the anonymity threshold are suppressed, not shown.</p>
</section>
{{end}}
</main>
<footer>
<h2>Definitions</h2>
<ol class="note">
{{- range .Notes}}
<li id="note-{{.N}}"><b>{{.Label}}</b>: {{.Detail}}</li>
{{- end}}
</ol>
</footer>
</body>
</html>
{{define "chart"}}<figure><svg xmlns="http://www.w3.org/2000/svg" id="{{.ID}}" class="chart" role="img" aria-labelledby="{{.ID}}-t {{.ID}}-d" viewBox="0 0 {{.Width}} {{.Height}}" width="{{.Width}}" height="{{.Height}}"><title id="{{.ID}}-t">{{.Title}}</title><desc id="{{.ID}}-d">{{.Desc}}</desc>
{{- range .Lines}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" stroke="{{.Stroke}}"{{if .Dash}} stroke-dasharray="4 3"{{end}}/>{{end}}
{{- range .Rects}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"><title>{{.Tip}}</title></rect>{{end}}
{{- range .Texts}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}"{{with .Class}} class="{{.}}"{{end}}>{{.Text}}</text>{{end}}
</svg><figcaption class="note">{{.Title}}</figcaption></figure>{{end}}
{{define "scoretable"}}<table><thead><tr><th scope="col">Band</th>{{range .Series}}<th scope="col">{{.}}</th>{{end}}</tr></thead><tbody>
{{- range .Rows}}<tr><th scope="row">{{.Band}}</th>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>{{end}}
</tbody></table>{{end}}
{{define "wavetable"}}<table><thead><tr><th scope="col">Wave / group</th><th scope="col">Respondents</th><th scope="col">eNPS</th><th scope="col">Interval</th><th scope="col">Status</th></tr></thead><tbody>
{{- range .}}<tr{{if .Status}} class="suppressed"{{end}}><th scope="row">{{.Wave}}</th><td>{{.Respondents}}</td><td>{{.Score}}</td><td>{{.Interval}}</td><td>{{.Status}}</td></tr>{{end}}
</tbody></table>{{end}}
`))
