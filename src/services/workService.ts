import type { Clock } from '../clock.js'
import { type IsoDate, workingDaysBetween } from '../domain/calendar/workingDays.js'
import type { Database } from '../db/database.js'
import { unitsOfBranches } from '../domain/organisation.js'
import { appendEvent, type EntityType } from '../db/repositories/eventRepository.js'
import { setNotificationPreference } from '../db/repositories/personRepository.js'
import { releaseHeldEmails } from '../db/repositories/outboxRepository.js'
import { NOTHING_WAITS } from './notifications/emailText.js'
import {
  type OutstandingQuery,
  outstandingRecords,
  type RecordState,
  supervisedReviewers,
} from '../db/repositories/supervisionRepository.js'
import {
  acknowledgeItem,
  alreadyAcknowledged,
  type InboxItem,
  openItemCount,
  openItemsFor,
} from '../db/repositories/workItemRepository.js'
import type { CurrentUser } from './accessService.js'
import type { CalendarService } from './calendarService.js'
import { ForbiddenError, NotFoundError } from './errors.js'

export interface InboxEntry extends InboxItem {
  /** Working days until due (negative: overdue); null when there is no due date. */
  workingDaysLeft: number | null
}

type Filters = Pick<OutstandingQuery, 'reviewerId' | 'stageKey' | 'teamId' | 'state' | 'limit' | 'offset'>

/** Inbox kinds that My work's Acknowledge button (and POST /work/:id/acknowledge) leaves to their own page. */
export const ONLY_ACKNOWLEDGED_WHERE_ASKED: readonly string[] = ['change_notice']

/** "My work": what awaits each person, and the views that make sure nothing is missed. */
export function workService(db: Database, clock: Clock, calendars: CalendarService) {
  async function withDaysLeft(items: InboxItem[]): Promise<InboxEntry[]> {
    const calendar = await calendars.calendarForDisplay()
    const today = calendars.today()
    return items.map(i => ({
      ...i,
      workingDaysLeft: i.dueOn ? workingDaysBetween(calendar, today, i.dueOn as IsoDate) : null,
    }))
  }

  const isReviewer = (user: CurrentUser) => user.roles.includes('iro') || user.roles.includes('cp_chair')

  /** The reviewers whose records a reviewing service manager (or the head of the service) supervises. */
  async function reviewersSupervisedBy(user: CurrentUser) {
    const managesReviewers = user.roles.includes('reviewing_service_manager') || user.roles.includes('head_of_irs')
    if (!managesReviewers) throw new ForbiddenError()
    return supervisedReviewers(db, user.person.id)
  }

  return {
    async inbox(user: CurrentUser, limit: number, offset: number): Promise<{ items: InboxEntry[]; total: number }> {
      const { items, total } = await openItemsFor(db, { personId: user.person.id, scope: user.scope }, limit, offset)
      return { items: await withDaysLeft(items), total }
    },

    count: (user: CurrentUser) => openItemCount(db, user.person.id),

    /**
     * Acknowledges a copy for information: notices leave the inbox when acknowledged, tasks only when the
     * work is done. Acknowledging it again (a second tab, an old page) changes nothing and says so;
     * someone else's item, or one that never asked for it, is not found.
     */
    async acknowledge(user: CurrentUser, itemId: number): Promise<'acknowledged' | 'already'> {
      return db.transaction(async tx => {
        const at = clock.now()
        // A change notice is acknowledged on the notice, where the reviewer says whether the child needs a review.
        const item = await acknowledgeItem(tx, user.person.id, itemId, at, ONLY_ACKNOWLEDGED_WHERE_ASKED)
        if (!item) {
          if (await alreadyAcknowledged(tx, user.person.id, itemId)) return 'already'
          throw new NotFoundError()
        }
        if (item.disputeId !== null)
          await appendEvent(tx, {
            at,
            actorId: user.person.id,
            entityType: 'dispute',
            entityId: item.disputeId,
            childId: item.childId,
            kind: 'work.acknowledged',
            data: { itemId, itemKind: item.kind },
          })
        else if (item.subjectType !== null && item.subjectId !== null)
          await appendEvent(tx, {
            at,
            actorId: user.person.id,
            entityType: item.subjectType as EntityType,
            entityId: item.subjectId,
            childId: item.childId,
            kind: 'work.acknowledged',
            data: { itemId },
          })
        return 'acknowledged'
      })
    },

    async setPreference(user: CurrentUser, preference: 'immediate' | 'daily_digest'): Promise<void> {
      await db.transaction(async tx => {
        await setNotificationPreference(tx, user.person.id, preference)
        // Nothing held for a summary that will no longer come waits for the morning.
        if (preference === 'immediate') await releaseHeldEmails(tx, NOTHING_WAITS, user.person.id)
        await appendEvent(tx, {
          at: clock.now(),
          actorId: user.person.id,
          entityType: 'person',
          entityId: user.person.id,
          kind: 'person.notification_preference',
          data: { preference },
        })
      })
    },

    /** The reviewer's own open records with their state. */
    async myRecords(user: CurrentUser, filters: Filters) {
      if (!isReviewer(user)) throw new ForbiddenError()
      return outstandingRecords(db, user.scope, { ...filters, reviewerId: user.person.id, today: calendars.today() })
    },

    supervisedReviewers: reviewersSupervisedBy,

    /** The reviewing service manager's supervision view: every outstanding record of each of their reviewers. */
    async supervision(user: CurrentUser, filters: Filters) {
      const reviewers = await reviewersSupervisedBy(user)
      const result = await outstandingRecords(db, user.scope, {
        ...filters,
        reviewerIds: reviewers.map(r => r.id),
        today: calendars.today(),
      })
      return { ...result, reviewers }
    },

    /** A head of service's disputes in their area left unanswered past their due date. */
    async unansweredInArea(user: CurrentUser, limit: number, offset: number) {
      const areaUnitIds = unitsOfBranches(user.viewer, ['area'])
      if (areaUnitIds.length === 0) throw new ForbiddenError()
      return outstandingRecords(db, user.scope, {
        unitIds: areaUnitIds,
        state: 'response_overdue' satisfies RecordState,
        today: calendars.today(),
        limit,
        offset,
      })
    },
  }
}

export type WorkService = ReturnType<typeof workService>
