import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import type { Channel } from '../../src/domain/policies/policy.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { dateExample, formatDate } from '../../src/text/format.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import { csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

const m = errorMessages.dispute

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

beforeAll(async () => {
  app = await startTestApp()
  // iro1 reviews both siblings, so can raise for the two of them at once.
  await app.running.services.db.query('update children set iro_id = $1 where id = $2', [
    app.fixture.people.iro1,
    app.fixture.children.c3,
  ])
})
afterAll(async () => app.dispose())

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
}

/** Posts c2's raise form under policy A, as typed: the details above, with what each case changes. */
const raiseForC2 = (agent: Agent, formText: string, more: Record<string, string> = {}) =>
  agent
    .post(`/children/${app.fixture.children.c2}/disputes/new`)
    .type('form')
    .send({ _csrf: csrfFrom(formText), policyId: 'gloucestershire-2022', ...details, ...more })

/** GETs a form page, then POSTs it, where its form says, with the page's CSRF token and version. */
async function post(agent: Agent, path: string, body: Record<string, string | string[]>, keepVersion = true) {
  const page = await agent.get(path)
  expect(page.status, `GET ${path}`).toBe(200)
  // As a browser would: the step's form posts to the address it names.
  expect(/<form method="post" action="([^"]*)" novalidate id="form">/.exec(page.text)?.[1], `form on ${path}`).toBe(
    path,
  )
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1]
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...(keepVersion && version ? { version } : {}), ...body })
}

/**
 * Each button on the record leads to a page headed, and titled, with the button's words, so a step
 * has one name wherever it appears.
 */
async function expectButtonsNameTheirPages(agent: Agent, recordPath: string, forms: string[]) {
  const record = await agent.get(recordPath)
  const buttons = [
    ...record.text.matchAll(/<a href="([^"]+)" role="button"[^>]*data-qa="action-([a-zA-Z]+)">([^<]+)<\/a>/g),
  ]
  expect(buttons.map(b => b[2])).toEqual(forms)
  for (const [, href, , text] of buttons) {
    const page = await agent.get(href!)
    expect(page.status, href).toBe(200)
    expect(page.text).toContain(`<h1 class="govuk-heading-l">${text}</h1>`)
    expect(page.text).toContain(`<title>${text} – Concord</title>`)
  }
}

/** A step's page that is not open to the agent says so, on GET and on POST (sent as an old tab would). */
async function expectClosed(agent: Agent, path: string, doing: string) {
  const page = await agent.get(path)
  const version = await app.running.services.db.query<{ version: number }>(
    'select version from disputes where id = $1',
    [Number(/\/disputes\/(\d+)/.exec(path)![1])],
  )
  const sent = await agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version: String(version.rows[0]!.version) })
  for (const res of [page, sent]) {
    expect(res.status, path).toBe(409)
    expect(res.text).toContain('<h1 class="govuk-heading-l">You cannot do this now</h1>')
    expect(res.text).toContain(html(`, you cannot ${doing} now.`))
    expect(res.text).not.toContain('name="version"')
    // Nothing was typed, so there is nothing to show back.
    expect(res.text).not.toContain('What you wrote')
  }
}

function expectErrors(res: { status: number; text: string }, status: number, messages: string[]) {
  expect(res.status).toBe(status)
  expect(res.text).toContain('There is a problem')
  expect(res.text).toMatch(/<title>Error: /)
  for (const message of messages) expect(res.text, message).toContain(html(message))
}

const ids = { c2: 0, c3: 0, c1: 0 }

describe('raising a dispute', () => {
  it('is only for IROs and CP chairs', async () => {
    const sw = await as('swA')
    const page = await sw.get(`/children/${app.fixture.children.c2}/disputes/new`)
    expect(page.status).toBe(403)
    expect(page.text).toContain('You cannot raise a dispute')
    const child = await sw.get(`/children/${app.fixture.children.c2}`)
    expect(child.text).not.toContain('Raise a dispute')
    const post = await sw
      .post(`/children/${app.fixture.children.c2}/disputes/new`)
      .type('form')
      .send({ _csrf: csrfFrom(child.text), policyId: 'gloucestershire-2022' })
    expect(post.status).toBe(403)
  })

  it('asks which policy when more than one is in force, then checks every field', async () => {
    const iro = await as('iro1')
    const child = await iro.get(`/children/${app.fixture.children.c2}`)
    expect(child.text).toContain('data-qa="raise-dispute"')
    expect(child.text).toContain('No disputes have been raised')
    const path = `/children/${app.fixture.children.c2}/disputes/new`
    const choose = await iro.get(path)
    expect(choose.status).toBe(200)
    expect(choose.text).toContain('Which policy does this dispute follow?')
    expect(choose.text).toContain('Gloucestershire 2022: celebrating success and resolving differences')
    expect(choose.text).toContain('Dispute Resolution Procedure for Independent Reviewing Officers (Care First)')
    expectErrors(await iro.get(`${path}?policy=`), 400, [m.policyId.required])
    expectErrors(await iro.get(`${path}?policy=cpc-protocol`), 400, [m.policyId.unknown])

    const form = await iro.get(`${path}?policy=gloucestershire-2022`)
    expect(form.status).toBe(200)
    for (const words of ['Drift and Delay in achieving timely permanence for children', 'Formal Level 1', 'c3 Child'])
      expect(form.text).toContain(html(words))
    const empty = await iro
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), policyId: 'gloucestershire-2022' })
    expectErrors(empty, 400, [
      m.categoryKey.required,
      m.concern.required,
      m.impact.required,
      m.recommendedResolution.required,
      m.resolutionTimescale.required,
      m.becameAwareOn.required,
      m.startStageKey.required,
    ])
    // The form's own fields, as typed, with what each case changes.
    const submit = (more: Record<string, string>) => raiseForC2(iro, form.text, more)
    const future = await submit({
      'becameAwareOn-day': '6',
      startStageKey: 'formal1',
      preApprovedBy: String(app.fixture.people.rsm),
    })
    expectErrors(future, 400, [m.preApprovedOn.required])
    const later = await submit({
      'becameAwareOn-day': '6',
      startStageKey: 'formal1',
    })
    expectErrors(later, 400, [m.becameAwareOn.future])
    // The values typed are kept.
    expect(later.text).toContain(html(details.concern))
    const notSibling = await submit({
      startStageKey: 'formal1',
      siblingIds: String(app.fixture.children.c1),
    })
    expectErrors(notSibling, 400, [m.siblingIds.unknown])
    // An agreed response date on a Saturday (14 January 2023) is refused by the date, values kept.
    const saturday = await submit({
      startStageKey: 'informal',
      'agreedDueOn-day': '14',
      'agreedDueOn-month': '1',
      'agreedDueOn-year': '2023',
    })
    expect(saturday.status).toBe(422)
    expect(saturday.text).toContain(html(m.refusals.due_date_not_working_day))
    expect(saturday.text).toContain('href="#agreedDueOn-day"')
    expect(saturday.text).toContain(html(details.concern))
  })

  it('raises one linked record for each sibling and shows the record at a glance', async () => {
    const iro = await as('iro1')
    const path = `/children/${app.fixture.children.c2}/disputes/new`
    const form = await iro.get(`${path}?policy=gloucestershire-2022`)
    const res = await raiseForC2(iro, form.text, {
      concern: `${details.concern} <script>alert(1)</script>`,
      startStageKey: 'formal1',
      siblingIds: String(app.fixture.children.c3),
    })
    expect(res.status).toBe(303)
    ids.c2 = Number(/\/disputes\/(\d+)$/.exec(res.headers.location!)![1])
    const page = await iro.get(res.headers.location!)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Dispute raised: 2 linked records, one for each child')
    expect(page.text).toContain(`DRP-${String(ids.c2).padStart(6, '0')}`)
    const sibling = /href="\/disputes\/(\d+)">c3 Child/.exec(page.text)
    expect(sibling).not.toBeNull()
    ids.c3 = Number(sibling![1])
    for (const words of [
      'Gloucestershire 2022: celebrating success and resolving differences (version 1)',
      'Drift and Delay in achieving timely permanence for children',
      'Formal Level 1',
      'tmA Fixture (Team Manager)',
      'smNorth Fixture (Service Manager)',
      // Raised Thursday 5 January 2023: five working days on, and twenty for the formal process.
      '12 January 2023 (5 working days left)',
      '2 February 2023 (20 working days left)',
      'Awaiting response',
      'Wants to stay near school.',
    ])
      expect(page.text, words).toContain(html(words))
    expect(page.text).not.toContain('<script>alert(1)</script>')
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.text).toContain('moj-timeline__item')
    // The reviewer decides, escalates, refers, records legal advice; they do not respond.
    for (const form of ['decide', 'escalate', 'cafcass', 'legalAdvice', 'discussion'])
      expect(page.text, form).toContain(`data-qa="action-${form}"`)
    for (const form of ['respond', 'finalise', 'approve', 'addendum'])
      expect(page.text, form).not.toContain(`data-qa="action-${form}"`)
    const child = await iro.get(`/children/${app.fixture.children.c3}`)
    expect(child.text).toContain(`href="/disputes/${ids.c3}"`)
  })

  it('goes to each child’s own team manager', async () => {
    const tmB = await as('tmB')
    const page = await tmB.get(`/disputes/${ids.c3}`)
    expect(page.text).toContain('tmB Fixture (Team Manager)')
    expect(page.text).toContain('a sibling you are not allocated to')
  })
})

describe('who may do what on a record', () => {
  it('hides a record from a reviewer who cannot see the child', async () => {
    const cpc = await as('cpc1')
    expect((await cpc.get(`/disputes/${ids.c2}`)).status).toBe(404)
    expect((await cpc.get(`/disputes/${ids.c2}/print`)).status).toBe(404)
    expect((await cpc.get(`/disputes/${ids.c2}/decide`)).status).toBe(404)
  })

  it('gives the manager a respond button but no decide button, and refuses a decision', async () => {
    const tm = await as('tmA')
    const page = await tm.get(`/disputes/${ids.c2}`)
    expect(page.text).toContain('data-qa="action-respond"')
    expect(page.text).not.toContain('data-qa="action-decide"')
    await expectClosed(tm, `/disputes/${ids.c2}/decide`, 'decide if the dispute is resolved')
    await expectButtonsNameTheirPages(tm, `/disputes/${ids.c2}`, ['respond', 'discussion'])
  })

  it('checks the action plan, naming a partly filled row', async () => {
    const tm = await as('tmA')
    const path = `/disputes/${ids.c2}/respond`
    const page = await tm.get(path)
    expect(page.text).toContain('swA Fixture (Social Worker)')
    const empty = await post(tm, path, {})
    expectErrors(empty, 400, [m.comments.required, m.actions.required])
    // The summary's link goes to a field that takes the cursor: the first action's "What will be done".
    expect(empty.text).toContain('href="#actions-1-what"')
    const partly = await post(tm, path, {
      comments: 'We will update the plan.',
      'actions-1-what': 'Update the pathway plan',
      'actions-1-ownerId': String(app.fixture.people.swA),
      'actions-1-dueOn-day': '10',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
      'actions-2-what': 'Share it with the child',
      'actions-3-dueOn-day': '31',
      'actions-3-dueOn-month': '2',
      'actions-3-dueOn-year': '2023',
      'actions-3-what': 'Visit',
      'actions-3-ownerId': String(app.fixture.people.swA),
    })
    expectErrors(partly, 400, [m.actionRow.ownerId(2), m.actionRow.dueOn(2), m.actionRow.dueOnInvalid(3)])
    expect(partly.text).toContain('Update the pathway plan')
    const past = await post(tm, path, {
      comments: 'We will update the plan.',
      'actions-1-what': 'Update the pathway plan',
      'actions-1-ownerId': String(app.fixture.people.swA),
      'actions-1-dueOn-day': '1',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
    })
    // Named and linked to the row's date; the hint's example is two weeks on from today (the test clock's).
    expectErrors(past, 400, [m.actionRow.dueOnPast(1)])
    // GOV.UK's date pattern: the summary's link goes to the day input itself.
    expect(past.text).toContain('href="#actions-1-dueOn-day"')
    expect(past.text).toContain('id="actions-1-dueOn-day"')
    expect(page.text).toContain(`For example, ${dateExample(app.running.services.calendar.today(), 14)}`)
    // Only the child's chain is offered, and the record takes no one else: a social worker in another
    // team (swB), or no person at all, whatever the form was made to send.
    expect(page.text).not.toContain(`value="${app.fixture.people.swB}"`)
    for (const ownerId of [app.fixture.people.swB, 999999]) {
      const outsider = await post(tm, path, {
        comments: 'We will update the plan.',
        'actions-1-what': 'Update the pathway plan',
        'actions-1-ownerId': String(ownerId),
        'actions-1-dueOn-day': '10',
        'actions-1-dueOn-month': '1',
        'actions-1-dueOn-year': '2023',
      })
      expectErrors(outsider, 422, [m.refusals.action_owner_not_on_chain!])
      expect(outsider.text).toContain('href="#actions"')
    }
    const swB = (await app.running.services.access.currentUser(app.fixture.people.swB))!
    expect((await app.running.services.work.inbox(swB, 25, 0)).total).toBe(0)
  })

  it('takes a SMART action plan, and tells the second of two submissions that the record changed, keeping its words', async () => {
    const tm = await as('tmA')
    const path = `/disputes/${ids.c2}/respond`
    const page = await tm.get(path)
    const body = {
      _csrf: csrfFrom(page.text),
      version: /name="version" value="(\d+)"/.exec(page.text)![1]!,
      comments: 'We will update the plan.',
      'actions-1-what': 'Update the pathway plan',
      'actions-1-ownerId': String(app.fixture.people.swA),
      'actions-1-dueOn-day': '10',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
      'actions-4-what': 'Share the plan with the child',
      'actions-4-ownerId': String(app.fixture.people.tmA),
      'actions-4-dueOn-day': '12',
      'actions-4-dueOn-month': '1',
      'actions-4-dueOn-year': '2023',
    }
    const first = await tm.post(path).type('form').send(body)
    expect(first.status).toBe(303)
    const record = await tm.get(`/disputes/${ids.c2}`)
    expect(record.text).toContain('Response and action plan sent to the reviewer')
    // A plan sent from a second tab (or by a second person who may respond): the step is no longer open,
    // but what they typed is shown back, escaped, to copy.
    const words = 'Written in a second tab:\n<b>a new plan</b> & more.'
    const second = await tm
      .post(path)
      .type('form')
      .send({ ...body, comments: words, 'actions-4-what': 'Share it with the child' })
    expect(second.status).toBe(409)
    expect(second.text).toContain(', you cannot respond with a SMART action plan now.')
    expect(second.text).toContain('What you wrote')
    expect(second.text).toContain(`<p class="govuk-body app-written">${html(words.trim())}</p>`)
    expect(second.text).toContain('Action 4: what will be done')
    expect(second.text).toContain('Share it with the child')
    expect(second.text).not.toContain('Action 2: what will be done')
    expect(record.text).toContain('Awaiting decision')
    expect(record.text).toContain('Update the pathway plan')
    expect(record.text).toContain('Share the plan with the child')
    expect(record.text).not.toContain('data-qa="action-respond"')
    // The manager may mark the plan's actions done.
    expect(record.text).toContain(`/disputes/${ids.c2}/actions/1/complete`)
  })

  it('lets the owner of an action mark it done, with evidence', async () => {
    const sw = await as('swA')
    const record = await sw.get(`/disputes/${ids.c2}`)
    expect(record.text).toContain(`/disputes/${ids.c2}/actions/1/complete`)
    expect(record.text).not.toContain(`/disputes/${ids.c2}/actions/2/complete`)
    const path = `/disputes/${ids.c2}/actions/1/complete`
    // The reviewer has the decision open while the action is marked done: their form is still open
    // after that change, so it comes back with the conflict to read the record again.
    const iro = await as('iro1')
    const decide = await iro.get(`/disputes/${ids.c2}/decide`)
    expectErrors(await post(sw, path, {}), 400, [m.evidence.required])
    expect((await post(sw, path, { evidence: 'Plan updated on 5 January.' })).status).toBe(303)
    const stale = await iro
      .post(`/disputes/${ids.c2}/decide`)
      .type('form')
      .send({
        _csrf: csrfFrom(decide.text),
        version: /name="version" value="(\d+)"/.exec(decide.text)![1]!,
        decision: 'not_resolved',
        comments: 'Written before the action was done.',
      })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('changed by someone else')
    expect(stale.text).toContain('name="decision"')
    const after = await sw.get(`/disputes/${ids.c2}`)
    expect(after.text).toContain('Action marked as done')
    expect(after.text).toContain('Plan updated on 5 January.')
    expect((await sw.get(`/disputes/${ids.c2}/actions/99/complete`)).status).toBe(404)
  })

  it('says so when a step’s form is opened or sent after the step was taken, or by someone whose step it is not', async () => {
    const base = `/disputes/${ids.c2}`
    // An old link from the inbox or an email: the plan was sent, the action done.
    await expectClosed(await as('tmA'), `${base}/respond`, 'respond with a SMART action plan')
    await expectClosed(await as('swA'), `${base}/actions/1/complete`, 'mark this action as done')
    // Not theirs: the reviewer decides and escalates; only a resolved record is finalised.
    await expectClosed(await as('tmA'), `${base}/decide`, 'decide if the dispute is resolved')
    await expectClosed(await as('tmA'), `${base}/escalate`, 'escalate the dispute')
    await expectClosed(await as('iro1'), `${base}/finalise`, 'finalise the record')
    const closed = await (await as('iro1')).get(`${base}/finalise`)
    expect(closed.text).toContain(`href="${base}"`)
    expect(closed.text).toContain('It may already have been done, or it may be for someone else to do.')
    // Still open: the reviewer's decision, and the manager's other action.
    expect((await (await as('iro1')).get(`${base}/decide`)).status).toBe(200)
    expect((await (await as('tmA')).get(`${base}/actions/2/complete`)).status).toBe(200)
  })
})

describe('the reviewer’s steps', () => {
  it('checks every form', async () => {
    const iro = await as('iro1')
    const base = `/disputes/${ids.c2}`
    await expectButtonsNameTheirPages(iro, base, ['decide', 'escalate', 'cafcass', 'legalAdvice', 'discussion'])
    expectErrors(await post(iro, `${base}/decide`, {}), 400, [m.decision.required, m.comments.required])
    expect((await iro.get(`${base}/escalate`)).text).not.toContain('data-qa="discussion-rule"')
    expectErrors(await post(iro, `${base}/escalate`, {}), 400, [m.toStageKey.required, m.reason.required])
    const dated = (day: string, month: string, year: string) =>
      post(iro, `${base}/escalate`, {
        toStageKey: 'formal3',
        reason: 'x',
        'agreedDueOn-day': day,
        'agreedDueOn-month': month,
        'agreedDueOn-year': year,
      })
    expectErrors(await dated('40', '1', '2027'), 400, [m.agreedDueOn.invalid])
    // GOV.UK's date pattern: say what is missing, and link to the first part missing.
    const partial = await dated('4', '', '')
    expectErrors(partial, 400, ['The agreed date must include a month and year'])
    expect(partial.text).toContain('href="#agreedDueOn-month"')
    // A date for a stage with its own timescale is refused by the date, not quietly dropped.
    const notAgreeable = await dated('1', '2', '2099')
    expect(notAgreeable.status).toBe(422)
    expect(notAgreeable.text).toContain(html(m.refusals.agreed_date_not_allowed))
    expect(notAgreeable.text).toContain('href="#agreedDueOn-day"')
    expectErrors(await post(iro, `${base}/cafcass`, {}), 400, [m.cafcassReasons.required])
    expectErrors(await post(iro, `${base}/legal-advice`, {}), 400, [m.legalAdvice.required])
    // This policy (seed 000) does not mention legal advice, and the page does not claim it does.
    const legalPage = (await iro.get(`${base}/legal-advice`)).text
    expect(legalPage).toContain('does not mention legal advice')
    expect(legalPage).not.toContain('says you may seek independent legal advice')
    // Legal advice may be sought at any point (IRO Handbook): recording it is never refused to the reviewer.
    expect((await post(iro, `${base}/legal-advice`, { note: 'Asked legal' })).status).toBe(303)
    // Closed to the reviewer at this point, so never refused only once sent: no extension under this
    // policy, no pre-approval awaited, nothing held outside Concord, not yet resolved or finalised.
    await expectClosed(iro, `${base}/extension`, 'agree an extension')
    await expectClosed(iro, `${base}/approve`, 'give pre-approval')
    await expectClosed(iro, `${base}/decline`, 'decline pre-approval')
    await expectClosed(iro, `${base}/outcome`, 'record the outcome of the stage')
    await expectClosed(iro, `${base}/finalise`, 'finalise the record')
    await expectClosed(iro, `${base}/addendum`, 'add an addendum')
  })

  it('logs discussions, with the meeting agenda for a meeting', async () => {
    const iro = await as('iro1')
    const path = `/disputes/${ids.c2}/discussions/new`
    const page = await iro.get(path)
    for (const words of ['Child’s details', 'Views of parties involved', 'Actions taken to date', 'Dispute remains'])
      expect(page.text).toContain(html(words))
    // The meeting's notes come after the questions every discussion answers, not open among the ways to hold it.
    expect(page.text).not.toContain('govuk-radios__conditional')
    expect(page.text.indexOf('Meeting notes')).toBeGreaterThan(page.text.indexOf('name="summary"'))
    expectErrors(await post(iro, path, {}), 400, [
      m.channel.required,
      m.heldOn.required,
      m.participants.required,
      m.summary.required,
    ])
    const when = { 'heldOn-day': '5', 'heldOn-month': '1', 'heldOn-year': '2023' }
    expectErrors(
      await post(iro, path, { channel: 'meeting', ...when, participants: 'tmA, iro1', summary: 'Met' }),
      400,
      [m.meeting.outcome],
    )
    expectErrors(
      await post(iro, path, { channel: 'phone', ...when, 'heldOn-day': '6', participants: 'tmA', summary: 'Call' }),
      400,
      [m.heldOn.future],
    )
    // Notes written under the meeting's agenda for a phone call come back with the error, not lost.
    const call = await post(iro, path, {
      channel: 'phone',
      ...when,
      participants: 'tmA',
      summary: 'Call',
      'meeting-views': 'The team manager agrees',
    })
    expectErrors(call, 400, [m.meeting.notesWithoutMeeting])
    expect(call.text).toContain('The team manager agrees</textarea>')
    // At the stage it was raised at, a discussion counts from when the reviewer became aware (4 January,
    // the day before the record was raised), not before: it counts towards escalating from that stage.
    expectErrors(
      await post(iro, path, { channel: 'phone', ...when, 'heldOn-day': '3', participants: 'tmA', summary: 'Call' }),
      400,
      [m.heldOn.beforeAware('4 January 2023')],
    )
    const res = await post(iro, path, {
      channel: 'meeting',
      ...when,
      'heldOn-day': '4',
      participants: 'tmA Fixture, iro1 Fixture',
      summary: 'Met to agree the plan.',
      'meeting-reasonForMeeting': 'The plan is out of date',
      'meeting-views': 'The team manager agrees',
      'meeting-outcome': 'remains',
      'meeting-outcomeDetail': 'Waiting for the updated plan',
    })
    expect(res.status).toBe(303)
    const record = await iro.get(`/disputes/${ids.c2}`)
    for (const words of [
      'Discussion logged',
      'Meeting on 4 January 2023',
      'The plan is out of date',
      'Dispute remains',
      'Waiting for the updated plan',
      'Discussion logged: meeting',
    ])
      expect(record.text, words).toContain(words)
  })

  it('refers to CAFCASS, showing who will be informed', async () => {
    const iro = await as('iro1')
    const path = `/disputes/${ids.c2}/cafcass`
    const page = await iro.get(path)
    for (const who of ['headIrs Fixture', 'hosNorth Fixture', 'dsc Fixture', 'dcs Fixture'])
      expect(page.text).toContain(who)
    expect((await post(iro, path, { reasons: 'The plan has drifted for a year.' })).status).toBe(303)
    const record = await iro.get(`/disputes/${ids.c2}`)
    expect(record.text).toContain('CAFCASS referral')
    expect(record.text).toContain('The plan has drifted for a year.')
    expect(record.text).not.toContain('data-qa="action-cafcass"')
    // The referral is tagged on the record, in the list of disputes and on the child's page.
    for (const page of [`/disputes/${ids.c2}`, '/disputes', `/children/${app.fixture.children.c2}`])
      expect((await iro.get(page)).text, page).toContain(
        '<strong class="govuk-tag govuk-tag--red">Referred to CAFCASS</strong>',
      )
  })

  it('resolves, finalises and locks the record; only an addendum can follow', async () => {
    const iro = await as('iro1')
    const base = `/disputes/${ids.c2}`
    // The day it was resolved (seed 001): not after today, not before the stage began.
    const resolvedOn = (day: string, month: string, year: string) => ({
      decision: 'resolved',
      comments: 'The plan is updated.',
      'resolvedOn-day': day,
      'resolvedOn-month': month,
      'resolvedOn-year': year,
    })
    expectErrors(await post(iro, `${base}/decide`, resolvedOn('1', '1', '2099')), 422, [m.refusals.resolved_in_future!])
    const { rows } = await app.running.services.db.query<{ on: string }>(
      `select state #>> '{stages,-1,enteredOn}' as on from disputes where id = $1`,
      [ids.c2],
    )
    const [year, month, day] = rows[0]!.on.split('-')
    expect((await post(iro, `${base}/decide`, resolvedOn(day!, month!, year!))).status).toBe(303)
    const resolved = await iro.get(base)
    expect(resolved.text).toContain('Recorded as resolved')
    expect(resolved.text).toContain(`${formatDate(rows[0]!.on)} at `)
    expect(resolved.text).toContain('data-qa="action-finalise"')
    await expectButtonsNameTheirPages(iro, base, ['legalAdvice', 'finalise', 'discussion'])
    const confirm = await iro.get(`${base}/finalise`)
    expect(confirm.text).toContain('Once finalised, the record is locked')
    // Its SMART action is still open: the reviewer is told, before locking, that it can no longer be marked done.
    expect(confirm.text).toMatch(/1 action is still open<\/h2>/)
    expect(confirm.text).toMatch(
      /data-qa="open-actions">\s*<li>Share the plan with the child, due 12 January 2023<\/li>/,
    )
    expectErrors(await post(iro, `${base}/finalise`, {}, false), 400, [m.version.required])
    expect((await post(iro, `${base}/finalise`, {})).status).toBe(303)
    const locked = await iro.get(base)
    expect(locked.text).toContain('This record is finalised and locked')
    expect(locked.text).toContain('data-qa="action-addendum"')
    await expectButtonsNameTheirPages(iro, base, ['addendum'])
    for (const form of ['decide', 'escalate', 'discussion', 'finalise'])
      expect(locked.text, form).not.toContain(`data-qa="action-${form}"`)
    expect(locked.text).not.toContain('Mark as done')
    await expectClosed(iro, `${base}/decide`, 'decide if the dispute is resolved')
    await expectClosed(iro, `${base}/discussions/new`, 'log a discussion')
    // Not "it may be for someone else to do": nobody can, and the page says why.
    const closed = await iro.get(`${base}/decide`)
    expect(closed.text).toContain('The record is finalised, so it is locked: only an addendum can be added to it.')
    expect(closed.text).not.toContain('for someone else to do')
    expectErrors(await post(iro, `${base}/addendum`, {}), 400, [m.addendum.required])
    expect((await post(iro, `${base}/addendum`, { text: 'The plan was shared with the child.' })).status).toBe(303)
    const after = await iro.get(base)
    expect(after.text).toContain('Addendum added')
    expect(after.text).toContain('The plan was shared with the child.')
  })

  it('prints the whole record', async () => {
    const iro = await as('iro1')
    const res = await iro.get(`/disputes/${ids.c2}/print`)
    expect(res.status).toBe(200)
    for (const words of [
      `Dispute record DRP-${String(ids.c2).padStart(6, '0')}`,
      'Produced by iro1 Fixture on 5 January 2023 at 9:00am',
      'C2',
      'Team A',
      'Gloucestershire 2022: celebrating success and resolving differences, version 1, in force from 1 January 2022',
      'Formal Level 1',
      '12 January 2023',
      'Update the pathway plan',
      'The plan is out of date',
      'Resolved on 5 January 2023',
      'The plan was shared with the child.',
      'This record is finalised and locked.',
    ])
      expect(res.text, words).toContain(html(words))
    expect(res.text).not.toContain('govuk-service-navigation')
    expect(res.text).not.toMatch(/ style="/)
    expect(res.text).not.toMatch(/<script(?![^>]*nonce=)/)
  })
})

describe('not resolved: escalating and extending', () => {
  const plan = (who: 'swB' | 'smNorth') => ({
    comments: 'We will act.',
    'actions-1-what': 'Convene a planning meeting',
    'actions-1-ownerId': String(app.fixture.people[who]),
    'actions-1-dueOn-day': '9',
    'actions-1-dueOn-month': '1',
    'actions-1-dueOn-year': '2023',
  })

  it('escalates past a stage where the policy allows bypass', async () => {
    expect((await post(await as('tmB'), `/disputes/${ids.c3}/respond`, plan('swB'))).status).toBe(303)
    const iro = await as('iro1')
    const base = `/disputes/${ids.c3}`
    const decide = await iro.get(`${base}/decide`)
    expect(decide.text).toContain('Not resolved')
    expect((await post(iro, `${base}/decide`, { decision: 'not_resolved', comments: 'Not enough.' })).status).toBe(303)
    const escalate = await iro.get(`${base}/escalate`)
    for (const stage of ['Formal Level 2', 'Formal Level 3', 'Formal Level 4']) expect(escalate.text).toContain(stage)
    expect(escalate.text).not.toContain('Formal Level 1</label>')
    expect((await post(iro, `${base}/escalate`, { toStageKey: 'formal3', reason: 'No progress.' })).status).toBe(303)
    const record = await iro.get(base)
    expect(record.text).toContain('Escalation recorded. The record is now at Formal Level 3, sent to dsc Fixture')
    expect(record.text).toContain('dsc Fixture (Director of Safeguarding and Care)')
    expect(record.text).toContain('Escalated from Formal Level 1 to Formal Level 3')
    expect(record.text).toContain('bypassing the stages in between')
    expect(record.text).toContain('Not resolved on 5 January 2023')
  })
})

/** The raise form under the CP chairs' Mosaic policy, sent at stage 2 with `details` and any `extra` answers. */
function postMosaicRaise(agent: Agent, path: string, formHtml: string, extra: Record<string, string> = {}) {
  return agent
    .post(path)
    .type('form')
    .send({
      _csrf: csrfFrom(formHtml),
      policyId: 'cpc-mosaic-2022',
      ...details,
      categoryKey: 'drift_and_delay',
      startStageKey: 'stage2',
      ...extra,
    })
}

describe('changing the policy on the raise form', () => {
  it('keeps what was typed that any policy asks for, once, for that child only', async () => {
    const cpc = await as('cpc1')
    const { c1, c4 } = app.fixture.children
    const path = `/children/${c1}/disputes/new`
    const form = await cpc.get(`${path}?policy=cpc-mosaic-2022`)
    expect(form.text).toContain('data-qa="change-policy"')
    const changed = await postMosaicRaise(cpc, path, form.text, {
      concern: 'Typed <before> changing policy.',
      changePolicy: 'yes',
    })
    expect(changed.status).toBe(303)
    expect(changed.headers.location).toBe(path)
    // Nothing was raised, and the text went into no address.
    const raised = await app.running.services.db.query('select 1 from disputes where child_id = $1', [c1])
    expect(raised.rows).toEqual([])
    const choose = await cpc.get(changed.headers.location!)
    expect(choose.status).toBe(200)
    expect(choose.text).toContain('Which policy does this dispute follow?')
    expect(choose.text).not.toContain('govuk-error-summary')
    const other = await cpc.get(`${path}?policy=cpc-protocol`)
    expect(other.text).toContain('Typed &lt;before&gt; changing policy.')
    expect(other.text).toContain(details.impact)
    expect(other.text).toContain(details.resolutionTimescale)
    expect(other.text).toMatch(/name="becameAwareOn-day" type="text" value="4"/)
    // The category and stage belong to the old policy: asked again.
    expect(other.text).not.toMatch(/value="stage2" checked/)
    // Once: a fresh form after that is empty again.
    expect((await cpc.get(`${path}?policy=cpc-protocol`)).text).not.toContain('Typed &lt;before&gt;')
    // And never another child's form.
    await cpc
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), policyId: 'cpc-mosaic-2022', ...details, changePolicy: 'yes' })
    const elsewhere = await cpc.get(`/children/${c4}/disputes/new?policy=cpc-protocol`)
    expect(elsewhere.status).toBe(200)
    expect(elsewhere.text).not.toContain(details.impact)
  })
})

describe('pre-approval', () => {
  it('waits for the chairs’ manager before stage 2, who declines or agrees', async () => {
    const cpc = await as('cpc1')
    const path = `/children/${app.fixture.children.c1}/disputes/new`
    const choose = await cpc.get(path)
    expect(choose.text).toContain('Child Protection Chair Dispute Resolution Process on Mosaic')
    const form = await cpc.get(`${path}?policy=cpc-mosaic-2022`)
    expect(form.text).toContain('Needs the agreement of the Service manager for the Child Protection Chairs first.')
    expect(form.text).toContain('rsm Fixture')
    // Its Informal stage sets no timescale, so the agreed date is needed there, not optional.
    expect(form.text).toContain('Agreed response date\n')
    expect(form.text).toContain(
      'Needed for Informal: it has no set timescale. Leave it empty for the other stages. For example,',
    )
    expect(form.text).not.toContain('Agreed response date (optional)')
    const res = await postMosaicRaise(cpc, path, form.text)
    expect(res.status).toBe(303)
    ids.c1 = Number(/\/disputes\/(\d+)$/.exec(res.headers.location!)![1])
    const waiting = await cpc.get(res.headers.location!)
    expect(waiting.text).toContain('Dispute raised<')
    expect(waiting.text).toContain('Awaiting pre-approval')
    // The child's history names the record each step belongs to.
    const history = (await cpc.get(`/children/${app.fixture.children.c1}`)).text
    expect(history).toMatch(
      new RegExp(
        `Dispute raised</h3>[\\s\\S]*?Record <a class="govuk-link" href="/disputes/${ids.c1}">DRP-0*${ids.c1}</a>`,
      ),
    )
    expect(waiting.text).not.toContain('data-qa="action-approve"')
    const rsm = await as('rsm')
    const page = await rsm.get(`/disputes/${ids.c1}`)
    expect(page.text).toContain('data-qa="action-approve"')
    expect(page.text).toContain('data-qa="action-decline"')
    await expectButtonsNameTheirPages(rsm, `/disputes/${ids.c1}`, ['approve', 'decline', 'discussion'])
    await expectClosed(cpc, `/disputes/${ids.c1}/approve`, 'give pre-approval')
    expectErrors(await post(rsm, `/disputes/${ids.c1}/decline`, {}), 400, [m.declineReason.required])
    expect((await post(rsm, `/disputes/${ids.c1}/approve`, { note: 'Agreed by phone.' })).status).toBe(303)
    const approved = await rsm.get(`/disputes/${ids.c1}`)
    expect(approved.text).toContain('Pre-approval given. The record is now at Stage 2, sent to smNorth Fixture')
    expect(approved.text).toContain('smNorth Fixture (Service Manager)')
    expect(approved.text).toContain('Agreed by phone.')
  })

  it('lets the reviewer agree a short extension instead of escalating, where the policy allows', async () => {
    const sm = await as('smNorth')
    const plan = {
      comments: 'We will act.',
      'actions-1-what': 'Convene a planning meeting',
      'actions-1-ownerId': String(app.fixture.people.swA),
      'actions-1-dueOn-day': '9',
      'actions-1-dueOn-month': '1',
      'actions-1-dueOn-year': '2023',
    }
    expect((await post(sm, `/disputes/${ids.c1}/respond`, plan)).status).toBe(303)
    const cpc = await as('cpc1')
    const page = await cpc.get(`/disputes/${ids.c1}`)
    expect(page.text).toContain('data-qa="action-extension"')
    await expectButtonsNameTheirPages(cpc, `/disputes/${ids.c1}`, [
      'decide',
      'extension',
      'escalate',
      'legalAdvice',
      'discussion',
    ])
    // The policy's discussion rule is on the escalate page before it is sent, with a way to meet it.
    const escalate = await cpc.get(`/disputes/${ids.c1}/escalate`)
    expect(escalate.text).toContain('this policy asks you to log a discussion of the dispute: a phone call')
    expect(escalate.text).toContain(
      `<a class="govuk-link" id="log-discussion" href="/disputes/${ids.c1}/discussions/new">Log a discussion</a>`,
    )
    // Sent without one, the refusal says so in words true of any policy, linked to that way to meet it.
    const refused = await post(cpc, `/disputes/${ids.c1}/escalate`, { toStageKey: 'stage3', reason: 'No progress.' })
    expectErrors(refused, 422, [m.refusals.discussion_required!])
    expect(refused.text).toContain('href="#log-discussion"')
    const form = await cpc.get(`/disputes/${ids.c1}/extension`)
    expect(form.text).toContain('a further 1 working day')
    expectErrors(await post(cpc, `/disputes/${ids.c1}/extension`, {}), 400, [m.extensionNote.required])
    expect((await post(cpc, `/disputes/${ids.c1}/extension`, { note: 'Add the school to the plan.' })).status).toBe(303)
    const extended = await cpc.get(`/disputes/${ids.c1}`)
    expect(extended.text).toContain('Extension agreed')
    expect(extended.text).toContain('6 January 2023 (1 working day left), after an extension')
    await expectClosed(cpc, `/disputes/${ids.c1}/extension`, 'agree an extension')
  })
})

describe('a policy that asks for a discussion before resolving (Care First, seed 003)', () => {
  it('says so on the decide page, and refuses a resolution at stage one until one is logged, not by email alone', async () => {
    const services = app.running.services
    const reviewer = (await services.access.currentUser(app.fixture.people.iro1))!
    const { ids: raised } = await services.disputes.raise(reviewer, {
      childIds: [app.fixture.children.c2],
      policyId: 'iro-care-first',
      categoryKey: shippedPolicies().find(p => p.id === 'iro-care-first')!.categories[0]!.key,
      concern: 'Stage one by email alone',
      impact: 'Impact',
      wishesAndFeelings: '',
      recommendedResolution: 'Resolution',
      resolutionTimescale: '5 days',
      becameAwareOn: parseIsoDate('2023-01-04'),
      startStageKey: 'stage1',
    })
    const id = raised[0]!
    const iro = await as('iro1')
    // This policy, unlike seed 000's, says the reviewer may seek legal advice.
    expect((await iro.get(`/disputes/${id}/legal-advice`)).text).toContain(
      'says you may seek independent legal advice at any point in the dispute',
    )
    const decide = await iro.get(`/disputes/${id}/decide`)
    expect(decide.text).toContain(
      'Before recording the dispute as resolved at this stage, this policy asks you to log a discussion of the dispute: a phone call',
    )
    const resolve = () => post(iro, `/disputes/${id}/decide`, { decision: 'resolved', comments: 'Sorted by email.' })
    const log = (channel: Channel) =>
      services.disputes.logDiscussion(reviewer, id, {
        channel,
        heldOn: parseIsoDate('2023-01-05'),
        participants: 'iro1 and tmA',
        summary: 'Talked.',
        meeting: null,
      })
    await log('email')
    const refused = await resolve()
    expectErrors(refused, 422, [m.refusals.discussion_required_to_resolve!])
    expect(refused.text).toContain('href="#log-discussion"')
    await log('phone')
    expect((await resolve()).status).toBe(303)
  })
})

describe('lists', () => {
  it('shows a reviewer their own disputes by default, filters by status, and pages', async () => {
    const iro = await as('iro1')
    const list = await iro.get('/disputes')
    expect(list.status).toBe(200)
    expect(list.text).toContain(`href="/disputes/${ids.c2}"`)
    expect(list.text).toContain(`href="/disputes/${ids.c3}"`)
    expect(list.text).toContain('12 January 2023 (5 working days left)')
    // The table's caption says what it holds, as filtered, not everything the reviewer can see.
    const caption = (text: string) => /data-qa="disputes-caption">([^<]*)</.exec(text)?.[1]
    expect(caption(list.text)).toBe('Disputes raised by you')
    expect(caption((await iro.get('/disputes?status=open&raisedBy=anyone')).text)).toBe('Open disputes you can see')
    const finalised = await iro.get('/disputes?status=finalised')
    expect(caption(finalised.text)).toBe('Finalised disputes raised by you')
    expect(finalised.text).toContain(`href="/disputes/${ids.c2}"`)
    expect(finalised.text).not.toContain(`href="/disputes/${ids.c3}"`)
    const admin = await as('admin')
    const all = await admin.get('/disputes')
    for (const id of [ids.c1, ids.c2, ids.c3]) expect(all.text).toContain(`href="/disputes/${id}"`)
    const sw = await as('swB')
    const theirs = await sw.get('/disputes')
    expect(theirs.text).toContain(`href="/disputes/${ids.c3}"`)
    expect(theirs.text).not.toContain(`href="/disputes/${ids.c2}"`)
    expect((await iro.get('/disputes?page=x&status=nonsense')).status).toBe(200)
  })
})

describe('administration', () => {
  it('lists every policy and shows one in plain English, to administrators only', async () => {
    expect((await (await as('swA')).get('/policies')).status).toBe(403)
    expect((await (await as('iro1')).get('/calendar')).status).toBe(403)
    const admin = await as('admin')
    const list = await admin.get('/policies')
    for (const id of ['gloucestershire-2022', 'cpc-mosaic-2022', 'cpc-protocol', 'iro-care-first'])
      expect(list.text).toContain(id)
    const policy = await admin.get('/policies/cpc-mosaic-2022/1')
    for (const words of [
      'Stage 2',
      'Service Director/Executive Director',
      'Unassessed risk/safeguarding concern',
      'The Service manager for the Child Protection Chairs must agree before a dispute is raised or escalated to Stage 2 or above.',
      'Escalation is always to the next stage.',
      'The reviewer raises the dispute within 2 working days of becoming aware of the concern.',
    ])
      expect(policy.text, words).toContain(html(words))
    expect((await admin.get('/policies/cpc-mosaic-2022/9')).status).toBe(404)
    expect((await admin.get('/policies/nope/1')).status).toBe(404)
  })

  it('adds and removes a local closure, with validation', async () => {
    const admin = await as('admin')
    const c = errorMessages.calendar
    expectErrors(await post(admin, '/calendar', {}), 400, [c.day.required, c.kind.required, c.note.required])
    const day = (d: string, mo: string, y: string) => ({ 'day-day': d, 'day-month': mo, 'day-year': y })
    expectErrors(await post(admin, '/calendar', { ...day('7', '1', '2023'), kind: 'closed', note: 'x' }), 400, [
      c.day.weekend,
    ])
    expectErrors(await post(admin, '/calendar', { ...day('2', '1', '2023'), kind: 'closed', note: 'x' }), 400, [
      c.day.alreadyClosed,
    ])
    expectErrors(await post(admin, '/calendar', { ...day('3', '1', '2023'), kind: 'open', note: 'x' }), 400, [
      c.day.notBankHoliday,
    ])
    const added = await post(admin, '/calendar', { ...day('1', '3', '2030'), kind: 'closed', note: 'Office move' })
    expect(added.status).toBe(303)
    const page = await admin.get('/calendar')
    expect(page.text).toContain('1 March 2030')
    expect(page.text).toContain('Office move')
    const removed = await admin
      .post('/calendar/2030-03-01/remove')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(removed.status).toBe(303)
    expect((await admin.get('/calendar')).text).not.toContain('Office move')
    expect(
      (
        await admin
          .post('/calendar/2030-03-01/remove')
          .type('form')
          .send({ _csrf: csrfFrom(page.text) })
      ).status,
    ).toBe(404)
  })
})

describe('a form sent twice (a double click, the back button)', () => {
  it('raises the dispute once, and says so the second time on the record it raised', async () => {
    const iro = await as('iro1')
    const path = `/children/${app.fixture.children.c2}/disputes/new`
    const form = await iro.get(`${path}?policy=gloucestershire-2022`)
    expect(form.text).toContain('data-prevent-double-click="true"')
    const send = () =>
      raiseForC2(iro, form.text, { concern: 'Sent twice from the raise form.', startStageKey: 'formal1' })
    const first = await send()
    expect(first.status).toBe(303)
    expect((await iro.get(first.headers.location!)).text).toContain('Dispute raised')
    const again = await send()
    expect(again.status).toBe(303)
    expect(again.headers.location).toBe(first.headers.location)
    const shown = await iro.get(again.headers.location!)
    expect(shown.text).toContain('You had already raised this dispute, so it was not raised again. This is its record')
    const { rows } = await app.running.services.db.query<{ n: number }>(
      `select count(*)::int as n from disputes where concern = 'Sent twice from the raise form.'`,
    )
    expect(rows[0]!.n).toBe(1)
  })
})
