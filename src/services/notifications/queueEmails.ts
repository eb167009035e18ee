import type { Queryable } from '../../db/database.js'
import { enqueueEmail } from '../../db/repositories/outboxRepository.js'
import { contactsFor } from '../../db/repositories/personRepository.js'
import type { EmailText } from './emailText.js'

/**
 * Queues one email for each active person, in the caller's transaction, held for their daily digest
 * if they chose one. The key prefix plus the person makes each email once only.
 */
export async function queueEmails(
  tx: Queryable,
  personIds: readonly number[],
  keyPrefix: string,
  text: EmailText,
  at: Date,
) {
  const contacts = await contactsFor(tx, personIds)
  for (const id of new Set(personIds)) {
    const c = contacts.get(id)
    if (!c || !c.active) continue
    await enqueueEmail(
      tx,
      {
        dedupeKey: `${keyPrefix}:${id}`,
        personId: id,
        to: c.email,
        subject: text.subject,
        body: text.body,
        digest: c.preference === 'daily_digest',
      },
      at,
    )
  }
}
