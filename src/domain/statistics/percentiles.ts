// Percentiles of whole numbers (working days) from how often each value occurs. The report's
// statements count the records by value, which PostgreSQL does in one pass with a small hash
// table, instead of sorting every record for percentile_cont; the answer here is the same as
// percentile_cont's (linear interpolation between the two nearest ranks), exactly.

export interface ValueCount {
  value: number
  n: number
}

/** percentile_cont(p) over the multiset the counts describe; null when it is empty. */
export function percentileOfCounts(counts: readonly ValueCount[], p: number): number | null {
  if (p < 0 || p > 1) throw new RangeError(`percentile ${p} is not between 0 and 1`)
  const sorted = counts.filter(c => c.n > 0).sort((a, b) => a.value - b.value)
  const total = sorted.reduce((sum, c) => sum + c.n, 0)
  if (total === 0) return null
  const rank = p * (total - 1)
  const lower = Math.floor(rank)
  const valueAt = (index: number): number => {
    let seen = 0
    for (const c of sorted) {
      seen += c.n
      if (index < seen) return c.value
    }
    return sorted.at(-1)!.value
  }
  const below = valueAt(lower)
  const fraction = rank - lower
  return fraction === 0 ? below : below + fraction * (valueAt(lower + 1) - below)
}

/** How many there are, and their sum: the count and sum() of the same multiset. */
export function totalOfCounts(counts: readonly ValueCount[]): { n: number; sum: number } {
  return counts.reduce((t, c) => ({ n: t.n + c.n, sum: t.sum + c.value * c.n }), { n: 0, sum: 0 })
}
