import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { openPglite } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { DEMO_ACCOUNT_EMAILS, DEMO_CP_CHAIRS_MANAGER_EMAIL } from '../../src/demo/demoAuthority.js'
import { loadDemoAuthority } from '../../src/demo/loadDemo.js'
import { type IsoDate, isWorkingDay } from '../../src/domain/calendar/workingDays.js'
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

  it('leaves a record waiting for the CP chair’s manager’s pre-approval, in their My work', async () => {
    const manager = (await services.organisation.people({ search: DEMO_CP_CHAIRS_MANAGER_EMAIL, limit: 1, offset: 0 }))
      .people[0]!
    const inbox = await services.work.inbox((await services.access.currentUser(manager.id))!, 100, 0)
    const waiting = inbox.items.filter(i => i.kind === 'pre_approve')
    expect(waiting.length).toBeGreaterThan(0)
    const record = await services.db.query<{ phase: string; policy_id: string }>(
      'select phase, policy_id from disputes where id = $1',
      [waiting[0]!.disputeId],
    )
    expect(record.rows[0]).toEqual({ phase: 'awaiting_pre_approval', policy_id: 'cpc-mosaic-2022' })
  })

  it('has finalised records in the last complete reporting year under each policy, so reports open on figures', async () => {
    // Today 23 November 2026: the last complete reporting year ran from 1 April 2025 to 31 March 2026.
    const rows = (
      await services.db.query<{ policy_id: string; status: string }>(
        `select policy_id, status from disputes where raised_on between '2025-04-01' and '2026-03-31'`,
      )
    ).rows
    for (const policy of shippedPolicies())
      expect(
        rows.filter(r => r.policy_id === policy.id && r.status === 'finalised').length,
        policy.id,
      ).toBeGreaterThanOrEqual(2)
    // Each about a child whose plan or care had begun by then, and born by then.
    const early = (
      await services.db.query<{ n: number }>(
        `select count(*) as n from disputes d join children c on c.id = d.child_id
           join dispute_report_facts f on f.dispute_id = d.id
          where d.raised_on <= '2026-03-31' and (c.date_of_birth > d.raised_on
            or coalesce(case when f.reviewer_role = 'iro' then c.looked_after_start else c.cp_plan_start end,
              '9999-12-31') > d.raised_on)`,
      )
    ).rows[0]!.n
    expect(Number(early)).toBe(0)
  })

  it('acts on disputes on working days only, with agreed dates and action dates on working days too', async () => {
    const calendar = await services.calendar.calendar()
    const days = (
      await services.db.query<{ day: string }>(
        `select distinct to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM-DD') as day
           from events where entity_type = 'dispute'
         union select distinct s->>'dueOn' from disputes d, jsonb_array_elements(d.state->'stages') s
          where s->>'dueOn' is not null
         union select distinct a->>'dueOn' from disputes d, jsonb_array_elements(d.state->'actions') a`,
      )
    ).rows.map(r => r.day as IsoDate)
    expect(days.length).toBeGreaterThan(10)
    expect(days.filter(day => !isWorkingDay(calendar, day))).toEqual([])
  })

  it('has nothing dated after today, however many siblings a record covers', async () => {
    const latest = (
      await services.db.query<{ day: string }>(
        `select max(day) as day from (
           select to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM-DD') as day from events
           union all select to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD') from email_outbox
           union all select to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD') from work_items) d`,
      )
    ).rows[0]!.day
    expect(latest <= '2026-11-23', latest).toBe(true)
  })

  it('has good practice notes, reciprocal notes and concerns about reviewers', async () => {
    const notes = (
      await services.db.query<{ kind: string; set_size: number; child_id: number | null; resolved: boolean | null }>(
        `select n.kind, n.child_id, n.resolved,
           (select count(*) from practice_notes s where s.note_set_id = n.note_set_id) as set_size
         from practice_notes n`,
      )
    ).rows
    const good = notes.filter(n => n.kind === 'good_practice')
    expect(good.length).toBeGreaterThanOrEqual(4)
    expect(good.some(n => n.set_size > 1)).toBe(true) // siblings together
    expect(notes.some(n => n.kind === 'reciprocal')).toBe(true)
    const concerns = notes.filter(n => n.kind === 'concern')
    expect(concerns.length).toBe(2)
    expect(concerns.every(n => n.child_id === null)).toBe(true)
    expect(concerns.map(n => n.resolved)).toContain(true)
    expect(concerns.map(n => n.resolved)).toContain(null)
    // Some have been acknowledged by the people they were sent to, some are still waiting.
    const items = (
      await services.db.query<{ acknowledged: boolean }>(
        `select acknowledged_at is not null as acknowledged from work_items where subject_type = 'practice_note' and needs_ack`,
      )
    ).rows
    expect(items.some(i => i.acknowledged)).toBe(true)
    expect(items.some(i => !i.acknowledged)).toBe(true)
  })

  it('has progress checks done on time and late, and checks due and overdue for the demo reviewers', async () => {
    const checks = (
      await services.db.query<{ reviewer_role: string; n: number }>(
        'select reviewer_role, count(*) as n from progress_checks group by reviewer_role order by reviewer_role',
      )
    ).rows
    expect(checks.map(c => c.reviewer_role)).toEqual(['cp_chair', 'iro'])
    for (const email of [DEMO_ACCOUNT_EMAILS.iro, DEMO_ACCOUNT_EMAILS.cp_chair]) {
      const person = (await services.organisation.people({ search: email, limit: 1, offset: 0 })).people[0]!
      const reviewer = (await services.access.currentUser(person.id))!
      const due = await services.quality.checksDue(reviewer, { limit: 1000, offset: 0 })
      expect(
        due.rows.some(r => r.slot.status === 'due'),
        `${email} due`,
      ).toBe(true)
      expect(
        due.rows.some(r => r.slot.status === 'overdue'),
        `${email} overdue`,
      ).toBe(true)
      // Children with checks held: on time and late, and the next one due now.
      expect(
        due.rows.some(r => r.slot.status === 'due' && r.lastHeldOn !== null),
        `${email} held`,
      ).toBe(true)
      const statuses = new Set<string>()
      for (const r of due.rows.filter(r => r.lastHeldOn !== null))
        for (const e of (await services.quality.forChild(reviewer, r.childId)).episodes)
          for (const slot of e.slots) statuses.add(slot.status)
      expect([...statuses], email).toEqual(expect.arrayContaining(['done', 'done_late']))
    }
    const recorded = (
      await services.db.query<{ n: number }>(`select count(*) as n from events where kind = 'progress_check.recorded'`)
    ).rows[0]!.n
    expect(Number(recorded)).toBe(checks.reduce((sum, c) => sum + Number(c.n), 0))
  })

  it('has significant-change notices: acknowledged or not, late across a bank holiday, with reviews due and held', async () => {
    const notices = (
      await services.db.query<{
        occurred_on: string
        sent_on: string
        lateness_working_days: number
        review_due_on: string | null
        review_held_on: string | null
        acknowledged: boolean
      }>(
        `select n.occurred_on, n.sent_on, n.lateness_working_days, n.review_due_on, n.review_held_on,
           exists (select 1 from work_items w where w.subject_type = 'change_notice' and w.subject_id = n.id
             and w.kind = 'change_notice' and w.acknowledged_at is not null) as acknowledged
         from change_notices n`,
      )
    ).rows
    expect(notices.length).toBeGreaterThanOrEqual(5)
    expect(notices.some(n => n.acknowledged)).toBe(true)
    expect(notices.some(n => !n.acknowledged)).toBe(true)
    // 2026's summer bank holiday is Monday 31 August.
    const acrossHoliday = notices.find(n => n.occurred_on < '2026-08-31' && n.sent_on > '2026-08-31')
    expect(acrossHoliday).toBeDefined()
    expect(acrossHoliday!.lateness_working_days).toBe(2)
    expect(notices.some(n => n.review_due_on !== null && n.review_held_on === null)).toBe(true)
    expect(notices.some(n => n.review_held_on !== null)).toBe(true)
  })

  it('loads only once', async () => {
    const before = (await services.db.query<{ n: number }>('select count(*) as n from disputes')).rows[0]!.n
    await loadDemoAuthority(services)
    expect((await services.db.query<{ n: number }>('select count(*) as n from disputes')).rows[0]!.n).toBe(before)
  })
})
