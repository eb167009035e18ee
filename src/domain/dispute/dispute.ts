import type { IsoDate } from '../calendar/workingDays.js'

/**
 * A dispute record's state, as the state machine sees it. It is stored whole (JSON) with
 * the record; discussions are a separate log and reach the machine as a summary.
 */

export type DisputeStatus = 'open' | 'resolved' | 'finalised'

/** Where the current stage stands. */
export type StagePhase =
  | 'awaiting_pre_approval' // the reviewer wants to reach a stage that needs agreement first
  | 'awaiting_response' // with the responsible manager
  | 'awaiting_decision' // the manager has responded; the reviewer decides
  | 'extension' // not resolved, but extra actions agreed for a short extension
  | 'outside_system' // the stage runs outside Concord (director, chief executive); the outcome is recorded here

export type Channel = 'phone' | 'face_to_face' | 'meeting' | 'email' | 'letter'

export interface StageResponse {
  on: IsoDate
  byPersonId: number
  comments: string
  actionIds: number[]
}

export interface StageEntry {
  stageKey: string
  enteredOn: IsoDate
  dueOn: IsoDate | null
  /** Who must respond; the first is accountable. Empty when the post is vacant. */
  responsiblePersonIds: number[]
  copiedPersonIds: number[]
  /** Why the record came to this stage (raised, escalated, bypassed). */
  reason: string
  bypassed: boolean
  responses: StageResponse[]
  extension: { agreedOn: IsoDate; dueOn: IsoDate; note: string } | null
  decision: { on: IsoDate; resolved: boolean; comments: string } | null
  outcome: { on: IsoDate; text: string } | null
}

export type ActionStatus = 'open' | 'done'

/** A SMART action: what, who owns it, by when; tracked to completion. */
export interface Action {
  id: number
  stageKey: string
  what: string
  ownerId: number
  dueOn: IsoDate
  status: ActionStatus
  doneOn: IsoDate | null
  evidence: string | null
}

export interface PreApproval {
  stageKey: string
  byPersonId: number
  on: IsoDate
  note: string
}

export interface Dispute {
  policyId: string
  policyVersion: number
  ownerId: number
  reviewerRole: 'iro' | 'cp_chair'
  status: DisputeStatus
  phase: StagePhase
  stages: StageEntry[]
  /** The stage the reviewer is waiting to reach when phase is awaiting_pre_approval. */
  pending: {
    stageKey: string
    reason: string
    requestedOn: IsoDate
    bypassed: boolean
    /** Where the current stage stood before the request, to go back to if it is declined (none before a first stage). */
    fromPhase?: StagePhase
    /**
     * The escalation asking for it recorded the current stage as not resolved (it had no decision yet):
     * undone if the request is declined or withdrawn, as the stage goes on where it was.
     */
    decidedByRequest?: true
  } | null
  preApprovals: PreApproval[]
  declinedPreApprovals: (PreApproval & { reason: string })[]
  actions: Action[]
  nextActionId: number
  raisedOn: IsoDate
  becameAwareOn: IsoDate
  /** True when raised later than the policy's raise-within deadline. */
  raisedLate: boolean
  firstFormalOn: IsoDate | null
  overallDueOn: IsoDate | null
  resolution: { on: IsoDate; comments: string; atStageKey: string } | null
  cafcass: { on: IsoDate; reasons: string; informedPersonIds: number[] } | null
  legalAdvice: { on: IsoDate; note: string }[]
  finalisedOn: IsoDate | null
  addenda: { on: IsoDate; byPersonId: number; text: string }[]
}

export function currentStage(d: Dispute): StageEntry | undefined {
  return d.stages.at(-1)
}

/**
 * The reviewer decided the current stage's response did not resolve it: the next step (escalate or
 * finalise) is theirs. An extension is recorded as "not resolved" too, but the response to it awaits a
 * decision like any other. Lists work the same out in SQL (`decidedNotResolvedSql`).
 */
export function decidedNotResolved(d: Pick<Dispute, 'phase' | 'stages'>): boolean {
  const stage = d.stages.at(-1)
  return d.phase === 'awaiting_decision' && stage?.decision?.resolved === false && !stage.extension
}
