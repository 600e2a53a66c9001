// Package synth generates seeded synthetic B2B journeys in the attribution
// package's touch CSV format, for tests and benchmarks.
package synth

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Header is the touch CSV header the generator writes.
const Header = "journey_id,timestamp,channel,lead_created,opp_created,converted,value_minor,conversion_time"

var allChannels = []string{
	"direct", "paid_search", "organic_search", "email", "linkedin", "display",
	"webinar", "events", "partner", "content", "review_sites", "sales_outreach",
}

// Channels returns the channels a seed uses: 8 to 12 of them.
func Channels(seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	return allChannels[:8+rng.IntN(5)]
}

// WriteTouches writes n journeys (about 3 touches each, 1 to 30, about 1%
// without touches, about 10% converting) as touch CSV with a header. The
// same seed gives the same bytes.
func WriteTouches(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	chans := Channels(seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	// Channel popularity: a skewed distribution, and a per-channel lift in
	// conversion probability so data-driven models have something to find.
	pop := make([]float64, len(chans))
	lift := make([]float64, len(chans))
	var sum float64
	for i := range chans {
		pop[i] = 1 / float64(i+1)
		sum += pop[i]
		lift[i] = rng.Float64() * 0.04
	}
	pick := func() int {
		x := rng.Float64() * sum
		for i, p := range pop {
			if x < p {
				return i
			}
			x -= p
		}
		return len(pop) - 1
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	bw.WriteString(Header + "\n")
	touches := make([]int, 0, 30)
	for j := 0; j < n; j++ {
		id := "j" + strconv.Itoa(j)
		if rng.IntN(100) == 0 { // no touches
			bw.WriteString(id + ",,,0,0,0,0,\n")
			continue
		}
		k := 1
		for k < 30 && rng.Float64() < 2.0/3 {
			k++
		}
		touches = touches[:0]
		p := 0.03
		prev := -1
		for i := 0; i < k; i++ {
			c := pick()
			if prev >= 0 && rng.IntN(4) == 0 {
				c = prev // repeats
			}
			touches = append(touches, c)
			p += lift[c] / float64(i+1)
			prev = c
		}
		converted := rng.Float64() < p
		var value int64
		t := base.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		times := make([]time.Time, k)
		for i := range times {
			times[i] = t
			t = t.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))
		}
		var conv []byte
		if converted {
			value = 1000 + rng.Int64N(5_000_000)
			conv = t.AppendFormat(nil, time.RFC3339)
		}
		lead, opp := -1, -1
		if rng.IntN(2) == 0 {
			lead = rng.IntN(k)
			if converted && lead+1 < k && rng.IntN(3) > 0 {
				opp = lead + 1 + rng.IntN(k-lead-1)
			}
		}
		for i, c := range touches {
			line = append(line[:0], id...)
			line = append(line, ',')
			line = times[i].AppendFormat(line, time.RFC3339)
			line = append(line, ',')
			line = append(line, chans[c]...)
			line = append(line, ',', flag(i == lead), ',', flag(i == opp), ',', flag(converted), ',')
			line = strconv.AppendInt(line, value, 10)
			line = append(line, ',')
			line = append(line, conv...)
			line = append(line, '\n')
			bw.Write(line)
		}
	}
	return bw.Flush()
}

func flag(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}
