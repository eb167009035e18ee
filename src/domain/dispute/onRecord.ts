import type { RoleKey } from '../organisation.js'
import type { Dispute } from './dispute.js'

/**
 * Whether someone is on a record, so may log a discussion on it: its reviewer, anyone a stage went to
 * or was copied to, the owners of its actions, whoever gave a pre-approval and, while one is awaited,
 * the reviewing service managers who could give it. The record page offers the form on the same rule.
 */
export function isOnRecord(
  state: Pick<Dispute, 'ownerId' | 'stages' | 'actions' | 'preApprovals' | 'phase'>,
  personId: number,
  roles: readonly RoleKey[],
): boolean {
  return (
    state.ownerId === personId ||
    state.stages.some(s => s.responsiblePersonIds.includes(personId) || s.copiedPersonIds.includes(personId)) ||
    state.actions.some(a => a.ownerId === personId) ||
    state.preApprovals.some(p => p.byPersonId === personId) ||
    (state.phase === 'awaiting_pre_approval' && roles.includes('reviewing_service_manager'))
  )
}
