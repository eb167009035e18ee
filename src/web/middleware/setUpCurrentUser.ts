import type { NextFunction, Request, Response } from 'express'
import type { Services } from '../../services/index.js'
import { paths } from '../paths.js'
import { returnPath } from '../returnPath.js'

/** Loads the signed-in person afresh on every request, so role changes and deactivation apply at once. */
export function setUpCurrentUser(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const personId = req.session.personId
    if (personId !== undefined) {
      const user = await services.access.currentUser(personId)
      if (user) {
        req.user = user
        res.locals.user = user
      } else {
        delete req.session.personId
      }
    }
    next()
  }
}

export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next()
  // A page asked for (from an email's link, say) is shown once they have signed in.
  const asked = req.method === 'GET' ? returnPath(req.originalUrl) : undefined
  if (asked) req.session.returnTo = asked
  res.redirect(303, paths.signIn())
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (req.user?.roles.includes('admin')) return next()
  res.status(403).render('pages/forbidden', { reason: 'Only an administrator can do this' })
}
