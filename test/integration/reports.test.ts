import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import {
  addCalendarDays,
  defaultCalendar,
  fromDayNumber,
  parseIsoDate,
  workingDaysBetween,
} from '../../src/domain/calendar/workingDays.js'
import { parsePolicy, type Policy } from '../../src/domain/policies/policy.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { recentExports } from '../../src/db/repositories/exportAuditRepository.js'
import { ordinal } from '../../src/db/repositories/reportRepository.js'
import { ForbiddenError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import type { Report, ReportTable } from '../../src/services/reportService.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { newConcern } from '../factories/concerns.js'

const d = parseIsoDate
const at = (day: string) => new Date(`${day}T10:00:00Z`)

/**
 * Policy A as shipped (v1, 5 working days at formal level 1) and a v2 from 1 June 2023 that gives
 * formal level 1 only 3 working days. D1 is raised under v1 before v2 takes effect; it keeps v1's
 * due date, so its response is 2 working days late, not 4.
 */
function policiesWithV2(): Policy[] {
  const shipped = shippedPolicies()
  const v1 = shipped.find(p => p.id === 'gloucestershire-2022')!
  const v2 = parsePolicy(
    {
      ...JSON.parse(JSON.stringify(v1)),
      version: 2,
      effectiveFrom: '2023-06-01',
      stages: v1.stages.map(s => (s.key === 'formal1' ? { ...s, responseWorkingDays: 3 } : s)),
    },
    'gloucestershire-2022.v2',
  )
  return [...shipped, v2]
}

// The data set, worked out by hand. The report period is 1 April 2023 to 31 March 2024 (the last
// reporting year) and today is Monday 3 June 2024. Bank holidays that matter: Monday 8 May 2023
// (coronation), Monday 29 May 2023, Good Friday 29 March 2024 and Easter Monday 1 April 2024.
//
// Disputes (all under policy A, gloucestershire-2022):
//  D1 c2 (team A, iro1) drift_delay, raised Thu 4 May 2023 at formal 1 under v1: due 5 working days on,
//     Fri 12 May (Mon 8 May is a bank holiday). tmA responds Tue 16 May: late by 2 working days (15, 16).
//     Resolved Wed 17 May: 8 working days from raising. Overall limit 20 working days: Mon 5 June
//     (29 May is a bank holiday); finished within.
//  D2 c1 (team A, cpc1) drift_delay, raised Mon 3 July 2023 at formal 1 under v2: due 3 working days
//     on, Thu 6 July; tmA responds that day: on time. Not resolved; escalated Fri 7 July to formal 2, due
//     Fri 14 July, never answered: overdue. Overall limit Mon 31 July: still open past it.
//  D3 c2 (team A, iro1) drift_delay again, raised Mon 4 Sep 2023 informally, due Mon 11 Sep; swA responds
//     Fri 8 Sep (on time); resolved Mon 11 Sep: 5 working days. Repeat for the same child (D1) and for
//     the same team (D1, D2). Never formal: no overall limit.
//  D4 c4 (team C, cpc1) safety_wellbeing, raised Mon 25 Mar 2024 informally, due Wed 3 Apr 2024 (Good
//     Friday and Easter Monday do not count); swC responds Thu 4 Apr: 1 working day late. Still open.
//  D5 c3 (team B, iro2) participation, raised Wed 1 Mar 2023: before the period (the year before).
//  D6 c3 (team B, iro2) resources, raised Mon 2 Oct 2023 at formal 1, due Mon 9 Oct, never answered:
//     overdue; referred to CAFCASS Tue 3 Oct. Overall limit Mon 30 Oct: open past it.
describe.each(databaseKinds())('reports on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const clock = new SettableClock(at('2023-03-01'))
  const period = { from: '2023-04-01', to: '2024-03-31' }
  const ids: Record<string, number> = {}

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const details = (categoryKey: string) => ({
    categoryKey,
    concern: 'The plan has drifted.',
    impact: 'The child waits.',
    wishesAndFeelings: 'Wants a decision.',
    recommendedResolution: 'Decide.',
    resolutionTimescale: 'Within 10 working days',
  })
  const version = async (id: number) =>
    (await database.db.query<{ version: number }>('select version from disputes where id = $1', [id])).rows[0]!.version
  const act = async (
    who: FixturePerson,
    id: number,
    day: string,
    command: Parameters<Services['disputes']['act']>[3],
  ) => {
    clock.set(at(day))
    await services.disputes.act(await user(who), id, await version(id), command)
  }
  const raise = async (
    who: FixturePerson,
    child: 'c1' | 'c2' | 'c3' | 'c4',
    day: string,
    category: string,
    stage: string,
    agreedDueOn?: string,
  ) => {
    clock.set(at(day))
    const { ids: raised } = await services.disputes.raise(await user(who), {
      ...details(category),
      concern: newConcern(),
      childIds: [fixture.children[child]],
      policyId: 'gloucestershire-2022',
      startStageKey: stage,
      becameAwareOn: d(day),
      agreedDueOn: agreedDueOn ? d(agreedDueOn) : undefined,
    })
    return raised[0]!
  }
  const respond = (who: FixturePerson, id: number, day: string) =>
    act(who, id, day, {
      type: 'respond',
      comments: 'We will act.',
      actions: [{ what: 'Act', ownerId: fixture.people[who], dueOn: addCalendarDays(d(day), 14) }],
    })

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, policiesWithV2())
    // Shorter episodes so the progress-check schedule is easy to follow (see the checks test).
    await database.db.query('update children set looked_after_start = $1 where id = $2', [
      '2023-01-10',
      fixture.children.c2,
    ])
    await database.db.query('update children set cp_plan_start = $1 where id = $2', ['2023-03-01', fixture.children.c1])
    await database.db.query('update children set cp_plan_start = $1 where id = $2', ['2024-01-15', fixture.children.c4])

    ids.d5 = await raise('iro2', 'c3', '2023-03-01', 'participation', 'informal', '2023-03-08')
    await respond('swB', ids.d5, '2023-03-02')
    await act('iro2', ids.d5, '2023-03-03', { type: 'decide_resolved', comments: 'Done.' })

    ids.d1 = await raise('iro1', 'c2', '2023-05-04', 'drift_delay', 'formal1')
    await respond('tmA', ids.d1, '2023-05-16')
    await act('iro1', ids.d1, '2023-05-17', { type: 'decide_resolved', comments: 'Done.' })

    ids.d2 = await raise('cpc1', 'c1', '2023-07-03', 'drift_delay', 'formal1')
    await respond('tmA', ids.d2, '2023-07-06')
    await act('cpc1', ids.d2, '2023-07-07', { type: 'decide_not_resolved', comments: 'Not enough.' })
    await act('cpc1', ids.d2, '2023-07-07', { type: 'escalate', toStageKey: 'formal2', reason: 'No progress.' })

    ids.d3 = await raise('iro1', 'c2', '2023-09-04', 'drift_delay', 'informal', '2023-09-11')
    await respond('swA', ids.d3, '2023-09-08')
    await act('iro1', ids.d3, '2023-09-11', { type: 'decide_resolved', comments: 'Done.' })

    ids.d6 = await raise('iro2', 'c3', '2023-10-02', 'resources', 'formal1')
    await act('iro2', ids.d6, '2023-10-03', { type: 'refer_cafcass', reasons: 'Urgent.' })

    ids.d4 = await raise('cpc1', 'c4', '2024-03-25', 'safety_wellbeing', 'informal', '2024-04-03')
    await respond('swC', ids.d4, '2024-04-04')

    // Good practice notes: two for team A and one for team C in the period, one for team A before it.
    const note = (child: 'c1' | 'c2' | 'c4', author: FixturePerson, category: string, day: string) =>
      database.db.query(
        `insert into practice_notes (kind, child_id, author_id, subject_unit_id, category_key, practice, impact, created_at, updated_at)
         select 'good_practice', c.id, $2, c.team_id, $3, 'Good work', 'Helped', $4, $4 from children c where c.id = $1`,
        [fixture.children[child], fixture.people[author], category, at(day)],
      )
    await note('c2', 'iro1', 'participation', '2023-06-15')
    await note('c1', 'cpc1', 'participation', '2023-08-01')
    await note('c4', 'cpc1', 'key_decision_making', '2024-01-10')
    await note('c2', 'iro1', 'participation', '2023-03-15')

    // Progress checks (see the checks test for the schedule).
    const check = (child: 'c1' | 'c2', reviewer: FixturePerson, role: string, day: string, outcome: string) =>
      database.db.query(
        `insert into progress_checks (child_id, reviewer_id, reviewer_role, held_on, answers, outcome, created_at)
         values ($1, $2, $3, $4, '{}', $5, $6)`,
        [fixture.children[child], fixture.people[reviewer], role, day, outcome, at(day)],
      )
    await check('c2', 'iro1', 'iro', '2023-05-02', 'good')
    await check('c2', 'iro1', 'iro', '2023-12-01', 'requires_improvement')
    await check('c1', 'cpc1', 'cp_chair', '2023-06-20', 'outstanding')

    // Significant-change notices: how late each was is counted when it is sent and kept.
    const notice = (
      child: 'c1' | 'c2',
      audience: string,
      kind: string,
      occurred: string,
      sent: string,
      late: number,
      reviewer: FixturePerson,
    ) =>
      database.db.query(
        `insert into change_notices (child_id, audience, kind, occurred_on, details, sent_by_id, sent_on, reviewer_id,
           lateness_working_days, created_at, updated_at)
         values ($1, $2, $3, $4, 'Details', $5, $6, $7, $8, $9, $9)`,
        [
          fixture.children[child],
          audience,
          kind,
          occurred,
          fixture.people.swA,
          sent,
          fixture.people[reviewer],
          late,
          at(sent),
        ],
      )
    // Fri 5 May to Tue 9 May 2023: Mon 8 May is a bank holiday, so 1 working day late.
    await notice('c2', 'iro', 'placement_change', '2023-05-05', '2023-05-09', 1, 'iro1')
    await notice('c2', 'iro', 'placement_change', '2023-07-03', '2023-07-03', 0, 'iro1')
    await notice('c1', 'cp_chair', 'harm', '2023-10-02', '2023-10-06', 4, 'cpc1')
    // Sent after the period.
    await notice('c2', 'iro', 'court_order', '2024-03-28', '2024-04-02', 1, 'iro1')

    clock.set(at('2024-06-03'))
  })
  afterAll(async () => database.dispose())

  const table = (report: Report, id: string): ReportTable =>
    report.sections.flatMap(s => s.tables).find(t => t.id === id)!
  /** A table as { rowKey: [values...] } for comparing with the hand-worked answer. */
  const values = (report: Report, id: string) =>
    Object.fromEntries(table(report, id).rows.map(r => [r.key, r.cells.map(c => c.value)]))
  const teamKey = (t: 'teamA' | 'teamB' | 'teamC') => String(fixture.units[t])

  it('defaults to the last reporting year, April to March, from the injected clock', () => {
    expect(services.reports.lastReportingYear()).toEqual(period)
    clock.set(at('2024-03-31'))
    expect(services.reports.lastReportingYear()).toEqual({ from: '2022-04-01', to: '2023-03-31' })
    clock.set(at('2024-06-03'))
  })

  it('counts working days in SQL exactly as the domain calendar does, bank holidays and closures included', async () => {
    const closure = d('2023-06-14')
    const calendar = defaultCalendar([closure])
    const closed = [...calendar.closed.keys()]
      .filter(n => (((n + 3) % 7) + 7) % 7 < 5)
      .sort((a, b) => a - b)
      .map(fromDayNumber)
    const pairs: [string, string][] = []
    for (let i = 0; i < 300; i++) {
      const a = addCalendarDays(d('2022-11-01'), (i * 37) % 700)
      pairs.push([a, addCalendarDays(a, (i * 13) % 45)])
    }
    const rows = await database.db.query<{ n: number }>(
      `select ${ordinal('p.b', '$3')} - ${ordinal('p.a', '$3')} as n
       from unnest($1::date[], $2::date[]) with ordinality as p(a, b, i) order by p.i`,
      [pairs.map(p => p[0]), pairs.map(p => p[1]), closed],
    )
    expect(rows.rows.map(r => r.n)).toEqual(pairs.map(([a, b]) => workingDaysBetween(calendar, d(a), d(b))))
  })

  it('keeps the due dates of the policy version each dispute was raised under', async () => {
    const v1 = (
      await database.db.query<{ policy_version: number; state: { stages: { dueOn: string }[] } }>(
        'select policy_version, state from disputes where id = $1',
        [ids.d1],
      )
    ).rows[0]!
    expect(v1.policy_version).toBe(1)
    expect(v1.state.stages[0]!.dueOn).toBe('2023-05-12')
    const v2 = (
      await database.db.query<{ policy_version: number; state: { stages: { dueOn: string }[] } }>(
        'select policy_version, state from disputes where id = $1',
        [ids.d2],
      )
    ).rows[0]!
    expect(v2.policy_version).toBe(2)
    expect(v2.state.stages.map(s => s.dueOn)).toEqual(['2023-07-06', '2023-07-14'])
  })

  it('counts disputes by stage reached, category, team and outcome', async () => {
    const report = await services.reports.report(await user('dsc'), period)
    // Columns: raised, resolved, still open, referred to CAFCASS, closed without resolution.
    expect(values(report, 'disputes-by-stage')).toEqual({
      '0': [2, 1, 1, 0, 0],
      '1': [2, 1, 0, 1, 0],
      '2': [1, 0, 1, 0, 0],
    })
    expect(values(report, 'disputes-by-category')).toEqual({
      drift_delay: [3, 2, 1, 0, 0],
      resources: [1, 0, 0, 1, 0],
      safety_wellbeing: [1, 0, 1, 0, 0],
    })
    expect(values(report, 'disputes-by-team')).toEqual({
      [teamKey('teamA')]: [3, 2, 1, 0, 0],
      [teamKey('teamB')]: [1, 0, 0, 1, 0],
      [teamKey('teamC')]: [1, 0, 1, 0, 0],
    })
    expect(values(report, 'disputes-by-outcome')).toEqual({
      'resolved:0': [1],
      'resolved:1': [1],
      open: [2],
      cafcass: [1],
    })
    expect(table(report, 'disputes-by-stage').rows.map(r => r.label)).toEqual([
      'Informal stage',
      'Formal stage 1',
      'Formal stage 2',
    ])
  })

  it('names the stages in the policy’s own words when the report is of one policy', async () => {
    const report = await services.reports.report(await user('dsc'), { ...period, policyId: 'gloucestershire-2022' })
    const labels = (id: string) => table(report, id).rows.map(r => r.label)
    expect(labels('disputes-by-stage')).toEqual(['Informal', 'Formal Level 1', 'Formal Level 2'])
    expect(labels('stage-timeliness')).toEqual(['Informal', 'Formal Level 1', 'Formal Level 2'])
    expect(labels('disputes-by-outcome')).toEqual([
      'Resolved: Informal',
      'Resolved: Formal Level 1',
      'Still open',
      'Referred to CAFCASS',
    ])
  })

  it('times each stage in working days, across bank holidays, against the policy in force for each record', async () => {
    const report = await services.reports.report(await user('rsm'), period)
    // On time, late, overdue, not yet due, no response, working days late in all, median.
    expect(values(report, 'stage-timeliness')).toEqual({
      '0': [1, 1, 0, 0, 0, 1, 1], // D3 on time; D4 1 day late across Easter
      '1': [1, 1, 1, 0, 0, 2, 2], // D2 on time (v2); D1 2 days late (v1, across 8 May); D6 overdue
      '2': [0, 0, 1, 0, 0, null, null], // D2 at formal 2, never answered
    })
    expect(values(report, 'overall-limit')).toEqual({
      within: [1],
      outside: [0],
      open_outside: [2],
      open_within: [0],
      no_formal: [2],
    })
    // D3 took 5 working days, D1 8: median of both 6.5, 90th percentile 5 + 0.9 × 3 = 7.7.
    expect(values(report, 'time-to-resolution')).toEqual({
      informal: [1, 5, 5],
      formal: [1, 8, 8],
      all: [2, 6.5, 7.7],
    })
  })

  it('counts good practice notes by category and team, with notes for each concern', async () => {
    const report = await services.reports.report(await user('perf'), period)
    expect(values(report, 'notes-by-category')).toEqual({ participation: [2], key_decision_making: [1] })
    expect(values(report, 'notes-by-team')).toEqual({
      [teamKey('teamA')]: [2, 3, 0.67],
      [teamKey('teamB')]: [0, 1, 0],
      [teamKey('teamC')]: [1, 1, 1],
    })
  })

  // C2 in care since 10 Jan 2023: checks due 10 May 2023, 10 Sep 2023, 10 Jan 2024 (then 10 Jul 2024).
  //   2 May 2023 is on time; 1 Dec 2023 is late for 10 Sep; 10 Jan 2024 is overdue (not missed until 10 Jul).
  // C3 in care since 10 May 2021, no checks: due 10 May 2023 and 10 Nov 2023, both missed.
  // C1 on a plan since 1 Mar 2023: due 1 Jul 2023, 1 Nov 2023, 1 Mar 2024 (then 1 Sep 2024).
  //   20 Jun 2023 is on time; 1 Nov missed; 1 Mar 2024 overdue. C4's plan began 15 Jan 2024: none due.
  it('counts progress checks due on time, late, missed and overdue, and the outcomes of those held', async () => {
    const report = await services.reports.report(await user('headIrs'), period)
    expect(values(report, 'check-timeliness')).toEqual({ iro: [1, 1, 2, 1, 0], cp_chair: [1, 0, 1, 1, 0] })
    expect(values(report, 'check-outcomes')).toEqual({
      outstanding: [0, 1],
      good: [1, 0],
      requires_improvement: [1, 0],
      inadequate: [0, 0],
    })
  })

  it('counts significant-change notices by kind with the median working days late', async () => {
    const report = await services.reports.report(await user('dcs'), period)
    expect(values(report, 'notices-by-kind')).toEqual({
      'cp_chair:harm': [1, 0, 1, 4],
      'iro:placement_change': [2, 1, 1, 0.5],
      all: [3, 1, 2, 1],
    })
  })

  it('finds concerns raised again within twelve months for the same child or team', async () => {
    const report = await services.reports.report(await user('dsc'), period)
    expect(values(report, 'repeat-concerns')).toEqual({
      drift_delay: [3, 1, 2],
      resources: [1, 0, 0],
      safety_wellbeing: [1, 0, 0],
      all: [5, 1, 2],
    })
  })

  it('applies the filters: team, service area, reviewer, policy, CP plan or in care', async () => {
    const dsc = await user('dsc')
    const raised = async (f: Partial<Parameters<Services['reports']['report']>[1]>) =>
      values(await services.reports.report(dsc, { ...period, ...f }), 'repeat-concerns').all![0]
    expect(await raised({ teamId: fixture.units.teamA })).toBe(3)
    expect(await raised({ areaId: fixture.units.north })).toBe(4)
    expect(await raised({ areaId: fixture.units.south })).toBe(1)
    expect(await raised({ reviewerId: fixture.people.iro2 })).toBe(1)
    expect(await raised({ policyId: 'gloucestershire-2022' })).toBe(5)
    expect(await raised({ policyId: 'cpc-protocol' })).toBe(0)
    expect(await raised({ cohort: 'cp' })).toBe(2)
    expect(await raised({ cohort: 'care' })).toBe(3)
    const careChecks = await services.reports.report(dsc, { ...period, cohort: 'care' })
    expect(values(careChecks, 'check-timeliness')).toEqual({ iro: [1, 1, 2, 1, 0] })
  })

  it('compares the chosen reporting year with the year before on one page', async () => {
    const annual = await services.reports.annual(await user('rsm'), 2023, {})
    const rows = Object.fromEntries(annual.table.rows.map(r => [r.key, r.cells.map(c => c.value)]))
    expect(rows.raised).toEqual([5, 1])
    expect(rows.resolved_informal).toEqual([1, 1])
    expect(rows.resolved_formal).toEqual([1, 0])
    expect(rows.open).toEqual([2, 0])
    expect(rows.cafcass).toEqual([1, 0])
    expect(rows.responses_on_time).toEqual([2, 1])
    expect(rows.responses_late).toEqual([2, 0])
    expect(rows.within_limit).toEqual([1, 0])
    expect(rows.median_days).toEqual([6.5, 2])
    expect(rows.repeat_child).toEqual([1, 0])
    expect(rows.notes).toEqual([3, 1])
    expect(rows.notices).toEqual([3, 0])
    expect(rows.notices_median).toEqual([1, null])
  })

  it('shows a social worker only their own figures, and refuses roles without reports', async () => {
    const own = await services.reports.report(await user('swA'), period)
    expect(own.access).toBe('own')
    expect(values(own, 'disputes-by-team')).toEqual({ [teamKey('teamA')]: [3, 2, 1, 0, 0] })
    const swC = await services.reports.report(await user('swC'), period)
    expect(values(swC, 'disputes-by-team')).toEqual({ [teamKey('teamC')]: [1, 0, 1, 0, 0] })
    for (const who of ['iro1', 'cpc1', 'tmA', 'smNorth', 'chiefExec', 'admin'] as const)
      await expect(services.reports.report(await user(who), period)).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('lists the records behind a number, only for children the viewer may see', async () => {
    const ref = { figure: 'dispute', r: 'category', rv: 'drift_delay', k: 'all', kv: 'all' } as const
    const all = await services.reports.records(await user('dsc'), period, ref, 25, 0)
    expect(all.rows.map(r => r.id).sort()).toEqual([ids.d1, ids.d2, ids.d3].sort())
    expect(all.hidden).toBe(0)
    const south = await services.reports.records(await user('hosSouth'), period, ref, 25, 0)
    expect(south.rows).toEqual([])
    expect(south.hidden).toBe(3)
    const late = await services.reports.records(
      await user('rsm'),
      period,
      { figure: 'stage', level: '1', timeliness: 'late' },
      25,
      0,
    )
    expect(late.rows.map(r => r.id)).toEqual([ids.d1])
    const missed = await services.reports.records(
      await user('dsc'),
      period,
      { figure: 'slot', status: 'missed' },
      25,
      0,
    )
    expect(missed.rows.map(r => r.child_id).sort()).toEqual([fixture.children.c1, fixture.children.c3].sort())
    // The figure counts checks (IRO: 2, both C3's): each child is listed once, with how many are theirs.
    const missedIro = await services.reports.records(
      await user('dsc'),
      period,
      { figure: 'slot', status: 'missed', role: 'iro' },
      25,
      0,
    )
    expect(missedIro.rows.map(r => [r.child_id, r.detail])).toEqual([[fixture.children.c3, '2']])
    expect(missedIro.figure).toBe('“Missed” for IRO progress checks in “Progress checks due in the period”')
    const notes = await services.reports.records(
      await user('dsc'),
      period,
      { figure: 'note', r: 'team', rv: teamKey('teamA') },
      25,
      0,
    )
    expect(notes.total).toBe(2)
    const harm = await services.reports.records(
      await user('dsc'),
      period,
      { figure: 'notice', kind: 'cp_chair:harm' },
      25,
      0,
    )
    expect(harm.rows.map(r => r.child_id)).toEqual([fixture.children.c1])
    const good = await services.reports.records(await user('dsc'), period, { figure: 'check', outcome: 'good' }, 25, 0)
    expect(good.rows.map(r => r.on)).toEqual(['2023-05-02'])
  })

  it('downloads the report as CSV and XLSX that read back to the same figures, each download audited', async () => {
    const perf = await user('perf')
    const report = await services.reports.report(perf, period)
    const csv = await services.reports.download(perf, 'csv', { kind: 'report', filters: period })
    const lines = parse(csv.body as string, { relax_column_count: true }) as string[][]
    expect(lines[0]).toEqual(['Concord report'])
    expect(lines).toContainEqual(['From', '1 April 2023'])
    expect(lines).toContainEqual(['To', '31 March 2024'])
    for (const t of report.sections.flatMap(s => s.tables)) {
      const start = lines.findIndex(l => l.length === 1 && l[0] === t.title)
      expect(start).toBeGreaterThan(0)
      expect(lines[start + 1]).toEqual([t.rowHeader, ...t.columns.map(c => c.label)])
      t.rows.forEach((r, i) =>
        expect(lines[start + 2 + i]).toEqual([r.label, ...r.cells.map(c => (c.value === null ? '' : String(c.value)))]),
      )
    }

    const xlsx = await services.reports.download(perf, 'xlsx', { kind: 'report', filters: { ...period, cohort: 'cp' } })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    const cpReport = await services.reports.report(perf, { ...period, cohort: 'cp' })
    const tables = cpReport.sections.flatMap(s => s.tables)
    expect(workbook.worksheets.map(w => w.name)).toHaveLength(tables.length + 1)
    const sheetValues = (i: number) =>
      Array.from(workbook.worksheets[i]!.getSheetValues().slice(1), row =>
        Array.isArray(row) ? Array.from(row.slice(1), v => v ?? '') : [],
      )
    expect(sheetValues(0)).toContainEqual(['Children', 'Child protection plan'])
    tables.forEach((t, i) => {
      const rows = sheetValues(i + 1)
      expect(rows[0]).toEqual([t.title])
      expect(rows).toContainEqual(['Children', 'Child protection plan'])
      const header = rows.findIndex(r => r[0] === t.rowHeader)
      expect(rows[header]).toEqual([t.rowHeader, ...t.columns.map(c => c.label)])
      t.rows.forEach((r, j) =>
        expect(rows[header + 1 + j]).toEqual([r.label, ...r.cells.map(c => (c.value === null ? '' : c.value))]),
      )
    })

    const audit = await recentExports(database.db, 10)
    expect(audit.slice(0, 2).map(a => [a.kind, a.person_id])).toEqual([
      ['report_xlsx', fixture.people.perf],
      ['report_csv', fixture.people.perf],
    ])
    expect(audit[0]!.description).toContain('"cohort":"cp"')
  })
})
