import type { UnitKind } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'

export interface OrgUnit {
  id: number
  name: string
  kind: UnitKind
  parentId: number | null
  parentName: string | null
  managerId: number | null
  managerName: string | null
  version: number
}

interface UnitRow {
  id: number
  name: string
  kind: UnitKind
  parent_id: number | null
  parent_name: string | null
  manager_id: number | null
  manager_name: string | null
  version: number
}

const toUnit = (r: UnitRow): OrgUnit => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  parentId: r.parent_id,
  parentName: r.parent_name,
  managerId: r.manager_id,
  managerName: r.manager_name,
  version: r.version,
})

const selectUnits = `select u.id, u.name, u.kind, u.parent_id, pu.name as parent_name, u.manager_id,
  m.given_name || ' ' || m.family_name as manager_name, u.version
  from org_units u left join org_units pu on pu.id = u.parent_id left join people m on m.id = u.manager_id`

/** Units are few (tens to hundreds per authority), so the whole tree is read at once. */
export async function allUnits(db: Queryable): Promise<OrgUnit[]> {
  return (await db.query<UnitRow>(`${selectUnits} order by u.name`)).rows.map(toUnit)
}

export async function findUnit(db: Queryable, id: number): Promise<OrgUnit | undefined> {
  const row = (await db.query<UnitRow>(`${selectUnits} where u.id = $1`, [id])).rows[0]
  return row && toUnit(row)
}

export async function unitsManagedBy(db: Queryable, personId: number): Promise<{ id: number; kind: UnitKind }[]> {
  return (
    await db.query<{ id: number; kind: UnitKind }>('select id, kind from org_units where manager_id = $1', [personId])
  ).rows
}

export interface UnitInput {
  name: string
  kind: UnitKind
  parentId: number | null
  managerId: number | null
}

export async function insertUnit(tx: Queryable, input: UnitInput, at: Date): Promise<number> {
  const result = await tx.query<{ id: number }>(
    `insert into org_units (name, kind, parent_id, manager_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $5) returning id`,
    [input.name, input.kind, input.parentId, input.managerId, at],
  )
  return result.rows[0]!.id
}

/** Returns false when the version no longer matches: someone else changed the unit first. */
export async function updateUnit(
  tx: Queryable,
  id: number,
  version: number,
  input: UnitInput,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update org_units set name = $3, kind = $4, parent_id = $5, manager_id = $6, updated_at = $7, version = version + 1
     where id = $1 and version = $2`,
    [id, version, input.name, input.kind, input.parentId, input.managerId, at],
  )
  return result.rowCount === 1
}

export async function unitNameTaken(db: Queryable, name: string, exceptId?: number): Promise<boolean> {
  const result = await db.query('select 1 from org_units where lower(name) = lower($1) and id <> $2', [
    name,
    exceptId ?? -1,
  ])
  return result.rows.length > 0
}
