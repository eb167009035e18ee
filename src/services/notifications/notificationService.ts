import type { Clock } from '../../clock.js'
import { type EmailToQueue, queueEmailBatch, queueEmails } from './queueEmails.js'
import { addCalendarDays, type IsoDate, nextWorkingDay, workingDaysBetween } from '../../domain/calendar/workingDays.js'
import type { Dispute } from '../../domain/dispute/dispute.js'
import type { DisputeEvent } from '../../domain/dispute/stateMachine.js'
import { type ReviewerPlacement, responsiblePerson, type Unit } from '../../domain/organisation.js'
import type { Policy } from '../../domain/policies/policy.js'
import type { Database, Queryable } from '../../db/database.js'
import {
  claimEmails,
  claimJobRun,
  finishJobRun,
  foldIntoDigest,
  markFailed,
  markGivenUp,
  markSent,
  pendingDigestParts,
  recentOutbox,
} from '../../db/repositories/outboxRepository.js'
import { allUnits } from '../../db/repositories/unitRepository.js'
import {
  type Chase,
  type ChaseMark,
  firstCursor,
  markChased,
  type ResponseToChase,
  responsesToChase,
} from '../../db/repositories/workItemRepository.js'
import type { Logger } from '../../logger.js'
import type { CalendarService } from '../calendarService.js'
import type { Mailer } from '../mailer.js'
import { emailText } from './emailText.js'
import { qualityReminders } from './qualityReminders.js'

export interface NotificationOptions {
  baseUrl: string
  /** Working days overdue after which the reviewer's manager and the head of service are told too. */
  escalateAfterWorkingDays: number
  /** The London hour from which the daily digest goes out. */
  digestHour: number
  /** Items read and queued per transaction by the reminder and overdue sweeps. */
  chasePageSize?: number
  /** Attempts before an email the mail server keeps refusing is given up (shown on the outbox page). */
  maxAttempts?: number
}

export interface RecordFacts {
  id: number
  reference: string
  childId: number
  caseId: string
  policy: Policy
  preApproverIds: readonly number[]
}

/** With the back-off (1, 2, 4 … 60 minutes), 24 attempts span about 18 hours. */
const DEFAULT_MAX_ATTEMPTS = 24

const decisionWords: Record<string, string> = {
  'dispute.resolved': 'resolved',
  'dispute.not_resolved': 'not resolved',
  'dispute.extension_agreed': 'not resolved, extension agreed',
  'dispute.escalated': 'escalated',
  'dispute.outcome_recorded': 'outcome recorded',
  'dispute.finalised': 'finalised',
}

/**
 * Turns what happened into emails in the same transaction (the outbox), and runs the sending,
 * reminders, overdue alerts and digests. Every email has a unique key, so nothing is queued twice
 * however many instances run the same sweep.
 */
export function notificationService(
  db: Database,
  clock: Clock,
  calendars: CalendarService,
  mailer: Mailer,
  options: NotificationOptions,
  logger?: Logger,
) {
  const stageName = (policy: Policy, key: string | undefined) =>
    policy.stages.find(s => s.key === key)?.name ?? 'the next stage'

  const queue = queueEmails
  const quality = qualityReminders(db, clock, calendars, { baseUrl: options.baseUrl })

  return {
    /** Emails for a step of a dispute, written in the step's own transaction. */
    async queueForDispute(
      tx: Queryable,
      facts: RecordFacts,
      before: Dispute | undefined,
      after: Dispute,
      events: DisputeEvent[],
      version: number,
      at: Date,
    ) {
      const about = { reference: facts.reference, caseId: facts.caseId, baseUrl: options.baseUrl, disputeId: facts.id }
      const stageNo = after.stages.length
      for (const [i, e] of events.entries()) {
        const key = `d${facts.id}:v${version}:${i}:${e.kind}`
        const data = e.data as Record<string, unknown>
        if (e.kind === 'dispute.stage_entered') {
          const name = stageName(facts.policy, data.stageKey as string)
          await queue(
            tx,
            data.responsiblePersonIds as number[],
            `${key}:handover`,
            emailText.handover({ ...about, stageName: name, dueOn: (data.dueOn as string | null) ?? null }),
            at,
          )
          await queue(
            tx,
            data.copiedPersonIds as number[],
            `${key}:copy`,
            emailText.copy({ ...about, stageName: name }),
            at,
          )
        } else if (e.kind === 'dispute.responded') {
          await queue(
            tx,
            [after.ownerId],
            key,
            emailText.responded({ ...about, stageName: stageName(facts.policy, data.stageKey as string) }),
            at,
          )
        } else if (e.kind === 'dispute.pre_approval_requested') {
          await queue(
            tx,
            facts.preApproverIds,
            key,
            emailText.preApproval({ ...about, stageName: stageName(facts.policy, data.stageKey as string) }),
            at,
          )
        } else if (e.kind === 'dispute.referred_to_cafcass') {
          await queue(tx, after.cafcass?.informedPersonIds ?? [], key, emailText.cafcass(about), at)
        } else if (decisionWords[e.kind]) {
          // Every decision goes back to whoever was responsible at the stage it was made.
          const stage = (before ?? after).stages.at(-1)
          await queue(
            tx,
            stage?.responsiblePersonIds ?? [],
            key,
            emailText.decision({ ...about, decision: decisionWords[e.kind]! }),
            at,
          )
        }
      }
      return stageNo
    },

    recent: (limit: number) => recentOutbox(db, limit),

    /** Reminders for the reviews significant-change notices asked for, and for progress checks. */
    quality,

    /** Sends what is waiting, a batch at a time; a failure is retried later with growing waits. */
    async deliver(batch = 20): Promise<{ sent: number; failed: number }> {
      let sent = 0
      let failed = 0
      const now = clock.now()
      const claimed = await claimEmails(db, now, new Date(now.getTime() + 5 * 60_000), batch)
      for (const email of claimed) {
        try {
          await mailer.send({
            to: email.to,
            subject: email.subject,
            text: email.body,
            messageId: `<concord-${email.id}@concord.local>`,
          })
          await markSent(db, email.id, clock.now())
          sent++
        } catch (error) {
          const message = (error as Error).message
          if (email.attempts >= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
            await markGivenUp(db, email.id, message, clock.now())
            logger?.error({ outboxId: email.id, attempts: email.attempts }, 'email not sent; given up')
          } else {
            // Back-off: 1, 2, 4 ... minutes, at most an hour.
            const wait = Math.min(60, 2 ** Math.max(0, email.attempts - 1)) * 60_000
            await markFailed(db, email.id, message, new Date(clock.now().getTime() + wait))
            logger?.warn({ outboxId: email.id, attempts: email.attempts }, 'email not sent; will retry')
          }
          failed++
        }
      }
      return { sent, failed }
    },

    /** A reminder one working day before a response is due. Safe to run as often as you like. */
    async runReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const tomorrow = nextWorkingDay(calendar, calendars.today())
      return chaseInPages({ on: tomorrow }, items => ({
        emails: items.map(item => ({
          personIds: [item.personId],
          keyPrefix: `reminder:${item.id}:${item.dueOn}`,
          text: emailText.reminder({ ...about(item), dueOn: item.dueOn }),
        })),
        chased: items.map(item => ({ id: item.id, dueOn: item.dueOn, columns: ['reminded_for'] })),
      }))
    },

    /**
     * Overdue responses: the reviewer is told the working day after the due date; after the
     * configured number of working days overdue, the reviewer's manager and the head of service too.
     */
    async runOverdue(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      // Escalations only for items at least N working days past their date: walk back to that day.
      let cutoff = today
      while (workingDaysBetween(calendar, cutoff, today) < options.escalateAfterWorkingDays)
        cutoff = addCalendarDays(cutoff, -1)
      const escalateBefore = addCalendarDays(cutoff, 1)
      const units = new Map<number, Unit>(
        (await allUnits(db)).map(u => [u.id, { id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId }]),
      )
      return chaseInPages({ before: today, escalateBefore }, items => {
        const emails: EmailToQueue[] = []
        const chased: ChaseMark[] = []
        for (const item of items) {
          // Due before today yet not a whole working day late (due Friday, read on Saturday): later.
          const days = workingDaysBetween(calendar, item.dueOn as IsoDate, today)
          if (days < 1) continue
          const text = emailText.overdue({
            ...about(item),
            dueOn: item.dueOn,
            daysOverdue: days,
            responsibleName: item.responsibleName,
          })
          const columns: Chase[] = []
          if (item.unchased) {
            emails.push({ personIds: [item.ownerId], keyPrefix: `overdue:${item.id}:${item.dueOn}`, text })
            columns.push('overdue_alerted_for')
          }
          if (item.toEscalate && days >= options.escalateAfterWorkingDays) {
            const placement: ReviewerPlacement = { reviewerUnitId: item.ownerUnitId }
            const managers = [
              responsiblePerson('reviewing_service_manager', item.allocation, units, placement),
              responsiblePerson('head_of_service', item.allocation, units, placement),
            ].filter((id): id is number => id !== null)
            emails.push({ personIds: managers, keyPrefix: `overdue-escalated:${item.id}:${item.dueOn}`, text })
            columns.push('overdue_escalated_for')
          }
          if (columns.length > 0) chased.push({ id: item.id, dueOn: item.dueOn, columns })
        }
        return { emails, chased }
      })
    },

    /** One email a day for people who chose the digest, folding in everything queued for them. */
    async sendDigests(): Promise<number> {
      const parts = await pendingDigestParts(db)
      const byPerson = new Map<number, typeof parts>()
      for (const p of parts) byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p])
      const day = calendars.today()
      await db.transaction(async tx => {
        for (const [personId, mine] of byPerson) {
          const text = emailText.digest({ parts: mine })
          await foldIntoDigest(
            tx,
            mine.map(p => p.id),
            {
              dedupeKey: `digest:${personId}:${day}:${mine[0]!.id}`,
              personId,
              to: mine[0]!.to,
              subject: text.subject,
              body: text.body,
              digest: false,
            },
            clock.now(),
          )
        }
      })
      return byPerson.size
    },

    /**
     * One pass of everything scheduled. The sweeps only read what they have not chased yet, so they
     * run every tick; the digest runs once a day across all instances; then the outbox is sent.
     */
    async tick(): Promise<void> {
      const now = clock.now()
      const day = calendars.today()
      const hour = Number(
        new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hour12: false, timeZone: 'Europe/London' }).format(now),
      )
      await this.runReminders()
      await this.runOverdue()
      await quality.run()
      if (
        hour >= options.digestHour &&
        (await claimJobRun(db, 'digest', day, now, new Date(now.getTime() - 30 * 60_000)))
      ) {
        await this.sendDigests()
        await finishJobRun(db, 'digest', day, clock.now())
      }
      // Drain the outbox in batches, up to a limit a tick, so a backlog clears without starving the sweeps.
      for (let batch = 0; batch < 25; batch++) {
        const { sent, failed } = await this.deliver()
        if (sent + failed < 20) break
      }
    },
  }

  function about(item: ResponseToChase) {
    return {
      reference: `DRP-${String(item.disputeId).padStart(6, '0')}`,
      caseId: item.caseId,
      baseUrl: options.baseUrl,
      disputeId: item.disputeId,
    }
  }

  /**
   * Reads what to chase a page at a time and, for each page, queues its emails and marks its items
   * chased in one transaction: a handful of statements a page, however many items (ADR 0011).
   */
  async function chaseInPages(
    q: Parameters<typeof responsesToChase>[1],
    plan: (items: ResponseToChase[]) => {
      emails: EmailToQueue[]
      chased: ChaseMark[]
    },
  ): Promise<number> {
    const pageSize = options.chasePageSize ?? 5000
    let cursor = firstCursor
    let queued = 0
    // The next page is read and planned while this one is written (its rows lie past the cursor, so
    // the two never meet): PostgreSQL and the service work side by side. At most two pages in flight.
    const writing: Promise<void>[] = []
    let failure: unknown
    try {
      for (;;) {
        const items = await responsesToChase(db, q, cursor, pageSize)
        if (items.length === 0) break
        const { emails, chased } = plan(items)
        const page = db.transaction(async tx => {
          await queueEmailBatch(tx, emails, clock.now())
          await markChased(tx, chased)
        })
        // Its failure is awaited below; until then it must not count as unhandled (which stops Node).
        page.catch(() => undefined)
        writing.push(page)
        if (writing.length >= 2) await writing.shift()
        queued += emails.length
        const last = items.at(-1)!
        cursor = { dueOn: last.dueOn, id: last.id }
        if (items.length < pageSize) break
      }
    } catch (error) {
      failure = error
    }
    // Every page started is finished (or has failed) before the sweep returns or throws.
    const rejected = (await Promise.allSettled(writing)).find(r => r.status === 'rejected')
    if (failure !== undefined || rejected) throw failure ?? rejected!.reason
    return queued
  }
}

export type NotificationService = ReturnType<typeof notificationService>
