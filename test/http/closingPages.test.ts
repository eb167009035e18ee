import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordsOverApi } from '../browser/recordsOverApi.js'
import { signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => app.dispose())

describe('finalising a dispute that has gone outside the system', () => {
  it('asks for the outcome first while none is recorded, and not once it is', async () => {
    const records = recordsOverApi(app)
    let record = await records.raise('iro1', {
      policyId: 'iro-care-first',
      childId: app.fixture.children.c2,
      categoryKey: 'child_plan',
      startStageKey: 'stage1',
    })
    for (const next of ['stage2', 'stage3', 'stage4', 'stage5']) record = await records.climb('iro1', record, next)
    expect(record.state.phase).toBe('outside_system')
    const iro = await signedInAgent(app, 'iro1')
    const page = await iro.get(`/disputes/${record.id}/finalise`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-qa="outcome-missing"')
    expect(page.text).toContain(`href="/disputes/${record.id}/outcome">record the outcome of the stage</a> first`)
    await records.act('iro1', record.id, {
      type: 'record_outcome',
      text: 'The director agreed a new plan.',
      resolved: false,
    })
    expect((await iro.get(`/disputes/${record.id}/finalise`)).text).not.toContain('data-qa="outcome-missing"')
  })
})
