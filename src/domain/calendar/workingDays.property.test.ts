import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  addCalendarDays,
  addWorkingDays,
  compareIsoDates,
  dayOfWeek,
  defaultCalendar,
  fromDayNumber,
  isWorkingDay,
  latestDueDateLateBy,
  nextWorkingDay,
  parseIsoDate,
  toDayNumber,
  workingDaysBetween,
  workingDaysLate,
  type IsoDate,
} from './workingDays.js'

// Dates a little beyond the holiday data on both sides, so its edges are exercised too.
const dateArb = fc
  .integer({ min: toDayNumber(parseIsoDate('2014-01-01')), max: toDayNumber(parseIsoDate('2031-12-31')) })
  .map(fromDayNumber)

// The shipped calendar with random local closures and reopened days (kept disjoint, as required).
const calendarArb = fc
  .record({
    closures: fc.uniqueArray(dateArb, { maxLength: 40 }),
    reopened: fc.uniqueArray(dateArb, { maxLength: 40 }),
  })
  .map(({ closures, reopened }) =>
    defaultCalendar(
      closures,
      reopened.filter(d => !closures.includes(d)),
    ),
  )

const nArb = fc.nat({ max: 300 })

const before = (a: IsoDate, b: IsoDate): boolean => compareIsoDates(a, b) < 0

describe('addWorkingDays', () => {
  it('never lands on a non-working day (n >= 1)', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 300 }), (cal, d, n) => {
        expect(isWorkingDay(cal, addWorkingDays(cal, d, n))).toBe(true)
      }),
    )
  })

  it('is the earliest day with n working days in (d, result]', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 300 }), (cal, d, n) => {
        const due = addWorkingDays(cal, d, n)
        expect(workingDaysBetween(cal, d, due)).toBe(n)
        expect(workingDaysBetween(cal, d, addCalendarDays(due, -1))).toBe(n - 1)
      }),
    )
  })

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, nArb, (cal, d, a, b) => {
        fc.pre(a < b)
        expect(before(addWorkingDays(cal, d, a), addWorkingDays(cal, d, b))).toBe(true)
      }),
    )
  })

  it('is non-decreasing in the start date', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, dateArb, nArb, (cal, d1, d2, n) => {
        const [early, late] = before(d2, d1) ? [d2, d1] : [d1, d2]
        expect(compareIsoDates(addWorkingDays(cal, early, n), addWorkingDays(cal, late, n))).toBeLessThanOrEqual(0)
      }),
    )
  })

  // Because day 1 is the first working day strictly after the start, and add(d, 0) is d itself,
  // the law holds for every start day and every a, b >= 0 (not only for working-day starts).
  it('splits additively: add(add(d, a), b) === add(d, a + b) for all a, b >= 0', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, nArb, (cal, d, a, b) => {
        expect(addWorkingDays(cal, addWorkingDays(cal, d, a), b)).toBe(addWorkingDays(cal, d, a + b))
      }),
    )
  })

  it('nextWorkingDay is add 1: strictly after d, with only non-working days in between', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, (cal, d) => {
        const next = nextWorkingDay(cal, d)
        expect(before(d, next)).toBe(true)
        for (let x = addCalendarDays(d, 1); before(x, next); x = addCalendarDays(x, 1)) {
          expect(isWorkingDay(cal, x)).toBe(false)
        }
      }),
    )
  })
})

describe('workingDaysBetween', () => {
  it('inverts addWorkingDays: between(d, add(d, n)) === n for every d and n >= 0', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, (cal, d, n) => {
        expect(workingDaysBetween(cal, d, addWorkingDays(cal, d, n))).toBe(n)
      }),
    )
  })

  it('and back: add(d, between(d, x)) is x when x is d or a working day, else the last working day before x (or d)', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, dateArb, (cal, d1, d2) => {
        const [d, x] = before(d2, d1) ? [d2, d1] : [d1, d2]
        const back = addWorkingDays(cal, d, workingDaysBetween(cal, d, x))
        if (x === d || isWorkingDay(cal, x)) expect(back).toBe(x)
        else {
          expect(before(back, x)).toBe(true)
          expect(workingDaysBetween(cal, back, x)).toBe(0)
        }
      }),
    )
  })

  it('is antisymmetric and adds up over consecutive intervals', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, dateArb, dateArb, (cal, a, b, c) => {
        expect(workingDaysBetween(cal, b, a)).toBe(-workingDaysBetween(cal, a, b) || 0)
        expect(workingDaysBetween(cal, a, b) + workingDaysBetween(cal, b, c)).toBe(workingDaysBetween(cal, a, c))
      }),
    )
  })

  it('workingDaysLate is 0 on time and the working-day count after', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, dateArb, (cal, due, done) => {
        const late = workingDaysLate(cal, due, done)
        expect(late).toBe(before(due, done) ? workingDaysBetween(cal, due, done) : 0)
        expect(late).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})

describe('latestDueDateLateBy', () => {
  it('splits due dates at n working days late: on or before it at least n, after it fewer', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 60 }), fc.nat({ max: 20 }), (cal, today, n, k) => {
        const cutoff = latestDueDateLateBy(cal, today, n)
        expect(before(cutoff, today)).toBe(true)
        expect(workingDaysBetween(cal, addCalendarDays(cutoff, -k), today)).toBeGreaterThanOrEqual(n)
        const after = addCalendarDays(cutoff, 1 + k)
        if (!before(today, after)) expect(workingDaysBetween(cal, after, today)).toBeLessThan(n)
      }),
    )
  })
})

describe('ISO day numbers', () => {
  // Date.UTC is an independent oracle here (tests may use it; the domain code does not).
  const anyDateArb = fc.integer({ min: toDayNumber(parseIsoDate('1900-01-01')), max: 100_000 }).map(fromDayNumber)

  it('agree with Date.UTC and getUTCDay', () => {
    fc.assert(
      fc.property(anyDateArb, d => {
        const [y, m, day] = d.split('-').map(Number) as [number, number, number]
        const utc = Date.UTC(y, m - 1, day)
        expect(toDayNumber(d) * 86_400_000).toBe(utc)
        expect(dayOfWeek(d) % 7).toBe(new Date(utc).getUTCDay())
        expect(parseIsoDate(d)).toBe(d)
      }),
    )
  })

  it('addCalendarDays is day-number addition', () => {
    fc.assert(
      fc.property(anyDateArb, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(toDayNumber(addCalendarDays(d, n))).toBe(toDayNumber(d) + n)
        expect(addCalendarDays(addCalendarDays(d, n), -n)).toBe(d)
      }),
    )
  })
})
