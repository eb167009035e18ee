import type { PersonRole, UnitKind } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'
import type { ChildInput } from './childRepository.js'

/**
 * Bulk inserts for loading the demo authority (hundreds of people, over a thousand children)
 * in a few statements: each batch is one `insert ... select from unnest(<arrays>)`, which
 * PGlite and PostgreSQL both accept. Natural keys (unit name, staff ID, case ID) come back
 * with the generated ids, so nothing relies on the order of `returning` rows.
 */

const BATCH = 500

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH))
  return out
}

export async function countPeople(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('select count(*) as n from people')).rows[0]!.n
}

/** Units without parents or managers (people need unit ids first); returns id by unit name. */
export async function insertUnitsBare(
  tx: Queryable,
  units: readonly { name: string; kind: UnitKind }[],
  at: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const batch of batches(units)) {
    const result = await tx.query<{ id: number; name: string }>(
      `insert into org_units (name, kind, created_at, updated_at)
       select v.name, v.kind, $3, $3 from unnest($1::text[], $2::text[]) as v(name, kind)
       returning id, name`,
      [batch.map(u => u.name), batch.map(u => u.kind), at],
    )
    for (const row of result.rows) ids.set(row.name, row.id)
  }
  return ids
}

/** Sets every unit's parent and manager in one statement once both exist. */
export async function linkUnits(
  tx: Queryable,
  links: readonly { id: number; parentId: number | null; managerId: number | null }[],
  at: Date,
): Promise<void> {
  for (const batch of batches(links)) {
    await tx.query(
      `update org_units u set parent_id = v.parent_id, manager_id = v.manager_id, updated_at = $4
       from unnest($1::int[], $2::int[], $3::int[]) as v(id, parent_id, manager_id)
       where u.id = v.id`,
      [batch.map(l => l.id), batch.map(l => l.parentId), batch.map(l => l.managerId), at],
    )
  }
}

export interface BulkPerson {
  givenName: string
  familyName: string
  email: string
  staffId: string
  unitId: number | null
  roles: readonly PersonRole[]
}

/** Returns id by staff ID. Roles travel as comma-separated text: unnest cannot carry an array of arrays. */
export async function insertPeopleBulk(
  tx: Queryable,
  people: readonly BulkPerson[],
  at: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const batch of batches(people)) {
    const result = await tx.query<{ id: number; staff_id: string }>(
      `insert into people (given_name, family_name, email, staff_id, unit_id, roles, created_at, updated_at)
       select v.given_name, v.family_name, v.email, v.staff_id, v.unit_id, string_to_array(v.roles, ','), $7, $7
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
         as v(given_name, family_name, email, staff_id, unit_id, roles)
       returning id, staff_id`,
      [
        batch.map(p => p.givenName),
        batch.map(p => p.familyName),
        batch.map(p => p.email),
        batch.map(p => p.staffId),
        batch.map(p => p.unitId),
        batch.map(p => p.roles.join(',')),
        at,
      ],
    )
    for (const row of result.rows) ids.set(row.staff_id, row.id)
  }
  return ids
}

/** Makes `count` empty sibling groups; they are interchangeable, so order does not matter. */
export async function insertSiblingGroupsBulk(tx: Queryable, count: number, at: Date): Promise<number[]> {
  if (count === 0) return []
  const result = await tx.query<{ id: number }>(
    'insert into sibling_groups (created_at) select $2 from generate_series(1, $1::int) returning id',
    [count, at],
  )
  return result.rows.map(r => r.id)
}

/** A bulk child has the same fields as one inserted singly; one definition keeps the two in step. */
export type BulkChild = ChildInput

/** Returns the new children's ids. */
export async function insertChildrenBulk(tx: Queryable, children: readonly BulkChild[], at: Date): Promise<number[]> {
  const ids: number[] = []
  for (const batch of batches(children)) {
    const result = await tx.query<{ id: number }>(
      `insert into children (case_id, given_name, family_name, date_of_birth, team_id, social_worker_id, iro_id, cp_chair_id,
         cp_plan_start, looked_after_start, sibling_group_id, created_at, updated_at)
       select v.*, $12, $12
       from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[], $6::int[], $7::int[], $8::int[],
         $9::date[], $10::date[], $11::int[])
         as v(case_id, given_name, family_name, date_of_birth, team_id, social_worker_id, iro_id, cp_chair_id,
           cp_plan_start, looked_after_start, sibling_group_id)
       returning id`,
      [
        batch.map(c => c.caseId),
        batch.map(c => c.givenName),
        batch.map(c => c.familyName),
        batch.map(c => c.dateOfBirth),
        batch.map(c => c.teamId),
        batch.map(c => c.socialWorkerId),
        batch.map(c => c.iroId),
        batch.map(c => c.cpChairId),
        batch.map(c => c.cpPlanStart),
        batch.map(c => c.lookedAfterStart),
        batch.map(c => c.siblingGroupId),
        at,
      ],
    )
    ids.push(...result.rows.map(r => r.id))
  }
  return ids
}

/** Gives each of these people a local account with the same password hash. */
export async function insertLocalAccountsBulk(
  tx: Queryable,
  personIds: readonly number[],
  passwordHash: string,
  at: Date,
): Promise<void> {
  for (const batch of batches(personIds)) {
    await tx.query(
      `insert into local_accounts (person_id, password_hash, updated_at)
       select v.person_id, $2, $3 from unnest($1::int[]) as v(person_id)`,
      [batch, passwordHash, at],
    )
  }
}

/**
 * One `child.created` event per child, built from the rows just inserted (the same fields the
 * child form records), in a single statement per batch.
 */
export async function insertChildCreatedEvents(
  tx: Queryable,
  childIds: readonly number[],
  actorId: number | null,
  at: Date,
  source: string,
): Promise<void> {
  for (const batch of batches(childIds)) {
    await tx.query(
      `insert into events (occurred_at, actor_id, entity_type, entity_id, child_id, kind, data)
       select $2, $3, 'child', c.id, c.id, 'child.created', jsonb_build_object(
         'source', $4::text, 'caseId', c.case_id, 'givenName', c.given_name, 'familyName', c.family_name,
         'dateOfBirth', c.date_of_birth, 'teamId', c.team_id, 'socialWorkerId', c.social_worker_id, 'iroId', c.iro_id,
         'cpChairId', c.cp_chair_id, 'cpPlanStart', c.cp_plan_start, 'lookedAfterStart', c.looked_after_start,
         'siblingGroupId', c.sibling_group_id)
       from children c where c.id = any($1::int[]) order by c.id`,
      [batch, at, actorId, source],
    )
  }
}

export interface DemoCounts {
  teams: number
  people: number
  children: number
  cpPlans: number
  lookedAfter: number
  siblingGroups: number
}

/** What is in the database now (after a restart it may differ from what the demo first loaded). */
export async function demoCounts(db: Queryable): Promise<DemoCounts> {
  const row = (
    await db.query<{
      teams: number
      people: number
      children: number
      cp_plans: number
      looked_after: number
      sibling_groups: number
    }>(
      `select (select count(*) from org_units where kind = 'team') as teams,
         (select count(*) from people) as people,
         (select count(*) from children) as children,
         (select count(*) from children where cp_plan_start is not null) as cp_plans,
         (select count(*) from children where looked_after_start is not null) as looked_after,
         (select count(distinct sibling_group_id) from children where sibling_group_id is not null) as sibling_groups`,
    )
  ).rows[0]!
  return {
    teams: row.teams,
    people: row.people,
    children: row.children,
    cpPlans: row.cp_plans,
    lookedAfter: row.looked_after,
    siblingGroups: row.sibling_groups,
  }
}

/** Which of these emails belong to people in the database, with their names. */
export async function peopleByEmails(
  db: Queryable,
  emails: readonly string[],
): Promise<Map<string, { id: number; name: string; active: boolean }>> {
  const result = await db.query<{ id: number; email: string; name: string; active: boolean }>(
    `select id, lower(email) as email, given_name || ' ' || family_name as name, active
     from people where lower(email) = any($1::text[])`,
    [emails.map(e => e.toLowerCase())],
  )
  return new Map(result.rows.map(r => [r.email, { id: r.id, name: r.name, active: r.active }]))
}
