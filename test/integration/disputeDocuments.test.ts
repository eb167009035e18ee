import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { findDispute } from '../../src/db/repositories/disputeRepository.js'
import { eventsForEntity } from '../../src/db/repositories/eventRepository.js'
import { NotFoundError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

describe.each(databaseKinds())('handing out a dispute record for a PDF on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  let id = 0
  const clock = new SettableClock(new Date('2023-01-05T09:00:00Z'))
  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const access = { path: '/disputes/1/record.pdf', ip: '127.0.0.1' }
  const audit = async () =>
    (
      await database.db.query<{ person_id: number; action: string; path: string; occurred_at: Date }>(
        'select person_id, action, path, occurred_at from access_audit where child_id = $1 order by id',
        [fixture.children.c2],
      )
    ).rows.map(r => [r.person_id, r.action, r.path, new Date(r.occurred_at).toISOString()])
  const downloads = async () =>
    (await eventsForEntity(database.db, 'dispute', id))
      .filter(e => e.kind === 'dispute.pdf_downloaded')
      .map(e => [e.actor_id, e.child_id, e.data.document, new Date(e.occurred_at).toISOString()])

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies())
    const { ids } = await services.disputes.raise(await user('iro1'), {
      childIds: [fixture.children.c2],
      policyId: 'gloucestershire-2022',
      startStageKey: 'formal1',
      becameAwareOn: parseIsoDate('2023-01-04'),
      categoryKey: 'drift_delay',
      concern: 'The pathway plan has not been updated since March.',
      impact: 'The child does not know where they will live.',
      wishesAndFeelings: '',
      recommendedResolution: 'Update the plan.',
      resolutionTimescale: 'Within 10 working days',
    })
    id = ids[0]!
  })
  afterAll(async () => database.dispose())

  it('refuses people outside the child’s scope, and a letter before any referral, leaving no trace', async () => {
    await expect(services.disputeDocuments.produce(await user('iro2'), id, 'record', access)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(
      services.disputeDocuments.produce(await user('iro1'), id, 'cafcass_letter', access),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(services.disputeDocuments.produce(await user('iro1'), 9999, 'record', access)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    expect(await audit()).toEqual([])
    expect(await downloads()).toEqual([])
  })

  it('hands the record to anyone who may see the child, auditing the download and putting it on the history, without changing the record', async () => {
    const version = (await findDispute(database.db, id))!.version
    clock.set(new Date('2023-01-06T11:00:00Z'))
    const view = await services.disputeDocuments.produce(await user('tmA'), id, 'record', access)
    expect(view.record.id).toBe(id)
    expect(view.child.id).toBe(fixture.children.c2)
    expect(await audit()).toEqual([[fixture.people.tmA, 'pdf', access.path, '2023-01-06T11:00:00.000Z']])
    expect(await downloads()).toEqual([[fixture.people.tmA, fixture.children.c2, 'record', '2023-01-06T11:00:00.000Z']])
    expect((await findDispute(database.db, id))!.version).toBe(version)

    // Once referred, the letter too.
    await services.disputes.act(await user('iro1'), id, version, { type: 'refer_cafcass', reasons: 'Urgent.' })
    clock.set(new Date('2023-01-09T08:30:00Z'))
    await services.disputeDocuments.produce(await user('dcs'), id, 'cafcass_letter', { ...access, ip: null })
    expect((await audit()).at(-1)).toEqual([
      fixture.people.dcs,
      'cafcass-letter',
      access.path,
      '2023-01-09T08:30:00.000Z',
    ])
    expect((await downloads()).at(0)).toEqual([
      fixture.people.dcs,
      fixture.children.c2,
      'cafcass_letter',
      '2023-01-09T08:30:00.000Z',
    ])
  })
})
