import type { Queryable } from '../database.js'

/** The person whose email (case-insensitive) or staff ID equals the provider's claim, active or not. */
export async function findPersonForSignIn(
  db: Queryable,
  matchOn: 'email' | 'staff_id',
  value: string,
): Promise<{ id: number; active: boolean } | undefined> {
  const where = matchOn === 'email' ? 'lower(email) = lower($1)' : 'staff_id = $1'
  return (await db.query<{ id: number; active: boolean }>(`select id, active from people where ${where}`, [value]))
    .rows[0]
}

/**
 * Records a sign-in through the provider. Returns whether this provider account was linked to
 * this person before ('same'), not at all ('new'), or to someone else ('moved').
 */
export async function recordExternalSignIn(
  tx: Queryable,
  issuer: string,
  subject: string,
  personId: number,
  at: Date,
): Promise<'new' | 'same' | 'moved'> {
  const existing = (
    await tx.query<{ person_id: number }>(
      'select person_id from external_identities where issuer = $1 and subject = $2 for update',
      [issuer, subject],
    )
  ).rows[0]
  await tx.query(
    `insert into external_identities (issuer, subject, person_id, first_signed_in_at, last_signed_in_at)
     values ($1, $2, $3, $4, $4)
     on conflict (issuer, subject) do update set person_id = excluded.person_id, last_signed_in_at = excluded.last_signed_in_at`,
    [issuer, subject, personId, at],
  )
  if (!existing) return 'new'
  return existing.person_id === personId ? 'same' : 'moved'
}
