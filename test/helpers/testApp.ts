import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import request from 'supertest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { openPostgres } from '../../src/db/database.js'
import { type Running, start } from '../../src/server.js'
import { storeToken } from '../../src/services/authService.js'
import type { PasswordHasher } from '../../src/services/passwords.js'
import {
  fastHasher,
  FIXTURE_PASSWORD,
  type Fixture,
  type FixturePerson,
  loadFixture,
} from '../factories/organisationFixture.js'
import { type DatabaseKind, freshDatabase } from './databases.js'
import { RecordingMailer } from './mail.js'

export interface TestApp {
  running: Running
  url: string
  fixture: Fixture
  clock: SettableClock
  mailer: RecordingMailer
  /** The PostgreSQL database's URL (undefined on PGlite), for a second instance on the same data. */
  databaseUrl?: string
  dispose(): Promise<void>
}

export const TEST_NOW = new Date('2023-01-05T09:00:00Z')

/** The real app on a fresh database with the fixture authority, listening on a free port. */
export async function startTestApp(
  kind: DatabaseKind = 'pglite',
  env: NodeJS.ProcessEnv = {},
  passwords: PasswordHasher = fastHasher,
): Promise<TestApp> {
  const database = await freshDatabase(kind)
  const fixture = await loadFixture(database.db)
  const clock = new SettableClock(TEST_NOW)
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    CONCORD_DEMO: 'false',
    LOG_LEVEL: 'silent',
    CONCORD_SIGN_IN_RATE_LIMIT: '10000',
    ...env,
  })
  const mailer = new RecordingMailer()
  const running = await start(config, { db: database.db, clock, passwords, mailer })
  return {
    running,
    url: running.url,
    fixture,
    clock,
    mailer,
    databaseUrl: database.url,
    async dispose() {
      await running.stop()
      if (kind === 'postgres') await database.dispose()
    },
  }
}

/**
 * Another full Concord process on the same PostgreSQL database as `app` (its own connection pool,
 * session store, scheduler and mailer; the same clock, as servers keep time together). Dispose it
 * before `app`, which drops the database.
 */
export async function startAnotherInstance(app: TestApp, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  if (!app.databaseUrl) throw new Error('a second instance needs PostgreSQL')
  const db = await openPostgres(app.databaseUrl, 5)
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    CONCORD_DEMO: 'false',
    LOG_LEVEL: 'silent',
    CONCORD_SIGN_IN_RATE_LIMIT: '10000',
    ...env,
  })
  const mailer = new RecordingMailer()
  const running = await start(config, { db, clock: app.clock, passwords: fastHasher, mailer })
  return {
    running,
    url: running.url,
    fixture: app.fixture,
    clock: app.clock,
    mailer,
    databaseUrl: app.databaseUrl,
    dispose: () => running.stop(),
  }
}

/** A port free now, for a test that must know its app's URL before the app starts. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/** The hidden CSRF token from a page's form. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]!
}

export function emailOf(who: FixturePerson): string {
  return `${who}@test.example`
}

/** A cookie-keeping client signed in as a fixture person. */
export async function signedInAgent(app: TestApp, who: FixturePerson) {
  const agent = request.agent(app.url)
  const page = await agent.get('/sign-in')
  const res = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: emailOf(who), password: FIXTURE_PASSWORD })
  if (res.status !== 303) throw new Error(`sign-in as ${who} failed with ${res.status}`)
  return agent
}

/** Issues a personal API token for a fixture person and returns it. */
export async function apiTokenFor(app: TestApp, who: FixturePerson): Promise<string> {
  const token = `test_token_${who}_${Math.random().toString(36).slice(2)}`
  await storeToken(app.running.services.db, app.clock, app.fixture.people[who], 'test', token, app.fixture.people.admin)
  return token
}
