// Working days for England & Wales: Monday to Friday, except bank holidays and local closures.
//
// The rule (brief, "The four seed policies"): "due N working days after D" counts from the next
// working day, i.e. day 1 is the first working day strictly after D, whatever D is (a thing raised
// on a Saturday or a bank holiday counts from the next working day too).
//
// Everything here is a count over the half-open interval (from, to]:
//   workingDaysBetween(from, to) = number of working days w with from < w <= to   (to >= from)
//                                = -(number of working days w with to < w <= from) (to < from)
//   addWorkingDays(d, n)         = the earliest day x >= d with workingDaysBetween(d, x) === n
// so addWorkingDays(d, 0) === d, addWorkingDays(d, n) for n >= 1 is the n-th working day after d,
// and workingDaysBetween(d, addWorkingDays(d, n)) === n for every d and n >= 0.
import bankHolidayData from './englandAndWalesBankHolidays.json' with { type: 'json' }
import { fromDayNumber, isIsoDate, toDayNumber, yearOf, type IsoDate } from './isoDate.js'

export * from './isoDate.js'

export interface Holiday {
  readonly date: IsoDate
  readonly name: string
}

export const LOCAL_CLOSURE_NAME = 'Local closure'

/** An immutable working-day calendar. Build it with createCalendar or defaultCalendar. */
export interface Calendar {
  /** Bank holidays and local closures, minus reopened days, by day number (days since 1970-01-01). */
  readonly closed: ReadonlyMap<number, string>
  /** First and last year of the holiday data, or undefined if none was given. */
  readonly coverage: { readonly firstYear: number; readonly lastYear: number } | undefined
}

function checked(value: string, what: string): IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`${what} is not an ISO date (YYYY-MM-DD): ${JSON.stringify(value)}`)
  return value
}

/**
 * Builds a calendar from bank holidays plus an authority's own changes: `extraClosures` are extra
 * non-working days (e.g. an office closure), `reopenedDays` are holidays the authority works on.
 * Reopening never makes a Saturday or Sunday a working day. A day both closed and reopened is refused.
 */
export function createCalendar(
  holidays: readonly { readonly date: string; readonly name: string }[],
  extraClosures: readonly IsoDate[] = [],
  reopenedDays: readonly IsoDate[] = [],
): Calendar {
  const closed = new Map<number, string>()
  let firstYear = Infinity
  let lastYear = -Infinity
  for (const h of holidays) {
    const date = checked(h.date, 'Holiday date')
    const day = toDayNumber(date)
    const year = yearOf(date)
    firstYear = Math.min(firstYear, year)
    lastYear = Math.max(lastYear, year)
    const existing = closed.get(day)
    closed.set(day, existing === undefined || existing === h.name ? h.name : `${existing} / ${h.name}`)
  }
  const closures = new Set(extraClosures.map(d => toDayNumber(checked(d, 'Closure date'))))
  for (const day of closures) if (!closed.has(day)) closed.set(day, LOCAL_CLOSURE_NAME)
  for (const d of reopenedDays) {
    const day = toDayNumber(checked(d, 'Reopened date'))
    if (closures.has(day)) throw new RangeError(`${d} is both a local closure and a reopened day`)
    closed.delete(day)
  }
  return { closed, coverage: holidays.length > 0 ? { firstYear, lastYear } : undefined }
}

/** The shipped England & Wales bank holidays (see docs/calendar.md for their source). */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly Holiday[] = bankHolidayData.holidays.map(h => ({
  date: h.date as IsoDate,
  name: h.name,
}))

/** England & Wales bank holidays from the shipped data, plus the authority's own closures and reopened days. */
export function defaultCalendar(
  extraClosures: readonly IsoDate[] = [],
  reopenedDays: readonly IsoDate[] = [],
): Calendar {
  return createCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS, extraClosures, reopenedDays)
}

/** First and last year the calendar has holiday data for; outside it only weekends are known. */
export function coverage(cal: Calendar): { readonly firstYear: number; readonly lastYear: number } | undefined {
  return cal.coverage
}

/** True when the date's year is within the holiday data, so working-day answers about it can be trusted. */
export function isCovered(cal: Calendar, d: IsoDate): boolean {
  return cal.coverage !== undefined && yearOf(d) >= cal.coverage.firstYear && yearOf(d) <= cal.coverage.lastYear
}

function isWorkingDayNumber(cal: Calendar, day: number): boolean {
  // 1970-01-01 (day 0) was a Thursday, so (day + 3) mod 7 is 5 on Saturday and 6 on Sunday.
  const weekday = (((day + 3) % 7) + 7) % 7
  return weekday < 5 && !cal.closed.has(day)
}

export function isWorkingDay(cal: Calendar, d: IsoDate): boolean {
  return isWorkingDayNumber(cal, toDayNumber(d))
}

/** The bank holiday's name, or 'Local closure', for a closed day; undefined for any other day. */
export function holidayName(cal: Calendar, d: IsoDate): string | undefined {
  return cal.closed.get(toDayNumber(d))
}

/** The first working day strictly after d (day 1 of any deadline counted from d). */
export function nextWorkingDay(cal: Calendar, d: IsoDate): IsoDate {
  return addWorkingDays(cal, d, 1)
}

/** "Due n working days after d": the n-th working day strictly after d; d itself when n is 0. */
export function addWorkingDays(cal: Calendar, d: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number >= 0: ${n}`)
  let day = toDayNumber(d)
  for (let left = n; left > 0;) {
    day += 1
    if (isWorkingDayNumber(cal, day)) left -= 1
  }
  return fromDayNumber(day)
}

/** Working days in (from, to]; negative, -(working days in (to, from]), when to is before from. */
export function workingDaysBetween(cal: Calendar, from: IsoDate, to: IsoDate): number {
  const a = toDayNumber(from)
  const b = toDayNumber(to)
  let count = 0
  for (let day = Math.min(a, b) + 1; day <= Math.max(a, b); day++) if (isWorkingDayNumber(cal, day)) count += 1
  return b >= a ? count : 0 - count // 0 - 0 is +0, so "no days" is never -0
}

/**
 * The latest due date that is at least n working days late on `today` (n >= 1): everything due on
 * or before it is that late, everything due after it is not. Sweeps ask the database for due dates
 * up to this day instead of working out each item's lateness.
 */
export function latestDueDateLateBy(cal: Calendar, today: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Working days late must be a whole number >= 1: ${n}`)
  let day = toDayNumber(today)
  for (let counted = 0; counted < n; day--) if (isWorkingDayNumber(cal, day)) counted += 1
  return fromDayNumber(day)
}

/**
 * Working days after the due date up to and including the day it was done; 0 when done on or
 * before the due date. Done on a non-working day just after the due date is also 0, so decide
 * "late or not" by comparing the dates and use this for "how late".
 */
export function workingDaysLate(cal: Calendar, due: IsoDate, done: IsoDate): number {
  return Math.max(0, workingDaysBetween(cal, due, done))
}
