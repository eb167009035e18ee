import { describe, expect, it } from 'vitest'
import { isOnRecord } from './onRecord.js'

const state = {
  ownerId: 1,
  phase: 'awaiting_response' as const,
  stages: [{ responsiblePersonIds: [2], copiedPersonIds: [3] }],
  actions: [{ ownerId: 4 }],
  preApprovals: [{ byPersonId: 5 }],
} as unknown as Parameters<typeof isOnRecord>[0]

describe('who is on a record', () => {
  it('is its reviewer, anyone a stage went to or copied, action owners and past pre-approvers', () => {
    for (const person of [1, 2, 3, 4, 5]) expect(isOnRecord(state, person, []), `person ${person}`).toBe(true)
    expect(isOnRecord(state, 6, ['team_manager'])).toBe(false)
  })

  it('includes a reviewing service manager only while a pre-approval is awaited', () => {
    expect(isOnRecord(state, 6, ['reviewing_service_manager'])).toBe(false)
    expect(isOnRecord({ ...state, phase: 'awaiting_pre_approval' }, 6, ['reviewing_service_manager'])).toBe(true)
    expect(isOnRecord({ ...state, phase: 'awaiting_pre_approval' }, 6, ['head_of_service'])).toBe(false)
  })
})
