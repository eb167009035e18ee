import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decideProviderSignIn, type ProviderSignInFacts } from './providerSignIn.js'

const active = (id: number) => ({ id, active: true })

describe('signing in through the provider', () => {
  it('links a new provider account to the active person its claim matches', () => {
    expect(
      decideProviderSignIn({
        subject: 's1',
        claimed: active(7),
        linkedPersonId: undefined,
        claimedPersonsSubjects: [],
      }),
    ).toEqual({ outcome: 'sign-in', personId: 7, newLink: true })
  })

  it('signs a linked account in while its claim still names the same person', () => {
    expect(
      decideProviderSignIn({ subject: 's1', claimed: active(7), linkedPersonId: 7, claimedPersonsSubjects: ['s1'] }),
    ).toEqual({ outcome: 'sign-in', personId: 7, newLink: false })
  })

  it('refuses a linked account whose claim now names someone else, or nobody', () => {
    for (const claimed of [active(8), undefined, { id: 8, active: false }])
      expect(decideProviderSignIn({ subject: 's1', claimed, linkedPersonId: 7, claimedPersonsSubjects: [] })).toEqual({
        outcome: 'mismatch',
        reason: 'account_linked_to_another_person',
      })
  })

  it('refuses a new provider account claiming a person who signs in with another', () => {
    expect(
      decideProviderSignIn({
        subject: 's2',
        claimed: active(7),
        linkedPersonId: undefined,
        claimedPersonsSubjects: ['s1'],
      }),
    ).toEqual({ outcome: 'mismatch', reason: 'person_linked_to_another_account' })
  })

  it('refuses anyone Concord holds no active record of', () => {
    expect(
      decideProviderSignIn({
        subject: 's1',
        claimed: undefined,
        linkedPersonId: undefined,
        claimedPersonsSubjects: [],
      }),
    ).toEqual({ outcome: 'unknown' })
    expect(
      decideProviderSignIn({
        subject: 's1',
        claimed: { id: 7, active: false },
        linkedPersonId: 7,
        claimedPersonsSubjects: ['s1'],
      }),
    ).toEqual({ outcome: 'unknown' })
  })

  it('never signs anyone in as a person other than the one the claim matches, nor over another link', () => {
    const facts = fc.record({
      subject: fc.constantFrom('s1', 's2', 's3'),
      claimed: fc.option(fc.record({ id: fc.integer({ min: 1, max: 4 }), active: fc.boolean() }), { nil: undefined }),
      linkedPersonId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      claimedPersonsSubjects: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3')),
    })
    fc.assert(
      fc.property(facts, (f: ProviderSignInFacts) => {
        const decision = decideProviderSignIn(f)
        if (decision.outcome !== 'sign-in') return
        expect(decision.personId).toBe(f.claimed?.id)
        expect(f.claimed?.active).toBe(true)
        if (f.linkedPersonId !== undefined) expect(f.linkedPersonId).toBe(decision.personId)
        else expect(f.claimedPersonsSubjects.filter(s => s !== f.subject)).toEqual([])
        expect(decision.newLink).toBe(f.linkedPersonId === undefined)
      }),
    )
  })
})
