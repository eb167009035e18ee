import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { SettableClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import type { Database } from '../src/db/database.js'
import { shippedPolicies } from '../src/domain/policies/policyCatalogue.js'
import { services as buildServices } from '../src/services/index.js'
import type { Mailer } from '../src/services/mailer.js'
import { type Running, start } from '../src/server.js'
import { BENCH_PASSWORD } from './generate.js'

const silentMailer: Mailer = { kind: 'file', send: async () => undefined }

/** Concord as shipped, on a benchmark database: no demo data, no schedule, no sign-in limit, no email sent. */
export function startBenchApp(databaseUrl: string, clock: SettableClock): Promise<Running> {
  return start(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      CONCORD_DEMO: 'false',
      CONCORD_SCHEDULER_SECONDS: '0',
      CONCORD_SIGN_IN_RATE_LIMIT: '100000',
      CONCORD_MAIL_DIR: path.join(os.tmpdir(), 'concord-bench-outbox'),
    }),
    { clock, mailer: silentMailer },
  )
}

function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map(c => c.split(';')[0]!)
    .join('; ')
}

/** Signs a benchmark user in through the sign-in page, as a browser would; returns the session cookie. */
export async function signIn(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/sign-in`, { redirect: 'manual' })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (!csrf) throw new Error('no CSRF token on /sign-in')
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieFrom(page.headers), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password: BENCH_PASSWORD }).toString(),
  })
  await res.arrayBuffer()
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`)
  return cookieFrom(res.headers)
}

/**
 * Concord's services over a reports benchmark database with the clock on `today`, a director of
 * safeguarding and care (who sees every figure and every child), and the first day a dispute was raised.
 */
export async function directorReports(db: Database, today: string) {
  const services = buildServices(
    db,
    new SettableClock(new Date(`${today}T12:00:00Z`)),
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', CONCORD_DEMO: 'false' }),
    { hash: async () => '', verify: async () => false },
    shippedPolicies(),
  )
  const director = (
    await db.query<{ id: number }>(
      `select manager_id as id from org_units where kind = 'safeguarding' and manager_id is not null order by id limit 1`,
    )
  ).rows[0]!.id
  const user = (await services.access.currentUser(director))!
  const earliest = (await db.query<{ d: string }>('select min(raised_on) as d from disputes')).rows[0]!.d
  return { services, user, earliest }
}

/** Another Concord instance on the same database, in a child process; its URL, and how to stop it. */
export function startInstance(databaseUrl: string): Promise<{ url: string; pid: number; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'instance.ts'), [databaseUrl], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.once('message', (message: { url: string }) =>
      resolve({ url: message.url, pid: child.pid!, stop: () => child.disconnect() }),
    )
    child.once('error', reject)
    child.once('exit', code => reject(new Error(`instance exited with ${code}`)))
  })
}
