import { createHash } from 'node:crypto'
import type { Queryable } from '../../db/database.js'
import { enqueueEmails, type OutgoingEmail } from '../../db/repositories/outboxRepository.js'
import { contactsFor } from '../../db/repositories/personRepository.js'
import type { EmailText } from './emailText.js'

/** One message for some people; the key prefix plus the person makes each email once only. */
export interface EmailToQueue {
  personIds: readonly number[]
  keyPrefix: string
  text: EmailText
  /** The dispute the message asks its readers to act on, if it asks anything. */
  asksOnDispute?: number
}

/**
 * Queues one email for each active person, in the caller's transaction, held for their daily digest
 * if they chose one.
 */
export async function queueEmails(
  tx: Queryable,
  personIds: readonly number[],
  keyPrefix: string,
  text: EmailText,
  at: Date,
  asksOnDispute?: number,
): Promise<number> {
  return queueEmailBatch(tx, [{ personIds, keyPrefix, text, asksOnDispute }], at)
}

/** The same for many messages at once: two statements however many there are (the sweeps send thousands). */
export async function queueEmailBatch(tx: Queryable, batch: readonly EmailToQueue[], at: Date): Promise<number> {
  const contacts = await contactsFor(
    tx,
    batch.flatMap(m => m.personIds),
  )
  const emails: OutgoingEmail[] = batch.flatMap(m =>
    [...new Set(m.personIds)].flatMap(id => {
      const c = contacts.get(id)
      if (!c || !c.active) return []
      return [
        {
          dedupeKey: `${m.keyPrefix}:${id}`,
          personId: id,
          to: c.email,
          subject: m.text.subject,
          body: m.text.body,
          digest: c.preference === 'daily_digest',
          asksOnDispute: m.asksOnDispute,
        },
      ]
    }),
  )
  return enqueueEmails(tx, emails, at)
}

/**
 * The outbox key of an email that lists several things: a hash of them all (each with the date it
 * is about). What marks each thing chased makes it go once; this key only stops the very same list
 * being queued twice, and no two different lists share one.
 */
export function listKey(kind: string, listed: readonly string[]): string {
  return `${kind}:${createHash('sha256')
    .update([...listed].sort().join(','))
    .digest('base64url')
    .slice(0, 22)}`
}
