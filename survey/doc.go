// Package survey computes eNPS/NPS and pulse-survey reports with honest
// statistics and protected anonymity.
package survey
