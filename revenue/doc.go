// Package revenue holds typed money and the revenue-marketing KPI calculators.
package revenue
