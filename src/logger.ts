import pino from 'pino'

/**
 * Structured logs with no personal data: requests are logged by method, route path and status
 * only (no query strings, bodies, cookies or names), and known sensitive keys are redacted.
 */
export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'password',
          '*.password',
          'email',
          '*.email',
          'token',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  )
}

export type Logger = ReturnType<typeof createLogger>
