import type { NextFunction, Request, Response } from 'express'
import type { SessionData } from 'express-session'
import type { CurrentUser } from '../../services/accessService.js'
import type { Services } from '../../services/index.js'
import { paths } from '../paths.js'
import { returnPath } from '../returnPath.js'

/**
 * Ends a session CONCORD_SESSION_MAX_HOURS after sign-in, however busy it has been, so a session
 * taken from someone cannot be kept alive for ever. Runs before the form-token check, which then
 * works on the new, signed-out session.
 */
export function endLongSessions(services: Services) {
  const hours = services.config.sessionMaxHours
  const maxMs = hours * 60 * 60 * 1000
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.session.personId === undefined) return next()
    const now = services.clock.now().getTime()
    // Sessions from before this limit have no time: they count from now.
    req.session.signedInAt ??= now
    if (now - req.session.signedInAt < maxMs) return next()
    req.session.regenerate(err => {
      if (err) return next(err)
      req.session.signedOutNotice = `For your security, you were signed out ${hours} hours after you signed in. Sign in again to carry on.`
      next()
    })
  }
}

/**
 * The person a browser session is signed in as: undefined when it is not signed in, the person is
 * inactive, or they were signed out everywhere after this session signed in (a later generation).
 */
export async function sessionUser(services: Services, session: Partial<SessionData>): Promise<CurrentUser | undefined> {
  if (session.personId === undefined) return undefined
  const user = await services.access.currentUser(session.personId)
  return user && user.sessionGeneration === (session.sessionGeneration ?? 0) ? user : undefined
}

/** Loads the signed-in person on every request (from the access cache, which forgets on any change), so role changes and deactivation apply at once. */
export function setUpCurrentUser(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.session.personId !== undefined) {
      const user = await sessionUser(services, req.session)
      if (user) {
        req.user = user
        res.locals.user = user
      } else {
        delete req.session.personId
        delete req.session.sessionGeneration
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
