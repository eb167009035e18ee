import { Router } from 'express'
import type { Services } from '../../services/index.js'

/** For load balancers and monitoring: the service and its database, nothing personal. */
export function healthRoutes(services: Services): Router {
  const router = Router()
  router.get('/health', async (_req, res) => {
    const started = process.hrtime.bigint()
    try {
      await services.db.query('select 1')
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      res.json({
        status: 'UP',
        components: { database: { status: 'UP', kind: services.db.kind, responseMs: Math.round(ms * 10) / 10 } },
      })
    } catch {
      res.status(503).json({ status: 'DOWN', components: { database: { status: 'DOWN', kind: services.db.kind } } })
    }
  })
  return router
}
