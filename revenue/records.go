package revenue

import (
	"time"

	"github.com/revengine/revengine/money"
)

// DealStatus is where a deal (opportunity) stands: open, won or lost.
type DealStatus string

// Deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// TouchKind says who made a touch: marketing (ads, email, webinars, content)
// or sales (calls, outbound sequences, meetings).
type TouchKind string

// Touch kinds.
const (
	TouchMarketing TouchKind = "marketing"
	TouchSales     TouchKind = "sales"
)

// Touch is one interaction of a buyer with the company before a deal closed.
type Touch struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel"` // e.g. "paid_search", "webinar", "outbound"
	Kind    TouchKind `json:"kind"`
}

// Deal is an opportunity: created on a date, closed (won or lost) on
// another, or still open; its amount in one currency; the channel that
// sourced it and the touches that led to it, in any order.
type Deal struct {
	ID      string      `json:"id"`
	Created time.Time   `json:"created"`
	Closed  time.Time   `json:"closed,omitzero"` // zero while open
	Status  DealStatus  `json:"status"`
	Stage   string      `json:"stage,omitempty"` // CRM stage name, informational
	Amount  money.Money `json:"amount"`
	Channel string      `json:"channel,omitempty"` // source channel
	Touches []Touch     `json:"touches,omitempty"`
	Line    int         `json:"line,omitempty"` // source line when read from CSV
}

// Stage is a stage of the demand waterfall.
type Stage string

// The stages of the demand waterfall (SiriusDecisions / Forrester): inquiry
// or lead, marketing-qualified, sales-accepted, sales-qualified, opportunity,
// closed-won.
const (
	StageLead        Stage = "lead"
	StageMQL         Stage = "mql"
	StageSAL         Stage = "sal"
	StageSQL         Stage = "sql"
	StageOpportunity Stage = "opportunity"
	StageWon         Stage = "won"
)

// Waterfall returns the demand-waterfall stages in order: lead, MQL, SAL,
// SQL, opportunity, won. It returns a new slice on each call.
func Waterfall() []Stage {
	return []Stage{StageLead, StageMQL, StageSAL, StageSQL, StageOpportunity, StageWon}
}

// StageChange records that a lead entered a stage on a date.
type StageChange struct {
	Stage Stage     `json:"stage"`
	At    time.Time `json:"at"`
}

// Prospect is a person or account moving through the demand funnel, with
// the channel that brought it and the stages it entered (a lead in CRM
// terms; the scoring package's Lead is the data a rule set scores). History
// may skip stages (a prospect may go straight to SQL); the funnel then
// counts the skipped stages as reached on the date of the later one.
type Prospect struct {
	ID      string        `json:"id"`
	Channel string        `json:"channel"`
	History []StageChange `json:"history"`
}

// SpendCategory separates marketing from sales cost, for CAC.
type SpendCategory string

// Spend categories.
const (
	SpendMarketing SpendCategory = "marketing"
	SpendSales     SpendCategory = "sales"
)

// Spend is money spent in a period on a channel.
type Spend struct {
	Period   Period        `json:"period"` // "2024-01" for a month
	Channel  string        `json:"channel"`
	Category SpendCategory `json:"category"`
	Amount   money.Money   `json:"amount"`
	Line     int           `json:"line,omitempty"`
}

// TotalSpend sums the spend of category cat (or all categories when cat is
// "") whose period starts within p. Currencies must all be cur.
func TotalSpend(spend []Spend, p Period, cat SpendCategory, cur money.Currency) (money.Money, error) {
	total := money.Zero(cur)
	if err := cur.Validate(); err != nil {
		return money.Money{}, err
	}
	for _, s := range spend {
		if (cat != "" && s.Category != cat) || !p.Contains(s.Period.Start) {
			continue
		}
		var err error
		if total, err = total.Add(s.Amount); err != nil {
			return money.Money{}, err
		}
	}
	return total, nil
}
