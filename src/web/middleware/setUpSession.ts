import session from 'express-session'
import type { Services } from '../../services/index.js'
import { DatabaseSessionStore } from './databaseSessionStore.js'

export function setUpSession(services: Services, secret: string) {
  return session({
    name: 'concord.sid',
    secret,
    store: new DatabaseSessionStore(services.db, services.clock),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: services.config.secureCookies, maxAge: 8 * 60 * 60 * 1000 },
  })
}
