import { branchUnitKinds, type ManagedUnit, type PersonRole } from '../../domain/organisation.js'
import { namedStatement, type Queryable } from '../database.js'
import { startsWithPattern } from '../likePattern.js'

export interface Person {
  id: number
  givenName: string
  familyName: string
  email: string
  staffId: string | null
  unitId: number | null
  unitName: string | null
  roles: PersonRole[]
  active: boolean
  notificationPreference: 'immediate' | 'daily_digest'
  version: number
}

interface PersonRow {
  id: number
  given_name: string
  family_name: string
  email: string
  staff_id: string | null
  unit_id: number | null
  unit_name: string | null
  roles: PersonRole[]
  active: boolean
  notification_preference: 'immediate' | 'daily_digest'
  version: number
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  givenName: r.given_name,
  familyName: r.family_name,
  email: r.email,
  staffId: r.staff_id,
  unitId: r.unit_id,
  unitName: r.unit_name,
  roles: r.roles,
  active: r.active,
  notificationPreference: r.notification_preference,
  version: r.version,
})

const selectPeople = `select p.id, p.given_name, p.family_name, p.email, p.staff_id, p.unit_id, u.name as unit_name,
  p.roles, p.active, p.notification_preference, p.version from people p left join org_units u on u.id = p.unit_id`

export async function findPerson(db: Queryable, id: number): Promise<Person | undefined> {
  const row = (await db.query<PersonRow>(`${selectPeople} where p.id = $1`, [id])).rows[0]
  return row && toPerson(row)
}

export async function findPersonByEmail(db: Queryable, email: string): Promise<Person | undefined> {
  const row = (await db.query<PersonRow>(`${selectPeople} where lower(p.email) = lower($1)`, [email])).rows[0]
  return row && toPerson(row)
}

/** A signed-in person with the units they manage, read in one statement (it runs on every request). */
export interface SignedInPerson {
  person: Person
  managedUnits: ManagedUnit[]
  /** Token look-ups only: when the token was last used. */
  tokenLastUsedAt: Date | null
  /** A session signed in at an earlier generation is no longer theirs (migration 0026). */
  sessionGeneration: number
}

// The units a person manages, as JSON, in the same statement as the person, with every unit beneath
// each of a branch kind (whose children they may see). Each instance remembers these answers until a
// trigger on the tables read here notifies a change (migration 0016, ADR 0021): a table added to
// these statements needs the trigger too.
const BRANCH_KINDS = branchUnitKinds.map(k => `'${k}'`).join(', ')
const MANAGED_UNITS = `coalesce((select json_agg(json_build_object('id', m.id, 'kind', m.kind, 'unitIdsBelow',
      case when m.kind in (${BRANCH_KINDS}) then (
        with recursive below(id) as (
          select u.id from org_units u where u.parent_id = m.id
          union select u.id from org_units u join below b on u.parent_id = b.id)
        select coalesce(json_agg(id order by id), '[]'::json) from below)
      else '[]'::json end) order by m.id)
    from org_units m where m.manager_id = p.id), '[]'::json) as managed_units`
const SIGNED_IN_BY_ID = namedStatement(
  'signed_in_person_by_id',
  `select p.id, p.given_name, p.family_name, p.email, p.staff_id, p.unit_id, u.name as unit_name,
     p.roles, p.active, p.notification_preference, p.version, p.session_generation, ${MANAGED_UNITS},
     null::timestamptz as token_last_used_at
   from people p left join org_units u on u.id = p.unit_id where p.id = $1 and p.active`,
)
const SIGNED_IN_BY_TOKEN = namedStatement(
  'signed_in_person_by_token',
  `select p.id, p.given_name, p.family_name, p.email, p.staff_id, p.unit_id, u.name as unit_name,
     p.roles, p.active, p.notification_preference, p.version, p.session_generation, ${MANAGED_UNITS},
     t.last_used_at as token_last_used_at
   from api_tokens t join people p on p.id = t.person_id left join org_units u on u.id = p.unit_id
   where t.token_hash = $1 and t.revoked_at is null and p.active`,
)

/** An active person, found by id (a session) or by the hash of an unrevoked API token. */
export async function findSignedInPerson(
  db: Queryable,
  by: { personId: number } | { tokenHash: string },
): Promise<SignedInPerson | undefined> {
  const row = (
    'personId' in by
      ? await db.query<SignedInRow>(SIGNED_IN_BY_ID, [by.personId])
      : await db.query<SignedInRow>(SIGNED_IN_BY_TOKEN, [by.tokenHash])
  ).rows[0]
  if (!row) return undefined
  const units = typeof row.managed_units === 'string' ? JSON.parse(row.managed_units) : row.managed_units
  return {
    person: toPerson(row),
    managedUnits: units,
    tokenLastUsedAt: row.token_last_used_at,
    sessionGeneration: row.session_generation,
  }
}

interface SignedInRow extends PersonRow {
  managed_units: ManagedUnit[] | string
  token_last_used_at: Date | null
  session_generation: number
}

export interface PeopleQuery {
  search?: string
  unitId?: number
  role?: PersonRole
  limit: number
  offset: number
}

export async function listPeople(db: Queryable, q: PeopleQuery): Promise<{ people: Person[]; total: number }> {
  const where: string[] = []
  const params: unknown[] = []
  if (q.search) {
    params.push(startsWithPattern(q.search.toLowerCase()))
    where.push(
      `(lower(p.family_name) like $${params.length} or lower(p.given_name) like $${params.length} or lower(p.email) like $${params.length})`,
    )
  }
  if (q.unitId !== undefined) {
    params.push(q.unitId)
    where.push(`p.unit_id = $${params.length}`)
  }
  if (q.role) {
    params.push(q.role)
    where.push(`$${params.length} = any(p.roles)`)
  }
  const clause = where.length ? `where ${where.join(' and ')}` : ''
  const total = (await db.query<{ n: number }>(`select count(*) as n from people p ${clause}`, params)).rows[0]!.n
  const rows = (
    await db.query<PersonRow>(
      `${selectPeople} ${clause} order by p.family_name, p.given_name, p.id limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, q.limit, q.offset],
    )
  ).rows
  return { people: rows.map(toPerson), total }
}

export async function peopleByIds(db: Queryable, ids: number[]): Promise<Person[]> {
  if (ids.length === 0) return []
  return (await db.query<PersonRow>(`${selectPeople} where p.id = any($1::int[])`, [ids])).rows.map(toPerson)
}

export interface PersonInput {
  givenName: string
  familyName: string
  email: string
  staffId: string | null
  unitId: number | null
  roles: PersonRole[]
  active: boolean
}

export async function insertPerson(tx: Queryable, input: PersonInput, at: Date): Promise<number> {
  const result = await tx.query<{ id: number }>(
    `insert into people (given_name, family_name, email, staff_id, unit_id, roles, active, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning id`,
    [input.givenName, input.familyName, input.email, input.staffId, input.unitId, input.roles, input.active, at],
  )
  return result.rows[0]!.id
}

export async function updatePerson(
  tx: Queryable,
  id: number,
  version: number,
  input: PersonInput,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update people set given_name = $3, family_name = $4, email = $5, staff_id = $6, unit_id = $7, roles = $8, active = $9,
       updated_at = $10, version = version + 1
     where id = $1 and version = $2`,
    [
      id,
      version,
      input.givenName,
      input.familyName,
      input.email,
      input.staffId,
      input.unitId,
      input.roles,
      input.active,
      at,
    ],
  )
  return result.rowCount === 1
}

export async function emailTaken(db: Queryable, email: string, exceptId?: number): Promise<boolean> {
  return (
    (await db.query('select 1 from people where lower(email) = lower($1) and id <> $2', [email, exceptId ?? -1])).rows
      .length > 0
  )
}

export async function staffIdTaken(db: Queryable, staffId: string, exceptId?: number): Promise<boolean> {
  return (
    (await db.query('select 1 from people where staff_id = $1 and id <> $2', [staffId, exceptId ?? -1])).rows.length > 0
  )
}

export interface Contact {
  id: number
  email: string
  name: string
  preference: 'immediate' | 'daily_digest'
  active: boolean
}

/** Who to email and how they like it, for notifications. */
export async function contactsFor(db: Queryable, ids: readonly number[]): Promise<Map<number, Contact>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{
    id: number
    email: string
    name: string
    preference: 'immediate' | 'daily_digest'
    active: boolean
  }>(
    `select id, email, given_name || ' ' || family_name as name, notification_preference as preference, active from people where id = any($1::int[])`,
    [[...new Set(ids)]],
  )
  return new Map(rows.rows.map(r => [r.id, r]))
}

export async function setNotificationPreference(
  tx: Queryable,
  personId: number,
  preference: 'immediate' | 'daily_digest',
): Promise<void> {
  await tx.query('update people set notification_preference = $2 where id = $1', [personId, preference])
}
