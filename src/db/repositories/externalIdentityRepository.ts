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
 * The person a provider account (issuer and subject) is linked to, and the subjects at the same
 * issuer already linked to `personId`, with the link rows locked (and, first, the person's:
 * sessionGenerationForSignIn): the rest of the transaction decides whether this sign-in may go ahead.
 */
export async function linksForSignIn(
  tx: Queryable,
  issuer: string,
  subject: string,
  personId: number | undefined,
): Promise<{ linkedPersonId: number | undefined; claimedPersonsSubjects: string[] }> {
  const rows = (
    await tx.query<{ subject: string; person_id: number }>(
      `select subject, person_id from external_identities
        where issuer = $1 and (subject = $2 or person_id = $3)
        order by subject for update`,
      [issuer, subject, personId ?? null],
    )
  ).rows
  return {
    linkedPersonId: rows.find(r => r.subject === subject)?.person_id,
    claimedPersonsSubjects: rows.filter(r => r.person_id === personId).map(r => r.subject),
  }
}

/** Records a sign-in through the provider; true when this provider account was not linked before. */
export async function recordExternalSignIn(
  tx: Queryable,
  issuer: string,
  subject: string,
  personId: number,
  at: Date,
): Promise<boolean> {
  const inserted = await tx.query(
    `insert into external_identities (issuer, subject, person_id, first_signed_in_at, last_signed_in_at)
     values ($1, $2, $3, $4, $4)
     on conflict (issuer, subject) do nothing`,
    [issuer, subject, personId, at],
  )
  if (inserted.rowCount) return true
  await tx.query('update external_identities set last_signed_in_at = $3 where issuer = $1 and subject = $2', [
    issuer,
    subject,
    at,
  ])
  return false
}

export interface ExternalIdentityLink {
  issuer: string
  firstSignedInAt: Date
  lastSignedInAt: Date
}

/** The provider accounts linked to a person, oldest first. */
export async function linksOfPerson(db: Queryable, personId: number): Promise<ExternalIdentityLink[]> {
  return (
    await db.query<ExternalIdentityLink>(
      `select issuer, first_signed_in_at as "firstSignedInAt", last_signed_in_at as "lastSignedInAt"
         from external_identities where person_id = $1 order by first_signed_in_at, subject`,
      [personId],
    )
  ).rows
}

/** Removes every provider account linked to a person; how many there were. */
export async function removeLinksOfPerson(tx: Queryable, personId: number): Promise<number> {
  return (await tx.query('delete from external_identities where person_id = $1', [personId])).rowCount ?? 0
}
