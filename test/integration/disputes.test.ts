import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { eventsForEntity } from '../../src/db/repositories/eventRepository.js'
import { ConflictError, DisputeRefusedError, NotFoundError, ValidationError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

const d = parseIsoDate

describe.each(databaseKinds())('dispute records on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  // Thursday 22 December 2022: five working days on is Tuesday 3 January 2023.
  const clock = new SettableClock(new Date('2022-12-22T10:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies())
  })
  afterAll(async () => database.dispose())

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const details = {
    categoryKey: 'drift_delay',
    concern: 'The pathway plan has not been updated since March.',
    impact: 'The child does not know where they will live.',
    wishesAndFeelings: 'Wants to stay near school.',
    recommendedResolution: 'Update the plan and share it with the child.',
    resolutionTimescale: 'Within 10 working days',
  }

  it('raises at formal level 1 under policy A, due five working days on across Christmas, one transaction with its events', async () => {
    const iro = await user('iro1')
    const policy = services.disputes.policiesFor(iro).find(p => p.id === 'gloucestershire-2022')!
    expect(policy).toBeDefined()
    const formal1 = policy.stages.find(s => s.formal)!
    const { ids } = await services.disputes.raise(iro, {
      ...details,
      categoryKey: policy.categories[2]!.key,
      childIds: [fixture.children.c2],
      policyId: policy.id,
      startStageKey: formal1.key,
      becameAwareOn: d('2022-12-21'),
    })
    const view = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    const stage = view.record.state.stages[0]!
    expect(stage.dueOn).toBe('2023-01-03')
    expect(stage.responsiblePersonIds).toEqual([fixture.people.tmA])
    expect(view.record.state.overallDueOn).not.toBeNull()
    const events = await eventsForEntity(database.db, 'dispute', ids[0]!)
    expect(events.map(e => e.kind).sort()).toEqual(['dispute.raised', 'dispute.stage_entered'])

    // The team manager answers with a SMART plan; the manager cannot decide it.
    const tm = await user('tmA')
    await expect(
      services.disputes.act(tm, ids[0]!, view.record.version, { type: 'decide_resolved', comments: 'done' }),
    ).rejects.toBeInstanceOf(DisputeRefusedError)
    clock.set(new Date('2022-12-28T10:00:00Z'))
    await services.disputes.act(tm, ids[0]!, view.record.version, {
      type: 'respond',
      comments: 'We will update the plan.',
      actions: [{ what: 'Update pathway plan', ownerId: fixture.people.swA, dueOn: d('2023-01-06') }],
    })
    // A second edit from the version already used is a conflict, not an overwrite.
    await expect(
      services.disputes.act(tm, ids[0]!, view.record.version, { type: 'respond', comments: 'again', actions: [] }),
    ).rejects.toBeInstanceOf(ConflictError)
    const after = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    expect(after.record.state.phase).toBe('awaiting_decision')
    await services.disputes.act(iro, ids[0]!, after.record.version, {
      type: 'decide_resolved',
      comments: 'Plan updated.',
    })
    const resolved = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    await services.disputes.act(iro, ids[0]!, resolved.record.version, { type: 'finalise' })
    const finalised = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    expect(finalised.record.state.status).toBe('finalised')
    await expect(
      services.disputes.act(iro, ids[0]!, finalised.record.version, { type: 'decide_resolved', comments: 'again' }),
    ).rejects.toMatchObject({ refusal: 'locked' })
    await services.disputes.act(iro, ids[0]!, finalised.record.version, {
      type: 'add_addendum',
      text: 'Plan shared with the child.',
    })
  })

  it('raises one linked record for each sibling, and refuses children who are not siblings', async () => {
    clock.set(new Date('2023-01-05T10:00:00Z'))
    const dsc = await user('dsc')
    await expect(
      services.disputes.raise(dsc, {
        ...details,
        childIds: [fixture.children.c2],
        policyId: 'gloucestershire-2022',
        startStageKey: 'informal',
        becameAwareOn: d('2023-01-05'),
      }),
    ).rejects.toThrow()
    const iro = await user('iro1')
    // iro1 can see c2 only; c3 (c2's sibling) is not theirs, so it is not found.
    await expect(
      services.disputes.raise(iro, {
        ...details,
        childIds: [fixture.children.c2, fixture.children.c3],
        policyId: 'gloucestershire-2022',
        startStageKey: 'informal',
        becameAwareOn: d('2023-01-05'),
        agreedDueOn: d('2023-01-12'),
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await database.db.query('update children set iro_id = $1 where id = $2', [fixture.people.iro1, fixture.children.c3])
    const { ids } = await services.disputes.raise(iro, {
      ...details,
      childIds: [fixture.children.c2, fixture.children.c3],
      policyId: 'gloucestershire-2022',
      startStageKey: 'informal',
      becameAwareOn: d('2023-01-05'),
      agreedDueOn: d('2023-01-12'),
    })
    expect(ids).toHaveLength(2)
    const first = await services.disputes.view(iro, ids[0]!, { path: '/t', ip: null })
    expect(first.siblings.map(s => s.id)).toEqual([ids[1]])
    // The informal stage goes to each child's own social worker.
    const second = await services.disputes.view(iro, ids[1]!, { path: '/t', ip: null })
    expect(first.record.state.stages[0]!.responsiblePersonIds).toEqual([fixture.people.swA])
    expect(second.record.state.stages[0]!.responsiblePersonIds).toEqual([fixture.people.swB])
    await expect(
      services.disputes.raise(iro, {
        ...details,
        childIds: [fixture.children.c2, fixture.children.c1],
        policyId: 'gloucestershire-2022',
        startStageKey: 'informal',
        becameAwareOn: d('2023-01-05'),
      }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await database.db.query('update children set iro_id = $1 where id = $2', [fixture.people.iro2, fixture.children.c3])
  })

  it('lets the reviewer see a child they raised a record about even after reallocation', async () => {
    const iro = await user('iro1')
    const list = await services.children.list(iro, { limit: 50, offset: 0 })
    expect(list.children.map(c => c.caseId)).toContain('C3')
  })

  it('refuses a category the policy does not have', async () => {
    const iro = await user('iro1')
    await expect(
      services.disputes.raise(iro, {
        ...details,
        categoryKey: 'nonsense',
        childIds: [fixture.children.c2],
        policyId: 'gloucestershire-2022',
        startStageKey: 'informal',
        becameAwareOn: d('2023-01-05'),
      }),
    ).rejects.toBeInstanceOf(ValidationError)
  })

  it('lets an administrator close a weekday and reopen only a bank holiday, never a weekend, and counts deadlines with it', async () => {
    const admin = await user('admin')
    const c = errorMessages.calendar.day
    const problem = (p: Promise<void>) =>
      p.then(
        () => undefined,
        (e: ValidationError) => e.errors[0]!.message,
      )
    expect(await problem(services.calendar.adjust(admin, d('2023-05-30'), 'open', 'x'))).toBe(c.notBankHoliday)
    expect(await problem(services.calendar.adjust(admin, d('2023-05-29'), 'closed', 'x'))).toBe(c.alreadyClosed)
    expect(await problem(services.calendar.adjust(admin, d('2023-01-07'), 'closed', 'x'))).toBe(c.weekend)
    await expect(services.calendar.adjust(await user('tmA'), d('2023-06-01'), 'closed', 'x')).rejects.toThrow()
    // A local closure on Friday 2 June 2023 moves "Thursday 1 June + 1 working day" to Monday 5 June.
    await services.calendar.adjust(admin, d('2023-06-02'), 'closed', 'Office move')
    const { addWorkingDays } = await import('../../src/domain/calendar/workingDays.js')
    expect(addWorkingDays(await services.calendar.calendar(), d('2023-06-01'), 1)).toBe('2023-06-05')
    await services.calendar.adjust(admin, d('2023-05-29'), 'open', 'Duty day')
    expect(addWorkingDays(await services.calendar.calendar(), d('2023-05-26'), 1)).toBe('2023-05-29')
    await services.calendar.removeAdjustment(admin, d('2023-06-02'))
    await services.calendar.removeAdjustment(admin, d('2023-05-29'))
    expect(addWorkingDays(await services.calendar.calendar(), d('2023-06-01'), 1)).toBe('2023-06-02')
  })
  it('takes the same raise sent twice at once as one, and the same discussion once', async () => {
    const iro = await user('iro1')
    const raise = () =>
      services.disputes.raise(iro, {
        ...details,
        concern: 'Sent from two tabs at once.',
        childIds: [fixture.children.c2],
        policyId: 'gloucestershire-2022',
        startStageKey: 'formal1',
        becameAwareOn: d('2022-12-21'),
      })
    const both = await Promise.all([raise(), raise(), raise()])
    expect(both.filter(r => r.alreadyRaised)).toHaveLength(2)
    expect(new Set(both.map(r => r.ids.join()))).toEqual(new Set([both[0]!.ids.join()]))
    const id = both[0]!.ids[0]!
    const { rows } = await database.db.query<{ n: number }>(
      `select count(*)::int as n from disputes where concern = 'Sent from two tabs at once.'`,
    )
    expect(rows[0]!.n).toBe(1)
    const talk = {
      channel: 'phone' as const,
      heldOn: d('2022-12-22'),
      participants: 'iro1, tmA',
      summary: 'Agreed a date.',
      meeting: null,
    }
    await Promise.all([services.disputes.logDiscussion(iro, id, talk), services.disputes.logDiscussion(iro, id, talk)])
    const view = await services.disputes.view(iro, id, { path: '/t', ip: null })
    expect(view.discussions.map(x => x.summary)).toEqual(['Agreed a date.'])
  })
})
