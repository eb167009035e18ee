import { namedStatement, type Queryable } from '../database.js'

// Read on every request of a signed-in page: named, so it is parsed and planned once a connection.
const READ_SESSION = namedStatement('read_session', 'select data from sessions where sid = $1 and expires_at > $2')

export async function readSession(db: Queryable, sid: string, now: Date): Promise<unknown | undefined> {
  const row = (await db.query<{ data: unknown }>(READ_SESSION, [sid, now])).rows[0]
  return row?.data
}

export async function writeSession(db: Queryable, sid: string, data: unknown, expiresAt: Date): Promise<void> {
  await db.query(
    `insert into sessions (sid, data, expires_at) values ($1, $2, $3)
     on conflict (sid) do update set data = excluded.data, expires_at = excluded.expires_at`,
    [sid, JSON.stringify(data), expiresAt],
  )
}

export async function touchSession(db: Queryable, sid: string, expiresAt: Date): Promise<void> {
  await db.query('update sessions set expires_at = $2 where sid = $1', [sid, expiresAt])
}

export async function deleteSession(db: Queryable, sid: string): Promise<void> {
  await db.query('delete from sessions where sid = $1', [sid])
}

/** Signs a person out everywhere: every session of theirs, on every instance (each reads its session per request). */
export async function deletePersonSessions(db: Queryable, personId: number): Promise<number> {
  return (await db.query(`delete from sessions where data->>'personId' = $1`, [String(personId)])).rowCount
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  return (await db.query('delete from sessions where expires_at <= $1', [now])).rowCount
}
