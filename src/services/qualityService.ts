import type { Clock } from '../clock.js'
import { formatDate } from '../text/format.js'
import { compareIsoDates, type IsoDate } from '../domain/calendar/workingDays.js'
import { ancestry, type Unit } from '../domain/organisation.js'
import {
  type CheckKind,
  type CheckOutcome,
  checkStatuses,
  currentSlot,
  headingsFor,
  type SlotState,
} from '../domain/quality/progressChecks.js'
import {
  type ChangeAudience,
  changeKindLabel,
  changeKindsFor,
  noticeLateness,
  policyReviewDueOn,
} from '../domain/quality/significantChanges.js'
import type { Database, Queryable } from '../db/database.js'
import { recordChildAccess } from '../db/repositories/auditRepository.js'
import { type Child, findVisibleChild } from '../db/repositories/childRepository.js'
import { appendEvent, eventsForEntity } from '../db/repositories/eventRepository.js'
import { enqueueEmail } from '../db/repositories/outboxRepository.js'
import { contactsFor } from '../db/repositories/personRepository.js'
import {
  type ChangeNotice,
  type CheckAnswer,
  checksForChild,
  findCheck,
  findNotice,
  insertCheck,
  insertNotice,
  moveReviewTask,
  noticeReference,
  noticesForChild,
  openNoticeItem,
  type ProgressCheck,
  type ReviewEpisode,
  reviewEpisodes,
  saveReviewDue,
  saveReviewHeld,
} from '../db/repositories/qualityRepository.js'
import { supervisedReviewers } from '../db/repositories/supervisionRepository.js'
import { allUnits } from '../db/repositories/unitRepository.js'
import { acknowledgeItem, addSubjectItem, completeSubjectItems } from '../db/repositories/workItemRepository.js'
import { errorMessages } from '../i18n/errorMessages.js'
import type { CurrentUser } from './accessService.js'
import type { CalendarService } from './calendarService.js'
import { ConflictError, type FieldError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import { SIGN_OFF } from './notifications/emailText.js'

/** A progress check as the reviewer records it (the web form and the API both produce this). */
export interface CheckValue {
  /** Which check: needed only when the person reviews the child in both roles. */
  kind?: CheckKind
  heldOn: IsoDate
  /** An answer for each heading of the check's form, by the heading's key. */
  answers: Record<string, string>
  outcome: CheckOutcome
}

/** A significant-change notice as the social worker sends it. */
export interface NoticeValue {
  /** Which reviewer's list: needed only for a child who is both looked after and on a plan. */
  audience?: ChangeAudience
  kind: string
  occurredOn: IsoDate
  details: string
}

export interface AccessContext {
  path: string
  ip: string | null
}

/** Where a reviewer acts on a child's episode now: the checks matched to the schedule and the slot to act on. */
export interface EpisodeView {
  kind: CheckKind
  start: IsoDate
  reviewerId: number | null
  reviewerName: string | null
  slots: SlotState[]
  current: SlotState | undefined
  checks: ProgressCheck[]
}

export interface DueCheck extends Omit<ReviewEpisode, 'checksHeld'> {
  slot: SlotState
  /** Earlier checks of the episode that fell due and were never held. */
  missed: number
  lastHeldOn: string | null
}

export interface DueQuery {
  /** A reviewer's own list, or (for their manager) one reviewer's; undefined: mine, or all I supervise. */
  reviewerId?: number
  state?: 'due' | 'overdue'
  limit: number
  offset: number
}

/** Dates in emails the GOV.UK way ("7 April 2023"), as the other emails write them. */
const emailDate = formatDate

const mc = errorMessages.checks
const mn = errorMessages.notices
const audiences: readonly ChangeAudience[] = ['iro', 'cp_chair']

const isReviewer = (user: CurrentUser) => user.roles.includes('iro') || user.roles.includes('cp_chair')
const managesReviewers = (user: CurrentUser) =>
  user.roles.includes('reviewing_service_manager') || user.roles.includes('head_of_irs')

/** The day a child's episode with a reviewer began: in care (IRO) or on the plan (CP chair). */
export function episodeStart(child: Pick<Child, 'lookedAfterStart' | 'cpPlanStart'>, kind: CheckKind): string | null {
  return kind === 'iro' ? child.lookedAfterStart : child.cpPlanStart
}

/** Who reviews the child in a role, if anyone is allocated. */
export function allocatedReviewer(child: Pick<Child, 'iroId' | 'cpChairId'>, kind: CheckKind): number | null {
  return kind === 'iro' ? child.iroId : child.cpChairId
}

/** The checks a person may record for a child: those of the episodes they are allocated to review. */
export function checkKindsFor(user: CurrentUser, child: Child): CheckKind[] {
  return (['iro', 'cp_chair'] as const).filter(
    k => user.roles.includes(k) && allocatedReviewer(child, k) === user.person.id && episodeStart(child, k) !== null,
  )
}

/** The lists that fit the child's status: the IRO's for a child in care, the CP chair's for a child on a plan. */
export function noticeAudiencesFor(child: Child): ChangeAudience[] {
  return audiences.filter(a => episodeStart(child, a) !== null)
}

/**
 * Progress checks and quality-assurance reviews (seed 004 sections 5 and 7), and significant-change
 * notices from the social worker to the reviewer (section 8). Every change is one transaction with its
 * event, its inbox items and its emails.
 */
export function qualityService(db: Database, clock: Clock, calendars: CalendarService, options: { baseUrl: string }) {
  async function visibleChild(user: CurrentUser, id: number): Promise<Child> {
    const child = await findVisibleChild(db, user.scope, id)
    if (!child) throw new NotFoundError()
    return child
  }

  /** The child's social worker, or a manager of their team or of any unit above it. */
  async function maySendNotice(q: Queryable, user: CurrentUser, child: Child): Promise<boolean> {
    const me = user.person.id
    if (child.socialWorkerId === me) return true
    if (!user.viewer.managedUnits.length) return false
    const units = new Map<number, Unit>(
      (await allUnits(q)).map(u => [u.id, { id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId }]),
    )
    return ancestry(units, child.teamId).some(u => u.managerId === me)
  }

  /** The reviewer it was sent to, or whoever reviews the child in that role now. */
  const reviewsNotice = (user: CurrentUser, notice: ChangeNotice, child: Child) =>
    notice.reviewerId === user.person.id || allocatedReviewer(child, notice.audience) === user.person.id

  async function loadNotice(user: CurrentUser, id: number): Promise<{ notice: ChangeNotice; child: Child }> {
    const notice = await findNotice(db, id)
    if (!notice) throw new NotFoundError()
    const child = await visibleChild(user, notice.childId)
    return { notice, child }
  }

  function checkReviewDate(reviewDueOn: IsoDate): void {
    if (compareIsoDates(reviewDueOn, calendars.today()) < 0)
      throw new ValidationError([{ field: 'reviewDueOn', message: mn.reviewDueOn.past }])
  }

  /** Sets or moves the review date and the reviewer's task for it, in the caller's transaction. */
  async function setReview(
    tx: Queryable,
    user: CurrentUser,
    notice: ChangeNotice,
    version: number,
    reviewDueOn: IsoDate,
    at: Date,
  ) {
    if (!(await saveReviewDue(tx, notice.id, version, reviewDueOn, 'reviewer', at))) throw new ConflictError()
    if (!(await moveReviewTask(tx, notice.id, reviewDueOn)))
      await addSubjectItem(
        tx,
        {
          personId: user.person.id,
          kind: 'review_due',
          subjectType: 'change_notice',
          subjectId: notice.id,
          childId: notice.childId,
          needsAck: false,
          dueOn: reviewDueOn,
        },
        at,
      )
    await appendEvent(tx, {
      at,
      actorId: user.person.id,
      entityType: 'change_notice',
      entityId: notice.id,
      childId: notice.childId,
      kind: 'change_notice.review_requested',
      data: { from: notice.reviewDueOn, to: reviewDueOn },
    })
  }

  return {
    // ---- Progress checks ------------------------------------------------------------------------------------

    /** What the form needs: the checks this reviewer may record for the child, with their headings and the slot due. */
    async checkForm(user: CurrentUser, childId: number) {
      if (!isReviewer(user)) throw new ForbiddenError(mc.notReviewer)
      const child = await visibleChild(user, childId)
      const kinds = checkKindsFor(user, child)
      if (kinds.length === 0) throw new ForbiddenError(mc.notAllocated)
      const today = calendars.today()
      const checks = await checksForChild(db, child.id)
      return {
        child,
        kinds: kinds.map(kind => {
          const start = episodeStart(child, kind) as IsoDate
          const held = checks.filter(c => c.reviewerRole === kind).map(c => c.heldOn as IsoDate)
          return { kind, start, headings: headingsFor(kind), current: currentSlot(checkStatuses(start, held, today)) }
        }),
      }
    },

    /** The allocated reviewer records a check; it is a record, written once, with its event. */
    async recordCheck(user: CurrentUser, childId: number, value: CheckValue): Promise<number> {
      if (!isReviewer(user)) throw new ForbiddenError(mc.notReviewer)
      const child = await visibleChild(user, childId)
      const kinds = checkKindsFor(user, child)
      if (kinds.length === 0) throw new ForbiddenError(mc.notAllocated)
      const kind = value.kind ?? (kinds.length === 1 ? kinds[0] : undefined)
      if (!kind || !kinds.includes(kind)) throw new ValidationError([{ field: 'kind', message: mc.kind.required }])
      const errors: FieldError[] = []
      const start = episodeStart(child, kind) as IsoDate
      if (compareIsoDates(value.heldOn, calendars.today()) > 0)
        errors.push({ field: 'heldOn', message: mc.heldOn.future })
      else if (compareIsoDates(value.heldOn, start) < 0)
        errors.push({ field: 'heldOn', message: mc.heldOn.beforeStart })
      const answers: CheckAnswer[] = []
      for (const h of headingsFor(kind)) {
        const answer = (value.answers[h.key] ?? '').trim()
        if (!answer) errors.push({ field: `answers.${h.key}`, message: mc.answer.required(h.label) })
        else if (answer.length > 5000) errors.push({ field: `answers.${h.key}`, message: mc.answer.tooLong(h.label) })
        answers.push({ key: h.key, label: h.label, answer })
      }
      if (errors.length) throw new ValidationError(errors)
      return db.transaction(async tx => {
        const at = clock.now()
        const id = await insertCheck(
          tx,
          {
            childId: child.id,
            reviewerId: user.person.id,
            reviewerRole: kind,
            heldOn: value.heldOn,
            answers,
            outcome: value.outcome,
          },
          at,
        )
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'progress_check',
          entityId: id,
          childId: child.id,
          kind: 'progress_check.recorded',
          data: { reviewerRole: kind, heldOn: value.heldOn, outcome: value.outcome },
        })
        return id
      })
    },

    /** A check, visible exactly when its child is; viewing it is audited like the child's page. */
    async viewCheck(user: CurrentUser, id: number, access: AccessContext) {
      const check = await findCheck(db, id)
      if (!check) throw new NotFoundError()
      const child = await visibleChild(user, check.childId)
      await recordChildAccess(db, {
        at: clock.now(),
        personId: user.person.id,
        childId: child.id,
        action: 'view progress check',
        ...access,
      })
      const me = user.person.id
      return {
        check,
        child,
        /** The reviewer who held it (or who reviews the child now) can go on to raise a dispute or write a note. */
        mayFollowUp:
          isReviewer(user) && (check.reviewerId === me || allocatedReviewer(child, check.reviewerRole) === me),
      }
    },

    /**
     * The check a dispute or a note starts from (`?fromCheck=`), when the viewer may see it and it is about
     * this child; otherwise nothing, so a form never shows (or hints at) a check the viewer may not read.
     */
    async checkToFollowUp(user: CurrentUser, checkId: number, childId: number): Promise<ProgressCheck | undefined> {
      const check = await findCheck(db, checkId)
      if (!check || check.childId !== childId) return undefined
      const child = await findVisibleChild(db, user.scope, check.childId)
      return child ? check : undefined
    },

    /**
     * Checks due and overdue, soonest first: a reviewer's own caseload, or for a reviewing service
     * manager the caseloads of the reviewers they supervise (all of them, or one).
     */
    async checksDue(user: CurrentUser, q: DueQuery) {
      const me = user.person.id
      const reviewers = managesReviewers(user) ? await supervisedReviewers(db, me) : []
      let reviewerIds: number[]
      if (q.reviewerId !== undefined) {
        const own = q.reviewerId === me && isReviewer(user)
        if (!own && !reviewers.some(r => r.id === q.reviewerId)) throw new ForbiddenError()
        reviewerIds = [q.reviewerId]
      } else if (isReviewer(user)) reviewerIds = [me]
      else if (managesReviewers(user)) reviewerIds = reviewers.map(r => r.id)
      else throw new ForbiddenError()
      const today = calendars.today()
      const due: DueCheck[] = []
      for (const { checksHeld, ...episode } of await reviewEpisodes(db, user.scope, reviewerIds)) {
        const states = checkStatuses(episode.start as IsoDate, checksHeld as IsoDate[], today)
        const slot = currentSlot(states)
        if (!slot || (slot.status !== 'due' && slot.status !== 'overdue')) continue
        if (q.state && slot.status !== q.state) continue
        due.push({
          ...episode,
          slot,
          missed: states.filter(s => s.status === 'missed').length,
          lastHeldOn: checksHeld.at(-1) ?? null,
        })
      }
      due.sort(
        (a, b) =>
          compareIsoDates(a.slot.dueOn, b.slot.dueOn) ||
          a.childName.localeCompare(b.childName) ||
          a.childId - b.childId ||
          a.kind.localeCompare(b.kind),
      )
      return {
        rows: due.slice(q.offset, q.offset + q.limit),
        total: due.length,
        reviewers,
        reviewerIds,
        isReviewer: isReviewer(user),
      }
    },

    // ---- What a child's page shows -------------------------------------------------------------------------

    /** The child's episodes with their check schedules, every check and every notice: visible exactly when the child is. */
    async forChild(user: CurrentUser, childId: number) {
      const child = await visibleChild(user, childId)
      const [checks, notices, maySend] = await Promise.all([
        checksForChild(db, child.id),
        noticesForChild(db, child.id),
        maySendNotice(db, user, child),
      ])
      const today = calendars.today()
      const episodes: EpisodeView[] = (['iro', 'cp_chair'] as const).flatMap(kind => {
        const start = episodeStart(child, kind) as IsoDate | null
        if (start === null) return []
        const mine = checks.filter(c => c.reviewerRole === kind && c.heldOn >= start)
        const slots = checkStatuses(
          start,
          mine.map(c => c.heldOn as IsoDate),
          today,
        )
        return [
          {
            kind,
            start,
            reviewerId: allocatedReviewer(child, kind),
            reviewerName: kind === 'iro' ? child.iroName : child.cpChairName,
            slots,
            current: currentSlot(slots),
            checks: mine,
          },
        ]
      })
      return {
        episodes,
        checks,
        notices,
        mayRecordCheck: checkKindsFor(user, child).length > 0,
        maySendNotice: maySend && noticeAudiencesFor(child).length > 0,
      }
    },

    // ---- Significant-change notices -------------------------------------------------------------------------

    /** What the form needs: the lists that fit the child's status, each with its reviewer. */
    async noticeForm(user: CurrentUser, childId: number) {
      const child = await visibleChild(user, childId)
      if (!(await maySendNotice(db, user, child))) throw new ForbiddenError(mn.notSender)
      return {
        child,
        audiences: noticeAudiencesFor(child).map(audience => ({
          audience,
          reviewerId: allocatedReviewer(child, audience),
          reviewerName: audience === 'iro' ? child.iroName : child.cpChairName,
          kinds: changeKindsFor(audience),
        })),
      }
    },

    /**
     * The social worker (or one of their managers) tells the reviewer: the notice, its lateness in working
     * days, the reviewer's inbox item to acknowledge, a review task when the policy asks for one, and the
     * email, all in one transaction.
     */
    async sendNotice(user: CurrentUser, childId: number, value: NoticeValue): Promise<number> {
      const child = await visibleChild(user, childId)
      if (!(await maySendNotice(db, user, child))) throw new ForbiddenError(mn.notSender)
      const fitting = noticeAudiencesFor(child)
      if (fitting.length === 0) throw new ValidationError([{ field: 'audience', message: mn.audience.noStatus }])
      const audience = value.audience ?? (fitting.length === 1 ? fitting[0] : undefined)
      if (!audience) throw new ValidationError([{ field: 'audience', message: mn.audience.required }])
      if (!fitting.includes(audience)) throw new ValidationError([{ field: 'audience', message: mn.audience.unknown }])
      const reviewerId = allocatedReviewer(child, audience)
      if (reviewerId === null) throw new ValidationError([{ field: 'audience', message: mn.audience.noReviewer }])
      const errors: FieldError[] = []
      if (!changeKindLabel(audience, value.kind)) errors.push({ field: 'kind', message: mn.kind.required })
      const today = calendars.today()
      if (compareIsoDates(value.occurredOn, today) > 0)
        errors.push({ field: 'occurredOn', message: mn.occurredOn.future })
      if (errors.length) throw new ValidationError(errors)
      // Read before the transaction: PGlite has one connection, and the transaction holds it.
      const calendar = await calendars.calendar()
      const lateness = noticeLateness(calendar, value.occurredOn, today)
      const reviewDueOn = policyReviewDueOn(value.kind, value.occurredOn) ?? null
      return db.transaction(async tx => {
        const at = clock.now()
        const id = await insertNotice(
          tx,
          {
            childId: child.id,
            audience,
            kind: value.kind,
            occurredOn: value.occurredOn,
            details: value.details,
            sentById: user.person.id,
            sentOn: today,
            reviewerId,
            latenessWorkingDays: lateness,
            reviewDueOn,
          },
          at,
        )
        const item = { subjectType: 'change_notice', subjectId: id, childId: child.id, personId: reviewerId }
        await addSubjectItem(tx, { ...item, kind: 'change_notice', needsAck: true, dueOn: null }, at)
        if (reviewDueOn)
          await addSubjectItem(tx, { ...item, kind: 'review_due', needsAck: false, dueOn: reviewDueOn }, at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'change_notice',
          entityId: id,
          childId: child.id,
          kind: 'change_notice.sent',
          data: {
            audience,
            kind: value.kind,
            occurredOn: value.occurredOn,
            reviewerId,
            latenessWorkingDays: lateness,
            reviewDueOn,
          },
        })
        // The subject says what is asked, never who the child is or what happened (emails travel).
        const contact = (await contactsFor(tx, [reviewerId])).get(reviewerId)
        if (contact?.active) {
          const reference = noticeReference(id)
          const review = reviewDueOn ? `\n\nThe policy asks for a review by ${emailDate(reviewDueOn)}.` : ''
          await enqueueEmail(
            tx,
            {
              dedupeKey: `n${id}:sent:${reviewerId}`,
              personId: reviewerId,
              to: contact.email,
              subject: `Significant change notice ${reference}: please acknowledge`,
              body:
                `You have been told of a significant change for the child with case ID ${child.caseId}.${review}\n\n` +
                `Read and acknowledge the notice: ${options.baseUrl}/notices/${id}${SIGN_OFF}`,
              digest: contact.preference === 'daily_digest',
            },
            at,
          )
        }
        return id
      })
    },

    /** A notice, visible exactly when its child is; viewing it is audited. */
    async viewNotice(user: CurrentUser, id: number, access: AccessContext) {
      const { notice, child } = await loadNotice(user, id)
      await recordChildAccess(db, {
        at: clock.now(),
        personId: user.person.id,
        childId: child.id,
        action: 'view significant-change notice',
        ...access,
      })
      const reviewer = reviewsNotice(user, notice, child)
      const [events, itemId] = await Promise.all([
        eventsForEntity(db, 'change_notice', id, 100),
        openNoticeItem(db, id, user.person.id),
      ])
      return {
        notice,
        child,
        kindLabel: changeKindLabel(notice.audience, notice.kind) ?? notice.kind,
        events,
        /** The open inbox item this person can acknowledge the notice by, if any. */
        acknowledgeItemId: itemId ?? null,
        mayActOnReview: reviewer && notice.reviewHeldOn === null,
        mayRecordReviewHeld: reviewer && notice.reviewDueOn !== null && notice.reviewHeldOn === null,
      }
    },

    /**
     * The reviewer acknowledges the notice from the notice itself, and may say a review is needed by a date
     * (the version read is checked only then, since only then does the notice change).
     */
    async acknowledgeNotice(
      user: CurrentUser,
      id: number,
      review?: { version: number; reviewDueOn: IsoDate },
    ): Promise<void> {
      const { notice, child } = await loadNotice(user, id)
      if (!reviewsNotice(user, notice, child)) throw new ForbiddenError(mn.notReviewer)
      const itemId = await openNoticeItem(db, id, user.person.id)
      if (itemId === undefined) throw new ConflictError(mn.acknowledged)
      if (review) checkReviewDate(review.reviewDueOn)
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await acknowledgeItem(tx, user.person.id, itemId, at))) throw new ConflictError(mn.acknowledged)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'change_notice',
          entityId: id,
          childId: notice.childId,
          kind: 'work.acknowledged',
          data: { itemId },
        })
        if (review) await setReview(tx, user, notice, review.version, review.reviewDueOn, at)
      })
    },

    /** The reviewer says a review is needed by a date, or moves the date, until the review is held. */
    async setReviewDue(user: CurrentUser, id: number, version: number, reviewDueOn: IsoDate): Promise<void> {
      const { notice, child } = await loadNotice(user, id)
      if (!reviewsNotice(user, notice, child)) throw new ForbiddenError(mn.notReviewer)
      if (notice.reviewHeldOn !== null) throw new ConflictError(mn.reviewHeld)
      checkReviewDate(reviewDueOn)
      await db.transaction(async tx => setReview(tx, user, notice, version, reviewDueOn, clock.now()))
    },

    /** The reviewer records the review as held: the review task closes for everyone. */
    async recordReviewHeld(user: CurrentUser, id: number, version: number, heldOn: IsoDate): Promise<void> {
      const { notice, child } = await loadNotice(user, id)
      if (!reviewsNotice(user, notice, child)) throw new ForbiddenError(mn.notReviewer)
      const dueOn = notice.reviewDueOn
      if (dueOn === null) throw new ConflictError(mn.noReview)
      if (notice.reviewHeldOn !== null) throw new ConflictError(mn.reviewHeld)
      if (compareIsoDates(heldOn, calendars.today()) > 0)
        throw new ValidationError([{ field: 'heldOn', message: mn.heldOn.future }])
      if (compareIsoDates(heldOn, notice.occurredOn as IsoDate) < 0)
        throw new ValidationError([{ field: 'heldOn', message: mn.heldOn.beforeEvent }])
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await saveReviewHeld(tx, id, version, heldOn, at))) throw new ConflictError()
        await completeSubjectItems(tx, 'change_notice', id, 'review_due', at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'change_notice',
          entityId: id,
          childId: notice.childId,
          kind: 'change_notice.review_held',
          data: { heldOn, reviewDueOn: dueOn, late: heldOn > dueOn },
        })
      })
    },
  }
}

export type QualityService = ReturnType<typeof qualityService>
