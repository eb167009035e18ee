import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { cpChairCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'

const d = parseIsoDate

describe.each(databaseKinds())('reminders for reviews and progress checks on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  let second: Services
  const clock = new SettableClock(new Date('2023-01-06T09:00:00Z'))
  const ids = { planChange: 0, exclusion: 0 }

  const build = () =>
    buildServices(
      database.db,
      clock,
      loadConfig({ NODE_ENV: 'test', CONCORD_BASE_URL: 'https://concord.test' }),
      fastHasher,
      shippedPolicies(),
      { mailer: new RecordingMailer() },
    )

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    // C4's plan began on 16 September 2022, so its first quality assurance review is due on Monday 16 January 2023.
    await database.db.query(`update children set cp_plan_start = '2022-09-16' where id = $1`, [fixture.children.c4])
    services = build()
    second = build() // another instance of the service on the same database
  })
  afterAll(async () => database.dispose())

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const at = (iso: string) => clock.set(new Date(`${iso}T09:00:00Z`))
  /** The reminders sent so far, as "kind:item:date:person", in the order sent. */
  const reminders = async () =>
    (
      await database.db.query<{ reminder_key: string }>(`select reminder_key from quality_reminders_sent order by id`)
    ).rows.map(r => r.reminder_key)
  const person = (who: FixturePerson) => fixture.people[who]

  it('sends nothing early: a date six working days away over a weekend is not due yet', async () => {
    at('2023-01-06') // Friday
    const sw = await user('swA')
    // A significant change to the plan on Monday 19 December: the policy asks for a review in 4 weeks (16 January).
    ids.planChange = await services.quality.sendNotice(sw, fixture.children.c2, {
      kind: 'plan_change',
      occurredOn: d('2022-12-19'),
      details: 'The plan changed.',
    })
    // An exclusion, after which the IRO asks for a review by Friday 13 January.
    ids.exclusion = await services.quality.sendNotice(sw, fixture.children.c2, {
      kind: 'school_exclusion',
      occurredOn: d('2023-01-05'),
      details: 'Excluded for a day.',
    })
    const iro = await user('iro1')
    const exclusion = (await services.quality.viewNotice(iro, ids.exclusion, { path: '/', ip: null })).notice
    await services.quality.acknowledgeNotice(iro, ids.exclusion, {
      version: exclusion.version,
      reviewDueOn: d('2023-01-13'),
    })
    await services.notifications.tick()
    await services.notifications.tick()
    const sent = await reminders()
    // Friday 13 January is five working days away: reminded today, once.
    expect(sent.filter(k => k.startsWith('notice-review-'))).toEqual([
      `notice-review-due:${ids.exclusion}:2023-01-13:${person('iro1')}`,
    ])
    // Checks already overdue are chased once; C4's, due in six working days, is not yet.
    expect(sent.filter(k => k.startsWith('check-')).sort()).toEqual(
      [
        `check-overdue:${fixture.children.c1}:cp_chair:2022-11-01:${person('cpc1')}`,
        `check-overdue:${fixture.children.c2}:iro:2022-11-10:${person('iro1')}`,
        `check-overdue:${fixture.children.c3}:iro:2022-11-10:${person('iro2')}`,
      ].sort(),
    )
    const email = (
      await database.db.query<{ to_address: string; subject: string; body: string }>(
        `select to_address, subject, body from email_outbox where dedupe_key like 'notice-review-due-list:%'`,
      )
    ).rows[0]!
    expect(email.to_address).toBe('iro1@test.example')
    expect(email.subject).toBe(
      `Reminder: the review for notice SCN-${String(ids.exclusion).padStart(6, '0')} is due by 13 January 2023`,
    )
    expect(email.body).toContain(`https://concord.test/notices/${ids.exclusion}`)
    expect(email.body).toContain('case ID C2')
    expect(email.body).not.toContain('c2 Child')
  })

  it('sends nothing at the weekend, then what fell due on the Monday', async () => {
    const before = await reminders()
    for (const day of ['2023-01-07', '2023-01-08', '2023-01-14', '2023-01-15']) {
      at(day)
      await services.notifications.tick()
      expect(await reminders(), day).toEqual(before)
    }
    at('2023-01-09') // Monday: 16 January is five working days away (seven calendar days)
    await services.notifications.tick()
    await second.notifications.tick()
    const monday = (await reminders()).slice(before.length)
    expect(monday.sort()).toEqual(
      [
        `notice-review-due:${ids.planChange}:2023-01-16:${person('iro1')}`,
        `check-due:${fixture.children.c4}:cp_chair:2023-01-16:${person('cpc1')}`,
      ].sort(),
    )
  })

  it('alerts on the first working day after the date, once, even with two instances running together', async () => {
    const before = await reminders()
    at('2023-01-14') // Saturday, after the exclusion review fell due on Friday: nothing until Monday
    await services.notifications.tick()
    expect(await reminders()).toEqual(before)
    at('2023-01-16') // Monday: the exclusion review is overdue; the QA review for C4 is held on the day
    await services.quality.recordCheck(await user('cpc1'), fixture.children.c4, {
      kind: 'cp_chair',
      heldOn: d('2023-01-16'),
      answers: Object.fromEntries(cpChairCheckHeadings.map(h => [h.key, 'Answer'])),
      outcome: 'good',
    })
    await Promise.all([services.notifications.tick(), second.notifications.tick()])
    await Promise.all([services.notifications.quality.run(), second.notifications.quality.run()])
    expect((await reminders()).slice(before.length)).toEqual([
      `notice-review-overdue:${ids.exclusion}:2023-01-13:${person('iro1')}`,
    ])

    const monday = await reminders()
    at('2023-01-17') // Tuesday: the plan-change review is overdue; C4's check was held, so nothing for it
    await Promise.all([services.notifications.tick(), second.notifications.tick()])
    await services.notifications.quality.runCheckReminders()
    await services.notifications.quality.runReviewReminders()
    expect((await reminders()).slice(monday.length)).toEqual([
      `notice-review-overdue:${ids.planChange}:2023-01-16:${person('iro1')}`,
    ])
    const overdue = (
      await database.db.query<{ subject: string }>(
        `select subject from email_outbox where subject like 'Overdue: the review for notice SCN-${String(ids.planChange).padStart(6, '0')}%'`,
      )
    ).rows
    expect(overdue.map(r => r.subject)).toEqual([
      `Overdue: the review for notice SCN-${String(ids.planChange).padStart(6, '0')} was due by 16 January 2023`,
    ])
  })

  it('chases a review again for its new date when the reviewer moves it, and not once it is held', async () => {
    at('2023-01-18')
    const iro = await user('iro1')
    const notice = (await services.quality.viewNotice(iro, ids.planChange, { path: '/', ip: null })).notice
    await services.quality.setReviewDue(iro, ids.planChange, notice.version, d('2023-01-20'))
    const before = await reminders()
    await services.notifications.tick()
    expect((await reminders()).slice(before.length)).toEqual([
      `notice-review-due:${ids.planChange}:2023-01-20:${person('iro1')}`,
    ])
    const moved = (await services.quality.viewNotice(iro, ids.planChange, { path: '/', ip: null })).notice
    await services.quality.recordReviewHeld(iro, ids.planChange, moved.version, d('2023-01-18'))
    const held = await reminders()
    at('2023-01-23')
    await services.notifications.tick()
    expect((await reminders()).filter(k => k.startsWith('notice-review-')).length).toBe(
      held.filter(k => k.startsWith('notice-review-')).length,
    )
  })

  it('emails only what was not sent before, also what an instance of the previous version sent alone', async () => {
    // C3 moves to iro1, whose overdue check for C2 went earlier. As if an instance of the previous
    // version had sent that one (its own email, its own key, and no row in quality_reminders_sent):
    await database.db.query('update children set iro_id = $1 where id = $2', [person('iro1'), fixture.children.c3])
    const c2Key = `check-overdue:${fixture.children.c2}:iro:2022-11-10:${person('iro1')}`
    await database.db.query('delete from quality_reminders_sent where reminder_key = $1', [c2Key])
    await database.db.query(
      `insert into email_outbox (dedupe_key, person_id, to_address, subject, body, created_at, send_after)
       values ($1, $2, 'iro1@test.example', 'Overdue: a progress check was due by 10 November 2022', 'Sent alone', now(), now())`,
      [c2Key, person('iro1')],
    )
    const since = (await database.db.query<{ id: number }>('select max(id) as id from email_outbox')).rows[0]!.id
    const newEmails = async () =>
      (
        await database.db.query<{ to_address: string; subject: string; body: string }>(
          'select to_address, subject, body from email_outbox where id > $1 order by id',
          [since],
        )
      ).rows
    at('2023-01-24')
    await Promise.all([
      services.notifications.quality.runCheckReminders(),
      second.notifications.quality.runCheckReminders(),
    ])
    const emails = await newEmails()
    expect(emails.map(e => [e.to_address, e.subject])).toEqual([
      ['iro1@test.example', 'Overdue: a progress check was due by 10 November 2022'],
    ])
    expect(emails[0]!.body).toContain(`case ID C3 was due by 10 November 2022`)
    expect(emails[0]!.body).not.toContain('C2')
    await services.notifications.quality.runCheckReminders()
    expect(await newEmails()).toHaveLength(1)
  })

  it('keeps a reminder for someone deactivated until they are active again', async () => {
    // C1's chair is now iro2, who is away (deactivated): their check is not recorded as sent.
    await database.db.query('update children set cp_chair_id = $1 where id = $2', [person('iro2'), fixture.children.c1])
    await database.db.query('update people set active = false where id = $1', [person('iro2')])
    const iro2Emails = async () =>
      (
        await database.db.query<{ subject: string }>(
          `select subject from email_outbox where to_address = 'iro2@test.example'`,
        )
      ).rows.length
    const before = await iro2Emails()
    at('2023-01-25')
    await services.notifications.quality.runCheckReminders()
    expect(await iro2Emails()).toBe(before)
    expect((await reminders()).filter(k => k.endsWith(`:${person('iro2')}`) && k.includes(':cp_chair:'))).toEqual([])
    await database.db.query('update people set active = true where id = $1', [person('iro2')])
    at('2023-01-26')
    await services.notifications.quality.runCheckReminders()
    expect(await iro2Emails()).toBe(before + 1)
    expect((await reminders()).filter(k => k.endsWith(`:${person('iro2')}`) && k.includes(':cp_chair:'))).toEqual([
      `check-overdue:${fixture.children.c1}:cp_chair:2022-11-01:${person('iro2')}`,
    ])
  })
})
