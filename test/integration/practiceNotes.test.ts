import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { eventsForChild } from '../../src/db/repositories/eventRepository.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/services/errors.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { fastHasher, type Fixture, type FixturePerson, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'

const m = errorMessages.notes
const access = { path: '/t', ip: null }

describe.each(databaseKinds())('good practice notes, reciprocal notes and concerns on %s', kind => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  const mailer = new RecordingMailer()
  const clock = new SettableClock(new Date('2023-01-05T10:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase(kind)
    fixture = await loadFixture(database.db)
    services = buildServices(database.db, clock, loadConfig({ NODE_ENV: 'test' }), fastHasher, shippedPolicies(), {
      mailer,
    })
  })
  afterAll(async () => database.dispose())
  beforeEach(() => {
    mailer.sent.length = 0
  })

  const user = async (who: FixturePerson) => (await services.access.currentUser(fixture.people[who]))!
  const email = (who: FixturePerson) => `${who}@test.example`
  const inbox = async (who: FixturePerson) => (await services.work.inbox(await user(who), 100, 0)).items
  const note = {
    about: 'social_worker' as const,
    categoryKey: 'participation',
    goodPractice: 'The social worker met the children every week and listened to them.',
    impact: 'Both children now take part in their reviews.',
  }

  it('sends a note to the social worker, copying the team manager: an item to acknowledge and an email each', async () => {
    const iro = await user('iro1')
    const { ids } = await services.notes.write(iro, { ...note, childIds: [fixture.children.c2] })
    expect(ids).toHaveLength(1)
    const id = ids[0]!
    const view = await services.notes.view(iro, id, access)
    expect(view.note).toMatchObject({
      kind: 'good_practice',
      childId: fixture.children.c2,
      subjectPersonId: fixture.people.swA,
      subjectUnitId: null,
      categoryKey: 'participation',
      authorId: fixture.people.iro1,
    })
    expect(view.recipients.map(r => [r.personId, r.copy])).toEqual([
      [fixture.people.swA, false],
      [fixture.people.tmA, true],
    ])

    const sw = (await inbox('swA')).find(i => i.subjectType === 'practice_note' && i.subjectId === id)!
    expect(sw).toMatchObject({ kind: 'practice_note', needsAck: true, childId: fixture.children.c2 })
    const tm = (await inbox('tmA')).find(i => i.subjectType === 'practice_note' && i.subjectId === id)!
    expect(tm).toMatchObject({ kind: 'practice_note_copy', needsAck: true })
    expect((await inbox('iro1')).some(i => i.subjectId === id && i.subjectType === 'practice_note')).toBe(false)

    await services.notifications.deliver(100)
    const toSw = mailer.to(email('swA'))
    expect(toSw).toHaveLength(1)
    expect(toSw[0]!.subject).toBe(`Good practice note NOTE-${String(id).padStart(6, '0')}: about your practice`)
    expect(toSw[0]!.text).toContain('case ID C2')
    expect(toSw[0]!.text).toContain(`/notes/${id}`)
    expect(mailer.to(email('tmA'))[0]!.subject).toContain('for your information')
    for (const sent of mailer.sent) expect(sent.subject).not.toMatch(/c2|Child/i)

    // On the child's history and page.
    const history = await eventsForChild(database.db, fixture.children.c2)
    expect(history.some(e => e.kind === 'practice_note.written' && e.entity_id === id)).toBe(true)
    expect((await services.notes.forChild(iro, fixture.children.c2)).map(n => n.id)).toContain(id)

    // The social worker acknowledges it; the note records when.
    await services.work.acknowledge(await user('swA'), sw.id)
    expect((await inbox('swA')).some(i => i.id === sw.id)).toBe(false)
    const after = await services.notes.view(await user('swA'), id, access)
    expect(after.recipients.find(r => r.personId === fixture.people.swA)!.acknowledgedAt).not.toBeNull()
    expect(after.recipients.find(r => r.personId === fixture.people.tmA)!.acknowledgedAt).toBeNull()
    expect(after.openItemId).toBeUndefined()
    expect((await services.notes.view(await user('tmA'), id, access)).openItemId).toBe(tm.id)
    expect(after.events.map(e => e.kind)).toEqual(['work.acknowledged', 'practice_note.written'])
  })

  it('sends a note about the team to the team manager only, and holds the email for a digest when chosen', async () => {
    await services.work.setPreference(await user('tmA'), 'daily_digest')
    const { ids } = await services.notes.write(await user('iro1'), {
      ...note,
      about: 'team',
      childIds: [fixture.children.c2],
    })
    const view = await services.notes.view(await user('tmA'), ids[0]!, access)
    expect(view.note).toMatchObject({ subjectPersonId: null, subjectUnitId: fixture.units.teamA })
    expect(view.recipients.map(r => r.personId)).toEqual([fixture.people.tmA])
    const outbox = await database.db.query<{ digest: boolean; subject: string }>(
      'select digest, subject from email_outbox where person_id = $1 order by id desc limit 1',
      [fixture.people.tmA],
    )
    expect(outbox.rows[0]).toMatchObject({ digest: true, subject: expect.stringContaining('your team’s practice') })
    await services.work.setPreference(await user('tmA'), 'immediate')
    // A team note is among the team manager's "notes about my practice".
    expect((await services.notes.aboutPerson(await user('tmA'), fixture.people.tmA)).map(n => n.id)).toContain(ids[0])
  })

  it('refuses anyone but a reviewer, an unknown category, and a child with no social worker when the note is about them', async () => {
    await expect(
      services.notes.write(await user('swA'), { ...note, childIds: [fixture.children.c2] }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      services.notes.write(await user('tmA'), { ...note, childIds: [fixture.children.c2] }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      services.notes.write(await user('iro1'), { ...note, categoryKey: 'nope', childIds: [fixture.children.c2] }),
    ).rejects.toBeInstanceOf(ValidationError)
    // A child the reviewer cannot see is not found.
    await expect(
      services.notes.write(await user('iro1'), { ...note, childIds: [fixture.children.c1] }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await database.db.query('update children set social_worker_id = null where id = $1', [fixture.children.c4])
    await expect(
      services.notes.write(await user('cpc1'), { ...note, childIds: [fixture.children.c4] }),
    ).rejects.toMatchObject({ errors: [{ field: 'about', message: m.about.noSocialWorker }] })
    await database.db.query('update children set social_worker_id = $1 where id = $2', [
      fixture.people.swC,
      fixture.children.c4,
    ])
  })

  it('writes one linked note for each sibling, each to that child’s own social worker, and refuses children who are not siblings', async () => {
    const iro = await user('iro1')
    // iro1 can see c2 only; c3 (c2's sibling) is not theirs, so it is not found.
    await expect(
      services.notes.write(iro, { ...note, childIds: [fixture.children.c2, fixture.children.c3] }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await database.db.query('update children set iro_id = $1 where id = $2', [fixture.people.iro1, fixture.children.c3])
    const { ids } = await services.notes.write(iro, { ...note, childIds: [fixture.children.c2, fixture.children.c3] })
    expect(ids).toHaveLength(2)
    const first = await services.notes.view(iro, ids[0]!, access)
    const second = await services.notes.view(iro, ids[1]!, access)
    expect(first.linked.map(n => n.id)).toEqual([ids[1]])
    expect(first.note.noteSetId).toBe(second.note.noteSetId)
    expect(second.note.childId).toBe(fixture.children.c3)
    expect(second.recipients.map(r => r.personId)).toEqual([fixture.people.swB, fixture.people.tmB])
    expect((await inbox('swB')).some(i => i.subjectId === ids[1] && i.kind === 'practice_note')).toBe(true)
    // cpc1 sees c1 and c4, who are not siblings.
    await expect(
      services.notes.write(await user('cpc1'), { ...note, childIds: [fixture.children.c1, fixture.children.c4] }),
    ).rejects.toMatchObject({ errors: [{ field: 'childIds', message: m.childIds.notSiblings }] })
    await database.db.query('update children set iro_id = $1 where id = $2', [fixture.people.iro2, fixture.children.c3])
  })

  it('shows a note to those it concerns and to whoever may see the child, and no one else', async () => {
    const { ids } = await services.notes.write(await user('cpc1'), { ...note, childIds: [fixture.children.c4] })
    const id = ids[0]!
    for (const who of ['cpc1', 'swC', 'tmC', 'smSouth', 'hosSouth', 'dsc', 'admin', 'rsm'] as const)
      expect((await services.notes.view(await user(who), id, access)).note.id, who).toBe(id)
    for (const who of ['swA', 'tmA', 'iro1', 'hosNorth', 'perf'] as const)
      await expect(services.notes.view(await user(who), id, access), who).rejects.toBeInstanceOf(NotFoundError)
    // The list is personal: written by me, to me, about me or about people I manage.
    const listed = async (who: FixturePerson) =>
      (await services.notes.list(await user(who), 100, 0)).notes.map(n => n.id).includes(id)
    expect(await listed('cpc1')).toBe(true)
    expect(await listed('swC')).toBe(true)
    expect(await listed('smSouth')).toBe(true)
    expect(await listed('admin')).toBe(false)
    expect(await listed('swA')).toBe(false)
    // "Notes about my practice": the worker, their managers and admins see every note; others only their own.
    const about = async (who: FixturePerson) =>
      (await services.notes.aboutPerson(await user(who), fixture.people.swC)).map(n => n.id).includes(id)
    expect(await about('swC')).toBe(true)
    expect(await about('tmC')).toBe(true)
    expect(await about('hosSouth')).toBe(true)
    expect(await about('admin')).toBe(true)
    expect(await about('cpc1')).toBe(true)
    expect(await about('iro1')).toBe(false)
    expect(await about('swA')).toBe(false)
  })

  it('sends a practitioner’s note about a reviewer to the reviewer and their manager', async () => {
    const sw = await user('swA')
    const id = await services.notes.sendReciprocal(sw, {
      reviewerId: fixture.people.iro1,
      categoryKey: 'key_decision_making',
      goodPractice: 'The IRO chaired a difficult review calmly.',
      impact: 'The family felt heard.',
    })
    const view = await services.notes.view(await user('iro1'), id, access)
    expect(view.note).toMatchObject({ kind: 'reciprocal', childId: null, subjectPersonId: fixture.people.iro1 })
    expect(view.recipients.map(r => [r.personId, r.copy])).toEqual([
      [fixture.people.iro1, false],
      [fixture.people.rsm, true],
    ])
    expect((await inbox('iro1')).some(i => i.subjectId === id && i.kind === 'practice_note')).toBe(true)
    expect((await inbox('rsm')).some(i => i.subjectId === id && i.kind === 'practice_note_copy')).toBe(true)
    expect((await services.notes.view(await user('headIrs'), id, access)).note.id).toBe(id)
    await expect(services.notes.view(await user('swB'), id, access)).rejects.toBeInstanceOf(NotFoundError)
    expect((await services.notes.aboutPerson(await user('iro1'), fixture.people.iro1)).map(n => n.id)).toContain(id)
    await services.notifications.deliver(100)
    expect(mailer.to(email('iro1'))[0]!.subject).toContain('about your practice')
    expect(mailer.to(email('rsm'))[0]!.subject).toContain('for your information')

    await expect(
      services.notes.sendReciprocal(await user('iro1'), {
        reviewerId: fixture.people.iro1,
        categoryKey: 'participation',
        goodPractice: 'Me',
        impact: 'Me',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      services.notes.sendReciprocal(sw, {
        reviewerId: fixture.people.swB,
        categoryKey: 'participation',
        goodPractice: 'Not a reviewer',
        impact: 'None',
      }),
    ).rejects.toMatchObject({ errors: [{ field: 'reviewerId', message: m.reviewerId.unknown }] })
  })

  it('routes a concern about a reviewer to their manager only, never onto the child’s record, and lets the manager resolve it', async () => {
    const sw = await user('swA')
    const before = await eventsForChild(database.db, fixture.children.c1, 1000)
    await expect(
      services.notes.raiseConcern(sw, {
        reviewerId: fixture.people.iro1,
        route: 'conference_complaints',
        concern: 'An IRO does not chair conferences',
        caseId: null,
      }),
    ).rejects.toMatchObject({ errors: [{ field: 'route', message: m.route.conferenceOnly }] })
    const id = await services.notes.raiseConcern(sw, {
      reviewerId: fixture.people.cpc1,
      route: 'conference_complaints',
      concern: 'The conference went ahead without the social worker’s report being considered.',
      caseId: 'C1',
    })
    const asManager = await services.notes.view(await user('rsm'), id, access)
    expect(asManager.note).toMatchObject({
      kind: 'concern',
      childId: null,
      contextCaseId: 'C1',
      route: 'conference_complaints',
    })
    expect(asManager.recipients.map(r => r.personId)).toEqual([fixture.people.rsm])
    expect(asManager.mayResolve).toBe(true)
    expect((await services.notes.view(sw, id, access)).mayResolve).toBe(false)
    // Not the reviewer, not the head of service, not administrators, not whoever sees the child.
    for (const who of ['cpc1', 'headIrs', 'admin', 'dsc', 'tmA', 'iro1'] as const) {
      await expect(services.notes.view(await user(who), id, access), who).rejects.toBeInstanceOf(NotFoundError)
      expect(
        (await services.notes.list(await user(who), 100, 0)).notes.map(n => n.id),
        who,
      ).not.toContain(id)
    }
    expect((await services.notes.aboutPerson(await user('rsm'), fixture.people.cpc1)).map(n => n.id)).not.toContain(id)
    // Nothing on the child's record or history.
    expect(await eventsForChild(database.db, fixture.children.c1, 1000)).toHaveLength(before.length)
    expect((await services.notes.forChild(await user('admin'), fixture.children.c1)).map(n => n.id)).not.toContain(id)
    const events = await database.db.query<{ child_id: number | null; data: Record<string, unknown> }>(
      `select child_id, data from events where entity_type = 'practice_note' and entity_id = $1`,
      [id],
    )
    expect(events.rows.every(e => e.child_id === null && !JSON.stringify(e.data).includes('C1'))).toBe(true)

    // A task for the manager, not a notice: it cannot be acknowledged away.
    const task = (await inbox('rsm')).find(i => i.subjectId === id && i.subjectType === 'practice_note')!
    expect(task).toMatchObject({ kind: 'practice_concern', needsAck: false, childId: null, caseId: null })
    await expect(services.work.acknowledge(await user('rsm'), task.id)).rejects.toBeInstanceOf(NotFoundError)
    await services.notifications.deliver(100)
    const sent = mailer.to(email('rsm'))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.text).not.toContain('C1')
    expect(mailer.to(email('cpc1'))).toHaveLength(0)

    // Only the manager records the informal resolution; not resolved needs the formal route.
    const version = asManager.note.version
    const outcome = { outcome: 'We met and talked it through.', resolved: false, formalRoute: null }
    await expect(services.notes.resolveConcern(sw, id, version, outcome)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(services.notes.resolveConcern(await user('rsm'), id, version, outcome)).rejects.toMatchObject({
      errors: [{ field: 'formalRoute', message: m.formalRoute.required }],
    })
    await services.notes.resolveConcern(await user('rsm'), id, version, { ...outcome, formalRoute: 'complaints' })
    const resolved = await services.notes.view(sw, id, access)
    expect(resolved.note).toMatchObject({
      resolved: false,
      formalRoute: 'complaints',
      resolvedById: fixture.people.rsm,
    })
    expect((await inbox('rsm')).some(i => i.id === task.id)).toBe(false)
    await expect(
      services.notes.resolveConcern(await user('rsm'), id, resolved.note.version, { ...outcome, resolved: true }),
    ).rejects.toBeInstanceOf(ConflictError)
    await services.notifications.deliver(100)
    expect(mailer.to(email('swA')).some(e => e.subject.includes('informal resolution recorded'))).toBe(true)
    // The reviewer cannot raise one about themself.
    await expect(
      services.notes.raiseConcern(await user('cpc1'), {
        reviewerId: fixture.people.cpc1,
        route: 'escalation_policy',
        concern: 'Me',
        caseId: null,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })
})
