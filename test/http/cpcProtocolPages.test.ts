import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { newConcern } from '../factories/concerns.js'
import { csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => app.dispose())

/** Raised by cpc1 for c1 under the CP chairs' protocol (seed 002), at this stage. */
async function raiseAt(startStageKey: string): Promise<number> {
  const services = app.running.services
  const cpc = (await services.access.currentUser(app.fixture.people.cpc1))!
  const { ids } = await services.disputes.raise(cpc, {
    childIds: [app.fixture.children.c1],
    policyId: 'cpc-protocol',
    categoryKey: 'plan_management',
    concern: newConcern(),
    impact: 'Impact',
    wishesAndFeelings: '',
    recommendedResolution: 'Resolution',
    resolutionTimescale: '4 working days',
    becameAwareOn: parseIsoDate('2023-01-04'),
    startStageKey,
  })
  return ids[0]!
}

/** cpc1 sends the raise form for a child under a policy: the usual answers, with these. */
async function postRaiseForm(childId: number, policyId: string, answers: Record<string, string>) {
  const cpc = await signedInAgent(app, 'cpc1')
  const path = `/children/${childId}/disputes/new`
  const form = await cpc.get(`${path}?policy=${policyId}`)
  return cpc
    .post(path)
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      policyId,
      impact: 'Impact',
      recommendedResolution: 'Resolution',
      resolutionTimescale: '4 working days',
      'becameAwareOn-day': '4',
      'becameAwareOn-month': '1',
      'becameAwareOn-year': '2023',
      ...answers,
    })
}

describe('what the policy says at the current stage', () => {
  it('is on the record page while the record is open', async () => {
    const id = await raiseAt('team_manager')
    const cpc = await signedInAgent(app, 'cpc1')
    const page = await cpc.get(`/disputes/${id}`)
    expect(page.text).toContain('What the policy says at Formal: Team Manager')
    expect(page.text).toContain('complete the Dispute Resolution Form and send it to the Team Manager')
  })
})

describe('a stage that is a meeting (seed 002’s resolutions meeting)', () => {
  it('reminds the chair on the escalate page until a meeting is logged at it', async () => {
    const id = await raiseAt('resolution_meeting')
    const cpc = await signedInAgent(app, 'cpc1')
    const record = await cpc.get(`/disputes/${id}`)
    expect(record.text).toContain('requests a Resolutions Meeting with the Team Manager &amp; Social Worker')
    const before = await cpc.get(`/disputes/${id}/escalate`)
    expect(before.text).toContain('data-qa="meeting-reminder"')
    expect(before.text).toContain(
      'This stage is a meeting with the Team Manager &amp; Social Worker, and no meeting has been logged at it yet.',
    )

    // A phone call is not the meeting.
    const log = async (channel: string, more: Record<string, string> = {}) => {
      const form = await cpc.get(`/disputes/${id}/discussions/new`)
      const sent = await cpc
        .post(`/disputes/${id}/discussions/new`)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          channel,
          'heldOn-day': '5',
          'heldOn-month': '1',
          'heldOn-year': '2023',
          participants: 'tmA, swA, cpc1',
          summary: 'Talked it through.',
          ...more,
        })
      expect(sent.status).toBe(303)
    }
    await log('phone')
    expect((await cpc.get(`/disputes/${id}/escalate`)).text).toContain('data-qa="meeting-reminder"')
    await log('meeting', { 'meeting-outcome': 'remains' })
    expect((await cpc.get(`/disputes/${id}/escalate`)).text).not.toContain('data-qa="meeting-reminder"')
  })

  it('is not asked of a stage that is not a meeting', async () => {
    const id = await raiseAt('team_manager')
    const cpc = await signedInAgent(app, 'cpc1')
    expect((await cpc.get(`/disputes/${id}/escalate`)).text).not.toContain('data-qa="meeting-reminder"')
  })
})

describe('escalating to a stage that needs the chairs’ manager first', () => {
  it('says the pre-approval was asked for, not that the record escalated, and names who can give it', async () => {
    const id = await raiseAt('head_of_service')
    const cpc = await signedInAgent(app, 'cpc1')
    const form = await cpc.get(`/disputes/${id}/escalate`)
    // Who may have agreed already is named with the policy's title for them, as on the raise form.
    expect(form.text).toContain('rsm Fixture (Child Protection Conference Team Manager)</option>')
    const sent = await cpc
      .post(`/disputes/${id}/escalate`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version: /name="version" value="(\d+)"/.exec(form.text)![1],
        toStageKey: 'assistant_director',
        reason: 'The head of service has not answered.',
      })
    expect(sent.status).toBe(303)
    const record = await cpc.get(`/disputes/${id}`)
    expect(record.text).toContain('Pre-approval asked for Assistant Director. The record moves there once it is given')
    expect(record.text).not.toContain('Escalation recorded')
    expect(record.text).toContain('Who can give it: rsm Fixture')
  })
})

type Agent = Awaited<ReturnType<typeof signedInAgent>>

/** GETs a step's form, then POSTs it with the page's CSRF token and version. */
async function postStep(agent: Agent, path: string, body: Record<string, string>) {
  const form = await agent.get(path)
  expect(form.status, path).toBe(200)
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), version: /name="version" value="(\d+)"/.exec(form.text)![1], ...body })
}

describe('the forms show what they answer', () => {
  it('shows the manager the concern they respond to, and the chair the response they decide on', async () => {
    const id = await raiseAt('team_manager')
    const tm = await signedInAgent(app, 'tmA')
    const respond = await tm.get(`/disputes/${id}/respond`)
    const respondingTo = /data-qa="responding-to">([\s\S]*?)<form/.exec(respond.text)?.[1] ?? ''
    expect(respondingTo).toContain('Impact on the child')
    expect(respondingTo).toContain('Recommended resolution')
    const sent = await postStep(tm, `/disputes/${id}/respond`, {
      comments: 'We will hold the core group this week.',
      'actions-1-what': 'Hold the core group meeting',
      'actions-1-ownerId': String(app.fixture.people.swA),
      'actions-1-dueOn-day': '10',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
    })
    expect(sent.status).toBe(303)
    const cpc = await signedInAgent(app, 'cpc1')
    const decide = await cpc.get(`/disputes/${id}/decide`)
    const decidingOn = /data-qa="deciding-on">([\s\S]*?)<form/.exec(decide.text)?.[1] ?? ''
    expect(decidingOn).toContain('We will hold the core group this week.')
    expect(decidingOn).toContain('Hold the core group meeting')
  })
})

describe('withdrawing a request for pre-approval', () => {
  it('lets the chair take back an escalation still waiting: the record stays, the manager is told', async () => {
    const id = await raiseAt('head_of_service')
    const cpc = await signedInAgent(app, 'cpc1')
    const rsm = await signedInAgent(app, 'rsm')
    const asked = await postStep(cpc, `/disputes/${id}/escalate`, {
      toStageKey: 'assistant_director',
      reason: 'The head of service has not answered.',
    })
    expect(asked.status).toBe(303)
    // Only the chair who asked is offered it; the manager is offered their answers.
    expect((await cpc.get(`/disputes/${id}`)).text).toContain('data-qa="action-withdrawRequest"')
    expect((await rsm.get(`/disputes/${id}`)).text).not.toContain('data-qa="action-withdrawRequest"')
    expect((await rsm.get('/work')).text).toContain(`/disputes/${id}/approve`)
    // The manager's own page names who asked, and when.
    expect((await rsm.get(`/disputes/${id}/approve`)).text).toContain(
      'On 5 January 2023, cpc1 Fixture asked to move the dispute to Assistant Director.',
    )

    const form = await cpc.get(`/disputes/${id}/withdraw-request`)
    expect(form.text).toContain('<h1 class="govuk-heading-l">Withdraw the request for pre-approval</h1>')
    expect(form.text).toContain('On 5 January 2023 you asked to move the dispute to Assistant Director.')
    expect(form.text).toContain('the record stays at Head of Service.')
    expect(form.text).toContain('rsm Fixture will no longer be asked to give pre-approval')
    const empty = await postStep(cpc, `/disputes/${id}/withdraw-request`, { reason: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain(errorMessages.dispute.withdrawReason.required)

    const sent = await postStep(cpc, `/disputes/${id}/withdraw-request`, { reason: 'Answered by phone today.' })
    expect(sent.status).toBe(303)
    const record = await cpc.get(`/disputes/${id}`)
    expect(record.text).toContain('Request for pre-approval withdrawn. The record stays at Head of Service')
    expect(record.text).toContain('Request for pre-approval for Assistant Director withdrawn')
    expect(record.text).toContain('Answered by phone today.')
    expect(record.text).not.toContain('Awaiting pre-approval')
    // The chair can now record it resolved, which a waiting record does not allow.
    expect(record.text).toContain('data-qa="action-decide"')
    // It has left the manager's work, and they are told so by email.
    expect((await rsm.get('/work')).text).not.toContain(`/disputes/${id}/approve`)
    const emails = await app.running.services.db.query<{ subject: string }>(
      'select subject from email_outbox where person_id = $1 and body like $2 order by id',
      [app.fixture.people.rsm, `%${id}%`],
    )
    expect(emails.rows.map(e => e.subject).at(-1)).toMatch(/pre-approval for Assistant Director no longer needed$/)
    // Nothing is left to withdraw or answer.
    const again = await cpc.get(`/disputes/${id}/withdraw-request`)
    expect(again.status).toBe(409)
    expect((await rsm.get(`/disputes/${id}/approve`)).status).toBe(409)
  })

  it('lets the chair close a new record whose first stage was withdrawn before it was sent', async () => {
    const id = await raiseAt('assistant_director')
    const cpc = await signedInAgent(app, 'cpc1')
    const sent = await postStep(cpc, `/disputes/${id}/withdraw-request`, { reason: 'Raised at the wrong level.' })
    expect(sent.status).toBe(303)
    const record = await cpc.get(`/disputes/${id}`)
    expect(record.text).toContain(
      'Request for pre-approval withdrawn. The record has not reached a stage: you can escalate it to one, or finalise it to close it',
    )
    expect(record.text).toContain('data-qa="action-escalate"')
    expect(record.text).toContain('data-qa="action-finalise"')
    expect(record.text).toContain(
      'The record has not been sent to a stage: pre-approval for its first stage was declined or withdrawn.',
    )
    expect((await postStep(cpc, `/disputes/${id}/finalise`, {})).status).toBe(303)
    expect((await cpc.get(`/disputes/${id}`)).text).toContain('The record was closed before it reached a stage.')
    const closed = await app.running.services.db.query<{ status: string }>(
      'select status from disputes where id = $1',
      [id],
    )
    expect(closed.rows[0]!.status).toBe('finalised')
  })

  it('is a command in the API as well', async () => {
    const services = app.running.services
    const id = await raiseAt('assistant_director')
    const cpc = (await services.access.currentUser(app.fixture.people.cpc1))!
    const { record } = await services.disputes.view(cpc, id, { path: '/test', ip: null })
    const after = await services.disputes.act(cpc, id, record.version, { type: 'withdraw_request', reason: 'No need' })
    expect(after).toMatchObject({ phase: 'awaiting_decision', pending: null, stages: [] })
  })
})

describe('a stage raised at with its pre-approval already given', () => {
  it('refuses an agreement dated in the future by its date, not by who gave it', async () => {
    const sent = await postRaiseForm(app.fixture.children.c1, 'cpc-protocol', {
      categoryKey: 'plan_management',
      concern: newConcern(),
      startStageKey: 'assistant_director',
      preApprovedBy: String(app.fixture.people.rsm),
      'preApprovedOn-day': '1',
      'preApprovedOn-month': '1',
      'preApprovedOn-year': '2027',
    })
    expect(sent.status).toBe(422)
    expect(sent.text).toContain(errorMessages.dispute.refusals.pre_approved_in_future)
    expect(sent.text).toContain('href="#preApprovedOn-day"')
  })
})

describe('raising a dispute for a child who already has one open', () => {
  it('lists the child’s open records on the form, so one concern is not raised twice', async () => {
    const cpc = await signedInAgent(app, 'cpc1')
    const none = await cpc.get(`/children/${app.fixture.children.c4}/disputes/new?policy=cpc-protocol`)
    expect(none.status).toBe(200)
    expect(none.text).not.toContain('data-qa="open-disputes"')

    const id = await raiseAt('team_manager')
    const form = await cpc.get(`/children/${app.fixture.children.c1}/disputes/new?policy=cpc-protocol`)
    expect(form.text).toContain('data-qa="open-disputes"')
    expect(form.text).toMatch(/already has (an open dispute|\d+ open disputes):/)
    expect(form.text).toMatch(
      new RegExp(
        `<a class="govuk-link" href="/disputes/${id}">DRP-0*${id}</a>: Failure to manage the child protection plan, at Formal: Team Manager, raised 5 January 2023`,
      ),
    )
  })
})

describe('the raise form’s agreed date', () => {
  it('is reported with the other errors, not on a second round after they are put right', async () => {
    const sent = await postRaiseForm(app.fixture.children.c4, 'cpc-mosaic-2022', {
      categoryKey: 'drift_and_delay',
      concern: '',
      // Informal sets no timescale of its own: its date must be agreed.
      startStageKey: 'informal',
    })
    expect(sent.status).toBe(400)
    const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(sent.text)![1]!
    expect(summary).toContain('Enter the concern')
    expect(summary).toContain(errorMessages.dispute.refusals.due_date_required)
    expect(summary.indexOf('Enter the concern')).toBeLessThan(summary.indexOf('Enter the date agreed'))
  })
})
