import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertPerson } from '../../src/db/repositories/personRepository.js'
import { insertUnit } from '../../src/db/repositories/unitRepository.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { storeToken } from '../../src/services/authService.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'
import { newConcern } from '../factories/concerns.js'

let app: TestApp
const tokens = new Map<FixturePerson, string>()
let whoIs: Map<number, FixturePerson>

beforeAll(async () => {
  app = await startTestApp()
  for (const who of Object.keys(expectedVisibility) as FixturePerson[]) tokens.set(who, await apiTokenFor(app, who))
  whoIs = new Map(Object.entries(app.fixture.people).map(([k, v]) => [v, k as FixturePerson]))
})
afterAll(async () => app.dispose())

const api = (who: FixturePerson) => {
  const auth = { Authorization: `Bearer ${tokens.get(who)}` }
  return {
    get: (path: string) => request(app.url).get(path).set(auth),
    post: (path: string, body: object) => request(app.url).post(path).set(auth).send(body),
  }
}

type Record = {
  id: number
  version: number
  state: {
    status: string
    phase: string
    currentStage: { stageKey: string; dueOn: string; responsiblePersonIds: number[] } | null
    cafcass: unknown
  }
  availableCommands: string[]
}

const details = {
  concern: 'The child’s plan has drifted for three months.',
  impact: 'The child is still waiting for a stable placement.',
  wishesAndFeelings: 'Wants to stay with their foster carers.',
  recommendedResolution: 'Complete the permanence assessment.',
  resolutionTimescale: 'Within 20 working days',
}

async function command(who: FixturePerson, record: Record, body: object) {
  return api(who).post(`/api/disputes/${record.id}/commands`, { version: record.version, command: body })
}

async function ok(who: FixturePerson, record: Record, body: object): Promise<Record> {
  const res = await command(who, record, body)
  expect(res.status, `${who} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(200)
  return res.body as Record
}

/**
 * A stage outside the system still has its working days: the record page and the reviewer's open records
 * show when its outcome is due, and the list flags it once that day has passed (nobody answers in Concord,
 * so it is never "Response overdue").
 */
async function expectOutcomeDueShown(reviewer: FixturePerson, record: Record) {
  const due = record.state.currentStage!.dueOn
  const dueText = new Date(`${due}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  })
  const row = async () => {
    // Signed in afresh: a session does not outlive a move of the clock by a day.
    const page = (await (await signedInAgent(app, reviewer)).get('/work/records')).text
    const reference = `DRP-${String(record.id).padStart(6, '0')}`
    return new RegExp(`<tr[^>]*>\\s*<td[^>]*><a[^>]*>${reference}</a>[\\s\\S]*?</tr>`).exec(page)![0]
  }
  expect((await (await signedInAgent(app, reviewer)).get(`/disputes/${record.id}`)).text).toContain(
    `${dueText} (5 working days left): handled outside the system, record the outcome here`,
  )
  const before = await row()
  expect(before).toContain('Outside the system')
  expect(before).toContain(`<td class="govuk-table__cell">${dueText}</td>`)
  expect(before).not.toContain('Outcome overdue')
  const now = app.clock.now()
  app.clock.set(new Date(Date.parse(`${due}T12:00:00Z`) + 24 * 3600 * 1000)) // the day after
  try {
    expect(await row()).toContain('Outcome overdue')
  } finally {
    app.clock.set(now)
  }
}

/** Drives a record from its first stage through every later stage to resolution and finalisation. */
async function journey(reviewer: FixturePerson, childKey: 'c1' | 'c2' | 'c4', policyId: string) {
  const policy = shippedPolicies().find(p => p.id === policyId)!
  const raised = await api(reviewer).post('/api/disputes', {
    ...details,
    concern: newConcern(),
    childIds: [app.fixture.children[childKey]],
    policyId,
    categoryKey: policy.categories[0]!.key,
    becameAwareOn: '2023-01-05',
    startStageKey: policy.stages[0]!.key,
    agreedDueOn: policy.stages[0]!.responseWorkingDays === null ? '2023-01-10' : undefined,
  })
  expect(raised.status, JSON.stringify(raised.body)).toBe(201)
  let record = raised.body.items[0] as Record
  const visited: string[] = []
  for (let i = 0; i < policy.stages.length; i++) {
    const stage = policy.stages[i]!
    expect(record.state.currentStage?.stageKey).toBe(stage.key)
    visited.push(stage.key)
    const last = i === policy.stages.length - 1
    if (record.state.phase === 'outside_system') {
      await expectOutcomeDueShown(reviewer, record)
      record = await ok(reviewer, record, {
        type: 'record_outcome',
        text: last ? 'Resolved by the chief executive.' : 'Not resolved by the director.',
        resolved: last,
      })
    } else {
      const responsible = whoIs.get(record.state.currentStage!.responsiblePersonIds[0]!)!
      expect(responsible, `someone is responsible at ${stage.key}`).toBeDefined()
      record = await ok(responsible, record, {
        type: 'respond',
        comments: `Response at ${stage.name}`,
        actions: [
          {
            what: 'Convene a permanence planning meeting',
            ownerId: record.state.currentStage!.responsiblePersonIds[0]!,
            dueOn: '2023-03-01',
          },
        ],
      })
      record = await ok(
        reviewer,
        record,
        last
          ? { type: 'decide_resolved', comments: 'Resolved.' }
          : { type: 'decide_not_resolved', comments: 'Not enough.' },
      )
    }
    if (last) break
    // A discussion from before the stage began (at the first stage, before the reviewer became aware)
    // cannot count towards escalating from it.
    const early = await api(reviewer).post(`/api/disputes/${record.id}/discussions`, {
      channel: 'phone',
      heldOn: '2023-01-04',
      participants: 'Reviewer and manager',
      summary: 'Discussed the concern.',
    })
    const heldOn = errorMessages.dispute.heldOn
    expect(JSON.stringify(early.body)).toContain(
      i === 0 ? heldOn.beforeAware('5 January 2023') : heldOn.beforeStage('5 January 2023'),
    )
    for (const channel of ['phone', 'face_to_face']) {
      const logged = await api(reviewer).post(`/api/disputes/${record.id}/discussions`, {
        channel,
        heldOn: '2023-01-05',
        participants: 'Reviewer and manager',
        summary: 'Discussed the response.',
      })
      expect(logged.status).toBe(201)
      record = logged.body as Record
    }
    record = await ok(reviewer, record, {
      type: 'escalate',
      toStageKey: policy.stages[i + 1]!.key,
      reason: 'The response did not resolve the concern.',
    })
    if (record.state.phase === 'awaiting_pre_approval')
      record = await ok('rsm', record, { type: 'approve', note: 'Agreed in supervision.' })
  }
  expect(visited).toEqual(policy.stages.map(s => s.key))
  record = await ok(reviewer, record, { type: 'finalise' })
  expect(record.state.status).toBe('finalised')
  const locked = await command(reviewer, record, { type: 'decide_resolved', comments: 'again' })
  expect(locked.status).toBe(409)
  expect(locked.body.detail).toBe(errorMessages.dispute.refusals.locked)
  const addendum = await ok(reviewer, record, { type: 'add_addendum', text: 'Checked again a month later.' })
  expect(addendum.state.status).toBe('finalised')
  return addendum
}

describe('every policy through a full journey over the API', () => {
  it('A (Gloucestershire 2022) for an IRO', async () => {
    await journey('iro1', 'c2', 'gloucestershire-2022')
  })
  it('B (CP chair DRP on Mosaic), with the chairs’ manager agreeing stage 2 and above', async () => {
    await journey('cpc1', 'c1', 'cpc-mosaic-2022')
  })
  it('C (CP conference chair protocol)', async () => {
    await journey('cpc1', 'c4', 'cpc-protocol')
  })
  it('D (IRO procedure on Care First), with the stages outside the system', async () => {
    await journey('iro1', 'c2', 'iro-care-first')
  })
})

describe('rules over the API', () => {
  async function raiseA(startStageKey = 'formal1') {
    const res = await api('iro1').post('/api/disputes', {
      ...details,
      concern: newConcern(),
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      becameAwareOn: '2023-01-04',
      startStageKey,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.items[0] as Record
  }

  /** POSTs a CP chair's record under policy B (cpc1's child c1 unless `more` says otherwise). */
  const raiseB = (more: { startStageKey: string; childIds?: number[]; agreedDueOn?: string }) =>
    api('cpc1').post('/api/disputes', {
      ...details,
      concern: newConcern(),
      childIds: [app.fixture.children.c1],
      policyId: 'cpc-mosaic-2022',
      categoryKey: 'drift_and_delay',
      becameAwareOn: '2023-01-04',
      ...more,
    })

  it('answers invalid input with 400 and a message per field', async () => {
    const res = await api('iro1').post('/api/disputes', { childIds: [], becameAwareOn: '2023-02-30' })
    expect(res.status).toBe(400)
    const m = errorMessages.dispute
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'childIds', message: m.childIds.required },
        { field: 'concern', message: m.concern.required },
        { field: 'becameAwareOn', message: m.becameAwareOn.invalid },
      ]),
    )
    const record = await raiseA()
    const bad = await command('tmA', record, {
      type: 'respond',
      comments: 'x',
      actions: [{ what: 'Do it', dueOn: '2023-13-01' }],
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'command.actions.0.ownerId', message: m.actions.owner },
        { field: 'command.actions.0.dueOn', message: m.actions.dueOn },
      ]),
    )
    // A resolution date only goes with a resolution.
    const dated = await command('iro1', record, {
      type: 'decide_not_resolved',
      comments: 'Not yet',
      resolvedOn: '2023-01-05',
    })
    expect(dated.status).toBe(400)
    expect(dated.body.errors).toEqual([{ field: 'command.resolvedOn', message: m.resolvedOn.notResolved }])
  })

  it('lets only a reviewer raise; a manager cannot decide; a social worker cannot escalate; another reviewer cannot finalise', async () => {
    const refused = await api('tmA').post('/api/disputes', {
      ...details,
      concern: newConcern(),
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      becameAwareOn: '2023-01-04',
      startStageKey: 'formal1',
    })
    expect(refused.status).toBe(403)
    let record = await raiseA('informal')
    expect((await command('tmA', record, { type: 'decide_resolved', comments: 'fine' })).status).toBe(403)
    expect((await command('swA', record, { type: 'escalate', toStageKey: 'formal1', reason: 'x' })).status).toBe(403)
    record = await ok('swA', record, {
      type: 'respond',
      comments: 'Will do',
      actions: [{ what: 'Visit', ownerId: app.fixture.people.swA, dueOn: '2023-01-10' }],
    })
    record = await ok('iro1', record, { type: 'decide_resolved', comments: 'Done' })
    // Another reviewer cannot see this child at all.
    expect((await command('iro2', record, { type: 'finalise' })).status).toBe(404)
    // A director can see the record but may not finalise it.
    expect((await command('dsc', record, { type: 'finalise' })).status).toBe(403)
    expect((await ok('iro1', record, { type: 'finalise' })).state.status).toBe('finalised')
  })

  it('bypasses to a higher stage where the policy allows it, recomputing the due date', async () => {
    let record = await raiseA('formal1')
    record = await ok('iro1', record, {
      type: 'escalate',
      toStageKey: 'formal3',
      reason: 'Urgent: a management decision is needed.',
    })
    expect(record.state.currentStage).toMatchObject({
      stageKey: 'formal3',
      responsiblePersonIds: [app.fixture.people.dsc],
      dueOn: '2023-01-12',
    })
  })

  it('detects a stale version with 409 and leaves the first change in place', async () => {
    const record = await raiseA()
    await ok('tmA', record, {
      type: 'respond',
      comments: 'First',
      actions: [{ what: 'Visit', ownerId: app.fixture.people.swA, dueOn: '2023-01-10' }],
    })
    const second = await command('tmA', record, {
      type: 'respond',
      comments: 'Second',
      actions: [{ what: 'Visit', ownerId: app.fixture.people.swA, dueOn: '2023-01-10' }],
    })
    expect(second.status).toBe(409)
  })

  it('raises once and logs a discussion once when the same request is sent twice, at once or later', async () => {
    const body = {
      ...details,
      concern: newConcern('Sent twice'),
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      becameAwareOn: '2023-01-04',
      startStageKey: 'formal1',
    }
    const raise = (more: object = {}) => api('iro1').post('/api/disputes', { ...body, ...more })
    const [first, atOnce] = await Promise.all([raise(), raise()])
    const later = await raise()
    const statuses = [first.status, atOnce.status].sort()
    expect(statuses).toEqual([200, 201])
    const ids = (res: typeof first) => (res.body.items as Record[]).map(r => r.id)
    expect(ids(first)).toHaveLength(1)
    expect(ids(atOnce)).toEqual(ids(first))
    expect(later.status).toBe(200)
    expect(ids(later)).toEqual(ids(first))
    expect(later.headers.location).toBe(`/api/disputes/${ids(first)[0]}`)
    // Other words, or another policy, is another raise.
    expect((await raise({ concern: newConcern('Sent twice') })).status).toBe(201)
    const care = shippedPolicies().find(p => p.id === 'iro-care-first')!
    const underCare = { policyId: care.id, categoryKey: care.categories[0]!.key, startStageKey: care.stages[0]!.key }
    expect((await raise(underCare)).status).toBe(201)

    const id = ids(first)[0]!
    const discussion = { channel: 'phone', heldOn: '2023-01-05', participants: 'iro1 and tmA', summary: 'Talked.' }
    const log = (more: object = {}) => api('iro1').post(`/api/disputes/${id}/discussions`, { ...discussion, ...more })
    const logged = await Promise.all([log(), log()])
    expect(logged.map(r => r.status)).toEqual([201, 201])
    expect((await log()).status).toBe(201)
    await log({ summary: 'Talked again.' })
    const record = await api('iro1').get(`/api/disputes/${id}`)
    expect((record.body.discussions as { summary: string }[]).map(d => d.summary)).toEqual(['Talked.', 'Talked again.'])
  })

  it('takes a meeting’s notes under the agenda’s headings only, and no notes for a call', async () => {
    const record = await raiseA()
    const log = (body: object) =>
      api('iro1').post(`/api/disputes/${record.id}/discussions`, {
        heldOn: '2023-01-05',
        participants: 'Reviewer and manager',
        summary: 'Talked it through.',
        ...body,
      })
    const mm = errorMessages.dispute.meeting
    const cases: [object, { field: string; message: string }][] = [
      [
        { channel: 'phone', meeting: { outcome: 'resolved' } },
        { field: 'meeting', message: mm.notAMeeting },
      ],
      [{ channel: 'meeting' }, { field: 'meeting.outcome', message: mm.outcome }],
      [
        { channel: 'meeting', meeting: { outcome: 'not-an-outcome' } },
        { field: 'meeting.outcome', message: mm.outcome },
      ],
      [
        { channel: 'meeting', meeting: { outcome: 'resolved', gossip: 'x' } },
        { field: 'meeting', message: mm.headings },
      ],
      [
        { channel: 'meeting', meeting: { outcome: 'resolved', discussion: 'x'.repeat(5001) } },
        { field: 'meeting.discussion', message: mm.tooLong },
      ],
    ]
    for (const [body, error] of cases) {
      const refused = await log(body)
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(refused.body.errors).toEqual([error])
    }
    const logged = await log({ channel: 'meeting', meeting: { discussion: 'Agreed a plan', outcome: 'resolved' } })
    expect(logged.status, JSON.stringify(logged.body)).toBe(201)
    expect(logged.body.discussions.at(-1).meeting).toMatchObject({
      discussion: 'Agreed a plan',
      childDetails: '',
      outcome: 'resolved',
    })
    // Text pasted with a NUL character in it (PostgreSQL's text holds none) is kept without it.
    const pasted = await log({ channel: 'phone', summary: 'Pasted\u0000 from a PDF.' })
    expect(pasted.status, JSON.stringify(pasted.body)).toBe(201)
    expect(pasted.body.discussions.at(-1).summary).toBe('Pasted from a PDF.')
  })

  it('refuses an action for someone not on the child’s chain, who could not open the record', async () => {
    const record = await raiseA()
    for (const ownerId of [app.fixture.people.swB, 999999]) {
      const refused = await command('tmA', record, {
        type: 'respond',
        comments: 'Plan',
        actions: [{ what: 'Visit', ownerId, dueOn: '2023-01-10' }],
      })
      expect(refused.status, JSON.stringify(refused.body)).toBe(422)
      expect(JSON.stringify(refused.body)).toContain('action_owner_not_on_chain')
    }
    await ok('tmA', record, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: app.fixture.people.swA, dueOn: '2023-01-10' }],
    })
  })

  it('refuses pre-approval from anyone but the chairs’ manager, and accepts it from them (policy B)', async () => {
    const raised = await raiseB({ childIds: [app.fixture.children.c4], startStageKey: 'stage2' })
    expect(raised.status, JSON.stringify(raised.body)).toBe(201)
    let record = raised.body.items[0] as Record
    expect(record.state.phase).toBe('awaiting_pre_approval')
    expect(record.state.currentStage).toBeNull()
    expect((await command('dsc', record, { type: 'approve', note: '' })).status).toBe(403)
    // The manager of another reviewing team sees every child, but is not on this record: they may not
    // approve it, nor log a discussion on it (which would count towards escalating). Its pre-approver may.
    const db = app.running.services.db
    const at = new Date('2023-01-02T09:00:00Z')
    const team2 = await insertUnit(
      db,
      { name: 'Reviewing team 2', kind: 'reviewing_team', parentId: app.fixture.units.irs, managerId: null },
      at,
    )
    const rsm2 = await insertPerson(
      db,
      {
        givenName: 'Other',
        familyName: 'Manager',
        email: 'rsm2@test.example',
        staffId: null,
        unitId: team2,
        roles: [],
        active: true,
      },
      at,
    )
    await db.query('update org_units set manager_id = $1 where id = $2', [rsm2, team2])
    const token2 = 'concord_another_reviewing_team_manager_token'
    await storeToken(db, app.clock, rsm2, 'Tests', token2, app.fixture.people.admin)
    const asRsm2 = { Authorization: `Bearer ${token2}` }
    const discussion = { channel: 'phone', heldOn: '2023-01-05', participants: 'Us', summary: 'Talked.' }
    const approveBy2 = await request(app.url)
      .post(`/api/disputes/${record.id}/commands`)
      .set(asRsm2)
      .send({ version: record.version, command: { type: 'approve', note: '' } })
    expect(approveBy2.status).toBe(403)
    const loggedBy2 = await request(app.url).post(`/api/disputes/${record.id}/discussions`).set(asRsm2).send(discussion)
    expect(loggedBy2.status, JSON.stringify(loggedBy2.body)).toBe(403)
    const loggedByRsm = await api('rsm').post(`/api/disputes/${record.id}/discussions`, discussion)
    expect(loggedByRsm.status, JSON.stringify(loggedByRsm.body)).toBe(201)
    record = loggedByRsm.body
    record = await ok('rsm', record, { type: 'approve', note: 'Agreed' })
    expect(record.state.currentStage).toMatchObject({
      stageKey: 'stage2',
      responsiblePersonIds: [app.fixture.people.smSouth],
    })
  })

  it('refuses an agreed response date on a weekend, naming the rule', async () => {
    // Saturday 7 January 2023.
    const raised = await raiseB({ startStageKey: 'informal', agreedDueOn: '2023-01-07' })
    expect(raised.status).toBe(422)
    expect(raised.body).toMatchObject({
      refusal: 'due_date_not_working_day',
      detail: errorMessages.dispute.refusals.due_date_not_working_day,
    })
  })

  it('agrees a short extension under policy B, due the next working day', async () => {
    const raised = await raiseB({ startStageKey: 'stage1' })
    let record = raised.body.items[0] as Record
    record = await ok('tmA', record, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Assessment', ownerId: app.fixture.people.swA, dueOn: '2023-01-06' }],
    })
    // Thursday 5 January 2023: a further 24 hours is Friday 6 January.
    record = await ok('cpc1', record, { type: 'agree_extension', note: 'Assessment to be uploaded tomorrow.' })
    expect(record.state.phase).toBe('extension')
    const refused = await command('cpc1', record, { type: 'agree_extension', note: 'again' })
    expect(refused.status).toBe(422)
  })

  it('lets an IRO refer to CAFCASS, naming who is informed; not a CP chair', async () => {
    let record = await raiseA('formal1')
    record = await ok('iro1', record, {
      type: 'refer_cafcass',
      reasons: 'Urgent: the plan risks the child’s placement.',
    })
    expect(record.state.cafcass).toMatchObject({
      informedPersonIds: expect.arrayContaining([
        app.fixture.people.headIrs,
        app.fixture.people.hosNorth,
        app.fixture.people.dsc,
        app.fixture.people.dcs,
      ]),
    })
    const raised = await api('cpc1').post('/api/disputes', {
      ...details,
      concern: newConcern(),
      childIds: [app.fixture.children.c1],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      becameAwareOn: '2023-01-04',
      startStageKey: 'formal1',
    })
    const cpc = await command('cpc1', raised.body.items[0], { type: 'refer_cafcass', reasons: 'x' })
    expect(cpc.status).toBe(422)
    expect(cpc.body.refusal).toBe('cafcass_not_allowed')
  })

  it('lists and shows records only to people who may see the child', async () => {
    const list = await api('swC').get('/api/disputes')
    const ids = (list.body.items as { childId: number }[]).map(r => r.childId)
    expect(ids.every(id => id === app.fixture.children.c4)).toBe(true)
    const mine = await api('iro1').get('/api/disputes?status=open')
    expect(mine.body.total).toBeGreaterThan(0)
    const someone = (mine.body.items as { id: number }[])[0]!
    expect((await api('swC').get(`/api/disputes/${someone.id}`)).status).toBe(404)
  })

  it('serves the policies', async () => {
    const res = await api('swA').get('/api/policies')
    expect((res.body.items as { id: string }[]).map(p => p.id).sort()).toEqual([
      'cpc-mosaic-2022',
      'cpc-protocol',
      'gloucestershire-2022',
      'iro-care-first',
    ])
    expect((await api('swA').get('/api/policies/cpc-protocol/1')).body.stages).toHaveLength(7)
  })
})
