import type { ChildScope } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'
import { decidedNotResolvedSql, disputeReference, responsibleNameOf, responsibleNamesSql } from './disputeRepository.js'
import { visibleChildCondition } from './childRepository.js'

/** The state of an outstanding record as the reviewer's manager sees it; one SQL expression so lists filter in the database. */
export const recordStates = [
  'response_overdue',
  'awaiting_response',
  'awaiting_decision',
  'not_resolved',
  'awaiting_pre_approval',
  'outside_system',
  'to_finalise',
] as const
export type RecordState = (typeof recordStates)[number]

/**
 * Each state as a condition on the record's own columns (for a record open or resolved, exactly one
 * holds). A filter by state uses its condition, which PostgreSQL can estimate and find by index; a filter
 * on the state expression it would guess at 0.5 % of the rows, and read every open record to test.
 */
const waitingForResponse = `d.status = 'open' and d.phase not in ('awaiting_pre_approval', 'outside_system', 'awaiting_decision')`
/** Records whose list row shows a due date: awaiting a response, or the outcome of a stage outside the system. */
const dueShown = `(${waitingForResponse} or (d.status = 'open' and d.phase = 'outside_system'))`
const stateWhere: Record<RecordState, (today: string) => string> = {
  to_finalise: () => `d.status = 'resolved'`,
  awaiting_pre_approval: () => `d.status = 'open' and d.phase = 'awaiting_pre_approval'`,
  outside_system: () => `d.status = 'open' and d.phase = 'outside_system'`,
  not_resolved: () => `d.status = 'open' and d.phase = 'awaiting_decision' and ${decidedNotResolvedSql}`,
  awaiting_decision: () => `d.status = 'open' and d.phase = 'awaiting_decision' and not ${decidedNotResolvedSql}`,
  response_overdue: today => `${waitingForResponse} and d.response_due_on < '${today}'::date`,
  awaiting_response: today =>
    `${waitingForResponse} and (d.response_due_on is null or d.response_due_on >= '${today}'::date)`,
}

/** The state each row shows, from the same conditions as the filters (a test checks they pick the same). */
const stateSql = (today: string) =>
  `case ${recordStates.map(state => `when ${stateWhere[state](today)} then '${state}'`).join(' ')} end`

export interface OutstandingRow {
  id: number
  reference: string
  childId: number
  caseId: string
  childName: string
  teamId: number
  teamName: string
  reviewerId: number
  reviewerName: string
  policyId: string
  stageKey: string | null
  state: RecordState
  responsibleName: string | null
  /** Only while the list shows one: a response awaited, or the outcome of a stage outside the system. */
  responseDueOn: string | null
  overallDueOn: string | null
  openActions: number
  overdueActions: number
}

export interface OutstandingQuery {
  /** Only records whose reviewer is one of these; undefined for everyone the scope allows. */
  reviewerIds?: number[]
  /** Only children of teams among these units (a head of service's area, every unit in it). */
  unitIds?: number[]
  reviewerId?: number
  stageKey?: string
  teamId?: number
  state?: RecordState
  today: string
  limit: number
  offset: number
}

/** Outstanding (open or resolved-but-not-finalised) records, paged and filtered in the database. */
export async function outstandingRecords(
  db: Queryable,
  scope: ChildScope,
  q: OutstandingQuery,
): Promise<{ rows: OutstandingRow[]; total: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(q.today)) throw new Error('today must be an ISO date')
  const params: unknown[] = []
  const where = [visibleChildCondition(scope, params), `d.status in ('open', 'resolved')`]
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(sql(`$${params.length}`))
  }
  if (q.reviewerIds) add(p => `d.reviewer_id = any(${p}::int[])`, q.reviewerIds)
  // A cheap test the planner puts before the visibility check, so children outside the area are
  // passed over without it (at 1M, 0.7 s to 0.1 s).
  if (q.unitIds) add(p => `c.team_id = any(${p}::int[])`, q.unitIds)
  if (q.reviewerId !== undefined) add(p => `d.reviewer_id = ${p}`, q.reviewerId)
  if (q.stageKey) add(p => `d.current_stage_key = ${p}`, q.stageKey)
  if (q.teamId !== undefined) add(p => `c.team_id = ${p}`, q.teamId)
  if (q.state) where.push(stateWhere[q.state](q.today))
  const from = `from disputes d join children c on c.id = d.child_id`
  const clause = `where ${where.join(' and ')}`
  const total = (await db.query<{ n: number }>(`select count(*) as n ${from} ${clause}`, params)).rows[0]!.n
  const rows = await db.query<{
    id: number
    child_id: number
    case_id: string
    child_name: string
    team_id: number
    team_name: string
    reviewer_id: number
    reviewer_name: string
    policy_id: string
    current_stage_key: string | null
    state: RecordState
    responsible_names: string[]
    response_due_on: string | null
    overall_due_on: string | null
    open_actions: number
    overdue_actions: number
  }>(
    `select d.id, d.child_id, c.case_id, c.given_name || ' ' || c.family_name as child_name, c.team_id, t.name as team_name,
       d.reviewer_id, rv.given_name || ' ' || rv.family_name as reviewer_name, d.policy_id, d.current_stage_key,
       ${stateSql(q.today)} as state, ${responsibleNamesSql} as responsible_names,
       case when ${dueShown} then d.response_due_on end as response_due_on, d.overall_due_on,
       (select count(*) from jsonb_array_elements(d.state->'actions') a where a->>'status' = 'open') as open_actions,
       (select count(*) from jsonb_array_elements(d.state->'actions') a where a->>'status' = 'open' and a->>'dueOn' < '${q.today}') as overdue_actions
     ${from} join org_units t on t.id = c.team_id join people rv on rv.id = d.reviewer_id
     ${clause}
     -- Past their due date first (a response, or the outcome of a stage outside the system), then those
     -- still due, by their due date (the dates the list shows), then the rest by their overall deadline.
     order by case when (${dueShown}) and d.response_due_on < '${q.today}'::date then 0 when ${dueShown} then 1 else 2 end,
       case when ${dueShown} then d.response_due_on end, d.overall_due_on nulls last, d.id
     limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, q.limit, q.offset],
  )
  return {
    total,
    rows: rows.rows.map(r => ({
      id: r.id,
      reference: disputeReference(r.id),
      childId: r.child_id,
      caseId: r.case_id,
      childName: r.child_name,
      teamId: r.team_id,
      teamName: r.team_name,
      reviewerId: r.reviewer_id,
      reviewerName: r.reviewer_name,
      policyId: r.policy_id,
      stageKey: r.current_stage_key,
      state: r.state,
      responsibleName: responsibleNameOf(r.responsible_names),
      responseDueOn: r.response_due_on,
      overallDueOn: r.overall_due_on,
      openActions: r.open_actions,
      overdueActions: r.overdue_actions,
    })),
  }
}

/** The reviewers a manager supervises: people in the reviewing units beneath the units they manage. */
export async function supervisedReviewers(db: Queryable, managerId: number): Promise<{ id: number; name: string }[]> {
  const rows = await db.query<{ id: number; name: string }>(
    `with recursive b(id) as (
       select id from org_units where manager_id = $1 and kind in ('reviewing_team', 'reviewing_service')
       union select u.id from org_units u join b on u.parent_id = b.id)
     select p.id, p.given_name || ' ' || p.family_name as name from people p
     where p.unit_id in (select id from b) and (p.roles && array['iro', 'cp_chair']::text[]) and p.id <> $1
     order by p.family_name, p.given_name`,
    [managerId],
  )
  return rows.rows
}
