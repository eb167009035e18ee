import type { Queryable } from '../database.js'

export interface OutgoingEmail {
  dedupeKey: string
  personId: number | null
  to: string
  subject: string
  body: string
  /** Held for the person's daily digest instead of being sent on its own. */
  digest: boolean
  /** The dispute the email asks its reader to act on, if it asks anything. */
  asksOnDispute?: number | null
}

/** Written in the caller's transaction; a key already used means the email exists already: nothing is added. */
export async function enqueueEmail(tx: Queryable, email: OutgoingEmail, at: Date): Promise<boolean> {
  return (await enqueueEmails(tx, [email], at)) === 1
}

/** Many emails in one statement (the sweeps queue thousands at once); a key already queued is skipped. */
export async function enqueueEmails(tx: Queryable, emails: readonly OutgoingEmail[], at: Date): Promise<number> {
  if (emails.length === 0) return 0
  const result = await tx.query(
    `insert into email_outbox
       (dedupe_key, person_id, to_address, subject, body, digest, created_at, send_after, asks_on_dispute)
     select k, p, t, s, b, d, $7, $7, a
     from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::boolean[], $8::int[])
       as x(k, p, t, s, b, d, a)
     on conflict (dedupe_key) do nothing`,
    [
      emails.map(e => e.dedupeKey),
      emails.map(e => e.personId),
      emails.map(e => e.to),
      emails.map(e => e.subject),
      emails.map(e => e.body),
      emails.map(e => e.digest),
      at,
      emails.map(e => e.asksOnDispute ?? null),
    ],
  )
  return result.rowCount
}

export interface ClaimedEmail {
  id: number
  to: string
  subject: string
  body: string
  attempts: number
}

/**
 * Claims emails to send for a while (a lease). FOR UPDATE SKIP LOCKED means two instances
 * polling together never take the same row; an expired lease (a crashed sender) frees it again.
 */
export async function claimEmails(db: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedEmail[]> {
  const rows = await db.query<{ id: number; to_address: string; subject: string; body: string; attempts: number }>(
    `update email_outbox set claimed_until = $2, attempts = attempts + 1
     where id in (
       select id from email_outbox
       where sent_at is null and digest = false and gave_up_at is null and send_after <= $1
         and (claimed_until is null or claimed_until < $1)
       order by id limit $3 for update skip locked)
     returning id, to_address, subject, body, attempts`,
    [now, leaseUntil, limit],
  )
  return rows.rows.map(r => ({ id: r.id, to: r.to_address, subject: r.subject, body: r.body, attempts: r.attempts }))
}

export async function markSent(db: Queryable, id: number, at: Date): Promise<void> {
  await db.query('update email_outbox set sent_at = $2, claimed_until = null, last_error = null where id = $1', [
    id,
    at,
  ])
}

/** The mail server refused or was down: try again later (the caller chooses the back-off). */
export async function markFailed(db: Queryable, id: number, error: string, retryAt: Date): Promise<void> {
  await db.query('update email_outbox set claimed_until = null, send_after = $3, last_error = $2 where id = $1', [
    id,
    error.slice(0, 500),
    retryAt,
  ])
}

/** The last allowed attempt failed: the email is not tried again. */
export async function markGivenUp(db: Queryable, id: number, error: string, at: Date): Promise<void> {
  await db.query('update email_outbox set claimed_until = null, gave_up_at = $3, last_error = $2 where id = $1', [
    id,
    error.slice(0, 500),
    at,
  ])
}

export interface DigestPart {
  id: number
  personId: number
  to: string
  subject: string
  body: string
  /** It asked its reader to act on a dispute, and nothing on that record waits for them now. */
  nothingWaits: boolean
}

/** That a held email asked its reader to act on a record where nothing waits for them now. */
const nothingWaitsSql = `o.asks_on_dispute is not null and not exists (
    select 1 from work_items w
     where w.person_id = o.person_id and w.dispute_id = o.asks_on_dispute
       and w.done_at is null and w.acknowledged_at is null)`

/**
 * The emails held for the digests of people who still want one, locked until the caller's transaction
 * ends: someone switching back to single emails at that moment (releaseHeldEmails) either waits for the
 * digest or takes their emails out of it first, so no part is both folded into a digest and sent alone.
 * Locked in id order, as every release locks them, so the two never wait on each other in a circle.
 */
export async function pendingDigestParts(db: Queryable): Promise<DigestPart[]> {
  const rows = await db.query<{
    id: number
    person_id: number
    to_address: string
    subject: string
    body: string
    nothing_waits: boolean
  }>(
    `select o.id, o.person_id, o.to_address, o.subject, o.body, ${nothingWaitsSql} as nothing_waits
       from email_outbox o join people p on p.id = o.person_id
      where o.sent_at is null and o.digest = true and p.notification_preference = 'daily_digest'
      order by o.id
      for update of o`,
  )
  return rows.rows.map(r => ({
    id: r.id,
    personId: r.person_id,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    nothingWaits: r.nothing_waits,
  }))
}

/**
 * Sends straight away what was held for the digest of someone who now wants single emails: one person's
 * as they switch, or (no person given) everyone's, for an email queued as they switched, which saw their
 * old choice. An email whose work has been done since is sent with `doneNote` as its first paragraph,
 * as a digest would say it.
 */
export async function releaseHeldEmails(tx: Queryable, doneNote: string, personId?: number): Promise<number> {
  const result = await tx.query(
    `update email_outbox o
        set digest = false, body = case when ${nothingWaitsSql} then $1 || chr(10) || chr(10) || o.body else o.body end
      where o.id in (
        select h.id from email_outbox h join people p on p.id = h.person_id
         where h.digest = true and h.sent_at is null and p.notification_preference = 'immediate'
           ${personId === undefined ? '' : 'and h.person_id = $2'}
         order by h.id for update of h)`,
    personId === undefined ? [doneNote] : [doneNote, personId],
  )
  return result.rowCount
}

/** Folds digest parts into one new email, in one transaction, so no part is sent twice or lost. */
export async function foldIntoDigest(tx: Queryable, partIds: number[], digest: OutgoingEmail, at: Date): Promise<void> {
  const inserted = (
    await tx.query<{ id: number }>(
      `insert into email_outbox (dedupe_key, person_id, to_address, subject, body, digest, created_at, send_after)
       values ($1, $2, $3, $4, $5, false, $6, $6) on conflict (dedupe_key) do nothing returning id`,
      [digest.dedupeKey, digest.personId, digest.to, digest.subject, digest.body, at],
    )
  ).rows[0]
  if (!inserted) return
  await tx.query(
    'update email_outbox set sent_at = $2, digested_into = $3 where id = any($1::bigint[]) and sent_at is null',
    [partIds, at, inserted.id],
  )
}

export interface OutboxRow {
  id: number
  to: string
  subject: string
  body: string
  createdAt: Date
  sentAt: Date | null
  attempts: number
  lastError: string | null
  digest: boolean
  gaveUpAt: Date | null
  /** The daily digest this email was folded into: it was not sent on its own. */
  digestedInto: number | null
}

export async function recentOutbox(db: Queryable, limit: number, offset = 0): Promise<OutboxRow[]> {
  const rows = await db.query<{
    id: number
    to_address: string
    subject: string
    body: string
    created_at: Date
    sent_at: Date | null
    attempts: number
    last_error: string | null
    digest: boolean
    gave_up_at: Date | null
    digested_into: number | null
  }>(
    `select id, to_address, subject, body, created_at, sent_at, attempts, last_error, digest, gave_up_at,
            digested_into
       from email_outbox order by id desc limit $1 offset $2`,
    [limit, offset],
  )
  return rows.rows.map(r => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    attempts: r.attempts,
    lastError: r.last_error,
    digest: r.digest,
    gaveUpAt: r.gave_up_at,
    digestedInto: r.digested_into,
  }))
}

/** How many emails the outbox holds, for paging through it. */
export async function countOutbox(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from email_outbox')).rows[0]!.n
}

/**
 * Runs a scheduled job once per key across every instance: the first to insert the key runs it.
 * A run that started before `staleBefore` and never finished (its instance died) may be taken over.
 */
export async function claimJobRun(
  db: Queryable,
  job: string,
  runKey: string,
  at: Date,
  staleBefore: Date,
): Promise<boolean> {
  const result = await db.query(
    `insert into job_runs (job, run_key, started_at) values ($1, $2, $3)
     on conflict (job, run_key) do update set started_at = excluded.started_at
       where job_runs.finished_at is null and job_runs.started_at < $4`,
    [job, runKey, at, staleBefore],
  )
  return result.rowCount === 1
}

export async function finishJobRun(db: Queryable, job: string, runKey: string, at: Date): Promise<void> {
  await db.query('update job_runs set finished_at = $3 where job = $1 and run_key = $2', [job, runKey, at])
}
