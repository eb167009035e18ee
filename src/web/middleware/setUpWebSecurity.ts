import { randomBytes } from 'node:crypto'
import { type NextFunction, type Request, type Response, Router } from 'express'
import helmet, { type HelmetOptions } from 'helmet'

/** The API path prefix: JSON answers, never a page, so they need no script nonce. */
const API_PREFIX = '/api/'

/**
 * Security headers: for pages a CSP with a per-request nonce (no inline script without it); for the
 * JSON API a CSP that allows nothing at all, fixed, so an API call pays for no nonce. Both deny
 * framing and send HSTS behind TLS.
 */
export function setUpWebSecurity(options: { secure: boolean; formActionOrigins?: string[] }): Router {
  const common: HelmetOptions = {
    frameguard: { action: 'deny' },
    strictTransportSecurity: options.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: true,
    referrerPolicy: { policy: 'same-origin' },
  }
  const pages = helmet({
    ...common,
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
  })
  const api = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  })
  const router = Router()
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(API_PREFIX)) return api(req, res, next)
    res.locals.cspNonce = randomBytes(16).toString('base64')
    return pages(req, res, next)
  })
  return router
}
