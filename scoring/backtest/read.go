package backtest

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/revengine/revengine/internal/jsonlines"
	"github.com/revengine/revengine/scoring"
)

// ErrInput reports input that cannot be read as leads at all: a malformed
// JSON array, data after its closing ']', an element far over the size
// bound, or a line with no end. Such an error is a *scoring.Error with the
// place (name:line:col); per-lead problems are not errors of Run, they are
// Rejections in the Report.
var ErrInput = errors.New("backtest: unreadable input")

// rawLead is one lead as read: its line and bytes, or why it cannot be read.
type rawLead struct {
	name    string // the input's name, for placing lead errors
	line    int
	data    []byte         // the JSON, when not decoded
	lead    map[string]any // the lead, when decoded
	decoded bool
	err     error
}

// readLeads reads leads through the module's one JSON-lines reader (JSON
// lines, or one JSON array; see scoring.RuleSet.ScoreLines) and calls yield
// with every lead in input order. A line or element longer than maxBytes is
// yielded with scoring.ErrLineTooLong; an error that stops the read is a
// *scoring.Error that also matches ErrInput.
func readLeads(ctx context.Context, r io.Reader, name string, maxBytes int, yield func(rawLead) error) error {
	err := jsonlines.Read(ctx, r, name, maxBytes, func(it jsonlines.Item) error {
		rl := rawLead{name: name, line: it.Line, err: it.Err}
		if it.Err == nil {
			rl.data = bytes.Clone(it.Data)
		}
		return yield(rl)
	})
	var de *scoring.Error
	if errors.As(err, &de) && (errors.Is(err, scoring.ErrSyntax) || errors.Is(err, scoring.ErrLineTooLong)) {
		de.Err = errors.Join(ErrInput, de.Err)
	}
	return err
}
