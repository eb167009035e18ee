import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpChairCheckHeadings, iroCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import { csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

/** Text as Nunjucks writes it into the page (autoescape). */
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

type Agent = Awaited<ReturnType<typeof signedInAgent>>

// The app's day is Thursday 5 January 2023. iro1 reviews C2 (and, here, its sibling C3); cpc1 chairs C1's plan.
let app: TestApp
const agents = new Map<FixturePerson, Agent>()
async function as(who: FixturePerson): Promise<Agent> {
  if (!agents.has(who)) agents.set(who, await signedInAgent(app, who))
  return agents.get(who)!
}

const checks = { c2: 0, c1: 0 }

/** Records a check through the web form and returns its id. */
async function recordCheck(
  who: FixturePerson,
  childId: number,
  kind: string,
  answers: Record<string, string>,
  outcome: string,
) {
  const agent = await as(who)
  const form = await agent.get(`/children/${childId}/checks/new`)
  expect(form.status).toBe(200)
  const saved = await agent
    .post(`/children/${childId}/checks/new`)
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      kind,
      ...Object.fromEntries(Object.entries(answers).map(([k, v]) => [`answer-${k}`, v])),
      outcome,
      'heldOn-day': '4',
      'heldOn-month': '1',
      'heldOn-year': '2023',
    })
  expect(saved.status).toBe(303)
  return Number(/\/checks\/(\d+)$/.exec(saved.headers.location!)![1])
}

beforeAll(async () => {
  app = await startTestApp()
  await app.running.services.db.query('update children set iro_id = $1 where id = $2', [
    app.fixture.people.iro1,
    app.fixture.children.c3,
  ])
  checks.c2 = await recordCheck(
    'iro1',
    app.fixture.children.c2,
    'iro',
    Object.fromEntries(iroCheckHeadings.map(h => [h.key, `Seen: ${h.key} <ok> & "fine"`])),
    'requires_improvement',
  )
  checks.c1 = await recordCheck(
    'cpc1',
    app.fixture.children.c1,
    'cp_chair',
    Object.fromEntries(cpChairCheckHeadings.map(h => [h.key, `Secret ${h.key}`])),
    'good',
  )
})
afterAll(async () => app.dispose())

const opening = () =>
  `IRO progress check PC-${String(checks.c2).padStart(6, '0')}, held on 4 January 2023: Progress requires improvement.`

describe('from a check to a dispute', () => {
  it('carries the check through the policy step and starts the concern from it', async () => {
    const iro = await as('iro1')
    const c2 = app.fixture.children.c2
    const path = `/children/${c2}/disputes/new`
    const choose = await iro.get(`${path}?fromCheck=${checks.c2}`)
    expect(choose.status).toBe(200)
    expect(choose.text).toContain('Which policy does this dispute follow?')
    expect(choose.text).toContain(`name="fromCheck" value="${checks.c2}"`)
    // Nothing chosen: the step is asked again, still carrying the check.
    const again = await iro.get(`${path}?step=policy&fromCheck=${checks.c2}`)
    expect(again.status).toBe(400)
    expect(again.text).toContain(`name="fromCheck" value="${checks.c2}"`)

    const form = await iro.get(`${path}?step=policy&policy=gloucestershire-2022&fromCheck=${checks.c2}`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('data-qa="from-check"')
    expect(form.text).toContain(`href="/checks/${checks.c2}"`)
    expect(form.text).toContain(`name="fromCheck" value="${checks.c2}"`)
    expect(form.text).toContain(`href="${path}?fromCheck=${checks.c2}"`)
    const concern = /<textarea[^>]*name="concern"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)![1]!
    expect(concern).toContain(html(opening()))
    for (const h of iroCheckHeadings) {
      expect(concern).toContain(html(h.label))
      expect(concern).toContain(html(`Seen: ${h.key} <ok> & "fine"`))
    }
    // The other fields are the reviewer's to fill in.
    expect(/<textarea[^>]*name="impact"[^>]*>\s*<\/textarea>/.test(form.text)).toBe(true)

    // A validation error keeps the reviewer's own words, not the check's.
    const edited = 'The plan has drifted since the check: <no> permanence plan.'
    const bad = await iro
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        policyId: 'gloucestershire-2022',
        fromCheck: String(checks.c2),
        concern: edited,
      })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('There is a problem')
    expect(bad.text).toContain(html(edited))
    expect(bad.text).not.toContain(html(opening()))
    expect(bad.text).toContain('data-qa="from-check"')

    const raised = await iro
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        policyId: 'gloucestershire-2022',
        fromCheck: String(checks.c2),
        categoryKey: 'drift_delay',
        concern: edited,
        impact: 'No settled home.',
        recommendedResolution: 'Agree a permanence plan.',
        resolutionTimescale: 'Within 10 working days',
        startStageKey: 'formal1',
        'becameAwareOn-day': '4',
        'becameAwareOn-month': '1',
        'becameAwareOn-year': '2023',
      })
    expect(raised.status, raised.text.slice(0, 3000)).toBe(303)
    const record = await iro.get(raised.headers.location!)
    expect(record.text).toContain(html(edited))
  })

  it('does not pre-fill from a check the viewer may not see, about another child, or that does not exist', async () => {
    const iro = await as('iro1')
    const { c2, c3 } = app.fixture.children
    const form = (child: number, from: string) =>
      iro.get(`/children/${child}/disputes/new?policy=gloucestershire-2022&fromCheck=${from}`)
    for (const res of [
      await form(c2, String(checks.c1)), // C1's check: iro1 cannot see C1
      await form(c3, String(checks.c2)), // C2's check, on the form for its sibling C3
      await form(c2, '999999'),
      await form(c2, 'abc'),
    ]) {
      expect(res.status).toBe(200)
      expect(res.text).not.toContain('data-qa="from-check"')
      expect(res.text).not.toContain('name="fromCheck"')
      expect(res.text).not.toContain('Secret')
      expect(res.text).not.toContain('PC-')
      expect(/<textarea[^>]*name="concern"[^>]*>\s*<\/textarea>/.test(res.text)).toBe(true)
    }
    const choose = await iro.get(`/children/${c2}/disputes/new?fromCheck=${checks.c1}`)
    expect(choose.text).not.toContain('name="fromCheck"')
  })

  it('is still refused to a social worker, with or without a check', async () => {
    const sw = await as('swA')
    const res = await sw.get(`/children/${app.fixture.children.c2}/disputes/new?fromCheck=${checks.c2}`)
    expect(res.status).toBe(403)
    expect(res.text).not.toContain('Seen:')
  })
})

describe('from a check to a good practice note', () => {
  it('starts the practice text from the check and keeps what the reviewer typed', async () => {
    const iro = await as('iro1')
    const c2 = app.fixture.children.c2
    const path = `/children/${c2}/notes/new`
    const form = await iro.get(`${path}?fromCheck=${checks.c2}`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('data-qa="from-check"')
    const practice = /<textarea[^>]*name="goodPractice"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)![1]!
    expect(practice).toContain(html(opening()))
    expect(practice).toContain(html('Seen: safeEnough <ok> & "fine"'))
    // Still about the social worker by default.
    expect(form.text).toMatch(/value="social_worker" checked/)

    const edited = 'Careful, patient work with <both> carers.'
    const bad = await iro
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), fromCheck: String(checks.c2), about: 'social_worker', goodPractice: edited })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain(html(edited))
    expect(bad.text).not.toContain(html(opening()))
    expect(bad.text).toContain('data-qa="from-check"')

    const sent = await iro
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        fromCheck: String(checks.c2),
        about: 'social_worker',
        categoryKey: 'participation',
        goodPractice: edited,
        impact: 'The child feels listened to.',
      })
    expect(sent.status).toBe(303)
    expect((await iro.get(sent.headers.location!)).text).toContain(html(edited))
  })

  it('does not pre-fill from a check the viewer may not see or about another child', async () => {
    const iro = await as('iro1')
    const { c2, c3 } = app.fixture.children
    for (const res of [
      await iro.get(`/children/${c2}/notes/new?fromCheck=${checks.c1}`),
      await iro.get(`/children/${c3}/notes/new?fromCheck=${checks.c2}`),
      await iro.get(`/children/${c2}/notes/new?fromCheck=0`),
    ]) {
      expect(res.status).toBe(200)
      expect(res.text).not.toContain('data-qa="from-check"')
      expect(res.text).not.toContain('Secret')
      expect(res.text).not.toContain('PC-')
      expect(/<textarea[^>]*name="goodPractice"[^>]*>\s*<\/textarea>/.test(res.text)).toBe(true)
    }
    // A social worker cannot write a note at all; a reviewer who cannot see the child gets 404.
    expect((await (await as('swA')).get(`/children/${c2}/notes/new?fromCheck=${checks.c2}`)).status).toBe(403)
    expect((await (await as('cpc1')).get(`/children/${c2}/notes/new?fromCheck=${checks.c2}`)).status).toBe(404)
  })
})
