import request from 'supertest'
import type { FixturePerson } from '../factories/organisationFixture.js'
import { apiTokenFor, type TestApp } from '../helpers/testApp.js'
import { newConcern } from '../factories/concerns.js'

export interface ApiRecord {
  id: number
  version: number
  state: { phase: string; currentStage: { stageKey: string; responsiblePersonIds: number[] } | null }
}

/**
 * Moves dispute records on through the JSON API, as each person would, so that a browser test can
 * open a step's page while that step is open to its viewer without filling every earlier form.
 */
export function recordsOverApi(app: TestApp) {
  const tokens = new Map<FixturePerson, string>()
  const whoIs = new Map(Object.entries(app.fixture.people).map(([k, v]) => [v, k as FixturePerson]))
  const auth = async (who: FixturePerson) => {
    if (!tokens.has(who)) tokens.set(who, await apiTokenFor(app, who))
    return { Authorization: `Bearer ${tokens.get(who)}` }
  }
  const send = async (who: FixturePerson, path: string, body?: object) => {
    const res = body
      ? await request(app.url)
          .post(path)
          .set(await auth(who))
          .send(body)
      : await request(app.url)
          .get(path)
          .set(await auth(who))
    if (res.status >= 300) throw new Error(`${who} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body as ApiRecord & { items: ApiRecord[] }
  }
  const act = async (who: FixturePerson, id: number, command: object): Promise<ApiRecord> => {
    const { version } = await send(who, `/api/disputes/${id}`)
    return send(who, `/api/disputes/${id}/commands`, { version, command })
  }
  /** The manager responsible at the record's stage answers with one action, their own. */
  const respond = async (id: number): Promise<ApiRecord> => {
    const record = await send('admin', `/api/disputes/${id}`)
    const responsibleId = record.state.currentStage!.responsiblePersonIds[0]!
    return act(whoIs.get(responsibleId)!, id, {
      type: 'respond',
      comments: 'Our response.',
      actions: [{ what: 'Convene a planning meeting', ownerId: responsibleId, dueOn: '2023-03-01' }],
    })
  }
  return {
    act,
    respond,
    /** Raises a dispute for one child, with made-up words of concern, new each time. */
    raise: async (
      who: FixturePerson,
      on: { policyId: string; childId: number; categoryKey: string; startStageKey: string },
    ): Promise<ApiRecord> => {
      const { childId, ...rest } = on
      const raised = await send(who, '/api/disputes', {
        ...rest,
        childIds: [childId],
        concern: newConcern(),
        impact: 'The child is waiting.',
        wishesAndFeelings: 'Wants to stay put.',
        recommendedResolution: 'Update the plan.',
        resolutionTimescale: 'Within 20 working days',
        becameAwareOn: '2023-01-05',
      })
      return raised.items[0]!
    },
    /** The manager answers with one action, the reviewer finds it not resolved, talks to them, and escalates. */
    async climb(reviewer: FixturePerson, record: ApiRecord, toStageKey: string): Promise<ApiRecord> {
      await respond(record.id)
      await act(reviewer, record.id, { type: 'decide_not_resolved', comments: 'Not enough.' })
      for (const channel of ['phone', 'face_to_face'])
        await send(reviewer, `/api/disputes/${record.id}/discussions`, {
          channel,
          heldOn: '2023-01-05',
          participants: 'Reviewer and manager',
          summary: 'Discussed the response.',
        })
      return act(reviewer, record.id, { type: 'escalate', toStageKey, reason: 'The response did not resolve it.' })
    },
  }
}
