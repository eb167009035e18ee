import { type Clock, londonDate } from '../clock.js'
import {
  type Calendar,
  createCalendar,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  holidayName,
  type IsoDate,
  isWeekend,
  parseIsoDate,
} from '../domain/calendar/workingDays.js'
import type { Database } from '../db/database.js'
import {
  calendarAdjustments,
  removeCalendarAdjustment,
  setCalendarAdjustment,
} from '../db/repositories/disputeRepository.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import type { CurrentUser } from './accessService.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import { errorMessages } from '../i18n/errorMessages.js'

const bankHolidays = createCalendar(ENGLAND_AND_WALES_BANK_HOLIDAYS)
/** How long lists may show "working days left" from a calendar read earlier (see calendarForDisplay). */
const DISPLAY_CACHE_MS = 30_000

/** The working-day calendar: the shipped bank holidays plus the authority's own closures. */
export function calendarService(db: Database, clock: Clock) {
  let cached: { at: number; calendar: Promise<Calendar> } | undefined

  async function readCalendar(): Promise<Calendar> {
    const adjustments = await calendarAdjustments(db)
    return createCalendar(
      ENGLAND_AND_WALES_BANK_HOLIDAYS,
      adjustments.filter(a => a.kind === 'closed').map(a => parseIsoDate(a.day)),
      adjustments.filter(a => a.kind === 'open').map(a => parseIsoDate(a.day)),
    )
  }

  return {
    today: (): IsoDate => parseIsoDate(londonDate(clock.now())),

    /** Read fresh: every due date a change sets is worked out from the calendar as it is now. */
    calendar: readCalendar,

    /**
     * For showing "working days left" in lists on every page view: read at most every 30 seconds.
     * A closure added on this instance shows at once; one added on another instance within 30 s.
     */
    calendarForDisplay(): Promise<Calendar> {
      const now = clock.now().getTime()
      if (!cached || now - cached.at >= DISPLAY_CACHE_MS || now < cached.at) {
        const calendar = readCalendar()
        cached = { at: now, calendar }
        calendar.catch(() => (cached = undefined))
      }
      return cached.calendar
    },

    adjustments: () => calendarAdjustments(db),

    /**
     * A local closure must fall on a weekday that is not already a bank holiday; only a bank holiday
     * can be reopened (weekends are never working days).
     */
    async adjust(user: CurrentUser, day: IsoDate, kind: 'closed' | 'open', note: string): Promise<void> {
      if (!user.roles.includes('admin')) throw new ForbiddenError()
      const c = errorMessages.calendar.day
      const holiday = holidayName(bankHolidays, day) !== undefined
      const problem = isWeekend(day)
        ? c.weekend
        : kind === 'closed' && holiday
          ? c.alreadyClosed
          : kind === 'open' && !holiday
            ? c.notBankHoliday
            : undefined
      if (problem) throw new ValidationError([{ field: 'day', message: problem }])
      await db.transaction(async tx => {
        const at = clock.now()
        await setCalendarAdjustment(tx, day, kind, note, user.person.id, at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'calendar',
          entityId: 0,
          kind: 'calendar.adjusted',
          data: { day, kind, note },
        })
      })
      cached = undefined
    },

    async removeAdjustment(user: CurrentUser, day: IsoDate): Promise<void> {
      if (!user.roles.includes('admin')) throw new ForbiddenError()
      await db.transaction(async tx => {
        if (!(await removeCalendarAdjustment(tx, day))) throw new NotFoundError()
        await appendEvent(tx, {
          at: clock.now(),
          actorId: user.person.id,
          entityType: 'calendar',
          entityId: 0,
          kind: 'calendar.adjustment_removed',
          data: { day },
        })
      })
      cached = undefined
    },
  }
}

export type CalendarService = ReturnType<typeof calendarService>
