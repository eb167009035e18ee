import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { cpChairCheckHeadings, iroCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

/** A page's main content, without the random tokens elsewhere on it (CSRF, script nonce). */
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'))

// The app's day is Thursday 5 January 2023. C2 (iro1's, looked after since 10 May 2021) is in team A
// (swA, tmA); C1 is on a plan chaired by cpc1; rsm manages the reviewers.
let app: TestApp
const tokens = new Map<FixturePerson, string>()

beforeAll(async () => {
  app = await startTestApp()
  for (const who of ['swA', 'swB', 'tmA', 'iro1', 'iro2', 'cpc1', 'rsm'] as const)
    tokens.set(who, await apiTokenFor(app, who))
})
afterAll(async () => app.dispose())

function api(who: FixturePerson) {
  const auth = { Authorization: `Bearer ${tokens.get(who)}` }
  return {
    get: (path: string) => request(app.url).get(path).set(auth),
    post: (path: string) => request(app.url).post(path).set(auth),
  }
}

const iroForm = Object.fromEntries(iroCheckHeadings.map(h => [`answer-${h.key}`, `About ${h.key}`]))
const iroAnswers = Object.fromEntries(iroCheckHeadings.map(h => [h.key, `About ${h.key}`]))

describe('progress check pages', () => {
  it('lets the allocated IRO record a check, shows it, and offers to go on to a dispute or a note', async () => {
    const c2 = app.fixture.children.c2
    const iro = await signedInAgent(app, 'iro1')
    const child = await iro.get(`/children/${c2}`)
    expect(child.text).toContain('data-qa="record-check"')
    expect(child.text).not.toContain('data-qa="send-notice"')
    // C2's second-year second check (10 November 2022) is overdue.
    expect(child.text).toContain('Overdue')
    const form = await iro.get(`/children/${c2}/checks/new`)
    expect(form.status).toBe(200)
    for (const h of iroCheckHeadings) expect(form.text).toContain(`name="answer-${h.key}"`)
    expect(form.text).toContain('Was due by 10 November 2022')

    const bad = await iro
      .post(`/children/${c2}/checks/new`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), kind: 'iro', 'heldOn-day': '6', 'heldOn-month': '1', 'heldOn-year': '2023' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('There is a problem')
    expect(bad.text).toContain('Select the outcome of the check')
    expect(bad.text).toContain('href="#answer-safeEnough"')

    const future = await iro
      .post(`/children/${c2}/checks/new`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        kind: 'iro',
        ...iroForm,
        outcome: 'good',
        'heldOn-day': '6',
        'heldOn-month': '1',
        'heldOn-year': '2023',
      })
    expect(future.status).toBe(400)
    expect(future.text).toContain('The date of the check must be today or in the past')

    const saved = await iro
      .post(`/children/${c2}/checks/new`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        kind: 'iro',
        ...iroForm,
        outcome: 'requires_improvement',
        'heldOn-day': '4',
        'heldOn-month': '1',
        'heldOn-year': '2023',
      })
    expect(saved.status).toBe(303)
    const checkId = Number(/\/checks\/(\d+)$/.exec(saved.headers.location!)![1])
    const page = await iro.get(`/checks/${checkId}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Progress requires improvement')
    expect(page.text).toContain('About safeEnough')
    expect(page.text).toContain(`href="/children/${c2}/disputes/new?fromCheck=${checkId}"`)
    expect(page.text).toContain(`href="/children/${c2}/notes/new?fromCheck=${checkId}"`)
    // The social worker can read the check on the child's record, without the reviewer's next steps.
    const sw = await signedInAgent(app, 'swA')
    const swPage = await sw.get(`/checks/${checkId}`)
    expect(swPage.status).toBe(200)
    expect(swPage.text).not.toContain('fromCheck')
    expect((await sw.get(`/children/${c2}`)).text).toContain(`href="/checks/${checkId}"`)
    expect((await (await signedInAgent(app, 'swB')).get(`/checks/${checkId}`)).status).toBe(404)
  })

  it('refuses a social worker (403) and a reviewer who cannot see the child (404)', async () => {
    const c2 = app.fixture.children.c2
    const sw = await signedInAgent(app, 'swA')
    const refused = await sw.get(`/children/${c2}/checks/new`)
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('Only an IRO or a child protection conference chair can record a progress check')
    expect((await sw.get(`/children/${c2}`)).text).not.toContain('data-qa="record-check"')
    const page = await sw.get(`/children/${c2}`)
    const post = await sw
      .post(`/children/${c2}/checks/new`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'iro', ...iroForm, outcome: 'good' })
    expect(post.status).toBe(403)
    expect((await (await signedInAgent(app, 'iro2')).get(`/children/${c2}/checks/new`)).status).toBe(404)
    expect((await (await signedInAgent(app, 'cpc1')).get(`/children/${c2}/checks/new`)).status).toBe(404)
  })

  it('lists checks due for the reviewer, and for their manager by reviewer', async () => {
    const iro = await signedInAgent(app, 'iro1')
    expect((await iro.get('/work')).text).toContain('href="/work/checks"')
    const own = await iro.get('/work/checks')
    expect(own.status).toBe(200)
    expect(own.text).toContain('data-qa="checks-due"')
    expect(own.text).toContain('C2')
    const cpc = await signedInAgent(app, 'cpc1')
    const chair = await cpc.get('/work/checks?state=overdue')
    // C1 (plan since 1 March 2022): 1 November 2022 is overdue; C4 (since 1 September 2022): 1 January 2023.
    // Within the page's main content: the random CSRF token and script nonce may hold "C4" too.
    const main = mainOf(chair.text)
    expect(main.indexOf('C1')).toBeGreaterThan(-1)
    expect(main.indexOf('C1')).toBeLessThan(main.indexOf('C4'))
    const rsm = await signedInAgent(app, 'rsm')
    expect((await rsm.get('/work')).text).toContain('href="/work/checks"')
    const all = await rsm.get('/work/checks')
    expect(all.status).toBe(200)
    expect(all.text).toContain('C1')
    expect(all.text).toContain('C3')
    const one = await rsm.get(`/work/checks?reviewer=${app.fixture.people.cpc1}`)
    expect(one.text).toContain('C1')
    expect(mainOf(one.text)).not.toContain('C3')
    expect((await (await signedInAgent(app, 'swA')).get('/work/checks')).status).toBe(403)
    expect((await iro.get(`/work/checks?reviewer=${app.fixture.people.iro2}`)).status).toBe(403)
  })
})

describe('significant-change notice pages', () => {
  it('lets the social worker tell the IRO, who alone gets it in My work, acknowledges it and sets a review', async () => {
    const c2 = app.fixture.children.c2
    const sw = await signedInAgent(app, 'swA')
    const child = await sw.get(`/children/${c2}`)
    expect(child.text).toContain('data-qa="send-notice"')
    const form = await sw.get(`/children/${c2}/notices/new`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('Missing from care episode')
    expect(form.text).not.toContain('The child has moved out of county')
    const bad = await sw
      .post(`/children/${c2}/notices/new`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), audience: 'iro' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Select what has happened')
    expect(bad.text).toContain('Enter the date it happened')
    expect(bad.text).toContain('Enter the details')
    // Monday 2 January 2023 was the substitute bank holiday for New Year's Day.
    const sent = await sw
      .post(`/children/${c2}/notices/new`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        audience: 'iro',
        kind: 'missing_from_care',
        'occurredOn-day': '30',
        'occurredOn-month': '12',
        'occurredOn-year': '2022',
        details: 'Missing overnight, returned the next morning.',
      })
    expect(sent.status).toBe(303)
    const noticeId = Number(/\/notices\/(\d+)$/.exec(sent.headers.location!)![1])
    const page = await sw.get(`/notices/${noticeId}`)
    expect(page.text).toContain('3 working days after it happened')
    expect(page.text).toContain('Not yet acknowledged')
    expect(page.text).not.toContain('data-qa="acknowledge"')

    for (const other of ['iro2', 'cpc1'] as const)
      expect((await (await signedInAgent(app, other)).get('/work')).text).not.toContain(`/notices/${noticeId}`)
    const iro = await signedInAgent(app, 'iro1')
    const work = await iro.get('/work')
    expect(work.text).toContain('Read a significant-change notice')
    expect(work.text).toContain(`href="/notices/${noticeId}"`)
    // Acknowledged only on the notice, where the review question is: no Acknowledge in My work, and none by its address.
    const itemId = (
      await app.running.services.db.query<{ id: number }>(
        `select id from work_items where kind = 'change_notice' and subject_id = $1 and person_id = $2`,
        [noticeId, app.fixture.people.iro1],
      )
    ).rows[0]!.id
    expect(work.text).not.toContain(`action="/work/${itemId}/acknowledge"`)
    expect(
      (
        await iro
          .post(`/work/${itemId}/acknowledge`)
          .type('form')
          .send({ _csrf: csrfFrom(work.text) })
      ).status,
    ).toBe(404)
    const notice = await iro.get(`/notices/${noticeId}`)
    expect(notice.text).toContain('data-qa="acknowledge"')
    // The acknowledge form as posted: a review needed or not, and a needed-by date (day, month, year).
    const acknowledge = (fields: { reviewNeeded?: string; due?: [string, string, string] }) =>
      iro
        .post(`/notices/${noticeId}/acknowledge`)
        .type('form')
        .send({
          _csrf: csrfFrom(notice.text),
          version: '1',
          ...(fields.reviewNeeded ? { reviewNeeded: fields.reviewNeeded } : {}),
          ...(fields.due
            ? {
                'reviewDueOn-day': fields.due[0],
                'reviewDueOn-month': fields.due[1],
                'reviewDueOn-year': fields.due[2],
              }
            : {}),
        })
    const noChoice = await acknowledge({})
    expect(noChoice.status).toBe(400)
    expect(noChoice.text).toContain('Select whether a review is needed')
    // The error page's address, asked for again (the address bar, a bookmark), is the notice.
    const asked = await iro.get(`/notices/${noticeId}/acknowledge`)
    expect([asked.status, asked.headers.location]).toEqual([303, `/notices/${noticeId}`])
    const past = await acknowledge({ reviewNeeded: 'yes', due: ['4', '1', '2023'] })
    expect(past.status).toBe(400)
    expect(past.text).toContain('The date the review is needed by must be today or later')
    const noWithDate = await acknowledge({ reviewNeeded: 'no', due: ['20', '1', '2023'] })
    expect(noWithDate.status).toBe(400)
    expect(noWithDate.text).toContain('Select yes if a review is needed by this date, or remove the date')
    expect(noWithDate.text).toContain('name="reviewDueOn-day" type="text" value="20"')
    const acknowledged = await acknowledge({ reviewNeeded: 'yes', due: ['20', '1', '2023'] })
    expect(acknowledged.status).toBe(303)
    const after = await iro.get('/work')
    expect(after.text).toContain('Hold the review after a significant change')
    expect(after.text).toContain(`href="/notices/${noticeId}/review-held"`)
    expect(after.text).toContain('20 January 2023')
    const childPage = await iro.get(`/children/${c2}`)
    expect(childPage.text).toContain('By 20 January 2023')
    // The child’s history names the notice each step of it was about, as it does a dispute's record.
    expect(childPage.text).toMatch(
      new RegExp(
        `Acknowledged</h3>[\\s\\S]*?Record <a class="govuk-link" href="/notices/${noticeId}">SCN-0*${noticeId}</a>`,
      ),
    )
    // Held: the review leaves My work.
    const heldForm = await iro.get(`/notices/${noticeId}/review-held`)
    expect(heldForm.status).toBe(200)
    const held = await iro
      .post(`/notices/${noticeId}/review-held`)
      .type('form')
      .send({
        _csrf: csrfFrom(heldForm.text),
        version: /name="version" value="(\d+)"/.exec(heldForm.text)![1],
        'heldOn-day': '5',
        'heldOn-month': '1',
        'heldOn-year': '2023',
      })
    expect(held.status).toBe(303)
    expect((await iro.get('/work')).text).not.toContain(`/notices/${noticeId}`)
    expect((await iro.get(`/notices/${noticeId}`)).text).toContain('Held on 5 January 2023')
    expect((await sw.get(`/notices/${noticeId}/review`)).status).toBe(403)
  })

  it('lets only the social worker or their managers send a notice', async () => {
    const c2 = app.fixture.children.c2
    expect((await (await signedInAgent(app, 'tmA')).get(`/children/${c2}/notices/new`)).status).toBe(200)
    const iro = await signedInAgent(app, 'iro1')
    expect((await iro.get(`/children/${c2}/notices/new`)).status).toBe(403)
    const rsm = await signedInAgent(app, 'rsm')
    const refused = await rsm.get(`/children/${c2}/notices/new`)
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('Only the child’s social worker or their managers')
    expect((await rsm.get(`/children/${c2}`)).text).not.toContain('data-qa="send-notice"')
    expect((await (await signedInAgent(app, 'swB')).get(`/children/${c2}/notices/new`)).status).toBe(404)
  })
})

describe('progress checks and notices over the API', () => {
  it('records a check for the allocated reviewer only, and reads it back', async () => {
    const c1 = app.fixture.children.c1
    const body = {
      heldOn: '2023-01-05',
      answers: Object.fromEntries(cpChairCheckHeadings.map(h => [h.key, 'Fine'])),
      outcome: 'good',
    }
    expect((await api('swA').post(`/api/children/${c1}/checks`).send(body)).status).toBe(403)
    expect((await api('iro2').post(`/api/children/${c1}/checks`).send(body)).status).toBe(404)
    expect((await api('rsm').post(`/api/children/${c1}/checks`).send(body)).status).toBe(403)
    const invalid = await api('cpc1')
      .post(`/api/children/${c1}/checks`)
      .send({ ...body, answers: {}, outcome: 'fine' })
    expect(invalid.status).toBe(400)
    expect(invalid.body.errors).toEqual([{ field: 'outcome', message: 'Select the outcome of the check' }])
    const unanswered = await api('cpc1')
      .post(`/api/children/${c1}/checks`)
      .send({ ...body, answers: {} })
    expect(unanswered.status).toBe(400)
    expect(unanswered.body.errors.map((e: { field: string }) => e.field)).toEqual(
      cpChairCheckHeadings.map(h => `answers.${h.key}`),
    )
    const created = await api('cpc1').post(`/api/children/${c1}/checks`).send(body)
    expect(created.status).toBe(201)
    expect(created.headers.location).toBe(`/api/checks/${created.body.id}`)
    expect(created.body).toMatchObject({ kind: 'cp_chair', heldOn: '2023-01-05', outcome: 'good', childId: c1 })
    const read = await api('swA').get(`/api/checks/${created.body.id}`)
    expect(read.status).toBe(200)
    expect(read.body.answers[0]).toEqual({ key: 'planProgress', label: cpChairCheckHeadings[0].label, answer: 'Fine' })
    expect((await api('swB').get(`/api/checks/${created.body.id}`)).status).toBe(404)
  })

  it('lists checks due: my own, or one reviewer’s for their manager', async () => {
    const own = await api('cpc1').get('/api/checks/due')
    expect(own.status).toBe(200)
    expect(own.body.items.map((i: { caseId: string }) => i.caseId)).toEqual(['C4', 'C1'])
    expect(own.body.items[0]).toMatchObject({ kind: 'cp_chair', dueOn: '2023-01-01', status: 'overdue', missed: 0 })
    const managed = await api('rsm').get(`/api/checks/due?reviewerId=${app.fixture.people.cpc1}`)
    expect(managed.body.items).toEqual(own.body.items)
    expect(managed.body.reviewers.map((r: { id: number }) => r.id)).toContain(app.fixture.people.cpc1)
    expect((await api('iro1').get(`/api/checks/due?reviewerId=${app.fixture.people.cpc1}`)).status).toBe(403)
    expect((await api('swA').get('/api/checks/due')).status).toBe(403)
    const paged = await api('rsm').get('/api/checks/due?pageSize=1&page=2')
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1 })
    expect(paged.body.items).toHaveLength(1)
  })

  it('sends a notice to the allocated reviewer, who acknowledges it, and tracks the review a plan change needs', async () => {
    const c2 = app.fixture.children.c2
    const body = { kind: 'plan_change', occurredOn: '2023-01-03', details: 'The plan changed at the review.' }
    expect((await api('iro1').post(`/api/children/${c2}/notices`).send(body)).status).toBe(403)
    expect((await api('swB').post(`/api/children/${c2}/notices`).send(body)).status).toBe(404)
    const bad = await api('swA')
      .post(`/api/children/${c2}/notices`)
      .send({ ...body, kind: 'harm', occurredOn: '2023-02-30' })
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([{ field: 'occurredOn', message: 'The date it happened must be a real date' }])
    const sent = await api('swA').post(`/api/children/${c2}/notices`).send(body)
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject({
      audience: 'iro',
      reviewerId: app.fixture.people.iro1,
      latenessWorkingDays: 2,
      reviewDueOn: '2023-01-31',
      reviewSetBy: 'policy',
      acknowledgedAt: null,
      yourAcknowledgeItemId: null,
    })
    const id = sent.body.id
    const work = await api('iro1').get('/api/work')
    expect(work.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'change_notice', subjectType: 'change_notice', subjectId: id }),
        expect.objectContaining({ kind: 'review_due', subjectId: id, dueOn: '2023-01-31' }),
      ]),
    )
    expect((await api('iro2').get('/api/work')).body.items.some((i: { subjectId: number }) => i.subjectId === id)).toBe(
      false,
    )
    const asReviewer = await api('iro1').get(`/api/notices/${id}`)
    expect(asReviewer.body.yourAcknowledgeItemId).toEqual(expect.any(Number))
    expect((await api('swA').post(`/api/notices/${id}/acknowledge`).send({})).status).toBe(403)
    const acknowledged = await api('iro1').post(`/api/notices/${id}/acknowledge`).send({})
    expect(acknowledged.status).toBe(200)
    expect(acknowledged.body.acknowledgedAt).not.toBeNull()
    expect((await api('iro1').post(`/api/notices/${id}/acknowledge`).send({})).status).toBe(409)

    const moved = await api('iro1').post(`/api/notices/${id}/review`).send({ version: 1, reviewDueOn: '2023-01-27' })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ reviewDueOn: '2023-01-27', reviewSetBy: 'reviewer', version: 2 })
    expect(
      (await api('iro1').post(`/api/notices/${id}/review`).send({ version: 1, reviewDueOn: '2023-01-28' })).status,
    ).toBe(409)
    expect(
      (await api('swA').post(`/api/notices/${id}/review-held`).send({ version: 2, heldOn: '2023-01-05' })).status,
    ).toBe(403)
    const held = await api('iro1').post(`/api/notices/${id}/review-held`).send({ version: 2, heldOn: '2023-01-05' })
    expect(held.status).toBe(200)
    expect(held.body).toMatchObject({ reviewHeldOn: '2023-01-05', version: 3 })
    expect((await api('iro1').get('/api/work')).body.items.some((i: { subjectId: number }) => i.subjectId === id)).toBe(
      false,
    )
    expect(
      (await api('iro1').post(`/api/notices/${id}/review`).send({ version: 3, reviewDueOn: '2023-02-01' })).status,
    ).toBe(409)
    expect((await api('swB').get(`/api/notices/${id}`)).status).toBe(404)
  })

  it('describes the new paths in the OpenAPI document', async () => {
    const res = await request(app.url).get('/api/openapi.json')
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/checks/due',
        '/api/children/{id}/checks',
        '/api/checks/{id}',
        '/api/children/{id}/notices',
        '/api/notices/{id}',
        '/api/notices/{id}/acknowledge',
        '/api/notices/{id}/review',
        '/api/notices/{id}/review-held',
      ]),
    )
    expect(res.body.components.schemas.ProgressCheck.properties.outcome.enum).toEqual([
      'outstanding',
      'good',
      'requires_improvement',
      'inadequate',
    ])
  })
})

describe('a reviewer who is no longer allocated', () => {
  it('cannot record a check for a child they can still see (403)', async () => {
    // iro1 raised a dispute about C2, so still sees C2 after it is reallocated to iro2.
    const services = app.running.services
    const iro = (await services.access.currentUser(app.fixture.people.iro1))!
    await services.disputes.raise(iro, {
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      concern: 'Concern',
      impact: 'Impact',
      wishesAndFeelings: '',
      recommendedResolution: 'Resolution',
      resolutionTimescale: '5 days',
      becameAwareOn: parseIsoDate('2023-01-05'),
      startStageKey: 'formal1',
    })
    await services.db.query('update children set iro_id = $1 where id = $2', [
      app.fixture.people.iro2,
      app.fixture.children.c2,
    ])
    const agent = await signedInAgent(app, 'iro1')
    expect((await agent.get(`/children/${app.fixture.children.c2}`)).status).toBe(200)
    const refused = await agent.get(`/children/${app.fixture.children.c2}/checks/new`)
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('Only the child’s allocated IRO')
    const body = { heldOn: '2023-01-05', answers: iroAnswers, outcome: 'good' }
    expect((await api('iro1').post(`/api/children/${app.fixture.children.c2}/checks`).send(body)).status).toBe(403)
    expect((await api('iro2').post(`/api/children/${app.fixture.children.c2}/checks`).send(body)).status).toBe(201)
  })
})

describe('a child who is both looked after and on a plan', () => {
  it('asks which reviewer a notice is for, and which check a reviewer in both roles is recording', async () => {
    const c1 = app.fixture.children.c1
    const db = app.running.services.db
    // C1, on a plan chaired by cpc1 since 1 March 2022, came into care on 3 October 2022 with iro2.
    await db.query('update children set looked_after_start = $1, iro_id = $2 where id = $3', [
      '2022-10-03',
      app.fixture.people.iro2,
      c1,
    ])
    const sw = await signedInAgent(app, 'swA')
    const step = await sw.get(`/children/${c1}/notices/new`)
    expect(step.status).toBe(200)
    expect(step.text).toContain('Which reviewer are you telling?')
    expect(step.text).toContain('Goes to iro2 Fixture')
    expect(step.text).toContain('Goes to cpc1 Fixture')
    const form = await sw.get(`/children/${c1}/notices/new?for=cp_chair`)
    expect(form.text).toContain('Concerns have increased and an early review conference is being considered')
    expect(form.text).not.toContain('Missing from care episode')
    const sent = await sw
      .post(`/children/${c1}/notices/new`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        audience: 'cp_chair',
        kind: 'concerns_increased',
        'occurredOn-day': '5',
        'occurredOn-month': '1',
        'occurredOn-year': '2023',
        details: 'Concerns have increased.',
      })
    expect(sent.status).toBe(303)
    const noticeId = Number(/\/notices\/(\d+)$/.exec(sent.headers.location!)![1])
    expect(
      (await api('cpc1').get('/api/work')).body.items.some((i: { subjectId: number }) => i.subjectId === noticeId),
    ).toBe(true)
    expect(
      (await api('iro2').get('/api/work')).body.items.some((i: { subjectId: number }) => i.subjectId === noticeId),
    ).toBe(false)
    const noAudience = await api('swA')
      .post(`/api/children/${c1}/notices`)
      .send({ kind: 'court_order', occurredOn: '2023-01-05', details: 'Order made.' })
    expect(noAudience.status).toBe(400)
    expect(noAudience.body.errors).toEqual([{ field: 'audience', message: 'Select who the notice is for' }])

    // cpc1 becomes C1's IRO as well: they choose which check they are recording.
    await db.query(`update people set roles = array['cp_chair', 'iro']::text[] where id = $1`, [
      app.fixture.people.cpc1,
    ])
    await db.query('update children set iro_id = $1 where id = $2', [app.fixture.people.cpc1, c1])
    const cpc = await signedInAgent(app, 'cpc1')
    const kindStep = await cpc.get(`/children/${c1}/checks/new`)
    expect(kindStep.text).toContain('Which check are you recording?')
    const iroForm = await cpc.get(`/children/${c1}/checks/new?kind=iro`)
    expect(iroForm.text).toContain('Record a progress check')
    expect(iroForm.text).toContain('name="answer-permanence"')
    const chairForm = await cpc.get(`/children/${c1}/checks/new?kind=cp_chair`)
    expect(chairForm.text).toContain('Record a quality assurance review')
    expect(chairForm.text).toContain('name="answer-coreGroups"')
    expect((await cpc.get(`/children/${c1}/checks/new?kind=other`)).status).toBe(400)
  })
})
