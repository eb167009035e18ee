import type { SlotStatus } from './progressChecks.js'

/**
 * The statuses of one episode's progress-check slots that fall due between `from` and `to`, counted:
 * the same schedule and matching as `checkStatuses` (progressChecks.ts), done on whole numbers
 * (YYYYMMDD) instead of date strings, because a report applies it to every child in care or on a
 * plan at once. A property test holds the two to the same answers.
 */
export type SlotTally = Record<SlotStatus, number>

const toNumber = (iso: string) =>
  Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10))

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/** addMonths on YYYYMMDD: whole months on, keeping to the last day of a shorter month. */
function addMonthsNumber(d: number, months: number): number {
  const y = Math.floor(d / 10000)
  const m = Math.floor(d / 100) % 100
  const day = d % 100
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  return year * 10000 + month * 100 + Math.min(day, daysIn(year, month))
}

export function emptyTally(): SlotTally {
  return { done: 0, done_late: 0, due: 0, overdue: 0, missed: 0, upcoming: 0 }
}

export function tallyCheckSlots(
  start: string,
  completed: readonly string[],
  today: string,
  from: string,
  to: string,
  into: SlotTally = emptyTally(),
): SlotTally {
  const s = toNumber(start)
  const now = toNumber(today)
  const lo = toNumber(from)
  const hi = toNumber(to)
  const done = completed
    .map(toNumber)
    .filter(c => c >= s)
    .sort((a, b) => a - b)
  // The schedule up to and including the first slot due after today (as checkSchedule does).
  const dues: number[] = []
  outer: for (let year = 1; ; year++) {
    const perYear = year === 1 ? 3 : 2
    const yearStart = addMonthsNumber(s, 12 * (year - 1))
    for (let n = 1; n <= perYear; n++) {
      const due = addMonthsNumber(yearStart, (12 / perYear) * n)
      dues.push(due)
      if (due > now) break outer
    }
  }
  let next = 0
  for (let i = 0; i < dues.length; i++) {
    const due = dues[i]!
    const windowStart = i === 0 ? s : dues[i - 1]!
    const lateLimit = dues[i + 1]
    while (i > 0 && next < done.length && done[next]! <= windowStart) next++
    const candidate = done[next]
    let status: SlotStatus
    if (candidate !== undefined && candidate <= due) {
      status = 'done'
      next++
    } else if (candidate !== undefined && (lateLimit === undefined || candidate <= lateLimit)) {
      status = 'done_late'
      next++
    } else if (now < windowStart) status = 'upcoming'
    else if (now <= due) status = 'due'
    else if (lateLimit === undefined || now <= lateLimit) status = 'overdue'
    else status = 'missed'
    if (due >= lo && due <= hi) into[status] += 1
  }
  return into
}
