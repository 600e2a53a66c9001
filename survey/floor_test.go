package survey

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const pinnedYAML = `name: Pinned pulse
cadence: monthly
min_group_size: 7
segments: [team]
questions:
  - {id: enps, type: enps, text: "Recommend us?"}
  - {id: tools, type: likert, text: "Tools?"}
  - {id: comment, type: text, text: "Anything?", optional: true}
`

// TestAnonymityFloor: the definition pins 7; the report's threshold is 7
// without options, an option may raise it (10) but not lower it (5), and
// nothing goes below the absolute floor of 3 — neither a definition nor an
// option.
func TestAnonymityFloor(t *testing.T) {
	ctx := context.Background()
	s, err := Parse("pinned.yaml", []byte(pinnedYAML))
	if err != nil {
		t.Fatal(err)
	}
	if s.MinGroupSize() != 7 {
		t.Fatalf("min group size %d", s.MinGroupSize())
	}
	// AE 7 respondents, CSM 6: at 7, CSM is below the threshold (and AE,
	// the only other group, complementary, since the hidden 6 are fewer
	// than 7).
	var in []Response
	in = append(in, team("AE", "W1", 0, 7)...)
	in = append(in, team("CSM", "W1", 10, 6)...)
	b, err := s.Check(ctx, in)
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	rep, err := s.Report(ctx, b, WithBreakdown("team"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Threshold != 7 || rep.MinGroupSize != 7 || rep.Breakdown.Groups[1].Suppressed != BelowThreshold {
		t.Errorf("threshold %d, min %d, CSM %q", rep.Threshold, rep.MinGroupSize, rep.Breakdown.Groups[1].Suppressed)
	}
	if r, err := s.Report(ctx, b, WithThreshold(10)); err != nil || r.Threshold != 10 {
		t.Errorf("raised to 10: %v, %v", r, err)
	}
	if _, err := s.Report(ctx, b, WithThreshold(5)); !errors.Is(err, ErrThreshold) || !strings.Contains(err.Error(), "minimum group size 7") {
		t.Errorf("lowered to 5: %v", err)
	}
	// without a pin the default is 5 and the floor 3
	plain := mustLoadFile(t, "testdata/pulse.yaml")
	pb, _ := plain.Check(ctx, team("AE", "W1", 0, 4))
	if r, err := plain.Report(ctx, pb); err != nil || r.Threshold != DefaultThreshold || r.Suppressed != BelowThreshold {
		t.Errorf("default: %+v, %v", r, err)
	}
	if r, err := plain.Report(ctx, pb, WithThreshold(3)); err != nil || r.Suppressed != "" {
		t.Errorf("threshold 3 shows 4 respondents: %+v, %v", r, err)
	}
	if _, err := plain.Report(ctx, pb, WithThreshold(2)); !errors.Is(err, ErrThreshold) || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("threshold 2: %v", err)
	}
	// a definition cannot pin fewer than 3
	_, err = Parse("low.yaml", []byte(strings.Replace(pinnedYAML, "min_group_size: 7", "min_group_size: 2", 1)))
	if err == nil || !strings.Contains(err.Error(), "low.yaml:3:17: min_group_size \"2\"") || !errors.Is(err, ErrDefinition) {
		t.Errorf("pin 2: %v", err)
	}
	if _, err := plain.WithMinGroupSize(2); !errors.Is(err, ErrDefinition) {
		t.Errorf("WithMinGroupSize(2): %v", err)
	}
	if p, err := plain.WithMinGroupSize(8); err != nil || p.MinGroupSize() != 8 || plain.MinGroupSize() != 0 {
		t.Errorf("WithMinGroupSize(8): %v %v", p, err)
	}
}

// TestPooledWaves: a report over all waves names the waves it pools and
// counts the respondents who answered more than one: p0–p5 answer W1 and
// W2, p10–p14 only W2, so 6 repeat respondents of 11; the text says the
// pooled answers are not independent. One wave pools one and repeats none.
func TestPooledWaves(t *testing.T) {
	ctx := context.Background()
	s := mustLoadFile(t, "testdata/pulse.yaml")
	var in []Response
	in = append(in, team("AE", "W1", 0, 6)...)
	in = append(in, team("AE", "W2", 0, 6)...)
	in = append(in, team("CSM", "W2", 10, 5)...)
	b, err := s.Check(ctx, in)
	if err != nil || b.Err() != nil {
		t.Fatal(err, b.Err())
	}
	rep, err := s.Report(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rep.Waves, ",") != "W1,W2" || rep.RepeatRespondents != 6 || rep.Respondents != 11 {
		t.Errorf("waves %v repeat %d respondents %d", rep.Waves, rep.RepeatRespondents, rep.Respondents)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "pooled waves: W1, W2; 6 respondents answered more than one, and their answers are not independent") {
		t.Errorf("text:\n%s", text.String())
	}
	one, err := s.Report(ctx, b, WithWave("W2"))
	if err != nil || strings.Join(one.Waves, ",") != "W2" || one.RepeatRespondents != 0 {
		t.Errorf("one wave: %v %d, %v", one.Waves, one.RepeatRespondents, err)
	}
}
