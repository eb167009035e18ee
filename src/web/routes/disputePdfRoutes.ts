import { type NextFunction, type Request, type Response, Router } from 'express'
import type { DisputeDocument } from '../../services/disputeDocumentService.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { renderPdf } from '../pdf/pdfWriter.js'
import { cafcassLetterDocument, recordDocument } from '../presenters/disputePdfPresenter.js'
import { personIdsOf } from '../presenters/disputePresenter.js'
import { fullName } from '../../text/format.js'
import { paths } from '../paths.js'
import { idParam } from './formHandling.js'

const fileNames: Record<DisputeDocument, (reference: string) => string> = {
  record: reference => `dispute-record-${reference}.pdf`,
  cafcass_letter: reference => `cafcass-referral-${reference}.pdf`,
}

/**
 * Produces one of a record's PDFs for the signed-in person (web) or the token's owner (API): the same
 * access rule as the record page (404 outside their scope), audited, produced by pdfkit on the server.
 */
export async function sendDisputePdf(services: Services, req: Request, res: Response, document: DisputeDocument) {
  const id = idParam(req.params.id as string)
  if (id === undefined) throw new NotFoundError()
  const user = req.user!
  const view = await services.disputeDocuments.produce(user, id, document, {
    path: req.originalUrl.split('?')[0]!,
    ip: req.ip ?? null,
  })
  const people = await services.organisation.peopleByIds(personIdsOf(view))
  const names = new Map(people.map(p => [p.id, fullName(p)]))
  const production = {
    by: user.person,
    at: services.clock.now(),
    authorityName: services.config.authorityName,
    titles: services.config.roleTitles,
  }
  const model =
    document === 'record' ? recordDocument(view, names, production) : cafcassLetterDocument(view, names, production)
  const pdf = await renderPdf(model)
  res
    .status(200)
    .type('application/pdf')
    .set('Content-Disposition', `attachment; filename="${fileNames[document](view.record.reference)}"`)
    .send(pdf)
}

/**
 * A download goes on the record's history as taken out of the system by whoever signed in, and the
 * session cookie travels with a link followed from another site (SameSite=Lax). So a download asked
 * for from another site (the browser's Sec-Fetch-Site) opens the record instead, where the person
 * downloads it themselves if they mean to. A browser that does not say is let through.
 */
function fromAnotherSite(req: Request, res: Response, next: NextFunction) {
  const site = req.get('sec-fetch-site')
  if (site !== 'cross-site' && site !== 'same-site') return next()
  const id = idParam(req.params.id as string)
  if (id === undefined) throw new NotFoundError()
  res.redirect(303, paths.disputes.show(id))
}

export function disputePdfRoutes(services: Services): Router {
  const router = Router()
  router.get('/disputes/:id/record.pdf', fromAnotherSite, (req, res) => sendDisputePdf(services, req, res, 'record'))
  router.get('/disputes/:id/cafcass-letter.pdf', fromAnotherSite, (req, res) =>
    sendDisputePdf(services, req, res, 'cafcass_letter'),
  )
  return router
}
