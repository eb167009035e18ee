import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { SettableClock } from '../../src/clock.js'
import { type ChannelListener, type Database, openPostgres, type Queryable } from '../../src/db/database.js'
import { ACCESS_CHANGED_CHANNEL, accessService } from '../../src/services/accessService.js'
import { hashToken, storeToken } from '../../src/services/authService.js'
import { findVisibleChild } from '../../src/db/repositories/childRepository.js'
import { insertUnit } from '../../src/db/repositories/unitRepository.js'
import { type Fixture, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

/** The database, counting the statements that read who is signed in. */
function counting(db: Database) {
  const counter = { reads: 0 }
  const count = (q: Queryable): Queryable['query'] =>
    function query<T>(sql: string, params?: readonly unknown[]) {
      if (/from people p|from api_tokens t/.test(sql)) counter.reads++
      return q.query<T>(sql, params)
    }
  const wrapped: Database = {
    kind: db.kind,
    query: count(db),
    transaction: work => db.transaction(tx => work({ query: count(tx) })),
    listen: (channel: string, listener: ChannelListener) => db.listen!(channel, listener),
    close: () => db.close(),
  }
  return { db: wrapped, counter }
}

// A notification reaches PGlite's listener before the change's commit returns, and PostgreSQL's a
// moment after: each expectation after a change is retried until it holds (or the test times out).
const eventually = (check: () => Promise<unknown>) => expect.poll(check, { timeout: 5000, interval: 20 })

describe.each(databaseKinds())('who is signed in, remembered between requests, on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  const clock = new SettableClock(new Date('2024-03-04T09:00:00Z'))
  let stops: (() => Promise<void>)[] = []

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
  })
  afterEach(async () => {
    for (const stop of stops) await stop()
    stops = []
  })
  afterAll(async () => database.dispose())

  async function following() {
    const { db, counter } = counting(database.db)
    const access = accessService(db, clock)
    stops.push(await access.followChanges())
    return { access, counter }
  }

  it('reads a person once, then answers from memory until the person changes', async () => {
    const { access, counter } = await following()
    const person = fixture.people.swA
    expect((await access.currentUser(person))?.roles).toEqual(['social_worker'])
    expect((await access.currentUser(person))?.roles).toEqual(['social_worker'])
    expect(counter.reads).toBe(1)

    await database.db.query(`update people set roles = '{social_worker,admin}' where id = $1`, [person])
    await eventually(async () => (await access.currentUser(person))?.roles).toContain('admin')

    await database.db.query('update people set active = false where id = $1', [person])
    await eventually(async () => access.currentUser(person)).toBeUndefined()
    await database.db.query(`update people set active = true, roles = '{social_worker}' where id = $1`, [person])
  })

  it('forgets a token when it is revoked, and a manager when their unit changes hands', async () => {
    const { access } = await following()
    const token = `concord_cache_${kind}`
    await storeToken(database.db, clock, fixture.people.smNorth, 'test', token, fixture.people.admin)
    const before = await access.userForToken(token)
    expect(before?.viewer.managedUnits).toContainEqual(
      expect.objectContaining({ id: fixture.units.northService, kind: 'service' }),
    )

    await database.db.query('update org_units set manager_id = $2 where id = $1', [
      fixture.units.northService,
      fixture.people.hosNorth,
    ])
    await eventually(async () => (await access.userForToken(token))?.viewer.managedUnits).toEqual([])
    await database.db.query('update org_units set manager_id = $2 where id = $1', [
      fixture.units.northService,
      fixture.people.smNorth,
    ])

    await database.db.query('update api_tokens set revoked_at = now() where token_hash = $1', [hashToken(token)])
    await eventually(async () => access.userForToken(token)).toBeUndefined()
  })

  it('knows every unit of a manager’s branch, and a team added beneath it once it is added', async () => {
    const { access } = await following()
    const { units, people } = fixture
    const scopeOf = async (person: number) => {
      const scope = (await access.currentUser(person))?.scope
      return scope?.kind === 'some' ? scope.branchUnitIds : scope?.kind
    }
    expect(await scopeOf(people.hosNorth)).toEqual([units.north, units.northService, units.teamA, units.teamB])
    expect(await scopeOf(people.smNorth)).toEqual([units.northService, units.teamA, units.teamB])
    expect(await scopeOf(people.tmA)).toEqual([units.teamA])
    expect(await scopeOf(people.swA)).toEqual([])
    expect(await scopeOf(people.headIrs)).toBe('all')

    const teamD = await insertUnit(
      database.db,
      { name: 'Team D', kind: 'team', parentId: units.northService, managerId: null },
      clock.now(),
    )
    try {
      await eventually(() => scopeOf(people.smNorth)).toEqual([units.northService, units.teamA, units.teamB, teamD])
      await eventually(() => scopeOf(people.hosNorth)).toContain(teamD)
      expect(await scopeOf(people.hosSouth)).not.toContain(teamD)
    } finally {
      await database.db.query('delete from org_units where id = $1', [teamD])
    }
  })

  it('stops showing a manager the children of a team moved out of their branch', async () => {
    const { access } = await following()
    const { units, people, children } = fixture
    const seesC3 = async (person: number) =>
      (await findVisibleChild(database.db, (await access.currentUser(person))!.scope, children.c3)) !== undefined
    expect(await seesC3(people.smNorth)).toBe(true)
    expect(await seesC3(people.smSouth)).toBe(false)

    const moveTeamB = (service: number) =>
      database.db.query('update org_units set parent_id = $2 where id = $1', [units.teamB, service])
    await moveTeamB(units.southService)
    try {
      await eventually(() => seesC3(people.smNorth)).toBe(false)
      await eventually(() => seesC3(people.hosNorth)).toBe(false)
      await eventually(() => seesC3(people.smSouth)).toBe(true)
    } finally {
      await moveTeamB(units.northService)
    }
    await eventually(() => seesC3(people.smNorth)).toBe(true)
  })

  it('keeps nothing when it is not following changes, and shares no answer a request could change', async () => {
    const { db, counter } = counting(database.db)
    const access = accessService(db, clock)
    const user = await access.currentUser(fixture.people.swB)
    await access.currentUser(fixture.people.swB)
    expect(counter.reads).toBe(2)
    expect(() => (user!.roles as string[]).push('admin')).toThrow(TypeError)
  })

  it.runIf(kind === 'postgres')(
    'reads afresh while its connection is lost, and remembers again once it is back',
    async () => {
      const { access, counter } = await following()
      const person = fixture.people.swC
      await access.currentUser(person)
      await access.currentUser(person)
      expect(counter.reads).toBe(1)

      const admin = new pg.Client({ connectionString: database.url })
      await admin.connect()
      try {
        const listeners = async () =>
          (
            await admin.query<{ pid: number }>(
              `select pid from pg_stat_activity where datname = current_database() and query = $1`,
              [`listen ${ACCESS_CHANGED_CHANNEL}`],
            )
          ).rows.map(r => r.pid)
        const [pid] = await listeners()
        expect(pid).toBeDefined()
        await admin.query('select pg_terminate_backend($1)', [pid])
        // Lost: every request reads the person again (a change now could not be heard).
        await eventually(async () => {
          const reads = counter.reads
          await access.currentUser(person)
          await access.currentUser(person)
          return counter.reads - reads
        }).toBe(2)
        // Back (after a short back-off): remembered again.
        await eventually(async () => (await listeners()).length).toBe(1)
        await eventually(async () => {
          await access.currentUser(person)
          const reads = counter.reads
          await access.currentUser(person)
          return counter.reads - reads
        }).toBe(0)
      } finally {
        await admin.end()
      }
    },
  )
})

describe.runIf(databaseKinds().includes('postgres'))('the listening connection, proved by probes, on postgres', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('postgres')
  })
  afterAll(async () => database.dispose())

  function recorder() {
    const heard = { notified: 0, listening: 0, lost: [] as string[] }
    const listener: ChannelListener = {
      onNotify: () => heard.notified++,
      onListening: () => heard.listening++,
      onLost: reason => heard.lost.push(reason),
    }
    return { heard, listener }
  }

  it('is not listening while its probes cannot come back (a pooler that accepts LISTEN and delivers nothing)', async () => {
    // Notifications belong to one database: listening on another stands for a connection that hears nothing.
    const db = await openPostgres(database.url!, 2, {
      listenUrl: process.env.CONCORD_TEST_DATABASE_URL!,
      probeWaitMs: 150,
      probeEveryMs: 200,
    })
    const { heard, listener } = recorder()
    const stop = await db.listen!(ACCESS_CHANGED_CHANNEL, listener)
    try {
      await eventually(async () => heard.lost.length).toBeGreaterThanOrEqual(2)
      expect(heard.listening).toBe(0)
      expect(heard.lost[0]).toBe('cannot listen: probe not heard back')
    } finally {
      await stop()
      await db.close()
    }
  })

  it('listens once a probe comes back, takes probes for no change, and is lost when probes stop', async () => {
    const db = await openPostgres(database.url!, 2, { probeWaitMs: 1000, probeEveryMs: 100 })
    const { heard, listener } = recorder()
    const stop = await db.listen!(ACCESS_CHANGED_CHANNEL, listener)
    try {
      expect(heard.listening).toBe(1)
      await new Promise(resolve => setTimeout(resolve, 500)) // several probes go and come back
      expect(heard.notified).toBe(0)
      expect(heard.lost).toEqual([])
      await database.db.query(`update people set given_name = given_name where id = (select min(id) from people)`)
      await eventually(async () => heard.notified).toBe(1)
      // The pool that sends the probes is gone (as when the server cannot be reached): lost, not silent.
      await db.close()
      await eventually(async () => heard.lost[0]).toBe('probe not heard back')
    } finally {
      await stop()
    }
  })
})
