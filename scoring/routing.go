package scoring

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

type routing struct {
	stages map[int]bool
	owners map[string]bool
	queues map[string]bool
	routes []route
}

type route struct {
	id           string
	label        string      // "route ID", for error reports
	when         *expression // nil for the fallback
	queue        string
	owners       []string
	weights      []int
	distribution string
}

// Distributions of a pool route.
const (
	DistributionFixed      = "fixed"
	DistributionRoundRobin = "round_robin"
	DistributionWeighted   = "weighted"
)

func (c *compiler) routing(byKey map[string]pair, cnt *counter) {
	if p, ok := byKey["segments"]; ok {
		c.rs.segments = c.stageRules(p.val, "segment", false, secSegment, cnt)
	}
	if p, ok := byKey["routing"]; ok {
		c.routes(p.val, cnt)
	}
}

var routingKeys = []string{"stages", "owners", "queues", "routes"}
var routeKeys = []string{"id", "description", "when", "queue", "owners", "distribution", "weights"}

func (c *compiler) names(n *yaml.Node, what string) (map[string]bool, []*yaml.Node) {
	out := map[string]bool{}
	var nodes []*yaml.Node
	for _, item := range c.l.sequence(n, what, subject{}) {
		s, ok := c.l.scalar(item, what, subject{})
		if !ok {
			continue
		}
		if out[s] {
			c.l.errorf(item, subject{}, CodeDuplicate, "%s: duplicate %q", what, s)
		}
		out[s] = true
		nodes = append(nodes, item)
	}
	return out, nodes
}

func (c *compiler) routes(n *yaml.Node, cnt *counter) {
	l := c.l
	rt := &c.rs.routing
	rt.stages = map[int]bool{}
	var routesNode, stagesNode *yaml.Node
	for _, p := range l.mapping(n, "routing", subject{}, routingKeys...) {
		switch p.key.Value {
		case "stages":
			stagesNode = p.val
			_, nodes := c.names(p.val, "routing stages")
			for _, sn := range nodes {
				idx, ok := c.rs.stageIdx[sn.Value]
				if !ok {
					l.errorf(sn, subject{}, CodeUnknownStage, "routing: unknown stage %q (declared: %s)", sn.Value, strings.Join(c.rs.Stages(), ", "))
					continue
				}
				rt.stages[idx] = true
			}
		case "owners":
			rt.owners, _ = c.names(p.val, "owners")
		case "queues":
			rt.queues, _ = c.names(p.val, "queues")
		case "routes":
			routesNode = p.val
		}
	}
	if stagesNode == nil {
		l.errorf(n, subj("routing", ""), CodeMissing, "missing stages (the stages whose entry routes a lead, e.g. [mql])")
	}
	if routesNode == nil {
		l.errorf(n, subj("routing", ""), CodeMissing, "missing routes")
		return
	}
	items := l.sequence(routesNode, "routes", subject{})
	for i, rn := range items {
		cnt.add(rn)
		r, ok := c.route(rn)
		if !ok {
			continue
		}
		last := i == len(items)-1
		if r.when == nil && !last {
			l.errorf(rn, subj("route", r.id), CodeInvalid, "only the last route, the fallback, may omit when")
		}
		rt.routes = append(rt.routes, r)
	}
	if len(items) > 0 {
		lastNode := items[len(items)-1]
		if lastNode.Kind == yaml.MappingNode {
			hasWhen := false
			for i := 0; i+1 < len(lastNode.Content); i += 2 {
				if lastNode.Content[i].Value == "when" {
					hasWhen = true
				}
			}
			if hasWhen {
				l.errorf(lastNode, subj("routing", ""), CodeMissing, "no fallback route: the last route must have no when, so that every lead has a destination")
			}
		}
	} else {
		l.errorf(routesNode, subj("routing", ""), CodeMissing, "no routes")
	}
}

func (c *compiler) route(n *yaml.Node) (route, bool) {
	l := c.l
	var r route
	get := map[string]*yaml.Node{}
	for _, p := range l.mapping(n, "route", subject{}, routeKeys...) {
		get[p.key.Value] = p.val
	}
	idNode, ok := get["id"]
	if !ok {
		if n.Kind == yaml.MappingNode {
			l.errorf(n, subject{}, CodeMissing, "route: missing id")
		}
		return r, false
	}
	r.id, _ = l.scalar(idNode, "id", subject{})
	if !c.claimID(idNode, "route", r.id) {
		return r, false
	}
	name := subj("route", r.id)
	r.label = "route " + r.id
	before := len(l.errs())
	if w, ok := get["when"]; ok {
		r.when = c.compile(w, name, KindBool, secRoute)
	}
	qn, hasQueue := get["queue"]
	on, hasOwners := get["owners"]
	switch {
	case hasQueue && hasOwners:
		l.errorf(n, name, CodeInvalid, "a route has a queue or owners, not both")
	case !hasQueue && !hasOwners:
		l.errorf(n, name, CodeMissing, "missing destination (queue or owners)")
	case hasQueue:
		r.queue, _ = l.scalar(qn, "queue", name)
		if !c.rs.routing.queues[r.queue] {
			l.errorf(qn, name, CodeUnknownTarget, "unknown queue %q (declare it under routing.queues)", r.queue)
		}
		for _, k := range []string{"distribution", "weights"} {
			if kn, ok := get[k]; ok {
				l.errorf(kn, name, CodeInvalid, "%s applies to owner pools, not queues", k)
			}
		}
	default:
		_, nodes := c.names(on, "owners")
		for _, o := range nodes {
			if !c.rs.routing.owners[o.Value] {
				l.errorf(o, name, CodeUnknownTarget, "unknown owner %q (declare it under routing.owners)", o.Value)
			}
			r.owners = append(r.owners, o.Value)
		}
		if len(r.owners) == 0 {
			l.errorf(on, name, CodeMissing, "empty owner pool")
		}
		r.distribution = DistributionRoundRobin
		if dn, ok := get["distribution"]; ok {
			r.distribution, _ = l.scalar(dn, "distribution", name)
			switch r.distribution {
			case DistributionFixed, DistributionRoundRobin, DistributionWeighted:
			default:
				l.errorf(dn, name, CodeInvalid, "unknown distribution %q (fixed, round_robin, weighted)", r.distribution)
			}
		}
		wn, hasWeights := get["weights"]
		switch {
		case r.distribution == DistributionWeighted && !hasWeights:
			l.errorf(n, name, CodeMissing, "weighted distribution needs weights")
		case r.distribution != DistributionWeighted && hasWeights:
			l.errorf(wn, name, CodeInvalid, "weights apply to the weighted distribution only")
		case hasWeights:
			r.weights = make([]int, len(r.owners))
			for _, p := range l.mapping(wn, "weights", name) {
				idx := -1
				for i, o := range r.owners {
					if o == p.key.Value {
						idx = i
					}
				}
				if idx < 0 {
					l.errorf(p.key, name, CodeUnknownTarget, "weight for %q, who is not in this route's owners", p.key.Value)
					continue
				}
				w, ok := l.number(p.val, "weight", name)
				if ok && (w <= 0 || w != float64(int(w)) || w > 1e6) {
					l.errorf(p.val, name, CodeInvalid, "weight must be a whole number from 1 to 1000000, got %v", w)
					continue
				}
				r.weights[idx] = int(w)
			}
			for i, w := range r.weights {
				if w == 0 {
					l.errorf(wn, name, CodeMissing, "missing weight for owner %q", r.owners[i])
				}
			}
		}
	}
	return r, len(l.errs()) == before
}

// Rotation holds the turns of stateful round-robin routing, for a service
// that wants strict turns rather than hashing. Next returns the number of
// turns the pool has had so far and advances it by one; the owner is
// available[turn mod len(available)]. Implementations must be safe for
// concurrent use.
type Rotation interface {
	Next(ctx context.Context, pool string) (uint64, error)
}

// MemoryRotation is an in-memory Rotation, safe for concurrent use. With a
// fixed set of K available owners, N leads routed through a pool give each
// owner ⌊N/K⌋ or ⌈N/K⌉ of them. The zero value is ready to use.
type MemoryRotation struct {
	mu    sync.Mutex
	turns map[string]uint64
}

// Next implements Rotation.
func (m *MemoryRotation) Next(_ context.Context, pool string) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.turns == nil {
		m.turns = map[string]uint64{}
	}
	t := m.turns[pool]
	m.turns[pool] = t + 1
	return t, nil
}

// EvalOption configures one evaluation.
type EvalOption func(*evalConfig)

type evalConfig struct {
	rotation    Rotation
	unavailable func(owner string) bool
	horizon     time.Duration // WithNextChange
	log         *DecisionLog  // WithDecisionLog
}

// WithRotation makes round_robin routes take strict turns from r instead of
// hashing the lead id.
func WithRotation(r Rotation) EvalOption { return func(c *evalConfig) { c.rotation = r } }

// WithUnavailable marks owners as unavailable (out of office, at capacity)
// for this evaluation: routing skips them, and a route whose pool has no one
// available gives way to the next route.
func WithUnavailable(owners ...string) EvalOption {
	set := make(map[string]bool, len(owners))
	for _, o := range owners {
		set[o] = true
	}
	return func(c *evalConfig) { c.unavailable = func(o string) bool { return set[o] } }
}

// WithAvailability is like WithUnavailable with a function: owners for which
// available returns false are skipped.
func WithAvailability(available func(owner string) bool) EvalOption {
	return func(c *evalConfig) { c.unavailable = func(o string) bool { return !available(o) } }
}

func (s *evalState) segmentsEval() {
	if len(s.rs.segments) == 0 {
		return
	}
	for i := range s.rs.segments {
		sg := &s.rs.segments[i]
		if s.cond(sg.when) {
			s.segBuf = append(s.segBuf, sg.id)
		}
	}
	s.curRule, s.cur = "", noExpr
	if len(s.segBuf) > 0 {
		s.segments = append([]string(nil), s.segBuf...)
	}
	s.segVal.set(listVal(s.segments)) // s.segments is the one allocation, only for leads with segments
}

// fnv1a hashes the route id and lead id (64-bit FNV-1a).
func fnv1a(route, lead string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(route); i++ {
		h ^= uint64(route[i])
		h *= 1099511628211
	}
	h ^= 0
	h *= 1099511628211
	for i := 0; i < len(lead); i++ {
		h ^= uint64(lead[i])
		h *= 1099511628211
	}
	return h
}

func (s *evalState) routeEval(res *Result) {
	rt := &s.rs.routing
	if len(rt.routes) == 0 || !res.StageChanged || s.curStage < 0 || !rt.stages[s.curStage] {
		return
	}
	var skipped []string
	for i := range rt.routes {
		r := &rt.routes[i]
		s.curRule = r.label
		if r.when != nil && !s.cond(r.when) {
			continue
		}
		if r.queue != "" {
			res.Route = Route{ID: r.id, Queue: r.queue, Reason: joinReason(skipped, "queue")}
			return
		}
		owner, why := s.pick(r)
		if owner == "" {
			skipped = append(skipped, fmt.Sprintf("route %s skipped: %s", r.id, why))
			continue
		}
		res.Route = Route{ID: r.id, Owner: owner, Reason: joinReason(skipped, why)}
		return
	}
	res.Route = Route{Reason: joinReason(skipped, "no route had an available destination")}
}

func joinReason(skipped []string, why string) string {
	if len(skipped) == 0 {
		return why
	}
	return strings.Join(skipped, "; ") + "; " + why
}

// pick chooses an owner from a route's pool, or says why none.
func (s *evalState) pick(r *route) (owner, why string) {
	var avail []int
	var unavailable []string
	for i, o := range r.owners {
		if s.cfg.unavailable != nil && s.cfg.unavailable(o) {
			unavailable = append(unavailable, o)
			continue
		}
		avail = append(avail, i)
	}
	if len(avail) == 0 {
		sort.Strings(unavailable)
		return "", "no available owner (" + strings.Join(unavailable, ", ") + " unavailable)"
	}
	switch r.distribution {
	case DistributionFixed:
		return r.owners[avail[0]], "fixed: first available owner"
	case DistributionRoundRobin:
		if s.cfg.rotation != nil {
			turn, err := s.cfg.rotation.Next(s.ctx, r.id)
			if err != nil {
				s.fail(fmt.Errorf("rotation: %w", err))
			}
			return r.owners[avail[turn%uint64(len(avail))]], fmt.Sprintf("round_robin: turn %d of %d owners", turn, len(avail))
		}
		if s.id == "" {
			s.fail(leadErr("id", "%s", "stateless round_robin routing needs a lead id"))
		}
		h := fnv1a(r.id, s.id)
		return r.owners[avail[h%uint64(len(avail))]], fmt.Sprintf("round_robin: hash of lead id mod %d", len(avail))
	default: // weighted
		if s.id == "" {
			s.fail(leadErr("id", "%s", "weighted routing needs a lead id"))
		}
		total := 0
		for _, i := range avail {
			total += r.weights[i]
		}
		x := int(fnv1a(r.id, s.id) % uint64(total))
		for _, i := range avail {
			if x < r.weights[i] {
				return r.owners[i], fmt.Sprintf("weighted: hash of lead id mod %d", total)
			}
			x -= r.weights[i]
		}
		return r.owners[avail[len(avail)-1]], "weighted"
	}
}
