import {
  addWorkingDays,
  type Calendar,
  compareIsoDates,
  type IsoDate,
  isWorkingDay,
  workingDaysBetween,
} from '../calendar/workingDays.js'
import { dueDateMayBeAgreed, dueDateMustBeAgreed, type Policy, type PolicyStage } from '../policies/policy.js'
import { discussionMeetsRule, needsPreApproval } from '../policies/policyCatalogue.js'
import { type Action, type Channel, currentStage, type Dispute, type StageEntry } from './dispute.js'

/**
 * The dispute lifecycle as a pure function: (state, command, context) -> new state and events,
 * or a refusal with a reason. No I/O; the service loads, applies and saves in one transaction.
 */

/** How the person acting relates to this record; the service works it out from the data. */
export type Relation = 'owner' | 'responsible' | 'pre_approver' | 'action_owner' | 'participant'

export interface StagePeople {
  responsiblePersonIds: number[]
  copiedPersonIds: number[]
}

export interface MachineContext {
  policy: Policy
  calendar: Calendar
  today: IsoDate
  actor: { personId: number; relations: readonly Relation[] }
  /** The people a stage goes to, named by the child's management chain. */
  stagePeople: (stage: PolicyStage) => StagePeople
  /** People who may give pre-approval (the reviewer's manager, as the policy says). */
  preApproverIds: readonly number[]
  /** Channels of the discussions logged while the record has been at its current stage. */
  discussionsThisStage: readonly Channel[]
  /** People to inform of a CAFCASS referral, named from the policy's roles. */
  cafcassInformIds?: readonly number[]
  /**
   * Who may own an action of a plan: the people on the child's chain. Anyone else could not open the
   * record to carry the action out.
   */
  actionOwnerIds: readonly number[]
}

export interface DisputeEvent {
  kind: string
  data: Record<string, unknown>
}

export type Refusal =
  | 'locked'
  | 'not_allowed'
  | 'wrong_phase'
  | 'already_decided'
  | 'unknown_stage'
  | 'stage_not_later'
  | 'bypass_not_allowed'
  | 'discussion_required'
  | 'discussion_required_to_resolve'
  | 'extension_not_allowed'
  | 'extension_used'
  | 'cafcass_not_allowed'
  | 'cafcass_already'
  | 'cafcass_too_early'
  | 'no_actions'
  | 'action_due_before_today'
  | 'action_owner_not_on_chain'
  | 'unknown_action'
  | 'action_done'
  | 'due_date_required'
  | 'due_date_in_past'
  | 'due_date_not_working_day'
  | 'agreed_date_not_allowed'
  | 'resolved_in_future'
  | 'resolved_before_stage'
  | 'not_resolved'
  | 'not_pre_approver'
  | 'pre_approved_in_future'
  | 'aware_after_raise'

export type Outcome = { ok: true; dispute: Dispute; events: DisputeEvent[] } | { ok: false; refusal: Refusal }

const refuse = (refusal: Refusal): Outcome => ({ ok: false, refusal })

export interface ActionInput {
  what: string
  ownerId: number
  dueOn: IsoDate
}

export type Command =
  | { type: 'respond'; comments: string; actions: ActionInput[] }
  /** `resolvedOn`: the day it was resolved (seed 001: the chair adds it), today when not given. */
  | { type: 'decide_resolved'; comments: string; resolvedOn?: IsoDate }
  | { type: 'decide_not_resolved'; comments: string }
  | { type: 'agree_extension'; note: string }
  | {
      type: 'escalate'
      toStageKey: string
      reason: string
      agreedDueOn?: IsoDate
      preApproval?: { byPersonId: number; on: IsoDate; note: string }
    }
  | { type: 'approve'; note: string }
  | { type: 'decline'; reason: string }
  /** The reviewer takes back their own request for pre-approval (the concern was settled, or they think again). */
  | { type: 'withdraw_request'; reason: string }
  | { type: 'record_outcome'; text: string; resolved: boolean }
  | { type: 'complete_action'; actionId: number; evidence: string }
  | { type: 'refer_cafcass'; reasons: string }
  | { type: 'record_legal_advice'; note: string }
  | { type: 'finalise' }
  | { type: 'add_addendum'; text: string }

export interface RaiseInput {
  policy: Policy
  ownerId: number
  reviewerRole: 'iro' | 'cp_chair'
  startStageKey: string
  becameAwareOn: IsoDate
  reason: string
  /** Needed when the starting stage has no fixed response time ("a timescale agreed in the child's interest"). */
  agreedDueOn?: IsoDate
  preApproval?: { byPersonId: number; on: IsoDate; note: string }
}

const stageOf = (policy: Policy, key: string) => policy.stages.find(s => s.key === key)
const indexOf = (policy: Policy, key: string) => policy.stages.findIndex(s => s.key === key)

/** True when the record is at the policy's last stage. */
export const atLastStage = (dispute: Dispute, policy: Policy): boolean => {
  const stage = currentStage(dispute)
  return stage !== undefined && indexOf(policy, stage.stageKey) === policy.stages.length - 1
}

function has(ctx: MachineContext, relation: Relation): boolean {
  return ctx.actor.relations.includes(relation)
}

/**
 * What is wrong, if anything, with the response date a reviewer agreed (or did not) for a stage entered
 * today: the refusal raising or escalating to it would give for the date alone. Forms check it with
 * their other fields, so the reviewer is told everything at once; the machine decides as before.
 */
export function agreedDateRefusal(
  stage: PolicyStage,
  agreedDueOn: IsoDate | undefined,
  today: IsoDate,
  calendar: Calendar,
): Refusal | undefined {
  if (agreedDueOn === undefined) return dueDateMustBeAgreed(stage) ? 'due_date_required' : undefined
  if (!dueDateMayBeAgreed(stage)) return 'agreed_date_not_allowed'
  // A stage handled outside the system with no timescale owes Concord no response: a date is not used.
  if (stage.outsideSystem && stage.responseWorkingDays === null) return undefined
  if (compareIsoDates(agreedDueOn, today) < 0) return 'due_date_in_past'
  if (!isWorkingDay(calendar, agreedDueOn)) return 'due_date_not_working_day'
  return undefined
}

/** The due date of a stage entered today: N working days on, or the agreed date when the policy leaves it open. */
function stageDue(ctx: MachineContext, stage: PolicyStage, agreedDueOn?: IsoDate): IsoDate | null | Refusal {
  if (stage.outsideSystem && stage.responseWorkingDays === null) return null
  // A date the stage cannot take never gets here: reachStage refuses it.
  if (stage.responseWorkingDays !== null && !agreedDueOn)
    return addWorkingDays(ctx.calendar, ctx.today, stage.responseWorkingDays)
  if (!agreedDueOn) return 'due_date_required'
  if (compareIsoDates(agreedDueOn, ctx.today) < 0) return 'due_date_in_past'
  // Every timescale here counts working days, and a response is owed by someone at work that day.
  if (!isWorkingDay(ctx.calendar, agreedDueOn)) return 'due_date_not_working_day'
  return agreedDueOn
}

function enterStage(
  dispute: Dispute,
  ctx: MachineContext,
  stage: PolicyStage,
  reason: string,
  bypassed: boolean,
  agreedDueOn?: IsoDate,
): Outcome {
  const dueOn = stageDue(ctx, stage, agreedDueOn)
  if (typeof dueOn === 'string' && !/^\d/.test(dueOn)) return refuse(dueOn as Refusal)
  const people = ctx.stagePeople(stage)
  const entry: StageEntry = {
    stageKey: stage.key,
    enteredOn: ctx.today,
    dueOn: dueOn as IsoDate | null,
    responsiblePersonIds: people.responsiblePersonIds,
    copiedPersonIds: people.copiedPersonIds,
    reason,
    bypassed,
    responses: [],
    extension: null,
    decision: null,
    outcome: null,
  }
  let { firstFormalOn, overallDueOn } = dispute
  if (stage.formal && firstFormalOn === null) {
    firstFormalOn = ctx.today
    const overall = ctx.policy.overallFormalWorkingDays
    overallDueOn = overall === null ? null : addWorkingDays(ctx.calendar, ctx.today, overall)
  }
  const next: Dispute = {
    ...dispute,
    stages: [...dispute.stages, entry],
    phase: stage.outsideSystem ? 'outside_system' : 'awaiting_response',
    pending: null,
    firstFormalOn,
    overallDueOn,
  }
  return {
    ok: true,
    dispute: next,
    events: [
      {
        kind: 'dispute.stage_entered',
        data: {
          stageKey: stage.key,
          dueOn: entry.dueOn,
          responsiblePersonIds: entry.responsiblePersonIds,
          copiedPersonIds: entry.copiedPersonIds,
          reason,
          bypassed,
        },
      },
    ],
  }
}

/** Moves to a stage now, or waits for pre-approval when the policy needs it and none is recorded. */
function reachStage(
  dispute: Dispute,
  ctx: MachineContext,
  stage: PolicyStage,
  reason: string,
  bypassed: boolean,
  agreedDueOn?: IsoDate,
  preApproval?: { byPersonId: number; on: IsoDate; note: string },
): Outcome {
  let d = dispute
  const events: DisputeEvent[] = []
  // A date the stage cannot take is refused, not dropped (whoever typed it would think it kept), and
  // before any wait for pre-approval, which keeps no date (policyProblems: a stage needing pre-approval
  // never takes an agreed date).
  if (agreedDueOn && !dueDateMayBeAgreed(stage)) return refuse('agreed_date_not_allowed')
  if (needsPreApproval(ctx.policy, stage.key) && !d.preApprovals.some(p => p.stageKey === stage.key)) {
    if (preApproval && compareIsoDates(preApproval.on, ctx.today) > 0) return refuse('pre_approved_in_future')
    if (preApproval && ctx.preApproverIds.includes(preApproval.byPersonId)) {
      d = { ...d, preApprovals: [...d.preApprovals, { stageKey: stage.key, ...preApproval }] }
      events.push({
        kind: 'dispute.pre_approved',
        data: { stageKey: stage.key, ...preApproval, recordedBy: ctx.actor.personId },
      })
    } else if (preApproval) {
      return refuse('not_pre_approver')
    } else {
      const pending: Dispute = {
        ...d,
        phase: 'awaiting_pre_approval',
        pending: {
          stageKey: stage.key,
          reason,
          requestedOn: ctx.today,
          bypassed,
          ...(d.stages.length > 0 ? { fromPhase: d.phase } : {}),
        },
      }
      return {
        ok: true,
        dispute: pending,
        events: [{ kind: 'dispute.pre_approval_requested', data: { stageKey: stage.key, reason } }],
      }
    }
  }
  if (dueDateMustBeAgreed(stage) && !agreedDueOn) return refuse('due_date_required')
  const entered = enterStage(d, ctx, stage, reason, bypassed, agreedDueOn)
  if (!entered.ok) return entered
  return { ok: true, dispute: entered.dispute, events: [...events, ...entered.events] }
}

/** A new record, at the informal stage or (where bypass is allowed) any formal stage. */
export function raise(input: RaiseInput, ctx: MachineContext): Outcome {
  const { policy } = input
  const stage = stageOf(policy, input.startStageKey)
  if (!stage) return refuse('unknown_stage')
  // A record may start above the first stage where the policy lets the reviewer choose the level (seed 001) or bypass (seeds 002-004).
  if (indexOf(policy, stage.key) > 0 && !policy.rules.bypassAllowed && !policy.rules.raiseAtAnyStage)
    return refuse('bypass_not_allowed')
  if (compareIsoDates(input.becameAwareOn, ctx.today) > 0) return refuse('aware_after_raise')
  const within = policy.rules.raiseWithinWorkingDays
  const raisedLate = within !== null && workingDaysBetween(ctx.calendar, input.becameAwareOn, ctx.today) > within
  const base: Dispute = {
    policyId: policy.id,
    policyVersion: policy.version,
    ownerId: input.ownerId,
    reviewerRole: input.reviewerRole,
    status: 'open',
    phase: 'awaiting_response',
    stages: [],
    pending: null,
    preApprovals: [],
    declinedPreApprovals: [],
    actions: [],
    nextActionId: 1,
    raisedOn: ctx.today,
    becameAwareOn: input.becameAwareOn,
    raisedLate,
    firstFormalOn: null,
    overallDueOn: null,
    resolution: null,
    cafcass: null,
    legalAdvice: [],
    finalisedOn: null,
    addenda: [],
  }
  const reached = reachStage(
    base,
    ctx,
    stage,
    input.reason,
    indexOf(policy, stage.key) > 0,
    input.agreedDueOn,
    input.preApproval,
  )
  if (!reached.ok) return reached
  return {
    ok: true,
    dispute: reached.dispute,
    events: [
      {
        kind: 'dispute.raised',
        data: {
          policyId: policy.id,
          policyVersion: policy.version,
          startStageKey: stage.key,
          becameAwareOn: input.becameAwareOn,
          raisedLate,
        },
      },
      ...reached.events,
    ],
  }
}

/**
 * The record as it was before its request for pre-approval, when the request is declined or withdrawn:
 * the phase it was in, and no "not resolved" decision the escalation wrote for it. A new record that never
 * reached a stage stays with the reviewer to decide.
 */
function beforeRequest(dispute: Dispute, pending: NonNullable<Dispute['pending']>): Dispute {
  const undecided = pending.decidedByRequest ? replaceCurrent(dispute, s => ({ ...s, decision: null })) : dispute
  const stage = currentStage(undecided)
  const phase =
    pending.fromPhase ??
    (!stage || stage.responses.length > 0 || stage.decision ? 'awaiting_decision' : 'awaiting_response')
  return { ...undecided, phase, pending: null }
}

function replaceCurrent(d: Dispute, change: (s: StageEntry) => StageEntry): Dispute {
  const stages = [...d.stages]
  stages[stages.length - 1] = change(stages[stages.length - 1]!)
  return { ...d, stages }
}

/** Applies one command, or refuses it with a reason. A finalised record refuses everything but an addendum. */
export function apply(dispute: Dispute, command: Command, ctx: MachineContext): Outcome {
  const { policy, today } = ctx
  if (dispute.status === 'finalised') {
    if (command.type !== 'add_addendum') return refuse('locked')
    if (!has(ctx, 'owner') && !has(ctx, 'participant') && !has(ctx, 'responsible')) return refuse('not_allowed')
    const addendum = { on: today, byPersonId: ctx.actor.personId, text: command.text }
    return {
      ok: true,
      dispute: { ...dispute, addenda: [...dispute.addenda, addendum] },
      events: [{ kind: 'dispute.addendum_added', data: addendum }],
    }
  }
  const stage = currentStage(dispute)
  const open = dispute.status === 'open'

  switch (command.type) {
    case 'respond': {
      if (!has(ctx, 'responsible')) return refuse('not_allowed')
      if (!open || !stage || (dispute.phase !== 'awaiting_response' && dispute.phase !== 'extension'))
        return refuse('wrong_phase')
      if (command.actions.length === 0) return refuse('no_actions')
      if (command.actions.some(a => compareIsoDates(a.dueOn, today) < 0)) return refuse('action_due_before_today')
      if (command.actions.some(a => !ctx.actionOwnerIds.includes(a.ownerId))) return refuse('action_owner_not_on_chain')
      const newActions: Action[] = command.actions.map((a, i) => ({
        id: dispute.nextActionId + i,
        stageKey: stage.stageKey,
        what: a.what,
        ownerId: a.ownerId,
        dueOn: a.dueOn,
        status: 'open',
        doneOn: null,
        evidence: null,
      }))
      const response = {
        on: today,
        byPersonId: ctx.actor.personId,
        comments: command.comments,
        actionIds: newActions.map(a => a.id),
      }
      const next = replaceCurrent(
        {
          ...dispute,
          phase: 'awaiting_decision',
          actions: [...dispute.actions, ...newActions],
          nextActionId: dispute.nextActionId + newActions.length,
        },
        s => ({ ...s, responses: [...s.responses, response] }),
      )
      const late = stage.dueOn !== null && compareIsoDates(today, stage.extension?.dueOn ?? stage.dueOn) > 0
      return {
        ok: true,
        dispute: next,
        events: [
          {
            kind: 'dispute.responded',
            data: { stageKey: stage.stageKey, comments: command.comments, actions: newActions, late },
          },
        ],
      }
    }

    case 'decide_resolved': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || !stage || dispute.phase === 'awaiting_pre_approval' || dispute.phase === 'outside_system')
        return refuse('wrong_phase')
      const resolvedOn = command.resolvedOn ?? today
      if (compareIsoDates(resolvedOn, today) > 0) return refuse('resolved_in_future')
      if (compareIsoDates(resolvedOn, stage.enteredOn) < 0) return refuse('resolved_before_stage')
      const rule = policy.rules.discussionBeforeEscalation
      if (rule?.alsoBeforeResolving && !discussionMeetsRule(rule, stage.stageKey, ctx.discussionsThisStage))
        return refuse('discussion_required_to_resolve')
      const decision = { on: today, resolved: true, comments: command.comments }
      const next = replaceCurrent(
        {
          ...dispute,
          status: 'resolved',
          resolution: { on: resolvedOn, comments: command.comments, atStageKey: stage.stageKey },
        },
        s => ({
          ...s,
          decision,
        }),
      )
      return {
        ok: true,
        dispute: next,
        events: [
          {
            kind: 'dispute.resolved',
            data: {
              stageKey: stage.stageKey,
              comments: command.comments,
              ...(resolvedOn !== today ? { resolvedOn } : {}),
            },
          },
        ],
      }
    }

    case 'decide_not_resolved': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || !stage || dispute.phase !== 'awaiting_decision') return refuse('wrong_phase')
      // Once is enough: the next step is to escalate, agree an extension or finalise, not to decide again.
      if (stage.decision?.resolved === false) return refuse('already_decided')
      const next = replaceCurrent(dispute, s => ({
        ...s,
        decision: { on: today, resolved: false, comments: command.comments },
      }))
      return {
        ok: true,
        dispute: next,
        events: [{ kind: 'dispute.not_resolved', data: { stageKey: stage.stageKey, comments: command.comments } }],
      }
    }

    case 'agree_extension': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || !stage || dispute.phase !== 'awaiting_decision') return refuse('wrong_phase')
      const rule = policy.rules.extension
      if (!rule || !rule.allowed) return refuse('extension_not_allowed')
      if (stage.extension) return refuse('extension_used')
      const extension = {
        agreedOn: today,
        dueOn: addWorkingDays(ctx.calendar, today, rule.workingDays),
        note: command.note,
      }
      const next = replaceCurrent({ ...dispute, phase: 'extension' }, s => ({
        ...s,
        extension,
        decision: { on: today, resolved: false, comments: command.note },
      }))
      return {
        ok: true,
        dispute: next,
        events: [{ kind: 'dispute.extension_agreed', data: { stageKey: stage.stageKey, ...extension } }],
      }
    }

    case 'escalate': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || dispute.phase === 'awaiting_pre_approval') return refuse('wrong_phase')
      const target = stageOf(policy, command.toStageKey)
      if (!target) return refuse('unknown_stage')
      // A record whose first stage was declined (pre-approval) has no stage yet: the reviewer sends it to a
      // stage as when raising (any stage where the policy lets them choose the level).
      const from = stage ? indexOf(policy, stage.stageKey) : -1
      const to = indexOf(policy, target.key)
      if (to <= from) return refuse('stage_not_later')
      const mayChooseLevel = policy.rules.bypassAllowed || (!stage && policy.rules.raiseAtAnyStage)
      if (to > from + 1 && !mayChooseLevel) return refuse('bypass_not_allowed')
      if (
        stage &&
        !discussionMeetsRule(policy.rules.discussionBeforeEscalation, stage.stageKey, ctx.discussionsThisStage)
      )
        return refuse('discussion_required')
      const closed =
        !stage || stage.decision
          ? dispute
          : replaceCurrent(dispute, s => ({ ...s, decision: { on: today, resolved: false, comments: command.reason } }))
      const reached = reachStage(
        closed,
        ctx,
        target,
        command.reason,
        to > from + 1,
        command.agreedDueOn,
        command.preApproval,
      )
      if (!reached.ok) return reached
      const { pending } = reached.dispute
      return {
        ok: true,
        dispute:
          pending && closed !== dispute
            ? { ...reached.dispute, pending: { ...pending, decidedByRequest: true } }
            : reached.dispute,
        events: [
          {
            kind: 'dispute.escalated',
            data: {
              fromStageKey: stage?.stageKey ?? null,
              toStageKey: target.key,
              reason: command.reason,
              bypassed: to > from + 1,
            },
          },
          ...reached.events,
        ],
      }
    }

    case 'withdraw_request': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || dispute.phase !== 'awaiting_pre_approval' || !dispute.pending) return refuse('wrong_phase')
      const { stageKey } = dispute.pending
      return {
        ok: true,
        dispute: beforeRequest(dispute, dispute.pending),
        events: [{ kind: 'dispute.pre_approval_withdrawn', data: { stageKey, reason: command.reason } }],
      }
    }

    case 'approve':
    case 'decline': {
      if (!has(ctx, 'pre_approver') || !ctx.preApproverIds.includes(ctx.actor.personId))
        return refuse('not_pre_approver')
      if (!open || dispute.phase !== 'awaiting_pre_approval' || !dispute.pending) return refuse('wrong_phase')
      const pending = dispute.pending
      if (command.type === 'decline') {
        const declined = {
          stageKey: pending.stageKey,
          byPersonId: ctx.actor.personId,
          on: today,
          note: '',
          reason: command.reason,
        }
        return {
          ok: true,
          dispute: {
            ...beforeRequest(dispute, pending),
            declinedPreApprovals: [...dispute.declinedPreApprovals, declined],
          },
          events: [
            { kind: 'dispute.pre_approval_declined', data: { stageKey: pending.stageKey, reason: command.reason } },
          ],
        }
      }
      const approval = { stageKey: pending.stageKey, byPersonId: ctx.actor.personId, on: today, note: command.note }
      const approved: Dispute = { ...dispute, preApprovals: [...dispute.preApprovals, approval] }
      const target = stageOf(policy, pending.stageKey)!
      const entered = enterStage(approved, ctx, target, pending.reason, pending.bypassed)
      if (!entered.ok) return entered
      return {
        ok: true,
        dispute: entered.dispute,
        events: [{ kind: 'dispute.pre_approved', data: approval }, ...entered.events],
      }
    }

    case 'record_outcome': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      if (!open || !stage || dispute.phase !== 'outside_system') return refuse('wrong_phase')
      const outcome = { on: today, text: command.text }
      let next = replaceCurrent(dispute, s => ({
        ...s,
        outcome,
        decision: { on: today, resolved: command.resolved, comments: command.text },
      }))
      if (command.resolved)
        next = {
          ...next,
          status: 'resolved',
          resolution: { on: today, comments: command.text, atStageKey: stage.stageKey },
        }
      return {
        ok: true,
        dispute: next,
        events: [
          {
            kind: 'dispute.outcome_recorded',
            data: { stageKey: stage.stageKey, ...outcome, resolved: command.resolved },
          },
        ],
      }
    }

    case 'complete_action': {
      const action = dispute.actions.find(a => a.id === command.actionId)
      if (!action) return refuse('unknown_action')
      const mayComplete =
        has(ctx, 'owner') ||
        has(ctx, 'responsible') ||
        (has(ctx, 'action_owner') && action.ownerId === ctx.actor.personId)
      if (!mayComplete) return refuse('not_allowed')
      if (action.status === 'done') return refuse('action_done')
      const done: Action = { ...action, status: 'done', doneOn: today, evidence: command.evidence }
      return {
        ok: true,
        dispute: { ...dispute, actions: dispute.actions.map(a => (a.id === action.id ? done : a)) },
        events: [
          {
            kind: 'dispute.action_completed',
            data: {
              actionId: action.id,
              what: action.what,
              evidence: command.evidence,
              late: compareIsoDates(today, action.dueOn) > 0,
            },
          },
        ],
      }
    }

    case 'refer_cafcass': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      const rule = policy.rules.cafcass
      if (!rule.allowed || !(rule.byRoles as string[]).includes(dispute.reviewerRole))
        return refuse('cafcass_not_allowed')
      if (dispute.cafcass) return refuse('cafcass_already')
      // Seed 003: only once the last stage (the Chief Executive) has failed; seed 004: at any time.
      if (rule.when === 'after_last_stage' && !atLastStage(dispute, policy)) return refuse('cafcass_too_early')
      const cafcass = { on: today, reasons: command.reasons, informedPersonIds: [...(ctx.cafcassInformIds ?? [])] }
      return {
        ok: true,
        dispute: { ...dispute, cafcass },
        events: [{ kind: 'dispute.referred_to_cafcass', data: cafcass }],
      }
    }

    case 'record_legal_advice': {
      // The reviewer may seek legal advice at any point (IRO Handbook; seed 003): recording it is never refused.
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      const advice = { on: today, note: command.note }
      return {
        ok: true,
        dispute: { ...dispute, legalAdvice: [...dispute.legalAdvice, advice] },
        events: [{ kind: 'dispute.legal_advice_sought', data: advice }],
      }
    }

    case 'finalise': {
      if (!has(ctx, 'owner')) return refuse('not_allowed')
      // Seed 003: authorised when resolved, or once the dispute has gone outside the system. At the last
      // stage inside the system, a dispute decided "not resolved" has nowhere left to go: the reviewer
      // closes the record with that decision on it.
      const unresolvedAtLast = atLastStage(dispute, policy) && stage?.decision?.resolved === false
      // A record whose first stage was declined or withdrawn before pre-approval was never sent to anyone:
      // the reviewer who lets the concern go closes it rather than leave it open for ever.
      const neverSent = !stage && dispute.phase !== 'awaiting_pre_approval'
      if (dispute.status !== 'resolved' && dispute.phase !== 'outside_system' && !unresolvedAtLast && !neverSent)
        return refuse('not_resolved')
      return {
        ok: true,
        dispute: { ...dispute, status: 'finalised', finalisedOn: today },
        events: [{ kind: 'dispute.finalised', data: { on: today } }],
      }
    }

    case 'add_addendum':
      return refuse('wrong_phase')
  }
}

/** What the reviewer may do next, for showing only the lawful buttons. */
export function availableCommands(dispute: Dispute, policy: Policy): Command['type'][] {
  if (dispute.status === 'finalised') return ['add_addendum']
  const stage = currentStage(dispute)
  const last = atLastStage(dispute, policy)
  const commands: Command['type'][] = ['complete_action', 'record_legal_advice']
  if (dispute.status === 'resolved') return [...commands, 'finalise']
  // A record with no stage yet (its first stage was declined or withdrawn) can be sent to a stage, or closed.
  if (!stage && dispute.phase !== 'awaiting_pre_approval') return [...commands, 'escalate', 'finalise']
  switch (dispute.phase) {
    case 'awaiting_pre_approval':
      commands.push('approve', 'decline', 'withdraw_request')
      break
    case 'awaiting_response':
      commands.push('respond', 'decide_resolved', ...(last ? [] : (['escalate'] as const)))
      break
    case 'extension':
      commands.push('respond', 'decide_resolved', ...(last ? [] : (['escalate'] as const)))
      break
    case 'awaiting_decision':
      commands.push(
        'decide_resolved',
        ...(stage?.decision?.resolved === false ? [] : (['decide_not_resolved'] as const)),
        ...(last ? [] : (['escalate'] as const)),
      )
      if (policy.rules.extension?.allowed && !stage?.extension) commands.push('agree_extension')
      if (last && stage?.decision?.resolved === false) commands.push('finalise')
      break
    case 'outside_system':
      commands.push('record_outcome', 'finalise', ...(last ? [] : (['escalate'] as const)))
      break
  }
  if (
    policy.rules.cafcass.allowed &&
    (policy.rules.cafcass.byRoles as string[]).includes(dispute.reviewerRole) &&
    !dispute.cafcass &&
    (policy.rules.cafcass.when !== 'after_last_stage' || last)
  )
    commands.push('refer_cafcass')
  return commands
}

/** Working days left before the current stage's response is due (negative when overdue); null when there is no due date. */
export function workingDaysLeft(dispute: Dispute, calendar: Calendar, today: IsoDate): number | null {
  const stage = currentStage(dispute)
  const due = stage?.extension?.dueOn ?? stage?.dueOn
  if (!due || dispute.status !== 'open') return null
  // Nobody is answering: the reviewer has the response, or the escalation waits for pre-approval.
  if (dispute.phase === 'awaiting_decision' || dispute.phase === 'awaiting_pre_approval') return null
  return workingDaysBetween(calendar, today, due)
}
