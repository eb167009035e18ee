// The per-dispute rows the reports read (ADR 0018) are kept in step with the record's state by every
// state change, in the same transaction, and migration 0014's fill reads the state JSON to the same
// rows, so records saved before the migration and after it are counted alike.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { addCalendarDays, parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import type { Dispute } from '../../src/domain/dispute/dispute.js'
import { disputeReportFacts } from '../../src/domain/dispute/reportFacts.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { splitStatements } from '../../src/db/migrate.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { newConcern } from '../factories/concerns.js'

const d = parseIsoDate
const at = (day: string) => new Date(`${day}T10:00:00Z`)

interface FactsRow {
  dispute_id: number
  child_id: number
  raised_on: string
  policy_id: string
  policy_version: number
  reviewer_id: number
  category_key: string
  status: string
  phase: string
  resolved_on: string | null
  finalised_on: string | null
  overall_due_on: string | null
  reached_stage_key: string | null
  resolved_stage_key: string | null
  cafcass: boolean
  reviewer_role: string
  stage_count: number
  repeat_for_child: boolean
  repeat_for_team: boolean
}

/** The columns the facts row copies from the dispute's own row. */
type DisputeColumns = Pick<
  FactsRow,
  | 'child_id'
  | 'raised_on'
  | 'policy_id'
  | 'policy_version'
  | 'reviewer_id'
  | 'category_key'
  | 'status'
  | 'phase'
  | 'resolved_on'
  | 'finalised_on'
  | 'overall_due_on'
>

describe.each(databaseKinds())('report facts on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const clock = new SettableClock(at('2023-05-02'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies())
  })
  afterAll(async () => database.dispose())

  const record = async (id: number) =>
    (
      await database.db.query<{ state: Dispute; version: number } & DisputeColumns>(
        `select state, version, child_id, raised_on, policy_id, policy_version, reviewer_id, category_key, status, phase,
           resolved_on, finalised_on, overall_due_on
         from disputes where id = $1`,
        [id],
      )
    ).rows[0]!
  const factsRows = async () =>
    (await database.db.query<FactsRow>('select * from dispute_report_facts order by dispute_id')).rows
  const stageRows = async () =>
    (
      await database.db.query<{
        dispute_id: number
        n: number
        stage_key: string
        due_on: string
        responded_on: string | null
      }>('select dispute_id, n, stage_key, due_on, responded_on from dispute_report_stages order by dispute_id, n')
    ).rows

  /** The record's report rows are what `disputeReportFacts` reads of its saved state, beside its columns. */
  const expectInStep = async (id: number) => {
    const r = await record(id)
    const facts = disputeReportFacts(r.state)
    const row = (await factsRows()).find(f => f.dispute_id === id)
    // Whether it repeats an earlier concern is kept from when it was raised (checked below).
    const { repeat_for_child: _child, repeat_for_team: _team, ...copied } = row ?? {}
    expect(copied).toEqual({
      dispute_id: id,
      child_id: r.child_id,
      raised_on: r.raised_on,
      policy_id: r.policy_id,
      policy_version: r.policy_version,
      reviewer_id: r.reviewer_id,
      category_key: r.category_key,
      status: r.status,
      phase: r.phase,
      resolved_on: r.resolved_on,
      finalised_on: r.finalised_on,
      overall_due_on: r.overall_due_on,
      reached_stage_key: facts.reachedStageKey,
      resolved_stage_key: facts.resolvedStageKey,
      cafcass: facts.cafcass,
      reviewer_role: facts.reviewerRole,
      stage_count: facts.stageCount,
    })
    expect((await stageRows()).filter(s => s.dispute_id === id)).toEqual(
      facts.stages.map(s => ({
        dispute_id: id,
        n: s.n,
        stage_key: s.stageKey,
        due_on: s.dueOn,
        responded_on: s.respondedOn,
      })),
    )
    return { row: row!, state: r.state }
  }

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const act = async (
    who: FixturePerson | number,
    id: number,
    day: string,
    command: Parameters<Services['disputes']['act']>[3],
  ) => {
    clock.set(at(day))
    const actor = typeof who === 'number' ? (await services.access.currentUser(who))! : await user(who)
    await services.disputes.act(actor, id, (await record(id)).version, command)
    return expectInStep(id)
  }
  const raise = async (
    who: FixturePerson,
    child: 'c1' | 'c2' | 'c4',
    day: string,
    stage: string,
    agreedDueOn?: string,
    policy = { policyId: 'gloucestershire-2022', categoryKey: 'drift_delay' },
  ) => {
    clock.set(at(day))
    const { ids } = await services.disputes.raise(await user(who), {
      categoryKey: policy.categoryKey,
      concern: newConcern(),
      impact: 'The child waits.',
      wishesAndFeelings: 'Wants a decision.',
      recommendedResolution: 'Decide.',
      resolutionTimescale: 'Within 10 working days',
      childIds: [fixture.children[child]],
      policyId: policy.policyId,
      startStageKey: stage,
      becameAwareOn: d(day),
      agreedDueOn: agreedDueOn ? d(agreedDueOn) : undefined,
    })
    await expectInStep(ids[0]!)
    return ids[0]!
  }
  const respond = (who: FixturePerson | number, id: number, day: string) =>
    act(who, id, day, {
      type: 'respond',
      comments: 'We will act.',
      actions: [{ what: 'Act', ownerId: fixture.people.swA, dueOn: addCalendarDays(d(day), 14) }],
    })

  it('follows a record through response, escalation, resolution and finalising', async () => {
    const id = await raise('iro1', 'c2', '2023-05-02', 'formal1')
    let { row, state } = await respond('tmA', id, '2023-05-05')
    expect(row).toMatchObject({ reached_stage_key: 'formal1', stage_count: 1, phase: 'awaiting_decision' })
    await act('iro1', id, '2023-05-08', { type: 'decide_not_resolved', comments: 'Not enough.' })
    ;({ row, state } = await act('iro1', id, '2023-05-09', {
      type: 'escalate',
      toStageKey: 'formal2',
      reason: 'No progress.',
    }))
    expect(row).toMatchObject({ reached_stage_key: 'formal2', stage_count: 2, phase: 'awaiting_response' })
    const secondResponder = state.stages.at(-1)!.responsiblePersonIds[0]!
    await respond(secondResponder, id, '2023-05-12')
    ;({ row, state } = await act('iro1', id, '2023-05-15', { type: 'decide_resolved', comments: 'Done.' }))
    expect(row).toMatchObject({ status: 'resolved', resolved_on: '2023-05-15', resolved_stage_key: 'formal2' })
    for (const action of state.actions.filter(a => a.status === 'open'))
      await act('iro1', id, '2023-05-16', { type: 'complete_action', actionId: action.id, evidence: 'Seen.' })
    ;({ row } = await act('iro1', id, '2023-05-17', { type: 'finalise' }))
    expect(row).toMatchObject({ status: 'finalised', finalised_on: '2023-05-17' })
    expect((await stageRows()).filter(s => s.dispute_id === id).map(s => [s.stage_key, s.responded_on])).toEqual([
      ['formal1', '2023-05-05'],
      ['formal2', '2023-05-12'],
    ])
  })

  it('follows an extension and a referral to CAFCASS', async () => {
    // The CP chairs' Mosaic procedure (seed 001) allows a further working day instead of escalating.
    const extended = await raise('cpc1', 'c1', '2023-06-01', 'stage1', undefined, {
      policyId: 'cpc-mosaic-2022',
      categoryKey: 'unassessed_risk',
    })
    await respond('tmA', extended, '2023-06-05')
    await act('cpc1', extended, '2023-06-06', { type: 'decide_not_resolved', comments: 'Not enough.' })
    const { row } = await act('cpc1', extended, '2023-06-07', { type: 'agree_extension', note: 'One more week.' })
    expect(row).toMatchObject({ phase: 'extension', reviewer_role: 'cp_chair', cafcass: false })

    const referred = await raise('iro1', 'c2', '2023-06-01', 'informal', '2023-06-08')
    const after = await act('iro1', referred, '2023-06-02', { type: 'refer_cafcass', reasons: 'Urgent.' })
    expect(after.row).toMatchObject({ cafcass: true, reached_stage_key: 'informal', reviewer_role: 'iro' })
  })

  it('keeps, from when each is raised, whether its category was raised on an earlier day in the year before for the same child or team', async () => {
    const repeats = async (id: number) => {
      const row = (await factsRows()).find(f => f.dispute_id === id)!
      return [row.repeat_for_child, row.repeat_for_team]
    }
    // c2 (team A) had drift and delay raised on 2 May and 1 June 2023, above (one referred to CAFCASS).
    const c2Again = await raise('iro1', 'c2', '2024-05-20', 'informal')
    expect(await repeats(c2Again)).toEqual([true, true])
    // c1 is in team A too, and its reviewer is another (a CP chair): a repeat for the team, not the child.
    const c1First = await raise('cpc1', 'c1', '2024-05-21', 'formal1')
    expect(await repeats(c1First)).toEqual([false, true])
    // Team C has had none; a second the same day for the same child is not "again" either.
    const c4First = await raise('cpc1', 'c4', '2024-05-21', 'formal1')
    const c4SameDay = await raise('cpc1', 'c4', '2024-05-21', 'formal1')
    expect([await repeats(c4First), await repeats(c4SameDay)]).toEqual([
      [false, false],
      [false, false],
    ])
    // c4 moves to team A: its next is a repeat for it and for team A; what was kept before stays.
    await database.db.query('update children set team_id = $2 where id = $1', [
      fixture.children.c4,
      fixture.units.teamA,
    ])
    const c4Moved = await raise('cpc1', 'c4', '2024-05-22', 'formal1')
    expect(await repeats(c4Moved)).toEqual([true, true])
    expect(await repeats(c4First)).toEqual([false, false])
    await database.db.query('update children set team_id = $2 where id = $1', [
      fixture.children.c4,
      fixture.units.teamC,
    ])
    // More than twelve months after the last for c2 (20 May 2024) and for team A (22 May 2024): not again.
    const c2Later = await raise('iro1', 'c2', '2025-06-10', 'informal')
    expect(await repeats(c2Later)).toEqual([false, false])
    // Later saves leave them as they were.
    const { row } = await act('iro1', c2Again, '2024-05-23', { type: 'refer_cafcass', reasons: 'Urgent.' })
    expect([row.repeat_for_child, row.repeat_for_team]).toEqual([true, true])
  })

  it("migrations 0014's and 0017's fills read every saved state to the same rows the service wrote", async () => {
    const facts = await factsRows()
    const stages = await stageRows()
    expect(facts.length).toBeGreaterThanOrEqual(3)
    expect(stages.length).toBeGreaterThan(facts.length)
    const fill: string[] = []
    for (const migration of ['0014_dispute_report_facts.sql', '0017_repeat_concerns_kept_with_each_dispute.sql']) {
      const sql = await readFile(new URL(`../../src/db/migrations/${migration}`, import.meta.url), 'utf8')
      fill.push(...splitStatements(sql).filter(s => /^(delete|insert|update)\b/i.test(s)))
    }
    expect(fill).toHaveLength(5)
    await database.db.transaction(async tx => {
      for (const statement of fill) await tx.query(statement)
    })
    expect(await factsRows()).toEqual(facts)
    expect(await stageRows()).toEqual(stages)
  })
})
