import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueueEmails } from '../../src/db/repositories/outboxRepository.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { apiTokenFor, csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

let app: TestApp
let disputeId: number

beforeAll(async () => {
  app = await startTestApp()
  const iro = (await app.running.services.access.currentUser(app.fixture.people.iro1))!
  const { ids } = await app.running.services.disputes.raise(iro, {
    childIds: [app.fixture.children.c2],
    policyId: 'gloucestershire-2022',
    categoryKey: 'drift_delay',
    concern: 'Concern',
    impact: 'Impact',
    wishesAndFeelings: '',
    recommendedResolution: 'Resolution',
    resolutionTimescale: '5 days',
    becameAwareOn: parseIsoDate('2023-01-05'),
    startStageKey: 'formal1',
  })
  disputeId = ids[0]!
})
afterAll(async () => app.dispose())

describe('a record opened from a list', () => {
  it('has a back link to that list, its filters kept', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const list = `/supervision?reviewer=${app.fixture.people.iro1}&state=awaiting_response`
    const back = /<a href="([^"]*)" class="govuk-back-link">([^<]*)<\/a>/
    const fromList = await rsm.get(`/disputes/${disputeId}`).set('referer', `${app.url}${list}`)
    expect(back.exec(fromList.text)!.slice(1)).toEqual([list.replace(/&/g, '&amp;'), 'Supervision'])
    const direct = await rsm.get(`/disputes/${disputeId}`)
    expect(back.exec(direct.text)!.slice(1)).toEqual(['/disputes', 'Disputes'])
    // Back from a step's form (a discussion logged, say): still the list it was opened from.
    const afterStep = await rsm
      .get(`/disputes/${disputeId}`)
      .set('referer', `${app.url}/disputes/${disputeId}/discussion`)
    expect(back.exec(afterStep.text)!.slice(1)).toEqual([list.replace(/&/g, '&amp;'), 'Supervision'])
    // Not from another record's form, nor for another record.
    const otherForm = await rsm
      .get(`/disputes/${disputeId}`)
      .set('referer', `${app.url}/disputes/${disputeId + 1}/discussion`)
    expect(back.exec(otherForm.text)!.slice(1)).toEqual(['/disputes', 'Disputes'])
    const records = await rsm.get(`/disputes/${disputeId}`).set('referer', `${app.url}/work/records`)
    expect(back.exec(records.text)!.slice(1)).toEqual(['/work/records', 'My open records'])
  })
})

describe('the children list', () => {
  it('shows which children have an open dispute', async () => {
    const list = (await (await signedInAgent(app, 'tmA')).get('/children')).text
    const row = (key: 'c1' | 'c2') =>
      new RegExp(`<tr[^>]*>\\s*<td[^>]*><a[^>]*href="/children/${app.fixture.children[key]}"[\\s\\S]*?</tr>`).exec(
        list,
      )![0]
    expect(row('c2')).toContain('Open dispute')
    expect(row('c1')).not.toContain('Open dispute')
    const api = await request(app.url)
      .get('/api/children')
      .set('authorization', `Bearer ${await apiTokenFor(app, 'tmA')}`)
    const c2 = api.body.items.find((c: { id: number }) => c.id === app.fixture.children.c2)
    expect(c2.openDisputes).toBe(1)
  })
})

describe('my work pages', () => {
  it('shows the team manager what to do, due when, linking straight to the response form, with a badge count', async () => {
    const agent = await signedInAgent(app, 'tmA')
    const res = await agent.get('/work')
    expect(res.status).toBe(200)
    expect(res.text).toContain('Respond with a SMART action plan')
    expect(res.text).toContain(`href="/disputes/${disputeId}/respond"`)
    expect(res.text).toContain('12 January 2023')
    expect(res.text).toContain('5 working days left')
    expect(res.text).toMatch(/data-qa="work-count"[^>]*>\s*1\s*</)
    // Heard by a screen reader as "My work 1 item waiting".
    expect(res.text).toContain('<span class="govuk-visually-hidden"> item waiting</span>')
  })

  it('names the child to whoever may still see them, and gives only the case ID once the child has moved away', async () => {
    const agent = await signedInAgent(app, 'tmA')
    const token = await apiTokenFor(app, 'tmA')
    const shown = async () => ({
      page: /<td class="govuk-table__cell">([^<]*\(C2\)|C2)<\/td>/.exec((await agent.get('/work')).text)?.[1],
      api: (await request(app.url).get('/api/work').set('authorization', `Bearer ${token}`)).body.items.find(
        (i: { disputeId: number }) => i.disputeId === disputeId,
      )?.childName,
    })
    expect(await shown()).toEqual({ page: 'c2 Child (C2)', api: 'c2 Child' })

    // Moved to a team outside Team A's manager's branch while the response is still theirs to make.
    const move = (team: number) =>
      app.running.services.db.query('update children set team_id = $2 where id = $1', [app.fixture.children.c2, team])
    await move(app.fixture.units.teamC)
    try {
      expect(await shown()).toEqual({ page: 'C2', api: null })
    } finally {
      await move(app.fixture.units.teamA)
    }
  })

  it('lets the copied service manager acknowledge their copy', async () => {
    const agent = await signedInAgent(app, 'smNorth')
    const page = await agent.get('/work')
    // Raised at Formal Level 1, the record's first stage: named by the policy, not numbered.
    expect(page.text).toContain('Copied for information: the Formal Level 1 stage')
    const action = /action="(\/work\/\d+\/acknowledge)"/.exec(page.text)![1]!
    // The record the copy leads to offers the same acknowledgement, so it can be cleared where it is read.
    const record = (await agent.get(`/disputes/${disputeId}`)).text
    expect(record).toContain(`action="${action}"`)
    expect(record).toContain('Copied for information: the Formal Level 1 stage. Acknowledge it')
    const responsible = await signedInAgent(app, 'tmA')
    const theirs = await responsible.get(`/disputes/${disputeId}`)
    expect(theirs.status).toBe(200)
    expect(theirs.text).toContain(`Dispute DRP-${String(disputeId).padStart(6, '0')}`)
    expect(theirs.text).not.toContain('data-qa="acknowledge-notice"')
    const res = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(res.status).toBe(303)
    const after = await agent.get('/work')
    expect(after.text).toContain('Nothing is waiting for you.')
    expect(after.text).toContain('Acknowledged')
    expect((await agent.get(`/disputes/${disputeId}`)).text).not.toContain('data-qa="acknowledge-notice"')
    // Acknowledged on the record, the reader goes back to the record, told it is done.
    expect(record).toContain(`<input type="hidden" name="record" value="${disputeId}">`)
    const fromRecord = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), record: String(disputeId) })
    expect(fromRecord.headers.location).toBe(`/disputes/${disputeId}`)
    expect((await agent.get(`/disputes/${disputeId}`)).text).toContain('This was already acknowledged')
    // Only a record's own address: anything else in the field goes to My work.
    const odd = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), record: '//evil.example' })
    expect(odd.headers.location).toBe('/work')
    // The same button in a second tab, or on an old page: nothing changes, and the page says why.
    const again = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(again.status).toBe(303)
    expect(again.headers.location).toBe('/work')
    expect((await agent.get('/work')).text).toContain('This was already acknowledged')
    const events = await app.running.services.db.query(`select 1 from events where kind = 'work.acknowledged'`)
    expect(events.rows).toHaveLength(1)
    // Someone else's item is still not found.
    const other = await signedInAgent(app, 'tmA')
    const otherPage = await other.get('/work')
    expect(
      (
        await other
          .post(action)
          .type('form')
          .send({ _csrf: csrfFrom(otherPage.text) })
      ).status,
    ).toBe(404)
  })

  it('shows the reviewer their open records, and the supervision view only to the reviewing service manager', async () => {
    const iro = await signedInAgent(app, 'iro1')
    const records = await iro.get('/work/records')
    expect(records.status).toBe(200)
    expect(records.text).toContain(`DRP-${String(disputeId).padStart(6, '0')}`)
    expect(records.text).toContain('Awaiting response')
    expect(records.text).toContain('1 open record<')
    // The stage filter offers the stages of the policies each reviewer raises under.
    expect(records.text).toContain('value="stage5"') // Care First is for IROs only
    const cpcRecords = await (await signedInAgent(app, 'cpc1')).get('/work/records')
    expect(cpcRecords.text).toContain('value="resolution_meeting"')
    expect(cpcRecords.text).not.toContain('value="stage5"')
    expect(cpcRecords.text).toContain('>Chief Executive Officer<')
    expect(records.text).toContain('SMART actions</th>')
    const none = await iro.get('/work/records?state=awaiting_decision')
    expect(none.text).toContain('No open records match.')
    expect(none.text).toContain('0 open records')
    // Filtered, each list offers to clear every filter at once; unfiltered, it has nothing to clear.
    const clear = (path: string) => `<a class="govuk-link" href="${path}" data-qa="clear-filters">Clear filters</a>`
    expect(none.text).toContain(clear('/work/records'))
    expect(records.text).not.toContain('data-qa="clear-filters"')
    expect((await iro.get('/supervision')).status).toBe(403)
    const rsm = await signedInAgent(app, 'rsm')
    const supervision = await rsm.get(`/supervision?reviewer=${app.fixture.people.iro1}&state=awaiting_response`)
    expect(supervision.status).toBe(200)
    expect(supervision.text).toContain(clear('/supervision'))
    expect((await rsm.get('/supervision')).text).not.toContain('data-qa="clear-filters"')
    expect(supervision.text).toContain(`DRP-${String(disputeId).padStart(6, '0')}`)
    // A page past the last (an old bookmark, a list that shrank) goes to the last page, filters kept,
    // not to an empty table under a count of records.
    const past = await rsm.get(`/supervision?reviewer=${app.fixture.people.iro1}&state=awaiting_response&page=7`)
    expect(past.status).toBe(302)
    expect(past.headers.location).toBe(
      `/supervision?reviewer=${app.fixture.people.iro1}&state=awaiting_response&page=1`,
    )
    expect((await iro.get('/work/records?page=3')).headers.location).toBe('/work/records?page=1')
    expect((await iro.get('/work?page=2')).headers.location).toBe('/work?page=1')
    expect((await iro.get('/work/records?state=awaiting_decision&page=2')).headers.location).toBe(
      '/work/records?state=awaiting_decision&page=1',
    )
    // The stages in each policy's order: Care First's Stage 5 straight after its Stage 4, not after the
    // CP protocol's last stage.
    const stageSelect = /<select[^>]*name="stage"[^>]*>([\s\S]*?)<\/select>/.exec(
      (await (await signedInAgent(app, 'rsm')).get('/supervision')).text,
    )![1]!
    const stageKeys = [...stageSelect.matchAll(/value="([^"]*)"/g)].map(m => m[1])
    expect(stageKeys).toEqual([
      '',
      'informal',
      'formal1',
      'formal2',
      'formal3',
      'formal4',
      'stage1',
      'stage2',
      'stage3',
      'stage4',
      'stage5',
      'team_manager',
      'resolution_meeting',
      'head_of_service',
      'assistant_director',
      'director',
      'chief_executive',
    ])
    const refused = await (await signedInAgent(app, 'tmA')).get('/work/records')
    expect(refused.status).toBe(403)
    // Not the administrator's message: the page says this is about the person's role.
    expect(refused.text).toContain('Your role does not give you access to this page.')
    expect(refused.text).not.toContain('administrator can')
  })

  it('lists overdue responses for supervision by the same reviewer, team and stage as the filters', async () => {
    app.clock.set(new Date('2023-01-20T09:00:00Z'))
    try {
      const rsm = await signedInAgent(app, 'rsm')
      const reference = `DRP-${String(disputeId).padStart(6, '0')}`
      const overdueTable = (html: string) => /data-qa="overdue-records"[\s\S]*?<\/table>/.exec(html)![0]
      const theirs = await rsm.get(`/supervision?reviewer=${app.fixture.people.iro1}`)
      // Stages are offered by the names the policies give them, not their keys.
      expect(theirs.text).toMatch(/<option value="formal1"[^>]*>[^<]*Formal[^<]*<\/option>/)
      expect(theirs.text).not.toContain('>formal1</option>')
      expect(overdueTable(theirs.text)).toContain(reference)
      expect(theirs.text).toContain('Responses overdue (1)')
      for (const filter of [
        `reviewer=${app.fixture.people.iro2}`,
        'stage=formal2',
        `team=${app.fixture.units.teamB}`,
      ]) {
        const others = await rsm.get(`/supervision?${filter}`)
        expect(others.status).toBe(200)
        expect(others.text).toContain('Responses overdue (0)')
        expect(overdueTable(others.text)).not.toContain(reference)
      }
      // Not by state: the page says so when a state is chosen.
      const byState = await rsm.get(`/supervision?reviewer=${app.fixture.people.iro1}&state=to_finalise`)
      expect(overdueTable(byState.text)).toContain(reference)
      expect(byState.text).toContain('This list is not filtered by state')
      expect(theirs.text).not.toContain('This list is not filtered by state')
    } finally {
      app.clock.set(new Date('2023-01-05T09:00:00Z'))
    }
  })

  it('never filters by something its drop-downs cannot show: an unknown choice goes to the list without it', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const iro1 = app.fixture.people.iro1
    // Someone the manager does not supervise, a team and a stage that do not exist, a state misspelt.
    for (const [asked, kept] of [
      [`reviewer=${app.fixture.people.tmA}&state=awaiting_response`, 'state=awaiting_response&page=1'],
      [`reviewer=${iro1}&team=999999`, `reviewer=${iro1}&page=1`],
      ['stage=bogus&page=2', 'page=1'],
      ['state=overdue', 'page=1'],
      ['reviewer=xyz', 'page=1'],
    ]) {
      const res = await rsm.get(`/supervision?${asked}`)
      expect(res.status, asked).toBe(302)
      expect(res.headers.location).toBe(`/supervision?${kept}`)
    }
    expect((await rsm.get(`/supervision?reviewer=${iro1}&stage=formal1`)).status).toBe(200)
    // A reviewer's own list: a stage of a policy a CP chair does not raise under is not among its choices.
    const cpc = await signedInAgent(app, 'cpc1')
    expect((await cpc.get('/work/records?stage=stage5')).headers.location).toBe('/work/records?page=1')
    expect((await cpc.get('/work/records?stage=resolution_meeting')).status).toBe(200)
  })

  it('shows a head of service the disputes in their area left unanswered past their date', async () => {
    app.clock.set(new Date('2023-01-20T09:00:00Z'))
    const agent = await signedInAgent(app, 'hosNorth')
    const res = await agent.get('/unanswered')
    expect(res.text).toContain('Response overdue')
    // Each list under My work leads back to it.
    const backToWork = /<a href="\/work" class="govuk-back-link">My work<\/a>/
    expect(res.text).toMatch(backToWork)
    expect((await (await signedInAgent(app, 'rsm')).get('/supervision')).text).toMatch(backToWork)
    expect((await (await signedInAgent(app, 'iro1')).get('/work/records')).text).toMatch(backToWork)
    expect((await (await signedInAgent(app, 'admin')).get('/outbox')).text).toMatch(backToWork)
    expect((await (await signedInAgent(app, 'hosSouth')).get('/unanswered')).text).toContain(
      'No disputes in your area are unanswered',
    )
    expect((await (await signedInAgent(app, 'swA')).get('/unanswered')).status).toBe(403)
    app.clock.set(new Date('2023-01-05T09:00:00Z'))
  })

  it('shows an administrator, and only them, the emails written, linked from My work', async () => {
    const admin = await signedInAgent(app, 'admin')
    expect((await admin.get('/work')).text).toContain('href="/outbox"')
    const outbox = await admin.get('/outbox')
    expect(outbox.status).toBe(200)
    expect(outbox.text).toContain('<h1 class="govuk-heading-l">Emails Concord has written</h1>')
    // The dispute raised above handed over to the team manager: that email is in the outbox.
    expect(outbox.text).toContain('data-qa="email"')
    expect(outbox.text).toContain(`DRP-${String(disputeId).padStart(6, '0')}`)
    const manager = await signedInAgent(app, 'tmA')
    expect((await manager.get('/work')).text).not.toContain('href="/outbox"')
    expect((await manager.get('/outbox')).status).toBe(403)
  })

  it('saves the email choice, with an error when nothing is chosen', async () => {
    const agent = await signedInAgent(app, 'swA')
    const page = await agent.get('/settings/notifications')
    expect(page.text).toMatch(/<a href="\/work" class="govuk-back-link">My work<\/a>/)
    expect((await agent.get('/work')).text).toContain('>How you get emails</a>')
    const bad = await agent
      .post('/settings/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Select how you want to get emails')
    const good = await agent
      .post('/settings/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), preference: 'daily_digest' })
    expect(good.status).toBe(303)
    const digestChosen = (await agent.get('/settings/notifications')).text
    expect(digestChosen).toMatch(/value="daily_digest" checked/)
    // Going back to single emails is said to send what the summary holds; until then it is not mentioned.
    const held = 'Anything held for your next summary email is sent straight away.'
    expect(digestChosen).toContain(held)
    expect(page.text).not.toContain(held)
  })

  it('lets only an administrator read the outbox', async () => {
    await app.running.services.notifications.deliver(50).catch(() => undefined)
    expect((await (await signedInAgent(app, 'admin')).get('/outbox')).text).toContain('your response is needed')
    expect((await (await signedInAgent(app, 'tmA')).get('/outbox')).status).toBe(403)
    expect((await request(app.url).get('/outbox')).status).toBe(303)
  })

  it('says of an email folded into a daily digest that it was not sent on its own', async () => {
    const db = app.running.services.db
    await db.query('delete from email_outbox where digest and sent_at is null')
    await enqueueEmails(
      db,
      [1, 2].map(i => ({
        dedupeKey: `digest-part-test:${i}`,
        personId: app.fixture.people.swA,
        to: 'swA@test.example',
        subject: `Digest part ${i}`,
        body: 'Body',
        digest: true,
      })),
      new Date('2023-01-05T09:00:00Z'),
    )
    const admin = await signedInAgent(app, 'admin')
    expect((await admin.get('/outbox')).text.match(/Held for the daily digest/g)).toHaveLength(2)
    await app.running.services.notifications.sendDigests()
    const after = (await admin.get('/outbox')).text
    expect(after).not.toContain('Held for the daily digest')
    expect(after.match(/Not on its own: put into a daily digest on /g)).toHaveLength(2)
    // The digest itself is the email that is sent.
    expect(after).toContain('Concord: your daily summary (2 updates)')
  })

  // Last: its thirty emails would push the ones the tests above look for onto page 2.
  it('pages through every email, newest first', async () => {
    const db = app.running.services.db
    const before = (await db.query<{ n: number }>('select count(*)::int as n from email_outbox')).rows[0]!.n
    await enqueueEmails(
      db,
      Array.from({ length: 30 }, (_, i) => ({
        dedupeKey: `paging-test:${i}`,
        personId: app.fixture.people.tmA,
        to: 'tmA@test.example',
        subject: `Paging test email ${i}`,
        body: 'Body',
        digest: false,
      })),
      new Date('2023-01-05T09:00:00Z'),
    )
    const total = before + 30
    const admin = await signedInAgent(app, 'admin')
    const first = await admin.get('/outbox')
    expect(first.text).toContain(`Showing 1 to 25 of ${total} emails.`)
    expect(first.text.match(/data-qa="email"/g)).toHaveLength(25)
    expect(first.text).toContain('Paging test email 29')
    expect(first.text).toContain('href="/outbox?page=2"')
    const second = await admin.get('/outbox?page=2')
    expect(second.text).toContain(`Showing 26 to ${Math.min(50, total)} of ${total} emails.`)
    // Each page of the list has its own title, for tabs and history (and screen readers on arriving).
    const pages = Math.ceil(total / 25)
    expect(first.text).toContain(`<title>Emails Concord has written (page 1 of ${pages}) – Concord</title>`)
    expect(second.text).toContain(`<title>Emails Concord has written (page 2 of ${pages}) – Concord</title>`)
    expect(second.text).toContain('Paging test email 4<')
    expect(second.text).not.toContain('Paging test email 29')
    const beyond = await admin.get('/outbox?page=99')
    expect(beyond.status).toBe(302)
    expect(beyond.headers.location).toBe(`/outbox?page=${pages}`)
  })

  it('shows no response due on a record whose response is in', async () => {
    const services = app.running.services
    const tm = (await services.access.currentUser(app.fixture.people.tmA))!
    const version = (await services.disputes.view(tm, disputeId, { path: '/t', ip: null })).record.version
    await services.disputes.act(tm, disputeId, version, {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: app.fixture.people.swA, dueOn: parseIsoDate('2023-01-20') }],
    })
    const iro = await signedInAgent(app, 'iro1')
    const row = /<tr class="govuk-table__row">\s*<td[^>]*><a[^>]*>DRP-[\s\S]*?<\/tr>/.exec(
      (await iro.get('/work/records?state=awaiting_decision')).text,
    )![0]
    expect(row).toContain('Awaiting decision')
    expect(row).not.toContain('12 January 2023') // the response's due date, now met
    // The reviewer's decision is due by the record's overall deadline, 20 working days from raising.
    const work = await iro.get('/work')
    const decide = new RegExp(
      `<tr class="govuk-table__row">\\s*<td[^>]*><a[^>]*href="/disputes/${disputeId}/decide"[\\s\\S]*?</tr>`,
    )
    const decision = decide.exec(work.text)![0]
    expect(decision).toContain('2 February 2023 (overall deadline)')
    expect(decision).toContain('20 working days left')
  })
})
