import type { ImportInput } from '../../domain/import/importRows.js'
import type { Counts, PlanItem, Snapshot } from '../../domain/import/importPlan.js'
import type { Queryable } from '../database.js'

/** Everything an import is planned against: every unit, person and child, as the planner sees them. */
export async function loadSnapshot(db: Queryable): Promise<Snapshot> {
  const units = await db.query<Snapshot['units'][number]>(
    `select id, name, kind, parent_id as "parentId", manager_id as "managerId", version from org_units order by id`,
  )
  const people = await db.query<Snapshot['people'][number]>(
    `select id, staff_id as "staffId", email, given_name as "givenName", family_name as "familyName",
       unit_id as "unitId", roles, active, version from people order by id`,
  )
  const children = await db.query<Snapshot['children'][number]>(
    `select id, case_id as "caseId", given_name as "givenName", family_name as "familyName",
       date_of_birth as "dateOfBirth", team_id as "teamId", social_worker_id as "socialWorkerId", iro_id as "iroId",
       cp_chair_id as "cpChairId", cp_plan_start as "cpPlanStart", looked_after_start as "lookedAfterStart",
       closed_on as "closedOn", version
     from children order by id`,
  )
  return { units: units.rows, people: people.rows, children: children.rows }
}

export type ImportStatus = 'previewed' | 'applied' | 'cancelled' | 'superseded'
export type ImportSource = 'upload' | 'command_line'

export interface ImportBatch {
  id: number
  status: ImportStatus
  source: ImportSource
  createdBy: number | null
  createdByName: string | null
  createdAt: Date
  fileNames: Record<string, string>
  input: ImportInput | null
  plan: PlanItem[] | null
  warnings: string[] | null
  planHash: string
  counts: Counts
  appliedBy: number | null
  appliedByName: string | null
  appliedAt: Date | null
  version: number
}

const selectBatches = `select b.id, b.status, b.source, b.created_by as "createdBy",
  c.given_name || ' ' || c.family_name as "createdByName", b.created_at as "createdAt", b.file_names as "fileNames",
  b.input, b.plan, b.warnings, b.plan_hash as "planHash", b.counts, b.applied_by as "appliedBy",
  a.given_name || ' ' || a.family_name as "appliedByName", b.applied_at as "appliedAt", b.version
  from import_batches b left join people c on c.id = b.created_by left join people a on a.id = b.applied_by`

export interface NewBatch {
  source: ImportSource
  createdBy: number | null
  fileNames: Record<string, string>
  input: ImportInput
  plan: PlanItem[]
  warnings: string[]
  planHash: string
  counts: Counts
}

/** A new preview replaces any earlier one still waiting: only one import can be pending at a time. */
export async function insertBatch(tx: Queryable, batch: NewBatch, at: Date): Promise<number> {
  await tx.query(
    `update import_batches set status = 'superseded', input = null, plan = null, warnings = null, version = version + 1
     where status = 'previewed'`,
  )
  const result = await tx.query<{ id: number }>(
    `insert into import_batches (status, source, created_by, created_at, file_names, input, plan, warnings, plan_hash, counts)
     values ('previewed', $1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      batch.source,
      batch.createdBy,
      at,
      JSON.stringify(batch.fileNames),
      JSON.stringify(batch.input),
      JSON.stringify(batch.plan),
      JSON.stringify(batch.warnings),
      batch.planHash,
      JSON.stringify(batch.counts),
    ],
  )
  return result.rows[0]!.id
}

export async function findBatch(db: Queryable, id: number, lock = false): Promise<ImportBatch | undefined> {
  return (await db.query<ImportBatch>(`${selectBatches} where b.id = $1${lock ? ' for update of b' : ''}`, [id]))
    .rows[0]
}

export async function recentBatches(db: Queryable, limit: number): Promise<ImportBatch[]> {
  return (await db.query<ImportBatch>(`${selectBatches} order by b.created_at desc, b.id desc limit $1`, [limit])).rows
}

/** Applied or cancelled: the rows and the plan (names, dates of birth) are not kept once they are no longer needed. */
export async function closeBatch(
  tx: Queryable,
  id: number,
  version: number,
  status: 'applied' | 'cancelled',
  by: number | null,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update import_batches set status = $3, input = null, plan = null, warnings = null, applied_by = $4, applied_at = $5,
       version = version + 1
     where id = $1 and version = $2 and status = 'previewed'`,
    [id, version, status, by, at],
  )
  return result.rowCount === 1
}

export async function replacePlan(
  tx: Queryable,
  id: number,
  plan: PlanItem[],
  warnings: string[],
  planHash: string,
  counts: Counts,
): Promise<void> {
  await tx.query(
    `update import_batches set plan = $2, warnings = $3, plan_hash = $4, counts = $5, version = version + 1
     where id = $1 and status = 'previewed'`,
    [id, JSON.stringify(plan), JSON.stringify(warnings), planHash, JSON.stringify(counts)],
  )
}

export interface ImportedChild {
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
  closedOn: string | null
}

/** An import's change to a child: every field it owns (not the sibling group, which Concord keeps). */
export async function updateImportedChild(
  tx: Queryable,
  id: number,
  version: number,
  c: ImportedChild,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update children set case_id = $3, given_name = $4, family_name = $5, date_of_birth = $6, team_id = $7,
       social_worker_id = $8, iro_id = $9, cp_chair_id = $10, cp_plan_start = $11, looked_after_start = $12,
       closed_on = $13, updated_at = $14, version = version + 1
     where id = $1 and version = $2`,
    [
      id,
      version,
      c.caseId,
      c.givenName,
      c.familyName,
      c.dateOfBirth,
      c.teamId,
      c.socialWorkerId,
      c.iroId,
      c.cpChairId,
      c.cpPlanStart,
      c.lookedAfterStart,
      c.closedOn,
      at,
    ],
  )
  return result.rowCount === 1
}

export interface ImportEvent {
  entityType: string
  entityId: number
  childId: number | null
  kind: string
  data: Record<string, unknown>
}

/** The record changes an import wrote, for its outcome page. */
export async function eventsOfImport(db: Queryable, id: number, limit: number): Promise<ImportEvent[]> {
  return (
    await db.query<ImportEvent>(
      `select entity_type as "entityType", entity_id as "entityId", child_id as "childId", kind, data from events
       where data ? 'import' and data->>'import' = $1 order by id limit $2`,
      [String(id), limit],
    )
  ).rows
}
