import { randomBytes } from 'node:crypto'
import { Router } from 'express'
import helmet from 'helmet'

/** Security headers: a CSP with a per-request nonce (no inline script without it), frame denial, HSTS behind TLS. */
export function setUpWebSecurity(options: { secure: boolean; formActionOrigins?: string[] }): Router {
  const router = Router()
  router.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  router.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`,
          ],
          styleSrc: ["'self'"],
          fontSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Plus the identity provider's origin: signing out redirects the form's POST there.
          formAction: ["'self'", ...(options.formActionOrigins ?? [])],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: options.secure ? [] : null,
        },
      },
      frameguard: { action: 'deny' },
      strictTransportSecurity: options.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: true,
      referrerPolicy: { policy: 'same-origin' },
    }),
  )
  return router
}
