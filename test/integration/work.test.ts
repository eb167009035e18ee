import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { notificationService } from '../../src/services/notifications/notificationService.js'
import { claimResponsesToChase, markChased } from '../../src/db/repositories/workItemRepository.js'
import { outstandingRecords, type RecordState, recordStates } from '../../src/db/repositories/supervisionRepository.js'
import type { Command } from '../../src/domain/dispute/stateMachine.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'
import { timelineItems } from '../../src/web/presenters/disputePresenter.js'
import { newConcern } from '../factories/concerns.js'

const d = parseIsoDate
const details = {
  categoryKey: 'drift_delay',
  concern: 'Concern',
  impact: 'Impact',
  wishesAndFeelings: '',
  recommendedResolution: 'Resolution',
  resolutionTimescale: '10 days',
}

describe.each(databaseKinds())('work queues and notifications on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const mailer = new RecordingMailer()
  const clock = new SettableClock(new Date('2023-04-03T09:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(
      database.db,
      clock,
      loadConfig({ NODE_ENV: 'test', CONCORD_OVERDUE_ESCALATION_DAYS: '3' }),
      fastHasher,
      shippedPolicies(),
      { mailer },
    )
  })
  afterAll(async () => database.dispose())
  beforeEach(() => {
    mailer.sent.length = 0
    mailer.down = false
  })

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const inboxKinds = async (who: FixturePerson) =>
    (await services.work.inbox(await user(who), 50, 0)).items.map(i => `${i.kind}:${i.disputeId}`)
  /** A record raised at Formal Level 1 of the Gloucestershire policy, where most of these journeys start. */
  const raiseAtFormal1 = (by: Awaited<ReturnType<typeof user>>, child: number, becameAwareOn: string) =>
    services.disputes.raise(by, {
      ...details,
      concern: newConcern(),
      childIds: [child],
      policyId: 'gloucestershire-2022',
      startStageKey: 'formal1',
      becameAwareOn: d(becameAwareOn),
    })
  const at = (iso: string) => clock.set(new Date(`${iso}T09:00:00Z`))
  /** Raised today by iro1 for C2 at formal stage 1, then answered by tmA with these actions. */
  const raiseAndAnswer = async (today: string, actions: { what: string; ownerId: number; dueOn: string }[]) => {
    at(today)
    const iro = await user('iro1')
    const id = (await raiseAtFormal1(iro, fixture.children.c2, today)).ids[0]!
    const view = await services.disputes.view(iro, id, { path: '/t', ip: null })
    await services.disputes.act(await user('tmA'), id, view.record.version, {
      type: 'respond',
      comments: 'Plan',
      actions: actions.map(a => ({ ...a, dueOn: d(a.dueOn) })),
    })
    return { iro, id, reference: `DRP-${String(id).padStart(6, '0')}` }
  }
  const email = (who: FixturePerson) => `${who}@test.example`

  it('moves each task to the right inbox through a whole journey, and keeps copies until acknowledged', async () => {
    at('2023-04-03') // Monday
    const iro = await user('iro1')
    const { ids } = await raiseAtFormal1(iro, fixture.children.c2, '2023-04-03')
    const id = ids[0]!
    expect(await inboxKinds('tmA')).toContain(`respond:${id}`)
    expect(await inboxKinds('smNorth')).toContain(`copy:${id}`) // formal 1 copies the service manager
    expect(await inboxKinds('iro1')).not.toContain(`decide:${id}`)
    const inbox = await services.work.inbox(await user('tmA'), 50, 0)
    // Due Monday 3 April + 5 working days = Monday 17 April? No: Good Friday 7 April and Easter Monday 10 April.
    expect(inbox.items.find(i => i.disputeId === id)).toMatchObject({ dueOn: '2023-04-12', workingDaysLeft: 5 })

    let view = await services.disputes.view(iro, id, { path: '/t', ip: null })
    await services.disputes.act(await user('tmA'), id, view.record.version, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-04-20') }],
    })
    expect(await inboxKinds('tmA')).not.toContain(`respond:${id}`)
    expect(await inboxKinds('iro1')).toContain(`decide:${id}`)
    // Due by the overall deadline: the reviewer's step has none of its own.
    const decide = (await services.work.inbox(iro, 50, 0)).items.find(i => i.kind === 'decide' && i.disputeId === id)
    expect(view.record.state.overallDueOn).not.toBeNull()
    expect(decide?.dueOn).toBe(view.record.state.overallDueOn)
    // Migration 0027 gives a step already waiting, saved without a date, the same one.
    await database.db.query('update work_items set due_on = null where id = $1', [decide!.id])
    const fill = await readFile(
      new URL('../../src/db/migrations/0027_reviewer_steps_due_by_overall_deadline.sql', import.meta.url),
      'utf8',
    )
    await database.db.query(fill)
    expect((await services.work.inbox(iro, 50, 0)).items.find(i => i.id === decide!.id)?.dueOn).toBe(
      view.record.state.overallDueOn,
    )
    expect(await inboxKinds('swA')).toContain(`action:${id}`)
    // The action's item says which action it is; migration 0028 gives an item saved without, the same words.
    const sw = await user('swA')
    const action = (await services.work.inbox(sw, 50, 0)).items.find(i => i.kind === 'action' && i.disputeId === id)!
    expect(action.about).toBe('Visit')
    await database.db.query('update work_items set about = null where id = $1', [action.id])
    await database.db.query(
      await readFile(new URL('../../src/db/migrations/0028_action_items_about.sql', import.meta.url), 'utf8'),
    )
    expect((await services.work.inbox(sw, 50, 0)).items.find(i => i.id === action.id)?.about).toBe('Visit')
    view = await services.disputes.view(iro, id, { path: '/t', ip: null })
    await services.disputes.act(iro, id, view.record.version, {
      type: 'escalate',
      toStageKey: 'formal2',
      reason: 'Not enough',
    })
    expect(await inboxKinds('iro1')).not.toContain(`decide:${id}`)
    expect(await inboxKinds('hosNorth')).toContain(`respond:${id}`)
    expect(await inboxKinds('dsc')).toContain(`copy:${id}`)
    // Reading is not doing: the copy stays until acknowledged, and only its recipient can acknowledge it.
    const copy = (await services.work.inbox(await user('smNorth'), 50, 0)).items.find(
      i => i.kind === 'copy' && i.disputeId === id,
    )!
    await expect(services.work.acknowledge(await user('tmA'), copy.id)).rejects.toThrow()
    await services.work.acknowledge(await user('smNorth'), copy.id)
    expect(await inboxKinds('smNorth')).not.toContain(`copy:${id}`)
    // A task cannot be acknowledged away.
    const task = (await services.work.inbox(await user('hosNorth'), 50, 0)).items.find(
      i => i.kind === 'respond' && i.disputeId === id,
    )!
    await expect(services.work.acknowledge(await user('hosNorth'), task.id)).rejects.toThrow()
    expect(await services.work.count(await user('hosNorth'))).toBeGreaterThan(0)
  })

  it('emails the hand-over, the copies and the decisions, with no child’s name in the subject', async () => {
    at('2023-04-03')
    const iro = await user('iro1')
    const { ids } = await raiseAtFormal1(iro, fixture.children.c2, '2023-04-03')
    await services.notifications.deliver(100)
    const handover = mailer.to(email('tmA')).find(m => m.text.includes(`/disputes/${ids[0]}`))!
    expect(handover.subject).toMatch(/^Dispute DRP-\d{6}: your response is needed by 12 April 2023$/)
    expect(handover.text).toContain('case ID C2')
    expect(mailer.to(email('smNorth')).some(m => m.subject.includes('for your information'))).toBe(true)
    for (const m of mailer.sent) expect(m.subject).not.toMatch(/c2|Child/i)
    const view = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    await services.disputes.act(iro, ids[0]!, view.record.version, {
      type: 'decide_resolved',
      comments: 'Resolved on the phone',
    })
    await services.notifications.deliver(100)
    expect(mailer.to(email('tmA')).some(m => m.subject.endsWith(': resolved'))).toBe(true)
  })

  it('reminds one working day before the due date, across a weekend and a bank holiday', async () => {
    // Raised Tuesday 2 May 2023 at formal 1: due 9 May (Monday 8 May was the coronation bank holiday).
    at('2023-05-01') // a bank holiday: five working days counted from Tuesday 2 May, past the coronation Monday, make Tuesday 9 May
    const { ids } = await raiseAtFormal1(await user('iro1'), fixture.children.c2, '2023-04-28')
    const item = (await services.work.inbox(await user('tmA'), 50, 0)).items.find(
      i => i.disputeId === ids[0] && i.kind === 'respond',
    )!
    expect(item.dueOn).toBe('2023-05-09')
    for (const day of ['2023-05-02', '2023-05-04']) {
      at(day)
      await services.notifications.tick()
      expect(
        mailer.to(email('tmA')).filter(m => m.subject.startsWith('Reminder') && m.text.includes(`/disputes/${ids[0]}`)),
        day,
      ).toHaveLength(0)
    }
    // Friday 5 May: the next working day is Tuesday 9 May (weekend, then the bank holiday).
    at('2023-05-05')
    await services.notifications.tick()
    await services.notifications.tick()
    const reminders = mailer
      .to(email('tmA'))
      .filter(m => m.subject.startsWith('Reminder') && m.text.includes(`/disputes/${ids[0]}`))
    expect(reminders).toHaveLength(1)
    expect(reminders[0]!.subject).toBe(
      `Reminder: dispute DRP-${String(ids[0]).padStart(6, '0')} response due 9 May 2023`,
    )
  })

  it('alerts the reviewer the working day after the due date, and the managers after three working days', async () => {
    at('2023-05-01') // a bank holiday: five working days counted from Tuesday 2 May, past the coronation Monday, make Tuesday 9 May
    const { ids } = await raiseAtFormal1(await user('iro1'), fixture.children.c2, '2023-04-28')
    const mine = (list: typeof mailer.sent) =>
      list.filter(m => m.subject.startsWith('Overdue') && m.text.includes(`/disputes/${ids[0]}`))
    at('2023-05-09') // the due date itself: not overdue yet
    await services.notifications.tick()
    expect(mine(mailer.to(email('iro1')))).toHaveLength(0)
    expect(mine(mailer.to(email('tmA')))).toHaveLength(0)
    at('2023-05-10')
    await services.notifications.tick()
    await services.notifications.tick()
    expect(mine(mailer.to(email('iro1')))).toHaveLength(1)
    expect(mine(mailer.to(email('tmA')))).toHaveLength(1) // who owes it is told too
    expect(mine(mailer.to(email('rsm')))).toHaveLength(0)
    at('2023-05-11') // two working days overdue
    await services.notifications.tick()
    expect(mine(mailer.to(email('rsm')))).toHaveLength(0)
    at('2023-05-12') // three working days overdue
    await services.notifications.tick()
    expect(mine(mailer.to(email('rsm')))).toHaveLength(1)
    expect(mine(mailer.to(email('hosNorth')))).toHaveLength(1)
    expect(mine(mailer.to(email('iro1')))).toHaveLength(1)
    expect(mine(mailer.to(email('tmA')))).toHaveLength(1)
  })

  it('emails each action’s owner when a response gives it, reminds them the working day before, and tells them and the reviewer once it is late', async () => {
    const { iro, id, reference } = await raiseAndAnswer('2023-05-02', [
      // Tuesday 9 May: the working day before is Friday 5 May (the weekend, then the coronation bank holiday).
      { what: 'Visit', ownerId: fixture.people.swA, dueOn: '2023-05-09' },
      { what: 'Update the plan', ownerId: fixture.people.swA, dueOn: '2023-05-12' },
      { what: 'Book the review', ownerId: fixture.people.tmA, dueOn: '2023-05-12' },
      { what: 'Visit at the weekend', ownerId: fixture.people.smNorth, dueOn: '2023-05-13' }, // a Saturday
    ])
    await services.notifications.deliver(100)
    const about = (who: FixturePerson, start: string) =>
      mailer.to(email(who)).filter(m => m.subject.startsWith(start) && `${m.subject}\n${m.text}`.includes(reference))
    const given = about('swA', `Dispute ${reference}`)
    expect(given.map(m => m.subject)).toEqual([`Dispute ${reference}: 2 actions for you, the first due 9 May 2023`])
    expect(given[0]!.text).toContain('case ID C2')
    expect(given[0]!.text).not.toContain('Visit') // an action's words may name the child
    // The team manager gave themselves an action: no email tells them what they just wrote.
    expect(about('tmA', `Dispute ${reference}: an action`)).toHaveLength(0)

    for (const day of ['2023-05-03', '2023-05-04']) {
      at(day)
      await services.notifications.tick()
      expect(about('swA', 'Reminder'), day).toHaveLength(0)
    }
    at('2023-05-05')
    await services.notifications.tick()
    await services.notifications.tick()
    const reminders = about('swA', 'Reminder')
    expect(reminders.map(m => m.subject)).toEqual([`Reminder: dispute ${reference} action due 9 May 2023`])
    expect(reminders[0]!.text).toContain(`/disputes/${id}/actions/1/complete`)

    at('2023-05-09') // due today: not late yet
    await services.notifications.tick()
    expect(about('swA', 'Overdue')).toHaveLength(0)
    at('2023-05-10')
    await services.notifications.tick()
    await services.notifications.tick()
    expect(about('swA', 'Overdue').map(m => m.subject)).toEqual([
      `Overdue: dispute ${reference} action was due 9 May 2023`,
    ])
    const toReviewer = about('iro1', 'Overdue').filter(m => m.text.includes('action'))
    expect(toReviewer).toHaveLength(1)
    expect(toReviewer[0]!.text).toMatch(
      /the action given to \S+ Fixture was due on 9 May 2023 and is 1 working day overdue/,
    )
    expect(about('rsm', 'Overdue')).toHaveLength(0) // the reviewer decides whether to escalate

    // Marked done, it is chased no more.
    const current = await services.disputes.view(iro, id, { path: '/t', ip: null })
    await services.disputes.act(await user('swA'), id, current.record.version, {
      type: 'complete_action',
      actionId: 2,
      evidence: 'Plan updated',
    })
    at('2023-05-11')
    await services.notifications.tick()
    expect(about('swA', 'Reminder')).toHaveLength(1)
    expect(about('smNorth', 'Reminder')).toHaveLength(0)
    // Due on Saturday: reminded on the Friday, the working day before.
    at('2023-05-12')
    await services.notifications.tick()
    expect(about('smNorth', 'Reminder').map(m => m.subject)).toEqual([
      `Reminder: dispute ${reference} action due 13 May 2023`,
    ])
    at('2023-05-15')
    await services.notifications.tick()
    expect(about('swA', 'Overdue')).toHaveLength(1)
    // The manager's own action is late too: they hear of it; the reviewer hears of it too.
    expect(about('tmA', 'Overdue').map(m => m.subject)).toEqual([
      `Overdue: dispute ${reference} action was due 12 May 2023`,
    ])
    const reviewerAlerts = about('iro1', 'Overdue').filter(m => m.text.includes('action'))
    expect(reviewerAlerts).toHaveLength(2)
    expect(reviewerAlerts[1]!.text).toMatch(/the action given to tmA Fixture was due on 12 May 2023/)
  })

  it('tells each owner of an action still open when the record is finalised that it has left their work', async () => {
    const { iro, id, reference } = await raiseAndAnswer('2023-06-05', [
      { what: 'Visit', ownerId: fixture.people.swA, dueOn: '2023-06-09' },
      { what: 'Update the plan', ownerId: fixture.people.swA, dueOn: '2023-06-09' },
      { what: 'Book the review', ownerId: fixture.people.swA, dueOn: '2023-06-09' },
      { what: 'Agree the budget', ownerId: fixture.people.tmA, dueOn: '2023-06-09' },
      { what: 'Chair the meeting', ownerId: fixture.people.iro1, dueOn: '2023-06-09' },
    ])
    const version = async () => (await services.disputes.view(iro, id, { path: '/t', ip: null })).record.version
    await services.disputes.act(await user('swA'), id, await version(), {
      type: 'complete_action',
      actionId: 1,
      evidence: 'Visited',
    })
    await services.disputes.act(iro, id, await version(), { type: 'decide_resolved', comments: 'Agreed' })
    await services.notifications.deliver(100)
    mailer.sent.length = 0
    await services.disputes.act(iro, id, await version(), { type: 'finalise' })
    await services.notifications.deliver(100)
    const closed = (who: FixturePerson) =>
      mailer.to(email(who)).filter(m => m.subject.startsWith(`Dispute ${reference}: finalised with`))
    expect(closed('swA').map(m => m.subject)).toEqual([
      `Dispute ${reference}: finalised with 2 of your actions not marked done`,
    ])
    expect(closed('swA')[0]!.text).toContain('2 actions given to you were not marked as done')
    expect(closed('swA')[0]!.text).not.toContain('Update the plan') // an action's words may name the child
    expect(closed('tmA').map(m => m.subject)).toEqual([
      `Dispute ${reference}: finalised with your action not marked done`,
    ])
    expect(closed('iro1')).toHaveLength(0) // the reviewer finalised it
    expect(await inboxKinds('swA')).not.toContain(`action:${id}`)
  })

  it('sends no reminder on the day an action due the next working day is given: the email giving it says so', async () => {
    // Given on Thursday 1 June, due Friday 2 June.
    const { reference } = await raiseAndAnswer('2023-06-01', [
      { what: 'Visit', ownerId: fixture.people.swA, dueOn: '2023-06-02' },
    ])
    const about = (start: string) =>
      mailer.to(email('swA')).filter(m => m.subject.startsWith(start) && m.subject.includes(reference))
    await services.notifications.tick()
    expect(about(`Dispute ${reference}`).map(m => m.subject)).toEqual([
      `Dispute ${reference}: an action for you, due 2 June 2023`,
    ])
    expect(about('Reminder')).toHaveLength(0)
    // Late all the same: the owner is told on the Monday.
    at('2023-06-05')
    await services.notifications.tick()
    expect(about('Reminder')).toHaveLength(0)
    expect(about('Overdue')).toHaveLength(1)
  })

  it('tells the reviewer once when a stage handled outside the system is past its date, its outcome not recorded', async () => {
    // Care First's Stage 5 (the Director) is handled outside Concord, in 5 working days. Entered on
    // Tuesday 2 May 2023: across the weekend and the coronation bank holiday of Monday 8 May, it is due
    // on Wednesday 10 May.
    at('2023-05-02')
    const iro = await user('iro1')
    const id = (
      await services.disputes.raise(iro, {
        ...details,
        concern: newConcern(),
        childIds: [fixture.children.c2],
        policyId: 'iro-care-first',
        categoryKey: 'child_plan',
        startStageKey: 'stage1',
        becameAwareOn: d('2023-05-02'),
      })
    ).ids[0]!
    const who = new Map(Object.entries(fixture.people).map(([k, v]) => [v, k as FixturePerson]))
    const record = async () => (await services.disputes.view(iro, id, { path: '/t', ip: null })).record
    for (const next of ['stage2', 'stage3', 'stage4', 'stage5']) {
      const responsible = who.get((await record()).state.stages.at(-1)!.responsiblePersonIds[0]!)!
      await services.disputes.act(await user(responsible), id, (await record()).version, {
        type: 'respond',
        comments: 'Plan',
        actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-12-01') }],
      })
      await services.disputes.act(iro, id, (await record()).version, { type: 'decide_not_resolved', comments: 'No' })
      if (next === 'stage2')
        for (const channel of ['phone', 'face_to_face'] as const)
          await services.disputes.logDiscussion(iro, id, {
            channel,
            heldOn: d('2023-05-02'),
            participants: 'IRO and team manager',
            summary: 'Discussed',
            meeting: null,
          })
      await services.disputes.act(iro, id, (await record()).version, {
        type: 'escalate',
        toStageKey: next,
        reason: 'Not resolved',
      })
    }
    const state = (await record()).state
    expect(state.phase).toBe('outside_system')
    expect(state.stages.at(-1)!.dueOn).toBe('2023-05-10')
    const reference = `DRP-${String(id).padStart(6, '0')}`
    const alerts = () =>
      mailer.to(email('iro1')).filter(m => m.subject.startsWith(`Overdue: dispute ${reference} outcome`))
    for (const day of ['2023-05-05', '2023-05-08', '2023-05-10']) {
      at(day)
      await services.notifications.tick()
    }
    expect(alerts()).toHaveLength(0)
    at('2023-05-11')
    await services.notifications.tick()
    await services.notifications.tick()
    expect(alerts()).toHaveLength(1)
    expect(alerts()[0]!.subject).toBe(`Overdue: dispute ${reference} outcome was due 10 May 2023`)
    expect(alerts()[0]!.text).toContain(
      'the stage handled outside the system was due to finish on 10 May 2023 and is 1 working day overdue',
    )
    expect(alerts()[0]!.text).toContain(`http://localhost:3000/disputes/${id}`)
    // In the reviewer's list it comes with the overdue responses, before anything still due.
    await raiseAtFormal1(iro, fixture.children.c2, '2023-05-11')
    const rows = (await services.work.myRecords(iro, { limit: 200, offset: 0 })).rows
    const rank = (r: (typeof rows)[number]) =>
      r.state === 'response_overdue' || (r.state === 'outside_system' && r.responseDueOn! < '2023-05-11')
        ? 0
        : r.state === 'awaiting_response' || r.state === 'outside_system'
          ? 1
          : 2
    expect(rank(rows.find(r => r.id === id)!)).toBe(0)
    expect(rows.map(rank)).toEqual(rows.map(rank).sort())
    expect(rows.some(r => rank(r) > 0)).toBe(true)
    // Nobody answers in Concord: the Director is not emailed, and the outcome once recorded ends the chase.
    expect(mailer.sent.filter(m => m.subject.includes('outcome')).map(m => m.to)).toEqual([email('iro1')])
    await services.disputes.act(iro, id, (await record()).version, {
      type: 'record_outcome',
      text: 'Resolved by the director.',
      resolved: true,
    })
    at('2023-05-12')
    await services.notifications.tick()
    expect(alerts()).toHaveLength(1)
  })

  it('lists a record late from two people once in an overdue alert, naming both', async () => {
    at('2023-06-05')
    const { ids } = await services.disputes.raise(await user('iro1'), {
      ...details,
      concern: newConcern(),
      childIds: [fixture.children.c2],
      policyId: 'iro-care-first', // its Stage 1 asks the social worker and the team manager to respond
      categoryKey: 'child_needs',
      startStageKey: 'stage1',
      becameAwareOn: d('2023-06-05'),
    })
    const reference = `DRP-${String(ids[0]).padStart(6, '0')}`
    at('2023-06-20') // well past its due date of 12 June
    await services.notifications.tick()
    // Alone, it is named in the subject; in a list, in the body: either way once.
    const alert = mailer
      .to(email('iro1'))
      .find(m => m.subject.startsWith('Overdue') && `${m.subject}\n${m.text}`.includes(reference))!
    expect(`${alert.subject}\n${alert.text}`.split(reference).length - 1).toBe(1)
    expect(alert.text).toMatch(/the response from \S+ Fixture and \S+ Fixture was due on 12 June 2023/)
    // The lists name both too, in the policy's order.
    const row = (await services.work.myRecords(await user('iro1'), { limit: 100, offset: 0 })).rows.find(
      r => r.id === ids[0],
    )!
    expect(row.responsibleName).toBe('tmA Fixture and swA Fixture')
    const listed = await services.disputes.list(await user('iro1'), { limit: 100, offset: 0 })
    expect(listed.rows.find(r => r.id === ids[0])!.responsibleName).toBe('tmA Fixture and swA Fixture')
  })

  it('folds notices into one daily digest for people who chose it, saying which asks nothing any more', async () => {
    at('2023-06-05')
    await services.work.setPreference(await user('tmA'), 'daily_digest')
    const iro = await user('iro1')
    const ids: number[] = []
    for (let i = 0; i < 2; i++) ids.push((await raiseAtFormal1(iro, fixture.children.c2, '2023-06-05')).ids[0]!)
    clock.set(new Date('2023-06-05T05:00:00Z')) // 6am in London: before the digest hour
    await services.notifications.tick()
    expect(mailer.to(email('tmA'))).toHaveLength(0)
    // The manager answers the first before the digest goes; the second still waits for them.
    const first = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    await services.disputes.act(await user('tmA'), ids[0]!, first.record.version, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-06-20') }],
    })
    clock.set(new Date('2023-06-06T07:30:00Z'))
    await services.notifications.tick()
    await services.notifications.tick()
    const digests = mailer.to(email('tmA'))
    expect(digests).toHaveLength(1)
    expect(digests[0]!.subject).toBe('Concord: your daily summary (2 updates)')
    // What it tells may be done by the morning: it points to My work for what still awaits.
    expect(digests[0]!.text).toContain('My work shows what still awaits you: http://localhost:3000/work\n')
    const [, one, two] = digests[0]!.text.split(/\n\n(?=\d\. )/)
    const done = 'Since this was written, nothing on this record waits for you any more.'
    expect(one).toContain(`DRP-${String(ids[0]).padStart(6, '0')}`)
    expect(one).toContain(done)
    expect(two).toContain(`DRP-${String(ids[1]).padStart(6, '0')}`)
    expect(two).not.toContain(done)
    // The inbox still shows the work, whatever the email choice.
    expect(await inboxKinds('tmA')).toContain(`respond:${ids[1]}`)
    await services.work.setPreference(await user('tmA'), 'immediate')
  })

  it('sends what was held for a digest straight away when its reader chooses single emails again', async () => {
    clock.set(new Date('2023-07-03T05:00:00Z')) // 6am in London, before the digest hour: held
    await services.work.setPreference(await user('tmA'), 'daily_digest')
    const iro = await user('iro1')
    const { ids } = await raiseAtFormal1(iro, fixture.children.c2, '2023-07-03')
    const { ids: answered } = await raiseAtFormal1(iro, fixture.children.c2, '2023-07-03')
    const ref = (id: number) => `DRP-${String(id).padStart(6, '0')}`
    const reference = ref(ids[0]!)
    await services.notifications.tick()
    expect(mailer.to(email('tmA')).filter(m => m.subject.includes(reference))).toHaveLength(0)
    // Answered while its email was held: it goes out saying nothing waits, as a digest would.
    const view = await services.disputes.view(iro, answered[0]!, { path: '/t', ip: null })
    await services.disputes.act(await user('tmA'), answered[0]!, view.record.version, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-07-20') }],
    })
    await services.work.setPreference(await user('tmA'), 'immediate')
    await services.notifications.tick()
    const sent = mailer.to(email('tmA')).filter(m => m.subject.includes(reference))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.subject).not.toContain('daily summary')
    const done = 'Since this was written, nothing on this record waits for you any more.'
    expect(sent[0]!.text).not.toContain(done)
    const alreadyDone = mailer.to(email('tmA')).filter(m => m.subject.includes(ref(answered[0]!)))
    expect(alreadyDone).toHaveLength(1)
    expect(alreadyDone[0]!.text.startsWith(`${done}\n\n`)).toBe(true)
    // No summary follows in the morning with it in again.
    clock.set(new Date('2023-07-04T07:30:00Z'))
    await services.notifications.tick()
    expect(mailer.to(email('tmA')).filter(m => `${m.subject}\n${m.text}`.includes(reference))).toHaveLength(1)
  })

  it('sends an email queued for a digest as its reader chose single emails again, without waiting for the morning', async () => {
    clock.set(new Date('2023-07-10T05:00:00Z')) // before the digest hour
    await services.work.setPreference(await user('tmA'), 'daily_digest')
    const { ids } = await raiseAtFormal1(await user('iro1'), fixture.children.c2, '2023-07-10')
    const reference = `DRP-${String(ids[0]).padStart(6, '0')}`
    // The choice changes as the email is queued: the email saw the old one, and the release missed it.
    await database.db.query(`update people set notification_preference = 'immediate' where id = $1`, [
      fixture.people.tmA,
    ])
    await services.notifications.tick()
    const sent = mailer.to(email('tmA')).filter(m => `${m.subject}\n${m.text}`.includes(reference))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.subject).not.toContain('daily summary')
  })

  it('gives an email up after the last allowed attempt, and shows it as not sent', async () => {
    at('2023-08-01')
    // Deliver everything waiting from the tests before, so only this test's emails are in play.
    clock.set(new Date('2023-08-01T23:00:00Z'))
    while ((await services.notifications.deliver(100)).sent > 0);
    at('2023-08-02')
    const twice = notificationService(database.db, clock, services.calendar, mailer, {
      baseUrl: 'http://concord.test',
      escalateAfterWorkingDays: 3,
      digestHour: 7,
      maxAttempts: 2,
    })
    mailer.down = true
    await raiseAtFormal1(await user('iro1'), fixture.children.c2, '2023-08-02')
    const first = await twice.deliver(100)
    expect(first.failed).toBeGreaterThan(0)
    clock.set(new Date('2023-08-02T12:00:00Z'))
    expect((await twice.deliver(100)).failed).toBe(first.failed)
    // The mail server is back, but the emails were given up: nothing is claimed again.
    mailer.down = false
    clock.set(new Date('2023-08-03T12:00:00Z'))
    expect(await twice.deliver(100)).toEqual({ sent: 0, failed: 0 })
    const givenUp = (await services.notifications.recent(100)).filter(e => e.gaveUpAt !== null)
    expect(givenUp).toHaveLength(first.failed)
    expect(givenUp.every(e => e.attempts === 2 && e.sentAt === null && e.lastError)).toBe(true)
  })

  it('keeps emails while the mail server is down and sends each exactly once when it is back', async () => {
    at('2023-07-03')
    mailer.down = true
    const { ids } = await raiseAtFormal1(await user('iro1'), fixture.children.c2, '2023-07-03')
    const first = await services.notifications.deliver(100)
    expect(first.sent).toBe(0)
    expect(first.failed).toBeGreaterThan(0)
    mailer.down = false
    // Before the back-off has passed nothing is retried; after it, everything goes, once.
    expect((await services.notifications.deliver(100)).sent).toBe(0)
    clock.set(new Date('2023-07-03T10:00:00Z'))
    const second = await services.notifications.deliver(100)
    expect(second.sent).toBe(first.failed)
    expect((await services.notifications.deliver(100)).sent).toBe(0)
    const keys = mailer.sent.map(m => m.messageId)
    expect(new Set(keys).size).toBe(keys.length)
    expect(mailer.sent.some(m => m.text.includes(`/disputes/${ids[0]}`))).toBe(true)
  })

  it('shows the reviewer their records, the manager their reviewers’ records, and a head of service the unanswered ones', async () => {
    at('2023-08-01')
    const mine = await services.work.myRecords(await user('iro1'), { limit: 100, offset: 0 })
    expect(mine.total).toBeGreaterThan(0)
    expect(mine.rows.every(r => r.reviewerId === fixture.people.iro1)).toBe(true)
    expect(mine.rows.some(r => r.state === 'response_overdue')).toBe(true)
    // An overdue response answered late: the record waits for its decision, no longer first in the list.
    const late = mine.rows.find(r => r.state === 'response_overdue')!
    const { rows: lateRows } = await services.db.query<{ responsible_person_id: number }>(
      'select responsible_person_id from disputes where id = $1',
      [late.id],
    )
    const responder = (await services.access.currentUser(lateRows[0]!.responsible_person_id))!
    const lateView = await services.disputes.view(await user('iro1'), late.id, { path: '/t', ip: null })
    await services.disputes.act(responder, late.id, lateView.record.version, {
      type: 'respond',
      comments: 'Late, sorry',
      actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-08-10') }],
    })
    const reordered = await services.work.myRecords(await user('iro1'), { limit: 100, offset: 0 })
    expect(reordered.rows.find(r => r.id === late.id)).toMatchObject({ state: 'awaiting_decision' })
    const states = reordered.rows.map(r => r.state)
    expect(states.slice(states.findIndex(s => s !== 'response_overdue'))).not.toContain('response_overdue')
    // Decided not resolved, it waits for the reviewer's next step, and is filtered as such.
    const answered = await services.disputes.view(await user('iro1'), late.id, { path: '/t', ip: null })
    await services.disputes.act(await user('iro1'), late.id, answered.record.version, {
      type: 'decide_not_resolved',
      comments: 'The plan does not answer the concern',
    })
    const notResolved = await services.work.myRecords(await user('iro1'), {
      state: 'not_resolved',
      limit: 100,
      offset: 0,
    })
    expect(notResolved.rows.map(r => [r.id, r.state])).toEqual([[late.id, 'not_resolved']])
    const supervision = await services.work.supervision(await user('rsm'), { limit: 100, offset: 0 })
    expect(supervision.reviewers.map(r => r.id)).toEqual(
      expect.arrayContaining([fixture.people.iro1, fixture.people.iro2, fixture.people.cpc1]),
    )
    expect(supervision.total).toBe(mine.total)
    const overdue = await services.work.supervision(await user('rsm'), {
      state: 'response_overdue',
      limit: 100,
      offset: 0,
    })
    expect(overdue.rows.every(r => r.state === 'response_overdue')).toBe(true)
    await expect(services.work.supervision(await user('tmA'), { limit: 10, offset: 0 })).rejects.toThrow()
    const unanswered = await services.work.unansweredInArea(await user('hosNorth'), 100, 0)
    expect(unanswered.total).toBeGreaterThan(0)
    expect((await services.work.unansweredInArea(await user('hosSouth'), 100, 0)).total).toBe(0)
  })

  it('filters each state by the same records as the state each row shows', async () => {
    // Records in five states: overdue, awaiting a decision, decided not resolved, resolved, awaiting a response.
    const [overdue, decide, notResolved, resolved] = [
      ...(await raiseOverdueOn('2025-11-03')),
      ...(await raiseOverdueOn('2025-11-03')),
    ]
    expect(overdue).toBeDefined()
    const cpc1 = await user('cpc1')
    const step = async (id: number, by: Awaited<ReturnType<typeof user>>, command: Command) => {
      const view = await services.disputes.view(cpc1, id, { path: '/t', ip: null })
      await services.disputes.act(by, id, view.record.version, command)
    }
    for (const id of [decide!, notResolved!]) {
      const { rows } = await services.db.query<{ p: number }>(
        'select responsible_person_id as p from disputes where id = $1',
        [id],
      )
      await step(id, (await services.access.currentUser(rows[0]!.p))!, {
        type: 'respond',
        comments: 'Plan',
        actions: [{ what: 'Visit', ownerId: rows[0]!.p, dueOn: d('2025-12-20') }],
      })
    }
    await step(notResolved!, cpc1, { type: 'decide_not_resolved', comments: 'Not enough' })
    await step(resolved!, cpc1, { type: 'decide_resolved', comments: 'Sorted' })
    const today = services.calendar.today()
    await raiseAtFormal1(cpc1, fixture.children.c1, today)
    // And one due today: not overdue yet.
    at('2025-11-17')
    const dueToday = (await raiseAtFormal1(cpc1, fixture.children.c4, '2025-11-17')).ids[0]!
    at(today)
    const list = (state?: RecordState) =>
      outstandingRecords(database.db, { kind: 'all' }, { today, limit: 1000, offset: 0, ...(state ? { state } : {}) })
    const all = await list()
    expect([...new Set(all.rows.map(r => r.state))]).toEqual(
      expect.arrayContaining([
        'response_overdue',
        'awaiting_decision',
        'not_resolved',
        'to_finalise',
        'awaiting_response',
      ]),
    )
    expect(all.rows.find(r => r.id === dueToday)).toMatchObject({ responseDueOn: today, state: 'awaiting_response' })
    // In the order of the dates the list shows: overdue responses, then awaited ones by due date, then the
    // rest by their overall deadline.
    const group = (r: (typeof all.rows)[number]) =>
      r.state === 'response_overdue' ? 0 : r.state === 'awaiting_response' ? 1 : 2
    const sortKey = (r: (typeof all.rows)[number]) =>
      `${group(r)}:${(group(r) < 2 ? r.responseDueOn : r.overallDueOn) ?? '9999-12-31'}`
    const keys = all.rows.map(sortKey)
    expect(keys).toEqual([...keys].sort())
    expect(new Set(all.rows.map(group))).toEqual(new Set([0, 1, 2]))
    for (const state of recordStates) {
      const filtered = await list(state)
      const expected = all.rows.filter(r => r.state === state).map(r => r.id)
      expect(filtered.rows.map(r => r.id).sort(), state).toEqual(expected.sort())
      expect(filtered.total, state).toBe(expected.length)
    }
  })

  /** Records raised on one day at formal stage 1 for these children, overdue three weeks later. */
  const raiseOverdueOn = async (day: string) => {
    at(day)
    const raised: number[] = []
    for (const child of [fixture.children.c1, fixture.children.c4]) {
      const { ids } = await raiseAtFormal1(await user('cpc1'), child, day)
      raised.push(...ids)
    }
    at(new Date(Date.parse(day) + 21 * 86_400_000).toISOString().slice(0, 10))
    return raised
  }

  it('chases every overdue response in one pass, one email for each person told, and nothing twice', async () => {
    at('2024-06-03')
    await services.notifications.runOverdue() // catch up the records of the tests before
    const raised = await raiseOverdueOn('2024-06-03')
    const outbox = async () =>
      (await services.notifications.recent(500)).filter(
        e => e.subject.startsWith('Overdue') && raised.some(id => e.body.includes(`/disputes/${id}`)),
      )
    // The CP chair is alerted once about both; the service manager once about both; each record's
    // head of service (the children are in two areas) once about theirs; each team manager who owes
    // a response once about theirs.
    expect(await services.notifications.runOverdue()).toBe(6)
    const emails = await outbox()
    expect(emails.map(e => e.to).sort()).toEqual(
      [email('cpc1'), email('hosNorth'), email('hosSouth'), email('rsm'), email('tmA'), email('tmC')].sort(),
    )
    expect(emails.find(e => e.to === email('tmA'))!.body).toMatch(
      /your response was due on \d+ \w+ 2024 and is \d+ working days overdue\.\n\nRespond with a SMART action plan: \S+\/disputes\/\d+\/respond\n/,
    )
    const to = (who: FixturePerson) => emails.find(e => e.to === email(who))!
    for (const who of ['cpc1', 'rsm'] as const) {
      expect(to(who).subject).toBe('Overdue: 2 dispute responses past their due date')
      for (const id of raised) expect(to(who).body).toContain(`/disputes/${id}`)
    }
    expect(to('cpc1').body).toContain('/work/records?state=response_overdue')
    expect(to('rsm').body).toContain('/supervision\n')
    expect(to('hosNorth').subject).toMatch(/^Overdue: dispute DRP-\d{6} response was due /)
    expect(await services.notifications.runOverdue()).toBe(0)
    expect(await outbox()).toHaveLength(6)
  })

  it('gives each overdue response to one of two sweeps running at once', async () => {
    const raised = await raiseOverdueOn('2024-09-02')
    // On PostgreSQL the two run side by side on two pooled connections; PGlite takes them in turn.
    const [a, b] = await Promise.all([services.notifications.runOverdue(), services.notifications.runOverdue()])
    const recordsIn = (body: string) => [...body.matchAll(/\/disputes\/(\d+)/g)].map(m => Number(m[1]))
    const queued = (await services.notifications.recent(500)).filter(
      e => e.subject.startsWith('Overdue') && recordsIn(e.body).some(id => raised.includes(id)),
    )
    expect(a + b).toBe(queued.length)
    // Each record in one alert to the reviewer and one email to each manager told: never twice.
    const listed = queued.flatMap(e => recordsIn(e.body).map(id => `${e.to}:${id}`))
    expect(new Set(listed).size).toBe(listed.length)
    for (const id of raised) expect(listed).toContain(`${email('cpc1')}:${id}`)
    expect(listed.filter(l => l.startsWith(`${email('rsm')}:`))).toHaveLength(raised.length)
    expect(await services.notifications.runOverdue()).toBe(0)
  })

  it.runIf(kind === 'postgres')(
    'passes over the responses another sweep holds, without waiting for it, and not after it has marked them',
    async () => {
      const raised = await raiseOverdueOn('2024-11-01')
      const q = { alertThrough: '2024-11-21', escalateThrough: '2024-11-18' }
      let release!: () => void
      const held = new Promise<void>(resolve => (release = resolve))
      let first: number[] = []
      // The first sweep picks and marks, then holds its transaction open while the second runs.
      const holding = database.db.transaction(async tx => {
        first = (await claimResponsesToChase(tx, q)).map(i => i.disputeId)
        await held
      })
      await new Promise(resolve => setTimeout(resolve, 200))
      const overlapping = await Promise.race([
        database.db.transaction(async tx => (await claimResponsesToChase(tx, q)).map(i => i.disputeId)),
        new Promise<'waited'>(resolve => setTimeout(() => resolve('waited'), 3000)),
      ])
      release()
      await holding
      expect(first.sort()).toEqual([...raised].sort())
      expect(overlapping).toEqual([])
      // Once the first has committed, its marks keep the items from any later sweep.
      const later = await database.db.transaction(tx => claimResponsesToChase(tx, q))
      expect(later.filter(i => raised.includes(i.disputeId))).toEqual([])
    },
  )

  it('marks nothing when a sweep cannot queue its emails', async () => {
    const raised = await raiseOverdueOn('2024-10-01')
    const failing: typeof database.db = {
      kind: database.db.kind,
      close: () => database.db.close(),
      query: (sql, params) => database.db.query(sql, params),
      // The sweep's own transaction, failing as it writes the emails.
      transaction: work =>
        database.db.transaction(tx =>
          work({
            query: (sql, params) =>
              sql.includes('insert into email_outbox') ? Promise.reject(new Error('disk full')) : tx.query(sql, params),
          }),
        ),
    }
    const sweep = notificationService(failing, clock, services.calendar, mailer, {
      baseUrl: 'http://concord.test',
      escalateAfterWorkingDays: 3,
      digestHour: 7,
    })
    await expect(sweep.runOverdue()).rejects.toThrow('disk full')
    // The marks went with the emails, so the real sweep still finds every record.
    expect(await services.notifications.runOverdue()).toBeGreaterThan(0)
    const alert = (await services.notifications.recent(500)).find(e => e.to === email('cpc1'))!
    for (const id of raised) expect(alert.body).toContain(`/disputes/${id}`)
  })

  it('sends the team manager one reminder for both responses due, and each manager one list with its own page', async () => {
    at('2025-03-03') // Monday: formal stage 1 is due five working days on, Monday 10 March
    const raised: number[] = []
    for (const [who, child] of [
      ['cpc1', fixture.children.c1],
      ['iro1', fixture.children.c2],
    ] as const) {
      const { ids } = await raiseAtFormal1(await user(who), child, '2025-03-03')
      raised.push(...ids)
    }
    const newest = async (who: FixturePerson, subject: string) =>
      (await services.notifications.recent(50)).find(e => e.to === email(who) && e.subject.startsWith(subject))!
    at('2025-03-07') // Friday: both are due on the next working day
    await services.notifications.runReminders()
    const reminder = await newest('tmA', 'Reminder')
    expect(reminder.subject).toBe('Reminder: 2 dispute responses due 10 March 2025')
    for (const id of raised) expect(reminder.body).toContain(`/disputes/${id}\n`)
    expect(reminder.body).toContain('See them all in Concord: http://localhost:3000/work\n')
    at('2025-03-13') // three working days overdue: the reviewers and both managers are told at once
    await services.notifications.runOverdue()
    const head = await newest('hosNorth', 'Overdue')
    expect(head.subject).toBe('Overdue: 2 dispute responses past their due date')
    expect(head.body).toMatch(/See them all in Concord: http:\/\/localhost:3000\/unanswered\n/)
    const manager = await newest('rsm', 'Overdue')
    expect(manager.body).toMatch(/See them all in Concord: http:\/\/localhost:3000\/supervision\n/)
    for (const id of raised) {
      expect(head.body).toContain(`/disputes/${id}\n`)
      expect(manager.body).toContain(`/disputes/${id}\n`)
    }
  })

  it('never drops a list because an item in it was chased before for the same date', async () => {
    const [first] = await raiseOverdueOn('2025-05-01')
    await services.notifications.runOverdue()
    const item = (
      await database.db.query<{ id: number; due_on: string }>(
        `select id, due_on from work_items where dispute_id = $1 and kind = 'respond' and done_at is null`,
        [first],
      )
    ).rows[0]!
    // Its date moved a day on (chased again), then back (as an import might), beside a new overdue record.
    await database.db.query(`update work_items set due_on = due_on + 1 where id = $1`, [item.id])
    await services.notifications.runOverdue()
    await database.db.query(`update work_items set due_on = $2 where id = $1`, [item.id, item.due_on])
    const [second] = await raiseOverdueOn('2025-05-01')
    await services.notifications.runOverdue()
    const alert = (await services.notifications.recent(50)).find(
      e => e.to === email('cpc1') && e.body.includes(`/disputes/${second}\n`),
    )!
    expect(alert.subject).toMatch(/^Overdue: \d+ dispute responses past their due date$/)
    expect(alert.body).toContain(`/disputes/${first}\n`)
  })

  /**
   * Raises overdue records, runs the overdue sweep with `away` deactivated and again once they are back;
   * returns how many overdue alerts about the first record each person had after each pass.
   */
  const overdueAlertsWhileAway = async (day: string, away: FixturePerson, told: readonly FixturePerson[]) => {
    const [first] = await raiseOverdueOn(day)
    const alerts = async () => {
      const emails = await services.notifications.recent(50)
      return told.map(
        who =>
          emails.filter(
            e =>
              e.to === email(who) &&
              e.subject.startsWith('Overdue') &&
              new RegExp(`/disputes/${first}(/respond)?\n`).test(e.body),
          ).length,
      )
    }
    await database.db.query('update people set active = false where id = $1', [fixture.people[away]])
    let whileAway: number[]
    try {
      await services.notifications.runOverdue()
      whileAway = await alerts()
    } finally {
      await database.db.query('update people set active = true where id = $1', [fixture.people[away]])
    }
    await services.notifications.runOverdue()
    return { whileAway, back: await alerts() }
  }

  it('keeps the alert for a reviewer who is deactivated until they are active again, and tells the others meanwhile', async () => {
    // The reviewer, their manager, and whoever owes the response (not held back by the reviewer's absence).
    expect(await overdueAlertsWhileAway('2025-09-01', 'cpc1', ['cpc1', 'rsm', 'tmA'])).toEqual({
      whileAway: [0, 1, 1],
      back: [1, 1, 1],
    })
  })

  it('keeps the alert for whoever owes a response while they are deactivated, and tells the reviewer meanwhile', async () => {
    expect(await overdueAlertsWhileAway('2025-10-01', 'tmA', ['tmA', 'cpc1'])).toEqual({
      whileAway: [0, 1],
      back: [1, 1],
    })
  })

  it('goes on with the rest when an item is held by someone changing it, and chases that one on the next pass', async () => {
    const [held, other] = await raiseOverdueOn('2025-07-01')
    const escalatingOnly = notificationService(database.db, clock, services.calendar, mailer, {
      baseUrl: 'http://concord.test',
      escalateAfterWorkingDays: 0, // 0 is allowed: the managers are told with the reviewer
      digestHour: 7,
    })
    const listed = async () =>
      (await services.notifications.recent(50))
        .filter(e => e.to === email('cpc1') && e.subject.startsWith('Overdue'))
        .flatMap(e => [...e.body.matchAll(/\/disputes\/(\d+)\n/g)].map(m => Number(m[1])))
    if (kind === 'postgres') {
      let release!: () => void
      const holding = new Promise<void>(resolve => (release = resolve))
      let locked!: () => void
      const isLocked = new Promise<void>(resolve => (locked = resolve))
      const user = database.db.transaction(async tx => {
        await tx.query(`select id from work_items where dispute_id = $1 and kind = 'respond' for update`, [held])
        locked()
        await holding
      })
      await isLocked
      const sweep = await Promise.race([
        escalatingOnly.runOverdue(),
        new Promise<'waited'>(resolve => setTimeout(() => resolve('waited'), 3000)),
      ])
      expect(sweep).not.toBe('waited')
      expect(await listed()).toContain(other)
      expect(await listed()).not.toContain(held)
      release()
      await user
    }
    await escalatingOnly.runOverdue()
    expect(await listed()).toContain(held)
    expect((await listed()).filter(id => id === other)).toHaveLength(1)
  })

  it('marks items chased in one statement, only for the due date each was read with', async () => {
    const items = (
      await database.db.query<{ id: number; due_on: string }>(
        `select id, due_on from work_items where kind = 'respond' and due_on is not null order by id limit 2`,
      )
    ).rows
    expect(items).toHaveLength(2)
    const [kept, moved] = items as [{ id: number; due_on: string }, { id: number; due_on: string }]
    // A column not being marked keeps what it held.
    await database.db.query(
      `update work_items set reminded_for = '2001-02-03', overdue_alerted_for = null, overdue_escalated_for = null
       where id = any($1)`,
      [[kept.id, moved.id]],
    )
    await database.db.transaction(tx =>
      markChased(tx, [
        { id: kept.id, dueOn: kept.due_on, columns: ['overdue_alerted_for', 'overdue_escalated_for'] },
        // Its due date moved since it was read: it must stay to be chased for the new date.
        { id: moved.id, dueOn: '1999-01-04', columns: ['reminded_for', 'overdue_alerted_for'] },
      ]),
    )
    const after = (
      await database.db.query<{ id: number; r: string | null; a: string | null; e: string | null }>(
        `select id, reminded_for as r, overdue_alerted_for as a, overdue_escalated_for as e
         from work_items where id = any($1) order by id`,
        [[kept.id, moved.id]],
      )
    ).rows
    expect(after).toEqual([
      { id: kept.id, r: '2001-02-03', a: kept.due_on, e: kept.due_on },
      { id: moved.id, r: '2001-02-03', a: null, e: null },
    ])
  })

  it('tells the stage that an escalation waits for pre-approval, and the reviewer the pre-approver’s answer', async () => {
    at('2023-05-02')
    const cpc = await user('cpc1')
    const { ids } = await services.disputes.raise(cpc, {
      ...details,
      concern: newConcern(),
      childIds: [fixture.children.c1],
      policyId: 'cpc-mosaic-2022',
      categoryKey: 'drift_and_delay',
      startStageKey: 'stage1',
      becameAwareOn: d('2023-05-02'),
    })
    const id = ids[0]!
    const act = async (who: Awaited<ReturnType<typeof user>>, command: Parameters<typeof services.disputes.act>[3]) =>
      services.disputes.act(
        who,
        id,
        (await services.disputes.view(cpc, id, { path: '/t', ip: null })).record.version,
        command,
      )
    const responder = (await services.disputes.view(cpc, id, { path: '/t', ip: null })).record.state.stages.at(-1)!
      .responsiblePersonIds[0]!
    await act((await services.access.currentUser(responder))!, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: fixture.people.swA, dueOn: d('2023-05-10') }],
    })
    await services.disputes.logDiscussion(cpc, id, {
      channel: 'phone',
      heldOn: d('2023-05-02'),
      participants: 'cpc1 Fixture, the team manager',
      summary: 'Not agreed',
      meeting: null,
    })
    await act(cpc, { type: 'escalate', toStageKey: 'stage2', reason: 'Still drifting' })
    // On the record's history too, it is asked for, not done: the two events are one act's.
    const history = async () => {
      const view = await services.disputes.view(cpc, id, { path: '/t', ip: null })
      return timelineItems(view.events, view.discussions, view.policy, new Map()).map(i => i.title)
    }
    expect(await history()).toContain('Escalation to Stage 2 asked for, from Stage 1')
    expect(await history()).not.toContain('Escalated from Stage 1 to Stage 2')
    const reference = `DRP-${String(id).padStart(6, '0')}`
    const about = (to: string) =>
      mailer.sent.filter(m => m.to === to && m.subject.startsWith(`Dispute ${reference}`)).map(m => m.subject)
    await services.notifications.deliver(100)
    const { rows } = await services.db.query<{ email: string }>('select email from people where id = $1', [responder])
    expect(about(rows[0]!.email)).toContain(`Dispute ${reference}: escalation asked for, waiting for pre-approval`)
    expect(about(rows[0]!.email)).not.toContain(`Dispute ${reference}: escalated`)
    // The lists name who must act next: the pre-approver, not the stage's manager, who has answered.
    const listedName = async () =>
      (await services.disputes.list(cpc, { limit: 100, offset: 0 })).rows.find(r => r.id === id)!.responsibleName
    const supervisedName = async () =>
      (await services.work.supervision(await user('rsm'), { limit: 100, offset: 0 })).rows.find(r => r.id === id)!
        .responsibleName
    expect(await listedName()).toBe('rsm Fixture')
    expect(await supervisedName()).toBe('rsm Fixture')
    await act(await user('rsm'), { type: 'decline', reason: 'Give the plan a week' })
    await services.notifications.deliver(100)
    expect(about(email('cpc1'))).toContain(`Dispute ${reference}: pre-approval declined for Stage 2`)
    await act(cpc, { type: 'escalate', toStageKey: 'stage2', reason: 'A week on, still drifting' })
    await act(await user('rsm'), { type: 'approve', note: 'Agreed' })
    await services.notifications.deliver(100)
    expect(about(email('cpc1'))).toContain(`Dispute ${reference}: pre-approval given for Stage 2`)
  })

  it('asks the reviewer to send on a new record whose first stage was declined, and tells the pre-approver of a withdrawal', async () => {
    at('2023-05-02')
    const cpc = await user('cpc1')
    const raiseAtStage2 = async () =>
      (
        await services.disputes.raise(cpc, {
          ...details,
          concern: newConcern(),
          childIds: [fixture.children.c1],
          policyId: 'cpc-mosaic-2022',
          categoryKey: 'drift_and_delay',
          startStageKey: 'stage2',
          becameAwareOn: d('2023-05-02'),
        })
      ).ids[0]!
    const act = async (
      who: Awaited<ReturnType<typeof user>>,
      id: number,
      command: Parameters<typeof services.disputes.act>[3],
    ) =>
      services.disputes.act(
        who,
        id,
        (await services.disputes.view(cpc, id, { path: '/t', ip: null })).record.version,
        command,
      )
    const declined = await raiseAtStage2()
    expect(await inboxKinds('rsm')).toContain(`pre_approve:${declined}`)
    await act(await user('rsm'), declined, { type: 'decline', reason: 'Start at Stage 1' })
    expect(await inboxKinds('rsm')).not.toContain(`pre_approve:${declined}`)
    expect(await inboxKinds('cpc1')).toContain(`escalate:${declined}`)
    // Migration 0029 gives a record left like that before this step existed the same item.
    await database.db.query(`delete from work_items where dispute_id = $1 and kind = 'escalate'`, [declined])
    const fill = await readFile(
      new URL('../../src/db/migrations/0029_reviewer_step_for_records_without_a_stage.sql', import.meta.url),
      'utf8',
    )
    await database.db.query(fill)
    await database.db.query(fill) // and only once
    expect((await inboxKinds('cpc1')).filter(k => k === `escalate:${declined}`)).toHaveLength(1)
    // Closing it ends the step.
    await act(cpc, declined, { type: 'finalise' })
    expect(await inboxKinds('cpc1')).not.toContain(`escalate:${declined}`)

    const withdrawn = await raiseAtStage2()
    await act(cpc, withdrawn, { type: 'withdraw_request', reason: 'Settled by phone' })
    expect(await inboxKinds('rsm')).not.toContain(`pre_approve:${withdrawn}`)
    await services.notifications.deliver(100)
    const reference = `DRP-${String(withdrawn).padStart(6, '0')}`
    expect(mailer.sent.filter(m => m.to === email('rsm')).map(m => m.subject)).toContain(
      `Dispute ${reference}: pre-approval for Stage 2 no longer needed`,
    )
  })
})
