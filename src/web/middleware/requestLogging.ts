import { pinoHttp } from 'pino-http'
import type { Logger } from '../../logger.js'

/**
 * One log line per request: its id, method, path without the query string (searches hold children's
 * names) and status. Nothing else about the request is read: pino's standard serialisers, which would
 * first copy every header of every request, are not wrapped around ours.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    wrapSerializers: false,
    serializers: {
      req: (req: { method: string; url: string; id: unknown }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  })
}
