import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { iroCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

// The app's day is Thursday 5 January 2023; records are kept 6 years after a case closed (the default),
// so a case closed on or before 5 January 2017 is past retention.
let app: TestApp
const tokens = new Map<FixturePerson, string>()
const everyone = Object.keys(expectedVisibility) as FixturePerson[]

beforeAll(async () => {
  app = await startTestApp()
  for (const who of everyone) tokens.set(who, await apiTokenFor(app, who))
})
afterAll(async () => app.dispose())

const api = (who: FixturePerson) => {
  const auth = { Authorization: `Bearer ${tokens.get(who)}` }
  return {
    get: (path: string) => request(app.url).get(path).set(auth),
    post: (path: string, body: object) => request(app.url).post(path).set(auth).send(body),
  }
}
const db = () => app.running.services.db

/** Everything found anywhere in a JSON value: every key's value, at any depth. */
function* walk(value: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, value]
  if (Array.isArray(value)) for (const v of value) yield* walk(v, key)
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* walk(v, k)
}

describe('subject access export', () => {
  beforeAll(async () => {
    const { c2, c3 } = app.fixture.children
    // C2 and C3 are siblings; iro1 reviews both, so one dispute and one note cover both children.
    await db().query('update children set iro_id = $1 where id = $2', [app.fixture.people.iro1, c3])
    const policy = shippedPolicies().find(p => p.id === 'iro-care-first')!
    const raised = await api('iro1').post('/api/disputes', {
      concern: 'The plan for both children has drifted.',
      impact: 'They are waiting for a stable placement.',
      wishesAndFeelings: 'They want to stay together.',
      recommendedResolution: 'Complete the permanence assessment.',
      resolutionTimescale: 'Within 20 working days',
      childIds: [c2, c3],
      policyId: policy.id,
      categoryKey: policy.categories[0]!.key,
      becameAwareOn: '2023-01-05',
      startStageKey: policy.stages[0]!.key,
    })
    expect(raised.status, JSON.stringify(raised.body)).toBe(201)
    const disputeId = raised.body.items[0].id as number
    expect(
      (
        await api('iro1').post(`/api/disputes/${disputeId}/discussions`, {
          channel: 'phone',
          heldOn: '2023-01-05',
          participants: 'iro1 and swA',
          summary: 'Talked about the permanence plan for C2.',
        })
      ).status,
    ).toBe(201)
    const note = await api('iro1').post('/api/notes', {
      childIds: [c2, c3],
      about: 'social_worker',
      categoryKey: 'participation',
      goodPractice: 'Weekly visits to both children.',
      impact: 'They now take part in their reviews.',
    })
    expect(note.status, JSON.stringify(note.body)).toBe(201)
    const answers = Object.fromEntries(iroCheckHeadings.map(h => [h.key, 'Progress is steady']))
    for (const child of [c2, c3])
      expect(
        (await api('iro1').post(`/api/children/${child}/checks`, { heldOn: '2023-01-04', answers, outcome: 'good' }))
          .status,
      ).toBe(201)
    for (const [who, child] of [
      ['swA', c2],
      ['swB', c3],
    ] as const)
      expect(
        (
          await api(who).post(`/api/children/${child}/notices`, {
            kind: 'plan_change',
            occurredOn: '2023-01-03',
            details: 'The plan changed at the review.',
          })
        ).status,
      ).toBe(201)
    // Views of both children's records, by the web and the API.
    await (await signedInAgent(app, 'swB')).get(`/children/${c3}`)
    await (await signedInAgent(app, 'swA')).get(`/children/${c2}`)
  })

  it('gives an administrator one JSON file with each kind of data about the child, audited', async () => {
    const { c2, c3 } = app.fixture.children
    const admin = await signedInAgent(app, 'admin')
    const page = await admin.get(`/children/${c2}`)
    expect(page.text).toContain(`href="/children/${c2}/export"`)
    const res = await admin.get(`/children/${c2}/export`)
    expect(res.status).toBe(200)
    expect(res.type).toBe('application/json')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?concord-subject-access-C2-2023-01-05\.json"?$/,
    )
    expect(res.headers['cache-control']).toBe('no-store')
    const data = JSON.parse(res.text)
    expect(data.export).toMatchObject({ caseId: 'C2', exportedBy: { id: app.fixture.people.admin } })
    expect(data.child).toMatchObject({ id: c2, case_id: 'C2', given_name: 'c2', team_name: 'Team A' })
    expect(data.disputes).toHaveLength(1)
    expect(data.disputes[0].record).toMatchObject({ child_id: c2, concern: 'The plan for both children has drifted.' })
    expect(data.disputes[0].discussions[0]).toMatchObject({ summary: 'Talked about the permanence plan for C2.' })
    expect(data.disputes[0].events.length).toBeGreaterThan(0)
    expect(data.practiceNotes).toHaveLength(1)
    expect(data.practiceNotes[0].record).toMatchObject({ child_id: c2, practice: 'Weekly visits to both children.' })
    expect(data.practiceNotes[0].recipients.length).toBeGreaterThan(0)
    expect(data.progressChecks).toHaveLength(1)
    expect(data.progressChecks[0].record).toMatchObject({ child_id: c2, outcome: 'good' })
    expect(data.changeNotices).toHaveLength(1)
    expect(data.changeNotices[0].record).toMatchObject({ child_id: c2, details: 'The plan changed at the review.' })
    expect(data.accessAudit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['view', 'subject_access_export']),
    )
    expect(data.childEvents.map((e: { kind: string }) => e.kind)).toContain('child.subject_access_export')
    expect(data.retentionDecisions).toEqual([])

    // Nothing about C3, though C3 shares the dispute, the note and a sibling group with C2.
    const text = res.text
    expect(text).not.toMatch(/\bC3\b/)
    expect(text).not.toMatch(/\bc3 Child\b|"c3"/)
    for (const [key, value] of walk(data))
      if (key === 'child_id' || key === 'childId') expect(value, `${key} in the export`).not.toBe(c3)
    const c3Rows = await db().query<{ id: number }>('select id from disputes where child_id = $1', [c3])
    const c3Dispute = c3Rows.rows[0]!.id
    for (const d of data.disputes) expect(d.record.id).not.toBe(c3Dispute)

    // The export itself is in the child's access audit.
    const audit = await db().query<{ action: string; person_id: number }>(
      `select action, person_id from access_audit where child_id = $1 and action = 'subject_access_export'`,
      [c2],
    )
    expect(audit.rows).toEqual([{ action: 'subject_access_export', person_id: app.fixture.people.admin }])
  })

  it('is the same file through the API, for administrators only', async () => {
    const { c2 } = app.fixture.children
    const res = await api('admin').get(`/api/children/${c2}/export`)
    expect(res.status).toBe(200)
    expect(res.body.child.case_id).toBe('C2')
    expect((await api('admin').get('/api/children/999999/export')).status).toBe(404)
    for (const who of everyone.filter(w => w !== 'admin')) {
      const refused = await api(who).get(`/api/children/${c2}/export`)
      expect(refused.status, who).toBe(403)
      expect(refused.type).toBe('application/problem+json')
    }
  })

  it('refuses every other role on the web', async () => {
    const { c2 } = app.fixture.children
    for (const who of everyone.filter(w => w !== 'admin')) {
      const agent = await signedInAgent(app, who)
      expect((await agent.get(`/children/${c2}/export`)).status, who).toBe(403)
      if (expectedVisibility[who].includes('c2'))
        expect((await agent.get(`/children/${c2}`)).text, who).not.toContain('/export"')
    }
    // Only the administrator's export was recorded.
    const exports = await db().query<{ n: number }>(
      `select count(*) as n from access_audit where action = 'subject_access_export'`,
    )
    expect(exports.rows[0]!.n).toBe(2)
  })
})

describe('records past retention', () => {
  beforeAll(async () => {
    // C4's case closed seven years ago, C1's five years ago (not yet past retention).
    await db().query(`update children set closed_on = '2016-03-01' where id = $1`, [app.fixture.children.c4])
    await db().query(`update children set closed_on = '2018-03-01' where id = $1`, [app.fixture.children.c1])
  })

  it('escapes the case ID it links, whatever the database holds', async () => {
    const { c4 } = app.fixture.children
    // Concord's forms and imports take letters, digits and hyphens only; another writer might not.
    await db().query(`update children set case_id = 'C4<i>"x"</i>' where id = $1`, [c4])
    try {
      const list = await (await signedInAgent(app, 'admin')).get('/retention')
      expect(list.text).toContain('>C4&lt;i&gt;&quot;x&quot;&lt;/i&gt;<span')
      expect(list.text).not.toContain('<i>"x"')
    } finally {
      await db().query(`update children set case_id = 'C4' where id = $1`, [c4])
    }
  })

  it('lists the records past the retention period for an administrator to decide, keeping with a reason until a date', async () => {
    const { c4 } = app.fixture.children
    const admin = await signedInAgent(app, 'admin')
    const list = await admin.get('/retention')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Concord keeps a child’s records for 6 years after their case closed.')
    expect(list.text).toContain('on or before 5 January 2017')
    expect(list.text).toContain(`href="/retention/${c4}"`)
    expect(list.text).not.toContain(`href="/retention/${app.fixture.children.c1}"`)
    expect((await admin.get(`/retention/${app.fixture.children.c1}`)).status).toBe(404)

    const form = await admin.get(`/retention/${c4}`)
    expect(form.status).toBe(200)
    const csrf = csrfFrom(form.text)
    const empty = await admin.post(`/retention/${c4}`).type('form').send({ _csrf: csrf })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Select whether to keep the records or mark them for deletion')
    expect(empty.text).toContain('Enter the reason for the decision')
    const noDate = await admin.post(`/retention/${c4}`).type('form').send({ _csrf: csrf, decision: 'keep' })
    expect(noDate.text).toContain('Enter the date to keep the records until')
    expect(noDate.text).toContain('Enter the reason for the decision')
    const past = await admin.post(`/retention/${c4}`).type('form').send({
      _csrf: csrf,
      decision: 'keep',
      reason: 'A claim is open',
      'keepUntil-day': '1',
      'keepUntil-month': '1',
      'keepUntil-year': '2023',
    })
    expect(past.status).toBe(400)
    expect(past.text).toContain('The date to keep the records until must be in the future')

    const kept = await admin.post(`/retention/${c4}`).type('form').send({
      _csrf: csrf,
      decision: 'keep',
      reason: 'A claim about the placement is open',
      'keepUntil-day': '1',
      'keepUntil-month': '2',
      'keepUntil-year': '2024',
    })
    expect(kept.status).toBe(303)
    const after = await admin.get('/retention')
    expect(after.text).toContain('data-qa="none-due"')
    expect(after.text).toContain('Kept until 1 February 2024 (admin Fixture): A claim about the placement is open')
    const events = await db().query<{ kind: string; data: { reason: string } }>(
      `select kind, data from events where child_id = $1 and kind like 'child.retention%'`,
      [c4],
    )
    expect(events.rows).toEqual([
      {
        kind: 'child.retention_kept',
        data: expect.objectContaining({ reason: 'A claim about the placement is open', keepUntil: '2024-02-01' }),
      },
    ])

    // On the date kept until, the record is due for a decision again; then it is marked for deletion.
    app.clock.set(new Date('2024-02-01T09:00:00Z'))
    try {
      const admin = await signedInAgent(app, 'admin')
      const due = await admin.get('/retention')
      expect(due.text).toContain('data-qa="retention-due"')
      const again = await admin.get(`/retention/${c4}`)
      expect(again.text).toContain('data-qa="retention-decisions"')
      const marked = await admin
        .post(`/retention/${c4}`)
        .type('form')
        .send({ _csrf: csrfFrom(again.text), decision: 'delete', reason: 'The claim is settled' })
      expect(marked.status).toBe(303)
      const list2 = await admin.get('/retention')
      expect(list2.text).toContain('data-qa="retention-deletion"')
      expect(list2.text).toContain('Marked for deletion by admin Fixture')
    } finally {
      app.clock.set(new Date('2023-01-05T09:00:00Z'))
    }
    // Nothing was deleted: the child and every record about them are still there.
    expect((await db().query('select 1 from children where id = $1', [c4])).rows).toHaveLength(1)
  })

  it('refuses every other role (403) to list, open or record a decision', async () => {
    const { c4 } = app.fixture.children
    const before = (await db().query<{ n: number }>('select count(*) as n from retention_decisions')).rows[0]!.n
    for (const who of everyone.filter(w => w !== 'admin')) {
      const agent = await signedInAgent(app, who)
      expect((await agent.get('/retention')).status, who).toBe(403)
      expect((await agent.get(`/retention/${c4}`)).status, who).toBe(403)
      const page = await agent.get('/children')
      const post = await agent
        .post(`/retention/${c4}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), decision: 'delete', reason: 'No' })
      expect(post.status, who).toBe(403)
      expect(page.text, who).not.toContain('href="/retention"')
    }
    expect((await db().query<{ n: number }>('select count(*) as n from retention_decisions')).rows[0]!.n).toBe(before)
  })
})
