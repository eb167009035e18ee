import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { expectedVisibility, FIXTURE_PASSWORD, type FixturePerson } from '../factories/organisationFixture.js'
import {
  apiTokenFor,
  csrfFrom,
  emailOf,
  signedInAgent,
  startTestApp,
  TEST_NOW,
  type TestApp,
} from '../helpers/testApp.js'

/** Text as Nunjucks writes it into the page (autoescape), and as a regular expression matches it. */
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => app.dispose())

const everyone = Object.keys(expectedVisibility) as FixturePerson[]
const refused = () => errorMessages.signIn.credentials.refused(app.running.services.config.lockMinutes)
const allChildren = ['c1', 'c2', 'c3', 'c4'] as const

describe('signing in and out', () => {
  it('sends anyone not signed in to the sign-in page', async () => {
    for (const path of ['/', '/children', '/people', '/teams', '/children/1']) {
      const res = await request(app.url).get(path)
      expect(res.status).toBe(303)
      expect(res.headers.location).toBe('/sign-in')
    }
  })

  it('shows GOV.UK error messages for an empty form and for wrong details', async () => {
    const agent = request.agent(app.url)
    const page = await agent.get('/sign-in')
    expect(page.text).toContain('Sign in to Concord')
    expect(page.text).toContain('<title>Sign in – Concord</title>')
    const empty = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: '', password: '' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('There is a problem')
    expect(empty.text).toContain(errorMessages.signIn.email.required)
    expect(empty.text).toContain(errorMessages.signIn.password.required)
    expect(empty.text).toMatch(/<title>Error: /)
    const wrong = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: emailOf('swC'), password: 'not it' })
    expect(wrong.status).toBe(401)
    expect(wrong.text).toContain(html(refused()))
  })

  it('refuses a form without a valid CSRF token', async () => {
    const agent = request.agent(app.url)
    await agent.get('/sign-in')
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: 'forged', email: emailOf('swA'), password: FIXTURE_PASSWORD })
    expect(res.status).toBe(403)
  })

  it('signs in with a new session id in an HttpOnly, SameSite cookie, and signs out', async () => {
    const agent = request.agent(app.url)
    const page = await agent.get('/sign-in')
    const before = page.headers['set-cookie']?.[0]?.split(';')[0]
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: emailOf('swA'), password: FIXTURE_PASSWORD })
    expect(res.status).toBe(303)
    const cookie = res.headers['set-cookie']![0]!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie.split(';')[0]).not.toBe(before)
    // Signed in, everyone starts at My work.
    expect(res.headers.location).toBe('/')
    expect((await agent.get('/')).headers.location).toBe('/work')
    const home = await agent.get('/children')
    expect(home.status).toBe(200)
    expect(home.text).toContain('swA Fixture')
    const out = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) })
    expect(out.status).toBe(303)
    expect((await agent.get('/children')).status).toBe(303)
  })

  it('comes back to the page asked for (an email’s link, say) once signed in, and only to a page of its own', async () => {
    const signIn = async (agent: ReturnType<typeof request.agent>) => {
      const page = await agent.get('/sign-in')
      return agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: emailOf('swA'), password: FIXTURE_PASSWORD })
    }
    const asked = `/children/${app.fixture.children.c2}?tab=history`
    const agent = request.agent(app.url)
    expect((await agent.get(asked)).headers.location).toBe('/sign-in')
    const res = await signIn(agent)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe(asked)
    expect((await agent.get(asked)).status).toBe(200)
    // Only once: the next sign-in, on a new session, starts at My work again.
    const again = request.agent(app.url)
    expect((await signIn(again)).headers.location).toBe('/')
    // A form sent while signed out is not replayed; its page is not remembered either.
    const posted = request.agent(app.url)
    await posted.post('/work/1/acknowledge').type('form').send({})
    expect((await signIn(posted)).headers.location).toBe('/')
  })

  it('ends a session 12 hours after sign-in however busy it is, and says why on the sign-in page', async () => {
    const agent = await signedInAgent(app, 'swA')
    const hours = (n: number) => new Date(TEST_NOW.getTime() + n * 60 * 60 * 1000)
    try {
      // A page every few hours keeps the session from going idle (8 hours)...
      for (const at of [4, 8, 11.99]) {
        app.clock.set(hours(at))
        expect((await agent.get('/children')).status, `${at} hours`).toBe(200)
      }
      // ...but not past 12 hours from sign-in.
      app.clock.set(hours(12))
      const ended = await agent.get('/children')
      expect(ended.status).toBe(303)
      expect(ended.headers.location).toBe('/sign-in')
      const page = await agent.get('/sign-in')
      expect(page.text).toContain('data-qa="signed-out-notice"')
      expect(page.text).toContain('you were signed out 12 hours after you signed in')
      // Once only; and signing in again starts a new 12 hours, back at the page asked for.
      expect((await agent.get('/sign-in')).text).not.toContain('signed-out-notice')
      const again = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: emailOf('swA'), password: FIXTURE_PASSWORD })
      expect(again.headers.location).toBe('/children')
      // Counted from that sign-in (12 hours), not from the first page after it (13 hours).
      for (const at of [13, 20]) {
        app.clock.set(hours(at))
        expect((await agent.get('/children')).status, `${at} hours`).toBe(200)
      }
      app.clock.set(hours(24.5))
      expect((await agent.get('/children')).status).toBe(303)
      // A form sent by a session that has just ended goes to sign in, not "Your form expired".
      app.clock.set(hours(12.5))
      const fresh = await signedInAgent(app, 'swA')
      app.clock.set(hours(18))
      const form = await fresh.get('/children')
      app.clock.set(hours(24.5))
      const posted = await fresh
        .post('/sign-out')
        .type('form')
        .send({ _csrf: csrfFrom(form.text) })
      expect(posted.status).toBe(303)
      expect(posted.headers.location).toBe('/sign-in')
    } finally {
      app.clock.set(TEST_NOW)
    }
  })
})

describe('page layout', () => {
  it('has one skip link, the authority’s header, phase banner and footer, and no GOV.UK crown, signed in or not', async () => {
    const agent = await signedInAgent(app, 'swA')
    for (const page of [await request(app.url).get('/sign-in'), await agent.get('/children')]) {
      expect(page.status).toBe(200)
      const count = (text: string) => page.text.split(text).length - 1
      expect(count('class="govuk-skip-link"')).toBe(1)
      expect(page.text).toMatch(/<a href="#main-content" class="govuk-skip-link"[^>]*>Skip to main content<\/a>/)
      const authority = html(app.running.services.config.authorityName)
      // The authority's name heads the page and links home; the service navigation names Concord (ADR 0026).
      expect(count('<div class="govuk-generic-header"')).toBe(1)
      expect(page.text).toMatch(
        new RegExp(`<a href="/" class="govuk-generic-header__homepage-link">\\s*${escapeRegExp(authority)}\\s*</a>`),
      )
      expect(count('class="govuk-phase-banner ')).toBe(1)
      // In the header, a landmark, as GOV.UK's guidance asks.
      const header = page.text.slice(page.text.indexOf('<header'), page.text.indexOf('</header>'))
      expect(header).toContain('class="govuk-phase-banner ')
      expect(count('<footer class="govuk-template__footer">')).toBe(1)
      expect(count('<div class="govuk-footer">')).toBe(1)
      expect(page.text).toContain(`© ${authority}`)
      // Nothing of GOV.UK's own brand: its header, crown, logotype, favicons, licence or Crown copyright.
      for (const mark of [
        'govuk-header',
        'govuk-footer__crown',
        'govuk-logo',
        'aria-label="GOV.UK"',
        'favicon.ico',
        'govuk-icon',
        'manifest.json',
        'Open Government Licence',
        'Crown copyright',
      ])
        expect(page.text, mark).not.toContain(mark)
      expect(page.text).toContain('<link rel="icon" sizes="any" href="/assets/app/favicon.svg" type="image/svg+xml">')
    }
    expect((await agent.get('/assets/app/favicon.svg')).status).toBe(200)
    expect((await agent.get('/favicon.ico')).headers.location).toBe('/assets/app/favicon.svg')
    // GOV.UK's and the MOJ's marks are not served at all; the icons the components use still are.
    for (const mark of [
      '/assets/images/govuk-crest.svg',
      '/assets/images/favicon.ico',
      '/assets/images/govuk-logotype-crown.png',
      '/assets/images/moj-logotype-crest-2024.svg',
      '/assets/manifest.json',
      '/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/govuk/assets/images/govuk-crest.svg',
      '/assets/govuk/assets/fonts/bold-b542beb274-v2.woff2',
    ])
      expect((await agent.get(mark)).status, mark).toBe(404)
    for (const icon of ['/assets/images/icon-document.svg', '/assets/govuk/govuk-frontend.min.js'])
      expect((await agent.get(icon)).status, icon).toBe(200)
    // Nor GOV.UK's typeface, which is for services on GOV.UK: the stylesheets fall back to Arial.
    for (const sheet of ['/assets/govuk/govuk-frontend.min.css', '/assets/moj/moj-frontend.min.css']) {
      const css = await agent.get(sheet)
      expect(css.status).toBe(200)
      expect(css.headers['content-type']).toContain('text/css')
      expect(css.text).not.toContain('GDS Transport')
      expect(css.text).toContain('font-family:arial,sans-serif')
    }
  })
})

describe('security headers', () => {
  it('sends a CSP without unsafe-inline scripts, frame denial and no x-powered-by', async () => {
    const res = await request(app.url).get('/sign-in')
    const csp = res.headers['content-security-policy']!
    expect(csp).toContain("script-src 'self' 'nonce-")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it('gives the JSON API a CSP that allows nothing, with no nonce, and frame denial', async () => {
    const res = await request(app.url)
      .get('/api/work')
      .set('authorization', `Bearer ${await apiTokenFor(app, 'swA')}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'")
    expect(res.headers['x-frame-options']).toBe('DENY')
  })

  it('keeps records out of caches: no-store on pages and API answers, no ETag; assets stay cacheable', async () => {
    const agent = await signedInAgent(app, 'swA')
    const page = await agent.get('/children')
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.headers.etag).toBeUndefined()
    const api = await request(app.url)
      .get('/api/work')
      .set('authorization', `Bearer ${await apiTokenFor(app, 'swA')}`)
    expect(api.status).toBe(200)
    expect(api.headers['cache-control']).toBe('no-store')
    expect(api.headers.etag).toBeUndefined()
    const css = await request(app.url).get('/assets/app/app.css')
    expect(css.status).toBe(200)
    expect(css.headers['cache-control']).not.toBe('no-store')
    expect(css.headers.etag).toBeDefined()
  })

  it('refuses an oversized form body', async () => {
    const res = await request(app.url)
      .post('/sign-in')
      .type('form')
      .send({ email: 'x'.repeat(200_000) })
    expect(res.status).toBe(413)
  })
})

describe('health', () => {
  it('reports the service and its database', async () => {
    const res = await request(app.url).get('/health')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'UP', components: { database: { status: 'UP', kind: 'pglite' } } })
  })
})

describe.each(everyone)('what %s may see in the web pages', who => {
  it('lists exactly the allowed children and opens only their pages', async () => {
    const agent = await signedInAgent(app, who)
    const list = await agent.get('/children')
    expect(list.status).toBe(200)
    for (const key of allChildren) {
      const id = app.fixture.children[key]
      const allowed = expectedVisibility[who].includes(key)
      expect(list.text.includes(`href="/children/${id}"`), `${key} in the list`).toBe(allowed)
      const page = await agent.get(`/children/${id}`)
      expect(page.status, `${key} page`).toBe(allowed ? 200 : 404)
      if (!allowed) expect(page.text).not.toContain(`${key} Child`)
    }
    // A search for a child they may not see finds nothing.
    const hidden = allChildren.find(k => !expectedVisibility[who].includes(k))
    if (hidden) {
      const search = await agent.get(`/children?q=${hidden.toUpperCase()}`)
      expect(search.text).not.toContain(`href="/children/${app.fixture.children[hidden]}"`)
    }
  })

  it('can change data only when an administrator', async () => {
    const agent = await signedInAgent(app, who)
    const isAdmin = who === 'admin'
    for (const path of [
      '/children/new',
      `/children/${app.fixture.children.c1}/edit`,
      '/people/new',
      '/teams/new',
      `/children/${app.fixture.children.c1}/audit`,
    ]) {
      const res = await agent.get(path)
      expect(res.status, path).toBe(isAdmin ? 200 : 403)
      if (!isAdmin) expect(res.text, path).toContain('Only an administrator can')
    }
  })
})

describe('a child’s page', () => {
  it('shows details, legal status, allocations, siblings, the chain and the history, and audits the view', async () => {
    const agent = await signedInAgent(app, 'admin')
    const res = await agent.get(`/children/${app.fixture.children.c2}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Looked after since 10 May 2021')
    expect(res.text).toContain('iro1 Fixture')
    expect(res.text).toContain('swA Fixture')
    expect(res.text).toContain('Team A')
    expect(res.text).toContain(`href="/children/${app.fixture.children.c3}"`)
    expect(res.text).toContain('Director of safeguarding and care')
    expect(res.text).toContain('dsc Fixture')
    // C2 is looked after without a child protection plan: no conference chair is called for, and both
    // the details and the chain of responsible people say so in the same words.
    const chain = /data-qa="chain">([\s\S]*?)<\/dl>/.exec(res.text)![1]!
    expect(chain).toMatch(/conference chair[^<]*<\/dt>\s*<dd[^>]*>Not applicable<\/dd>/i)
    expect(chain).not.toContain('Vacant')
    const audit = await agent.get(`/children/${app.fixture.children.c2}/audit`)
    expect(audit.text).toContain('admin Fixture')
  })

  it('names a sibling the viewer may not see without revealing them', async () => {
    const agent = await signedInAgent(app, 'swA')
    const res = await agent.get(`/children/${app.fixture.children.c2}`)
    expect(res.text).toContain('A sibling you are not allocated to')
    expect(res.text).not.toContain('c3 Child')
  })
})

describe('administration', () => {
  it('lists each person with their roles, managers with the units they manage, as on their own page', async () => {
    const agent = await signedInAgent(app, 'admin')
    const list = await agent.get('/people?q=tmA')
    expect(list.status).toBe(200)
    expect(list.text).toContain('<td class="govuk-table__cell">Team manager, Team A</td>')
    const own = await agent.get(`/people/${app.fixture.people.tmA}`)
    expect(own.text).toContain('Team manager, Team A')
    const worker = await agent.get('/people?q=swA')
    expect(worker.text).toMatch(/<td class="govuk-table__cell">Social worker<\/td>/i)
  })

  it('adds a child through the form, with field errors first', async () => {
    const agent = await signedInAgent(app, 'admin')
    const form = await agent.get('/children/new')
    const csrf = csrfFrom(form.text)
    const bad = await agent.post('/children/new').type('form').send({
      _csrf: csrf,
      caseId: '',
      givenName: '',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2020',
    })
    expect(bad.status).toBe(400)
    for (const message of [
      errorMessages.child.caseId.required,
      errorMessages.child.givenName.required,
      errorMessages.child.dateOfBirth.invalid,
      errorMessages.child.teamId.required,
    ]) {
      expect(bad.text).toContain(message.replace(/’/g, '&#8217;').replace('&#8217;', '’'))
    }
    const good = await agent
      .post('/children/new')
      .type('form')
      .send({
        _csrf: csrf,
        caseId: 'WEB-1',
        givenName: 'Webb',
        familyName: 'Formchild',
        'dateOfBirth-day': '3',
        'dateOfBirth-month': '4',
        'dateOfBirth-year': '2018',
        teamId: String(app.fixture.units.teamA),
        socialWorkerId: String(app.fixture.people.swA),
        'lookedAfterStart-day': '1',
        'lookedAfterStart-month': '12',
        'lookedAfterStart-year': '2022',
        iroId: String(app.fixture.people.iro1),
      })
    expect(good.status).toBe(303)
    const page = await agent.get(good.headers.location!)
    expect(page.text).toContain('Webb Formchild')
    expect(page.text).toContain('Child added')
  })

  it('escapes what users type', async () => {
    const agent = await signedInAgent(app, 'admin')
    const form = await agent.get('/teams/new')
    const res = await agent
      .post('/teams/new')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        name: '<script>alert(1)</script>',
        kind: 'service',
        parentId: String(app.fixture.units.north),
      })
    expect(res.status).toBe(303)
    const page = await agent.get(res.headers.location!)
    expect(page.text).not.toContain('<script>alert(1)</script>')
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('tells the second of two editors that the record changed', async () => {
    const agent = await signedInAgent(app, 'admin')
    const form = await agent.get(`/teams/${app.fixture.units.teamB}/edit`)
    const csrf = csrfFrom(form.text)
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]
    const body = {
      _csrf: csrf,
      version,
      name: 'Team B',
      kind: 'team',
      parentId: String(app.fixture.units.northService),
      managerId: String(app.fixture.people.tmB),
    }
    expect((await agent.post(`/teams/${app.fixture.units.teamB}/edit`).type('form').send(body)).status).toBe(303)
    const second = await agent
      .post(`/teams/${app.fixture.units.teamB}/edit`)
      .type('form')
      .send({ ...body, name: 'Team B renamed' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('changed by someone else')
  })

  it('issues an API token that is shown once', async () => {
    const agent = await signedInAgent(app, 'admin')
    const page = await agent.get(`/people/${app.fixture.people.swA}/tokens`)
    const res = await agent
      .post(`/people/${app.fixture.people.swA}/tokens`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'script' })
    const token = /concord_[A-Za-z0-9_-]{20,}/.exec(res.text)![0]
    const api = await request(app.url).get('/api/children').set('Authorization', `Bearer ${token}`)
    expect(api.status).toBe(200)
    expect(api.body.total).toBe(expectedVisibility.swA.length + 1) // plus the child added above in team A
    const again = await agent.get(`/people/${app.fixture.people.swA}/tokens`)
    expect(again.text).not.toContain(token)
  })
})

describe('a new password or a deactivation', () => {
  it('signs the person out of every browser, and leaves everyone else signed in', async () => {
    const admin = { Authorization: `Bearer ${await apiTokenFor(app, 'admin')}` }
    const body = {
      givenName: 'Reset',
      familyName: 'Person',
      email: 'reset.person@test.example',
      roles: ['social_worker'],
      unitId: app.fixture.units.teamA,
      password: 'first-password-2026',
    }
    const created = await request(app.url).post('/api/people').set(admin).send(body)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const signIn = async (password: string) => {
      const agent = request.agent(app.url)
      const page = await agent.get('/sign-in')
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: body.email, password })
      expect(res.status).toBe(303)
      return agent
    }
    const signedIn = async (agent: ReturnType<typeof request.agent>) => (await agent.get('/children')).status === 200
    const [laptop, phone, other] = [
      await signIn(body.password),
      await signIn(body.password),
      await signedInAgent(app, 'swA'),
    ]
    expect([await signedIn(laptop), await signedIn(phone)]).toEqual([true, true])
    const update = async (change: Record<string, unknown>) => {
      const current = await request(app.url).get(`/api/people/${created.body.id}`).set(admin)
      const { password: _password, ...rest } = body
      const res = await request(app.url)
        .put(`/api/people/${created.body.id}`)
        .set(admin)
        .send({ ...rest, active: true, version: current.body.version, ...change })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
    }
    // A change of name keeps them signed in; a new password does not, in either browser.
    await update({ familyName: 'Renamed' })
    expect(await signedIn(laptop)).toBe(true)
    await update({ password: 'second-password-2026' })
    expect([await signedIn(laptop), await signedIn(phone), await signedIn(other)]).toEqual([false, false, true])
    const again = await signIn('second-password-2026')
    expect(await signedIn(again)).toBe(true)
    await update({ active: false })
    expect(await signedIn(again)).toBe(false)
    const { rows } = await app.running.services.db.query<{ n: number }>(
      `select count(*)::int as n from sessions where data->>'personId' = $1`,
      [String(created.body.id)],
    )
    expect(rows[0]!.n).toBe(0)
  })
})

describe('failed sign-ins (last: it locks an account)', () => {
  it('locks the account after repeated failures and says so', async () => {
    const agent = request.agent(app.url)
    const page = await agent.get('/sign-in')
    let last = page
    for (let i = 0; i < app.running.services.config.maxFailedSignIns; i++) {
      last = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: emailOf('perf'), password: 'wrong' })
    }
    // Locked, even to the right password, and answered as an address with no account is, word for word.
    const right = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: emailOf('perf'), password: FIXTURE_PASSWORD })
    const unknown = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'nobody@test.example', password: 'wrong' })
    for (const res of [last, right, unknown]) {
      expect(res.status).toBe(401)
      expect(res.text).toContain(html(refused()))
    }
    // The whole page, but for the address typed (shown back) and each page's own script nonce.
    const asShown = (text: string) =>
      text.replace('nobody@test.example', emailOf('perf')).replace(/nonce="[^"]*"/g, 'nonce=""')
    expect(asShown(right.text)).toBe(asShown(unknown.text))
  })
})

describe('searching with characters that are not letters', () => {
  it('takes % and _ literally, and a NUL character out, instead of listing everyone or failing', async () => {
    const admin = await signedInAgent(app, 'admin')
    const links = (text: string, kind: string) => (text.match(new RegExp(`href="/${kind}/\\d+"`, 'g')) ?? []).length
    for (const q of ['%25', '_', 'c%25', '%5F1'])
      for (const kind of ['children', 'people']) {
        const res = await admin.get(`/${kind}?q=${q}`)
        expect(res.status, `${kind} ${q}`).toBe(200)
        expect(links(res.text, kind), `${kind} ${q}`).toBe(0)
      }
    // A NUL (pasted from a PDF, say) is taken out: "C%002" searches for "C2".
    for (const kind of ['children', 'people']) expect((await admin.get(`/${kind}?q=%00`)).status).toBe(200)
    const c2 = await admin.get('/children?q=C%002')
    expect(c2.status).toBe(200)
    expect(c2.text).toContain(`href="/children/${app.fixture.children.c2}"`)
  })
})

describe('a list page past its last', () => {
  // An old bookmark or a list that shrank: the last page, with the filters, not an empty table under a count.
  it.each([
    ['admin', '/disputes?status=open&page=40', '/disputes?status=open&page=1'],
    ['admin', '/children?q=a&page=40', '/children?q=a&page=1'],
    ['admin', '/people?page=40', '/people?page=1'],
    ['iro1', '/notes?page=40', '/notes?page=1'],
    ['iro1', '/work/checks?page=40', '/work/checks?page=1'],
  ] as const)('as %s, %s goes to %s', async (who, path, last) => {
    const agent = await signedInAgent(app, who)
    const res = await agent.get(path)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(last)
    expect((await agent.get(last)).status).toBe(200)
  })
})
