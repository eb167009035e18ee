import type { Clock } from '../../clock.js'
import { addWorkingDays, type IsoDate, isWorkingDay } from '../../domain/calendar/workingDays.js'
import { checkStatuses, currentSlot } from '../../domain/quality/progressChecks.js'
import { chaseFor, REMINDER_LEAD_WORKING_DAYS } from '../../domain/quality/reminders.js'
import type { Database } from '../../db/database.js'
import { claimJobRun, finishJobRun } from '../../db/repositories/outboxRepository.js'
import { noticeReference, reviewEpisodes } from '../../db/repositories/qualityRepository.js'
import { allocatedReviewerIds, reviewTasksToChase } from '../../db/repositories/reminderRepository.js'
import { type Chase, markChased } from '../../db/repositories/workItemRepository.js'
import { formatDate } from '../../text/format.js'
import type { CalendarService } from '../calendarService.js'
import { type EmailText, SIGN_OFF } from './emailText.js'
import { queueEmails } from './queueEmails.js'

const checkNames = { iro: 'progress check', cp_chair: 'quality assurance review' } as const

/** The words of the reminders: the case ID only, never the child's name or what happened. */
export const reminderText = {
  reviewDue(o: { reference: string; caseId: string; dueOn: string; link: string }): EmailText {
    return {
      subject: `Reminder: the review for notice ${o.reference} is due by ${formatDate(o.dueOn)}`,
      body:
        `The review you were asked to hold after a significant change for the child with case ID ${o.caseId} ` +
        `is due by ${formatDate(o.dueOn)}.\n\nWhen it is held, record it on the notice: ${o.link}${SIGN_OFF}`,
    }
  },
  reviewOverdue(o: { reference: string; caseId: string; dueOn: string; link: string }): EmailText {
    return {
      subject: `Overdue: the review for notice ${o.reference} was due by ${formatDate(o.dueOn)}`,
      body:
        `The review after a significant change for the child with case ID ${o.caseId} was due by ${formatDate(o.dueOn)} ` +
        `and has not been recorded as held.\n\nHold it, or set a new date, on the notice: ${o.link}${SIGN_OFF}`,
    }
  },
  checkDue(o: { kind: 'iro' | 'cp_chair'; caseId: string; dueOn: string; link: string }): EmailText {
    return {
      subject: `Reminder: a ${checkNames[o.kind]} is due by ${formatDate(o.dueOn)}`,
      body:
        `A ${checkNames[o.kind]} for the child with case ID ${o.caseId} is due by ${formatDate(o.dueOn)}.\n\n` +
        `Record it from the child’s page: ${o.link}${SIGN_OFF}`,
    }
  },
  checkOverdue(o: { kind: 'iro' | 'cp_chair'; caseId: string; dueOn: string; link: string }): EmailText {
    return {
      subject: `Overdue: a ${checkNames[o.kind]} was due by ${formatDate(o.dueOn)}`,
      body:
        `The ${checkNames[o.kind]} for the child with case ID ${o.caseId} was due by ${formatDate(o.dueOn)} ` +
        `and has not been recorded.\n\nRecord it from the child’s page: ${o.link}${SIGN_OFF}`,
    }
  },
}

/**
 * Email reminders for the reviews significant-change notices asked for and for progress checks: one
 * when the date falls due, one when it has passed, on working days. Each email has a unique key (the
 * item and its date), so running a sweep twice, or on two instances at once, queues it once.
 */
export function qualityReminders(db: Database, clock: Clock, calendars: CalendarService, options: { baseUrl: string }) {
  return {
    /** Reviews due (returns how many tasks were chased): read from the reviewers' review tasks, only those not chased for their date yet. */
    async runReviewReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      const horizon = addWorkingDays(calendar, today, REMINDER_LEAD_WORKING_DAYS)
      const tasks = await reviewTasksToChase(db, horizon, today)
      let queued = 0
      await db.transaction(async tx => {
        const at = clock.now()
        for (const task of tasks) {
          const chase = chaseFor(calendar, today, task.dueOn as IsoDate)
          if (!chase) continue
          const about = {
            reference: noticeReference(task.noticeId),
            caseId: task.caseId,
            dueOn: task.dueOn,
            link: `${options.baseUrl}/notices/${task.noticeId}`,
          }
          if (chase === 'due_soon') {
            if (task.remindedFor === task.dueOn) continue
            const key = `notice-review-due:${task.noticeId}:${task.dueOn}`
            await queueEmails(tx, [task.personId], key, reminderText.reviewDue(about), at)
          } else {
            if (task.overdueAlertedFor === task.dueOn) continue
            const key = `notice-review-overdue:${task.noticeId}:${task.dueOn}`
            await queueEmails(tx, [task.personId], key, reminderText.reviewOverdue(about), at)
          }
          // An overdue review needs no "due" reminder any more.
          const columns: Chase[] = chase === 'due_soon' ? ['reminded_for'] : ['reminded_for', 'overdue_alerted_for']
          await markChased(tx, [{ id: task.id, dueOn: task.dueOn, columns }])
          queued++
        }
      })
      return queued
    },

    /**
     * Progress checks due and overdue, for every child's allocated reviewer. The schedule moves with the
     * date, so this reads every episode (returns how many were chased; the outbox keeps each email once): once a working day, whichever instance gets there first.
     */
    async runCheckReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      if (!isWorkingDay(calendar, today)) return 0
      const ids = await allocatedReviewerIds(db)
      const episodes = await reviewEpisodes(db, { kind: 'all' }, ids)
      let queued = 0
      await db.transaction(async tx => {
        const at = clock.now()
        for (const e of episodes) {
          const slot = currentSlot(checkStatuses(e.start as IsoDate, e.checksHeld as IsoDate[], today))
          if (!slot || (slot.status !== 'due' && slot.status !== 'overdue')) continue
          const chase = chaseFor(calendar, today, slot.dueOn)
          if (!chase) continue
          const about = {
            kind: e.kind,
            caseId: e.caseId,
            dueOn: slot.dueOn,
            link: `${options.baseUrl}/children/${e.childId}`,
          }
          const key = `check-${chase === 'due_soon' ? 'due' : 'overdue'}:${e.childId}:${e.kind}:${slot.dueOn}`
          const text = chase === 'due_soon' ? reminderText.checkDue(about) : reminderText.checkOverdue(about)
          await queueEmails(tx, [e.reviewerId], key, text, at)
          queued++
        }
      })
      return queued
    },

    /** One pass: reviews every tick (cheap), checks once a working day. */
    async run(): Promise<void> {
      await this.runReviewReminders()
      const now = clock.now()
      const day = calendars.today()
      if (await claimJobRun(db, 'check-reminders', day, now, new Date(now.getTime() - 30 * 60_000))) {
        await this.runCheckReminders()
        await finishJobRun(db, 'check-reminders', day, clock.now())
      }
    },
  }
}

export type QualityReminders = ReturnType<typeof qualityReminders>
