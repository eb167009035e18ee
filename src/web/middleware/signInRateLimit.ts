import type { RequestHandler, Response } from 'express'
import rateLimit from 'express-rate-limit'

/**
 * Failed sign-in attempts from one address, per instance, over 15 minutes (on top of the
 * per-account lock held in the database). Successful sign-ins do not count: an office behind one
 * address signs in all morning. `refuse` answers the attempt over the limit.
 */
export function signInRateLimit(limit: number, refuse: (res: Response) => void): RequestHandler {
  return rateLimit({
    skipSuccessfulRequests: true,
    windowMs: 15 * 60 * 1000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => refuse(res),
  })
}
