import type { Queryable } from '../database.js'

export interface LocalAccount {
  personId: number
  passwordHash: string
  failedAttempts: number
  lockedUntil: Date | null
}

export async function findAccountByEmail(
  db: Queryable,
  email: string,
): Promise<(LocalAccount & { active: boolean; sessionGeneration: number }) | undefined> {
  // The generation is read with the password's hash, so a new password set after this read also
  // moves the generation on past the one a session signed in with the old password keeps.
  const row = (
    await db.query<{
      person_id: number
      password_hash: string
      failed_attempts: number
      locked_until: Date | null
      active: boolean
      session_generation: number
    }>(
      `select a.person_id, a.password_hash, a.failed_attempts, a.locked_until, p.active, p.session_generation
       from local_accounts a join people p on p.id = a.person_id where lower(p.email) = lower($1)`,
      [email],
    )
  ).rows[0]
  return (
    row && {
      personId: row.person_id,
      passwordHash: row.password_hash,
      failedAttempts: row.failed_attempts,
      lockedUntil: row.locked_until,
      active: row.active,
      sessionGeneration: row.session_generation,
    }
  )
}

export async function setPassword(tx: Queryable, personId: number, hash: string, at: Date): Promise<void> {
  await tx.query(
    `insert into local_accounts (person_id, password_hash, updated_at) values ($1, $2, $3)
     on conflict (person_id) do update set password_hash = excluded.password_hash, failed_attempts = 0, locked_until = null,
       updated_at = excluded.updated_at`,
    [personId, hash, at],
  )
}

/**
 * Counts a failure atomically (two instances cannot lose a count) and locks when the limit is reached.
 * Once a lock has run out the count starts again, so one wrong attempt after it does not lock at once:
 * otherwise anyone could keep an account locked with a request each lock period.
 */
export async function recordFailedSignIn(
  db: Queryable,
  personId: number,
  max: number,
  lockUntil: Date,
  at: Date,
): Promise<number> {
  const row = (
    await db.query<{ failed_attempts: number }>(
      `update local_accounts set failed_attempts = case when locked_until <= $4 then 1 else failed_attempts + 1 end,
         locked_until = case
           when (case when locked_until <= $4 then 1 else failed_attempts + 1 end) >= $2 then $3::timestamptz
           when locked_until <= $4 then null
           else locked_until end,
         updated_at = $4
       where person_id = $1 returning failed_attempts`,
      [personId, max, lockUntil, at],
    )
  ).rows[0]
  return row?.failed_attempts ?? 0
}

export async function recordSuccessfulSignIn(db: Queryable, personId: number, at: Date): Promise<void> {
  await db.query(
    'update local_accounts set failed_attempts = 0, locked_until = null, last_signed_in_at = $2, updated_at = $2 where person_id = $1',
    [personId, at],
  )
}

export async function hasLocalAccount(db: Queryable, personId: number): Promise<boolean> {
  return (await db.query('select 1 from local_accounts where person_id = $1', [personId])).rows.length > 0
}
