import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { percentileOfCounts, totalOfCounts, type ValueCount } from './percentiles.js'

/** percentile_cont as PostgreSQL documents it, over the values themselves. */
function percentileOfValues(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = p * (sorted.length - 1)
  const lower = Math.floor(rank)
  const upper = Math.ceil(rank)
  return sorted[lower]! + (rank - lower) * (sorted[upper]! - sorted[lower]!)
}

const expand = (counts: ValueCount[]) => counts.flatMap(c => Array.from({ length: c.n }, () => c.value))
const countsArbitrary = fc.array(
  fc.record({ value: fc.integer({ min: -5, max: 60 }), n: fc.integer({ min: 0, max: 20 }) }),
  {
    maxLength: 12,
  },
)

describe('percentiles from counts', () => {
  it('equal percentile_cont over the values the counts stand for', () => {
    fc.assert(
      fc.property(countsArbitrary, fc.constantFrom(0, 0.1, 0.25, 0.5, 0.9, 1), (counts, p) => {
        const got = percentileOfCounts(counts, p)
        const want = percentileOfValues(expand(counts), p)
        if (want === null) expect(got).toBeNull()
        else expect(got).toBeCloseTo(want, 9)
      }),
    )
  })

  it('count and sum as count() and sum() would', () => {
    fc.assert(
      fc.property(countsArbitrary, counts => {
        const values = expand(counts)
        expect(totalOfCounts(counts)).toEqual({ n: values.length, sum: values.reduce((a, b) => a + b, 0) })
      }),
    )
  })

  it('interpolate between the two middle values of an even count, as the report shows 6.5', () => {
    expect(
      percentileOfCounts(
        [
          { value: 8, n: 1 },
          { value: 5, n: 1 },
        ],
        0.5,
      ),
    ).toBe(6.5)
    expect(percentileOfCounts([], 0.5)).toBeNull()
    expect(() => percentileOfCounts([{ value: 1, n: 1 }], 2)).toThrow(RangeError)
  })
})
