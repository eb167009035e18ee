// Test support for the dispute state machine: fixed people for every role, the four shipped policies,
// and a MachineContext built the way the dispute service builds it (src/services/disputeService.ts),
// so the relations the tests pass are the ones the service would compute from the record.
import { defaultCalendar, parseIsoDate, type IsoDate } from '../calendar/workingDays.js'
import { chainRoles, type RoleKey } from '../organisation.js'
import type { Channel, Policy, PolicyStage } from '../policies/policy.js'
import { shippedPolicies } from '../policies/policyCatalogue.js'
import type { Dispute } from './dispute.js'
import type { MachineContext, Outcome, Relation, StagePeople } from './stateMachine.js'

export const d = parseIsoDate
export const calendar = defaultCalendar()

/** One person for each role on the child's chain (and the reviewers' own managers). */
export const personFor: Readonly<Partial<Record<RoleKey, number>>> = {
  social_worker: 10,
  team_manager: 11,
  service_manager: 12,
  head_of_service: 13,
  director_of_safeguarding: 14,
  director_of_childrens_services: 15,
  chief_executive: 16,
  reviewing_service_manager: 20,
  head_of_irs: 21,
}
export const SOCIAL_WORKER = 10
export const TEAM_MANAGER = 11
export const SERVICE_MANAGER = 12
export const HEAD_OF_SERVICE = 13
export const DIRECTOR_OF_SAFEGUARDING = 14
export const DIRECTOR_OF_CHILDRENS_SERVICES = 15
export const CHIEF_EXECUTIVE = 16
export const REVIEWING_SERVICE_MANAGER = 20
export const HEAD_OF_IRS = 21
/** The reviewer who raised (owns) the record. */
export const OWNER = 30
/** Another reviewer, with no part in the record. */
export const OTHER_REVIEWER = 31
/** Someone outside the child's chain, who may not be given an action: they could not open the record. */
export const OUTSIDER = 40

const policies = shippedPolicies()
function shipped(id: string): Policy {
  const policy = policies.find(p => p.id === id)
  if (!policy) throw new Error(`no shipped policy ${id}`)
  return policy
}
/** A: Gloucestershire 2022 (seed 004). */
export const A = shipped('gloucestershire-2022')
/** B: CP chair DRP on Mosaic (seed 001). */
export const B = shipped('cpc-mosaic-2022')
/** C: CP conference chair protocol (seed 002). */
export const C = shipped('cpc-protocol')
/** D: IRO procedure on Care First (seed 003). */
export const D = shipped('iro-care-first')
export const allPolicies: readonly Policy[] = [A, B, C, D]

/** The people holding these roles, each once, in the roles' order (a vacant role names nobody). */
export function peopleFor(roles: readonly RoleKey[]): number[] {
  return [...new Set(roles.map(r => personFor[r]).filter((id): id is number => id !== undefined))]
}

/** As the service: the responsible people, then the copied people who are not also responsible. */
export function stagePeople(stage: PolicyStage): StagePeople {
  const responsible = peopleFor(stage.responsibleRoles)
  return {
    responsiblePersonIds: responsible,
    copiedPersonIds: peopleFor(stage.copiedRoles).filter(id => !responsible.includes(id)),
  }
}

export function preApproverIdsFor(policy: Policy): number[] {
  return policy.rules.preApproval ? peopleFor(policy.rules.preApproval.byRoles) : []
}

export function cafcassInformIdsFor(policy: Policy): number[] {
  return peopleFor(policy.rules.cafcass.inform)
}

/**
 * How a person relates to the record, worked out from the record exactly as the service does:
 * owner; responsible at the current stage; owner of an action; participant when named (responsible
 * or copied) at any stage; pre-approver (and so participant) when the policy names them. Raising a
 * new record (no record yet) makes the actor its owner.
 */
export function relationsOf(policy: Policy, dispute: Dispute | undefined, personId: number): Relation[] {
  const relations: Relation[] = []
  if (dispute) {
    if (dispute.ownerId === personId) relations.push('owner')
    if (dispute.stages.at(-1)?.responsiblePersonIds.includes(personId)) relations.push('responsible')
    if (dispute.actions.some(a => a.ownerId === personId)) relations.push('action_owner')
    if (dispute.stages.some(s => s.responsiblePersonIds.includes(personId) || s.copiedPersonIds.includes(personId)))
      relations.push('participant')
  } else relations.push('owner')
  if (preApproverIdsFor(policy).includes(personId)) relations.push('pre_approver', 'participant')
  return relations
}

export interface ContextOptions {
  /** Channels of the discussions logged at the current stage. */
  discussions?: readonly Channel[]
  /** Replace the relations the record gives (to test the machine's own checks). */
  relations?: readonly Relation[]
}

export function contextFor(
  policy: Policy,
  today: IsoDate,
  personId: number,
  dispute: Dispute | undefined,
  options: ContextOptions = {},
): MachineContext {
  return {
    policy,
    calendar,
    today,
    actor: { personId, relations: options.relations ?? relationsOf(policy, dispute, personId) },
    stagePeople,
    preApproverIds: preApproverIdsFor(policy),
    discussionsThisStage: options.discussions ?? [],
    cafcassInformIds: cafcassInformIdsFor(policy),
    actionOwnerIds: peopleFor(chainRoles),
  }
}

/** The accepted outcome, or a failure naming the refusal (so a broken step says why). */
export function accepted(outcome: Outcome): Extract<Outcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`refused: ${outcome.refusal}`)
  return outcome
}

/** The refusal, or a failure when the command was accepted. */
export function refusal(outcome: Outcome): string {
  if (outcome.ok)
    throw new Error(`accepted, expected a refusal (events: ${outcome.events.map(e => e.kind).join(', ')})`)
  return outcome.refusal
}

export const kinds = (outcome: Outcome): string[] => accepted(outcome).events.map(e => e.kind)
