import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { iroCheckHeadings, cpChairCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'

const d = parseIsoDate
const answersFor = (headings: readonly { key: string }[]) =>
  Object.fromEntries(headings.map(h => [h.key, `Answer for ${h.key}`]))
const iroAnswers = answersFor(iroCheckHeadings)
const cpAnswers = answersFor(cpChairCheckHeadings)

describe.each(databaseKinds())('progress checks and significant-change notices on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const clock = new SettableClock(new Date('2022-06-01T09:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies(), {
      mailer: new RecordingMailer(),
    })
  })
  afterAll(async () => database.dispose())

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const at = (iso: string) => clock.set(new Date(`${iso}T09:00:00Z`))
  const due = async (who: FixturePerson, reviewerId?: number) =>
    (await services.quality.checksDue(await user(who), { reviewerId, limit: 50, offset: 0 })).rows.map(
      r => `${r.caseId}:${r.kind}:${r.slot.dueOn}:${r.slot.status}`,
    )
  const statuses = async (who: FixturePerson, childId: number, k: 'iro' | 'cp_chair') =>
    (await services.quality.forChild(await user(who), childId)).episodes
      .find(e => e.kind === k)!
      .slots.map(s => `${s.year}.${s.number}:${s.dueOn}:${s.status}`)
  const record = async (who: FixturePerson, childId: number, heldOn: string, k?: 'iro' | 'cp_chair') =>
    services.quality.recordCheck(await user(who), childId, {
      kind: k,
      heldOn: d(heldOn),
      answers: k === 'iro' ? iroAnswers : cpAnswers,
      outcome: 'good',
    })
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise
    } catch (error) {
      return error
    }
    throw new Error('expected a failure')
  }

  describe('the progress-check schedule', () => {
    it('asks for three checks in the first year of a plan and two in the second, soonest first in the lists', async () => {
      // C1 has been on a plan since 1 March 2022; C4 since 1 September 2022 (cpc1 chairs both).
      at('2022-06-01')
      expect(await due('cpc1')).toEqual(['C1:cp_chair:2022-07-01:due'])
      at('2022-06-20')
      await record('cpc1', fixture.children.c1, '2022-06-20', 'cp_chair')
      expect(await due('cpc1')).toEqual([])

      at('2022-11-10')
      expect(await due('cpc1')).toEqual(['C1:cp_chair:2022-11-01:overdue', 'C4:cp_chair:2023-01-01:due'])
      expect(await due('rsm', fixture.people.cpc1)).toEqual(await due('cpc1'))
      at('2022-11-15')
      await record('cpc1', fixture.children.c1, '2022-11-15', 'cp_chair')

      at('2023-09-05')
      // Year 1's third check (1 March 2023) was never held and is now missed; year 2's first is overdue.
      expect(await statuses('cpc1', fixture.children.c1, 'cp_chair')).toEqual([
        '1.1:2022-07-01:done',
        '1.2:2022-11-01:done_late',
        '1.3:2023-03-01:missed',
        '2.1:2023-09-01:overdue',
        '2.2:2024-03-01:due',
      ])
      const row = (await services.quality.checksDue(await user('cpc1'), { limit: 50, offset: 0 })).rows.find(
        r => r.childId === fixture.children.c1,
      )!
      expect(row).toMatchObject({ missed: 1, lastHeldOn: '2022-11-15', slot: { year: 2, number: 1 } })
      at('2023-09-06')
      await record('cpc1', fixture.children.c1, '2023-09-06', 'cp_chair')
      expect(await statuses('cpc1', fixture.children.c1, 'cp_chair')).toEqual([
        '1.1:2022-07-01:done',
        '1.2:2022-11-01:done_late',
        '1.3:2023-03-01:missed',
        '2.1:2023-09-01:done_late',
        '2.2:2024-03-01:due',
      ])
      // Two checks in year 2, six months apart; year 3 begins on the plan's anniversary.
      at('2024-03-05')
      expect(await statuses('cpc1', fixture.children.c1, 'cp_chair')).toEqual(
        expect.arrayContaining(['2.2:2024-03-01:overdue', '3.1:2024-09-01:due']),
      )
    })

    it('runs the year of a child who comes into care part-way through a year from the day they came in', async () => {
      // C4, on a plan since 1 September 2022, comes into care on 15 July 2023 with iro2 as their IRO.
      await database.db.query('update children set looked_after_start = $1, iro_id = $2 where id = $3', [
        '2023-07-15',
        fixture.people.iro2,
        fixture.children.c4,
      ])
      at('2023-08-01')
      expect(await due('iro2')).toEqual(['C3:iro:2023-05-10:overdue', 'C4:iro:2023-11-15:due'])
      expect(await statuses('iro2', fixture.children.c4, 'iro')).toEqual(['1.1:2023-11-15:due'])
      // A CP chair's review does not count towards the IRO's checks, nor the other way round.
      await record('cpc1', fixture.children.c4, '2023-08-01', 'cp_chair')
      expect(await statuses('iro2', fixture.children.c4, 'iro')).toEqual(['1.1:2023-11-15:due'])
      at('2023-11-01')
      await record('iro2', fixture.children.c4, '2023-11-01', 'iro')
      at('2024-07-20')
      await record('iro2', fixture.children.c4, '2024-03-10', 'iro')
      expect(await statuses('iro2', fixture.children.c4, 'iro')).toEqual([
        '1.1:2023-11-15:done',
        '1.2:2024-03-15:done',
        '1.3:2024-07-15:overdue',
        '2.1:2025-01-15:due',
      ])
      // The managers see each reviewer's list, and all of them together.
      expect(await due('rsm', fixture.people.iro2)).toEqual(await due('iro2'))
      expect(await due('rsm')).toEqual(expect.arrayContaining(await due('iro2')))
    })

    it('lets only the allocated reviewer record a check, and only a manager see another reviewer’s list', async () => {
      at('2023-01-05')
      expect(await failure(record('swA', fixture.children.c2, '2023-01-05', 'iro'))).toBeInstanceOf(ForbiddenError)
      expect(await failure(record('iro2', fixture.children.c2, '2023-01-05', 'iro'))).toBeInstanceOf(NotFoundError)
      expect(await failure(record('cpc1', fixture.children.c1, '2023-01-05', 'iro'))).toBeInstanceOf(ValidationError)
      const future = (await failure(record('iro1', fixture.children.c2, '2023-01-06', 'iro'))) as ValidationError
      expect(future.errors).toEqual([
        { field: 'heldOn', message: 'The date of the check must be today or in the past' },
      ])
      const missing = (await failure(
        services.quality.recordCheck(await user('iro1'), fixture.children.c2, {
          heldOn: d('2023-01-05'),
          answers: { ...iroAnswers, safeEnough: ' ' },
          outcome: 'inadequate',
        }),
      )) as ValidationError
      expect(missing.errors.map(e => e.field)).toEqual(['answers.safeEnough'])
      expect(
        await failure(
          services.quality.checksDue(await user('iro1'), { reviewerId: fixture.people.iro2, limit: 5, offset: 0 }),
        ),
      ).toBeInstanceOf(ForbiddenError)
      expect(await failure(services.quality.checksDue(await user('swA'), { limit: 5, offset: 0 }))).toBeInstanceOf(
        ForbiddenError,
      )
      // The check is an event on the child's history.
      const id = await record('iro1', fixture.children.c2, '2023-01-04', 'iro')
      const history = await services.children.history(
        await services.children.view(await user('iro1'), fixture.children.c2, { path: '/t', ip: null }),
      )
      expect(history.find(e => e.kind === 'progress_check.recorded')).toMatchObject({
        entity_id: id,
        entity_type: 'progress_check',
      })
      const view = await services.quality.viewCheck(await user('swA'), id, { path: '/t', ip: null })
      expect(view.check.answers.map(a => a.key)).toEqual(iroCheckHeadings.map(h => h.key))
      expect(view.mayFollowUp).toBe(false)
    })
  })

  describe('significant-change notices', () => {
    const send = async (
      who: FixturePerson,
      childId: number,
      v: { kind: string; occurredOn: string; audience?: 'iro' | 'cp_chair' },
    ) =>
      services.quality.sendNotice(await user(who), childId, {
        ...v,
        occurredOn: d(v.occurredOn),
        details: 'What happened',
      })
    const inbox = async (who: FixturePerson) =>
      (await services.work.inbox(await user(who), 50, 0)).items.map(
        i => `${i.kind}:${i.subjectType}:${i.subjectId}:${i.dueOn}`,
      )

    it('counts how late a notice was in working days, across bank holidays and local closures', async () => {
      // Wednesday 5 April 2023 to Tuesday 11 April: Thursday 6, then Good Friday and Easter Monday, then Tuesday.
      at('2023-04-11')
      const easter = await send('swA', fixture.children.c2, { kind: 'missing_from_care', occurredOn: '2023-04-05' })
      expect(
        (await services.quality.viewNotice(await user('iro1'), easter, { path: '/t', ip: null })).notice
          .latenessWorkingDays,
      ).toBe(2)
      // Friday 23 December 2022 to Wednesday 28: Boxing Day and the substitute day for Christmas Day are holidays.
      at('2022-12-28')
      const christmas = await send('tmA', fixture.children.c2, { kind: 'arrest', occurredOn: '2022-12-23' })
      expect(
        (await services.quality.viewNotice(await user('iro1'), christmas, { path: '/t', ip: null })).notice
          .latenessWorkingDays,
      ).toBe(1)
      // A local closure is not a working day either.
      await services.calendar.adjust(await user('admin'), d('2023-06-02'), 'closed', 'Office move')
      at('2023-06-05')
      const closure = await send('smNorth', fixture.children.c2, { kind: 'school_exclusion', occurredOn: '2023-06-01' })
      expect(
        (await services.quality.viewNotice(await user('iro1'), closure, { path: '/t', ip: null })).notice
          .latenessWorkingDays,
      ).toBe(1)
      at('2023-06-05')
      const same = await send('swA', fixture.children.c2, { kind: 'serious_accident', occurredOn: '2023-06-05' })
      expect(
        (await services.quality.viewNotice(await user('iro1'), same, { path: '/t', ip: null })).notice
          .latenessWorkingDays,
      ).toBe(0)
    })

    it('goes only to the allocated reviewer, for the list that fits the child, from the social worker or their managers', async () => {
      at('2023-06-06')
      const before = { iro2: await inbox('iro2'), cpc1: await inbox('cpc1') }
      const id = await send('swA', fixture.children.c2, { kind: 'court_order', occurredOn: '2023-06-06' })
      expect(await inbox('iro1')).toContain(`change_notice:change_notice:${id}:null`)
      expect(await inbox('iro2')).toEqual(before.iro2)
      expect(await inbox('cpc1')).toEqual(before.cpc1)
      // The reviewer is told by email; the subject never names the child or what happened.
      const emails = await database.db.query<{ subject: string; body: string; to_address: string }>(
        `select subject, body, to_address from email_outbox where dedupe_key like $1`,
        [`n${id}:%`],
      )
      expect(emails.rows).toEqual([
        expect.objectContaining({
          to_address: 'iro1@test.example',
          subject: `Significant change notice SCN-${String(id).padStart(6, '0')}: please acknowledge`,
        }),
      ])
      expect(emails.rows[0]!.body).toContain('case ID C2')
      expect(emails.rows[0]!.body).not.toContain('c2 Child')
      // Only the social worker and their line managers may send; others are refused or cannot see the child.
      expect(
        await failure(send('iro1', fixture.children.c2, { kind: 'court_order', occurredOn: '2023-06-06' })),
      ).toBeInstanceOf(ForbiddenError)
      expect(
        await failure(send('rsm', fixture.children.c2, { kind: 'court_order', occurredOn: '2023-06-06' })),
      ).toBeInstanceOf(ForbiddenError)
      expect(
        await failure(send('swB', fixture.children.c2, { kind: 'court_order', occurredOn: '2023-06-06' })),
      ).toBeInstanceOf(NotFoundError)
      for (const manager of ['tmA', 'smNorth', 'hosNorth', 'dsc'] as const)
        expect(
          await send(manager, fixture.children.c2, { kind: 'complaint', occurredOn: '2023-06-05' }),
        ).toBeGreaterThan(0)
      // A kind from the other list, or a date in the future, is refused.
      const wrongList = (await failure(
        send('swA', fixture.children.c2, { kind: 'concerns_increased', occurredOn: '2023-06-06' }),
      )) as ValidationError
      expect(wrongList.errors).toEqual([{ field: 'kind', message: 'Select what has happened' }])
      const future = (await failure(
        send('swA', fixture.children.c2, { kind: 'arrest', occurredOn: '2023-06-07' }),
      )) as ValidationError
      expect(future.errors).toEqual([
        { field: 'occurredOn', message: 'The date it happened must be today or in the past' },
      ])
    })

    it('sends a child who is both in care and on a plan’s notices to each reviewer, by list', async () => {
      // C4 came into care (iro2) while on a plan (cpc1) in the schedule test above.
      at('2024-07-22')
      const refused = (await failure(
        send('swC', fixture.children.c4, { kind: 'court_order', occurredOn: '2024-07-22' }),
      )) as ValidationError
      expect(refused.errors).toEqual([{ field: 'audience', message: 'Select who the notice is for' }])
      const toChair = await send('swC', fixture.children.c4, {
        kind: 'concerns_increased',
        occurredOn: '2024-07-19',
        audience: 'cp_chair',
      })
      const toIro = await send('swC', fixture.children.c4, {
        kind: 'placement_change',
        occurredOn: '2024-07-19',
        audience: 'iro',
      })
      expect(await inbox('cpc1')).toContain(`change_notice:change_notice:${toChair}:null`)
      expect(await inbox('iro2')).toContain(`change_notice:change_notice:${toIro}:null`)
      expect(await inbox('iro2')).not.toContain(`change_notice:change_notice:${toChair}:null`)
      const view = await services.quality.viewNotice(await user('swC'), toChair, { path: '/t', ip: null })
      expect(view.notice).toMatchObject({
        reviewerId: fixture.people.cpc1,
        audience: 'cp_chair',
        latenessWorkingDays: 1,
      })
    })

    it('tracks the review a significant change to the plan needs, within 4 weeks, until it is held', async () => {
      at('2023-03-14')
      const id = await send('swA', fixture.children.c2, { kind: 'plan_change', occurredOn: '2023-03-10' })
      const view = async (who: FixturePerson = 'iro1') =>
        services.quality.viewNotice(await user(who), id, { path: '/t', ip: null })
      expect((await view()).notice).toMatchObject({
        reviewDueOn: '2023-04-07',
        reviewSetBy: 'policy',
        acknowledgedAt: null,
      })
      expect(await inbox('iro1')).toEqual(
        expect.arrayContaining([`change_notice:change_notice:${id}:null`, `review_due:change_notice:${id}:2023-04-07`]),
      )
      // The social worker cannot acknowledge it or act on the review. The reviewer acknowledges it on the
      // notice, where they say whether a review is needed, not with My work's Acknowledge.
      expect(await failure(services.quality.acknowledgeNotice(await user('swA'), id))).toBeInstanceOf(ForbiddenError)
      const item = (await services.work.inbox(await user('iro1'), 50, 0)).items.find(
        i => i.kind === 'change_notice' && i.subjectId === id,
      )!
      expect(await failure(services.work.acknowledge(await user('iro1'), item.id))).toBeInstanceOf(NotFoundError)
      expect((await view()).notice.acknowledgedAt).toBeNull()
      await services.quality.acknowledgeNotice(await user('iro1'), id)
      expect((await view()).notice.acknowledgedAt).not.toBeNull()
      expect(await failure(services.quality.acknowledgeNotice(await user('iro1'), id))).toBeInstanceOf(ConflictError)
      // The reviewer brings the review forward; the task moves with it. A stale version is a conflict.
      const version = (await view()).notice.version
      await services.quality.setReviewDue(await user('iro1'), id, version, d('2023-04-03'))
      expect(
        await failure(services.quality.setReviewDue(await user('iro1'), id, version, d('2023-04-04'))),
      ).toBeInstanceOf(ConflictError)
      expect(
        await failure(services.quality.setReviewDue(await user('iro1'), id, version + 1, d('2023-03-13'))),
      ).toBeInstanceOf(ValidationError)
      expect(await inbox('iro1')).toContain(`review_due:change_notice:${id}:2023-04-03`)
      expect((await view('swA')).notice).toMatchObject({ reviewDueOn: '2023-04-03', reviewSetBy: 'reviewer' })
      // Held: the task closes and the notice keeps the date.
      at('2023-04-05')
      const current = (await view()).notice.version
      expect(
        await failure(services.quality.recordReviewHeld(await user('swA'), id, current, d('2023-04-04'))),
      ).toBeInstanceOf(ForbiddenError)
      await services.quality.recordReviewHeld(await user('iro1'), id, current, d('2023-04-04'))
      expect((await inbox('iro1')).filter(i => i.includes(`:${id}:`))).toEqual([])
      expect((await view()).notice).toMatchObject({ reviewHeldOn: '2023-04-04', reviewDueOn: '2023-04-03' })
      expect(
        await failure(services.quality.recordReviewHeld(await user('iro1'), id, current + 1, d('2023-04-05'))),
      ).toBeInstanceOf(ConflictError)
      const kinds = (await view()).events.map(e => e.kind)
      expect(kinds).toEqual(
        expect.arrayContaining([
          'change_notice.sent',
          'work.acknowledged',
          'change_notice.review_requested',
          'change_notice.review_held',
        ]),
      )
    })

    it('lets the reviewer say a review is needed when acknowledging a notice the policy asks none for', async () => {
      at('2023-05-02')
      const id = await send('swA', fixture.children.c2, { kind: 'placement_change', occurredOn: '2023-04-28' })
      const iro = await user('iro1')
      let notice = (await services.quality.viewNotice(iro, id, { path: '/t', ip: null })).notice
      expect(notice.reviewDueOn).toBeNull()
      expect(await inbox('iro1')).not.toContain(`review_due:change_notice:${id}:2023-05-26`)
      expect(await failure(services.quality.recordReviewHeld(iro, id, notice.version, d('2023-05-02')))).toBeInstanceOf(
        ConflictError,
      )
      await services.quality.acknowledgeNotice(iro, id, { version: notice.version, reviewDueOn: d('2023-05-26') })
      notice = (await services.quality.viewNotice(iro, id, { path: '/t', ip: null })).notice
      expect(notice).toMatchObject({ reviewDueOn: '2023-05-26', reviewSetBy: 'reviewer' })
      expect(notice.acknowledgedAt).not.toBeNull()
      expect(await inbox('iro1')).toContain(`review_due:change_notice:${id}:2023-05-26`)
      expect(await inbox('iro1')).not.toContain(`change_notice:change_notice:${id}:null`)
    })
  })
})
