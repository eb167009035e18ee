import type { Server } from 'node:http'
import { type Clock, fixedClock, systemClock } from './clock.js'
import type { Config } from './config.js'
import { type Database, openDatabase } from './db/database.js'
import { migrate } from './db/migrate.js'
import { shippedPolicies } from './domain/policies/policyCatalogue.js'
import { generatedSecret } from './db/repositories/generatedSecretRepository.js'
import { deleteExpiredSessions } from './db/repositories/sessionRepository.js'
import { createLogger, type Logger } from './logger.js'
import { services as buildServices, type Services } from './services/index.js'
import { argon2Hasher, type PasswordHasher } from './services/passwords.js'
import type { Mailer } from './services/mailer.js'
import { createApp } from './web/app.js'

export interface Running {
  server: Server
  url: string
  services: Services
  logger: Logger
  stop(): Promise<void>
}

export interface StartOptions {
  db?: Database
  clock?: Clock
  passwords?: PasswordHasher
  mailer?: Mailer
  /** Runs after migrations and before the server listens (the demo loads its authority here). */
  beforeListen?: (services: Services) => Promise<void>
}

/** The composition root: database -> services -> web app -> HTTP server. Used by main and by tests. */
export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  const logger = createLogger(config.logLevel)
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }))
  await migrate(db)
  const clock = options.clock ?? (config.clock ? fixedClock(config.clock) : systemClock)
  // Policies are loaded and validated at start: a bad policy file stops the service here, not mid-dispute.
  const services = buildServices(db, clock, config, options.passwords ?? argon2Hasher, shippedPolicies(), {
    mailer: options.mailer,
    logger,
  })
  await options.beforeListen?.(services)
  // Who each session or token belongs to is remembered while this instance hears of every change.
  const stopFollowingAccess = await services.access.followChanges(logger)
  const sessionSecret = config.sessionSecret ?? (await generatedSecret(db, 'session', clock.now()))
  const app = createApp(services, logger, sessionSecret)
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, '0.0.0.0', () => resolve(s))
    s.on('error', reject)
  }).catch(async (error: unknown) => {
    // The port is taken, say: let go of the listening connection, or it keeps the process alive.
    await stopFollowingAccess()
    throw error
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  // Expired sessions are swept now and then; any instance may do it, the delete is idempotent.
  const sweep = setInterval(() => {
    deleteExpiredSessions(db, clock.now()).catch(error =>
      logger.warn({ err: (error as Error).message }, 'session sweep failed'),
    )
  }, 15 * 60_000)
  sweep.unref()
  // Reminders, overdue alerts, digests and the outbox run inside the service; every instance may run
  // them, and the database (unique keys, SKIP LOCKED claims) makes sure each email goes once.
  let ticking = false
  const scheduler =
    config.schedulerSeconds > 0
      ? setInterval(() => {
          if (ticking) return
          ticking = true
          services.notifications
            .tick()
            .catch(error => logger.warn({ err: (error as Error).message }, 'scheduled work failed; will try again'))
            .finally(() => (ticking = false))
        }, config.schedulerSeconds * 1000)
      : undefined
  scheduler?.unref()
  let stopped = false
  return {
    server,
    url: `http://localhost:${port}`,
    services,
    logger,
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(sweep)
      if (scheduler) clearInterval(scheduler)
      while (ticking) await new Promise(resolve => setTimeout(resolve, 20))
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      await stopFollowingAccess()
      // An open PGlite keeps the process alive: always close the database.
      await db.close()
    },
  }
}
