package goal

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/revenue"
)

// paceJSON is the wire form of a Pace: dates as YYYY-MM-DD, the period as
// revenue.ParsePeriod reads it, money as {"amount_minor":…,"currency":…}.
type paceJSON struct {
	Period        revenue.Period `json:"period"`
	First         string         `json:"first_day"`
	Last          string         `json:"last_day"`
	At            string         `json:"at"`
	Method        Method         `json:"method"`
	Status        Status         `json:"status"`
	TotalDays     int            `json:"total_days"`
	ElapsedDays   int            `json:"elapsed_days"`
	RemainingDays int            `json:"remaining_days"`
	Target        money.Money    `json:"target"`
	Actual        money.Money    `json:"actual"`
	Actuals       int            `json:"actuals"`
	Attainment    *float64       `json:"attainment"`
	ExpectedShare float64        `json:"expected_share"`
	Expected      money.Money    `json:"expected"`
	Gap           money.Money    `json:"gap"`
	Projection    *money.Money   `json:"projection"`
	Remaining     money.Money    `json:"remaining"`
	RequiredDaily *money.Money   `json:"required_daily"`
	Pipeline      *PipelineNeed  `json:"pipeline,omitempty"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("goal: %q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

// MarshalJSON encodes p with the stable names of its JSON form: period
// ("2024-Q1"), first_day and last_day ("2024-01-01"), at, method, status
// ("not_started", "in_progress" or "ended"),
// total_days, elapsed_days, remaining_days, target, actual (money),
// actuals, attainment (null when undefined), expected_share, expected,
// gap, projection and required_daily (money or null), remaining and, when
// asked for, pipeline.
func (p Pace) MarshalJSON() ([]byte, error) {
	w := paceJSON{
		Period: p.Period, At: date(p.At), Method: p.Method, Status: p.Status,
		TotalDays: p.TotalDays, ElapsedDays: p.ElapsedDays, RemainingDays: p.RemainingDays,
		Target: p.Target, Actual: p.Actual, Actuals: p.Actuals, Attainment: p.Attainment,
		ExpectedShare: p.ExpectedShare, Expected: p.Expected, Gap: p.Gap, Projection: p.Projection,
		Remaining: p.Remaining, RequiredDaily: p.RequiredDaily, Pipeline: p.Pipeline,
	}
	if p.Period != (revenue.Period{}) {
		w.First, w.Last = date(p.Period.Start), date(p.Period.Last())
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes the form MarshalJSON writes (first_day and
// last_day are derived from period and not read).
func (p *Pace) UnmarshalJSON(b []byte) error {
	var w paceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	at, err := parseDate(w.At)
	if err != nil {
		return err
	}
	*p = Pace{
		Period: w.Period, At: at, Method: w.Method, Status: w.Status,
		TotalDays: w.TotalDays, ElapsedDays: w.ElapsedDays, RemainingDays: w.RemainingDays,
		Target: w.Target, Actual: w.Actual, Actuals: w.Actuals, Attainment: w.Attainment,
		ExpectedShare: w.ExpectedShare, Expected: w.Expected, Gap: w.Gap, Projection: w.Projection,
		Remaining: w.Remaining, RequiredDaily: w.RequiredDaily, Pipeline: w.Pipeline,
	}
	return nil
}

// reportJSON is the wire form of a Report.
type reportJSON struct {
	At       string         `json:"at"`
	Period   revenue.Period `json:"period"`
	Currency money.Currency `json:"currency"`
	Split    string         `json:"split"`
	By       string         `json:"by,omitempty"`
	Method   Method         `json:"method"`
	Counted  int            `json:"counted"`
	Later    int            `json:"later"`
	Outside  int            `json:"outside"`
	Total    Pace           `json:"total"`
	Parts    []Pace         `json:"parts"`
}

// MarshalJSON encodes r with the stable names listed on Report.
func (r Report) MarshalJSON() ([]byte, error) {
	parts := r.Parts
	if parts == nil {
		parts = []Pace{}
	}
	return json.Marshal(reportJSON{
		At: date(r.At), Period: r.Total.Period, Currency: r.Total.Target.Currency, Split: r.Split, By: r.By,
		Method: r.Method, Counted: r.Counted, Later: r.Later, Outside: r.Outside, Total: r.Total, Parts: parts,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes (period and currency
// are those of the total and not read separately).
func (r *Report) UnmarshalJSON(b []byte) error {
	var w reportJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	at, err := parseDate(w.At)
	if err != nil {
		return err
	}
	*r = Report{At: at, Method: w.Method, Split: w.Split, By: w.By, Total: w.Total, Parts: w.Parts,
		Counted: w.Counted, Later: w.Later, Outside: w.Outside}
	return nil
}
