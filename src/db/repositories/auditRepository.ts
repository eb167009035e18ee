import type { Queryable } from '../database.js'

export interface ChildViewAudit {
  at: Date
  personId: number
  childId: number
  action: string
  path: string
  ip: string | null
}

export async function recordChildAccess(db: Queryable, a: ChildViewAudit): Promise<void> {
  await db.query(
    'insert into access_audit (occurred_at, person_id, child_id, action, path, ip) values ($1, $2, $3, $4, $5, $6)',
    [a.at, a.personId, a.childId, a.action, a.path, a.ip],
  )
}

export interface AccessAuditRow {
  occurred_at: Date
  person_id: number
  person_name: string
  action: string
  path: string
  ip: string | null
}

export async function accessAuditForChild(
  db: Queryable,
  childId: number,
  limit: number,
  offset: number,
): Promise<{ rows: AccessAuditRow[]; total: number }> {
  const total = (await db.query<{ n: number }>('select count(*) as n from access_audit where child_id = $1', [childId]))
    .rows[0]!.n
  const rows = await db.query<AccessAuditRow>(
    `select a.occurred_at, a.person_id, p.given_name || ' ' || p.family_name as person_name, a.action, a.path, a.ip
     from access_audit a join people p on p.id = a.person_id
     where a.child_id = $1 order by a.occurred_at desc, a.id desc limit $2 offset $3`,
    [childId, limit, offset],
  )
  return { rows: rows.rows, total }
}
