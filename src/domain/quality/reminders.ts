import {
  type Calendar,
  compareIsoDates,
  type IsoDate,
  isWorkingDay,
  workingDaysBetween,
} from '../calendar/workingDays.js'

/**
 * A review a significant-change notice asked for, and a progress check, are chased by email twice: once
 * when the date is this many working days away or fewer ("falls due"), and once on the first working day
 * after it has passed. Emails go on working days only, so a date over a weekend or a bank holiday is
 * chased on the working day before or after it.
 */
export const REMINDER_LEAD_WORKING_DAYS = 5

export type Chase = 'due_soon' | 'overdue'

/** Which email, if any, a date calls for today; nothing on a day that is not a working day. */
export function chaseFor(
  calendar: Calendar,
  today: IsoDate,
  dueOn: IsoDate,
  lead = REMINDER_LEAD_WORKING_DAYS,
): Chase | undefined {
  if (!isWorkingDay(calendar, today)) return undefined
  if (compareIsoDates(dueOn, today) < 0) return 'overdue'
  return workingDaysBetween(calendar, today, dueOn) <= lead ? 'due_soon' : undefined
}
