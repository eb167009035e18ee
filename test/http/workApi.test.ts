import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, startTestApp, type TestApp } from '../helpers/testApp.js'

let app: TestApp
const tokens = new Map<FixturePerson, string>()
let disputeId: number

beforeAll(async () => {
  app = await startTestApp()
  for (const who of Object.keys(expectedVisibility) as FixturePerson[]) tokens.set(who, await apiTokenFor(app, who))
  const raised = await api('iro1')
    .post('/api/disputes')
    .send({
      childIds: [app.fixture.children.c2],
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      concern: 'Concern',
      impact: 'Impact',
      recommendedResolution: 'Resolution',
      resolutionTimescale: '5 days',
      becameAwareOn: '2023-01-05',
      startStageKey: 'formal1',
    })
  disputeId = raised.body.items[0].id
})
afterAll(async () => app.dispose())

function api(who: FixturePerson) {
  const auth = { Authorization: `Bearer ${tokens.get(who)}` }
  return {
    get: (path: string) => request(app.url).get(path).set(auth),
    post: (path: string) => request(app.url).post(path).set(auth),
    put: (path: string) => request(app.url).put(path).set(auth),
  }
}

describe('my work over the API', () => {
  it('gives the team manager the response to make, with its due date and working days left', async () => {
    const res = await api('tmA').get('/api/work')
    expect(res.status).toBe(200)
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'respond', disputeId, dueOn: '2023-01-12', workingDaysLeft: 5 }),
      ]),
    )
    expect((await api('tmB').get('/api/work')).body.total).toBe(0)
  })

  it('lets the copied service manager acknowledge their copy, and nobody else', async () => {
    const copy = ((await api('smNorth').get('/api/work')).body.items as { id: number; kind: string }[]).find(
      i => i.kind === 'copy',
    )!
    expect((await api('tmA').post(`/api/work/${copy.id}/acknowledge`)).status).toBe(404)
    expect((await api('smNorth').post(`/api/work/${copy.id}/acknowledge`)).status).toBe(204)
    expect((await api('smNorth').get('/api/work')).body.total).toBe(0)
    // Again (a retry): the same answer, nothing more recorded.
    expect((await api('smNorth').post(`/api/work/${copy.id}/acknowledge`)).status).toBe(204)
    expect((await api('tmA').post(`/api/work/${copy.id}/acknowledge`)).status).toBe(404)
  })

  it('shows the reviewer their records, the reviewing service manager the supervision view, and refuses others', async () => {
    const mine = await api('iro1').get('/api/work/records')
    expect(mine.body.items.map((r: { id: number }) => r.id)).toContain(disputeId)
    expect((await api('tmA').get('/api/work/records')).status).toBe(403)
    const supervision = await api('rsm').get(`/api/supervision?reviewerId=${app.fixture.people.iro1}`)
    expect(supervision.status).toBe(200)
    expect(supervision.body.items.map((r: { id: number }) => r.id)).toContain(disputeId)
    for (const who of ['tmA', 'swA', 'iro1', 'hosNorth'] as const)
      expect((await api(who).get('/api/supervision')).status, who).toBe(403)
    // A filter it cannot take is refused, not ignored (which would answer every record).
    const bad = await api('rsm').get('/api/supervision?state=overdue&reviewerId=x1&stage=formal1')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('state must be one of response_overdue')
    expect(JSON.stringify(bad.body)).toContain('reviewerId must be a whole number')
    expect((await api('iro1').get('/api/work/records?state=Awaiting')).status).toBe(400)
    // Past PostgreSQL's integer: refused here, not a database error.
    expect((await api('rsm').get('/api/supervision?teamId=3000000000')).status).toBe(400)
    expect((await api('iro1').get('/api/work/records?state=awaiting_response&stage=formal1')).status).toBe(200)
  })

  it('lists a head of service’s unanswered disputes once they are past due', async () => {
    expect((await api('hosNorth').get('/api/unanswered')).body.total).toBe(0)
    app.clock.set(new Date('2023-01-16T09:00:00Z'))
    const res = await api('hosNorth').get('/api/unanswered')
    expect(res.body.items.map((r: { id: number; state: string }) => [r.id, r.state])).toContainEqual([
      disputeId,
      'response_overdue',
    ])
    expect((await api('hosSouth').get('/api/unanswered')).body.total).toBe(0)
    expect((await api('tmA').get('/api/unanswered')).status).toBe(403)
  })

  it('saves the choice of a daily digest, and refuses anything else', async () => {
    expect((await api('tmA').put('/api/me/notification-preference').send({ preference: 'daily_digest' })).status).toBe(
      200,
    )
    const bad = await api('tmA').put('/api/me/notification-preference').send({ preference: 'hourly' })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].field).toBe('preference')
  })
})
