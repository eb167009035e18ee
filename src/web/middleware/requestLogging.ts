import { performance } from 'node:perf_hooks'
import type { NextFunction, Request, Response } from 'express'
import type { Logger } from '../../logger.js'

let lastRequestId = 0

/**
 * One log line per request: its id, method, path without the query string (searches hold children's
 * names), status and time taken; a 5xx at error level, a request the client gave up on as aborted.
 * Nothing else about the request is read. Our own few lines rather than pino-http, whose per-request
 * child logger and listeners cost 10-20 % of an API answer's CPU (ADR 0027); when the log is silent
 * (the benchmark) a request pays nothing.
 */
export function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!logger.isLevelEnabled('error')) return next()
    const started = performance.now()
    const id = ++lastRequestId
    res.once('close', () => {
      const failed = res.statusCode >= 500
      const entry = {
        req: { id, method: req.method, path: req.originalUrl.split('?')[0] },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      }
      if (!res.writableFinished) logger.warn(entry, 'request aborted')
      else if (failed) logger.error(entry, 'request errored')
      else logger.info(entry, 'request completed')
    })
    next()
  }
}
