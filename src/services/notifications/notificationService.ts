import type { Clock } from '../../clock.js'
import { groupBy } from '../../collections.js'
import { andList } from '../../text/format.js'
import { type EmailToQueue, listKey, queueEmailBatch, queueEmails } from './queueEmails.js'
import {
  type IsoDate,
  latestDueDateLateBy,
  nextWorkingDay,
  workingDaysBetween,
} from '../../domain/calendar/workingDays.js'
import type { Action, Dispute } from '../../domain/dispute/dispute.js'
import type { DisputeEvent } from '../../domain/dispute/stateMachine.js'
import { type ReviewerPlacement, responsiblePerson, type Unit } from '../../domain/organisation.js'
import type { Policy } from '../../domain/policies/policy.js'
import type { Database, Queryable } from '../../db/database.js'
import {
  claimEmails,
  claimJobRun,
  countOutbox,
  finishJobRun,
  foldIntoDigest,
  markFailed,
  markGivenUp,
  markSent,
  pendingDigestParts,
  releaseHeldEmails,
  recentOutbox,
} from '../../db/repositories/outboxRepository.js'
import { disputeReference } from '../../db/repositories/disputeRepository.js'
import { allUnits } from '../../db/repositories/unitRepository.js'
import {
  type ActionToChase,
  type ChaseQuery,
  claimActionsToChase,
  claimOutcomesToChase,
  claimResponsesToChase,
  type ResponseToChase,
} from '../../db/repositories/workItemRepository.js'
import type { Logger } from '../../logger.js'
import type { CalendarService } from '../calendarService.js'
import type { Mailer } from '../mailer.js'
import { paths } from '../../web/paths.js'
import { emailText, firstListed, NOTHING_WAITS } from './emailText.js'
import { qualityReminders } from './qualityReminders.js'

export interface NotificationOptions {
  baseUrl: string
  /** Working days overdue after which the reviewer's manager and the head of service are told too. */
  escalateAfterWorkingDays: number
  /** The London hour from which the daily digest goes out. */
  digestHour: number
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

/** Each decision the reviewer records, as the email's subject says it and its body tells it. */
const decisionWords: Record<string, { short: string; sentence: string }> = {
  'dispute.resolved': { short: 'resolved', sentence: 'the reviewer has decided the dispute is resolved.' },
  'dispute.not_resolved': {
    short: 'not resolved',
    sentence: 'the reviewer has decided the dispute is not resolved at this stage.',
  },
  'dispute.extension_agreed': {
    short: 'not resolved, extension agreed',
    sentence: 'the reviewer has agreed an extension for extra actions instead of escalating.',
  },
  'dispute.escalated': { short: 'escalated', sentence: 'the reviewer has escalated the dispute.' },
  'dispute.outcome_recorded': {
    short: 'outcome recorded',
    sentence: 'the reviewer has recorded the outcome of the stage handled outside the system.',
  },
  'dispute.finalised': { short: 'finalised', sentence: 'the reviewer has finalised the record. It is now locked.' },
}
/** An escalation waiting for pre-approval has not happened yet, and is not called so. */
const escalationAsked = {
  short: 'escalation asked for, waiting for pre-approval',
  sentence: 'the reviewer has asked to escalate the dispute. It waits for pre-approval.',
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
          // A stage handled outside the system asks nothing of its responsible people in Concord.
          const outside = facts.policy.stages.find(s => s.key === data.stageKey)?.outsideSystem
          await queue(
            tx,
            data.responsiblePersonIds as number[],
            `${key}:handover`,
            emailText.handover({ ...about, stageName: name, dueOn: (data.dueOn as string | null) ?? null }),
            at,
            outside ? undefined : facts.id,
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
          // Each action is handed over to its owner, but for whoever gave the response (they know).
          const actions = data.actions as Action[]
          const responder = after.stages.at(-1)?.responses.at(-1)?.byPersonId
          for (const [ownerId, theirs] of groupBy(actions, a => a.ownerId)) {
            if (ownerId === responder) continue
            await queue(
              tx,
              [ownerId],
              `${key}:actions`,
              emailText.actionsGiven({ ...about, dueOns: theirs.map(a => a.dueOn) }),
              at,
              facts.id,
            )
          }
        } else if (e.kind === 'dispute.pre_approval_requested') {
          await queue(
            tx,
            facts.preApproverIds,
            key,
            emailText.preApproval({ ...about, stageName: stageName(facts.policy, data.stageKey as string) }),
            at,
            facts.id,
          )
        } else if (e.kind === 'dispute.pre_approval_withdrawn') {
          // Whoever was asked need not look for it: it has left their work.
          await queue(
            tx,
            facts.preApproverIds,
            key,
            emailText.preApprovalWithdrawn({ ...about, stageName: stageName(facts.policy, data.stageKey as string) }),
            at,
          )
        } else if (
          (e.kind === 'dispute.pre_approved' && !data.recordedBy) ||
          e.kind === 'dispute.pre_approval_declined'
        ) {
          // The pre-approver's answer goes back to the reviewer who asked (one recorded by the reviewer is theirs).
          await queue(
            tx,
            [after.ownerId],
            key,
            emailText.preApprovalAnswer({
              ...about,
              stageName: stageName(facts.policy, data.stageKey as string),
              given: e.kind === 'dispute.pre_approved',
            }),
            at,
          )
        } else if (e.kind === 'dispute.referred_to_cafcass') {
          await queue(tx, after.cafcass?.informedPersonIds ?? [], key, emailText.cafcass(about), at)
        } else if (decisionWords[e.kind]) {
          // Every decision goes back to whoever was responsible at the stage it was made.
          const stage = (before ?? after).stages.at(-1)
          const waiting =
            e.kind === 'dispute.escalated' && events.some(x => x.kind === 'dispute.pre_approval_requested')
          await queue(
            tx,
            stage?.responsiblePersonIds ?? [],
            key,
            emailText.decision({ ...about, ...(waiting ? escalationAsked : decisionWords[e.kind]!) }),
            at,
          )
        }
        // Actions still open when the record is finalised leave their owners' work without being done:
        // each owner is told, not left to find them gone (the reviewer, who finalised, knows).
        if (e.kind === 'dispute.finalised') {
          const open = after.actions.filter(a => a.status === 'open' && a.ownerId !== after.ownerId)
          for (const [ownerId, theirs] of groupBy(open, a => a.ownerId))
            await queue(
              tx,
              [ownerId],
              `${key}:actions_closed`,
              emailText.actionsClosed({ ...about, count: theirs.length }),
              at,
            )
        }
      }
      return stageNo
    },

    /** The newest emails first, a page at a time, with how many there are in all. */
    recent: (limit: number, offset = 0) => recentOutbox(db, limit, offset),
    countOutbox: () => countOutbox(db),

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

    /**
     * A reminder one working day before a response is due: one email for each person who owes
     * responses due then. Safe to run as often as you like.
     */
    async runReminders(): Promise<number> {
      const calendar = await calendars.calendar()
      const tomorrow = nextWorkingDay(calendar, calendars.today())
      const workUrl = `${options.baseUrl}${paths.work.index()}`
      const responses = chase(
        tx => claimResponsesToChase(tx, { remindFor: tomorrow }),
        items =>
          [...groupBy(items, item => item.personId)].map(([personId, mine]) => ({
            personIds: [personId],
            keyPrefix: itemsKey('reminder-list', mine),
            text: emailText.reminders({
              ...firstListed(mine, item => ({ ...about(item), dueOn: item.dueOn })),
              listUrls: [workUrl],
            }),
          })),
      )
      const actions = chase(
        tx => claimActionsToChase(tx, { remindFor: tomorrow, today: calendars.today() }),
        items =>
          [...groupBy(items, item => item.personId)].map(([personId, mine]) => ({
            personIds: [personId],
            keyPrefix: itemsKey('action-reminder-list', mine),
            text: emailText.actionReminders({
              ...firstListed(mine, actionAbout),
              listUrls: [workUrl],
              dueBy: tomorrow,
            }),
          })),
      )
      // Side by side on two pooled connections (PGlite takes them in turn): disjoint items, separate emails.
      return allQueued(responses, actions)
    },

    /**
     * Overdue responses: the reviewer, and whoever owes the response, are told the working day after
     * the due date; after the configured number of working days overdue, the reviewer's manager and
     * the head of service too.
     * Each person gets one email a pass listing what became overdue for them (ADR 0024).
     */
    async runOverdue(): Promise<number> {
      const calendar = await calendars.calendar()
      const today = calendars.today()
      const units = new Map<number, Unit>(
        (await allUnits(db)).map(u => [u.id, { id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId }]),
      )
      const daysLate = memoise((dueOn: string) => workingDaysBetween(calendar, dueOn as IsoDate, today))
      const q: ChaseQuery = {
        alertThrough: latestDueDateLateBy(calendar, today, 1),
        // Never before the reviewer's own alert: 0 days means with it.
        escalateThrough: latestDueDateLateBy(calendar, today, Math.max(1, options.escalateAfterWorkingDays)),
      }
      const actions = chase(
        tx => claimActionsToChase(tx, { alertThrough: q.alertThrough }),
        items => {
          const late = (item: ActionToChase) => ({
            ...actionAbout(item),
            daysOverdue: daysLate(item.dueOn),
            actionOwnerName: item.actionOwnerName,
          })
          const email = (personId: number, mine: ActionToChase[], forOwner: boolean, url: string): EmailToQueue => ({
            personIds: [personId],
            keyPrefix: itemsKey(forOwner ? 'action-overdue-list' : 'action-overdue-reviewer-list', mine),
            text: emailText.actionsOverdue({ ...firstListed(mine, late), listUrls: [url], forOwner }),
          })
          return [
            ...[...groupBy(items, i => i.personId)].map(([id, mine]) =>
              email(id, mine, true, `${options.baseUrl}${paths.work.index()}`),
            ),
            // The reviewer tracks the plan (seed 001), but needs no alert for an action they own themselves.
            ...[
              ...groupBy(
                items.filter(i => i.reviewerId !== i.personId),
                i => i.reviewerId,
              ),
            ].map(([id, mine]) => email(id, mine, false, `${options.baseUrl}${paths.work.records()}`)),
          ]
        },
      )
      // The reviewer records the outcome of a stage outside the system: past its date, theirs to chase.
      const outcomes = chase(
        tx => claimOutcomesToChase(tx, { alertThrough: q.alertThrough }),
        items =>
          [...groupBy(items, i => i.personId)].map(([personId, mine]) => ({
            personIds: [personId],
            keyPrefix: itemsKey('outcome-overdue-list', mine),
            text: emailText.outcomesOverdue({
              ...firstListed(mine, item => ({ ...about(item), dueOn: item.dueOn, daysOverdue: daysLate(item.dueOn) })),
              listUrls: [`${options.baseUrl}${paths.work.records()}?state=outside_system`],
            }),
          })),
      )
      const responses = chase(
        tx => claimResponsesToChase(tx, q),
        items => {
          // A record with two people to respond is one record late: listed once, naming both. Only the
          // records an email lists are described (firstListed).
          const byRecord = (mine: readonly ResponseToChase[]) => [...groupBy(mine, i => i.disputeId).values()]
          const late = (same: readonly ResponseToChase[]) => ({
            ...about(same[0]!),
            dueOn: same[0]!.dueOn,
            daysOverdue: daysLate(same[0]!.dueOn),
            responsibleName: andList([...new Set(same.map(i => i.responsibleName))]),
          })
          // Newly late for this due date: the reviewer and whoever owes the response are told, each
          // marked on their own (one away is told when back, without holding back the other).
          const alerts = groupBy(
            items.filter(item => item.unchased),
            item => item.ownerId,
          )
          // Managers follow from the child's team and the reviewer's unit: worked out once for each pair.
          const managers = new Map<string, readonly (readonly [number | null, string])[]>()
          const managersOf = (item: ResponseToChase) => {
            const key = `${item.allocation.teamId}:${item.ownerUnitId}`
            const placement: ReviewerPlacement = { reviewerUnitId: item.ownerUnitId }
            if (!managers.has(key))
              managers.set(key, [
                [
                  responsiblePerson('reviewing_service_manager', item.allocation, units, placement),
                  paths.work.supervision(),
                ],
                [responsiblePerson('head_of_service', item.allocation, units, placement), paths.work.unanswered()],
              ])
            return managers.get(key)!
          }
          // Each escalated response goes to the reviewer's manager and head of service; one email each.
          const escalations = new Map<number, { pages: Set<string>; items: ResponseToChase[] }>()
          for (const item of items.filter(i => i.toEscalate)) {
            for (const [id, page] of managersOf(item)) {
              if (id === null) continue
              const mine = escalations.get(id) ?? { pages: new Set<string>(), items: [] }
              // Someone who is the service manager for some and head of service for others gets both pages.
              mine.pages.add(page)
              // Someone in both roles (a small authority) is told of each item once.
              if (mine.items.at(-1) !== item) mine.items.push(item)
              escalations.set(id, mine)
            }
          }
          return [
            ...[...alerts].map(([ownerId, mine]) => ({
              personIds: [ownerId],
              keyPrefix: itemsKey('overdue-list', mine),
              text: emailText.overdue({
                ...firstListed(byRecord(mine), late),
                listUrls: [`${options.baseUrl}${paths.work.records()}?state=response_overdue`],
                to: 'reviewer',
              }),
            })),
            // Whoever owes the response hears of it on the same day as the reviewer: the reminder was not enough.
            ...[
              ...groupBy(
                items.filter(item => item.responsibleUnchased),
                item => item.personId,
              ),
            ].map(([personId, mine]) => ({
              personIds: [personId],
              keyPrefix: itemsKey('overdue-responsible-list', mine),
              text: emailText.overdue({
                ...firstListed(mine, item => late([item])),
                listUrls: [`${options.baseUrl}${paths.work.index()}`],
                to: 'responsible',
              }),
            })),
            ...[...escalations].map(([managerId, mine]) => ({
              personIds: [managerId],
              keyPrefix: itemsKey('overdue-escalated-list', mine.items),
              text: emailText.overdue({
                ...firstListed(byRecord(mine.items), late),
                listUrls: [...mine.pages].map(page => `${options.baseUrl}${page}`),
                to: 'managers',
              }),
            })),
          ]
        },
      )
      // Side by side on pooled connections (PGlite takes them in turn): disjoint items, separate emails.
      return allQueued(responses, actions, outcomes)
    },

    /** One email a day for people who chose the digest, folding in everything queued for them. */
    async sendDigests(): Promise<number> {
      const day = calendars.today()
      return db.transaction(async tx => {
        const byPerson = groupBy(await pendingDigestParts(tx), p => p.personId)
        for (const [personId, mine] of byPerson) {
          const text = emailText.digest({ parts: mine, workUrl: `${options.baseUrl}${paths.work.index()}` })
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
        return byPerson.size
      })
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
      // An email queued while its reader switched back to single emails saw their old choice: sent now.
      await db.transaction(tx => releaseHeldEmails(tx, NOTHING_WAITS))
      // Drain the outbox in batches, up to a limit a tick, so a backlog clears without starving the sweeps.
      for (let batch = 0; batch < 25; batch++) {
        const { sent, failed } = await this.deliver()
        if (sent + failed < 20) break
      }
    },
  }

  function about(item: { disputeId: number; caseId: string }) {
    return {
      reference: disputeReference(item.disputeId),
      caseId: item.caseId,
      baseUrl: options.baseUrl,
      disputeId: item.disputeId,
    }
  }

  function actionAbout(item: ActionToChase) {
    return {
      ...about(item),
      dueOn: item.dueOn,
      doneUrl: `${options.baseUrl}${paths.disputes.completeAction(item.disputeId, item.actionId)}`,
    }
  }

  /**
   * Marks what is due to be chased and queues its emails in one transaction: three statements
   * however many items (ADR 0024). Each item is marked by one pass only; an email's key covers every
   * item it lists (itemsKey), so no two different lists share a key.
   */
  async function chase<T>(claim: (tx: Queryable) => Promise<T[]>, plan: (items: T[]) => EmailToQueue[]) {
    return db.transaction(async tx => {
      const items = await claim(tx)
      return items.length === 0 ? 0 : queueEmailBatch(tx, plan(items), clock.now())
    })
  }
}

/**
 * The emails sweeps side by side queued. All are waited for, even when one fails, so that no
 * transaction is still running when the scheduler's pass ends (and the pool may be closed).
 */
async function allQueued(...sweeps: Promise<number>[]): Promise<number> {
  const settled = await Promise.allSettled(sweeps)
  const failed = settled.find(s => s.status === 'rejected')
  if (failed) throw failed.reason
  return settled.reduce((n, s) => n + (s.status === 'fulfilled' ? s.value : 0), 0)
}

/** An email's key for a list of responses or actions: each with the due date it was chased for (ADR 0024). */
const itemsKey = (kind: string, items: readonly { id: number; dueOn: string }[]) =>
  listKey(
    kind,
    items.map(i => `${i.id}:${i.dueOn}`),
  )

function memoise<A, R>(work: (arg: A) => R): (arg: A) => R {
  const known = new Map<A, R>()
  return arg => {
    if (!known.has(arg)) known.set(arg, work(arg))
    return known.get(arg)!
  }
}

export type NotificationService = ReturnType<typeof notificationService>
