import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { FIXTURE_PASSWORD } from '../factories/organisationFixture.js'
import { apiTokenFor, csrfFrom, emailOf, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

/** Nothing listens on the discard port: discovery fails as it would with the provider down. */
const unreachableProvider = {
  CONCORD_OIDC_ISSUER: 'http://127.0.0.1:9',
  CONCORD_OIDC_CLIENT_ID: 'concord',
  CONCORD_OIDC_PROVIDER_NAME: 'Wessexshire account',
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')

/** The CSRF token the session holds, read from the session store: the page shows no form to take it from. */
async function sessionCsrf(app: TestApp, cookies: string[]): Promise<string> {
  const cookie = cookies.find(c => c.startsWith('concord.sid='))!
  const signed = decodeURIComponent(cookie.split(';')[0]!.slice('concord.sid='.length))
  const sid = signed.slice(2, signed.lastIndexOf('.'))
  const row = await app.running.services.db.query<{ token: string }>(
    `select data->>'csrfToken' as token from sessions where sid = $1`,
    [sid],
  )
  return row.rows[0]!.token
}

describe('with local accounts switched off', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp('pglite', { ...unreachableProvider, CONCORD_LOCAL_ACCOUNTS: 'off' })
  })
  afterAll(async () => app.dispose())

  it('offers only the provider on the sign-in page', async () => {
    const page = await request(app.url).get('/sign-in')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Sign in with Wessexshire account')
    expect(page.text).toContain('href="/sign-in/provider"')
    expect(page.text).not.toContain('type="password"')
  })

  it('refuses correct local credentials, with or without a valid form token', async () => {
    const agent = request.agent(app.url)
    const page = await agent.get('/sign-in')
    const credentials = { email: emailOf('admin'), password: FIXTURE_PASSWORD }
    const forged = await agent.post('/sign-in').type('form').send(credentials)
    expect(forged.status).toBe(403)
    const token = await sessionCsrf(app, page.headers['set-cookie'] as unknown as string[])
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, ...credentials })
    expect(res.status).toBe(403)
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain(html(errorMessages.signIn.provider.localSwitchedOff))
    expect(res.text).toContain('href="#provider"')
    const after = await agent.get('/children')
    expect(after.status).toBe(303)
    expect(after.headers.location).toBe('/sign-in')
    const signedIn = await app.running.services.db.query(`select 1 from sessions where data ? 'personId'`)
    expect(signedIn.rows).toHaveLength(0)
  })

  it('keeps personal API tokens working: they are not local accounts', async () => {
    const token = await apiTokenFor(app, 'swA')
    const res = await request(app.url).get('/api/children').set('authorization', `Bearer ${token}`)
    expect(res.status).toBe(200)
  })

  it('says so clearly when the provider cannot be reached', async () => {
    const res = await request(app.url).get('/sign-in/provider')
    expect(res.status).toBe(503)
    expect(res.text).toContain('Sorry, sign-in is not working at the moment')
    expect(res.text).toContain('Concord cannot reach Wessexshire account')
  })

  it('refuses a return from the provider that Concord did not start', async () => {
    const res = await request(app.url).get('/sign-in/callback?code=abc&state=xyz')
    expect(res.status).toBe(400)
    expect(res.text).toContain('Sign-in did not finish')
  })
})

describe('with a provider and local accounts both on', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp('pglite', unreachableProvider)
  })
  afterAll(async () => app.dispose())

  it('offers both, and local sign-in still works for every role', async () => {
    const page = await request(app.url).get('/sign-in')
    expect(page.text).toContain('Sign in with Wessexshire account')
    expect(page.text).toContain('type="password"')
    for (const who of ['admin', 'swA', 'iro1'] as const) {
      const agent = await signedInAgent(app, who)
      expect((await agent.get('/children')).status).toBe(200)
      // Someone signed in is sent home rather than to the provider again.
      const again = await agent.get('/sign-in/provider')
      expect(again.status).toBe(303)
      expect(again.headers.location).toBe('/')
    }
  })

  it('lets only an administrator see and remove the provider account a person signs in with', async () => {
    const { swA } = app.fixture.people
    const at = new Date('2023-01-04T10:00:00Z')
    await app.running.services.db.query(
      `insert into external_identities (issuer, subject, person_id, first_signed_in_at, last_signed_in_at)
       values ('http://127.0.0.1:9', 'swA-subject', $1, $2, $2)`,
      [swA, at],
    )
    const links = async () =>
      (
        await app.running.services.db.query<{ n: number }>(
          'select count(*)::int as n from external_identities where person_id = $1',
          [swA],
        )
      ).rows[0]!.n
    const path = `/people/${swA}/provider-links/remove`
    for (const who of ['swA', 'tmA', 'iro1'] as const) {
      const agent = await signedInAgent(app, who)
      const page = await agent.get(`/people/${swA}`)
      expect(page.status).toBe(200)
      expect(page.text).not.toContain('data-qa="provider-links"')
      const refused = await agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
      expect(refused.status, who).toBe(403)
    }
    const admin = await signedInAgent(app, 'admin')
    const page = await admin.get(`/people/${swA}`)
    expect(page.text).toContain('data-qa="provider-links"')
    expect(page.text).toContain('Remove the link to Wessexshire account')
    expect((await admin.post(path).type('form').send({})).status).toBe(403) // no form token
    expect(await links()).toBe(1)
    const removed = await admin
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(removed.status).toBe(303)
    expect(await links()).toBe(0)
    const after = await admin.get(`/people/${swA}`)
    expect(after.text).toContain('Link removed')
    expect(after.text).toContain('Not linked')
    const event = await app.running.services.db.query<{ actor_id: number }>(
      `select actor_id from events where kind = 'account.identity_unlinked' and entity_id = $1`,
      [swA],
    )
    expect(event.rows).toEqual([{ actor_id: app.fixture.people.admin }])
  })

  it('lets the sign-out form post to the provider (CSP form-action)', async () => {
    const page = await request(app.url).get('/sign-in')
    expect(page.headers['content-security-policy']).toContain("form-action 'self' http://127.0.0.1:9")
  })
})

describe('without a provider', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp('pglite')
  })
  afterAll(async () => app.dispose())

  it('shows only the email and password form and has no provider routes', async () => {
    const page = await request(app.url).get('/sign-in')
    expect(page.text).not.toContain('Sign in with')
    expect(csrfFrom(page.text)).toBeTruthy()
    expect(page.headers['content-security-policy']).toContain("form-action 'self';")
    const start = await request(app.url).get('/sign-in/provider')
    expect(start.status).toBe(303)
    expect(start.headers.location).toBe('/sign-in')
    expect((await request(app.url).get('/sign-in/callback?code=a&state=b')).status).toBe(303)
  })
})

describe('sign-in attempts through the provider', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp('pglite', { ...unreachableProvider, CONCORD_SIGN_IN_RATE_LIMIT: '3' })
  })
  afterAll(async () => app.dispose())

  it('are limited like password attempts', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await request(app.url).get('/sign-in/callback?code=a&state=b')).status)
    expect(statuses).toEqual([400, 400, 400, 429])
    const limited = await request(app.url).get('/sign-in/provider')
    expect(limited.status).toBe(429)
    expect(limited.text).toContain('Too many sign-in attempts')
  })
})

describe('password sign-in attempts', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp('pglite', { CONCORD_SIGN_IN_RATE_LIMIT: '3' })
  })
  afterAll(async () => app.dispose())

  it('limit failures from one address, not people signing in successfully', async () => {
    // More successful sign-ins than the limit: none is refused.
    for (const who of ['swA', 'swB', 'tmA', 'tmB', 'iro1'] as const) await signedInAgent(app, who)
    const agent = request.agent(app.url)
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const page = await agent.get('/sign-in')
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: emailOf('iro2'), password: 'not the password' })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429])
  })
})
