import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_PASSWORD, type FixturePerson } from '../factories/organisationFixture.js'
import { databaseKinds } from '../helpers/databases.js'
import { startTestProvider, type TestProvider } from '../helpers/oidcProvider.js'
import { csrfFrom, emailOf, freePort, startAnotherInstance, startTestApp, type TestApp } from '../helpers/testApp.js'

/**
 * One person's browser: a cookie it sends to whichever instance the load balancer picks. Both
 * instances listen on localhost, so a real browser would share the cookie between them too.
 */
class Browser {
  private cookie = ''

  private keep(res: request.Response): request.Response {
    const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find(c => c.startsWith('concord.sid='))
    if (set) this.cookie = set.split(';')[0]!
    return res
  }

  async get(on: TestApp, path: string): Promise<request.Response> {
    return this.keep(await request(on.url).get(path).set('cookie', this.cookie))
  }

  async post(on: TestApp, path: string, body: Record<string, string>): Promise<request.Response> {
    return this.keep(await request(on.url).post(path).set('cookie', this.cookie).type('form').send(body))
  }

  /** Signs in with the fixture password on `on`, as the sign-in page's form would. */
  async signIn(on: TestApp, who: FixturePerson): Promise<this> {
    const page = await this.get(on, '/sign-in')
    const res = await this.post(on, '/sign-in', {
      _csrf: csrfFrom(page.text),
      email: emailOf(who),
      password: FIXTURE_PASSWORD,
    })
    expect(res.status, `sign-in as ${who}`).toBe(303)
    return this
  }

  /** GETs a form on one instance and POSTs it (token and version as shown) to another. */
  async submit(
    from: TestApp,
    to: TestApp,
    path: string,
    body: Record<string, string>,
    version?: string,
  ): Promise<request.Response> {
    const page = await this.get(from, path)
    expect(page.status, `GET ${path} on ${from.url}`).toBe(200)
    const shown = /name="version" value="(\d+)"/.exec(page.text)?.[1]
    return this.post(to, path, {
      _csrf: csrfFrom(page.text),
      ...((version ?? shown) ? { version: (version ?? shown)! } : {}),
      ...body,
    })
  }
}

const pathOf = (url: string, base: string) => {
  const u = new URL(url, base)
  return `${u.pathname}${u.search}`
}

/** What a browser does at the test provider: its login form (any password), then back towards Concord. */
async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const origin = new URL(authorizationUrl).origin
  const browser = request.agent(origin)
  const toForm = await browser.get(pathOf(authorizationUrl, origin))
  expect(toForm.status).toBe(303)
  const form = await browser.get(pathOf(toForm.headers.location!, origin))
  const action = /<form[^>]*action="([^"]+)"/.exec(form.text)![1]!
  const submitted = await browser
    .post(pathOf(action, origin))
    .type('form')
    .send({ prompt: 'login', login, password: 'any' })
  expect(submitted.status).toBe(303)
  const resumed = await browser.get(pathOf(submitted.headers.location!, origin))
  expect(resumed.status).toBe(303)
  return resumed.headers.location!
}

const details = {
  categoryKey: 'drift_delay',
  concern: 'The pathway plan has not been updated since March.',
  impact: 'The child does not know where they will live.',
  wishesAndFeelings: 'Wants to stay near school.',
  recommendedResolution: 'Update the plan and share it with the child.',
  resolutionTimescale: 'Within 10 working days',
  'becameAwareOn-day': '4',
  'becameAwareOn-month': '1',
  'becameAwareOn-year': '2023',
  policyId: 'gloucestershire-2022',
  startStageKey: 'formal1',
}

describe.runIf(databaseKinds().includes('postgres'))('two Concord instances on one PostgreSQL database', () => {
  let a: TestApp
  let b: TestApp
  let provider: TestProvider

  beforeAll(async () => {
    // The provider returns people to B (as a load balancer might); sign-in starts on A.
    const portOfB = await freePort()
    const callback = `http://localhost:${portOfB}/sign-in/callback`
    provider = await startTestProvider({ redirectUri: callback, postLogoutRedirectUri: 'http://localhost/sign-in' })
    const env = {
      CONCORD_OIDC_ISSUER: provider.issuer,
      CONCORD_OIDC_CLIENT_ID: provider.clientId,
      CONCORD_OIDC_CLIENT_SECRET: provider.clientSecret,
      CONCORD_OIDC_REDIRECT_URL: callback,
    }
    a = await startTestApp('postgres', env)
    b = await startAnotherInstance(a, { ...env, PORT: String(portOfB) })
  })
  afterAll(async () => {
    await b?.dispose()
    await a?.dispose()
    await provider?.close()
  })

  it('are two processes with their own pools on the same data', () => {
    expect(a.url).not.toBe(b.url)
    expect(a.running.services.db).not.toBe(b.running.services.db)
    expect(a.running.services.db.kind).toBe('postgres')
  })

  it('share a session: signed in on one, carried on at the other, signed out everywhere at once', async () => {
    const iro = await new Browser().signIn(a, 'iro1')
    const onB = await iro.get(b, '/children')
    expect(onB.status).toBe(200)
    expect(onB.text).toContain('data-qa="signed-in-as">iro1 Fixture')
    // Sign out on B; the same cookie is then signed out on A as well.
    const out = await iro.post(b, '/sign-out', { _csrf: csrfFrom(onB.text) })
    expect(out.status).toBe(303)
    const onA = await iro.get(a, '/children')
    expect(onA.status).toBe(303)
    expect(onA.headers.location).toBe('/sign-in')
  })

  it('take access away everywhere at once: made inactive on A, refused on B, which had them in memory', async () => {
    const sw = await new Browser().signIn(a, 'swC')
    expect((await sw.get(b, '/children')).status).toBe(200)
    expect((await sw.get(b, '/children')).status).toBe(200)
    expect((await sw.get(a, '/children')).status).toBe(200)

    const admin = await new Browser().signIn(a, 'admin')
    const saved = await admin.submit(a, a, `/people/${a.fixture.people.swC}/edit`, {
      givenName: 'swC',
      familyName: 'Fixture',
      email: emailOf('swC'),
      unitId: String(a.fixture.units.teamC),
      roles: 'social_worker',
      active: 'false',
    })
    expect(saved.status).toBe(303)
    // B hears of it through PostgreSQL's notification, a moment after the change commits. (Checked on
    // B first: once refused, the shared session forgets the person and A would refuse them anyway.)
    await expect.poll(async () => (await sw.get(b, '/children')).headers.location, { timeout: 5000 }).toBe('/sign-in')
  })

  it('finish a provider sign-in started on the other: state, nonce and verifier are in the shared session', async () => {
    const sw = new Browser()
    const start = await sw.get(a, '/sign-in/provider')
    expect(start.status).toBe(303)
    const authorizationUrl = start.headers.location!
    expect(authorizationUrl.startsWith(provider.issuer)).toBe(true)
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256')
    const callback = await signInAtProvider(authorizationUrl, 'swB')
    expect(callback.startsWith(`${b.url}/sign-in/callback?`)).toBe(true)
    const back = await sw.get(b, pathOf(callback, b.url))
    expect(back.status).toBe(303)
    expect(back.headers.location).toBe('/')
    const onA = await sw.get(a, '/children')
    expect(onA.status).toBe(200)
    expect(onA.text).toContain('data-qa="signed-in-as">swB Fixture')
  })

  it('runs a dispute across both: raised on A, answered on B, decided on A; a stale form on B is refused', async () => {
    const iro = await new Browser().signIn(a, 'iro1')
    const tm = await new Browser().signIn(b, 'tmA')
    const c2 = a.fixture.children.c2
    // The form is served by B and posted to A: the CSRF token lives in the shared session.
    const raised = await iro.submit(b, a, `/children/${c2}/disputes/new?policy=gloucestershire-2022`, details)
    expect(raised.status).toBe(303)
    const record = raised.headers.location!
    expect(record).toMatch(/^\/disputes\/\d+$/)
    const onB = await tm.get(b, record)
    expect(onB.status).toBe(200)
    expect(onB.text).toContain('Awaiting response')
    expect(onB.text).toContain('data-qa="action-respond"')

    const plan = {
      comments: 'We will update the plan.',
      'actions-1-what': 'Update the pathway plan',
      'actions-1-ownerId': String(a.fixture.people.swA),
      'actions-1-dueOn-day': '10',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
    }
    const responded = await tm.submit(b, b, `${record}/respond`, plan)
    expect(responded.status).toBe(303)
    expect((await iro.get(a, record)).text).toContain('Awaiting decision')

    // The reviewer has the decision form open on both instances at the same version.
    const decideOnA = await iro.get(a, `${record}/decide`)
    const decideOnB = await iro.get(b, `${record}/decide`)
    const version = /name="version" value="(\d+)"/.exec(decideOnA.text)![1]!
    expect(/name="version" value="(\d+)"/.exec(decideOnB.text)![1]).toBe(version)
    const decided = await iro.post(a, `${record}/decide`, {
      _csrf: csrfFrom(decideOnA.text),
      version,
      decision: 'resolved',
      comments: 'The plan is updated.',
    })
    expect(decided.status).toBe(303)
    const stale = await iro.post(b, `${record}/decide`, {
      _csrf: csrfFrom(decideOnB.text),
      version,
      decision: 'not_resolved',
      comments: 'Written on the other instance, on the old version.',
    })
    // Decided on A, the decision is no longer open on B either: the stale form is refused, not applied.
    expect(stale.status).toBe(409)
    expect(stale.text).toContain(', you cannot decide if the dispute is resolved now.')
    const after = await iro.get(b, record)
    expect(after.text).toContain('The plan is updated.')
    expect(after.text).not.toContain('Written on the other instance')
    const history = await a.running.services.db.query<{ kind: string }>(
      `select kind from events where entity_type = 'dispute' and entity_id = $1 order by id`,
      [Number(record.split('/').pop())],
    )
    const kinds = history.rows.map(r => r.kind)
    expect(kinds.filter(k => k === 'dispute.resolved')).toHaveLength(1)
    expect(kinds).not.toContain('dispute.not_resolved')
    expect(kinds).toContain('dispute.responded')
  })

  it('share the schedule and the outbox: both run their scheduled pass at once and each email goes once', async () => {
    // A week on, reminders and overdue alerts fall due; both instances' schedulers fire together.
    a.clock.set(new Date('2023-01-16T09:00:00Z'))
    await Promise.all([a.running.services.notifications.tick(), b.running.services.notifications.tick()])
    await Promise.all([a.running.services.notifications.tick(), b.running.services.notifications.tick()])
    const sent = [...a.mailer.sent, ...b.mailer.sent]
    const outbox = await a.running.services.db.query<{ n: number; unsent: number }>(
      `select count(*)::int as n, count(*) filter (where sent_at is null and digested_into is null)::int as unsent
       from email_outbox`,
    )
    expect(outbox.rows[0]!.n).toBeGreaterThan(0)
    expect(outbox.rows[0]!.unsent).toBe(0)
    expect(new Set(sent.map(m => m.messageId)).size).toBe(sent.length)
    const delivered = await a.running.services.db.query<{ n: number }>(
      'select count(*)::int as n from email_outbox where sent_at is not null',
    )
    expect(sent).toHaveLength(delivered.rows[0]!.n)
  })
})
