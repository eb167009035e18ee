import { Router } from 'express'
import type { Services } from '../../services/index.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import { parseSignInForm } from '../forms/signInForm.js'
import { signInRateLimit } from '../middleware/signInRateLimit.js'
import { paths } from '../paths.js'
import { signInAs } from '../returnPath.js'
import { errorView } from '../presenters/errors.js'

export function authRoutes(services: Services): Router {
  const router = Router()
  // Per instance, on top of the per-account lock held in the database.
  const signInLimiter = signInRateLimit(services.config.signInRateLimit, res =>
    res.status(429).render('pages/signIn', {
      errors: errorView([{ field: 'email', message: 'Too many sign-in attempts. Wait 15 minutes and try again' }]),
    }),
  )

  router.get(paths.signIn(), (req, res) => {
    if (req.user) return res.redirect(303, paths.home())
    const signedOutNotice = req.session.signedOutNotice
    delete req.session.signedOutNotice
    res.render('pages/signIn', { signedOutNotice })
  })

  router.post(paths.signIn(), signInLimiter, async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const parsed = parseSignInForm(body)
    const email = typeof body.email === 'string' ? body.email : ''
    if (!parsed.ok) return res.status(400).render('pages/signIn', { errors: errorView(parsed.errors), email })
    const result = await services.auth.signIn(parsed.value.email, parsed.value.password)
    if (!result.ok) {
      // A locked account is answered as a wrong password is, so that no answer reveals that an address has an account.
      const message = errorMessages.signIn.credentials.refused(services.config.lockMinutes)
      return res.status(401).render('pages/signIn', { errors: errorView([{ field: 'email', message }]), email })
    }
    signInAs(req, res, next, services.clock.now(), result)
  })

  router.post(paths.signOut(), (req, res, next) => {
    req.session.destroy(err => {
      if (err) return next(err)
      res.clearCookie('concord.sid')
      res.redirect(303, paths.signIn())
    })
  })

  return router
}
