import { SettableClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import { openPglite } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { parseIsoDate } from '../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../src/domain/policies/policyCatalogue.js'
import { services as buildServices } from '../src/services/index.js'
import type { Mailer } from '../src/services/mailer.js'
import { fastHasher, loadFixture } from '../test/factories/organisationFixture.js'

/**
 * Real records to copy. The generator never invents the shape of a dispute's `state` or of an
 * event's `data`: it drives the real service once through a whole journey on the small test
 * fixture (in memory, PGlite) and keeps what the service wrote at each step. The SQL generator
 * then uses these as templates and overrides only the fields that vary (people, dates, stage).
 */
export interface Templates {
  /** `state` of an open record waiting for the responsible manager. */
  awaitingResponse: unknown
  /** `state` after the manager responded with one SMART action: waiting for the reviewer's decision. */
  awaitingDecision: unknown
  /** `state` after the reviewer decided it was resolved (its action still open). */
  resolved: unknown
  /** `state` after the action was completed and the record finalised. */
  finalised: unknown
  /** `data` of each event kind, as the service appended it. */
  events: Record<string, unknown>
}

const silentMailer: Mailer = { kind: 'file', send: async () => undefined }

export async function captureTemplates(): Promise<Templates> {
  const db = await openPglite()
  try {
    await migrate(db)
    const fixture = await loadFixture(db)
    const clock = new SettableClock(new Date('2024-03-04T10:00:00Z'))
    const s = buildServices(db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies(), {
      mailer: silentMailer,
    })
    const user = async (id: number) => (await s.access.currentUser(id))!
    const iro = await user(fixture.people.iro1)
    const { ids } = await s.disputes.raise(iro, {
      categoryKey: 'drift_delay',
      concern: 'The care plan has drifted: the permanence decision is three months late.',
      impact: 'The child does not know where they will live next year.',
      wishesAndFeelings: 'Wants to stay with the current carers.',
      recommendedResolution: 'Hold the permanence planning meeting.',
      resolutionTimescale: '10 working days',
      childIds: [fixture.children.c2],
      policyId: 'gloucestershire-2022',
      startStageKey: 'formal1',
      becameAwareOn: parseIsoDate('2024-03-01'),
    })
    const id = ids[0]!
    const read = async () =>
      (await db.query<{ state: unknown; version: number }>('select state, version from disputes where id = $1', [id]))
        .rows[0]!
    const awaitingResponse = (await read()).state
    clock.set(new Date('2024-03-06T10:00:00Z'))
    await s.disputes.act(await user(fixture.people.tmA), id, (await read()).version, {
      type: 'respond',
      comments: 'Permanence planning meeting booked; the social worker will visit first.',
      actions: [{ what: 'Visit the child and carers', ownerId: fixture.people.swA, dueOn: parseIsoDate('2024-03-20') }],
    })
    const awaitingDecision = (await read()).state
    clock.set(new Date('2024-03-08T10:00:00Z'))
    await s.disputes.act(iro, id, (await read()).version, {
      type: 'decide_resolved',
      comments: 'The plan answers the concern.',
    })
    const resolved = (await read()).state
    clock.set(new Date('2024-03-18T10:00:00Z'))
    await s.disputes.act(await user(fixture.people.swA), id, (await read()).version, {
      type: 'complete_action',
      actionId: 1,
      evidence: 'Visited on 15 March; recorded on the case file.',
    })
    await s.disputes.act(iro, id, (await read()).version, { type: 'finalise' })
    const finalised = (await read()).state
    const events: Record<string, unknown> = {}
    const rows = await db.query<{ kind: string; data: unknown }>(
      "select kind, data from events where entity_type = 'dispute' and entity_id = $1 order by id",
      [id],
    )
    for (const row of rows.rows) events[row.kind] = row.data
    for (const kind of ['dispute.raised', 'dispute.stage_entered', 'dispute.responded', 'dispute.resolved'])
      if (!events[kind]) throw new Error(`the template journey did not produce a ${kind} event`)
    if (!events['dispute.finalised']) throw new Error('the template journey did not produce a dispute.finalised event')
    return { awaitingResponse, awaitingDecision, resolved, finalised, events }
  } finally {
    await db.close()
  }
}
