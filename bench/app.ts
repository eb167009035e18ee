import os from 'node:os'
import path from 'node:path'
import type { SettableClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
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
