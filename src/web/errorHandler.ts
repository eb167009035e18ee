import type { NextFunction, Request, Response } from 'express'
import type { Logger } from '../logger.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../services/errors.js'
import { paths } from './paths.js'

/** Refused and missing both look like "not found" where a child is concerned: no leak of existence. */
export function errorHandler(logger: Logger, production: boolean) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    if (error instanceof NotFoundError) return res.status(404).render('pages/notFound')
    // The service's own reason, when it gave one ("Only an administrator can import records"); else a general one.
    if (error instanceof ForbiddenError)
      return res
        .status(403)
        .render('pages/forbidden', { reason: error.message === 'forbidden' ? undefined : error.message })
    if (error instanceof ConflictError) return res.status(409).render('pages/error', { message: error.message })
    const status = (error as { status?: number }).status ?? 500
    const code = (error as { code?: string }).code
    if (code === 'EBADCSRFTOKEN' || (status === 403 && /csrf/i.test(String((error as Error).message)))) {
      // A form sent by a session that has just ended (12 hours after sign-in): to sign in, which says why.
      if (req.session?.signedOutNotice) return res.redirect(303, paths.signIn())
      return res
        .status(403)
        .render('pages/error', { message: 'Your form expired. Go back, reload the page and try again.' })
    }
    if (status === 413) return res.status(413).render('pages/error', { message: 'What you sent is too large.' })
    if (status >= 400 && status < 500)
      return res.status(status).render('pages/error', { message: 'There is a problem with that request.' })
    logger.error(
      { err: production ? { message: (error as Error).message } : error, route: req.route?.path, method: req.method },
      'request failed',
    )
    res.status(500).render('pages/error', {
      message: 'Sorry, there is a problem with the service. Try again later.',
      stack: production ? undefined : (error as Error).stack,
    })
  }
}
