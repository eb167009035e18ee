// The figures of the Reports area, counted by SQL over the records (ADR 0014). Each figure is a
// group-by over a "facts" relation built in a common table expression: one row per dispute, per
// stage a dispute entered, per good practice note, per progress check or per notice. The dispute
// relations read the narrow tables dispute_report_facts and dispute_report_stages, kept in step with
// each record's state by the transaction that saves it (ADR 0018), not the state JSON. The list
// behind a number is the same facts relation with the same two expressions as a `where`, joined to
// the children the viewer may see (ADR 0004). Working days are counted in SQL, per row, from the
// sorted non-working weekdays the caller passes (bank holidays and closures).
import type { ChildScope } from '../../domain/organisation.js'
import type { Database, Queryable } from '../database.js'
import { percentileOfCounts, totalOfCounts, type ValueCount } from '../../domain/statistics/percentiles.js'
import { visibleChildCondition } from './childRepository.js'

export const cohorts = ['cp', 'care'] as const
export type Cohort = (typeof cohorts)[number]

export interface ReportFilters {
  from: string
  to: string
  teamId?: number
  /** A service area (org unit of kind 'area'): the teams beneath it. */
  areaId?: number
  reviewerId?: number
  policyId?: string
  /** CP plan (CP chair) or in care (IRO). */
  cohort?: Cohort
}

/** What every query needs besides the filters: today, the calendar and how the policies name things. */
export interface ReportContext {
  today: string
  /** Non-working weekdays (never a Saturday or Sunday), sorted: bank holidays and closures, less reopened days. */
  closedDays: readonly string[]
  /** Every stage of every policy version: its level (0 informal, n the n-th formal stage). */
  stages: readonly { policy_id: string; policy_version: number; stage_key: string; level: number; outside: boolean }[]
  /** A social worker's own figures: only their allocated children. */
  ownSocialWorkerId?: number
}

export interface CountRow {
  r: string
  k: string
  n: number
}

/** Conditions on a child row `c` (team, area, own children) shared by every figure. */
function childConditions(f: ReportFilters, ctx: ReportContext, params: unknown[]): string[] {
  const where: string[] = []
  if (f.teamId !== undefined) {
    params.push(f.teamId)
    where.push(`c.team_id = $${params.length}`)
  }
  if (f.areaId !== undefined) {
    params.push(f.areaId)
    where.push(`c.team_id in (
      with recursive branch(id) as (
        select id from org_units where id = $${params.length}
        union select u.id from org_units u join branch b on u.parent_id = b.id
      ) select id from branch)`)
  }
  if (ctx.ownSocialWorkerId !== undefined) {
    params.push(ctx.ownSocialWorkerId)
    where.push(`c.social_worker_id = $${params.length}`)
  }
  return where
}

/**
 * Sort memory for one report statement on PostgreSQL (ADR 0018). The report's percentiles sort
 * every record they count, and grouping may sort or hash them; with the default 4 MB a sort of
 * 100,000 records spills to disk and takes twice as long. The setting lasts for the statement's own
 * transaction only. PGlite (one connection, one user) runs the statement as it is.
 */
export const REPORT_WORK_MEM = '64MB'
export const REPORT_HASH_MEM_MULTIPLIER = 16

async function sortHeavyQuery<T>(
  db: Queryable,
  sql: string,
  params: unknown[],
  options: { hashGroups?: boolean } = {},
) {
  const database = db as Partial<Database>
  if (database.kind !== 'postgres' || database.transaction === undefined) return db.query<T>(sql, params)
  return database.transaction(async tx => {
    await tx.query(`set local work_mem = '${REPORT_WORK_MEM}'`)
    // The planner cannot tell how few groups the dispute figures make and would sort a million rows
    // for their grouping sets. Their groups are bounded by the dimensions (stage levels, categories,
    // teams, outcomes: hundreds), so a hash table stays small whatever the allowance; the larger
    // allowance only lets the planner choose to hash (ADR 0020). Only for those figures.
    if (options.hashGroups) await tx.query(`set local hash_mem_multiplier = ${REPORT_HASH_MEM_MULTIPLIER}`)
    // The join to the policies' stages (jsonb_to_recordset) leads the planner to expect a few dozen
    // rows where there are a million, and to sort them for a handful of groups: these statements
    // need no sort at all (ADR 0023).
    if (options.hashGroups) await tx.query('set local enable_sort = off')
    return tx.query<T>(sql, params)
  })
}

const param = (params: unknown[], value: unknown) => {
  params.push(value)
  return `$${params.length}`
}

/**
 * A day's ordinal among working days, as SQL: weekdays since Monday 1 January 1990 less the closed
 * weekdays (bank holidays, local closures) on or before it, found by binary search in the sorted
 * array the caller passes (`width_bucket`). So the working days in (a, b] are ord(b) - ord(a): the
 * rule of domain/calendar/workingDays.ts, computed per row with no join.
 */
export function ordinal(expr: string, closed: string): string {
  const n = `((${expr}) - date '1990-01-01')`
  return `(${n} / 7 * 5 + least(${n} % 7 + 1, 5) - width_bucket((${expr}), ${closed}::date[]))`
}

function stageMapCte(ctx: ReportContext, params: unknown[]): string {
  const map = param(params, JSON.stringify(ctx.stages))
  return `stage_map as (
    select * from jsonb_to_recordset(${map}::jsonb)
      as s(policy_id text, policy_version integer, stage_key text, level integer, outside boolean)
  )`
}

/** The filters on a dispute's facts `d` (dispute_report_facts) of a child `c`, raised in the period. */
function disputeConditions(f: ReportFilters, ctx: ReportContext, params: unknown[]) {
  const where = childConditions(f, ctx, params)
  const needsChild = where.length > 0
  const from = param(params, f.from)
  const to = param(params, f.to)
  where.push(`d.raised_on between ${from}::date and ${to}::date`)
  if (f.reviewerId !== undefined) where.push(`d.reviewer_id = ${param(params, f.reviewerId)}`)
  if (f.policyId !== undefined) where.push(`d.policy_id = ${param(params, f.policyId)}`)
  if (f.cohort !== undefined) where.push(`d.reviewer_role = ${param(params, f.cohort === 'cp' ? 'cp_chair' : 'iro')}`)
  return { where, from, needsChild }
}

/**
 * One row per dispute raised in the range (after the filters): the dimensions every dispute figure
 * groups by. Whether each repeats an earlier concern was kept when it was raised (ADR 0022).
 */
function disputeFactsCtes(f: ReportFilters, ctx: ReportContext, params: unknown[]): string {
  const { where } = disputeConditions(f, ctx, params)
  const today = param(params, ctx.today)
  return `${stageMapCte(ctx, params)},
  df as (
    select d.dispute_id as id, d.child_id, c.team_id, d.category_key, d.raised_on, d.resolved_on, d.finalised_on,
      d.overall_due_on, d.policy_id, d.policy_version,
      coalesce(reached.level, -1) as stage_level,
      case when d.cafcass then 'cafcass'
        when d.resolved_on is not null then 'resolved'
        when d.status = 'open' then 'open'
        else 'closed' end as outcome_group,
      case when d.cafcass then 'cafcass'
        when d.resolved_on is not null then 'resolved:' || coalesce(resolved_at.level, -1)
        when d.status = 'open' then 'open'
        else 'closed' end as outcome_key,
      case when d.overall_due_on is null then 'no_formal'
        when coalesce(d.resolved_on, d.finalised_on) is not null then
          case when coalesce(d.resolved_on, d.finalised_on) <= d.overall_due_on then 'within' else 'outside' end
        when ${today}::date > d.overall_due_on then 'open_outside'
        else 'open_within' end as overall_key,
      case when d.repeat_for_child then 'yes' else 'no' end as repeat_child,
      case when d.repeat_for_team then 'yes' else 'no' end as repeat_team
    from dispute_report_facts d join children c on c.id = d.child_id
    left join stage_map reached on reached.policy_id = d.policy_id and reached.policy_version = d.policy_version
      and reached.stage_key = d.reached_stage_key
    left join stage_map resolved_at on resolved_at.policy_id = d.policy_id and resolved_at.policy_version = d.policy_version
      and resolved_at.stage_key = d.resolved_stage_key
    where ${where.join(' and ')}
  )`
}

/**
 * Every stage that a dispute raised in the period entered with a deadline inside Concord, from the
 * stage rows kept beside each record (dispute_report_stages).
 */
function stageFactsCtes(f: ReportFilters, ctx: ReportContext, params: unknown[]): string {
  const { where, needsChild } = disputeConditions(f, ctx, params)
  const today = param(params, ctx.today)
  const closed = param(params, ctx.closedDays)
  return `${stageMapCte(ctx, params)},
  stage_entries as (
    select d.dispute_id as id, d.child_id, d.status, d.phase, d.policy_id, d.policy_version, e.n,
      d.stage_count, e.stage_key, e.due_on, e.responded_on
    from dispute_report_facts d ${needsChild ? 'join children c on c.id = d.child_id' : ''}
    join dispute_report_stages e on e.dispute_id = d.dispute_id
    where ${where.join(' and ')}
    offset 0 -- a fence: the stages are found first, then matched to the policies' stages by a hash join
  ),
  stage_rows as (
    select x.*, sm.level from stage_entries x
    join stage_map sm on sm.policy_id = x.policy_id and sm.policy_version = x.policy_version
      and sm.stage_key = x.stage_key and not sm.outside
  ),
  sf as (
    select s.id, s.child_id, s.level,
      case when s.responded_on is not null then
          case when s.responded_on <= s.due_on then 'on_time' else 'late' end
        when s.n = s.stage_count and s.status = 'open' and s.phase = 'awaiting_response' then
          case when ${today}::date > s.due_on then 'overdue' else 'not_due' end
        else 'no_response' end as timeliness,
      case when s.responded_on > s.due_on
        then greatest(0, ${ordinal('s.responded_on', closed)} - ${ordinal('s.due_on', closed)}) end as days_late
    from stage_rows s
  )`
}

const disputeDimensions = {
  stage: 'stage_level::text',
  category: 'category_key',
  team: 'team_id::text',
  outcome: 'outcome_key',
  outcomeGroup: 'outcome_group',
  overall: 'overall_key',
  repeatChild: 'repeat_child',
  repeatTeam: 'repeat_team',
  all: `'all'`,
} as const
export type DisputeDimension = keyof typeof disputeDimensions

/** Counts of disputes raised in the range, for each pair of dimensions asked for, in one scan. */
export async function disputeCounts(
  db: Queryable,
  f: ReportFilters,
  ctx: ReportContext,
  pairs: readonly (readonly [DisputeDimension, DisputeDimension])[],
): Promise<Map<string, CountRow[]>> {
  const params: unknown[] = []
  const ctes = disputeFactsCtes(f, ctx, params)
  const sets = groupingSetsFor(pairs)
  // One pass over the period's disputes counts every set at once (grouping sets, one hash table per
  // set): the dimensions used become columns d0, d1 ... and `grouping()` tells which set a row is of.
  const dims = [...new Set(sets.flat())]
  const column = (dim: DisputeDimension) => `d${dims.indexOf(dim)}`
  const maskOf = (set: readonly DisputeDimension[]) =>
    dims.reduce((mask, dim, i) => (set.includes(dim) ? mask : mask | (1 << (dims.length - 1 - i))), 0)
  const rows = await sortHeavyQuery<Record<string, string | null> & { g: number; n: number }>(
    db,
    `with ${ctes}
     select grouping(${dims.map(column).join(', ')}) as g, ${dims.map(column).join(', ')}, count(*) as n
     from (select ${dims.map(dim => `${disputeDimensions[dim]} as ${column(dim)}`).join(', ')} from df) x
     group by grouping sets (${sets.map(set => `(${set.map(column).join(', ')})`).join(', ')})`,
    params,
    { hashGroups: true },
  )
  const result = new Map<string, CountRow[]>()
  for (const pair of pairs) {
    // The narrowest set with the pair's dimensions; its counts added up over the dimensions it has besides.
    const set = sets
      .filter(s => realDimensions(pair).every(dim => s.includes(dim)))
      .sort((a, b) => a.length - b.length)[0]!
    const mask = maskOf(set)
    const [r, k] = pair
    const counts = new Map<string, CountRow>()
    for (const row of rows.rows.filter(row => Number(row.g) === mask)) {
      const rv = r === 'all' ? 'all' : row[column(r)]!
      const kv = k === 'all' ? 'all' : row[column(k)]!
      const key = JSON.stringify([rv, kv])
      const count = counts.get(key) ?? { r: rv, k: kv, n: 0 }
      counts.set(key, count)
      count.n += Number(row.n)
    }
    result.set(`${r}/${k}`, [...counts.values()])
  }
  return result
}

const realDimensions = (pair: readonly DisputeDimension[]) => [...new Set(pair.filter(dim => dim !== 'all'))]

/**
 * As few grouping sets as answer every pair, since each row goes into one hash table per set: the
 * pairs with the same first dimension share a set of all their dimensions, `all` is no dimension
 * (its counts are sums), and a single dimension is read from any set that has it. The sets stay
 * small: a few categories or teams times a few outcomes.
 */
export function groupingSetsFor(
  pairs: readonly (readonly [DisputeDimension, DisputeDimension])[],
): DisputeDimension[][] {
  const sets: DisputeDimension[][] = []
  for (const [first, second] of pairs.map(realDimensions).filter(dims => dims.length === 2)) {
    let set = sets.find(s => s[0] === first)
    if (!set) sets.push((set = [first!]))
    if (!set.includes(second!)) set.push(second!)
  }
  for (const [only] of pairs.map(realDimensions).filter(dims => dims.length === 1))
    if (!sets.some(s => s.includes(only!))) sets.push([only!])
  // Only the total was asked for: count by the constant 'all'.
  return sets.length > 0 ? sets : [['all']]
}

export interface StageTimelinessRow {
  level: number
  timeliness: string
  n: number
  days_late_total: number | null
  days_late_median: number | null
}

/** Each stage's responses: on time, late (and how many working days), overdue, not yet due, none. */
export async function stageTimeliness(
  db: Queryable,
  f: ReportFilters,
  ctx: ReportContext,
): Promise<StageTimelinessRow[]> {
  const params: unknown[] = []
  const ctes = stageFactsCtes(f, ctx, params)
  const rows = await countsByDays<{ level: number; timeliness: string }>(
    db,
    `with ${ctes} select level, timeliness, days_late as days, count(*) as n from sf group by level, timeliness, days_late`,
    params,
    row => `${row.level}/${row.timeliness}`,
  )
  return rows.map(({ first, n, days }) => ({
    level: first.level,
    timeliness: first.timeliness,
    n,
    days_late_total: days.length > 0 ? totalOfCounts(days).sum : null,
    days_late_median: percentileOfCounts(days, 0.5),
  }))
}

/**
 * Runs a statement that counts records by some keys and a whole number of working days (`days`,
 * null when it does not apply) and gathers its rows by `keyOf`: each group's count, and how many
 * there are of each number of days, from which the median and the 90th percentile are worked out
 * exactly (src/domain/statistics/percentiles.ts). PostgreSQL hashes the few hundred groups in one
 * pass, where percentile_cont would sort every record.
 */
async function countsByDays<K extends object>(
  db: Queryable,
  sql: string,
  params: unknown[],
  keyOf: (row: K) => string,
): Promise<{ first: K; n: number; days: ValueCount[] }[]> {
  const rows = (await sortHeavyQuery<K & { days: number | null; n: number }>(db, sql, params, { hashGroups: true }))
    .rows
  const groups = new Map<string, { first: K; n: number; days: ValueCount[] }>()
  for (const row of rows) {
    const key = keyOf(row)
    const group = groups.get(key) ?? { first: row, n: 0, days: [] }
    groups.set(key, group)
    group.n += Number(row.n)
    if (row.days !== null) group.days.push({ value: Number(row.days), n: Number(row.n) })
  }
  return [...groups.values()]
}

export interface ResolutionRow {
  r: string
  n: number
  median: number | null
  p90: number | null
}

/** Working days from raising to resolution, for resolved disputes: informal, formal and all. */
export async function resolutionTimes(db: Queryable, f: ReportFilters, ctx: ReportContext) {
  const params: unknown[] = []
  const closed = param(params, ctx.closedDays)
  const { where, needsChild } = disputeConditions(f, ctx, params)
  // Only the resolved disputes (a referral to CAFCASS is not a resolution, as in outcome_group) and
  // only the stage each was resolved at: no other dimension, so no child unless a filter needs one.
  const rt = `${stageMapCte(ctx, params)},
  rt as (
    select resolved_at.level is not distinct from 0 as informal,
      ${ordinal('d.resolved_on', closed)} - ${ordinal('d.raised_on', closed)} as days
    from dispute_report_facts d ${needsChild ? 'join children c on c.id = d.child_id' : ''}
    left join stage_map resolved_at on resolved_at.policy_id = d.policy_id
      and resolved_at.policy_version = d.policy_version and resolved_at.stage_key = d.resolved_stage_key
    where ${where.join(' and ')} and d.resolved_on is not null and not d.cafcass
  )`
  const groups = await countsByDays<{ informal: boolean }>(
    db,
    `with ${rt} select informal, days, count(*) as n from rt group by informal, days`,
    params,
    row => String(row.informal),
  )
  const resolution = (r: string, days: ValueCount[]): ResolutionRow => ({
    r,
    n: totalOfCounts(days).n,
    median: percentileOfCounts(days, 0.5),
    p90: percentileOfCounts(days, 0.9),
  })
  const informal = groups.find(g => g.first.informal)?.days ?? []
  const formal = groups.find(g => !g.first.informal)?.days ?? []
  // As a group by would answer: a row for each kind of resolution there is, and always one for all.
  return [
    ...(informal.length > 0 ? [resolution('informal', informal)] : []),
    ...(formal.length > 0 ? [resolution('formal', formal)] : []),
    resolution('all', [...informal, ...formal]),
  ]
}

/** Good practice notes written in the range, by the child's team and the category. */
function noteFactsCte(f: ReportFilters, ctx: ReportContext, params: unknown[]): string {
  const where = childConditions(f, ctx, params)
  where.push(`n.kind = 'good_practice'`)
  // The day a note was written, in England (the period's days are London days).
  where.push(
    `(n.created_at at time zone 'Europe/London')::date between ${param(params, f.from)}::date and ${param(params, f.to)}::date`,
  )
  if (f.reviewerId !== undefined) where.push(`n.author_id = ${param(params, f.reviewerId)}`)
  if (f.cohort === 'cp') where.push('c.cp_plan_start is not null')
  if (f.cohort === 'care') where.push('c.looked_after_start is not null')
  return `nf as (
    select n.id, n.child_id, c.team_id, coalesce(n.category_key, 'none') as category_key
    from practice_notes n join children c on c.id = n.child_id
    where ${where.join(' and ')}
  )`
}

const noteDimensions = { category: 'category_key', team: 'team_id::text', all: `'all'` } as const
export type NoteDimension = keyof typeof noteDimensions

export async function noteCounts(
  db: Queryable,
  f: ReportFilters,
  ctx: ReportContext,
  r: NoteDimension,
): Promise<CountRow[]> {
  const params: unknown[] = []
  return (
    await db.query<CountRow>(
      `with ${noteFactsCte(f, ctx, params)}
       select ${noteDimensions[r]} as r, 'all' as k, count(*) as n from nf group by 1`,
      params,
    )
  ).rows
}

/** Progress checks held in the range. */
function checkFactsCte(f: ReportFilters, ctx: ReportContext, params: unknown[]): string {
  const where = childConditions(f, ctx, params)
  where.push(`pc.held_on between ${param(params, f.from)}::date and ${param(params, f.to)}::date`)
  if (f.reviewerId !== undefined) where.push(`pc.reviewer_id = ${param(params, f.reviewerId)}`)
  if (f.cohort !== undefined) where.push(`pc.reviewer_role = ${param(params, f.cohort === 'cp' ? 'cp_chair' : 'iro')}`)
  return `cf as (
    select pc.id, pc.child_id, pc.outcome, pc.reviewer_role
    from progress_checks pc join children c on c.id = pc.child_id
    where ${where.join(' and ')}
  )`
}

export async function checkOutcomeCounts(db: Queryable, f: ReportFilters, ctx: ReportContext): Promise<CountRow[]> {
  const params: unknown[] = []
  return (
    await db.query<CountRow>(
      `with ${checkFactsCte(f, ctx, params)} select outcome as r, reviewer_role as k, count(*) as n from cf group by 1, 2`,
      params,
    )
  ).rows
}

export interface CheckEpisodeRow {
  child_id: number
  role: 'iro' | 'cp_chair'
  start: string
  done: string[] | null
}

/**
 * One row per child episode (in care for the IRO, on a plan for the CP chair) that began before the
 * range ended, with the dates of its checks: the schedule (3 in the first year, 2 after) and the
 * matching of checks to it are the domain's (src/domain/quality/progressChecks.ts), applied to
 * these aggregated rows, so the report and the child's own page always agree.
 */
export async function checkEpisodes(
  db: Queryable,
  f: ReportFilters,
  ctx: ReportContext,
  childIds?: readonly number[],
): Promise<CheckEpisodeRow[]> {
  const params: unknown[] = []
  const where = childConditions(f, ctx, params)
  const to = param(params, f.to)
  if (childIds) where.push(`c.id = any(${param(params, childIds)}::int[])`)
  const part = (role: 'iro' | 'cp_chair', start: string, reviewer: string) => {
    const conditions = [...where, `c.${start} is not null`, `c.${start} <= ${to}::date`]
    if (f.reviewerId !== undefined) conditions.push(`c.${reviewer} = ${param(params, f.reviewerId)}`)
    return `select c.id as child_id, '${role}' as role, c.${start} as start,
        -- Dates as text: a date[] would come back as JavaScript Dates on PostgreSQL.
        array_agg(to_char(pc.held_on, 'YYYY-MM-DD') order by pc.held_on) filter (where pc.id is not null) as done
      from children c
      left join progress_checks pc on pc.child_id = c.id and pc.reviewer_role = '${role}' and pc.held_on >= c.${start}
      where ${conditions.join(' and ')}
      group by c.id, c.${start}`
  }
  const parts: string[] = []
  if (f.cohort !== 'cp') parts.push(part('iro', 'looked_after_start', 'iro_id'))
  if (f.cohort !== 'care') parts.push(part('cp_chair', 'cp_plan_start', 'cp_chair_id'))
  const rows = await db.query<CheckEpisodeRow>(parts.join(' union all '), params)
  return rows.rows
}

/** Significant-change notices sent in the range. */
function noticeFactsCte(f: ReportFilters, ctx: ReportContext, params: unknown[]): string {
  const where = childConditions(f, ctx, params)
  where.push(`cn.sent_on between ${param(params, f.from)}::date and ${param(params, f.to)}::date`)
  if (f.reviewerId !== undefined) where.push(`cn.reviewer_id = ${param(params, f.reviewerId)}`)
  if (f.cohort !== undefined) where.push(`cn.audience = ${param(params, f.cohort === 'cp' ? 'cp_chair' : 'iro')}`)
  return `xf as (
    select cn.id, cn.child_id, cn.audience || ':' || cn.kind as kind,
      case when cn.lateness_working_days > 0 then 'late' else 'on_time' end as timeliness, cn.lateness_working_days
    from change_notices cn join children c on c.id = cn.child_id
    where ${where.join(' and ')}
  )`
}

export interface NoticeRow {
  r: string
  k: string
  n: number
  median: number | null
}

export async function noticeCounts(db: Queryable, f: ReportFilters, ctx: ReportContext): Promise<NoticeRow[]> {
  const params: unknown[] = []
  const groups = await countsByDays<{ kind: string; timeliness: string }>(
    db,
    `with ${noticeFactsCte(f, ctx, params)}
     select kind, timeliness, lateness_working_days as days, count(*) as n from xf
     group by kind, timeliness, lateness_working_days`,
    params,
    row => `${row.kind}/${row.timeliness}`,
  )
  // Each kind and timeliness, each kind, each timeliness, and all: the grouping sets, added up here.
  const totals = new Map<string, NoticeRow & { days: ValueCount[] }>()
  for (const { first, n, days } of groups)
    for (const [r, k] of [
      [first.kind, first.timeliness],
      [first.kind, 'all'],
      ['all', first.timeliness],
      ['all', 'all'],
    ] as const) {
      const total = totals.get(`${r}/${k}`) ?? { r, k, n: 0, median: null, days: [] }
      totals.set(`${r}/${k}`, total)
      total.n += n
      total.days.push(...days)
    }
  if (totals.size === 0) totals.set('all/all', { r: 'all', k: 'all', n: 0, median: null, days: [] })
  return [...totals.values()].map(({ days, ...row }) => ({ ...row, median: percentileOfCounts(days, 0.5) }))
}

// ---------------------------------------------------------------------------------------------
// The records behind a number.

export type RecordKind = 'dispute' | 'note' | 'check' | 'notice' | 'child'

export interface ListedRecord {
  id: number
  child_id: number
  child_name: string
  case_id: string
  /** Dispute: category; note: category; check: outcome; notice: kind. */
  detail: string | null
  on: string
  status: string | null
}

export type RecordSelection =
  | { kind: 'dispute'; row: [DisputeDimension, string]; col: [DisputeDimension, string] }
  | { kind: 'stage'; level: number | null; timeliness: string | null }
  | { kind: 'note'; row: [NoteDimension, string] }
  | { kind: 'check'; outcome: string; role: string | null }
  | { kind: 'notice'; noticeKind: string | null; timeliness: string | null }
  /** Children, each with how many of the counted things (progress checks due) are theirs. */
  | { kind: 'child'; children: readonly { childId: number; counted: number }[] }

/**
 * The records counted by one number, only those about children the viewer may see, a page at a
 * time; `hidden` is how many were counted but are about children outside the viewer's scope.
 */
export async function listRecords(
  db: Queryable,
  scope: ChildScope,
  f: ReportFilters,
  ctx: ReportContext,
  selection: RecordSelection,
  limit: number,
  offset: number,
): Promise<{ rows: ListedRecord[]; total: number; hidden: number }> {
  const params: unknown[] = []
  let ctes: string
  let facts: string
  switch (selection.kind) {
    case 'dispute': {
      ctes = disputeFactsCtes(f, ctx, params)
      const [r, rv] = selection.row
      const [k, kv] = selection.col
      facts = `select df.id, df.child_id, df.category_key as detail, df.raised_on as on_day, df.outcome_group as status
        from df where ${disputeDimensions[r]} = ${param(params, rv)} and ${disputeDimensions[k]} = ${param(params, kv)}`
      break
    }
    case 'stage': {
      ctes = stageFactsCtes(f, ctx, params)
      const condition = ['true']
      if (selection.level !== null) condition.push(`sf.level = ${param(params, selection.level)}`)
      if (selection.timeliness !== null) condition.push(`sf.timeliness = ${param(params, selection.timeliness)}`)
      facts = `select distinct d.id, d.child_id, d.category_key as detail, d.raised_on as on_day, d.status
        from sf join disputes d on d.id = sf.id where ${condition.join(' and ')}`
      break
    }
    case 'note': {
      ctes = noteFactsCte(f, ctx, params)
      const [r, rv] = selection.row
      facts = `select nf.id, nf.child_id, nf.category_key as detail, (n.created_at at time zone 'Europe/London')::date as on_day, null as status
        from nf join practice_notes n on n.id = nf.id where ${noteDimensions[r]} = ${param(params, rv)}`
      break
    }
    case 'check': {
      ctes = checkFactsCte(f, ctx, params)
      const condition = [`cf.outcome = ${param(params, selection.outcome)}`]
      if (selection.role !== null) condition.push(`cf.reviewer_role = ${param(params, selection.role)}`)
      facts = `select cf.id, cf.child_id, cf.outcome as detail, pc.held_on as on_day, cf.reviewer_role as status
        from cf join progress_checks pc on pc.id = cf.id where ${condition.join(' and ')}`
      break
    }
    case 'notice': {
      ctes = noticeFactsCte(f, ctx, params)
      const condition = ['true']
      if (selection.noticeKind !== null) condition.push(`xf.kind = ${param(params, selection.noticeKind)}`)
      if (selection.timeliness !== null) condition.push(`xf.timeliness = ${param(params, selection.timeliness)}`)
      facts = `select xf.id, xf.child_id, xf.kind as detail, cn.sent_on as on_day, xf.lateness_working_days::text as status
        from xf join change_notices cn on cn.id = xf.id where ${condition.join(' and ')}`
      break
    }
    case 'child': {
      const ids = param(
        params,
        selection.children.map(c => c.childId),
      )
      const counted = param(
        params,
        selection.children.map(c => c.counted),
      )
      ctes = `chosen as (select unnest(${ids}::int[]) as id, unnest(${counted}::int[]) as counted)`
      facts = `select chosen.id, chosen.id as child_id, chosen.counted::text as detail, null::date as on_day, null as status from chosen`
      break
    }
  }
  const select = `with ${ctes}, listed as (${facts})`
  const order = 'order by x.on_day desc nulls last, x.id desc'
  const visible = visibleChildCondition(scope, params)
  const counts = (
    await db.query<{ total: number; shown: number }>(
      `${select} select count(*) as total, count(*) filter (where ${visible}) as shown
       from listed x join children c on c.id = x.child_id`,
      params,
    )
  ).rows[0]!
  const rows = await db.query<ListedRecord>(
    `${select} select x.id, x.child_id, c.given_name || ' ' || c.family_name as child_name, c.case_id,
       x.detail, x.on_day as on, x.status
     from listed x join children c on c.id = x.child_id
     where ${visible} ${order} limit ${param(params, limit)} offset ${param(params, offset)}`,
    params,
  )
  return { rows: rows.rows, total: counts.shown, hidden: counts.total - counts.shown }
}
