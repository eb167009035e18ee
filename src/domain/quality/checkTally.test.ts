import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseIsoDate } from '../calendar/workingDays.js'
import { emptyTally, tallyCheckSlots } from './checkTally.js'
import { checkStatuses } from './progressChecks.js'

const d = parseIsoDate
const date = fc
  .integer({ min: 0, max: 4000 })
  .map(n => d(new Date(Date.UTC(2016, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)))

describe('counting progress-check slots for a report', () => {
  it('counts what checkStatuses says about every slot due in the period', () => {
    fc.assert(
      fc.property(date, fc.array(date, { maxLength: 15 }), date, date, date, (start, checks, today, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a]
        const expected = emptyTally()
        for (const s of checkStatuses(start, checks, today))
          if (s.dueOn >= from && s.dueOn <= to) expected[s.status] += 1
        expect(tallyCheckSlots(start, checks, today, from, to)).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('keeps to the last day of a shorter month, year on year, as the schedule does', () => {
    // In care from 29 February 2020: the second year starts 28 February 2021, so its checks fall on the 28th.
    const checks = ['2020-06-29', '2020-10-29', '2021-02-28', '2021-08-28']
    const tally = tallyCheckSlots('2020-02-29', checks, '2021-09-01', '2021-08-01', '2021-08-31')
    expect(tally).toEqual({ ...emptyTally(), done: 1 })
  })
})
