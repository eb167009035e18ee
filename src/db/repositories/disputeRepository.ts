import type { Dispute } from '../../domain/dispute/dispute.js'
import { disputeReportFacts } from '../../domain/dispute/reportFacts.js'
import type { ChildScope } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'
import { andList } from '../../text/format.js'
import { visibleChildCondition } from './childRepository.js'

/** The record's details that do not change with its state. */
export interface DisputeDetails {
  categoryKey: string
  concern: string
  impact: string
  wishesAndFeelings: string
  recommendedResolution: string
  resolutionTimescale: string
}

/** A short reference people can say on the phone, from the record's own id. */
export const disputeReference = (id: number) => `DRP-${String(id).padStart(6, '0')}`

export interface DisputeRecord extends DisputeDetails {
  id: number
  reference: string
  childId: number
  disputeSetId: number
  state: Dispute
  version: number
  createdAt: Date
  updatedAt: Date
}

interface DisputeRow {
  id: number
  child_id: number
  dispute_set_id: number
  category_key: string
  concern: string
  impact: string
  wishes_and_feelings: string
  recommended_resolution: string
  resolution_timescale: string
  state: Dispute
  version: number
  created_at: Date
  updated_at: Date
}

const toRecord = (r: DisputeRow): DisputeRecord => ({
  id: r.id,
  reference: disputeReference(r.id),
  childId: r.child_id,
  disputeSetId: r.dispute_set_id,
  categoryKey: r.category_key,
  concern: r.concern,
  impact: r.impact,
  wishesAndFeelings: r.wishes_and_feelings,
  recommendedResolution: r.recommended_resolution,
  resolutionTimescale: r.resolution_timescale,
  state: r.state,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const selectDisputes = `select d.id, d.child_id, d.dispute_set_id, d.category_key, d.concern, d.impact,
  d.wishes_and_feelings, d.recommended_resolution, d.resolution_timescale, d.state, d.version, d.created_at, d.updated_at
  from disputes d`

/** The query columns, always derived from the state so they can never disagree with it. */
function stateColumns(state: Dispute) {
  const stage = state.stages.at(-1)
  return [
    state.status,
    state.phase,
    stage?.stageKey ?? null,
    stage?.responsiblePersonIds[0] ?? null,
    state.status === 'open' ? (stage?.extension?.dueOn ?? stage?.dueOn ?? null) : null,
    state.overallDueOn,
    state.resolution?.on ?? null,
    state.finalisedOn,
    JSON.stringify(state),
  ]
}

// Earlier disputes in the same category, on an earlier day in the twelve months before the dispute
// `d` of child `c`: for the same child, and for a child now in the same team (ADR 0022).
const EARLIER = `e.category_key = d.category_key and e.raised_on < d.raised_on
  and e.raised_on >= (d.raised_on - interval '12 months')::date`
const REPEAT_FOR_CHILD = `exists (select 1 from dispute_report_facts e where e.child_id = d.child_id and ${EARLIER})`
const REPEAT_FOR_TEAM = `exists (select 1 from children ec join dispute_report_facts e on e.child_id = ec.id
  where ec.team_id = c.team_id and ${EARLIER})`

/**
 * Writes what the reports read of the record (ADR 0018): its facts row, copied from the row just
 * saved plus what `disputeReportFacts` reads of the state, and its stage rows. Called in the
 * transaction that saves the state, so the two never disagree. Whether the dispute repeats an
 * earlier concern is worked out when it is first written (raised) and kept (ADR 0022).
 */
async function saveReportFacts(tx: Queryable, id: number, state: Dispute, raised = false): Promise<void> {
  const facts = disputeReportFacts(state)
  await tx.query(
    `insert into dispute_report_facts (dispute_id, child_id, raised_on, policy_id, policy_version, reviewer_id, category_key,
       status, phase, resolved_on, finalised_on, overall_due_on, reached_stage_key, resolved_stage_key, cafcass, reviewer_role,
       stage_count, repeat_for_child, repeat_for_team)
     select d.id, d.child_id, d.raised_on, d.policy_id, d.policy_version, d.reviewer_id, d.category_key,
       d.status, d.phase, d.resolved_on, d.finalised_on, d.overall_due_on, $2, $3, $4, $5, $6,
       -- Only when raised: a case, not an and, so the searches are not run on every later save.
       case when $7::boolean then ${REPEAT_FOR_CHILD} else false end,
       case when $7::boolean then ${REPEAT_FOR_TEAM} else false end
     from disputes d join children c on c.id = d.child_id where d.id = $1
     on conflict (dispute_id) do update set status = excluded.status, phase = excluded.phase,
       resolved_on = excluded.resolved_on, finalised_on = excluded.finalised_on, overall_due_on = excluded.overall_due_on,
       reached_stage_key = excluded.reached_stage_key, resolved_stage_key = excluded.resolved_stage_key,
       cafcass = excluded.cafcass, reviewer_role = excluded.reviewer_role, stage_count = excluded.stage_count`,
    [id, facts.reachedStageKey, facts.resolvedStageKey, facts.cafcass, facts.reviewerRole, facts.stageCount, raised],
  )
  await tx.query('delete from dispute_report_stages where dispute_id = $1', [id])
  if (facts.stages.length === 0) return
  const stages = facts.stages.map(s => ({
    n: s.n,
    stage_key: s.stageKey,
    due_on: s.dueOn,
    responded_on: s.respondedOn,
  }))
  await tx.query(
    `insert into dispute_report_stages (dispute_id, n, stage_key, due_on, responded_on)
     select $1, s.n, s.stage_key, s.due_on, s.responded_on
     from jsonb_to_recordset($2::jsonb) as s(n integer, stage_key text, due_on date, responded_on date)`,
    [id, JSON.stringify(stages)],
  )
}

/**
 * Holds the children's rows until the transaction ends, so that two submissions of one raise form (a
 * double click, two tabs) are taken one after the other, the second seeing what the first wrote.
 */
export async function lockChildren(tx: Queryable, childIds: readonly number[]): Promise<void> {
  await tx.query('select id from children where id = any($1::int[]) order by id for update', [childIds])
}

/**
 * The records of a raise already made: the same reviewer, policy and words of concern, for exactly these
 * children, not yet finalised. A form sent again (the back button, a double click) finds them.
 */
export async function sameRaiseStillOpen(
  tx: Queryable,
  r: { childIds: readonly number[]; reviewerId: number; policyId: string; concern: string },
): Promise<number[] | undefined> {
  const { rows } = await tx.query<{ ids: number[]; child_ids: number[] }>(
    `select array_agg(s.id order by s.id) as ids, array_agg(s.child_id order by s.child_id) as child_ids
       from disputes d join disputes s on s.dispute_set_id = d.dispute_set_id
      where d.child_id = $1 and d.reviewer_id = $2 and d.policy_id = $3 and d.concern = $4 and d.status <> 'finalised'
      group by d.dispute_set_id
      order by d.dispute_set_id desc`,
    [r.childIds[0], r.reviewerId, r.policyId, r.concern],
  )
  const wanted = [...r.childIds].sort((a, b) => a - b).join()
  return rows.find(row => row.child_ids.join() === wanted)?.ids
}

/** Whether this person has already logged these very words about this meeting or call at this stage of the record. */
export async function sameDiscussionLogged(
  tx: Queryable,
  disputeId: number,
  d: { stageKey: string | null; channel: string; heldOn: string; participants: string; summary: string },
  by: number,
): Promise<boolean> {
  const { rows } = await tx.query(
    `select 1 from dispute_discussions
      where dispute_id = $1 and stage_key is not distinct from $2 and held_on = $3 and channel = $4
        and participants = $5 and summary = $6 and recorded_by = $7`,
    [disputeId, d.stageKey, d.heldOn, d.channel, d.participants, d.summary, by],
  )
  return rows.length > 0
}

/** Holds a record's row until the transaction ends, as `lockChildren` does for a raise. */
export async function lockDispute(tx: Queryable, id: number): Promise<void> {
  await tx.query('select id from disputes where id = $1 for update', [id])
}

export async function newDisputeSet(tx: Queryable, at: Date): Promise<number> {
  return (await tx.query<{ id: number }>('insert into dispute_sets (created_at) values ($1) returning id', [at]))
    .rows[0]!.id
}

export async function insertDispute(
  tx: Queryable,
  input: { childId: number; disputeSetId: number; details: DisputeDetails; state: Dispute },
  at: Date,
): Promise<{ id: number; reference: string }> {
  const d = input.details
  const row = (
    await tx.query<{ id: number }>(
      `insert into disputes (child_id, dispute_set_id, policy_id, policy_version, reviewer_id, category_key, concern, impact,
         wishes_and_feelings, recommended_resolution, resolution_timescale, raised_on,
         status, phase, current_stage_key, responsible_person_id, response_due_on, overall_due_on, resolved_on, finalised_on, state,
         created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
         $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)
       returning id`,
      [
        input.childId,
        input.disputeSetId,
        input.state.policyId,
        input.state.policyVersion,
        input.state.ownerId,
        d.categoryKey,
        d.concern,
        d.impact,
        d.wishesAndFeelings,
        d.recommendedResolution,
        d.resolutionTimescale,
        input.state.raisedOn,
        ...stateColumns(input.state),
        at,
      ],
    )
  ).rows[0]!
  await saveReportFacts(tx, row.id, input.state, true)
  return { id: row.id, reference: disputeReference(row.id) }
}

/** Saves a new state if nobody else has saved since `version` was read; false when someone has. */
export async function saveDisputeState(
  tx: Queryable,
  id: number,
  version: number,
  state: Dispute,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update disputes set status = $3, phase = $4, current_stage_key = $5, responsible_person_id = $6, response_due_on = $7,
       overall_due_on = $8, resolved_on = $9, finalised_on = $10, state = $11, updated_at = $12, version = version + 1
     where id = $1 and version = $2`,
    [id, version, ...stateColumns(state), at],
  )
  if (result.rowCount !== 1) return false
  await saveReportFacts(tx, id, state)
  return true
}

export async function findDispute(db: Queryable, id: number): Promise<DisputeRecord | undefined> {
  const row = (await db.query<DisputeRow>(`${selectDisputes} where d.id = $1`, [id])).rows[0]
  return row && toRecord(row)
}

/** A dispute only when the viewer may see its child: the same access rule as the child's page. */
export async function findVisibleDispute(
  db: Queryable,
  scope: ChildScope,
  id: number,
): Promise<DisputeRecord | undefined> {
  const params: unknown[] = [id]
  const row = (
    await db.query<DisputeRow>(
      `${selectDisputes} join children c on c.id = d.child_id where d.id = $1 and ${visibleChildCondition(scope, params)}`,
      params,
    )
  ).rows[0]
  return row && toRecord(row)
}

export async function disputesForChild(db: Queryable, childId: number): Promise<DisputeRecord[]> {
  return (
    await db.query<DisputeRow>(`${selectDisputes} where d.child_id = $1 order by d.raised_on desc, d.id desc`, [
      childId,
    ])
  ).rows.map(toRecord)
}

/** The other records raised in the same step (siblings), with whether the viewer may see each. */
export async function disputesInSet(
  db: Queryable,
  scope: ChildScope,
  setId: number,
): Promise<{ id: number; reference: string; childId: number; childName: string; visible: boolean }[]> {
  const params: unknown[] = [setId]
  const visible = visibleChildCondition(scope, params)
  const rows = await db.query<{ id: number; child_id: number; child_name: string; visible: boolean }>(
    `select d.id, d.child_id, c.given_name || ' ' || c.family_name as child_name, ${visible} as visible
     from disputes d join children c on c.id = d.child_id where d.dispute_set_id = $1 order by d.id`,
    params,
  )
  return rows.rows.map(r => ({ ...linkedRecord(r), visible: r.visible }))
}

/** A record of a set, as the lists of linked records show it. */
const linkedRecord = (r: { id: number; child_id: number; child_name: string }) => ({
  id: r.id,
  reference: disputeReference(r.id),
  childId: r.child_id,
  childName: r.child_name,
})

/**
 * The other records of a set (siblings raised together) that the viewer may see and that wait, by the
 * viewer's inbox, for their pre-approval to reach the same stage as this one.
 */
export async function linkedAwaitingPreApprovalBy(
  db: Queryable,
  scope: ChildScope,
  personId: number,
  record: { id: number; setId: number; pendingStageKey: string },
  /** Whose part it is: the pre-approver's to answer, or the reviewer's (who asked) to withdraw. */
  as: 'pre_approver' | 'owner' = 'pre_approver',
): Promise<{ id: number; reference: string; childId: number; childName: string }[]> {
  const params: unknown[] = [record.setId, record.id, personId, record.pendingStageKey]
  const visible = visibleChildCondition(scope, params)
  const theirs =
    as === 'owner'
      ? 'd.reviewer_id = $3'
      : `exists (select 1 from work_items w where w.dispute_id = d.id and w.person_id = $3
         and w.kind = 'pre_approve' and w.done_at is null)`
  const rows = await db.query<{ id: number; child_id: number; child_name: string }>(
    `select d.id, d.child_id, c.given_name || ' ' || c.family_name as child_name
     from disputes d join children c on c.id = d.child_id
     where d.dispute_set_id = $1 and d.id <> $2 and d.status = 'open' and d.phase = 'awaiting_pre_approval'
       and d.state #>> '{pending,stageKey}' = $4 and ${visible} and ${theirs}
     order by d.id`,
    params,
  )
  return rows.rows.map(linkedRecord)
}

/** `decidedNotResolved()` (domain/dispute/dispute.ts) in SQL, for lists that filter and tag in the database. */
export const decidedNotResolvedSql = `coalesce((d.state #>> '{stages,-1,decision,resolved}') = 'false'
  and jsonb_typeof(d.state #> '{stages,-1,extension}') is distinct from 'object', false)`

/** Referred to CAFCASS: the state's `cafcass` is null until the referral. */
export const referredToCafcassSql = `coalesce(jsonb_typeof(d.state -> 'cafcass') = 'object', false)`

/**
 * Everyone responsible at the current stage, in the policy's order (Care First's Stage 1 asks the
 * social worker and the team manager): the column `responsible_person_id` holds only the first. While an
 * escalation waits for pre-approval, those who may give it: the next step is theirs, not the stage's.
 */
export const responsibleNamesSql = `case when d.phase = 'awaiting_pre_approval'
  then array(select p.given_name || ' ' || p.family_name from work_items w join people p on p.id = w.person_id
    where w.dispute_id = d.id and w.kind = 'pre_approve' and w.done_at is null order by p.family_name, p.given_name)
  else array(select p.given_name || ' ' || p.family_name
  from jsonb_array_elements_text(d.state #> '{stages,-1,responsiblePersonIds}') with ordinality as r(id, n)
  join people p on p.id = r.id::int order by r.n) end`

/** Names joined for a list's cell ("A and B"), or null when nobody is responsible. */
export const responsibleNameOf = (names: readonly string[]) => (names.length === 0 ? null : andList(names))

export interface DisputeListRow {
  id: number
  reference: string
  childId: number
  childName: string
  caseId: string
  policyId: string
  categoryKey: string
  status: string
  phase: string
  /** Decided not resolved at the current stage, awaiting the reviewer's next step. */
  decidedNotResolved: boolean
  /** Referred to CAFCASS (the referral stays on the record). */
  referredToCafcass: boolean
  currentStageKey: string | null
  responsibleName: string | null
  responseDueOn: string | null
  overallDueOn: string | null
  raisedOn: string
  reviewerName: string
}

export interface DisputeQuery {
  status?: 'open' | 'resolved' | 'finalised'
  reviewerId?: number
  limit: number
  offset: number
}

/** Disputes whose child the viewer may see, newest first, paged in the database. */
export async function listVisibleDisputes(
  db: Queryable,
  scope: ChildScope,
  q: DisputeQuery,
): Promise<{ rows: DisputeListRow[]; total: number }> {
  const params: unknown[] = []
  const where = [visibleChildCondition(scope, params)]
  if (q.status) {
    params.push(q.status)
    where.push(`d.status = $${params.length}`)
  }
  if (q.reviewerId !== undefined) {
    params.push(q.reviewerId)
    where.push(`d.reviewer_id = $${params.length}`)
  }
  const clause = `where ${where.join(' and ')}`
  const from = 'from disputes d join children c on c.id = d.child_id'
  const total = (await db.query<{ n: number }>(`select count(*) as n ${from} ${clause}`, params)).rows[0]!.n
  const rows = await db.query<{
    id: number
    child_id: number
    child_name: string
    case_id: string
    policy_id: string
    category_key: string
    status: string
    phase: string
    not_resolved: boolean
    cafcass: boolean
    current_stage_key: string | null
    responsible_names: string[]
    response_due_on: string | null
    overall_due_on: string | null
    raised_on: string
    reviewer_name: string
  }>(
    `select d.id, d.child_id, c.given_name || ' ' || c.family_name as child_name, c.case_id, d.policy_id, d.category_key,
       d.status, d.phase, ${decidedNotResolvedSql} as not_resolved, ${referredToCafcassSql} as cafcass, d.current_stage_key, ${responsibleNamesSql} as responsible_names, d.response_due_on,
       d.overall_due_on, d.raised_on, rv.given_name || ' ' || rv.family_name as reviewer_name
     ${from} join people rv on rv.id = d.reviewer_id
     ${clause} order by d.raised_on desc, d.id desc limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, q.limit, q.offset],
  )
  return {
    total,
    rows: rows.rows.map(r => ({
      id: r.id,
      reference: disputeReference(r.id),
      childId: r.child_id,
      childName: r.child_name,
      caseId: r.case_id,
      policyId: r.policy_id,
      categoryKey: r.category_key,
      status: r.status,
      phase: r.phase,
      decidedNotResolved: r.not_resolved,
      referredToCafcass: r.cafcass,
      currentStageKey: r.current_stage_key,
      responsibleName: responsibleNameOf(r.responsible_names),
      responseDueOn: r.response_due_on,
      overallDueOn: r.overall_due_on,
      raisedOn: r.raised_on,
      reviewerName: r.reviewer_name,
    })),
  }
}

export interface Discussion {
  id: number
  stageKey: string | null
  channel: string
  heldOn: string
  participants: string
  summary: string
  meeting: Record<string, string> | null
  recordedBy: number
  recordedByName: string
  recordedAt: Date
}

export async function insertDiscussion(
  tx: Queryable,
  disputeId: number,
  d: {
    stageKey: string | null
    channel: string
    heldOn: string
    participants: string
    summary: string
    meeting: Record<string, string> | null
  },
  by: number,
  at: Date,
): Promise<number> {
  return (
    await tx.query<{ id: number }>(
      `insert into dispute_discussions (dispute_id, stage_key, channel, held_on, participants, summary, meeting, recorded_by, recorded_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        disputeId,
        d.stageKey,
        d.channel,
        d.heldOn,
        d.participants,
        d.summary,
        d.meeting === null ? null : JSON.stringify(d.meeting),
        by,
        at,
      ],
    )
  ).rows[0]!.id
}

export async function discussionsFor(db: Queryable, disputeId: number): Promise<Discussion[]> {
  const rows = await db.query<{
    id: number
    stage_key: string | null
    channel: string
    held_on: string
    participants: string
    summary: string
    meeting: Record<string, string> | null
    recorded_by: number
    recorded_by_name: string
    recorded_at: Date
  }>(
    `select x.id, x.stage_key, x.channel, x.held_on, x.participants, x.summary, x.meeting, x.recorded_by,
       p.given_name || ' ' || p.family_name as recorded_by_name, x.recorded_at
     from dispute_discussions x join people p on p.id = x.recorded_by where x.dispute_id = $1 order by x.held_on, x.id`,
    [disputeId],
  )
  return rows.rows.map(r => ({
    id: r.id,
    stageKey: r.stage_key,
    channel: r.channel,
    heldOn: r.held_on,
    participants: r.participants,
    summary: r.summary,
    meeting: r.meeting,
    recordedBy: r.recorded_by,
    recordedByName: r.recorded_by_name,
    recordedAt: r.recorded_at,
  }))
}

export async function calendarAdjustments(
  db: Queryable,
): Promise<{ day: string; kind: 'closed' | 'open'; note: string }[]> {
  return (
    await db.query<{ day: string; kind: 'closed' | 'open'; note: string }>(
      'select day, kind, note from calendar_adjustments order by day',
    )
  ).rows
}

export async function setCalendarAdjustment(
  tx: Queryable,
  day: string,
  kind: 'closed' | 'open',
  note: string,
  by: number,
  at: Date,
): Promise<void> {
  await tx.query(
    `insert into calendar_adjustments (day, kind, note, created_by, created_at) values ($1, $2, $3, $4, $5)
     on conflict (day) do update set kind = excluded.kind, note = excluded.note, created_by = excluded.created_by, created_at = excluded.created_at`,
    [day, kind, note, by, at],
  )
}

export async function removeCalendarAdjustment(tx: Queryable, day: string): Promise<boolean> {
  return (await tx.query('delete from calendar_adjustments where day = $1', [day])).rowCount === 1
}
