import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  findPersonForSignIn,
  linksForSignIn,
  linksOfPerson,
  recordExternalSignIn,
  removeLinksOfPerson,
} from '../../src/db/repositories/externalIdentityRepository.js'
import {
  sessionGenerationForSignIn,
  signOutEverywhere,
  writeSession,
} from '../../src/db/repositories/sessionRepository.js'
import { generatedSecret } from '../../src/db/repositories/generatedSecretRepository.js'
import { type Fixture, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

describe.each(databaseKinds())('matching provider accounts to people on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  const at = new Date('2023-01-05T09:00:00Z')

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    await database.db.query('update people set staff_id = $1 where id = $2', ['E42', fixture.people.iro2])
    await database.db.query('update people set active = false where id = $1', [fixture.people.swC])
  })
  afterAll(async () => database.dispose())

  it('matches an email whatever its case, and a staff ID exactly', async () => {
    expect(await findPersonForSignIn(database.db, 'email', 'IRO1@Test.Example')).toEqual({
      id: fixture.people.iro1,
      active: true,
    })
    expect(await findPersonForSignIn(database.db, 'staff_id', 'E42')).toEqual({ id: fixture.people.iro2, active: true })
    expect(await findPersonForSignIn(database.db, 'staff_id', 'e42')).toBeUndefined()
    expect(await findPersonForSignIn(database.db, 'email', 'nobody@test.example')).toBeUndefined()
    // A staff ID is never compared with emails, nor an email with staff IDs.
    expect(await findPersonForSignIn(database.db, 'staff_id', 'iro1@test.example')).toBeUndefined()
    expect(await findPersonForSignIn(database.db, 'email', 'E42')).toBeUndefined()
  })

  it('finds an inactive person as inactive, so the caller can refuse them', async () => {
    expect(await findPersonForSignIn(database.db, 'email', 'swC@test.example')).toEqual({
      id: fixture.people.swC,
      active: false,
    })
  })

  it('links a provider account on first sign-in, keeps the link after, and finds it from either side', async () => {
    const { iro1, iro2 } = fixture.people
    const sign = (personId: number, when: Date) =>
      database.db.transaction(tx => recordExternalSignIn(tx, 'https://idp.example', 'sub-1', personId, when))
    expect(await sign(iro1, at)).toBe(true)
    const later = new Date('2023-01-06T09:00:00Z')
    expect(await sign(iro1, later)).toBe(false)
    const rows = await database.db.query<{ person_id: number; first_signed_in_at: Date; last_signed_in_at: Date }>(
      'select person_id, first_signed_in_at, last_signed_in_at from external_identities',
    )
    expect(rows.rows).toEqual([{ person_id: iro1, first_signed_in_at: at, last_signed_in_at: later }])
    const links = (subject: string, personId: number | undefined) =>
      database.db.transaction(tx => linksForSignIn(tx, 'https://idp.example', subject, personId))
    expect(await links('sub-1', iro1)).toEqual({ linkedPersonId: iro1, claimedPersonsSubjects: ['sub-1'] })
    // The same account claiming another person, and another account claiming iro1.
    expect(await links('sub-1', iro2)).toEqual({ linkedPersonId: iro1, claimedPersonsSubjects: [] })
    expect(await links('sub-9', iro1)).toEqual({ linkedPersonId: undefined, claimedPersonsSubjects: ['sub-1'] })
    expect(await links('sub-9', undefined)).toEqual({ linkedPersonId: undefined, claimedPersonsSubjects: [] })
    // Another issuer's accounts are another matter.
    expect(await database.db.transaction(tx => linksForSignIn(tx, 'https://other.example', 'sub-1', iro1))).toEqual({
      linkedPersonId: undefined,
      claimedPersonsSubjects: [],
    })
    expect((await linksOfPerson(database.db, iro1)).map(l => l.lastSignedInAt)).toEqual([later])
    expect(await database.db.transaction(tx => removeLinksOfPerson(tx, iro1))).toBe(1)
    expect(await linksOfPerson(database.db, iro1)).toEqual([])
  })

  it('lets two first sign-ins of one account race without an error', async () => {
    const sign = () =>
      database.db.transaction(tx => recordExternalSignIn(tx, 'https://idp.example', 'sub-2', fixture.people.iro1, at))
    const results = await Promise.all([sign(), sign()])
    expect(results.filter(Boolean)).toHaveLength(1)
    const rows = await database.db.query(`select 1 from external_identities where subject = 'sub-2'`)
    expect(rows.rows).toHaveLength(1)
  })

  it('signs a person out everywhere: their sessions go and their generation moves past what a sign-in read', async () => {
    const { iro1, iro2 } = fixture.people
    for (const [sid, personId] of [
      ['s-iro1', iro1],
      ['s-iro2', iro2],
    ] as const)
      await writeSession(database.db, sid, { personId }, new Date('2023-01-06T09:00:00Z'))
    const before = await database.db.transaction(tx => sessionGenerationForSignIn(tx, iro1))
    await database.db.transaction(tx => signOutEverywhere(tx, iro1))
    expect(await database.db.transaction(tx => sessionGenerationForSignIn(tx, iro1))).toBe(before! + 1)
    expect(await database.db.transaction(tx => sessionGenerationForSignIn(tx, iro2))).toBe(0)
    const left = await database.db.query<{ sid: string }>(`select sid from sessions where sid like 's-iro%'`)
    expect(left.rows.map(r => r.sid)).toEqual(['s-iro2'])
  })

  it('makes a secret once per database, the same for every instance that asks', async () => {
    const [a, b] = await Promise.all([
      generatedSecret(database.db, 'session', at),
      generatedSecret(database.db, 'session', at),
    ])
    expect(a).toBe(b)
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await generatedSecret(database.db, 'session', at)).toBe(a)
    expect(await generatedSecret(database.db, 'another', at)).not.toBe(a)
  })
})
