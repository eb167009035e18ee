import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

const m = errorMessages.notes

/** Text as Nunjucks writes it into the page (autoescape). */
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

type Agent = Awaited<ReturnType<typeof signedInAgent>>

let app: TestApp
const agents = new Map<FixturePerson, Agent>()
async function as(who: FixturePerson): Promise<Agent> {
  if (!agents.has(who)) agents.set(who, await signedInAgent(app, who))
  return agents.get(who)!
}

const tokens = new Map<FixturePerson, string>()
async function api(who: FixturePerson) {
  if (!tokens.has(who)) tokens.set(who, await apiTokenFor(app, who))
  const auth = { Authorization: `Bearer ${tokens.get(who)}` }
  return {
    get: (path: string) => request(app.url).get(path).set(auth),
    post: (path: string) => request(app.url).post(path).set(auth),
  }
}

beforeAll(async () => {
  app = await startTestApp()
  // iro1 reviews both siblings, so can write for the two of them at once.
  await app.running.services.db.query('update children set iro_id = $1 where id = $2', [
    app.fixture.people.iro1,
    app.fixture.children.c3,
  ])
})
afterAll(async () => app.dispose())

/** GETs a form page, then POSTs it with the page's CSRF token (and version, when the form has one). */
async function post(agent: Agent, path: string, body: Record<string, string | string[]>) {
  const page = await agent.get(path)
  expect(page.status, `GET ${path}`).toBe(200)
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1]
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...(version ? { version } : {}), ...body })
}

function expectErrors(res: { status: number; text: string }, status: number, messages: string[]) {
  expect(res.status).toBe(status)
  expect(res.text).toContain('There is a problem')
  expect(res.text).toMatch(/<title>Error: /)
  for (const message of messages) expect(res.text, message).toContain(html(message))
}

const noteBody = {
  about: 'social_worker',
  categoryKey: 'participation',
  goodPractice: 'Weekly visits, <b>always</b> listening to both children.',
  impact: 'They now take part in their reviews.',
}

const ids: { c2Note?: number; c3Note?: number; concern?: number } = {}

describe('good practice notes on the web', () => {
  it('offers the note on the child’s page to reviewers only, and refuses anyone else with 403', async () => {
    const c2 = app.fixture.children.c2
    const iroPage = await (await as('iro1')).get(`/children/${c2}`)
    expect(iroPage.text).toContain('Good practice notes')
    expect(iroPage.text).toContain(`href="/children/${c2}/notes/new"`)
    const swPage = await (await as('swA')).get(`/children/${c2}`)
    expect(swPage.text).toContain('Good practice notes')
    expect(swPage.text).not.toContain(`/children/${c2}/notes/new`)
    const sw = await as('swA')
    const form = await sw.get(`/children/${c2}/notes/new`)
    expect(form.status).toBe(403)
    expect(form.text).toContain('You cannot write a good practice note')
    const posted = await sw
      .post(`/children/${c2}/notes/new`)
      .type('form')
      .send({ _csrf: csrfFrom(swPage.text), ...noteBody })
    expect(posted.status).toBe(403)
    // A reviewer who cannot see the child gets the same 404 as for a child who does not exist.
    expect((await (await as('cpc1')).get(`/children/${c2}/notes/new`)).status).toBe(404)
  })

  it('shows every error at once, keeping what was typed', async () => {
    const res = await post(await as('iro1'), `/children/${app.fixture.children.c2}/notes/new`, {
      about: 'social_worker',
      goodPractice: 'Kept <text>',
    })
    expectErrors(res, 400, [m.categoryKey.required, m.impact.required])
    expect(res.text).toContain('Kept &lt;text&gt;')
    expect(res.text).toContain('href="#categoryKey"')
  })

  it('writes one linked note for each sibling, each to that child’s social worker copying their team manager', async () => {
    const iro = await as('iro1')
    const res = await post(iro, `/children/${app.fixture.children.c2}/notes/new`, {
      ...noteBody,
      siblingIds: String(app.fixture.children.c3),
    })
    expect(res.status).toBe(303)
    ids.c2Note = Number(/\/notes\/(\d+)$/.exec(res.headers.location!)![1])
    const page = await iro.get(res.headers.location!)
    expect(page.text).toContain('Good practice note sent: 2 linked notes, one for each child')
    expect(page.text).toContain('Participation and Relational Practice')
    // User text is escaped, never trusted as HTML.
    expect(page.text).toContain('Weekly visits, &lt;b&gt;always&lt;/b&gt;')
    expect(page.text).toContain('swA Fixture')
    expect(page.text).toContain('tmA Fixture')
    expect(page.text).toContain('Not yet acknowledged')
    const linked = /href="\/notes\/(\d+)">NOTE-\d{6} \(case ID C3\)/.exec(page.text)
    expect(linked).not.toBeNull()
    ids.c3Note = Number(linked![1])
    const c3 = await (await as('swB')).get(`/notes/${ids.c3Note}`)
    expect(c3.status).toBe(200)
    expect(c3.text).toContain('swB Fixture')
    expect(c3.text).toContain('tmB Fixture')
    // On the child's page and history.
    const child = await iro.get(`/children/${app.fixture.children.c2}`)
    expect(child.text).toContain(`href="/notes/${ids.c2Note}"`)
    expect(child.text).toContain('Good practice note written')
    // Someone the note does not concern, who cannot see the child, gets 404.
    expect((await (await as('swC')).get(`/notes/${ids.c2Note}`)).status).toBe(404)
  })

  it('puts the note in the social worker’s My work, and lets them acknowledge it from the note', async () => {
    const sw = await as('swA')
    const work = await sw.get('/work')
    expect(work.text).toContain('Read and acknowledge a good practice note about your practice')
    expect(work.text).toContain(`href="/notes/${ids.c2Note}"`)
    expect(work.text).toContain(`NOTE-${String(ids.c2Note).padStart(6, '0')}`)
    const tmWork = await (await as('tmA')).get('/work')
    expect(tmWork.text).toContain('Read and acknowledge a good practice note (copy)')
    const note = await sw.get(`/notes/${ids.c2Note}`)
    const action = /action="(\/work\/\d+\/acknowledge)"/.exec(note.text)![1]!
    const ack = await sw
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(note.text) })
    expect(ack.status).toBe(303)
    const after = await sw.get(`/notes/${ids.c2Note}`)
    expect(after.text).toMatch(/swA Fixture.*Acknowledged \d/s)
    expect(after.text).not.toContain('data-qa="acknowledge"')
  })

  it('shows "Notes about my practice" to the worker and their managers, and not to others', async () => {
    const swA = app.fixture.people.swA
    const own = await (await as('swA')).get(`/people/${swA}`)
    expect(own.text).toContain('Notes about my practice')
    expect(own.text).toContain(`href="/notes/${ids.c2Note}"`)
    const manager = await (await as('smNorth')).get(`/people/${swA}`)
    expect(manager.text).toContain('Notes about swA Fixture’s practice')
    expect(manager.text).toContain(`href="/notes/${ids.c2Note}"`)
    const other = await (await as('swB')).get(`/people/${swA}`)
    expect(other.text).not.toContain(`/notes/${ids.c2Note}`)
    expect(other.text).not.toContain('data-qa="practice-notes-heading"')
    const list = await (await as('tmA')).get('/notes')
    expect(list.status).toBe(200)
    expect(list.text).toContain(`href="/notes/${ids.c2Note}"`)
  })
})

describe('notes and concerns about reviewers on the web', () => {
  it('offers the reciprocal note and the concern on a reviewer’s page to anyone but the reviewer', async () => {
    const iro1 = app.fixture.people.iro1
    const page = await (await as('swA')).get(`/people/${iro1}`)
    expect(page.text).toContain('Send a good practice note about this reviewer')
    expect(page.text).toContain('Raise a concern about this reviewer’s practice')
    const own = await (await as('iro1')).get(`/people/${iro1}`)
    expect(own.text).not.toContain('Send a good practice note about this reviewer')
    expect((await (await as('iro1')).get(`/people/${iro1}/notes/new`)).status).toBe(403)
    expect((await (await as('iro1')).get(`/people/${iro1}/concerns/new`)).status).toBe(403)
    // Not a reviewer: there is no such form.
    expect((await (await as('swA')).get(`/people/${app.fixture.people.swB}/notes/new`)).status).toBe(404)
  })

  it('sends a practitioner’s note about a reviewer to them and their manager', async () => {
    const sw = await as('swA')
    const path = `/people/${app.fixture.people.iro1}/notes/new`
    expect((await sw.get(path)).text).toContain('copying their manager, rsm Fixture')
    expectErrors(await post(sw, path, {}), 400, [m.categoryKey.required, m.goodPractice.required, m.benefit.required])
    const res = await post(sw, path, {
      categoryKey: 'key_decision_making',
      goodPractice: 'A calm, clear review.',
      impact: 'The family felt heard.',
    })
    expect(res.status).toBe(303)
    const id = Number(/\/notes\/(\d+)$/.exec(res.headers.location!)![1])
    expect((await (await as('iro1')).get('/work')).text).toContain(`href="/notes/${id}"`)
    expect((await (await as('rsm')).get('/work')).text).toContain(`href="/notes/${id}"`)
    expect((await (await as('iro1')).get(`/people/${app.fixture.people.iro1}`)).text).toContain(`href="/notes/${id}"`)
  })

  it('routes a concern to the reviewer’s manager only: not to the reviewer, not onto the child’s record', async () => {
    const sw = await as('swA')
    const path = `/people/${app.fixture.people.cpc1}/concerns/new`
    const form = await sw.get(path)
    expect(form.text).toContain('The concern goes to rsm Fixture')
    expect(form.text).toContain('Partnership escalation policy')
    expect(form.text).toContain('Complaints in relation to child protection conferences')
    // An IRO chairs no conference: only the escalation policy is offered.
    expect((await sw.get(`/people/${app.fixture.people.iro1}/concerns/new`)).text).not.toContain(
      'Complaints in relation to child protection conferences',
    )
    expectErrors(await post(sw, path, {}), 400, [m.route.required, m.concern.required])
    const res = await post(sw, path, {
      route: 'conference_complaints',
      concern: 'The conference went ahead without my report.',
      caseId: 'C1',
    })
    expect(res.status).toBe(303)
    ids.concern = Number(/\/notes\/(\d+)$/.exec(res.headers.location!)![1])
    const own = await sw.get(`/notes/${ids.concern}`)
    expect(own.text).toContain('Awaiting informal resolution')
    expect(own.text).toContain('C1')
    expect(own.text).not.toContain('data-qa="resolve"')

    const manager = await as('rsm')
    const work = await manager.get('/work')
    expect(work.text).toContain('Resolve a concern about a reviewer’s practice informally')
    expect(work.text).toContain(`href="/notes/${ids.concern}/resolution"`)
    expect((await manager.get(`/notes/${ids.concern}`)).text).toContain('data-qa="resolve"')
    for (const who of ['cpc1', 'headIrs', 'admin', 'tmA'] as const)
      expect((await (await as(who)).get(`/notes/${ids.concern}`)).status, who).toBe(404)
    const reviewerWork = await (await as('cpc1')).get('/work')
    expect(reviewerWork.text).not.toContain(`/notes/${ids.concern}`)
    // Never on the child's page, history or disputes.
    const child = await (await as('admin')).get(`/children/${app.fixture.children.c1}`)
    expect(child.text).not.toContain(`/notes/${ids.concern}`)
    expect(child.text).not.toContain('practice_note')
    expect((await (await as('rsm')).get(`/people/${app.fixture.people.cpc1}`)).text).not.toContain(
      `/notes/${ids.concern}`,
    )
  })

  it('lets only the reviewer’s manager record the informal resolution, and then shows the formal route', async () => {
    const path = `/notes/${ids.concern}/resolution`
    expect((await (await as('swA')).get(path)).status).toBe(403)
    expect((await (await as('cpc1')).get(path)).status).toBe(404)
    const manager = await as('rsm')
    expectErrors(await post(manager, path, {}), 400, [m.outcome.required, m.resolved.required])
    expectErrors(await post(manager, path, { outcome: 'We met.', resolved: 'no' }), 400, [m.formalRoute.required])
    const res = await post(manager, path, {
      outcome: 'We met and talked it through.',
      resolved: 'no',
      formalRoute: 'complaints',
    })
    expect(res.status).toBe(303)
    const page = await (await as('swA')).get(`/notes/${ids.concern}`)
    expect(page.text).toContain('Not resolved: complaints process')
    expect(page.text).toContain('Raise it formally through the complaints process.')
    expect((await manager.get(path)).status).toBe(409)
    expect((await manager.get('/work')).text).not.toContain(path)
  })
})

describe('notes over the API', () => {
  it('refuses a good practice note from a social worker, and writes one for a reviewer', async () => {
    const body = { childIds: [app.fixture.children.c2], ...noteBody }
    const refused = await (await api('swA')).post('/api/notes').send(body)
    expect(refused.status).toBe(403)
    expect(refused.type).toBe('application/problem+json')
    const invalid = await (await api('iro1')).post('/api/notes').send({ childIds: [app.fixture.children.c2] })
    expect(invalid.status).toBe(400)
    expect(invalid.body.errors).toEqual(
      expect.arrayContaining([{ field: 'goodPractice', message: m.goodPractice.required }]),
    )
    const res = await (await api('iro1')).post('/api/notes').send({ ...body, about: 'team' })
    expect(res.status).toBe(201)
    expect(res.body.items[0]).toMatchObject({
      kind: 'good_practice',
      childId: app.fixture.children.c2,
      about: { teamId: app.fixture.units.teamA, personId: null },
      recipients: [{ personId: app.fixture.people.tmA, copy: false, acknowledgedAt: null }],
    })
    expect(res.headers.location).toBe(`/api/notes/${res.body.items[0].id}`)
    const list = await (await api('tmA')).get('/api/notes')
    expect(list.body.items.map((n: { id: number }) => n.id)).toContain(res.body.items[0].id)
  })

  it('sends a reciprocal note and a concern, which only the manager may see and resolve', async () => {
    const sw = await api('swB')
    const note = await sw.post('/api/notes/reciprocal').send({
      reviewerId: app.fixture.people.iro2,
      categoryKey: 'resources',
      goodPractice: 'Found a placement.',
      impact: 'Stable.',
    })
    expect(note.status).toBe(201)
    expect(note.body.recipients.map((r: { personId: number }) => r.personId)).toEqual([
      app.fixture.people.iro2,
      app.fixture.people.rsm,
    ])
    const concern = await sw
      .post('/api/notes/concerns')
      .send({ reviewerId: app.fixture.people.iro2, route: 'escalation_policy', concern: 'Late minutes.', caseId: 'C3' })
    expect(concern.status).toBe(201)
    expect(concern.body).toMatchObject({ kind: 'concern', caseId: 'C3', resolution: null })
    expect(concern.body).not.toHaveProperty('childId')
    const id = concern.body.id
    expect((await (await api('iro2')).get(`/api/notes/${id}`)).status).toBe(404)
    expect((await (await api('admin')).get(`/api/notes/${id}`)).status).toBe(404)
    const wrongRoute = await sw
      .post('/api/notes/concerns')
      .send({ reviewerId: app.fixture.people.iro2, route: 'conference_complaints', concern: 'x' })
    expect(wrongRoute.status).toBe(400)
    expect(
      (await sw.post(`/api/notes/concerns/${id}/resolution`).send({ version: 1, outcome: 'x', resolved: true })).status,
    ).toBe(403)
    const rsm = await api('rsm')
    const resolved = await rsm
      .post(`/api/notes/concerns/${id}/resolution`)
      .send({ version: concern.body.version, outcome: 'Talked it through.', resolved: true })
    expect(resolved.status).toBe(200)
    expect(resolved.body.resolution).toMatchObject({ resolved: true, formalRoute: null })
    const again = await rsm
      .post(`/api/notes/concerns/${id}/resolution`)
      .send({ version: resolved.body.version, outcome: 'Again', resolved: true })
    expect(again.status).toBe(409)
  })

  it('describes the note paths in the OpenAPI document', async () => {
    const doc = (await request(app.url).get('/api/openapi.json')).body
    for (const path of [
      '/api/notes',
      '/api/notes/reciprocal',
      '/api/notes/concerns',
      '/api/notes/concerns/{id}/resolution',
      '/api/notes/{id}',
    ])
      expect(doc.paths[path], path).toBeDefined()
    expect(doc.components.schemas.ReviewerConcern.properties.route.enum).toEqual([
      'escalation_policy',
      'conference_complaints',
    ])
  })
})

describe('reaching notes, checks and notices', () => {
  it('puts Notes in the header for everyone signed in, marked current on the notes pages', async () => {
    for (const who of ['swA', 'iro1', 'tmA', 'rsm', 'admin'] as const) {
      const page = await (await as(who)).get('/children')
      expect(page.text, who).toMatch(/<a class="govuk-service-navigation__link" href="\/notes"[^>]*>\s*Notes\s*<\/a>/)
      expect(page.text, who).not.toMatch(/href="\/notes" aria-current="(page|true)"/)
    }
    const notes = await (await as('swA')).get('/notes')
    expect(notes.status).toBe(200)
    expect(notes.text).toMatch(/href="\/notes" aria-current="(page|true)"/)
    const signedOut = await request(app.url).get('/sign-in')
    expect(signedOut.text).not.toContain('href="/notes"')
  })

  it('links reviewers and their managers to the checks due from My work, and no one else', async () => {
    for (const who of ['iro1', 'cpc1', 'rsm', 'headIrs'] as const)
      expect((await (await as(who)).get('/work')).text, who).toContain('href="/work/checks"')
    for (const who of ['swA', 'tmA'] as const)
      expect((await (await as(who)).get('/work')).text, who).not.toContain('href="/work/checks"')
  })
})
