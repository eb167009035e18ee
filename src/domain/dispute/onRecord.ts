import type { Dispute } from './dispute.js'

/**
 * Whether someone is on a record, so may log a discussion on it: its reviewer, anyone a stage went to
 * or was copied to, the owners of its actions, whoever gave a pre-approval and, while one is awaited,
 * the record's own pre-approvers (`preApproverIds`: the managers in its reviewer's line the policy
 * names), not every reviewing service manager. The record page offers the form on the same rule.
 */
export function isOnRecord(
  state: Pick<Dispute, 'ownerId' | 'stages' | 'actions' | 'preApprovals' | 'phase'>,
  personId: number,
  preApproverIds: readonly number[],
): boolean {
  return (
    state.ownerId === personId ||
    state.stages.some(s => s.responsiblePersonIds.includes(personId) || s.copiedPersonIds.includes(personId)) ||
    state.actions.some(a => a.ownerId === personId) ||
    state.preApprovals.some(p => p.byPersonId === personId) ||
    (state.phase === 'awaiting_pre_approval' && preApproverIds.includes(personId))
  )
}
