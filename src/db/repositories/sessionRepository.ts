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

/**
 * Signs a person out everywhere: every session of theirs goes, on every instance (each reads its
 * session per request), and their session generation moves on (migration 0026), so a session saved
 * by a sign-in that checked the old credentials is refused too (setUpCurrentUser).
 */
export async function signOutEverywhere(db: Queryable, personId: number): Promise<void> {
  await db.query('update people set session_generation = session_generation + 1 where id = $1', [personId])
  await db.query(`delete from sessions where data->>'personId' = $1`, [String(personId)])
}

/**
 * The person's session generation, read with their row locked until the transaction ends, so that
 * signing them out everywhere waits for a sign-in in progress and then moves past what it read.
 */
export async function sessionGenerationForSignIn(tx: Queryable, personId: number): Promise<number | undefined> {
  return (
    await tx.query<{ session_generation: number }>(
      'select session_generation from people where id = $1 for no key update',
      [personId],
    )
  ).rows[0]?.session_generation
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  return (await db.query('delete from sessions where expires_at <= $1', [now])).rowCount
}
