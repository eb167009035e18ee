import type { WorkItemSpec } from '../../domain/dispute/workItems.js'
import { namedStatement, type Queryable } from '../database.js'
import type { ChildScope } from '../../domain/organisation.js'
import { visibleChildCondition } from './childRepository.js'
import { disputeReference } from './disputeRepository.js'

interface OpenItemRow {
  id: number
  person_id: number
  kind: string
  ref: string
  due_on: string | null
  needs_ack: boolean
}

const key = (i: { person_id?: number; personId?: number; kind: string; ref: string }) =>
  `${i.person_id ?? i.personId}|${i.kind}|${i.ref}`

/**
 * Brings a record's work items in line with what it asks now, in the caller's transaction:
 * new tasks and notices are added, tasks no longer asked for are marked done, due dates follow
 * the record. Notices are never closed here: only their recipient's acknowledgement closes them.
 */
export async function syncWorkItems(
  tx: Queryable,
  disputeId: number,
  childId: number,
  desired: WorkItemSpec[],
  at: Date,
): Promise<void> {
  const existing = (
    await tx.query<OpenItemRow & { done_at: Date | null; acknowledged_at: Date | null }>(
      'select id, person_id, kind, ref, due_on, needs_ack, done_at, acknowledged_at from work_items where dispute_id = $1',
      [disputeId],
    )
  ).rows
  const byKey = new Map(existing.map(e => [key(e), e]))
  const wanted = new Set<string>()
  for (const item of desired) {
    const k = key(item)
    if (wanted.has(k)) continue
    wanted.add(k)
    const found = byKey.get(k)
    if (!found) {
      await tx.query(
        `insert into work_items (person_id, kind, dispute_id, child_id, ref, needs_ack, due_on, created_at, about)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [item.personId, item.kind, disputeId, childId, item.ref, item.needsAck, item.dueOn, at, item.about ?? null],
      )
    } else if (!item.needsAck && (found.done_at !== null || found.due_on !== item.dueOn)) {
      // A task asked for again (for example a response during an extension) reopens with its new date.
      await tx.query('update work_items set done_at = null, due_on = $2 where id = $1', [found.id, item.dueOn])
    }
  }
  for (const e of existing) {
    if (!e.needs_ack && e.done_at === null && !wanted.has(key(e)))
      await tx.query('update work_items set done_at = $2 where id = $1', [e.id, at])
  }
}

export interface InboxItem {
  id: number
  kind: string
  /** For items that are not about a dispute: what they are about (for example 'practice_note', 42). */
  subjectType: string | null
  subjectId: number | null
  disputeId: number | null
  reference: string | null
  childId: number | null
  caseId: string | null
  /** Null where the reader may no longer see the child (or the item is about no child). */
  childName: string | null
  ref: string
  /** What it is about in words, where kind and ref do not say (a copy's stage name); null on older items. */
  about: string | null
  needsAck: boolean
  dueOn: string | null
  createdAt: Date
}

// The total rides along with the page (one statement, not two); a page past the end has no rows to carry it.
// The page is cut before the join, so a full inbox joins only the rows shown. The child is named only
// where the reader may still see them (ADR 0004: a child can move to a team outside their branch while an
// item waits); otherwise the case ID alone shows, as everywhere a child is out of sight.
const inboxPage = (visible: string) =>
  `select w.id, w.kind, w.subject_type, w.subject_id, w.dispute_id, w.child_id, c.case_id,
     case when ${visible} then c.given_name || ' ' || c.family_name end as child_name,
     w.ref, w.about, w.needs_ack, w.due_on, w.created_at, w.total
   from (
     select w.*, count(*) over () as total from work_items w
     where w.person_id = $1 and w.done_at is null and w.acknowledged_at is null
     order by w.due_on asc nulls last, w.needs_ack asc, w.created_at asc, w.id asc
     limit $2 offset $3
   ) w left join children c on c.id = w.child_id
   order by w.due_on asc nulls last, w.needs_ack asc, w.created_at asc, w.id asc`

/** The page's statement for this reader, and its parameters: one text for everyone who sees every child, one for the rest. */
function inboxPageFor(scope: ChildScope, personId: number, limit: number, offset: number) {
  const params: unknown[] = [personId, limit, offset]
  return { sql: inboxPage(visibleChildCondition(scope, params)), params }
}
// Named, so each connection prepares them once (ADR 0020): the texts do not depend on who reads.
namedStatement('inbox_page_all', inboxPageFor({ kind: 'all' }, 0, 0, 0).sql)
namedStatement('inbox_page_scoped', inboxPageFor({ kind: 'some', personId: 0, branchUnitIds: [] }, 0, 0, 0).sql)

/** A person's open items, most urgent first: overdue and soonest due, then undated, oldest first. */
export async function openItemsFor(
  db: Queryable,
  reader: { personId: number; scope: ChildScope },
  limit: number,
  offset: number,
): Promise<{ items: InboxItem[]; total: number }> {
  const { personId } = reader
  const page = inboxPageFor(reader.scope, personId, limit, offset)
  const rows = await db.query<{
    id: number
    kind: string
    subject_type: string | null
    subject_id: number | null
    dispute_id: number | null
    child_id: number | null
    case_id: string | null
    child_name: string | null
    ref: string
    about: string | null
    needs_ack: boolean
    due_on: string | null
    created_at: Date
    total: number
  }>(page.sql, page.params)
  const total = rows.rows.length > 0 ? Number(rows.rows[0]!.total) : offset > 0 ? await openItemCount(db, personId) : 0
  return {
    total,
    items: rows.rows.map(r => ({
      id: r.id,
      kind: r.kind,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      disputeId: r.dispute_id,
      reference: r.dispute_id === null ? null : disputeReference(r.dispute_id),
      childId: r.child_id,
      caseId: r.case_id,
      childName: r.child_name,
      ref: r.ref,
      about: r.about,
      needsAck: r.needs_ack,
      dueOn: r.due_on,
      createdAt: r.created_at,
    })),
  }
}

const INBOX_COUNT = namedStatement(
  'inbox_count',
  'select count(*) as n from work_items where person_id = $1 and done_at is null and acknowledged_at is null',
)

export async function openItemCount(db: Queryable, personId: number): Promise<number> {
  return (await db.query<{ n: number }>(INBOX_COUNT, [personId])).rows[0]!.n
}

/** The person's notices about a dispute still to acknowledge (copies, a CAFCASS referral), oldest first. */
export async function openNoticesOnDispute(
  db: Queryable,
  disputeId: number,
  personId: number,
): Promise<{ id: number; kind: string; ref: string; about: string | null }[]> {
  return (
    await db.query<{ id: number; kind: string; ref: string; about: string | null }>(
      `select id, kind, ref, about from work_items
       where dispute_id = $1 and person_id = $2 and needs_ack and acknowledged_at is null and done_at is null
       order by id`,
      [disputeId, personId],
    )
  ).rows
}

/** Whether the person's item that asked to be acknowledged already has been (or its work is done). */
export async function alreadyAcknowledged(tx: Queryable, personId: number, id: number): Promise<boolean> {
  const row = (
    await tx.query<{ gone: boolean }>(
      `select acknowledged_at is not null or done_at is not null as gone
       from work_items where id = $1 and person_id = $2 and needs_ack`,
      [id, personId],
    )
  ).rows[0]
  return row?.gone ?? false
}

/** Only notices can be acknowledged, and only by their recipient. */
export async function acknowledgeItem(
  tx: Queryable,
  personId: number,
  id: number,
  at: Date,
  /** Kinds acknowledged only where a question goes with them (a change notice asks whether a review is needed). */
  exceptKinds: readonly string[] = [],
): Promise<
  | {
      kind: string
      disputeId: number | null
      childId: number | null
      subjectType: string | null
      subjectId: number | null
    }
  | undefined
> {
  const row = (
    await tx.query<{
      kind: string
      dispute_id: number | null
      child_id: number | null
      subject_type: string | null
      subject_id: number | null
    }>(
      `update work_items set acknowledged_at = $3
       where id = $1 and person_id = $2 and needs_ack and acknowledged_at is null and not (kind = any($4::text[]))
       returning kind, dispute_id, child_id, subject_type, subject_id`,
      [id, personId, at, exceptKinds],
    )
  ).rows[0]
  return (
    row && {
      kind: row.kind,
      disputeId: row.dispute_id,
      childId: row.child_id,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
    }
  )
}

export type Chase = 'reminded_for' | 'overdue_alerted_for' | 'overdue_escalated_for'

/** What a sweep chases: responses due on the next working day, or those late enough to alert or escalate. */
export type ChaseQuery =
  | { remindFor: string }
  | {
      /** The latest due date at least one working day late: the reviewer is alerted. */
      alertThrough: string
      /** The latest due date late enough for the reviewer's managers to be told too. */
      escalateThrough: string
    }

/** An open response this sweep has just marked chased, with every fact its email needs. */
export interface ResponseToChase {
  id: number
  personId: number
  disputeId: number
  dueOn: string
  caseId: string
  /** The reviewer who raised the record (told when the response is late). */
  ownerId: number
  ownerUnitId: number | null
  responsibleName: string
  allocation: { teamId: number; socialWorkerId: number | null; iroId: number | null; cpChairId: number | null }
  /** Newly marked for this due date: reminded, or (overdue sweeps) the reviewer alerted. */
  unchased: boolean
  /** Overdue sweeps only: newly marked as alerted to whoever owes the response. */
  responsibleUnchased: boolean
  /** Overdue sweeps only: newly marked escalated to the managers for this due date. */
  toEscalate: boolean
}

/** The columns every chase sweep selects for an item. */
interface ChasedItemRow {
  id: number
  person_id: number
  dispute_id: number
  due_on: string
  case_id: string
}

interface ResponseToChaseRow extends ChasedItemRow {
  owner_id: number
  owner_unit_id: number | null
  responsible_name: string
  team_id: number
  social_worker_id: number | null
  iro_id: number | null
  cp_chair_id: number | null
  unchased: boolean
  responsible_unchased: boolean
  to_escalate: boolean
}

/** What every chased item's row says of it, as the sweeps return it. */
const chasedItemOf = (r: ChasedItemRow) => ({
  id: r.id,
  personId: r.person_id,
  disputeId: r.dispute_id,
  dueOn: r.due_on,
  caseId: r.case_id,
})

/** The item was not yet chased, in this column, for its current due date. */
const notChasedFor = (column: Chase | 'responsible_alerted_for') => `(w.${column} is null or w.${column} <> w.due_on)`

/**
 * One statement that picks the items `chosen` selects (a select from `work_items w`), marks them with
 * `set` (on `w`, with the picked row as `c`) and returns the picked rows it marked, oldest due first.
 * The rows are locked as they are picked and rows another sweep holds are skipped, so of two instances
 * sweeping at once each item goes to exactly one of them; one that has since been marked is passed over
 * when its lock is released (ADR 0024).
 */
const pickAndMark = (chosen: string, set: string) => `with chosen as (
       ${chosen}
       for no key update of w skip locked
     ), marked as (
       update work_items w set ${set} from chosen c where w.id = c.id returning w.id
     )
     select c.* from chosen c join marked m on m.id = c.id
     order by c.due_on, c.id`

/**
 * Picks the open responses of open records that are due to be chased and not yet chased for their
 * current due date, marks them chased and returns them with their facts (pickAndMark), in the
 * caller's transaction, which must also queue their emails.
 */
export async function claimResponsesToChase(tx: Queryable, q: ChaseQuery): Promise<ResponseToChase[]> {
  const remind = 'remindFor' in q
  const chase = remind ? 'reminded_for' : 'overdue_alerted_for'
  // Someone deactivated is not emailed, so their reminder or alert is left for when they are active again;
  // the reviewer (o) and whoever owes the response (r) are marked each on their own when it is late.
  const told = remind ? 'r' : 'o'
  const unchased = `(${notChasedFor(chase)} and ${told}.active)`
  const responsibleUnchased = remind ? 'false' : `(${notChasedFor('responsible_alerted_for')} and r.active)`
  const toEscalate = remind ? 'false' : `(w.due_on <= $2::date and ${notChasedFor('overdue_escalated_for')})`
  const rows = await tx.query<ResponseToChaseRow>(
    pickAndMark(
      `select w.id, w.person_id, w.dispute_id, w.due_on, c.case_id, d.reviewer_id as owner_id, o.unit_id as owner_unit_id,
         r.given_name || ' ' || r.family_name as responsible_name,
         c.team_id, c.social_worker_id, c.iro_id, c.cp_chair_id,
         ${unchased} as unchased, ${responsibleUnchased} as responsible_unchased, ${toEscalate} as to_escalate
       from work_items w
       join disputes d on d.id = w.dispute_id and d.status = 'open'
       join children c on c.id = d.child_id
       join people r on r.id = w.person_id
       join people o on o.id = d.reviewer_id
       where w.done_at is null and w.acknowledged_at is null and w.kind = 'respond'
         and w.due_on ${remind ? '=' : '<='} $1::date
         and (${unchased} or ${responsibleUnchased} or ${toEscalate})`,
      `${chase} = case when c.unchased then w.due_on else w.${chase} end,
         responsible_alerted_for = case when c.responsible_unchased then w.due_on else w.responsible_alerted_for end,
         overdue_escalated_for = case when c.to_escalate then w.due_on else w.overdue_escalated_for end`,
    ),
    remind ? [q.remindFor] : [q.alertThrough, q.escalateThrough],
  )
  return rows.rows.map(r => ({
    ...chasedItemOf(r),
    ownerId: r.owner_id,
    ownerUnitId: r.owner_unit_id,
    responsibleName: r.responsible_name,
    allocation: {
      teamId: r.team_id,
      socialWorkerId: r.social_worker_id,
      iroId: r.iro_id,
      cpChairId: r.cp_chair_id,
    },
    unchased: r.unchased,
    responsibleUnchased: r.responsible_unchased,
    toEscalate: r.to_escalate,
  }))
}

/**
 * What the action sweeps chase: actions due after today up to the next working day (an action may be
 * due on a weekend, and is reminded of on the working day before), or those at least a working day late.
 */
export type ActionChaseQuery = { remindFor: string; today: string } | { alertThrough: string }

/** An open SMART action this sweep has just marked chased, with every fact its email needs. */
export interface ActionToChase {
  id: number
  /** The action's owner. */
  personId: number
  disputeId: number
  actionId: number
  dueOn: string
  caseId: string
  /** The reviewer who raised the record: told with the owner when an action is late (they track the plan). */
  reviewerId: number
  actionOwnerName: string
}

/**
 * The same as claimResponsesToChase for the actions of a SMART action plan: the owner is reminded
 * the working day before an action is due (unless it was given that day); once it is late, the owner
 * and the reviewer are told.
 * No managers: the reviewer decides whether to escalate, as the seeds ask. An item is left unmarked
 * while nobody it would tell is active.
 */
export async function claimActionsToChase(tx: Queryable, q: ActionChaseQuery): Promise<ActionToChase[]> {
  const remind = 'remindFor' in q
  const chase = remind ? 'reminded_for' : 'overdue_alerted_for'
  const told = remind ? 'a.active' : '(a.active or o.active)'
  const rows = await tx.query<ChasedItemRow & { ref: string; reviewer_id: number; action_owner_name: string }>(
    pickAndMark(
      `select w.id, w.person_id, w.dispute_id, w.ref, w.due_on, c.case_id, d.reviewer_id,
         a.given_name || ' ' || a.family_name as action_owner_name
       from work_items w
       -- No test of the record's status: a finalised record's items are all closed (workItemsFor), and
       -- "status <> 'finalised'" would make the planner read every record at 1M.
       join disputes d on d.id = w.dispute_id
       join children c on c.id = d.child_id
       join people a on a.id = w.person_id
       join people o on o.id = d.reviewer_id
       where w.done_at is null and w.acknowledged_at is null and w.kind = 'action'
         and w.due_on <= $1::date
         -- An action given today says its due date in the email giving it: no reminder the same day.
         ${remind ? `and w.due_on > $2::date and (w.created_at at time zone 'Europe/London')::date < $2::date` : ''}
         and ${notChasedFor(chase)} and ${told}`,
      `${chase} = w.due_on`,
    ),
    remind ? [q.remindFor, q.today] : [q.alertThrough],
  )
  return rows.rows.map(r => ({
    ...chasedItemOf(r),
    actionId: Number(r.ref),
    reviewerId: r.reviewer_id,
    actionOwnerName: r.action_owner_name,
  }))
}

/** A stage outside the system whose outcome the reviewer has not recorded by its due date, just marked alerted. */
/** `personId` is the reviewer, who records the outcome. */
export type OutcomeToChase = ReturnType<typeof chasedItemOf>

/**
 * Stages handled outside the system at least a working day past their due date, their outcome not yet
 * recorded: the reviewer is told once for each due date (no reminder: the date is theirs to chase, and
 * nobody answers in Concord). Picked and marked as claimResponsesToChase does.
 */
export async function claimOutcomesToChase(tx: Queryable, q: { alertThrough: string }): Promise<OutcomeToChase[]> {
  const rows = await tx.query<ChasedItemRow>(
    pickAndMark(
      `select w.id, w.person_id, w.dispute_id, w.due_on, c.case_id
       from work_items w
       join children c on c.id = w.child_id
       join people r on r.id = w.person_id
       where w.done_at is null and w.acknowledged_at is null and w.kind = 'record_outcome'
         and w.due_on <= $1::date and ${notChasedFor('overdue_alerted_for')} and r.active`,
      `overdue_alerted_for = w.due_on`,
    ),
    [q.alertThrough],
  )
  return rows.rows.map(chasedItemOf)
}

/** That an item was chased for its due date, in one or more of the chase columns. */
export interface ChaseMark {
  id: number
  dueOn: string
  columns: readonly Chase[]
}

/** Records that these items were chased for their due dates, in one statement however many. */
export async function markChased(tx: Queryable, marks: readonly ChaseMark[]): Promise<void> {
  if (marks.length === 0) return
  const flag = (column: Chase) => marks.map(m => m.columns.includes(column))
  await tx.query(
    // Joined by primary key to the marks as a table (a nested loop over as many rows as there are
    // marks); an item whose due date moved since it was read is left to be chased for its new date.
    `update work_items w set
       reminded_for = case when m.reminded then m.due_on else w.reminded_for end,
       overdue_alerted_for = case when m.alerted then m.due_on else w.overdue_alerted_for end,
       overdue_escalated_for = case when m.escalated then m.due_on else w.overdue_escalated_for end
     from unnest($1::int[], $2::date[], $3::boolean[], $4::boolean[], $5::boolean[])
       as m(id, due_on, reminded, alerted, escalated)
     where w.id = m.id and w.due_on = m.due_on`,
    [
      marks.map(m => m.id),
      marks.map(m => m.dueOn),
      flag('reminded_for'),
      flag('overdue_alerted_for'),
      flag('overdue_escalated_for'),
    ],
  )
}

/**
 * Adds an item about something other than a dispute (a note, a notice), once: the same person, kind
 * and subject never get two. Written in the caller's transaction.
 */
export async function addSubjectItem(
  tx: Queryable,
  item: {
    personId: number
    kind: string
    subjectType: string
    subjectId: number
    childId: number | null
    needsAck: boolean
    dueOn: string | null
  },
  at: Date,
): Promise<void> {
  await tx.query(
    `insert into work_items (person_id, kind, subject_type, subject_id, child_id, ref, needs_ack, due_on, created_at)
     values ($1, $2, $3, $4::integer, $5, $3 || ':' || $4::integer::text, $6, $7, $8)
     on conflict (person_id, kind, subject_type, subject_id) where subject_type is not null do nothing`,
    [item.personId, item.kind, item.subjectType, item.subjectId, item.childId, item.needsAck, item.dueOn, at],
  )
}

/** Marks a subject's task done for everyone (for example a review held), in the caller's transaction. */
export async function completeSubjectItems(
  tx: Queryable,
  subjectType: string,
  subjectId: number,
  kind: string,
  at: Date,
): Promise<void> {
  await tx.query(
    'update work_items set done_at = $4 where subject_type = $1 and subject_id = $2 and kind = $3 and done_at is null',
    [subjectType, subjectId, kind, at],
  )
}
