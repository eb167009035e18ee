import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPersonForSignIn, recordExternalSignIn } from '../../src/db/repositories/externalIdentityRepository.js'
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

  it('links a provider account on first sign-in, updates it after, and notices when it moves', async () => {
    const sign = (personId: number, when: Date) =>
      database.db.transaction(tx => recordExternalSignIn(tx, 'https://idp.example', 'sub-1', personId, when))
    expect(await sign(fixture.people.iro1, at)).toBe('new')
    const later = new Date('2023-01-06T09:00:00Z')
    expect(await sign(fixture.people.iro1, later)).toBe('same')
    expect(await sign(fixture.people.iro2, later)).toBe('moved')
    const rows = await database.db.query<{ person_id: number; first_signed_in_at: Date; last_signed_in_at: Date }>(
      'select person_id, first_signed_in_at, last_signed_in_at from external_identities',
    )
    expect(rows.rows).toEqual([{ person_id: fixture.people.iro2, first_signed_in_at: at, last_signed_in_at: later }])
  })

  it('lets two first sign-ins of one account race without an error', async () => {
    const sign = () =>
      database.db.transaction(tx => recordExternalSignIn(tx, 'https://idp.example', 'sub-2', fixture.people.iro1, at))
    const results = await Promise.all([sign(), sign()])
    expect(results).toContain('new')
    const rows = await database.db.query(`select 1 from external_identities where subject = 'sub-2'`)
    expect(rows.rows).toHaveLength(1)
  })
})
