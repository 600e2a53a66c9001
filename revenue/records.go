package revenue

import (
	"time"

	"github.com/revengine/revengine/money"
	"github.com/revengine/revengine/record"
)

// The records the KPIs read are the module's one data model, package
// record: a Deal here is a record.Deal, and so on.
type (
	// DealStatus is where a deal stands: open, won or lost.
	DealStatus = record.DealStatus
	// TouchKind says who made a touch: marketing or sales.
	TouchKind = record.TouchKind
	// Touch is one interaction of a buyer with the company (record.Touch).
	Touch = record.Touch
	// Deal is an opportunity with its amount and touches (record.Deal).
	Deal = record.Deal
	// SpendCategory separates marketing from sales cost, for CAC.
	SpendCategory = record.SpendCategory
	// Spend is money spent in a period on a channel (record.Spend).
	Spend = record.Spend
)

// Deal statuses, touch kinds and spend categories (record's).
const (
	DealOpen       = record.DealOpen
	DealWon        = record.DealWon
	DealLost       = record.DealLost
	TouchMarketing = record.TouchMarketing
	TouchSales     = record.TouchSales
	SpendMarketing = record.SpendMarketing
	SpendSales     = record.SpendSales
)

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
