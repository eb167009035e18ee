// Calendar dates as ISO 'YYYY-MM-DD' strings. Arithmetic goes through integer day numbers
// (days since 1970-01-01) and never through Date, so no time zone or DST can shift a day.

declare const isoDateBrand: unique symbol

/** A valid calendar date 'YYYY-MM-DD' (years 0001–9999). Build one with parseIsoDate or isIsoDate. */
export type IsoDate = string & { readonly [isoDateBrand]: true }

/** ISO 8601 day of the week: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export type DayOfWeek = 1 | 2 | 3 | 4 | 5 | 6 | 7

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Returns the value as an IsoDate, or throws RangeError if it is not a real 'YYYY-MM-DD' date. */
export function parseIsoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(value)}`)
  return value
}

/** Days since 1970-01-01 (negative before). Hinnant's days_from_civil, in integers only. */
export function toDayNumber(d: IsoDate): number {
  const y0 = Number(d.slice(0, 4))
  const m = Number(d.slice(5, 7))
  const day = Number(d.slice(8, 10))
  const y = m <= 2 ? y0 - 1 : y0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

const MIN_DAY = toDayNumber('0001-01-01' as IsoDate)
const MAX_DAY = toDayNumber('9999-12-31' as IsoDate)

/** Inverse of toDayNumber (Hinnant's civil_from_days). Throws outside years 0001–9999. */
export function fromDayNumber(n: number): IsoDate {
  if (!Number.isSafeInteger(n) || n < MIN_DAY || n > MAX_DAY) throw new RangeError(`Day number out of range: ${n}`)
  const z = n + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate
}

export function dayOfWeek(d: IsoDate): DayOfWeek {
  // 1970-01-01 was a Thursday (4).
  return (((((toDayNumber(d) + 3) % 7) + 7) % 7) + 1) as DayOfWeek
}

export function isWeekend(d: IsoDate): boolean {
  return dayOfWeek(d) >= 6
}

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`)
  return fromDayNumber(toDayNumber(d) + n)
}

/** Calendar days from `from` to `to` (negative if `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from)
}

/** -1, 0 or 1; usable with Array.prototype.sort. Four-digit years make string order date order. */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0
}

export function yearOf(d: IsoDate): number {
  return Number(d.slice(0, 4))
}
