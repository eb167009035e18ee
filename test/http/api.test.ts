import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, startTestApp, type TestApp } from '../helpers/testApp.js'

let app: TestApp
const tokens = new Map<FixturePerson, string>()
beforeAll(async () => {
  app = await startTestApp()
  for (const who of Object.keys(expectedVisibility) as FixturePerson[]) tokens.set(who, await apiTokenFor(app, who))
})
afterAll(async () => app.dispose())

const as = (who: FixturePerson) => ({ Authorization: `Bearer ${tokens.get(who)}` })
const allChildren = ['c1', 'c2', 'c3', 'c4'] as const

describe('the OpenAPI document', () => {
  it('describes children, people and teams and is served without a token', async () => {
    const res = await request(app.url).get('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/children',
        '/api/children/{id}',
        '/api/people',
        '/api/people/{id}',
        '/api/teams',
        '/api/teams/{id}',
      ]),
    )
    expect(res.body.components.schemas.ChildInput.required).toEqual(
      expect.arrayContaining(['caseId', 'givenName', 'familyName']),
    )
  })
})

describe('authentication', () => {
  it('refuses a missing, unknown or revoked token with a 401 problem', async () => {
    for (const header of [undefined, 'Bearer nope', 'Basic abc']) {
      const req = request(app.url).get('/api/children')
      const res = await (header ? req.set('Authorization', header) : req)
      expect(res.status).toBe(401)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' })
    }
    const token = await apiTokenFor(app, 'swB')
    expect((await request(app.url).get('/api/children').set('Authorization', `Bearer ${token}`)).status).toBe(200)
    await app.running.services.db.query('update api_tokens set revoked_at = now() where person_id = $1', [
      app.fixture.people.swB,
    ])
    expect((await request(app.url).get('/api/children').set('Authorization', `Bearer ${token}`)).status).toBe(401)
    tokens.set('swB', await apiTokenFor(app, 'swB'))
  })
})

describe.each(Object.keys(expectedVisibility) as FixturePerson[])('what %s may do through the API', who => {
  it('lists and reads exactly the allowed children', async () => {
    const list = await request(app.url).get('/api/children?pageSize=100').set(as(who))
    expect(list.status).toBe(200)
    const seen = (list.body.items as { caseId: string }[])
      .map(c => c.caseId.toLowerCase())
      .filter(c => /^c\d$/.test(c))
      .sort()
    expect(seen).toEqual([...expectedVisibility[who]].sort())
    for (const key of allChildren) {
      const res = await request(app.url).get(`/api/children/${app.fixture.children[key]}`).set(as(who))
      expect(res.status, key).toBe(expectedVisibility[who].includes(key) ? 200 : 404)
    }
  })

  it('changes data only as an administrator', async () => {
    const res = await request(app.url)
      .post('/api/teams')
      .set(as(who))
      .send({ name: `Team by ${who}`, kind: 'team', parentId: app.fixture.units.southService })
    expect(res.status).toBe(who === 'admin' ? 201 : 403)
  })
})

describe('children through the API', () => {
  it('answers invalid input with a 400 and a message per field', async () => {
    const res = await request(app.url)
      .post('/api/children')
      .set(as('admin'))
      .send({ caseId: 'bad id!', dateOfBirth: '2020-02-30', teamId: 'x' })
    expect(res.status).toBe(400)
    const m = errorMessages.child
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'caseId', message: m.caseId.format },
        { field: 'givenName', message: m.givenName.required },
        { field: 'familyName', message: m.familyName.required },
        { field: 'dateOfBirth', message: m.dateOfBirth.invalid },
        { field: 'teamId', message: m.teamId.unknown },
      ]),
    )
  })

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await request(app.url)
      .post('/api/children')
      .set(as('admin'))
      .set('Content-Type', 'application/json')
      .send('{"caseId":')
    expect(res.status).toBe(400)
    expect(res.body.title).toBe('Bad Request')
  })

  it('creates, reads and updates a child, detecting a stale version with a 409', async () => {
    const created = await request(app.url).post('/api/children').set(as('admin')).send({
      caseId: 'API-1',
      givenName: 'Api',
      familyName: 'Child',
      dateOfBirth: '2016-07-08',
      teamId: app.fixture.units.teamC,
      socialWorkerId: app.fixture.people.swC,
      cpPlanStart: '2022-11-01',
      cpChairId: app.fixture.people.cpc1,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      caseId: 'API-1',
      team: { name: 'Team C' },
      cpChair: { id: app.fixture.people.cpc1 },
      version: 1,
    })
    const id = created.body.id as number
    const body = {
      ...created.body,
      teamId: app.fixture.units.teamC,
      socialWorkerId: app.fixture.people.swC,
      cpChairId: app.fixture.people.cpc1,
    }
    delete body.team
    delete body.socialWorker
    delete body.cpChair
    delete body.iro
    delete body.id
    delete body.siblingGroupId
    const updated = await request(app.url)
      .put(`/api/children/${id}`)
      .set(as('admin'))
      .send({ ...body, givenName: 'Renamed' })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ givenName: 'Renamed', version: 2 })
    const stale = await request(app.url)
      .put(`/api/children/${id}`)
      .set(as('admin'))
      .send({ ...body, givenName: 'Lost update' })
    expect(stale.status).toBe(409)
    expect((await request(app.url).get(`/api/children/${id}`).set(as('swC'))).body.givenName).toBe('Renamed')
    expect((await request(app.url).get(`/api/children/${id}`).set(as('swA'))).status).toBe(404)
  })

  it('pages results', async () => {
    const first = await request(app.url).get('/api/children?pageSize=2&page=1').set(as('dsc'))
    const second = await request(app.url).get('/api/children?pageSize=2&page=2').set(as('dsc'))
    expect(first.body.items).toHaveLength(2)
    expect(first.body.total).toBeGreaterThanOrEqual(4)
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id)
  })
})

describe('people and teams through the API', () => {
  it('lets an administrator add a person with roles, and refuses a duplicate email', async () => {
    const body = {
      givenName: 'Api',
      familyName: 'Person',
      email: 'api.person@test.example',
      roles: ['iro'],
      unitId: app.fixture.units.reviewingTeam,
    }
    const created = await request(app.url).post('/api/people').set(as('admin')).send(body)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ roles: ['iro'], unit: { id: app.fixture.units.reviewingTeam } })
    const again = await request(app.url).post('/api/people').set(as('admin')).send(body)
    expect(again.status).toBe(400)
    expect(again.body.errors).toEqual([{ field: 'email', message: errorMessages.person.email.taken }])
  })

  it('lists teams with their managers', async () => {
    const res = await request(app.url).get('/api/teams').set(as('swA'))
    const teamA = (res.body.items as { id: number; manager: { id: number } | null }[]).find(
      t => t.id === app.fixture.units.teamA,
    )
    expect(teamA?.manager?.id).toBe(app.fixture.people.tmA)
  })
})
