import { Router } from 'express'
import type { Services } from '../services/index.js'
import { exportFileName } from '../services/dataProtectionService.js'
import { idOf } from './requestParsing.js'

/** Subject access export of one child (administrators), recorded in the child's access audit. */
export function dataProtectionApiRoutes(services: Services): Router {
  const router = Router()

  router.get('/children/:id/export', async (req, res) => {
    const data = await services.dataProtection.subjectAccessExport(req.user!, idOf(req), {
      path: req.originalUrl.split('?')[0]!,
      ip: req.ip ?? null,
    })
    res.attachment(exportFileName(data.export.caseId, data.export.exportedAt)).json(data)
  })

  return router
}
