import type { Response } from 'superagent'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import type { Command } from '../../src/domain/dispute/stateMachine.js'
import { findDispute } from '../../src/db/repositories/disputeRepository.js'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { flat, pdfText } from '../helpers/pdfText.js'
import { apiTokenFor, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

const d = parseIsoDate
const everyone = Object.keys(expectedVisibility) as FixturePerson[]

let app: TestApp
/** The record that went through two stages, with actions, a meeting, decisions, a referral and an addendum. */
let referred = 0
/** A record never referred to CAFCASS. */
let plain = 0

/** Reads a binary body (supertest only buffers text and JSON by itself). */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(c))
  res.on('end', () => done(null, Buffer.concat(chunks)))
}

const services = () => app.running.services
const user = async (who: FixturePerson) => (await services().access.currentUser(app.fixture.people[who]))!
const at = (iso: string) => app.clock.set(new Date(iso))

async function act(who: FixturePerson, id: number, command: Command) {
  const record = await findDispute(services().db, id)
  await services().disputes.act(await user(who), id, record!.version, command)
}

const REASONS =
  'The plan for permanence has drifted for four months and two escalations have not changed it.\nThe child cannot wait for the Director.'
const ADDENDUM = 'CAFCASS acknowledged the referral on 17 January.'

beforeAll(async () => {
  app = await startTestApp()
  // Thursday 5 January 2023: iro1 raises an informal dispute for c2 under Gloucestershire 2022 (CAFCASS at any time).
  const iro = await user('iro1')
  const raise = (concern: string) =>
    services().disputes.raise(iro, {
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      startStageKey: 'informal',
      becameAwareOn: d('2023-01-04'),
      categoryKey: 'drift_delay',
      concern,
      impact: 'The child does not know where they will live.',
      wishesAndFeelings: 'Wants to stay near school.',
      recommendedResolution: 'Update the plan and share it with the child.',
      resolutionTimescale: 'Within 10 working days',
    })
  referred = (await raise('The pathway plan has not been updated since March.')).ids[0]!
  plain = (await raise('A second concern that is never referred.')).ids[0]!

  at('2023-01-06T10:00:00Z')
  await act('swA', referred, {
    type: 'respond',
    comments: 'I will update the plan next week.',
    actions: [{ what: 'Update the pathway plan', ownerId: app.fixture.people.swA, dueOn: d('2023-01-13') }],
  })
  at('2023-01-09T10:00:00Z')
  await services().disputes.logDiscussion(iro, referred, {
    channel: 'meeting',
    heldOn: d('2023-01-09'),
    participants: 'iro1 Fixture, swA Fixture, tmA Fixture',
    summary: 'Met to agree how the plan will be finished.',
    meeting: {
      childDetails: 'c2 Child, looked after since May 2021',
      meetingDetails: 'Team A office, 9 January',
      reasonForMeeting: 'The plan is overdue',
      views: 'The social worker needs more time',
      actionsToDate: 'A draft plan exists',
      discussion: 'Agreed the draft is not enough',
      outcome: 'next_steps',
      outcomeDetail: 'Escalate to the team manager',
    },
  })
  await act('iro1', referred, { type: 'decide_not_resolved', comments: 'The draft is not a plan.' })
  await act('iro1', referred, { type: 'escalate', toStageKey: 'formal1', reason: 'No plan after the informal stage.' })
  at('2023-01-11T10:00:00Z')
  await act('tmA', referred, {
    type: 'respond',
    comments: 'The plan will be finished and shared with the child.',
    actions: [
      { what: 'Finish the plan with the child', ownerId: app.fixture.people.swA, dueOn: d('2023-01-20') },
      { what: 'Share the plan with the foster carers', ownerId: app.fixture.people.tmA, dueOn: d('2023-01-27') },
    ],
  })
  at('2023-01-12T10:00:00Z')
  await act('swA', referred, { type: 'complete_action', actionId: 1, evidence: 'Draft uploaded to the file.' })
  at('2023-01-13T10:00:00Z')
  await act('iro1', referred, { type: 'refer_cafcass', reasons: REASONS })
  at('2023-01-16T10:00:00Z')
  await act('iro1', referred, { type: 'decide_resolved', comments: 'The plan is now in place.' })
  await act('iro1', referred, { type: 'finalise' })
  await act('iro1', referred, { type: 'add_addendum', text: ADDENDUM })
  // The PDFs are produced on Tuesday 17 January at 9:05am.
  at('2023-01-17T09:05:00Z')
})
afterAll(async () => app?.dispose())

const agents = new Map<FixturePerson, Awaited<ReturnType<typeof signedInAgent>>>()
async function web(who: FixturePerson, path: string) {
  if (!agents.has(who)) agents.set(who, await signedInAgent(app, who))
  return agents.get(who)!.get(path).buffer(true).parse(binary)
}
const tokens = new Map<FixturePerson, string>()
async function api(who: FixturePerson, path: string) {
  if (!tokens.has(who)) tokens.set(who, await apiTokenFor(app, who))
  return request(app.url)
    .get(path)
    .set('Authorization', `Bearer ${tokens.get(who)}`)
    .buffer(true)
    .parse(binary)
}

describe('the dispute record as a PDF', () => {
  it('holds the child, the policy, every stage, the actions, the discussions, the decisions, the referral, the addenda and who produced it', async () => {
    const res = await web('iro1', `/disputes/${referred}/record.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="dispute-record-DRP-${pad(referred)}.pdf"`)
    expect(res.headers['cache-control']).toBe('no-store')
    const { text, pages, info } = await pdfText(res.body as Buffer)
    const all = flat(text)
    expect(info.Title).toBe(`Dispute record DRP-${pad(referred)}`)
    expect(info.Author).toBe('iro1 Fixture')
    const expected = [
      `Dispute record DRP-${pad(referred)}`,
      'Produced by iro1 Fixture on 17 January 2023 at 9:05am.',
      'Status: Finalised, Referred to CAFCASS.',
      'This record is finalised and locked.',
      // The child.
      'The child',
      'Name c2 Child',
      'Case ID C2',
      'Date of birth 1 June 2015',
      'Legal status Looked after since 10 May 2021',
      'Allocated social worker swA Fixture',
      'Reviewer iro1 Fixture',
      // The policy, with its version.
      'Gloucestershire 2022: celebrating success and resolving differences, version 1, in force from 1 January 2022.',
      'Category of concern Drift and Delay in achieving timely permanence for children',
      'The concern The pathway plan has not been updated since March.',
      // Every stage, with its dates, deadlines and decision: five working days from 5 and 9 January.
      'Informal: Social Worker',
      'Entered 5 January 2023',
      'Sent to swA Fixture',
      'Response due 12 January 2023',
      'Response 6 January 2023 by swA Fixture I will update the plan next week. 1 action in the plan',
      'Decision Not resolved on 9 January 2023 The draft is not a plan.',
      'Formal Level 1: Team Manager',
      'Entered 9 January 2023',
      'Why No plan after the informal stage.',
      'Sent to tmA Fixture',
      'Response due 16 January 2023',
      'Response 11 January 2023 by tmA Fixture The plan will be finished and shared with the child. 2 actions in the plan',
      'Decision Resolved on 16 January 2023 The plan is now in place.',
      'Overall formal deadline',
      'Resolved 16 January 2023 at Formal Level 1 The plan is now in place.',
      'Finalised 16 January 2023',
      // The SMART actions and their state on the day the PDF is produced.
      'Action 1: Update the pathway plan Owner swA Fixture Agreed at Informal Due 13 January 2023 State Done Done 12 January 2023: Draft uploaded to the file.',
      'Action 2: Finish the plan with the child Owner swA Fixture Agreed at Formal Level 1 Due 20 January 2023 State Open',
      'Action 3: Share the plan with the foster carers Owner tmA Fixture Agreed at Formal Level 1 Due 27 January 2023 State Open',
      // The discussion, with its meeting notes under the agenda's headings.
      'Discussions and meeting notes',
      'Meeting on 9 January 2023',
      'Who took part iro1 Fixture, swA Fixture, tmA Fixture',
      'Summary Met to agree how the plan will be finished.',
      'Reason for meeting The plan is overdue',
      'Views of parties involved The social worker needs more time',
      'Outcome Next steps (escalation, legal advice and so on) Escalate to the team manager',
      // The referral, the addendum and the history.
      'CAFCASS referral Referred on 13 January 2023',
      flat(REASONS),
      'Addenda 16 January 2023 by iro1 Fixture',
      ADDENDUM,
      'History',
      'Referred to CAFCASS By iro1 Fixture',
      'Record finalised and locked By iro1 Fixture',
    ]
    for (const phrase of expected) expect(all, phrase).toContain(phrase)
    // Every page says what it is, who produced it, and where it sits.
    pages.forEach((page, i) =>
      expect(flat(page)).toContain(
        `Dispute record DRP-${pad(referred)} · Produced by iro1 Fixture on 17 January 2023 at 9:05am · Page ${i + 1} of ${pages.length}`,
      ),
    )
  })

  it('is the same document over the API, for a bearer token', async () => {
    const res = await api('tmA', `/api/disputes/${referred}/record.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    const all = flat((await pdfText(res.body as Buffer)).text)
    expect(all).toContain('Produced by tmA Fixture on 17 January 2023 at 9:05am.')
    expect(all).toContain('Action 1: Update the pathway plan')
    const anonymous = await request(app.url).get(`/api/disputes/${referred}/record.pdf`)
    expect(anonymous.status).toBe(401)
    const openapi = (await request(app.url).get('/api/openapi.json')).body
    for (const path of ['/api/disputes/{id}/record.pdf', '/api/disputes/{id}/cafcass-letter.pdf'])
      expect(Object.keys(openapi.paths[path].get.responses['200'].content), path).toEqual(['application/pdf'])
  })
})

describe('the CAFCASS referral letter as a PDF', () => {
  it('is a letter from the IRO with their reasons, who was informed, then the whole record', async () => {
    const res = await web('iro1', `/disputes/${referred}/cafcass-letter.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="cafcass-referral-DRP-${pad(referred)}.pdf"`)
    const { text, info, pages } = await pdfText(res.body as Buffer)
    const all = flat(text)
    expect(info.Title).toBe(`Referral to CAFCASS: dispute DRP-${pad(referred)}`)
    // The letter fills its own page; the record starts on the next.
    expect(pages[0]).not.toContain(`Dispute record DRP-${pad(referred)}`)
    expect(pages[1]!.startsWith(`Dispute record DRP-${pad(referred)}`)).toBe(true)
    for (const phrase of [
      'Referral to CAFCASS',
      'To Children and Family Court Advisory and Support Service (CAFCASS)',
      'From iro1 Fixture, Independent reviewing officer (IRO)',
      'Date of referral 13 January 2023',
      'Child c2 Child (case ID C2)',
      `Dispute reference DRP-${pad(referred)}`,
      'I am the Independent reviewing officer (IRO) for c2 Child. I am referring the dispute about this child’s plan to CAFCASS.',
      'It was raised on 5 January 2023 under Gloucestershire 2022: celebrating success and resolving differences (version 1) and has been through these stages: Informal, Formal Level 1.',
      'My reasons for the referral',
      'The plan for permanence has drifted for four months and two escalations have not changed it.',
      'The child cannot wait for the Director.',
      // Seed 004: the head of the reviewing service, the head of service and both directors are informed.
      'These colleagues have been informed of the referral: headIrs Fixture, hosNorth Fixture, dsc Fixture, dcs Fixture.',
      'Produced by iro1 Fixture on 17 January 2023 at 9:05am.',
      // The whole record follows.
      `Dispute record DRP-${pad(referred)}`,
      'Decision Resolved on 16 January 2023 The plan is now in place.',
      'Action 3: Share the plan with the foster carers',
      'Meeting on 9 January 2023',
      ADDENDUM,
    ])
      expect(all, phrase).toContain(phrase)
  })

  it('is not found for a record that has not been referred, nor for an unknown record', async () => {
    expect((await web('iro1', `/disputes/${plain}/cafcass-letter.pdf`)).status).toBe(404)
    expect((await api('iro1', `/api/disputes/${plain}/cafcass-letter.pdf`)).status).toBe(404)
    expect((await web('iro1', `/disputes/999999/record.pdf`)).status).toBe(404)
    expect((await web('iro1', `/disputes/abc/record.pdf`)).status).toBe(404)
    expect((await api('iro1', `/api/disputes/999999/record.pdf`)).status).toBe(404)
  })
})

describe('who may download the PDFs', () => {
  const canSee = (who: FixturePerson) => expectedVisibility[who].includes('c2')

  it.each(everyone)('%s: the record and the letter on the web, as the record page allows', async who => {
    const status = canSee(who) ? 200 : 404
    const page = await web(who, `/disputes/${referred}`)
    expect(page.status, 'the record page').toBe(status)
    expect((await web(who, `/disputes/${referred}/record.pdf`)).status, 'record.pdf').toBe(status)
    expect((await web(who, `/disputes/${referred}/cafcass-letter.pdf`)).status, 'cafcass-letter.pdf').toBe(status)
  })

  it.each(everyone)('%s: the record and the letter over the API', async who => {
    const status = canSee(who) ? 200 : 404
    const record = await api(who, `/api/disputes/${referred}/record.pdf`)
    expect(record.status).toBe(status)
    expect(record.headers['content-type']).toMatch(
      status === 200 ? /^application\/pdf$/ : /^application\/problem\+json/,
    )
    expect((await api(who, `/api/disputes/${referred}/cafcass-letter.pdf`)).status).toBe(status)
  })
})

describe('auditing each download', () => {
  it('writes who, what and when to the child’s access audit and to the record’s history; a refusal writes nothing', async () => {
    const db = services().db
    at('2023-01-18T14:30:00Z')
    agents.clear() // sessions from the day before have lapsed: sign in again
    const before = await db.query<{ n: number }>(
      "select count(*)::int as n from events where entity_type = 'dispute' and entity_id = $1 and kind = 'dispute.pdf_downloaded'",
      [referred],
    )
    expect((await web('iro2', `/disputes/${referred}/record.pdf`)).status).toBe(404)
    // A download asked for from another site (a link on it, followed by someone signed in) opens the
    // record instead: it would otherwise go on the record as their copy, without their meaning to take one.
    const headIrs = await signedInAgent(app, 'headIrs')
    for (const site of ['cross-site', 'same-site']) {
      const linked = await headIrs.get(`/disputes/${referred}/cafcass-letter.pdf`).set('Sec-Fetch-Site', site)
      expect([linked.status, linked.headers.location]).toEqual([303, `/disputes/${referred}`])
    }
    const fromOwnPage = await headIrs
      .get(`/disputes/${referred}/record.pdf`)
      .set('Sec-Fetch-Site', 'same-origin')
      .buffer(true)
      .parse(binary)
    expect(fromOwnPage.status).toBe(200)
    expect((await api('headIrs', `/api/disputes/${referred}/cafcass-letter.pdf`)).status).toBe(200)

    const audit = await db.query<{ action: string; path: string; person_id: number; occurred_at: Date }>(
      'select action, path, person_id, occurred_at from access_audit where child_id = $1 and occurred_at = $2 order by id',
      [app.fixture.children.c2, new Date('2023-01-18T14:30:00Z')],
    )
    expect(audit.rows.map(r => [r.person_id, r.action, r.path])).toEqual([
      [app.fixture.people.headIrs, 'pdf', `/disputes/${referred}/record.pdf`],
      [app.fixture.people.headIrs, 'cafcass-letter', `/api/disputes/${referred}/cafcass-letter.pdf`],
    ])
    const events = await db.query<{ actor_id: number; data: { document: string }; occurred_at: Date }>(
      "select actor_id, data, occurred_at from events where entity_type = 'dispute' and entity_id = $1 and kind = 'dispute.pdf_downloaded' order by id",
      [referred],
    )
    const fresh = events.rows.slice(before.rows[0]!.n)
    expect(fresh.map(e => [e.actor_id, e.data.document, new Date(e.occurred_at).toISOString()])).toEqual([
      [app.fixture.people.headIrs, 'record', '2023-01-18T14:30:00.000Z'],
      [app.fixture.people.headIrs, 'cafcass_letter', '2023-01-18T14:30:00.000Z'],
    ])
    // Nobody outside the child's scope left a trace.
    const refused = await db.query<{ n: number }>(
      'select count(*)::int as n from access_audit where child_id = $1 and person_id = $2',
      [app.fixture.children.c2, app.fixture.people.iro2],
    )
    expect(refused.rows[0]!.n).toBe(0)

    // The record's history shows the downloads, and so does the child's "who viewed" page.
    const page = (await web('iro1', `/disputes/${referred}`)).body.toString()
    expect(page).toContain('Record downloaded as PDF')
    expect(page).toContain('CAFCASS referral letter downloaded as PDF')
    const who = (await web('admin', `/children/${app.fixture.children.c2}/audit`)).body.toString()
    expect(who).toContain('cafcass-letter')
    expect(who).toContain(`/disputes/${referred}/record.pdf`)
  })
})

describe('links to the PDFs', () => {
  it('the record page and the print view link to the record, and to the letter once referred', async () => {
    const page = (await web('iro1', `/disputes/${referred}`)).body.toString()
    expect(page).toContain(`href="/disputes/${referred}/record.pdf"`)
    expect(page).toContain('Download the record (PDF)')
    expect(page).toContain(`href="/disputes/${referred}/cafcass-letter.pdf"`)
    const print = (await web('iro1', `/disputes/${referred}/print`)).body.toString()
    expect(print).toContain(`href="/disputes/${referred}/record.pdf"`)
    expect(print).toContain(`href="/disputes/${referred}/cafcass-letter.pdf"`)
    const other = (await web('iro1', `/disputes/${plain}`)).body.toString()
    expect(other).toContain(`href="/disputes/${plain}/record.pdf"`)
    expect(other).not.toContain('cafcass-letter.pdf')
  })
})

function pad(id: number) {
  return String(id).padStart(6, '0')
}
