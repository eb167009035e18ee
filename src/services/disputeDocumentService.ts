import type { Clock } from '../clock.js'
import type { Database } from '../db/database.js'
import { findVisibleDispute } from '../db/repositories/disputeRepository.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import type { CurrentUser } from './accessService.js'
import type { DisputeService } from './disputeService.js'
import { NotFoundError } from './errors.js'

/** The documents a dispute record can leave the system as. */
export type DisputeDocument = 'record' | 'cafcass_letter'

/** How each download is named in the child's access audit ("who viewed"). */
export const documentAuditActions: Record<DisputeDocument, string> = {
  record: 'pdf',
  cafcass_letter: 'cafcass-letter',
}

/**
 * Hands out a record for a document (the PDF of the record, the CAFCASS referral letter) to the people who
 * may see its child, and audits each download twice: in the child's access audit, and as an event on the
 * record's history, so the record itself shows who took a copy out of the system and when.
 */
export function disputeDocumentService(db: Database, clock: Clock, disputes: DisputeService) {
  return {
    async produce(
      user: CurrentUser,
      id: number,
      document: DisputeDocument,
      access: { path: string; ip: string | null },
    ) {
      // 404 for a record outside the viewer's scope, as the record page; and for a letter never written.
      const record = await findVisibleDispute(db, user.scope, id)
      if (!record) throw new NotFoundError()
      if (document === 'cafcass_letter' && !record.state.cafcass) throw new NotFoundError()
      const view = await disputes.view(user, id, { ...access, action: documentAuditActions[document] })
      await appendEvent(db, {
        at: clock.now(),
        actorId: user.person.id,
        entityType: 'dispute',
        entityId: id,
        childId: record.childId,
        kind: 'dispute.pdf_downloaded',
        data: { document },
      })
      return view
    },
  }
}

export type DisputeDocumentService = ReturnType<typeof disputeDocumentService>
