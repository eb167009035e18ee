import type { NextFunction, Request, Response } from 'express'
import { Router } from 'express'
import { csrfSync } from 'csrf-sync'

/** Synchroniser tokens: every form carries `_csrf`, checked against the one in the session. */
export function setUpCsrf(): Router {
  const router = Router()
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: req => (req.body as Record<string, string> | undefined)?._csrf ?? req.get('x-csrf-token'),
  })
  router.use(csrfSynchronisedProtection)
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = generateToken(req)
    next()
  })
  return router
}
