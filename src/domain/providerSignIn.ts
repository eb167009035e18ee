/**
 * Who a sign-in through the authority's OpenID Connect provider is, once the provider has vouched
 * for the account. The first sign-in links the provider account (issuer and subject) to the
 * person its claim (email or staff ID) matches; after that the link decides, and the claim must
 * still agree with it. A claim the account holder can change (an email, at some providers) then
 * cannot move an account onto someone else, and a second provider account cannot take over a
 * person who already signs in with another.
 */

export type ProviderSignInDecision =
  | { outcome: 'sign-in'; personId: number; newLink: boolean }
  /** No active person matches the claim. */
  | { outcome: 'unknown' }
  /** The claim and the links disagree: refused until an administrator looks. */
  | { outcome: 'mismatch'; reason: 'account_linked_to_another_person' | 'person_linked_to_another_account' }

export interface ProviderSignInFacts {
  /** The provider account's subject. */
  subject: string
  /** The person the claim matches, if any. */
  claimed: { id: number; active: boolean } | undefined
  /** The person this provider account is already linked to, if any. */
  linkedPersonId: number | undefined
  /** The subjects, at the same issuer, already linked to the claimed person. */
  claimedPersonsSubjects: readonly string[]
}

export function decideProviderSignIn(facts: ProviderSignInFacts): ProviderSignInDecision {
  const { subject, claimed, linkedPersonId, claimedPersonsSubjects } = facts
  if (linkedPersonId !== undefined) {
    if (claimed?.id !== linkedPersonId) return { outcome: 'mismatch', reason: 'account_linked_to_another_person' }
    if (!claimed.active) return { outcome: 'unknown' }
    return { outcome: 'sign-in', personId: claimed.id, newLink: false }
  }
  if (!claimed?.active) return { outcome: 'unknown' }
  if (claimedPersonsSubjects.some(s => s !== subject))
    return { outcome: 'mismatch', reason: 'person_linked_to_another_account' }
  return { outcome: 'sign-in', personId: claimed.id, newLink: true }
}
