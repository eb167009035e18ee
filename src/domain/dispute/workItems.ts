import type { IsoDate } from '../calendar/workingDays.js'
import type { Policy } from '../policies/policy.js'
import { findStage } from '../policies/policyCatalogue.js'
import type { Dispute } from './dispute.js'
import { atLastStage } from './stateMachine.js'

/**
 * What a dispute record asks of each person right now. Tasks ("respond", "decide"...) leave the
 * inbox when the work is done; notices (copies, CAFCASS) stay until the person acknowledges them.
 */
export type WorkKind =
  'respond' | 'decide' | 'escalate' | 'record_outcome' | 'finalise' | 'pre_approve' | 'action' | 'copy' | 'informed'

export interface WorkItemSpec {
  personId: number
  kind: WorkKind
  /** Which thing within the record: a stage number, an action id... unique with person and kind. */
  ref: string
  dueOn: IsoDate | null
  needsAck: boolean
  /** What it is about in words, where kind and ref do not say: the policy's name of a copy's stage, an action's words. */
  about?: string
}

export const taskKinds: readonly WorkKind[] = [
  'respond',
  'decide',
  'escalate',
  'record_outcome',
  'finalise',
  'pre_approve',
  'action',
]

export function workItemsFor(d: Dispute, preApproverIds: readonly number[], policy: Policy): WorkItemSpec[] {
  if (d.status === 'finalised') return []
  const items: WorkItemSpec[] = []
  const stageNo = String(d.stages.length)
  const stage = d.stages.at(-1)
  const task = (personId: number, kind: WorkKind, ref: string, dueOn: IsoDate | null, about?: string) =>
    items.push({ personId, kind, ref, dueOn, needsAck: false, ...(about === undefined ? {} : { about }) })

  if (d.status === 'resolved') task(d.ownerId, 'finalise', stageNo, null)
  else if (d.phase === 'awaiting_pre_approval' && d.pending)
    for (const p of preApproverIds) task(p, 'pre_approve', d.pending.stageKey, null)
  else if (stage && (d.phase === 'awaiting_response' || d.phase === 'extension'))
    for (const p of stage.responsiblePersonIds) task(p, 'respond', stageNo, stage.extension?.dueOn ?? stage.dueOn)
  else if (stage && d.phase === 'awaiting_decision') {
    // Decided not resolved: what is left to the reviewer is the next stage, or at the last one to finalise.
    const next: WorkKind =
      stage.decision?.resolved !== false ? 'decide' : atLastStage(d, policy) ? 'finalise' : 'escalate'
    // The reviewer's step has no deadline of its own; it is due by the overall one, from formally raised
    // to resolution (IRO Handbook 6.2, seed 004), where the policy sets one. Never chased by email.
    task(d.ownerId, next, stageNo, next === 'finalise' ? null : d.overallDueOn)
  } else if (stage && d.phase === 'outside_system') task(d.ownerId, 'record_outcome', stageNo, stage.dueOn)
  // A new record whose first stage was declined or withdrawn: the reviewer sends it to a stage or closes it,
  // and it is not left open with nobody asked to.
  else if (!stage && d.phase === 'awaiting_decision') task(d.ownerId, 'escalate', stageNo, null)

  // An owner of several actions on one record tells them apart by their words.
  for (const a of d.actions)
    if (a.status === 'open') task(a.ownerId, 'action', String(a.id), a.dueOn, actionAbout(a.what))

  // Notices: everyone copied at any stage, and those informed of a CAFCASS referral.
  d.stages.forEach((s, i) => {
    const about = findStage(policy, s.stageKey)?.name
    for (const p of s.copiedPersonIds)
      items.push({ personId: p, kind: 'copy', ref: String(i + 1), dueOn: null, needsAck: true, about })
  })
  for (const p of d.cafcass?.informedPersonIds ?? [])
    items.push({ personId: p, kind: 'informed', ref: 'cafcass', dueOn: null, needsAck: true })
  return items
}

/** An action's words for its inbox item, shortened on a word boundary to fit a list's row. */
export function actionAbout(what: string, max = 80): string {
  const words = what.trim().replace(/\s+/g, ' ')
  if (words.length <= max) return words
  const cut = words.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`
}
