import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { newConcern } from '../factories/concerns.js'
import { csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

type Agent = Awaited<ReturnType<typeof signedInAgent>>

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
  // c1 and c4, both on cpc1's child protection plans, are siblings here.
  await app.running.services.db.query('update children set sibling_group_id = $1 where id = any($2)', [
    app.fixture.siblings,
    [app.fixture.children.c1, app.fixture.children.c4],
  ])
})
afterAll(async () => app.dispose())

/** Raised by cpc1 for both siblings at stage 2 of the chairs' policy, so each waits for pre-approval. */
async function raiseForSiblings(): Promise<[number, number]> {
  const services = app.running.services
  const cpc = (await services.access.currentUser(app.fixture.people.cpc1))!
  const { ids } = await services.disputes.raise(cpc, {
    childIds: [app.fixture.children.c1, app.fixture.children.c4],
    policyId: 'cpc-mosaic-2022',
    categoryKey: 'drift_and_delay',
    concern: newConcern(),
    impact: 'Impact',
    wishesAndFeelings: '',
    recommendedResolution: 'Resolution',
    resolutionTimescale: '5 days',
    becameAwareOn: parseIsoDate('2023-01-04'),
    startStageKey: 'stage2',
  })
  return [ids[0]!, ids[1]!]
}

const phaseOf = async (id: number) =>
  (await app.running.services.db.query<{ phase: string }>('select phase from disputes where id = $1', [id])).rows[0]!
    .phase

/** The approve page, then its form sent with the page's token and version and these fields. */
async function approve(agent: Agent, id: number, fields: Record<string, string | string[]>) {
  const page = await agent.get(`/disputes/${id}/approve`)
  const version = /name="version" value="(\d+)"/.exec(page.text)![1]!
  const sent = await agent
    .post(`/disputes/${id}/approve`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...fields })
  return { page, sent }
}

describe('pre-approval of siblings raised together', () => {
  it('is offered for the linked records too, ticked, and given for them in one step', async () => {
    const [first, second] = await raiseForSiblings()
    const rsm = await signedInAgent(app, 'rsm')
    const { page, sent } = await approve(rsm, first, { note: 'Agreed for both.', alsoForIds: [String(second)] })
    expect(page.text).toContain('Give the same pre-approval for the linked records')
    expect(page.text).toMatch(new RegExp(`value="${second}" checked`))
    expect(page.text).toContain(`DRP-${String(second).padStart(6, '0')}: c4 Child`)
    expect(sent.status).toBe(303)
    expect(await phaseOf(first)).not.toBe('awaiting_pre_approval')
    expect(await phaseOf(second)).not.toBe('awaiting_pre_approval')
    const record = await rsm.get(`/disputes/${second}`)
    expect(record.text).toContain('Agreed for both.')
    // Nothing is left waiting in the manager's work for either record.
    const inbox = await app.running.services.work.inbox(
      (await app.running.services.access.currentUser(app.fixture.people.rsm))!,
      50,
      0,
    )
    expect(inbox.items.filter(i => i.kind === 'pre_approve' && [first, second].includes(i.disputeId!))).toEqual([])
  })

  it('leaves an unticked record waiting, and refuses one that is not waiting for this pre-approval', async () => {
    const [first, second] = await raiseForSiblings()
    const rsm = await signedInAgent(app, 'rsm')
    expect((await approve(rsm, first, { note: '' })).sent.status).toBe(303)
    expect(await phaseOf(first)).not.toBe('awaiting_pre_approval')
    expect(await phaseOf(second)).toBe('awaiting_pre_approval')

    // The other record's page no longer offers the first, which is not waiting any more; sent anyway,
    // nothing is given for either.
    const { page, sent } = await approve(rsm, second, { note: '', alsoForIds: [String(first)] })
    expect(page.text).not.toContain('Give the same pre-approval for the linked records')
    expect(sent.status).toBe(422)
    expect(sent.text).toContain(errorMessages.dispute.refusals.linked_not_awaiting)
    expect(await phaseOf(second)).toBe('awaiting_pre_approval')
  })
})

describe('a linked record waiting to reach another stage', () => {
  it('is neither offered nor given the pre-approval', async () => {
    const [first, second] = await raiseForSiblings()
    // As if the second had gone on alone and now waited to reach the stage above.
    await app.running.services.db.query(
      `update disputes set state = jsonb_set(state, '{pending,stageKey}', '"stage3"') where id = $1`,
      [second],
    )
    const rsm = await signedInAgent(app, 'rsm')
    const { page, sent } = await approve(rsm, first, { note: '', alsoForIds: [String(second)] })
    expect(page.text).not.toContain('Give the same pre-approval for the linked records')
    expect(sent.status).toBe(422)
    expect(await phaseOf(first)).toBe('awaiting_pre_approval')
    expect(await phaseOf(second)).toBe('awaiting_pre_approval')
  })
})

describe('withdrawing a request for pre-approval for siblings raised together', () => {
  /** The withdraw page, then its form sent with the page's token and version and these fields. */
  async function withdraw(agent: Agent, id: number, fields: Record<string, string | string[]>) {
    const page = await agent.get(`/disputes/${id}/withdraw-request`)
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!
    const sent = await agent
      .post(`/disputes/${id}/withdraw-request`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, ...fields })
    return { page, sent }
  }

  it('offers the reviewer’s linked records too, ticked, and withdraws for them in one step', async () => {
    const [first, second] = await raiseForSiblings()
    const cpc = await signedInAgent(app, 'cpc1')
    const { page, sent } = await withdraw(cpc, first, { reason: 'Settled for both.', alsoForIds: [String(second)] })
    expect(page.text).toContain('Withdraw it for the linked records too')
    expect(page.text).toMatch(new RegExp(`value="${second}" checked`))
    expect(sent.status).toBe(303)
    expect(await phaseOf(first)).toBe('awaiting_decision')
    expect(await phaseOf(second)).toBe('awaiting_decision')
    expect((await cpc.get(`/disputes/${first}`)).text).toContain(
      'Request for pre-approval withdrawn for 2 linked records',
    )
  })

  it('leaves an unticked record waiting, and is not offered to the pre-approver', async () => {
    const [first, second] = await raiseForSiblings()
    const cpc = await signedInAgent(app, 'cpc1')
    expect((await withdraw(cpc, first, { reason: 'Only this one.' })).sent.status).toBe(303)
    expect(await phaseOf(first)).toBe('awaiting_decision')
    expect(await phaseOf(second)).toBe('awaiting_pre_approval')
    // The manager answers; withdrawing is the reviewer's to do.
    const rsm = await signedInAgent(app, 'rsm')
    expect((await rsm.get(`/disputes/${second}/withdraw-request`)).status).toBe(409)
  })
})
