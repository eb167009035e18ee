import { Router } from 'express'
import type { Services } from '../services/index.js'
import { sendDisputePdf } from '../web/routes/disputePdfRoutes.js'

/** The record's PDFs over the API (bearer token): the same documents, access rule and audit as the web. */
export function disputePdfApiRoutes(services: Services): Router {
  const router = Router()
  router.get('/disputes/:id/record.pdf', (req, res) => sendDisputePdf(services, req, res, 'record'))
  router.get('/disputes/:id/cafcass-letter.pdf', (req, res) => sendDisputePdf(services, req, res, 'cafcass_letter'))
  return router
}
