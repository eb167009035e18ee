import type { ChildScope } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'
import { startsWithPattern } from '../likePattern.js'

export interface Child {
  id: number
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  teamId: number
  teamName: string
  socialWorkerId: number | null
  socialWorkerName: string | null
  iroId: number | null
  iroName: string | null
  cpChairId: number | null
  cpChairName: string | null
  cpPlanStart: string | null
  lookedAfterStart: string | null
  siblingGroupId: number | null
  /** When the case closed in the case-management system (set by an import); null while open. */
  closedOn?: string | null
  version: number
}

interface ChildRow {
  id: number
  case_id: string
  given_name: string
  family_name: string
  date_of_birth: string
  team_id: number
  team_name: string
  social_worker_id: number | null
  social_worker_name: string | null
  iro_id: number | null
  iro_name: string | null
  cp_chair_id: number | null
  cp_chair_name: string | null
  cp_plan_start: string | null
  looked_after_start: string | null
  sibling_group_id: number | null
  closed_on: string | null
  version: number
}

const toChild = (r: ChildRow): Child => ({
  id: r.id,
  caseId: r.case_id,
  givenName: r.given_name,
  familyName: r.family_name,
  dateOfBirth: r.date_of_birth,
  teamId: r.team_id,
  teamName: r.team_name,
  socialWorkerId: r.social_worker_id,
  socialWorkerName: r.social_worker_name,
  iroId: r.iro_id,
  iroName: r.iro_name,
  cpChairId: r.cp_chair_id,
  cpChairName: r.cp_chair_name,
  cpPlanStart: r.cp_plan_start,
  lookedAfterStart: r.looked_after_start,
  siblingGroupId: r.sibling_group_id,
  closedOn: r.closed_on,
  version: r.version,
})

const fullName = (alias: string) => `${alias}.given_name || ' ' || ${alias}.family_name`

const selectChildren = `select c.id, c.case_id, c.given_name, c.family_name, c.date_of_birth, c.team_id, t.name as team_name,
  c.social_worker_id, ${fullName('sw')} as social_worker_name, c.iro_id, ${fullName('iro')} as iro_name,
  c.cp_chair_id, ${fullName('cpc')} as cp_chair_name, c.cp_plan_start, c.looked_after_start, c.sibling_group_id, c.closed_on, c.version
  from children c
  join org_units t on t.id = c.team_id
  left join people sw on sw.id = c.social_worker_id
  left join people iro on iro.id = c.iro_id
  left join people cpc on cpc.id = c.cp_chair_id`

/**
 * The one place that decides, in SQL, which children a viewer may see. Every list, search and
 * single-child read goes through it, so nothing leaks past it. `params` is appended to.
 */
export function visibleChildCondition(scope: ChildScope, params: unknown[]): string {
  if (scope.kind === 'all') return 'true'
  params.push(scope.personId)
  const me = `$${params.length}`
  params.push(scope.branchUnitIds)
  const branch = `$${params.length}::int[]`
  // The manager's branch (every unit in it, worked out with who they are) before the reviewer's records
  // (a lookup for each child): PostgreSQL tests an "or" in the order written, and stops at the first that holds.
  return `(c.social_worker_id = ${me} or c.iro_id = ${me} or c.cp_chair_id = ${me}
    or c.team_id = any(${branch})
    or exists (select 1 from disputes d where d.child_id = c.id and d.reviewer_id = ${me}))`
}

export interface ChildQuery {
  search?: string
  teamId?: number
  limit: number
  offset: number
}

function searchCondition(search: string, params: unknown[]): string {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length >= 2) {
    params.push(startsWithPattern(words[0]!), startsWithPattern(words.slice(1).join(' ')))
    return `(lower(c.given_name) like $${params.length - 1} and lower(c.family_name) like $${params.length})`
  }
  params.push(startsWithPattern(words[0] ?? ''))
  const p = `$${params.length}`
  return `(lower(c.case_id) like ${p} or lower(c.family_name) like ${p} or lower(c.given_name) like ${p})`
}

export async function listVisibleChildren(
  db: Queryable,
  scope: ChildScope,
  q: ChildQuery,
): Promise<{ children: Child[]; total: number }> {
  const params: unknown[] = []
  const where = [visibleChildCondition(scope, params)]
  if (q.search?.trim()) where.push(searchCondition(q.search, params))
  if (q.teamId !== undefined) {
    params.push(q.teamId)
    where.push(`c.team_id = $${params.length}`)
  }
  const clause = `where ${where.join(' and ')}`
  const total = (await db.query<{ n: number }>(`select count(*) as n from children c ${clause}`, params)).rows[0]!.n
  const rows = await db.query<ChildRow>(
    `${selectChildren} ${clause} order by c.family_name, c.given_name, c.id limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, q.limit, q.offset],
  )
  return { children: rows.rows.map(toChild), total }
}

/** How many open disputes each of these children has (those with none are left out). */
export async function openDisputeCounts(db: Queryable, childIds: readonly number[]): Promise<Map<number, number>> {
  if (childIds.length === 0) return new Map()
  const rows = await db.query<{ child_id: number; n: number }>(
    `select child_id, count(*) as n from disputes where child_id = any($1::int[]) and status = 'open' group by child_id`,
    [childIds],
  )
  return new Map(rows.rows.map(r => [r.child_id, Number(r.n)]))
}

/** Undefined both when the child does not exist and when the viewer may not see them. */
export async function findVisibleChild(db: Queryable, scope: ChildScope, id: number): Promise<Child | undefined> {
  const params: unknown[] = [id]
  const row = (
    await db.query<ChildRow>(`${selectChildren} where c.id = $1 and ${visibleChildCondition(scope, params)}`, params)
  ).rows[0]
  return row && toChild(row)
}

export async function siblingsOf(
  db: Queryable,
  scope: ChildScope,
  child: Child,
): Promise<(Child & { visible: boolean })[]> {
  if (child.siblingGroupId === null) return []
  const params: unknown[] = [child.siblingGroupId, child.id]
  const visible = visibleChildCondition(scope, params)
  const rows = await db.query<ChildRow & { visible: boolean }>(
    `select s.*, ${visible} as visible from (${selectChildren}) s
     join children c on c.id = s.id
     where s.sibling_group_id = $1 and s.id <> $2 order by s.date_of_birth`,
    params,
  )
  return rows.rows.map(r => ({ ...toChild(r), visible: r.visible }))
}

export async function findChildByCaseId(
  db: Queryable,
  caseId: string,
): Promise<{ id: number; siblingGroupId: number | null } | undefined> {
  const row = (
    await db.query<{ id: number; sibling_group_id: number | null }>(
      'select id, sibling_group_id from children where lower(case_id) = lower($1)',
      [caseId],
    )
  ).rows[0]
  return row && { id: row.id, siblingGroupId: row.sibling_group_id }
}

export interface ChildInput {
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  teamId: number
  socialWorkerId: number | null
  iroId: number | null
  cpChairId: number | null
  cpPlanStart: string | null
  lookedAfterStart: string | null
  siblingGroupId: number | null
}

const childColumns = [
  'case_id',
  'given_name',
  'family_name',
  'date_of_birth',
  'team_id',
  'social_worker_id',
  'iro_id',
  'cp_chair_id',
  'cp_plan_start',
  'looked_after_start',
  'sibling_group_id',
] as const

const childValues = (i: ChildInput) => [
  i.caseId,
  i.givenName,
  i.familyName,
  i.dateOfBirth,
  i.teamId,
  i.socialWorkerId,
  i.iroId,
  i.cpChairId,
  i.cpPlanStart,
  i.lookedAfterStart,
  i.siblingGroupId,
]

export async function insertChild(tx: Queryable, input: ChildInput, at: Date): Promise<number> {
  const placeholders = childColumns.map((_, i) => `$${i + 1}`).join(', ')
  const result = await tx.query<{ id: number }>(
    `insert into children (${childColumns.join(', ')}, created_at, updated_at) values (${placeholders}, $12, $12) returning id`,
    [...childValues(input), at],
  )
  return result.rows[0]!.id
}

export async function updateChild(
  tx: Queryable,
  id: number,
  version: number,
  input: ChildInput,
  at: Date,
): Promise<boolean> {
  const sets = childColumns.map((c, i) => `${c} = $${i + 3}`).join(', ')
  const result = await tx.query(
    `update children set ${sets}, updated_at = $14, version = version + 1 where id = $1 and version = $2`,
    [id, version, ...childValues(input), at],
  )
  return result.rowCount === 1
}

export async function findChildForUpdate(
  tx: Queryable,
  id: number,
): Promise<(ChildInput & { version: number }) | undefined> {
  const row = (await tx.query<ChildRow>(`${selectChildren} where c.id = $1`, [id])).rows[0]
  if (!row) return undefined
  const c = toChild(row)
  return { ...c, version: c.version }
}

export async function newSiblingGroup(tx: Queryable, at: Date): Promise<number> {
  return (await tx.query<{ id: number }>('insert into sibling_groups (created_at) values ($1) returning id', [at]))
    .rows[0]!.id
}
