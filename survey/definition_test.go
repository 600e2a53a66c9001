package survey

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustLoadFile(t testing.TB, path string) *Survey {
	t.Helper()
	s, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoad(t *testing.T) {
	s := mustLoadFile(t, "testdata/pulse.yaml")
	if s.Name() != "Revenue team pulse" || s.Cadence() != Monthly {
		t.Errorf("name, cadence = %q, %q", s.Name(), s.Cadence())
	}
	if diff := cmp.Diff([]string{"team", "location", "tenure"}, s.Segments()); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	want := []Question{
		{ID: "enps", Kind: ENPS, Text: "How likely are you to recommend our company as a place to work?"},
		{ID: "tools", Kind: Likert, Text: "I have the tools I need to hit my number."},
		{ID: "manager", Kind: Likert, Text: "My manager helps me grow.", Optional: true},
		{ID: "blocker", Kind: Choice, Text: "What slows you down most?",
			Options: []string{"CRM hygiene", "Lead quality", "Approvals", "Nothing"}, Optional: true},
		{ID: "comment", Kind: Text, Text: "Anything else we should know?", Optional: true},
	}
	if diff := cmp.Diff(want, s.Questions()); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
	q, ok := s.Question("blocker")
	if !ok || q.Options[2] != "Approvals" {
		t.Errorf("Question(blocker) = %+v, %v", q, ok)
	}
	if _, ok := s.Question("nope"); ok {
		t.Error("Question(nope) found")
	}
	// The copies are copies.
	s.Questions()[3].Options[0] = "changed"
	if q, _ := s.Question("blocker"); q.Options[0] != "CRM hygiene" {
		t.Error("Questions() exposed the survey's options")
	}
}

func questionsYAML(n int) string {
	var b strings.Builder
	b.WriteString("name: x\ncadence: weekly\nquestions:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - id: q%d\n    type: likert\n    text: Q%d\n", i, i)
	}
	return b.String()
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every message, in order
		is   error    // matched by errors.Is on the result
	}{
		{"empty", "", []string{"p.yaml:1:1: empty definition"}, ErrDefinition},
		// yaml.v3 reports the line only, as the parser sees it.
		{"syntax", "name: [x\n", []string{"p.yaml:1: did not find expected ',' or ']'"}, ErrSyntax},
		{"not a mapping", "- a\n- b\n", []string{"p.yaml:1:1: survey must be a mapping, got a list"}, ErrDefinition},
		{"two documents", "name: x\n---\nname: y\n", []string{"p.yaml:2:1: more than one YAML document"}, ErrSyntax},
		{"missing everything", "colour: red\n", []string{
			`p.yaml:1:1: missing field "name"`,
			`p.yaml:1:1: missing field "cadence"`,
			`p.yaml:1:1: missing field "questions"`,
			`p.yaml:1:1: survey: unknown key "colour" (known: name, cadence, segments, questions, min_group_size)`,
		}, ErrRequired},
		{"10 questions are fine, 11 are not", questionsYAML(11), []string{
			// The 11th item starts at line 3 + 10·3 + 1 = 34, column 5.
			`p.yaml:34:5: question "q11": a pulse survey has at most 10 questions, this is question 11`,
		}, ErrTooManyQuestions},
		{"no questions", "name: x\ncadence: weekly\nquestions: []\n", []string{
			"p.yaml:3:12: questions: at least one question is required"}, ErrDefinition},
		{"bad cadence", "name: x\ncadence: daily\nquestions:\n  - {id: a, type: text, text: t}\n", []string{
			`p.yaml:2:10: cadence "daily": want weekly, monthly or quarterly`}, ErrDefinition},
		{"empty name", "name: ' '\ncadence: weekly\nquestions:\n  - {id: a, type: text, text: t}\n", []string{
			"p.yaml:1:7: name is empty"}, ErrDefinition},
		{"null name", "name:\ncadence: weekly\nquestions:\n  - {id: a, type: text, text: t}\n", []string{
			"p.yaml:1:6: name must be a scalar, got null"}, ErrDefinition},
		{"duplicate key", "name: x\nname: y\ncadence: weekly\nquestions:\n  - {id: a, type: text, text: t}\n", []string{
			`p.yaml:2:1: survey: duplicate key "name"`}, ErrDuplicate},
		// Columns counted by hand: in "  - {id: a, type: …" the id value is
		// column 10, the type value column 19, and in the choice lines the
		// options list opens at column 45.
		{"question problems", `name: x
cadence: quarterly
segments: [team, wave, "bad id"]
questions:
  - {id: a, type: enps, text: t, colour: red}
  - {id: a, type: likert, text: u, options: [x, y]}
  - {id: c, type: matrix, text: v}
  - {id: d, type: choice, text: w, options: [x, " x", ""]}
  - {id: team, type: text}
  - {type: text, text: z, optional: maybe}
  - "just text"
`, []string{
			`p.yaml:3:18: segment "wave": the name of a reserved column`,
			`p.yaml:3:24: segment "bad id": want letters, digits, '_', '.' or '-', starting with a letter or digit`,
			`p.yaml:5:34: question "a": unknown key "colour" (known: id, type, text, options, optional)`,
			`p.yaml:6:10: question "a": id is already the id of question 1`,
			`p.yaml:6:45: question "a": options are only for choice questions`,
			`p.yaml:7:19: question "c": type "matrix": want enps, likert, choice or text`,
			`p.yaml:8:49: question "d": duplicate option "x"`,
			`p.yaml:8:55: question "d": empty option`,
			`p.yaml:9:5: question "team": missing field "text"`,
			`p.yaml:9:10: question "team": id is already a segment`,
			`p.yaml:10:5: question 6: missing field "id"`,
			`p.yaml:10:37: question 6: optional must be true or false, got "maybe"`,
			`p.yaml:11:5: question 7 must be a mapping, got scalar "just text"`,
		}, ErrDefinition},
		{"choice without options", "name: x\ncadence: weekly\nquestions:\n  - {id: a, type: choice, text: t}\n  - {id: b, type: choice, text: t, options: [one]}\n", []string{
			`p.yaml:4:5: question "a": a choice question needs at least two options`,
			`p.yaml:5:45: question "b": a choice question needs at least two options`,
		}, ErrDefinition},
		{"alias", "base: &b {id: a}\nname: x\n", []string{
			`p.yaml:1:1: survey: unknown key "base" (known: name, cadence, segments, questions, min_group_size)`,
			`p.yaml:1:1: missing field "cadence"`, // root position for the missing fields
			`p.yaml:1:1: missing field "questions"`,
		}, ErrDefinition},
		{"duplicate segment", "name: x\ncadence: weekly\nsegments: [team, team]\nquestions:\n  - {id: a, type: text, text: t, optional: True}\n", []string{
			`p.yaml:3:18: segment "team": duplicate segment`}, ErrDuplicate},
		{"segments not a list", "name: x\ncadence: weekly\nsegments: team\nquestions:\n  - {id: a, type: text, text: t}\n", []string{
			`p.yaml:3:11: segments must be a list, got scalar "team"`}, ErrDefinition},
		{"questions not a list", "name: x\ncadence: weekly\nquestions: {id: a}\n", []string{
			"p.yaml:3:12: questions must be a list, got a mapping"}, ErrDefinition},
		{"alias question", "name: x\ncadence: weekly\nquestions:\n  - &q {id: a, type: text, text: t}\n  - *q\n", []string{
			"p.yaml:5:5: question 2 must be a mapping, got an alias",
		}, ErrDefinition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(strings.NewReader(tt.src), "p.yaml")
			if err == nil {
				t.Fatalf("no error; survey %+v", s)
			}
			var list Errors
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			// "missing everything" lists the root errors at one position in
			// the order found; compare as sets there.
			if diff := cmp.Diff(tt.want, got); diff != "" && !sameSet(tt.want, got) {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
	// Exactly 10 questions load.
	if _, err := Load(strings.NewReader(questionsYAML(10)), "p.yaml"); err != nil {
		t.Errorf("10 questions: %v", err)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestNew(t *testing.T) {
	s, err := New("Pulse", Weekly, []Question{
		{ID: "enps", Kind: ENPS, Text: "Recommend us?"},
		{ID: "why", Kind: Text, Text: "Why?", Optional: true},
	}, "team")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Questions()) != 2 || s.Segments()[0] != "team" {
		t.Errorf("survey = %+v", s)
	}
	_, err = New("", "daily", []Question{{ID: "a", Kind: Choice, Text: "t", Options: []string{"x"}}})
	want := "name is empty\n" +
		`cadence "daily": want weekly, monthly or quarterly` + "\n" +
		`question "a": a choice question needs at least two options`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want\n%s", err, want)
	}
	if _, err := New("x", Weekly, nil); !errors.Is(err, ErrDefinition) {
		t.Errorf("no questions: err = %v", err)
	}
}

func TestLoadErrorCap(t *testing.T) {
	// 60 duplicate keys after the first: 1 unknown-field error + 60
	// duplicates + the 3 missing fields = 64 problems; 50 are shown and a
	// 51st says how many more (14).
	src := strings.Repeat("x: y\n", 61)
	_, err := Load(strings.NewReader(src), "p.yaml")
	list, ok := err.(Errors)
	if !ok || len(list) != 51 {
		t.Fatalf("err = %T with %d entries", err, len(list))
	}
	if got := list[50].Msg; got != "too many errors (14 more not shown)" {
		t.Errorf("last = %q", got)
	}
}

type failingReader struct{}

var errFire = errors.New("disk on fire")

func (failingReader) Read([]byte) (int, error) { return 0, errFire }

func TestLoadInput(t *testing.T) {
	big := strings.Repeat("#", DefaultMaxSourceBytes+1)
	_, err := Load(strings.NewReader(big), "big.yaml")
	// One line of 1 MiB + 1 bytes: the bound falls on line 1.
	if !errors.Is(err, ErrSyntax) || err.Error() != "big.yaml:1: definition larger than 1048576 bytes" {
		t.Errorf("oversize: %v", err)
	}
	_, err = Load(failingReader{}, "x.yaml")
	if !errors.Is(err, errFire) || err.Error() != "x.yaml: disk on fire" {
		t.Errorf("read error: %v", err)
	}
}
