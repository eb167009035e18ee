import { addCalendarDays, defaultCalendar, type IsoDate, isWorkingDay } from '../domain/calendar/workingDays.js'
/** Words for dates and names, the same on pages, in emails and in PDFs: "5 January 2023", instants in UK time: "5 January 2023 at 9:05am". */
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  // h12, not hour12: en-GB's hour12 counts 0-11, so half past noon would read "0:30pm".
  hourCycle: 'h12',
  timeZone: 'Europe/London',
})
const instantDayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** Dates already worded: the sweeps word the same few due dates thousands of times. */
const worded = new Map<string, string>()

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  let text = worded.get(iso)
  if (text === undefined) {
    if (worded.size >= 10_000) worded.clear()
    text = dayFormat.format(new Date(`${iso}T00:00:00Z`))
    worded.set(iso, text)
  }
  return text
}

export function formatDateTime(at: Date | string | null | undefined): string {
  if (!at) return ''
  const d = typeof at === 'string' ? new Date(at) : at
  return `${instantDayFormat.format(d)} at ${timeFormat.format(d).replace(' ', '').toLowerCase()}`
}

/** Whole years between a date of birth and today (both ISO dates). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
}

export function fullName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`
}

/**
 * A name with the role it is given in, in brackets, or after a comma where the role has brackets of its
 * own: "Ann Smith, Independent Reviewing Officer (IRO)", not brackets inside brackets. No role: the name.
 */
export function withRole(name: string, role: string | undefined): string {
  if (!role) return name
  return role.includes('(') ? `${name}, ${role}` : `${name} (${role})`
}

const SHIPPED_CALENDAR = defaultCalendar()

/**
 * A date `days` from today as GOV.UK's date hints write one ("8 12 2026"), so a hint's example is
 * on the right side of today for its question and never years out of date. It is a working day, moved
 * on (or, for a past date, back) from a weekend or bank holiday, because some of these fields refuse
 * them. The shipped bank holidays are enough for an example: a page's hint does not read the
 * authority's own closures.
 */
export function dateExample(today: IsoDate, days: number): string {
  let day = addCalendarDays(today, days)
  while (!isWorkingDay(SHIPPED_CALENDAR, day)) day = addCalendarDays(day, days < 0 ? -1 : 1)
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return `${d} ${m} ${y}`
}

/** Items in a sentence, the last joined by `word`: "A", "A and B", "A, B and C". */
const listJoinedBy = (word: string) => (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`

/** "A", "A and B", "A, B and C". */
export const andList = listJoinedBy('and')

/** "A", "A or B", "A, B or C". */
export const orList = listJoinedBy('or')
