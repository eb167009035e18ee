import { type NextFunction, type Request, type Response, Router } from 'express'
import { OIDC_CALLBACK_PATH } from '../../config.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { Services } from '../../services/index.js'
import { ProviderUnavailableError } from '../../services/oidcService.js'
import { signInRateLimit } from '../middleware/signInRateLimit.js'
import { paths } from '../paths.js'
import { signInAs } from '../returnPath.js'
import { errorView } from '../presenters/errors.js'

/**
 * Sign-in through the authority's OpenID Connect provider, and the switch that turns local
 * (email and password) accounts off. Registered before the local sign-in routes, so it can
 * refuse local credentials and end a provider session on sign-out.
 */
export function oidcRoutes(services: Services): Router {
  const router = Router()
  const { oidc, config } = services
  const startPath = '/sign-in/provider'

  // What the sign-in page offers: the provider button, the email and password form, or both.
  router.use(paths.signIn(), (_req: Request, res: Response, next: NextFunction) => {
    res.locals.signInOptions = {
      providerName: oidc?.providerName,
      providerPath: startPath,
      localAccounts: config.localAccounts,
    }
    next()
  })

  if (!config.localAccounts) {
    router.post(paths.signIn(), (_req, res) => {
      res.status(403).render('pages/signIn', {
        errors: errorView([{ field: 'provider', message: errorMessages.signIn.provider.localSwitchedOff }]),
      })
    })
  }

  if (!oidc) return router

  // As for passwords: each attempt makes a session row and, on return, a call to the provider.
  const limiter = signInRateLimit(config.signInRateLimit, res =>
    res.status(429).render('pages/error', { message: 'Too many sign-in attempts. Wait 15 minutes and try again.' }),
  )

  router.get(startPath, limiter, async (req, res, next) => {
    if (req.user) return res.redirect(303, paths.home())
    try {
      const { url, pending } = await oidc.begin()
      req.session.oidcPending = pending
      req.session.save(err => (err ? next(err) : res.redirect(303, url)))
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) return next(error)
      res.status(503).render('pages/signInProblem', { problem: 'unavailable', providerName: oidc.providerName })
    }
  })

  router.get(OIDC_CALLBACK_PATH, limiter, async (req, res, next) => {
    const pending = req.session.oidcPending
    // Each state, nonce and verifier is good for one return from the provider only.
    delete req.session.oidcPending
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : ''
    let result
    try {
      result = await oidc.complete(query, pending)
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) return next(error)
      return res.status(503).render('pages/signInProblem', { problem: 'unavailable', providerName: oidc.providerName })
    }
    if (!result.ok) {
      const status = result.reason === 'failed' ? 400 : 403
      return res.status(status).render('pages/signInProblem', {
        problem: result.reason,
        providerName: oidc.providerName,
        localAccounts: config.localAccounts,
      })
    }
    signInAs(req, res, next, services.clock.now(), result, session => {
      session.oidcSignedIn = true
      session.oidcIdToken = result.idToken
    })
  })

  // Someone who came through the provider leaves Concord and then, where it can, the provider.
  router.post(paths.signOut(), async (req, res, next) => {
    if (!req.session.oidcSignedIn) return next()
    const idToken = req.session.oidcIdToken
    const returnTo = new URL(paths.signIn(), config.oidc!.redirectUrl).href
    const providerSignOut = await oidc.endSessionUrl(idToken, returnTo)
    req.session.destroy(err => {
      if (err) return next(err)
      res.clearCookie('concord.sid')
      res.redirect(303, providerSignOut ?? paths.signIn())
    })
  })

  return router
}
