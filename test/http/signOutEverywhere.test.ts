import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PasswordHasher } from '../../src/services/passwords.js'
import { fastHasher } from '../factories/organisationFixture.js'
import { apiTokenFor, csrfFrom, startTestApp, type TestApp } from '../helpers/testApp.js'

/**
 * A password check that can be held part-way, so a test can change the account between the moment a
 * sign-in reads the old password and the moment it saves its session.
 */
function holdingHasher() {
  let held: { reached: () => void; release: Promise<void> } | undefined
  const hasher: PasswordHasher = {
    hash: fastHasher.hash,
    async verify(hash, password) {
      const hold = held
      held = undefined
      if (hold) {
        hold.reached()
        await hold.release
      }
      return fastHasher.verify(hash, password)
    },
  }
  /** Holds the next check; resolves once a sign-in is inside it, with the way to let it go on. */
  const holdNext = () => {
    let release!: () => void
    const released = new Promise<void>(resolve => (release = resolve))
    return new Promise<() => void>(resolve => {
      held = { reached: () => resolve(release), release: released }
    })
  }
  return { hasher, holdNext }
}

const gate = holdingHasher()
let app: TestApp
let admin: { Authorization: string }

beforeAll(async () => {
  app = await startTestApp('pglite', {}, gate.hasher)
  admin = { Authorization: `Bearer ${await apiTokenFor(app, 'admin')}` }
})
afterAll(() => app.dispose())

const password = 'first-password-2026'

async function newPerson(email: string): Promise<number> {
  const res = await request(app.url)
    .post('/api/people')
    .set(admin)
    .send({
      givenName: 'Race',
      familyName: 'Person',
      email,
      roles: ['social_worker'],
      unitId: app.fixture.units.teamA,
      password,
    })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id
}

async function changePerson(id: number, change: Record<string, unknown>) {
  const current = await request(app.url).get(`/api/people/${id}`).set(admin)
  const { id: _id, version, givenName, familyName, email, roles, unitId, active } = current.body
  const res = await request(app.url)
    .put(`/api/people/${id}`)
    .set(admin)
    .send({ givenName, familyName, email, roles, unitId, active, version, ...change })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
}

/**
 * Signs in with `password`, doing `meanwhile` after the sign-in has read the account and before it
 * saves its session: the order a real sign-in and an administrator's change can fall in.
 */
async function signInAround(email: string, meanwhile: () => Promise<void>) {
  const agent = request.agent(app.url)
  const page = await agent.get('/sign-in')
  const inside = gate.holdNext()
  const signingIn = agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password })
    .then()
  const release = await inside
  await meanwhile()
  release()
  expect((await signingIn).status).toBe(303)
  return agent
}

const signedIn = async (agent: ReturnType<typeof request.agent>) => (await agent.get('/work')).status === 200

describe('signing someone out everywhere while they are signing in', () => {
  it('a new password set during a sign-in with the old one leaves that browser signed out', async () => {
    const email = 'race.password@test.example'
    const id = await newPerson(email)
    const agent = await signInAround(email, () => changePerson(id, { password: 'second-password-2026' }))
    const work = await agent.get('/work')
    expect(work.status).toBe(303)
    expect(work.headers.location).toBe('/sign-in')
  })

  it('a deactivation and reactivation during a sign-in leave that browser signed out', async () => {
    const email = 'race.active@test.example'
    const id = await newPerson(email)
    const agent = await signInAround(email, async () => {
      await changePerson(id, { active: false })
      await changePerson(id, { active: true })
    })
    expect(await signedIn(agent)).toBe(false)
  })

  it('a change that does not sign them out keeps the browser signed in, as does a session from before generations', async () => {
    const email = 'race.rename@test.example'
    const id = await newPerson(email)
    const agent = await signInAround(email, () => changePerson(id, { familyName: 'Renamed' }))
    expect(await signedIn(agent)).toBe(true)
    // Sessions saved before migration 0026 have no generation: they count as the first.
    await app.running.services.db.query(
      `update sessions set data = data - 'sessionGeneration' where data->>'personId' = $1`,
      [String(id)],
    )
    expect(await signedIn(agent)).toBe(true)
  })
})
