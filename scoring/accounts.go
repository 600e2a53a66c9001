package scoring

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revengine/revengine/internal/diag"
	"github.com/revengine/revengine/internal/jsonlines"
)

// Accounts and buying groups: account-based marketing in the same rules
// file. An `accounts:` section declares account fields (firmographics,
// typed like lead fields), buying-group roles (conditions on a lead, seen
// after its scores, grade, stage and segments), buying groups (the roles a
// deal needs, with weights), roll-ups over the account's leads, and account
// score models, grades, stages, segments and routing written exactly like
// the leads' — their expressions read the account fields, the roll-ups and
// the groups' figures as fields:
//
//	accounts:
//	  fields:
//	    industry: string
//	    employees: {type: int, default: 0}
//	  roles:
//	    - {id: economic_buyer, when: 'seniority in ["vp", "c_level"] && department == "finance"'}
//	    - {id: champion, when: seniority == "director"}
//	  groups:
//	    core:
//	      required: [economic_buyer, champion]
//	      weights: {economic_buyer: 3, champion: 2}   # default 1 per role
//	      engagement: engagement                       # the lead score model it weighs
//	  rollups:
//	    engagement_total: {sum: engagement}            # Σ of the model over the leads
//	    best_fit: {max: fit}                           # also min, mean
//	    top3_engagement: {top_mean: engagement, n: 3}  # mean of the n highest
//	    mqls: {count_stage: mql}                       # also count_grade, count_role
//	    leads: {count: all}
//	  scores:
//	    icp:
//	      rules:
//	        - {id: icp-industry, when: industry in lists.target_industries, points: 40}
//	        - {id: committee, when: core_completeness >= 1, points: 30}
//	  stages:
//	    - id: target
//	    - id: engaged
//	      when: engagement_total >= 50
//	    - id: qualified
//	      when: scores.icp >= 60 && core_completeness >= 0.5
//
// A group core adds the fields core_completeness (the share of required
// roles filled by at least one lead, 1 when none is required),
// core_engagement (Σ over its members of the engagement model × the
// highest weight of the member's roles in the group), core_members (leads
// holding a role of the group) and core_missing (the required roles no lead
// fills, in declared order). Roll-ups and group fields are floats (counts
// and core_members ints, core_missing a list); a roll-up of no leads is 0.
//
// RuleSet.ScoreAccount scores an account with its leads in one call:
// every lead with the lead rules, then the roll-ups and groups, then the
// account rules. The result explains itself: each roll-up with the leads
// behind it, each group with its members by role and what is missing, and
// the account's scores with their contributions like a lead's.

// accountSpec is the compiled accounts section.
type accountSpec struct {
	rs      *RuleSet // the account rules, compiled like a rules file
	rollups []rollup
	groups  []group
}

type rollup struct {
	name  string
	kind  string // count, count_stage, count_grade, count_role, sum, max, min, mean, top_mean
	model int    // for the score kinds
	arg   string // the stage, grade or role of a count
	n     int    // top_mean
}

type group struct {
	name       string
	required   []int       // role indices
	weights    map[int]int // role index → weight; a role of the group not listed weighs 1
	roles      []int       // every role of the group: required and weighted
	engagement int         // model index, −1 when none
}

var accountKeys = []string{"fields", "roles", "groups", "rollups", "scores", "grades", "stages",
	"disqualify", "recycle", "segments", "routing"}

// accounts compiles the accounts section: roles in the lead rules, the
// rest as a second rule set whose fields are the account fields plus the
// roll-ups and group figures.
func (c *compiler) accounts(n *yaml.Node, top map[string]pair, cnt *counter) {
	l, rs := c.l, c.rs
	byKey := map[string]pair{}
	for _, p := range l.mapping(n, "accounts", subject{}, accountKeys...) {
		byKey[p.key.Value] = p
	}
	spec := &accountSpec{}
	// Roles are conditions on a lead: compiled with the lead rules, seen
	// after everything of the lead.
	if p, ok := byKey["roles"]; ok {
		rs.roles = c.stageRules(p.val, "role", false, secRoute, cnt)
	}
	roleIdx := map[string]int{}
	for i, r := range rs.roles {
		roleIdx[r.id] = i
	}
	unknown := func(node *yaml.Node, what, name string, idx map[string]int) {
		msg := fmt.Sprintf("unknown %s %s", what, name)
		if sug := suggest(name, idx); sug != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		}
		l.errorf(node, subj("account", what), CodeUnknownName, "%s", msg)
	}
	var synth []*yaml.Node // generated field declarations: key, type
	addField := func(at *yaml.Node, name, typ string) {
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: name, Line: at.Line, Column: at.Column}
		v := &yaml.Node{Kind: yaml.ScalarNode, Value: typ, Line: at.Line, Column: at.Column}
		synth = append(synth, k, v)
	}
	if p, ok := byKey["groups"]; ok {
		for _, gp := range l.mapping(p.val, "groups", subject{}) {
			g := group{name: gp.key.Value, weights: map[int]int{}, engagement: -1}
			if !identRe.MatchString(g.name) {
				l.errorf(gp.key, subject{}, CodeInvalid, "group name %q is not an identifier", g.name)
				continue
			}
			s := subj("group", g.name)
			for _, q := range l.mapping(gp.val, "group "+g.name, s, "required", "weights", "engagement") {
				switch q.key.Value {
				case "required":
					for _, rn := range l.sequence(q.val, "required", s) {
						if id, ok := l.scalar(rn, "role", s); ok {
							if ri, found := roleIdx[id]; found {
								g.required = append(g.required, ri)
							} else {
								unknown(rn, "role", id, roleIdx)
							}
						}
					}
				case "weights":
					for _, wp := range l.mapping(q.val, "weights", s) {
						ri, found := roleIdx[wp.key.Value]
						if !found {
							unknown(wp.key, "role", wp.key.Value, roleIdx)
							continue
						}
						if w, ok := l.w.Int(wp.val, "weight", s); ok {
							if w < 0 || w > 1e6 {
								l.errorf(wp.val, s, CodeInvalid, "weight %d: want 0 to 1000000", w)
								continue
							}
							g.weights[ri] = int(w)
						}
					}
				case "engagement":
					if m, ok := l.scalar(q.val, "engagement", s); ok {
						if mi, found := rs.modelIdx[m]; found {
							g.engagement = mi
						} else {
							unknown(q.val, "score", m, rs.modelIdx)
						}
					}
				}
			}
			for _, ri := range g.required {
				if !slices.Contains(g.roles, ri) {
					g.roles = append(g.roles, ri)
				}
			}
			for ri := range g.weights {
				if !slices.Contains(g.roles, ri) {
					g.roles = append(g.roles, ri)
				}
			}
			sort.Ints(g.roles)
			spec.groups = append(spec.groups, g)
			addField(gp.key, g.name+"_completeness", "float")
			addField(gp.key, g.name+"_engagement", "float")
			addField(gp.key, g.name+"_members", "int")
			addField(gp.key, g.name+"_missing", "list")
		}
	}
	if p, ok := byKey["rollups"]; ok {
		for _, rp := range l.mapping(p.val, "rollups", subject{}) {
			ru := rollup{name: rp.key.Value, model: -1}
			s := subj("rollup", ru.name)
			kinds := []string{"count", "count_stage", "count_grade", "count_role", "sum", "max", "min", "mean", "top_mean", "n"}
			for _, q := range l.mapping(rp.val, "rollup "+ru.name, s, kinds...) {
				v, ok := l.scalar(q.val, q.key.Value, s)
				if !ok {
					continue
				}
				switch q.key.Value {
				case "n":
					if k, ok := l.w.Int(q.val, "n", s); ok && k >= 1 && k <= 1000 {
						ru.n = int(k)
					} else {
						l.errorf(q.val, s, CodeInvalid, "n: want 1 to 1000")
					}
					continue
				case "count":
					if v != "all" {
						l.errorf(q.val, s, CodeInvalid, "count: all (or count_stage, count_grade, count_role)")
					}
				case "count_stage":
					if _, found := rs.stageIdx[v]; !found && v != DisqualifiedStage {
						unknown(q.val, "stage", v, rs.stageIdx)
					}
				case "count_grade":
					found := false
					for _, g := range rs.grades {
						found = found || g.grade == v
					}
					if !found {
						l.errorf(q.val, s, CodeUnknownName, "unknown grade %s", v)
					}
				case "count_role":
					if _, found := roleIdx[v]; !found {
						unknown(q.val, "role", v, roleIdx)
					}
				default:
					mi, found := rs.modelIdx[v]
					if !found {
						unknown(q.val, "score", v, rs.modelIdx)
					}
					ru.model = mi
				}
				if ru.kind != "" {
					l.errorf(q.key, s, CodeInvalid, "a roll-up has one kind, got %s and %s", ru.kind, q.key.Value)
				}
				ru.kind, ru.arg = q.key.Value, v
			}
			if ru.kind == "" {
				l.errorf(rp.key, s, CodeMissing, "missing the kind (count, count_stage, count_grade, count_role, sum, max, min, mean, top_mean)")
				continue
			}
			if ru.kind == "top_mean" && ru.n == 0 {
				l.errorf(rp.key, s, CodeMissing, "top_mean needs n")
			}
			spec.rollups = append(spec.rollups, ru)
			typ := "float"
			if ru.kind == "count" || ru.kind == "count_stage" || ru.kind == "count_grade" || ru.kind == "count_role" {
				typ = "int"
			}
			addField(rp.key, ru.name, typ)
		}
	}
	// The account rules: a rules file made of the section's own nodes (so
	// every position is in the user's file), with the generated fields.
	fields := &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	if p, ok := byKey["fields"]; ok && p.val.Kind == yaml.MappingNode {
		fields.Content = append(fields.Content, p.val.Content...)
	}
	fields.Content = append(fields.Content, synth...)
	root := &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	put := func(k string, v *yaml.Node) {
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k, Line: v.Line, Column: v.Column}, v)
	}
	if p, ok := top["version"]; ok {
		put("version", p.val)
	}
	put("name", &yaml.Node{Kind: yaml.ScalarNode, Value: rs.name + "/accounts", Line: n.Line, Column: n.Column})
	put("fields", fields)
	if p, ok := top["lists"]; ok {
		put("lists", p.val)
	}
	for _, k := range []string{"scores", "grades", "stages", "disqualify", "recycle", "segments", "routing"} {
		if p, ok := byKey[k]; ok {
			put(k, p.val)
		}
	}
	ars := &RuleSet{file: rs.file, hash: rs.hash, opts: rs.opts}
	sub := &loader{w: l.w, opts: l.opts, listFiles: nil}
	sub.opts.fsys = l.opts.fsys
	sub.ruleSet(ars, root)
	ars.version = rs.version
	ars.pool.New = func() any { return ars.newState() }
	spec.rs = ars
	rs.accounts = spec
}

// Account is an account to score with its leads. Fields holds the declared
// account fields; Stage and StageEnteredAt its lifecycle state, as for a
// lead; Leads the leads, each a map, *Lead or struct as Score accepts.
type Account struct {
	ID             string
	Fields         map[string]any
	Leads          []any
	Stage          string
	StageEnteredAt time.Time
}

// AccountResult is an account scored with its leads.
type AccountResult struct {
	Account *Result       `json:"account"` // the account rules' result: scores, grade, stage, SLA, route
	Leads   []*Result     `json:"leads"`   // each lead's result, in input order
	Rollups []RollupValue `json:"rollups"`
	Groups  []GroupResult `json:"groups"`
}

// RollupValue is one roll-up and the leads behind it.
type RollupValue struct {
	Name  string   `json:"name"`
	Value float64  `json:"value"`
	Leads []string `json:"leads"` // the ids (or input indices as "#3") of the leads counted or summed
}

// GroupResult is a buying group of the account.
type GroupResult struct {
	Name         string              `json:"name"`
	Completeness float64             `json:"completeness"` // share of required roles filled
	Missing      []string            `json:"missing"`      // required roles no lead fills
	Members      map[string][]string `json:"members"`      // role → the leads holding it
	Engagement   float64             `json:"engagement"`   // Σ member engagement × role weight
}

// ScoreAccount scores an account with its leads at the evaluation time:
// each lead with the lead rules (a lead that fails rejects the account,
// with the lead's index), then the roll-ups and the buying groups, then the
// account rules. Leads routed by no lead route follow the account's owner.
func (rs *RuleSet) ScoreAccount(ctx context.Context, acct Account, at time.Time, opts ...EvalOption) (*AccountResult, error) {
	spec := rs.accounts
	if spec == nil {
		return nil, fmt.Errorf("scoring: the rules file has no accounts section")
	}
	if len(acct.Leads) > rs.opts.AccountLeads {
		return nil, limitErr("leads", "account has %d leads, more than the limit of %d (MaxAccountLeads)", len(acct.Leads), rs.opts.AccountLeads)
	}
	out := &AccountResult{Leads: make([]*Result, len(acct.Leads))}
	ids := make([]string, len(acct.Leads))
	for i, l := range acct.Leads {
		res, err := rs.Score(ctx, l, at, opts...)
		if err != nil {
			var e *Error
			if ok := asError(err, &e); ok && e.Kind == "lead field" {
				e.ID = fmt.Sprintf("leads[%d].%s", i, e.ID)
				return nil, e
			}
			return nil, fmt.Errorf("leads[%d]: %w", i, err)
		}
		out.Leads[i] = res
		ids[i] = res.LeadID
		if ids[i] == "" {
			ids[i] = fmt.Sprintf("#%d", i)
		}
	}
	fields := make(map[string]any, len(acct.Fields)+len(spec.rollups)+4*len(spec.groups))
	for k, v := range acct.Fields {
		fields[k] = v
	}
	for _, ru := range spec.rollups {
		v, who := ru.eval(rs, out.Leads, ids)
		out.Rollups = append(out.Rollups, RollupValue{Name: ru.name, Value: v, Leads: who})
		fields[ru.name] = v
	}
	for _, g := range spec.groups {
		gr := g.eval(rs, out.Leads, ids)
		out.Groups = append(out.Groups, gr)
		fields[g.name+"_completeness"] = gr.Completeness
		fields[g.name+"_engagement"] = gr.Engagement
		n := 0
		for _, l := range out.Leads {
			if g.member(rs, l) {
				n++
			}
		}
		fields[g.name+"_members"] = n
		missing := make([]any, len(gr.Missing))
		for i, m := range gr.Missing {
			missing[i] = m
		}
		fields[g.name+"_missing"] = missing
	}
	lead := &Lead{ID: acct.ID, Fields: fields, Stage: acct.Stage, StageEnteredAt: acct.StageEnteredAt}
	res, err := spec.rs.Score(ctx, lead, at, opts...)
	if err != nil {
		return nil, err
	}
	out.Account = res
	if owner := res.Route.Owner; owner != "" {
		for _, l := range out.Leads {
			if l.Route.ID == "" {
				l.Route = Route{ID: "account", Owner: owner, Reason: "follows the account's owner"}
			}
		}
	}
	return out, nil
}

func asError(err error, e **Error) bool { return errors.As(err, e) }

func (ru *rollup) eval(rs *RuleSet, leads []*Result, ids []string) (float64, []string) {
	who := []string{}
	var vals []float64
	for i, l := range leads {
		switch ru.kind {
		case "count":
			who = append(who, ids[i])
		case "count_stage":
			if l.Stage == ru.arg {
				who = append(who, ids[i])
			}
		case "count_grade":
			if l.Grade == ru.arg {
				who = append(who, ids[i])
			}
		case "count_role":
			if slices.Contains(l.Roles, ru.arg) {
				who = append(who, ids[i])
			}
		default:
			vals = append(vals, l.Scores[ru.model].Value)
			who = append(who, ids[i])
		}
	}
	switch ru.kind {
	case "count", "count_stage", "count_grade", "count_role":
		return float64(len(who)), who
	}
	if len(vals) == 0 {
		return 0, who
	}
	switch ru.kind {
	case "sum":
		t := 0.0
		for _, v := range vals {
			t += v
		}
		return t, who
	case "max":
		return slices.Max(vals), who
	case "min":
		return slices.Min(vals), who
	case "mean":
		t := 0.0
		for _, v := range vals {
			t += v
		}
		return t / float64(len(vals)), who
	case "top_mean":
		// The n highest, ties broken by input order (stable).
		idx := make([]int, len(vals))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return vals[idx[a]] > vals[idx[b]] })
		k := min(ru.n, len(idx))
		t := 0.0
		top := make([]string, k)
		for j := 0; j < k; j++ {
			t += vals[idx[j]]
			top[j] = who[idx[j]]
		}
		return t / float64(k), top
	}
	return math.NaN(), who
}

func (g *group) member(rs *RuleSet, l *Result) bool {
	for _, ri := range g.roles {
		if slices.Contains(l.Roles, rs.roles[ri].id) {
			return true
		}
	}
	return false
}

func (g *group) eval(rs *RuleSet, leads []*Result, ids []string) GroupResult {
	gr := GroupResult{Name: g.name, Members: map[string][]string{}, Missing: []string{}}
	for _, ri := range g.roles {
		id := rs.roles[ri].id
		gr.Members[id] = []string{}
		for i, l := range leads {
			if slices.Contains(l.Roles, id) {
				gr.Members[id] = append(gr.Members[id], ids[i])
			}
		}
	}
	filled := 0
	for _, ri := range g.required {
		if len(gr.Members[rs.roles[ri].id]) > 0 {
			filled++
		} else {
			gr.Missing = append(gr.Missing, rs.roles[ri].id)
		}
	}
	gr.Completeness = 1
	if len(g.required) > 0 {
		gr.Completeness = float64(filled) / float64(len(g.required))
	}
	if g.engagement >= 0 {
		for _, l := range leads {
			w := 0
			for _, ri := range g.roles {
				if slices.Contains(l.Roles, rs.roles[ri].id) {
					rw, ok := g.weights[ri]
					if !ok {
						rw = 1
					}
					w = max(w, rw)
				}
			}
			gr.Engagement += float64(w) * l.Scores[g.engagement].Value
		}
	}
	return gr
}

// AccountRecord is one account of ScoreAccountLines: its result, or why it
// was rejected.
type AccountRecord struct {
	Line   int            // 1-based line of the account in the input
	Result *AccountResult // when scored
	Err    error          // why it was rejected: an *Error
}

// ScoreAccountLines scores a stream of accounts, JSON lines (or one JSON
// array) read like ScoreLines: each an object with the account's id, its
// fields, optionally stage and stage_entered_at, and "leads": the list of
// its leads as ScoreLines reads them (at most MaxAccountLeads). Accounts are
// scored by a bounded pool of workers and emitted in input order; a bad
// account (or a bad lead in it, named by its index) is a rejected record and
// the batch goes on: Read == Scored + Rejected.
func (rs *RuleSet) ScoreAccountLines(ctx context.Context, r io.Reader, name string, at time.Time, emit func(AccountRecord) error, opts ...BatchOption) (st BatchStats, err error) {
	defer diag.Recover(&err, "scoring: score accounts")
	if rs.accounts == nil {
		return st, fmt.Errorf("scoring: the rules file has no accounts section")
	}
	cfg := batchConfig{workers: runtime.GOMAXPROCS(0), maxLine: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.workers < 1 {
		cfg.workers = 1
	}
	err = readOrdered(ctx, r, name, &cfg,
		func(ctx context.Context, j lineJob) AccountRecord {
			rec := AccountRecord{Line: j.line, Err: j.err}
			if rec.Err != nil {
				return rec
			}
			acct, err := decodeAccount(j.data)
			if err == nil {
				rec.Result, err = rs.ScoreAccount(ctx, acct, at, cfg.evalOpts...)
			}
			if le, ok := isLeadErr(err); ok && le.File == "" {
				le.File, le.Line = name, j.line
			}
			rec.Err = err
			return rec
		},
		func(rec AccountRecord) error {
			st.Read++
			if rec.Err != nil {
				st.Rejected++
			} else {
				st.Scored++
			}
			if err := emit(rec); err != nil {
				return err
			}
			cfg.tick(st)
			return nil
		})
	cfg.done(st)
	return st, err
}

// decodeAccount reads one account object: id, stage, stage_entered_at and
// leads are its own keys, everything else its fields.
func decodeAccount(data []byte) (Account, error) {
	m, err := DecodeLead(data)
	if err != nil {
		return Account{}, err
	}
	return AccountFromMap(m)
}

// AccountFromMap makes an Account of an object as ScoreAccountLines reads
// one: the keys id, stage, stage_entered_at and leads (a list of lead
// objects) are the account's own, every other key a field. m is modified.
func AccountFromMap(m map[string]any) (Account, error) {
	a := Account{Fields: m}
	if x, ok := m["id"]; ok {
		id, isStr := x.(string)
		if !isStr {
			return a, leadErr("id", "%s", "want a string, got "+describeKind(x))
		}
		a.ID = id
		delete(m, "id")
	}
	if x, ok := m["stage"]; ok {
		st, isStr := x.(string)
		if !isStr {
			return a, leadErr("stage", "%s", "want a stage id, got "+describeKind(x))
		}
		a.Stage = st
		delete(m, "stage")
	}
	if x, ok := m["stage_entered_at"]; ok {
		v, _, err := convert(KindTime, x)
		if err != nil {
			return a, leadErr("stage_entered_at", "%s", err.Error())
		}
		a.StageEnteredAt = v.time()
		delete(m, "stage_entered_at")
	}
	if x, ok := m["leads"]; ok {
		leads, isList := x.([]any)
		if !isList {
			return a, leadErr("leads", "%s", "want a list of leads, got "+describeKind(x))
		}
		for i, l := range leads {
			if _, isMap := l.(map[string]any); !isMap {
				return a, leadErr(fmt.Sprintf("leads[%d]", i), "%s", "want a lead object, got "+describeKind(l))
			}
		}
		a.Leads = leads
		delete(m, "leads")
	}
	return a, nil
}

// AccountRules returns the compiled account rules of the accounts section
// (its scores, grades, stages and routing, over the account fields, roll-ups
// and group figures), or nil when the file has none. Package backtest
// compares account results with it.
func (rs *RuleSet) AccountRules() *RuleSet {
	if rs.accounts == nil {
		return nil
	}
	return rs.accounts.rs
}

// ScoreAccountFiles scores accounts given as two JSON-lines inputs joined
// by account id: accounts (objects as ScoreAccountLines reads them, without
// "leads") and leads, each with an "account_id" key naming its account. The
// accounts are read first (at most MaxRules × 100 of them, each bounded by
// MaxLineBytes); the leads stream and must come grouped by account — all of
// an account's leads together, as an export ordered or grouped by account
// gives them — so that at most one account's leads (MaxAccountLeads) are
// held at a time. Every account is emitted, in the order of the accounts
// input, with its leads; a lead whose account is unknown (an orphan), a
// lead without account_id, or an account's leads split in two groups is a
// rejected record at the lead's line, and the batch goes on. Read counts
// accounts and leads rejected on their own.
func (rs *RuleSet) ScoreAccountFiles(ctx context.Context, accounts io.Reader, accountsName string, leads io.Reader, leadsName string, at time.Time, emit func(AccountRecord) error, opts ...BatchOption) (st BatchStats, err error) {
	defer diag.Recover(&err, "scoring: score account files")
	if rs.accounts == nil {
		return st, fmt.Errorf("scoring: the rules file has no accounts section")
	}
	cfg := batchConfig{workers: runtime.GOMAXPROCS(0), maxLine: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	maxAccounts := rs.opts.Rules * 100
	type acctIn struct {
		line  int
		acct  Account
		err   error
		leads []any
	}
	var order []*acctIn
	byID := map[string]*acctIn{}
	reject := func(rec AccountRecord) error {
		st.Read++
		st.Rejected++
		return emit(rec)
	}
	err = jsonlines.Read(ctx, accounts, accountsName, cfg.maxLine, func(it jsonlines.Item) error {
		a := &acctIn{line: it.Line, err: it.Err}
		if a.err == nil {
			a.acct, a.err = decodeAccount(it.Data)
			if a.err == nil && a.acct.ID == "" {
				a.err = leadErr("id", "%s", "an account needs an id to join its leads")
			}
			if a.err == nil && byID[a.acct.ID] != nil {
				a.err = leadErr("id", "duplicate account id %q (first at line %d)", clip(a.acct.ID, 64), byID[a.acct.ID].line)
			}
			if a.err == nil && a.acct.Leads != nil {
				a.err = leadErr("leads", "%s", "with a leads input, accounts carry no leads of their own")
			}
		}
		if le, ok := isLeadErr(a.err); ok && le.File == "" {
			le.File, le.Line = accountsName, it.Line
		}
		if a.err == nil {
			if len(byID) >= maxAccounts {
				return limitErr("", "more than %d accounts", maxAccounts)
			}
			byID[a.acct.ID] = a
		}
		order = append(order, a)
		return nil
	})
	if err != nil {
		return st, err
	}
	// Stream the leads, one account's group at a time.
	done := map[string]bool{}
	var cur *acctIn
	var curID string
	err = jsonlines.Read(ctx, leads, leadsName, cfg.maxLine, func(it jsonlines.Item) error {
		fail := func(e error) error {
			if le, ok := isLeadErr(e); ok && le.File == "" {
				le.File, le.Line = leadsName, it.Line
			}
			return reject(AccountRecord{Line: it.Line, Err: e})
		}
		if it.Err != nil {
			return fail(it.Err)
		}
		m, err := DecodeLead(it.Data)
		if err != nil {
			return fail(err)
		}
		id, _ := m["account_id"].(string)
		if id == "" {
			return fail(leadErr("account_id", "%s", "missing: a lead of the leads input names its account"))
		}
		delete(m, "account_id")
		if id != curID {
			if done[id] {
				return fail(leadErr("account_id", "account %q: its leads are not grouped together (an earlier group ended)", clip(id, 64)))
			}
			if curID != "" {
				done[curID] = true
			}
			curID, cur = id, byID[id]
		}
		if cur == nil {
			return fail(leadErr("account_id", "account %q is not in %s (an orphan lead)", clip(id, 64), accountsName))
		}
		if len(cur.leads) >= rs.opts.AccountLeads {
			return fail(limitErr("account_id", "account %q has more than %d leads (MaxAccountLeads)", clip(id, 64), rs.opts.AccountLeads))
		}
		cur.leads = append(cur.leads, m)
		return nil
	})
	if err != nil {
		return st, err
	}
	for _, a := range order {
		rec := AccountRecord{Line: a.line, Err: a.err}
		if rec.Err == nil {
			a.acct.Leads = a.leads
			rec.Result, rec.Err = rs.ScoreAccount(ctx, a.acct, at, cfg.evalOpts...)
			if le, ok := isLeadErr(rec.Err); ok && le.File == "" {
				le.File, le.Line = accountsName, a.line
			}
		}
		st.Read++
		if rec.Err != nil {
			st.Rejected++
		} else {
			st.Scored++
		}
		if err := emit(rec); err != nil {
			return st, err
		}
		a.leads = nil
	}
	return st, nil
}
