import type { Clock } from '../../clock.js'
import { groupBy } from '../../collections.js'
import { addWorkingDays, type IsoDate, isWorkingDay } from '../../domain/calendar/workingDays.js'
import { checkStatuses, currentSlot } from '../../domain/quality/progressChecks.js'
import { chaseFor, REMINDER_LEAD_WORKING_DAYS } from '../../domain/quality/reminders.js'
import type { Database, Queryable } from '../../db/database.js'
import { claimJobRun, finishJobRun } from '../../db/repositories/outboxRepository.js'
import { noticeReference, reviewEpisodes } from '../../db/repositories/qualityRepository.js'
import { allocatedReviewerIds, claimReminders, reviewTasksToChase } from '../../db/repositories/reminderRepository.js'
import { type Chase, markChased } from '../../db/repositories/workItemRepository.js'
import { formatDate } from '../../text/format.js'
import type { CalendarService } from '../calendarService.js'
import { paths } from '../../web/paths.js'
import { type EmailText, firstListed, type Listed, listOf, SIGN_OFF } from './emailText.js'
import { type EmailToQueue, listKey, queueEmailBatch } from './queueEmails.js'

const checkNames = { iro: 'progress check', cp_chair: 'quality assurance review' } as const

/** One review or check to remind someone of, as its email describes it. */
interface Reminded {
  caseId: string
  dueOn: string
  link: string
}

/** The words of the reminders: the case ID only, never the child's name or what happened. */
export const reminderText = {
  reviewDue(o: Listed<Reminded & { reference: string }>): EmailText {
    const first = o.listed[0]!
    if (o.count === 1)
      return {
        subject: `Reminder: the review for notice ${first.reference} is due by ${formatDate(first.dueOn)}`,
        body:
          `The review you were asked to hold after a significant change for the child with case ID ${first.caseId} ` +
          `is due by ${formatDate(first.dueOn)}.\n\nWhen it is held, record it on the notice: ${first.link}${SIGN_OFF}`,
      }
    return {
      subject: `Reminder: ${o.count} reviews after significant changes are due`,
      body:
        `The reviews you were asked to hold after significant changes are due soon. When each is held, record it on its notice:\n\n` +
        listOf(
          o,
          i => `Notice ${i.reference}, the child with case ID ${i.caseId}: due by ${formatDate(i.dueOn)}`,
          i => i.link,
        ) +
        SIGN_OFF,
    }
  },
  reviewOverdue(o: Listed<Reminded & { reference: string }>): EmailText {
    const first = o.listed[0]!
    if (o.count === 1)
      return {
        subject: `Overdue: the review for notice ${first.reference} was due by ${formatDate(first.dueOn)}`,
        body:
          `The review after a significant change for the child with case ID ${first.caseId} was due by ${formatDate(first.dueOn)} ` +
          `and has not been recorded as held.\n\nHold it, or set a new date, on the notice: ${first.link}${SIGN_OFF}`,
      }
    return {
      subject: `Overdue: ${o.count} reviews after significant changes`,
      body:
        `These reviews after significant changes are past their date and have not been recorded as held. Hold each, or set a new date, on its notice:\n\n` +
        listOf(
          o,
          i => `Notice ${i.reference}, the child with case ID ${i.caseId}: was due by ${formatDate(i.dueOn)}`,
          i => i.link,
        ) +
        SIGN_OFF,
    }
  },
  checkDue(o: Listed<Reminded> & { kind: 'iro' | 'cp_chair' }): EmailText {
    const first = o.listed[0]!
    const name = checkNames[o.kind]
    if (o.count === 1)
      return {
        subject: `Reminder: a ${name} is due by ${formatDate(first.dueOn)}`,
        body:
          `A ${name} for the child with case ID ${first.caseId} is due by ${formatDate(first.dueOn)}.\n\n` +
          `Record it from the child’s page: ${first.link}${SIGN_OFF}`,
      }
    return {
      subject: `Reminder: ${o.count} ${name}s due soon`,
      body:
        `These ${name}s are due soon. Record each from the child’s page:\n\n` +
        listOf(
          o,
          i => `The child with case ID ${i.caseId}: due by ${formatDate(i.dueOn)}`,
          i => i.link,
        ) +
        SIGN_OFF,
    }
  },
  checkOverdue(o: Listed<Reminded> & { kind: 'iro' | 'cp_chair' }): EmailText {
    const first = o.listed[0]!
    const name = checkNames[o.kind]
    if (o.count === 1)
      return {
        subject: `Overdue: a ${name} was due by ${formatDate(first.dueOn)}`,
        body:
          `The ${name} for the child with case ID ${first.caseId} was due by ${formatDate(first.dueOn)} ` +
          `and has not been recorded.\n\nRecord it from the child’s page: ${first.link}${SIGN_OFF}`,
      }
    return {
      subject: `Overdue: ${o.count} ${name}s past their date`,
      body:
        `These ${name}s are past their date and have not been recorded. Record each from the child’s page:\n\n` +
        listOf(
          o,
          i => `The child with case ID ${i.caseId}: was due by ${formatDate(i.dueOn)}`,
          i => i.link,
        ) +
        SIGN_OFF,
    }
  },
}

/**
 * Email reminders for the reviews significant-change notices asked for and for progress checks: one
 * when the date falls due, one when it has passed, on working days. Each email has a unique key (the
 * item and its date), so running a sweep twice, or on two instances at once, queues it once.
 */
export function qualityReminders(db: Database, clock: Clock, calendars: CalendarService, options: { baseUrl: string }) {
  const listUrl = (path: string) => [`${options.baseUrl}${path}`]

  /**
   * Records the reminders as sent and queues, for those not sent before, one email for each person
   * and kind of email listing theirs (ADR 0024), in the caller's transaction. Returns how many
   * reminders were new.
   */
  async function send<T extends { key: string; personId: number; group: string; about: { dueOn: string } }>(
    tx: Queryable,
    reminders: readonly T[],
    text: (group: string, mine: readonly T[]) => EmailText,
  ): Promise<number> {
    const fresh = await claimReminders(tx, reminders, clock.now())
    // Oldest date first in every list: the most overdue is what to do first.
    const mine = reminders.filter(r => fresh.has(r.key)).sort((a, b) => a.about.dueOn.localeCompare(b.about.dueOn))
    const emails: EmailToQueue[] = [...groupBy(mine, r => `${r.group}|${r.personId}`).values()].map(list => ({
      personIds: [list[0]!.personId],
      keyPrefix: listKey(
        `${list[0]!.group}-list`,
        list.map(r => r.key),
      ),
      text: text(list[0]!.group, list),
    }))
    await queueEmailBatch(tx, emails, clock.now())
    return mine.length
  }

  return {
    /** Reviews due (returns how many tasks were chased): read from the reviewers' review tasks, only those not chased for their date yet. */
    async runReviewReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      const horizon = addWorkingDays(calendar, today, REMINDER_LEAD_WORKING_DAYS)
      const tasks = await reviewTasksToChase(db, horizon, today)
      const reminders = tasks.flatMap(task => {
        const chase = chaseFor(calendar, today, task.dueOn as IsoDate)
        if (!chase) return []
        if (chase === 'due_soon' ? task.remindedFor === task.dueOn : task.overdueAlertedFor === task.dueOn) return []
        const group = chase === 'due_soon' ? 'notice-review-due' : 'notice-review-overdue'
        return [
          {
            task,
            group,
            key: `${group}:${task.noticeId}:${task.dueOn}:${task.personId}`,
            personId: task.personId,
            about: {
              reference: noticeReference(task.noticeId),
              caseId: task.caseId,
              dueOn: task.dueOn,
              link: `${options.baseUrl}${paths.notices.show(task.noticeId)}`,
            },
            // An overdue review needs no "due" reminder any more.
            columns: (chase === 'due_soon' ? ['reminded_for'] : ['reminded_for', 'overdue_alerted_for']) as Chase[],
          },
        ]
      })
      if (reminders.length === 0) return 0
      return db.transaction(async tx => {
        await markChased(
          tx,
          reminders.map(r => ({ id: r.task.id, dueOn: r.task.dueOn, columns: r.columns })),
        )
        return send(tx, reminders, (group, mine) => {
          const listed = { ...firstListed(mine, r => r.about), listUrls: listUrl(paths.work.index()) }
          return group === 'notice-review-due' ? reminderText.reviewDue(listed) : reminderText.reviewOverdue(listed)
        })
      })
    },

    /**
     * Progress checks due and overdue, for every child's allocated reviewer. The schedule moves with the
     * date, so this reads every episode (returns how many were chased): once a working day, whichever instance gets there first.
     */
    async runCheckReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      if (!isWorkingDay(calendar, today)) return 0
      const ids = await allocatedReviewerIds(db)
      const episodes = await reviewEpisodes(db, { kind: 'all' }, ids)
      const reminders = episodes.flatMap(e => {
        const slot = currentSlot(checkStatuses(e.start as IsoDate, e.checksHeld as IsoDate[], today))
        if (!slot || (slot.status !== 'due' && slot.status !== 'overdue')) return []
        const chase = chaseFor(calendar, today, slot.dueOn)
        if (!chase) return []
        const group = `check-${chase === 'due_soon' ? 'due' : 'overdue'}-${e.kind}`
        return [
          {
            group,
            kind: e.kind,
            key: `check-${chase === 'due_soon' ? 'due' : 'overdue'}:${e.childId}:${e.kind}:${slot.dueOn}:${e.reviewerId}`,
            personId: e.reviewerId,
            about: { caseId: e.caseId, dueOn: slot.dueOn, link: `${options.baseUrl}${paths.children.show(e.childId)}` },
          },
        ]
      })
      if (reminders.length === 0) return 0
      return db.transaction(tx =>
        send(tx, reminders, (group, mine) => {
          const listed = {
            ...firstListed(mine, r => r.about),
            listUrls: listUrl(paths.checks.due()),
            kind: mine[0]!.kind,
          }
          return group.startsWith('check-due') ? reminderText.checkDue(listed) : reminderText.checkOverdue(listed)
        }),
      )
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
