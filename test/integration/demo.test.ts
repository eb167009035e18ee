import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { openPglite } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { loadDemoAuthority } from '../../src/demo/loadDemo.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { fastHasher } from '../factories/organisationFixture.js'

describe('the demo authority', () => {
  let services: Services
  beforeAll(async () => {
    const db = await openPglite()
    await migrate(db)
    services = buildServices(
      db,
      new SettableClock(new Date('2026-11-23T09:00:00Z')),
      loadConfig({}),
      fastHasher,
      shippedPolicies(),
    )
    await loadDemoAuthority(services)
  })
  afterAll(async () => services.db.close())

  it('has dispute records in every state under each of the four policies', async () => {
    const rows = (
      await services.db.query<{
        policy_id: string
        status: string
        phase: string
        current_stage_key: string
        overdue: boolean
        cafcass: boolean
        set_size: number
      }>(
        `select d.policy_id, d.status, d.phase, d.current_stage_key, d.response_due_on < '2026-11-23' as overdue,
           d.state->'cafcass' <> 'null'::jsonb as cafcass,
           (select count(*) from disputes s where s.dispute_set_id = d.dispute_set_id) as set_size
         from disputes d`,
      )
    ).rows
    for (const policy of shippedPolicies()) {
      const mine = rows.filter(r => r.policy_id === policy.id)
      const open = mine.filter(r => r.status === 'open')
      for (const stage of policy.stages)
        expect(
          open.some(r => r.current_stage_key === stage.key),
          `${policy.id} at ${stage.key}`,
        ).toBe(true)
      expect(
        open.some(r => r.overdue),
        `${policy.id} overdue`,
      ).toBe(true)
      expect(
        open.some(r => r.phase === 'awaiting_decision'),
        `${policy.id} awaiting decision`,
      ).toBe(true)
      expect(
        mine.some(r => r.status === 'resolved'),
        `${policy.id} resolved`,
      ).toBe(true)
      expect(
        mine.some(r => r.status === 'finalised'),
        `${policy.id} finalised`,
      ).toBe(true)
      expect(
        mine.some(r => r.set_size > 1),
        `${policy.id} siblings`,
      ).toBe(true)
    }
    expect(
      rows
        .filter(r => r.cafcass)
        .map(r => r.policy_id)
        .sort(),
    ).toEqual(['gloucestershire-2022', 'iro-care-first'])
  })

  it('loads only once', async () => {
    const before = (await services.db.query<{ n: number }>('select count(*) as n from disputes')).rows[0]!.n
    await loadDemoAuthority(services)
    expect((await services.db.query<{ n: number }>('select count(*) as n from disputes')).rows[0]!.n).toBe(before)
  })
})
