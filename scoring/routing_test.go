package scoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

const routingRules = `
version: "r1"
fields: {size: int, region: string}
stages:
  - id: lead
  - id: mql
    when: size > 0
    sla: 4h
segments:
  - {id: big, when: size >= 1000}
  - {id: emea, when: region == "emea"}
routing:
  stages: [mql]
  owners: [a, b, c]
  queues: [q]
  routes:
    - {id: fixed, when: '"emea" in segments', owners: [c, a], distribution: fixed}
    - {id: rr, when: '"big" in segments', owners: [a, b, c], distribution: round_robin}
    - {id: w, when: size > 500, owners: [a, b], distribution: weighted, weights: {a: 3, b: 7}}
    - {id: fallback, queue: q}
`

func TestRouting(t *testing.T) {
	rs := mustRules(t, routingRules)
	// Hash values worked out independently of this code (64-bit FNV-1a of
	// route id, a zero byte and lead id, computed in Python):
	//   rr: lead-1 → 0 (mod 3), lead-2 → 1, lead-3 → 2
	//   w:  lead-1 → 4 (mod 10), lead-2 → 3, lead-3 → 2, lead-4 → 1
	// weighted a:3 b:7 gives a the values 0..2 and b 3..9.
	tests := []struct {
		name        string
		lead        map[string]any
		unavailable []string
		segments    []string
		route       Route
		reason      string
	}{
		{name: "round robin 1", lead: map[string]any{"id": "lead-1", "size": 2000.0}, segments: []string{"big"}, route: Route{ID: "rr", Owner: "a"}},
		{name: "round robin 2", lead: map[string]any{"id": "lead-2", "size": 2000.0}, segments: []string{"big"}, route: Route{ID: "rr", Owner: "b"}},
		{name: "round robin 3", lead: map[string]any{"id": "lead-3", "size": 2000.0}, segments: []string{"big"}, route: Route{ID: "rr", Owner: "c"}},
		{name: "round robin without a", lead: map[string]any{"id": "lead-1", "size": 2000.0}, unavailable: []string{"a"},
			// available [b, c]: hash mod 2; 18343388282821737423 is odd → c
			segments: []string{"big"}, route: Route{ID: "rr", Owner: "c"}},
		{name: "weighted 4 → b", lead: map[string]any{"id": "lead-1", "size": 600.0}, route: Route{ID: "w", Owner: "b"}},
		{name: "weighted 3 → b", lead: map[string]any{"id": "lead-2", "size": 600.0}, route: Route{ID: "w", Owner: "b"}},
		{name: "weighted 2 → a", lead: map[string]any{"id": "lead-3", "size": 600.0}, route: Route{ID: "w", Owner: "a"}},
		{name: "weighted 1 → a", lead: map[string]any{"id": "lead-4", "size": 600.0}, route: Route{ID: "w", Owner: "a"}},
		{name: "fixed", lead: map[string]any{"id": "x", "size": 5.0, "region": "emea"}, segments: []string{"emea"}, route: Route{ID: "fixed", Owner: "c"}},
		{name: "fixed, first unavailable", lead: map[string]any{"id": "x", "size": 5.0, "region": "emea"}, unavailable: []string{"c"},
			segments: []string{"emea"}, route: Route{ID: "fixed", Owner: "a"}},
		{name: "everyone away falls back to the queue", lead: map[string]any{"id": "lead-1", "size": 2000.0}, unavailable: []string{"a", "b", "c"},
			segments: []string{"big"}, route: Route{ID: "fallback", Queue: "q"},
			reason: "route rr skipped: no available owner (a, b, c unavailable); route w skipped: no available owner (a, b unavailable); queue"},
		{name: "not entering a routing stage", lead: map[string]any{"id": "x", "size": 0.0}},
		{name: "already an MQL", lead: map[string]any{"id": "x", "size": 5.0, "stage": "mql"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := rs.Score(context.Background(), tt.lead, at, WithUnavailable(tt.unavailable...))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(res.Segments) != fmt.Sprint(tt.segments) {
				t.Errorf("segments = %v, want %v", res.Segments, tt.segments)
			}
			got := res.Route
			got.Reason = ""
			if got != tt.route {
				t.Errorf("route = %+v, want %+v", res.Route, tt.route)
			}
			if tt.reason != "" && res.Route.Reason != tt.reason {
				t.Errorf("reason = %q, want %q", res.Route.Reason, tt.reason)
			}
		})
	}
}

func TestRoutingDeterministic(t *testing.T) {
	// The same lead goes to the same owner across rule-set instances (as
	// across restarts and replicas).
	a := mustRules(t, routingRules)
	b := mustRules(t, routingRules)
	for i := 0; i < 200; i++ {
		lead := map[string]any{"id": fmt.Sprintf("L%d", i), "size": 2000.0}
		ra, _ := a.Score(context.Background(), lead, at)
		rb, _ := b.Score(context.Background(), lead, at)
		if ra.Route != rb.Route {
			t.Fatalf("lead %d: %+v vs %+v", i, ra.Route, rb.Route)
		}
	}
}

func TestRoutingNeedsLeadID(t *testing.T) {
	rs := mustRules(t, routingRules)
	_, err := rs.Score(context.Background(), map[string]any{"size": 2000.0}, at)
	var le *Error
	if !errors.As(err, &le) || !errors.Is(err, ErrLead) || le.ID != "id" || le.Kind != "lead field" {
		t.Errorf("err = %v, want a LeadError for id", err)
	}
}

// TestStatefulRoundRobinFair: N leads over K owners from many goroutines
// (run with -race): each owner gets ⌊N/K⌋ or ⌈N/K⌉.
func TestStatefulRoundRobinFair(t *testing.T) {
	rs := mustRules(t, routingRules)
	rot := &MemoryRotation{}
	const n, k = 1000, 3
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += 8 {
				res, err := rs.Score(context.Background(), map[string]any{"size": 2000.0}, at, WithRotation(rot))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				counts[res.Route.Owner]++
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	total := 0
	for owner, c := range counts {
		total += c
		if c != n/k && c != n/k+1 {
			t.Errorf("owner %s got %d leads, want %d or %d", owner, c, n/k, n/k+1)
		}
	}
	if total != n || len(counts) != k {
		t.Errorf("counts = %v", counts)
	}
}

func TestRoutingSLAStartsAtHandoff(t *testing.T) {
	rs := mustRules(t, routingRules)
	res, err := rs.Score(context.Background(), map[string]any{"id": "lead-1", "size": 2000.0}, at)
	if err != nil {
		t.Fatal(err)
	}
	if res.Route.Owner == "" || !res.SLA.EnteredAt.Equal(at) || !strings.HasPrefix(res.SLA.Within, "4h") {
		t.Errorf("route %+v, SLA %+v: the SLA must start at the handoff", res.Route, res.SLA)
	}
}
