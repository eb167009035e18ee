import request from 'supertest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { type Running, start } from '../../src/server.js'
import { storeToken } from '../../src/services/authService.js'
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
  dispose(): Promise<void>
}

export const TEST_NOW = new Date('2023-01-05T09:00:00Z')

/** The real app on a fresh database with the fixture authority, listening on a free port. */
export async function startTestApp(kind: DatabaseKind = 'pglite', env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
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
  const running = await start(config, { db: database.db, clock, passwords: fastHasher, mailer })
  return {
    running,
    url: running.url,
    fixture,
    clock,
    mailer,
    async dispose() {
      await running.stop()
      if (kind === 'postgres') await database.dispose()
    },
  }
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
