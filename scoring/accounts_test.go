package scoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const abmRules = `version: "abm-1"
name: abm
fields:
  seniority: {type: string, default: individual}
  department: string
  clicks: {type: int, default: 0}
lists:
  target_industries: [fintech, banking]
scores:
  engagement:
    rules:
      - {id: clicks, when: clicks > 0, points: clicks * 10}
  fit:
    rules:
      - {id: senior, when: 'seniority in ["vp", "c_level", "director"]', points: 50}
stages:
  - id: lead
  - id: mql
    when: scores.engagement >= 30
accounts:
  fields:
    industry: string
    employees: {type: int, default: 0}
  roles:
    - {id: economic_buyer, when: 'seniority in ["vp", "c_level"] && department == "finance"'}
    - {id: champion, when: seniority == "director"}
    - {id: user, when: seniority == "individual"}
  groups:
    core:
      required: [economic_buyer, champion]
      weights: {economic_buyer: 3, champion: 2, user: 1}
      engagement: engagement
  rollups:
    engagement_total: {sum: engagement}
    best_fit: {max: fit}
    top2_engagement: {top_mean: engagement, n: 2}
    mqls: {count_stage: mql}
    buyers: {count_role: economic_buyer}
    leads: {count: all}
  scores:
    icp:
      max: 100
      rules:
        - {id: icp-industry, when: industry in lists.target_industries, points: 40}
        - {id: icp-size, when: employees >= 500, points: 20}
        - {id: committee, when: core_completeness >= 1, points: 30}
        - {id: engaged, when: true, points: 'core_engagement / 10', cap: 20}
  stages:
    - id: target
    - id: engaged
      when: engagement_total >= 50
    - id: qualified
      when: scores.icp >= 80 && core_completeness >= 0.5
  routing:
    stages: [qualified]
    owners: [ana, ben]
    routes:
      - {id: fintech, when: 'industry == "fintech"', owners: [ana], distribution: fixed}
      - {id: rest, owners: [ben], distribution: fixed}
`

func TestScoreAccount(t *testing.T) {
	rs := mustRules(t, abmRules)
	acct := Account{ID: "acme", Fields: map[string]any{"industry": "fintech", "employees": 800}, Leads: []any{
		map[string]any{"id": "cfo", "seniority": "vp", "department": "finance", "clicks": 2},
		map[string]any{"id": "eng", "seniority": "individual", "clicks": 4},
		map[string]any{"id": "ops", "seniority": "manager", "clicks": 1},
	}}
	res, err := rs.ScoreAccount(context.Background(), acct, at)
	if err != nil {
		t.Fatal(err)
	}
	// Leads: cfo engagement 20, fit 50, economic_buyer; eng 40 (mql), fit
	// 0, user; ops 10, fit 0, no role.
	if got := res.Leads[0].Roles; len(got) != 1 || got[0] != "economic_buyer" || res.Leads[1].Stage != "mql" {
		t.Fatalf("leads: %+v / %+v", res.Leads[0].Roles, res.Leads[1].Stage)
	}
	// Roll-ups by hand: engagement 20+40+10 = 70; best fit 50; top-2
	// engagement (40+20)/2 = 30; one MQL (eng); one economic buyer; 3 leads.
	want := map[string]float64{"engagement_total": 70, "best_fit": 50, "top2_engagement": 30, "mqls": 1, "buyers": 1, "leads": 3}
	for _, r := range res.Rollups {
		if r.Value != want[r.Name] {
			t.Errorf("rollup %s = %v, want %v", r.Name, r.Value, want[r.Name])
		}
	}
	if r := res.Rollups[2]; strings.Join(r.Leads, ",") != "eng,cfo" {
		t.Errorf("top2 leads %v, want eng,cfo", r.Leads)
	}
	// Group core: economic_buyer filled (cfo), champion missing →
	// completeness 1/2; engagement = cfo 20×3 + eng 40×1 (user weighs 1)
	// + ops 0 (no role) = 100.
	g := res.Groups[0]
	if g.Completeness != 0.5 || strings.Join(g.Missing, ",") != "champion" || g.Engagement != 100 ||
		strings.Join(g.Members["economic_buyer"], ",") != "cfo" || len(g.Members["champion"]) != 0 {
		t.Fatalf("group %+v", g)
	}
	// Account icp: industry 40 + size 20 + committee 0 (completeness < 1) +
	// engaged min(100/10, 20) = 10 → 70. Stage: engaged (70 ≥ 50) but not
	// qualified (icp 70 < 80).
	icp, _ := res.Account.Score("icp")
	if icp != 70 || res.Account.Stage != "engaged" {
		t.Fatalf("icp %v stage %s", icp, res.Account.Stage)
	}
	// The explanation reconciles: the contributions add up to the score.
	sum := 0.0
	for _, c := range res.Account.Scores[0].Contributions() {
		sum += c.Points
	}
	if sum != icp {
		t.Fatalf("contributions add up to %v, score %v", sum, icp)
	}

	// A director joins: the committee is complete (+30, icp 100 → qualified),
	// the account routes to ana (fintech), and the leads without a route of
	// their own follow the account's owner.
	acct.Leads = append(acct.Leads, map[string]any{"id": "dir", "seniority": "director", "clicks": 0})
	acct.Stage = "engaged"
	res, err = rs.ScoreAccount(context.Background(), acct, at)
	if err != nil {
		t.Fatal(err)
	}
	icp, _ = res.Account.Score("icp")
	// 40 + 20 + 30 + min((60 + 40 + 0×2)/10, 20) = 100, capped by max 100.
	if icp != 100 || res.Account.Stage != "qualified" || res.Account.Route.Owner != "ana" || res.Groups[0].Completeness != 1 {
		t.Fatalf("with a director: icp %v stage %s route %+v group %+v", icp, res.Account.Stage, res.Account.Route, res.Groups[0])
	}
	for _, l := range res.Leads {
		if l.Route.Owner != "ana" || l.Route.ID != "account" {
			t.Fatalf("lead %s route %+v, want the account's owner", l.LeadID, l.Route)
		}
	}
}

func TestScoreAccountErrors(t *testing.T) {
	rs := mustRules(t, abmRules)
	_, err := rs.ScoreAccount(context.Background(), Account{Fields: map[string]any{"industry": "x"},
		Leads: []any{map[string]any{"clicks": "many"}}}, at)
	var e *Error
	if !errors.As(err, &e) || e.ID != "leads[0].clicks" {
		t.Fatalf("bad lead: %v", err)
	}
	_, err = rs.ScoreAccount(context.Background(), Account{Fields: map[string]any{"industy": "x"}}, at)
	if !errors.Is(err, ErrLead) || !strings.Contains(err.Error(), "did you mean industry?") {
		t.Fatalf("unknown account field: %v", err)
	}
	for _, bad := range []struct{ from, to, want string }{
		{"required: [economic_buyer, champion]", "required: [economic_buyer, champoin]", "unknown role champoin (did you mean champion?)"},
		{"{sum: engagement}", "{sum: engagment}", "unknown score engagment (did you mean engagement?)"},
		{"when: engagement_total >= 50", "when: engagement_totl >= 50", "unknown field engagement_totl (did you mean engagement_total?)"},
	} {
		_, err := Parse("abm.yaml", []byte(strings.Replace(abmRules, bad.from, bad.to, 1)))
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "abm.yaml:") {
			t.Errorf("%s: %v", bad.to, err)
		}
	}
	plain := mustRules(t, testRules)
	if _, err := plain.ScoreAccount(context.Background(), Account{}, at); err == nil {
		t.Fatal("no accounts section: no error")
	}
}

func TestScoreAccountLines(t *testing.T) {
	rs := mustRules(t, abmRules)
	input := `{"id":"a1","industry":"fintech","employees":800,"leads":[{"id":"x","seniority":"vp","department":"finance","clicks":5}]}
{"id":"a2","industri":"banking"}
{"id":"a3","industry":"retail","leads":[{"id":"y","clicks":"lots"}]}
{"id":"a4","industry":"banking","leads":[]}
`
	var lines []int
	st, err := rs.ScoreAccountLines(context.Background(), strings.NewReader(input), "accounts.jsonl", at, func(r AccountRecord) error {
		if (r.Result == nil) == (r.Err == nil) {
			t.Fatalf("line %d: result %v err %v", r.Line, r.Result != nil, r.Err)
		}
		if r.Err != nil {
			lines = append(lines, r.Line)
			if !strings.HasPrefix(r.Err.Error(), "accounts.jsonl:") {
				t.Errorf("error without its place: %v", r.Err)
			}
		}
		return nil
	})
	if err != nil || st.Read != 4 || st.Scored != 2 || st.Rejected != 2 || len(lines) != 2 || lines[0] != 2 || lines[1] != 3 {
		t.Fatalf("stats %+v rejected lines %v err %v", st, lines, err)
	}
}

// BenchmarkScoreAccounts: one account with 10 leads (the unit of the 100k ×
// 10 figure: multiply ns/op by 100,000).
func BenchmarkScoreAccounts(b *testing.B) {
	rs := mustRules(b, abmRules)
	var leads []any
	for i := range 10 {
		leads = append(leads, map[string]any{"id": fmt.Sprintf("l%d", i), "seniority": []string{"vp", "director", "individual", "manager"}[i%4],
			"department": []string{"finance", "it"}[i%2], "clicks": float64(i % 5)})
	}
	acct := Account{ID: "acme", Fields: map[string]any{"industry": "fintech", "employees": 800.0}, Leads: leads}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.ScoreAccount(ctx, acct, at); err != nil {
			b.Fatal(err)
		}
	}
}

func TestScoreAccountFiles(t *testing.T) {
	rs := mustRules(t, abmRules)
	accounts := `{"id":"a1","industry":"fintech","employees":800}
{"id":"a2","industry":"banking"}
{"id":"a1","industry":"dup"}
`
	leads := `{"account_id":"a1","id":"x","seniority":"vp","department":"finance","clicks":5}
{"account_id":"a1","id":"y","seniority":"director","clicks":1}
{"account_id":"zz","id":"orphan"}
{"id":"no-account"}
{"account_id":"a2","id":"z","clicks":2}
{"account_id":"a1","id":"late"}
`
	var got []string
	st, err := rs.ScoreAccountFiles(context.Background(), strings.NewReader(accounts), "accounts.jsonl", strings.NewReader(leads), "leads.jsonl", at,
		func(r AccountRecord) error {
			if r.Err != nil {
				got = append(got, r.Err.Error())
			} else {
				got = append(got, fmt.Sprintf("%s: %d leads", r.Result.Account.LeadID, len(r.Result.Leads)))
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	// Rejected on their own: the orphan, the lead without account, the late
	// a1 lead; then the accounts in order: a1 (2 leads), a2 (1), the
	// duplicate a1.
	want := []string{
		`leads.jsonl:3: lead field "account_id": account "zz" is not in accounts.jsonl (an orphan lead)`,
		`leads.jsonl:4: lead field "account_id": missing: a lead of the leads input names its account`,
		`leads.jsonl:6: lead field "account_id": account "a1": its leads are not grouped together (an earlier group ended)`,
		`a1: 2 leads`, `a2: 1 leads`,
		`accounts.jsonl:3: lead field "id": duplicate account id "a1" (first at line 1)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.Read != 6 || st.Scored != 2 || st.Rejected != 4 {
		t.Fatalf("stats %+v", st)
	}
}
