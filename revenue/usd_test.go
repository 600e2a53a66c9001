package revenue

func usd(a int64) Money { return New(a, "USD") }
