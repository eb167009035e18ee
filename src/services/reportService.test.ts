import { describe, expect, it } from 'vitest'
import { shippedPolicies } from '../domain/policies/policyCatalogue.js'
import { mayReferToCafcass, stageWords } from './reportService.js'

describe('the words a report uses for a stage level', () => {
  const policies = shippedPolicies()

  it('uses the cross-policy levels when the report spans policies', () => {
    const words = stageWords(policies)
    expect([0, 1, 2].map(words.level)).toEqual(['Informal stage', 'Formal stage 1', 'Formal stage 2'])
    expect(words.outcome('resolved:2')).toBe('Resolved at formal stage 2')
  })

  it('uses one policy’s own names when the report is of that policy', () => {
    const words = stageWords(policies, 'cpc-protocol')
    expect([0, 1, 2, 6].map(words.level)).toEqual([
      'Informal',
      'Formal: Team Manager',
      'Resolution meeting',
      'Chief Executive Officer',
    ])
    expect(words.outcome('resolved:3')).toBe('Resolved: Head of Service')
    expect(words.outcome('cafcass')).toBe('Referred to CAFCASS')
    expect(words.level(7)).toBe('Formal stage 7')
  })

  it('falls back to the level where two versions of the policy name it differently', () => {
    const v1 = policies.find(p => p.id === 'gloucestershire-2022')!
    const v2 = { ...v1, version: 2, stages: v1.stages.map(s => (s.key === 'formal2' ? { ...s, name: 'Panel' } : s)) }
    const words = stageWords([...policies, v2], 'gloucestershire-2022')
    expect([1, 2].map(words.level)).toEqual(['Formal Level 1', 'Formal stage 2'])
  })
})

describe('whether a report may show CAFCASS referrals', () => {
  const policies = shippedPolicies()
  it('does across every policy, and for one policy only where it allows a referral', () => {
    expect(mayReferToCafcass(policies, undefined)).toBe(true)
    for (const p of policies) expect(mayReferToCafcass(policies, p.id)).toBe(p.rules.cafcass.allowed)
    expect(policies.some(p => !p.rules.cafcass.allowed)).toBe(true)
  })
})
