import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { migrate } from '../../src/db/migrate.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { eventsForChild } from '../../src/db/repositories/eventRepository.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import {
  expectedVisibility,
  fastHasher,
  FIXTURE_PASSWORD,
  type Fixture,
  type FixturePerson,
  loadFixture,
} from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

describe.each(databaseKinds())('foundation on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const clock = new SettableClock(new Date('2023-01-05T09:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies())
  })
  afterAll(async () => database.dispose())

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const caseIds = (children: { caseId: string }[]) => children.map(c => c.caseId.toLowerCase()).sort()

  it('migrating again changes nothing', async () => {
    expect(await migrate(database.db)).toEqual([])
  })

  it.each(Object.keys(expectedVisibility) as FixturePerson[])(
    '%s sees exactly the children the rules allow',
    async who => {
      const viewer = await user(who)
      const { children, total } = await services.children.list(viewer, { limit: 50, offset: 0 })
      expect(caseIds(children)).toEqual([...expectedVisibility[who]].sort())
      expect(total).toBe(expectedVisibility[who].length)
      for (const key of ['c1', 'c2', 'c3', 'c4'] as const) {
        const view = services.children.view(viewer, fixture.children[key], { path: '/test', ip: null })
        if (expectedVisibility[who].includes(key))
          await expect(view).resolves.toMatchObject({ id: fixture.children[key] })
        else await expect(view).rejects.toBeInstanceOf(NotFoundError)
      }
    },
  )

  it('a search never reaches past what the viewer may see', async () => {
    const swA = await user('swA')
    expect(caseIds((await services.children.list(swA, { search: 'c', limit: 50, offset: 0 })).children)).toEqual([
      'c1',
      'c2',
    ])
    expect((await services.children.list(swA, { search: 'C3', limit: 50, offset: 0 })).total).toBe(0)
    const dsc = await user('dsc')
    expect(caseIds((await services.children.list(dsc, { search: 'C3', limit: 50, offset: 0 })).children)).toEqual([
      'c3',
    ])
    expect(caseIds((await services.children.list(dsc, { search: 'c2 chi', limit: 50, offset: 0 })).children)).toEqual([
      'c2',
    ])
  })

  it('lists are paged in the database', async () => {
    const dsc = await user('dsc')
    const first = await services.children.list(dsc, { limit: 3, offset: 0 })
    const second = await services.children.list(dsc, { limit: 3, offset: 3 })
    expect(first.children).toHaveLength(3)
    expect(second.children).toHaveLength(1)
    expect(first.total).toBe(4)
  })

  it('every view of a child is audited, and only administrators can read the audit', async () => {
    const swA = await user('swA')
    await services.children.view(swA, fixture.children.c1, { path: '/children/1', ip: '10.0.0.1' })
    const audit = await services.children.accessAudit(await user('admin'), fixture.children.c1, 50, 0)
    expect(
      audit.rows.some(r => r.person_id === fixture.people.swA && r.ip === '10.0.0.1' && r.path === '/children/1'),
    ).toBe(true)
    await expect(services.children.accessAudit(swA, fixture.children.c1, 50, 0)).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('names the responsible person for every role on a child’s chain', async () => {
    const child = await services.children.view(await user('admin'), fixture.children.c2, { path: '/t', ip: null })
    const chain = Object.fromEntries((await services.organisation.chainForChild(child)).map(c => [c.role, c.personId]))
    const p = fixture.people
    expect(chain).toMatchObject({
      social_worker: p.swA,
      team_manager: p.tmA,
      service_manager: p.smNorth,
      head_of_service: p.hosNorth,
      director_of_safeguarding: p.dsc,
      director_of_childrens_services: p.dcs,
      chief_executive: p.chiefExec,
      iro: p.iro1,
      cp_chair: null,
      reviewing_service_manager: p.rsm,
      head_of_irs: p.headIrs,
    })
  })

  it('an administrator adds a child: one transaction with its event; others are refused', async () => {
    const admin = await user('admin')
    const value = {
      caseId: 'NEW-1',
      givenName: 'Ada',
      familyName: 'Newchild',
      dateOfBirth: '2019-02-03',
      teamId: fixture.units.teamB,
      socialWorkerId: fixture.people.swB,
      iroId: null,
      cpChairId: fixture.people.cpc1,
      cpPlanStart: '2022-12-01',
      lookedAfterStart: null,
      siblingCaseId: 'C1',
    }
    await expect(services.children.create(await user('swB'), value)).rejects.toBeInstanceOf(ForbiddenError)
    const id = await services.children.create(admin, value)
    const child = await services.children.view(admin, id, { path: '/t', ip: null })
    expect(child).toMatchObject({ caseId: 'NEW-1', teamName: 'Team B', socialWorkerId: fixture.people.swB })
    const events = await eventsForChild(database.db, id)
    expect(events.map(e => e.kind)).toEqual(['child.created'])
    expect(events[0]!.actor_id).toBe(fixture.people.admin)
    const siblings = await services.children.siblings(admin, child)
    expect(siblings.map(s => s.caseId)).toEqual(['C1'])
    // The new child is now visible to team B's chain and not to team A's social worker.
    expect(caseIds((await services.children.list(await user('swB'), { limit: 50, offset: 0 })).children)).toContain(
      'new-1',
    )
  })

  it('rejects a duplicate case ID and a wrong allocation with the catalogue’s messages, changing nothing', async () => {
    const admin = await user('admin')
    const before = (await services.children.list(admin, { limit: 100, offset: 0 })).total
    const attempt = services.children.create(admin, {
      caseId: 'c1',
      givenName: 'Dup',
      familyName: 'Licate',
      dateOfBirth: '2019-02-03',
      teamId: fixture.units.northService,
      socialWorkerId: fixture.people.tmA,
      iroId: fixture.people.iro1,
      cpChairId: null,
      cpPlanStart: null,
      lookedAfterStart: null,
      siblingCaseId: null,
    })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    const errors = await attempt.catch((e: ValidationError) => e.errors)
    const m = errorMessages.child
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'caseId', message: m.caseId.taken },
        { field: 'teamId', message: m.teamId.unknown },
        { field: 'socialWorkerId', message: m.socialWorkerId.unknown },
        { field: 'iroId', message: m.iroId.needsLookedAfter },
      ]),
    )
    expect((await services.children.list(admin, { limit: 100, offset: 0 })).total).toBe(before)
  })

  it('detects a concurrent edit by version number instead of overwriting it', async () => {
    const admin = await user('admin')
    const child = await services.children.view(admin, fixture.children.c4, { path: '/t', ip: null })
    const value = {
      caseId: child.caseId,
      givenName: child.givenName,
      familyName: child.familyName,
      dateOfBirth: child.dateOfBirth,
      teamId: child.teamId,
      socialWorkerId: child.socialWorkerId,
      iroId: null,
      cpChairId: child.cpChairId,
      cpPlanStart: child.cpPlanStart,
      lookedAfterStart: null,
      siblingCaseId: null,
    }
    await services.children.update(admin, child.id, child.version, { ...value, givenName: 'First' })
    await expect(
      services.children.update(admin, child.id, child.version, { ...value, givenName: 'Second' }),
    ).rejects.toBeInstanceOf(ConflictError)
    const after = await services.children.view(admin, child.id, { path: '/t', ip: null })
    expect(after.givenName).toBe('First')
    expect(after.version).toBe(child.version + 1)
    const events = await eventsForChild(database.db, child.id)
    expect(events[0]).toMatchObject({
      kind: 'child.updated',
      data: { changed: { givenName: { from: 'c4', to: 'First' } } },
    })
  })

  it('moving a team under another service moves its children into that manager’s view', async () => {
    const admin = await user('admin')
    const teamC = await services.organisation.unit(fixture.units.teamC)
    await services.organisation.updateUnit(admin, teamC.id, teamC.version, {
      name: teamC.name,
      kind: 'team',
      parentId: fixture.units.northService,
      managerId: teamC.managerId,
    })
    expect(caseIds((await services.children.list(await user('smNorth'), { limit: 50, offset: 0 })).children)).toContain(
      'c4',
    )
    expect((await services.children.list(await user('smSouth'), { limit: 50, offset: 0 })).total).toBe(0)
    // and back, so other tests see the fixture as drawn
    const moved = await services.organisation.unit(teamC.id)
    await services.organisation.updateUnit(admin, teamC.id, moved.version, {
      name: teamC.name,
      kind: 'team',
      parentId: fixture.units.southService,
      managerId: teamC.managerId,
    })
  })

  it('refuses a unit at the wrong level of the chain', async () => {
    const admin = await user('admin')
    const wrong = services.organisation.createUnit(admin, {
      name: 'Odd team',
      kind: 'team',
      parentId: fixture.units.north,
      managerId: null,
    })
    await expect(wrong).rejects.toMatchObject({
      errors: [{ field: 'parentId', message: errorMessages.unit.parentId.wrongKind }],
    })
    const orphan = services.organisation.createUnit(admin, {
      name: 'Lost service',
      kind: 'service',
      parentId: null,
      managerId: null,
    })
    await expect(orphan).rejects.toMatchObject({
      errors: [{ field: 'parentId', message: errorMessages.unit.parentId.required }],
    })
    const topped = services.organisation.createUnit(admin, {
      name: 'Second council',
      kind: 'council',
      parentId: fixture.units.council,
      managerId: null,
    })
    await expect(topped).rejects.toMatchObject({
      errors: [{ field: 'parentId', message: errorMessages.unit.parentId.notAllowed }],
    })
  })

  it('an administrator assigns roles: a new person becomes a social worker and sees their allocation', async () => {
    const admin = await user('admin')
    const id = await services.organisation.createPerson(admin, {
      givenName: 'Newly',
      familyName: 'Appointed',
      email: 'newly@test.example',
      staffId: 'S999',
      unitId: fixture.units.teamA,
      roles: ['social_worker'],
      active: true,
      password: 'a long enough password',
    })
    const person = await services.organisation.person(id)
    expect(person.roles).toEqual(['social_worker'])
    await expect(
      services.organisation.createPerson(await user('tmA'), {
        ...person,
        email: 'x@test.example',
        staffId: null,
        roles: [],
        active: true,
        password: undefined,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const signIn = await services.auth.signIn('NEWLY@test.example', 'a long enough password')
    expect(signIn).toEqual({ ok: true, personId: id, sessionGeneration: 0 })
  })

  it('locks an account after repeated failed sign-ins, and unlocks after the lock period', async () => {
    const max = services.config.maxFailedSignIns
    for (let i = 1; i < max; i++)
      expect(await services.auth.signIn('tmB@test.example', 'wrong')).toEqual({ ok: false, reason: 'wrong' })
    expect(await services.auth.signIn('tmB@test.example', 'wrong')).toEqual({ ok: false, reason: 'locked' })
    expect(await services.auth.signIn('tmB@test.example', FIXTURE_PASSWORD)).toEqual({ ok: false, reason: 'locked' })
    const lockRunsOut = () => clock.set(new Date(clock.now().getTime() + (services.config.lockMinutes + 1) * 60_000))
    lockRunsOut()
    // Once the lock has run out the count starts again: one wrong attempt does not lock the account at once,
    // so nobody can keep it locked with a request each lock period.
    expect(await services.auth.signIn('tmB@test.example', 'wrong')).toEqual({ ok: false, reason: 'wrong' })
    expect(await services.auth.signIn('tmB@test.example', FIXTURE_PASSWORD)).toEqual({
      ok: true,
      personId: fixture.people.tmB,
      sessionGeneration: 0,
    })
    for (let i = 1; i < max; i++) await services.auth.signIn('tmB@test.example', 'wrong')
    expect(await services.auth.signIn('tmB@test.example', 'wrong')).toEqual({ ok: false, reason: 'locked' })
    lockRunsOut()
    for (let i = 1; i < max; i++)
      expect(await services.auth.signIn('tmB@test.example', 'wrong')).toEqual({ ok: false, reason: 'wrong' })
    expect(await services.auth.signIn('tmB@test.example', FIXTURE_PASSWORD)).toMatchObject({ ok: true })
  })

  it('an unknown email and an inactive person cannot sign in', async () => {
    expect(await services.auth.signIn('nobody@test.example', FIXTURE_PASSWORD)).toEqual({ ok: false, reason: 'wrong' })
    await database.db.query('update people set active = false where id = $1', [fixture.people.perf])
    expect(await services.auth.signIn('perf@test.example', FIXTURE_PASSWORD)).toEqual({ ok: false, reason: 'wrong' })
    expect(await services.access.currentUser(fixture.people.perf)).toBeUndefined()
    await database.db.query('update people set active = true where id = $1', [fixture.people.perf])
  })
})
