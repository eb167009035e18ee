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
    expect(isOnRecord(state, 6, [])).toBe(false)
  })

  it('includes the record’s own pre-approvers only while a pre-approval is awaited', () => {
    const awaiting = { ...state, phase: 'awaiting_pre_approval' as const }
    expect(isOnRecord(state, 6, [6])).toBe(false)
    expect(isOnRecord(awaiting, 6, [6, 7])).toBe(true)
    // A manager who could pre-approve someone else's records, but not this one's.
    expect(isOnRecord(awaiting, 6, [7])).toBe(false)
  })
})
