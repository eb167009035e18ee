import type { ChildScope } from '../../domain/organisation.js'
import type { CheckKind, CheckOutcome } from '../../domain/quality/progressChecks.js'
import type { ChangeAudience } from '../../domain/quality/significantChanges.js'
import type { Queryable } from '../database.js'
import { visibleChildCondition } from './childRepository.js'

// ---- Progress checks ----------------------------------------------------------------------------------------

/** Short references people can say on the phone, from the record's own id. */
export const checkReference = (id: number) => `PC-${String(id).padStart(6, '0')}`
export const noticeReference = (id: number) => `SCN-${String(id).padStart(6, '0')}`

/** One heading's answer, with the heading's words as they were asked. */
export interface CheckAnswer {
  key: string
  label: string
  answer: string
}

export interface ProgressCheck {
  id: number
  reference: string
  childId: number
  reviewerId: number
  reviewerName: string
  reviewerRole: CheckKind
  heldOn: string
  answers: CheckAnswer[]
  outcome: CheckOutcome
  createdAt: Date
}

interface CheckRow {
  id: number
  child_id: number
  reviewer_id: number
  reviewer_name: string
  reviewer_role: CheckKind
  held_on: string
  answers: CheckAnswer[] | string
  outcome: CheckOutcome
  created_at: Date
}

const toCheck = (r: CheckRow): ProgressCheck => ({
  id: r.id,
  reference: checkReference(r.id),
  childId: r.child_id,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  reviewerRole: r.reviewer_role,
  heldOn: r.held_on,
  answers: typeof r.answers === 'string' ? (JSON.parse(r.answers) as CheckAnswer[]) : r.answers,
  outcome: r.outcome,
  createdAt: r.created_at,
})

const selectChecks = `select pc.id, pc.child_id, pc.reviewer_id, p.given_name || ' ' || p.family_name as reviewer_name,
  pc.reviewer_role, pc.held_on, pc.answers, pc.outcome, pc.created_at
  from progress_checks pc join people p on p.id = pc.reviewer_id`

export async function insertCheck(
  tx: Queryable,
  check: {
    childId: number
    reviewerId: number
    reviewerRole: CheckKind
    heldOn: string
    answers: CheckAnswer[]
    outcome: CheckOutcome
  },
  at: Date,
): Promise<number> {
  const row = await tx.query<{ id: number }>(
    `insert into progress_checks (child_id, reviewer_id, reviewer_role, held_on, answers, outcome, created_at)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      check.childId,
      check.reviewerId,
      check.reviewerRole,
      check.heldOn,
      JSON.stringify(check.answers),
      check.outcome,
      at,
    ],
  )
  return row.rows[0]!.id
}

export async function findCheck(db: Queryable, id: number): Promise<ProgressCheck | undefined> {
  const row = (await db.query<CheckRow>(`${selectChecks} where pc.id = $1`, [id])).rows[0]
  return row && toCheck(row)
}

/** A child's checks, newest first. */
export async function checksForChild(db: Queryable, childId: number): Promise<ProgressCheck[]> {
  const rows = await db.query<CheckRow>(`${selectChecks} where pc.child_id = $1 order by pc.held_on desc, pc.id desc`, [
    childId,
  ])
  return rows.rows.map(toCheck)
}

/** One child's episode with a reviewer: who reviews, since when, and the dates of the checks held since then. */
export interface ReviewEpisode {
  childId: number
  caseId: string
  childName: string
  kind: CheckKind
  reviewerId: number
  reviewerName: string
  start: string
  checksHeld: string[]
}

/**
 * The episodes reviewed by these people, among the children the viewer may see: a looked-after child's
 * IRO from the day they came into care, a child on a plan's CP chair from the day the plan began, with
 * the checks held in that role since that day (by whichever reviewer held them). The schedule itself is
 * worked out by the pure domain, because it moves with today's date.
 */
export async function reviewEpisodes(
  db: Queryable,
  scope: ChildScope,
  reviewerIds: readonly number[],
): Promise<ReviewEpisode[]> {
  if (reviewerIds.length === 0) return []
  const params: unknown[] = [[...reviewerIds]]
  const visible = visibleChildCondition(scope, params)
  const rows = await db.query<{
    id: number
    case_id: string
    child_name: string
    kind: CheckKind
    reviewer_id: number
    reviewer_name: string
    start: string
    held: string | null
  }>(
    `select c.id, c.case_id, c.given_name || ' ' || c.family_name as child_name, r.kind, r.reviewer_id,
       p.given_name || ' ' || p.family_name as reviewer_name, r.start,
       (select string_agg(pc.held_on::text, ',' order by pc.held_on) from progress_checks pc
         where pc.child_id = c.id and pc.reviewer_role = r.kind and pc.held_on >= r.start) as held
     from children c
     cross join lateral (values ('iro', c.iro_id, c.looked_after_start), ('cp_chair', c.cp_chair_id, c.cp_plan_start))
       as r(kind, reviewer_id, start)
     join people p on p.id = r.reviewer_id
     where r.reviewer_id = any($1::int[]) and r.start is not null and ${visible}
     order by c.id, r.kind`,
    params,
  )
  return rows.rows.map(r => ({
    childId: r.id,
    caseId: r.case_id,
    childName: r.child_name,
    kind: r.kind,
    reviewerId: r.reviewer_id,
    reviewerName: r.reviewer_name,
    start: r.start,
    checksHeld: r.held ? r.held.split(',') : [],
  }))
}

// ---- Significant-change notices -----------------------------------------------------------------------------

export interface ChangeNotice {
  id: number
  reference: string
  childId: number
  audience: ChangeAudience
  kind: string
  occurredOn: string
  details: string
  sentById: number
  sentByName: string
  sentOn: string
  reviewerId: number
  reviewerName: string
  latenessWorkingDays: number
  reviewDueOn: string | null
  reviewSetBy: 'policy' | 'reviewer' | null
  reviewHeldOn: string | null
  /** When the reviewer acknowledged it (from their inbox item); null while it waits. */
  acknowledgedAt: Date | null
  version: number
  createdAt: Date
  updatedAt: Date
}

interface NoticeRow {
  id: number
  child_id: number
  audience: ChangeAudience
  kind: string
  occurred_on: string
  details: string
  sent_by_id: number
  sent_by_name: string
  sent_on: string
  reviewer_id: number
  reviewer_name: string
  lateness_working_days: number
  review_due_on: string | null
  review_set_by: 'policy' | 'reviewer' | null
  review_held_on: string | null
  acknowledged_at: Date | null
  version: number
  created_at: Date
  updated_at: Date
}

const toNotice = (r: NoticeRow): ChangeNotice => ({
  id: r.id,
  reference: noticeReference(r.id),
  childId: r.child_id,
  audience: r.audience,
  kind: r.kind,
  occurredOn: r.occurred_on,
  details: r.details,
  sentById: r.sent_by_id,
  sentByName: r.sent_by_name,
  sentOn: r.sent_on,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  latenessWorkingDays: r.lateness_working_days,
  reviewDueOn: r.review_due_on,
  reviewSetBy: r.review_set_by,
  reviewHeldOn: r.review_held_on,
  acknowledgedAt: r.acknowledged_at,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const selectNotices = `select n.id, n.child_id, n.audience, n.kind, n.occurred_on, n.details, n.sent_by_id,
  sb.given_name || ' ' || sb.family_name as sent_by_name, n.sent_on, n.reviewer_id,
  rv.given_name || ' ' || rv.family_name as reviewer_name, n.lateness_working_days, n.review_due_on, n.review_set_by,
  n.review_held_on,
  (select max(w.acknowledged_at) from work_items w where w.subject_type = 'change_notice' and w.subject_id = n.id
     and w.kind = 'change_notice' and w.person_id = n.reviewer_id) as acknowledged_at,
  n.version, n.created_at, n.updated_at
  from change_notices n join people sb on sb.id = n.sent_by_id join people rv on rv.id = n.reviewer_id`

export async function insertNotice(
  tx: Queryable,
  notice: {
    childId: number
    audience: ChangeAudience
    kind: string
    occurredOn: string
    details: string
    sentById: number
    sentOn: string
    reviewerId: number
    latenessWorkingDays: number
    reviewDueOn: string | null
  },
  at: Date,
): Promise<number> {
  const row = await tx.query<{ id: number }>(
    `insert into change_notices (child_id, audience, kind, occurred_on, details, sent_by_id, sent_on, reviewer_id,
       lateness_working_days, review_due_on, review_set_by, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id`,
    [
      notice.childId,
      notice.audience,
      notice.kind,
      notice.occurredOn,
      notice.details,
      notice.sentById,
      notice.sentOn,
      notice.reviewerId,
      notice.latenessWorkingDays,
      notice.reviewDueOn,
      notice.reviewDueOn === null ? null : 'policy',
      at,
    ],
  )
  return row.rows[0]!.id
}

export async function findNotice(db: Queryable, id: number): Promise<ChangeNotice | undefined> {
  const row = (await db.query<NoticeRow>(`${selectNotices} where n.id = $1`, [id])).rows[0]
  return row && toNotice(row)
}

/** A child's notices, newest first. */
export async function noticesForChild(db: Queryable, childId: number): Promise<ChangeNotice[]> {
  const rows = await db.query<NoticeRow>(
    `${selectNotices} where n.child_id = $1 order by n.created_at desc, n.id desc`,
    [childId],
  )
  return rows.rows.map(toNotice)
}

/** Sets the date a review is needed by, with the version read; false when someone changed the notice first. */
export async function saveReviewDue(
  tx: Queryable,
  id: number,
  version: number,
  reviewDueOn: string,
  setBy: 'policy' | 'reviewer',
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update change_notices set review_due_on = $3, review_set_by = $4, version = version + 1, updated_at = $5
     where id = $1 and version = $2 and review_held_on is null`,
    [id, version, reviewDueOn, setBy, at],
  )
  return result.rowCount === 1
}

/** Records the review as held, with the version read; false when someone changed the notice first. */
export async function saveReviewHeld(
  tx: Queryable,
  id: number,
  version: number,
  heldOn: string,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update change_notices set review_held_on = $3, version = version + 1, updated_at = $4
     where id = $1 and version = $2 and review_due_on is not null and review_held_on is null`,
    [id, version, heldOn, at],
  )
  return result.rowCount === 1
}

/** The reviewer's open inbox item for a notice (to acknowledge it from the notice itself). */
export async function openNoticeItem(db: Queryable, noticeId: number, personId: number): Promise<number | undefined> {
  const row = (
    await db.query<{ id: number }>(
      `select id from work_items where subject_type = 'change_notice' and subject_id = $1 and kind = 'change_notice'
         and person_id = $2 and needs_ack and acknowledged_at is null`,
      [noticeId, personId],
    )
  ).rows[0]
  return row?.id
}

/** Moves the open 'review_due' task of a notice to a new due date; false when there is none to move. */
export async function moveReviewTask(tx: Queryable, noticeId: number, dueOn: string): Promise<boolean> {
  const result = await tx.query(
    `update work_items set due_on = $2 where subject_type = 'change_notice' and subject_id = $1 and kind = 'review_due'
       and done_at is null`,
    [noticeId, dueOn],
  )
  return result.rowCount > 0
}
