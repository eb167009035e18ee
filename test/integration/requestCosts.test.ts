import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { isWorkingDay, parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { queryConfig } from '../../src/db/database.js'
import { tokensFor } from '../../src/db/repositories/tokenRepository.js'
import { openItemsFor } from '../../src/db/repositories/workItemRepository.js'
import { storeToken } from '../../src/services/authService.js'
import { calendarService } from '../../src/services/calendarService.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { DatabaseSessionStore } from '../../src/web/middleware/databaseSessionStore.js'
import { fastHasher, type Fixture, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'
import { newConcern } from '../factories/concerns.js'

/** What keeps each request down to a few statements must not change what the user is shown. */
describe.each(databaseKinds())('the shortcuts on every request, on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const clock = new SettableClock(new Date('2024-03-04T09:00:00Z'))
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies(), {
      mailer: new RecordingMailer(),
    })
  })
  afterAll(async () => database.dispose())

  it('finds a token’s person with their managed units, and writes its last use at most once a minute', async () => {
    const token = 'concord_request_costs_token'
    await storeToken(database.db, clock, fixture.people.smNorth, 'test', token, fixture.people.admin)
    const lastUsed = async () => (await tokensFor(database.db, fixture.people.smNorth))[0]!.lastUsedAt?.toISOString()

    const user = await services.access.userForToken(token)
    expect(user?.person.id).toBe(fixture.people.smNorth)
    expect(user?.viewer.managedUnits.length).toBeGreaterThan(0)
    expect(user).toEqual(await services.access.currentUser(fixture.people.smNorth))
    expect(await lastUsed()).toBe('2024-03-04T09:00:00.000Z')

    later(59_000)
    await services.access.userForToken(token)
    expect(await lastUsed()).toBe('2024-03-04T09:00:00.000Z')
    later(1_000)
    await services.access.userForToken(token)
    expect(await lastUsed()).toBe('2024-03-04T09:01:00.000Z')

    expect(await services.access.userForToken('concord_not_a_token')).toBeUndefined()
  })

  // PGlite has one connection and ignores statement names; on PostgreSQL they are prepared.
  if (kind === 'postgres')
    it('prepares the statements of every request once a connection, and runs with JIT off', async () => {
      const smNorth = (await services.access.currentUser(fixture.people.smNorth))!
      const admin = (await services.access.currentUser(fixture.people.admin))!
      const reader = (user: typeof admin) => ({ personId: user.person.id, scope: user.scope })
      const seen = await database.db.transaction(async tx => {
        const first = await openItemsFor(tx, reader(smNorth), 25, 0)
        const again = await openItemsFor(tx, reader(smNorth), 25, 0)
        await openItemsFor(tx, reader(admin), 25, 0)
        const prepared = await tx.query<{ name: string }>('select name from pg_prepared_statements order by name')
        const jit = await tx.query<{ jit: string }>('show jit')
        return { first, again, prepared: prepared.rows.map(r => r.name), jit: jit.rows[0]!.jit }
      })
      expect(seen.again).toEqual(seen.first)
      expect(seen.prepared).toEqual(expect.arrayContaining(['inbox_page_all', 'inbox_page_scoped']))
      expect(seen.jit).toBe('off')
    })

  it('sends every reader’s inbox as one of its two named statements, whoever they are', async () => {
    const sent: string[] = []
    const recorder = {
      async query<T>(sql: string, params: readonly unknown[] = []) {
        sent.push(sql)
        return database.db.query<T>(sql, params)
      },
    }
    for (const person of Object.values(fixture.people)) {
      const user = (await services.access.currentUser(person))!
      await openItemsFor(recorder, { personId: person, scope: user.scope }, 25, 0)
    }
    expect(new Set(sent.map(sql => queryConfig(sql, []).name))).toEqual(
      new Set(['inbox_page_all', 'inbox_page_scoped']),
    )
  })

  it('refuses a token or a session of a person made inactive', async () => {
    const token = 'concord_inactive_person_token'
    await storeToken(database.db, clock, fixture.people.swC, 'test', token, fixture.people.admin)
    await database.db.query('update people set active = false where id = $1', [fixture.people.swC])
    expect(await services.access.userForToken(token)).toBeUndefined()
    expect(await services.access.currentUser(fixture.people.swC)).toBeUndefined()
    await database.db.query('update people set active = true where id = $1', [fixture.people.swC])
  })

  it('pushes a rolling session’s expiry back at most once a minute', async () => {
    const store = new DatabaseSessionStore(database.db, clock)
    const expiry = async () =>
      (
        await database.db.query<{ expires_at: Date }>('select expires_at from sessions where sid = $1', ['s1'])
      ).rows[0]!.expires_at.toISOString()
    const data = { cookie: { maxAge: 60 * 60 * 1000 } } as never
    await new Promise<void>(resolve => store.set('s1', data, () => resolve()))
    const first = await expiry()
    later(30_000)
    await new Promise<void>(resolve => store.touch('s1', data, () => resolve()))
    expect(await expiry()).toBe(first)
    later(30_000)
    await new Promise<void>(resolve => store.touch('s1', data, () => resolve()))
    expect(await expiry()).not.toBe(first)
  })

  it('shows a closure made here at once, and one made by another instance within 30 seconds', async () => {
    const admin = (await services.access.currentUser(fixture.people.admin))!
    const display = () => services.calendar.calendarForDisplay()
    const closed = async (day: string) => !isWorkingDay(await display(), parseIsoDate(day))
    expect(await closed('2024-03-06')).toBe(false)
    await services.calendar.adjust(admin, parseIsoDate('2024-03-06'), 'closed', 'Office move')
    expect(await closed('2024-03-06')).toBe(true)

    const otherInstance = calendarService(database.db, clock)
    await otherInstance.adjust(admin, parseIsoDate('2024-03-07'), 'closed', 'Office move, second day')
    expect(await closed('2024-03-07')).toBe(false)
    later(30_000)
    expect(await closed('2024-03-07')).toBe(true)
    // Due dates never use the cached calendar.
    expect(isWorkingDay(await otherInstance.calendar(), parseIsoDate('2024-03-06'))).toBe(false)
  })

  it('counts the whole inbox with its first page, and past the last page', async () => {
    const tmA = (await services.access.currentUser(fixture.people.tmA))!
    const sw = (await services.access.currentUser(fixture.people.iro1))!
    for (const child of [fixture.children.c2, fixture.children.c2]) {
      await services.disputes.raise(sw, {
        childIds: [child],
        categoryKey: 'drift_delay',
        concern: newConcern(),
        impact: 'Impact',
        wishesAndFeelings: '',
        recommendedResolution: 'Resolution',
        resolutionTimescale: '10 days',
        policyId: 'gloucestershire-2022',
        startStageKey: 'informal',
        becameAwareOn: parseIsoDate('2024-03-04'),
      })
    }
    const reader = { personId: tmA.person.id, scope: tmA.scope }
    const all = await openItemsFor(database.db, reader, 50, 0)
    expect(all.total).toBe(all.items.length)
    expect(all.total).toBeGreaterThan(1)
    expect(all.total).toBe(await services.work.count(tmA))
    expect(await openItemsFor(database.db, reader, 1, 0)).toEqual({ total: all.total, items: [all.items[0]] })
    expect((await openItemsFor(database.db, reader, 10, 100)).total).toBe(all.total)
  })
})
