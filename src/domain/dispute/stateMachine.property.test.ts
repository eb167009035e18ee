// Properties of the dispute state machine over random journeys: every policy, a start day from 2015 to
// 2030, and a run of commands each picked from availableCommands (with plausible arguments and the
// person the command belongs to), the days between them random. Checked after every accepted command:
// (a) the current stage never goes down; (b) a stage entered is due on a working day, not before the day
// it was entered; (c) there is no dead end: an open record always has a command some actor can do that
// moves it on, and a finalised one accepts only an addendum; (d) the status only moves forward; (e) apply
// never throws (any throw fails the property with the journey that caused it).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addCalendarDays,
  addWorkingDays,
  compareIsoDates,
  fromDayNumber,
  isWorkingDay,
  toDayNumber,
  type IsoDate,
} from '../calendar/workingDays.js'
import { channels, type Policy, type PolicyStage } from '../policies/policy.js'
import { escalationTargets, needsPreApproval, raisableStages } from '../policies/policyCatalogue.js'
import { currentStage, type Dispute, type DisputeStatus } from './dispute.js'
import { agreedDateRefusal, apply, availableCommands, raise, type Command, type Outcome } from './stateMachine.js'
import {
  allPolicies,
  calendar,
  contextFor,
  d,
  OTHER_REVIEWER,
  OUTSIDER,
  OWNER,
  personFor,
  REVIEWING_SERVICE_MANAGER,
  SERVICE_MANAGER,
  SOCIAL_WORKER,
  TEAM_MANAGER,
} from './testSupport.js'

const RUNS = 200

interface Step {
  /** Which of the available commands (modulo their number). */
  pick: number
  /** 0 (one time in three): escalate, or refer to CAFCASS at the top, when available, so walks reach the top stages too. */
  climb: number
  /** Calendar days before the command. */
  wait: number
  /** Which escalation target or action (modulo). */
  target: number
  /** Which of the people entitled acts (modulo). */
  person: number
  /** Record a pre-approval with an escalation that needs one (otherwise it is asked for). */
  withApproval: boolean
  /** Agree a due date where the stage allows one. */
  agree: boolean
  agreedInWorkingDays: number
  actionCount: number
  actionDueInDays: number
  resolved: boolean
  discussions: (typeof channels)[number][]
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pick: fc.nat(),
  climb: fc.integer({ min: 0, max: 2 }),
  wait: fc.integer({ min: 0, max: 6 }),
  target: fc.nat(),
  person: fc.nat(),
  withApproval: fc.boolean(),
  agree: fc.boolean(),
  agreedInWorkingDays: fc.integer({ min: 1, max: 10 }),
  actionCount: fc.integer({ min: 1, max: 3 }),
  actionDueInDays: fc.integer({ min: 0, max: 15 }),
  resolved: fc.boolean(),
  discussions: fc.subarray([...channels]),
})

const scenarioArb = fc.record({
  policyId: fc.constantFrom(...allPolicies.map(p => p.id)),
  role: fc.nat(),
  start: fc
    .integer({ min: toDayNumber(d('2015-01-01')), max: toDayNumber(d('2030-12-31')) })
    .map(n => fromDayNumber(n)),
  awareDaysBefore: fc.integer({ min: 0, max: 5 }),
  startStage: fc.nat(),
  raise: stepArb,
  steps: fc.array(stepArb, { minLength: 5, maxLength: 40, size: 'max' }),
})
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

const stageIndex = (policy: Policy, dispute: Dispute): number => {
  const stage = currentStage(dispute)
  return stage ? policy.stages.findIndex(s => s.key === stage.stageKey) : -1
}

const agreedDue = (stage: PolicyStage, today: IsoDate, step: Step): IsoDate | undefined =>
  stage.responseWorkingDays === null || (stage.timescaleMayBeAgreed && step.agree)
    ? addWorkingDays(calendar, today, step.agreedInWorkingDays)
    : undefined

const approval = (today: IsoDate) => ({ byPersonId: REVIEWING_SERVICE_MANAGER, on: today, note: 'Agreed' })

/** The command of this type with plausible arguments, and the person it belongs to. */
function build(
  type: Command['type'],
  dispute: Dispute,
  policy: Policy,
  today: IsoDate,
  step: Step,
): { command: Command; personId: number } {
  const stage = currentStage(dispute)
  const responsible = stage?.responsiblePersonIds ?? []
  switch (type) {
    case 'respond':
      return {
        personId: responsible[step.person % Math.max(1, responsible.length)] ?? OWNER,
        command: {
          type,
          comments: 'Plan',
          actions: [SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER].slice(0, step.actionCount).map(ownerId => ({
            what: 'Do it',
            ownerId,
            dueOn: addCalendarDays(today, step.actionDueInDays),
          })),
        },
      }
    case 'escalate': {
      const targets = stage ? escalationTargets(policy, stage.stageKey) : raisableStages(policy)
      const target = targets[step.target % Math.max(1, targets.length)] ?? policy.stages.at(-1)!
      const agreedDueOn = agreedDue(target, today, step)
      return {
        personId: OWNER,
        command: {
          type,
          toStageKey: target.key,
          reason: 'Not resolved',
          ...(agreedDueOn ? { agreedDueOn } : {}),
          ...(step.withApproval && needsPreApproval(policy, target.key) ? { preApproval: approval(today) } : {}),
        },
      }
    }
    case 'approve':
      return { personId: REVIEWING_SERVICE_MANAGER, command: { type, note: 'Agreed' } }
    case 'decline':
      return { personId: REVIEWING_SERVICE_MANAGER, command: { type, reason: 'Not yet' } }
    case 'withdraw_request':
      return { personId: OWNER, command: { type, reason: 'Settled after all' } }
    case 'complete_action': {
      const action = dispute.actions[step.target % Math.max(1, dispute.actions.length)]
      const people = [action?.ownerId ?? OWNER, responsible[0] ?? OWNER, OWNER]
      return {
        personId: people[step.person % people.length]!,
        command: { type, actionId: action?.id ?? 1, evidence: 'Done' },
      }
    }
    case 'decide_resolved':
      return { personId: OWNER, command: { type, comments: 'Resolved' } }
    case 'decide_not_resolved':
      return { personId: OWNER, command: { type, comments: 'Not resolved' } }
    case 'agree_extension':
      return { personId: OWNER, command: { type, note: 'One more day' } }
    case 'record_outcome':
      return { personId: OWNER, command: { type, text: 'Outcome', resolved: step.resolved } }
    case 'refer_cafcass':
      return { personId: OWNER, command: { type, reasons: 'Oversight' } }
    case 'record_legal_advice':
      return { personId: OWNER, command: { type, note: 'Advice' } }
    case 'finalise':
      return { personId: OWNER, command: { type } }
    case 'add_addendum':
      return { personId: OWNER, command: { type, text: 'Addendum' } }
  }
}

const allTypes: Command['type'][] = [
  'respond',
  'decide_resolved',
  'decide_not_resolved',
  'agree_extension',
  'escalate',
  'approve',
  'decline',
  'withdraw_request',
  'record_outcome',
  'complete_action',
  'refer_cafcass',
  'record_legal_advice',
  'finalise',
  'add_addendum',
]
/** Commands that move a record on (the others can be done at any time and never close it). */
const sideTypes: Command['type'][] = ['complete_action', 'record_legal_advice', 'refer_cafcass']

const forward: Record<DisputeStatus, DisputeStatus[]> = {
  open: ['open', 'resolved', 'finalised'],
  resolved: ['resolved', 'finalised'],
  finalised: ['finalised'],
}

/** (a), (b) and (d) for one accepted command. */
function checkStep(policy: Policy, before: Dispute, outcome: Extract<Outcome, { ok: true }>, today: IsoDate): void {
  const after = outcome.dispute
  expect(outcome.events.length).toBeGreaterThan(0)
  // (a) Stages only climb: the earlier entries stay as they were, at most one is added, and it is higher.
  expect(stageIndex(policy, after)).toBeGreaterThanOrEqual(stageIndex(policy, before))
  expect(after.stages.length - before.stages.length).toBeGreaterThanOrEqual(0)
  expect(after.stages.length - before.stages.length).toBeLessThanOrEqual(1)
  expect(after.stages.slice(0, Math.max(0, before.stages.length - 1))).toEqual(
    before.stages.slice(0, Math.max(0, before.stages.length - 1)),
  )
  expect(after.stages.slice(0, before.stages.length).map(s => s.stageKey)).toEqual(before.stages.map(s => s.stageKey))
  // (b) A stage entered now is due on a working day, never before the day it was entered.
  for (const entered of after.stages.slice(before.stages.length)) {
    expect(entered.enteredOn).toBe(today)
    const policyStage = policy.stages.find(s => s.key === entered.stageKey)!
    if (policyStage.responseWorkingDays !== null || !policyStage.outsideSystem) {
      expect(entered.dueOn).not.toBeNull()
      expect(isWorkingDay(calendar, entered.dueOn!), entered.dueOn!).toBe(true)
      expect(compareIsoDates(entered.dueOn!, entered.enteredOn)).toBeGreaterThanOrEqual(0)
    }
    const event = outcome.events.find(e => e.kind === 'dispute.stage_entered')
    expect(event?.data).toMatchObject({ stageKey: entered.stageKey, dueOn: entered.dueOn })
  }
  const extension = currentStage(after)?.extension
  if (extension && !currentStage(before)?.extension) {
    expect(isWorkingDay(calendar, extension.dueOn)).toBe(true)
    expect(compareIsoDates(extension.dueOn, extension.agreedOn)).toBeGreaterThan(0)
  }
  // (d) Open -> resolved -> finalised, or open -> finalised only from outside the system, after a
  // "not resolved" decision at the last stage, or before any stage was reached (the first one declined or
  // withdrawn); a finalised record gains addenda and nothing else.
  expect(forward[before.status]).toContain(after.status)
  if (before.status === 'open' && after.status === 'finalised') {
    const stage = currentStage(before)
    const atTop = stage?.stageKey === policy.stages.at(-1)?.key && stage?.decision?.resolved === false
    expect(before.phase === 'outside_system' || atTop || before.stages.length === 0).toBe(true)
  }
  if (before.status === 'finalised') expect({ ...after, addenda: before.addenda }).toEqual(before)
}

/** (c) No dead ends. */
function checkWayForward(policy: Policy, dispute: Dispute, today: IsoDate): void {
  if (dispute.status === 'finalised') {
    expect(availableCommands(dispute, policy)).toEqual(['add_addendum'])
    for (const type of allTypes) {
      const { command } = build(type, dispute, policy, today, anyStep)
      const outcome = apply(dispute, command, contextFor(policy, today, OWNER, dispute))
      if (type === 'add_addendum') expect(outcome.ok).toBe(true)
      else expect(outcome).toEqual({ ok: false, refusal: 'locked' })
    }
    return
  }
  const stage = currentStage(dispute)
  const people = [OWNER, REVIEWING_SERVICE_MANAGER, ...(stage?.responsiblePersonIds ?? [])]
  const moves = availableCommands(dispute, policy).filter(t => !sideTypes.includes(t))
  const accepted = moves.some(type =>
    [false, true].some(withApproval =>
      (type === 'escalate' ? [0, 1, 2, 3, 4, 5, 6] : [0]).some(target => {
        const step = { ...anyStep, withApproval, target }
        const { command } = build(type, dispute, policy, today, step)
        return people.some(
          personId =>
            apply(dispute, command, contextFor(policy, today, personId, dispute, { discussions: [...channels] })).ok,
        )
      }),
    ),
  )
  expect(accepted, `stuck: ${dispute.status}/${dispute.phase} at ${stage?.stageKey ?? 'no stage'}`).toBe(true)
}

const anyStep: Step = {
  pick: 0,
  climb: 1,
  wait: 0,
  target: 0,
  person: 0,
  withApproval: false,
  agree: false,
  agreedInWorkingDays: 3,
  actionCount: 1,
  actionDueInDays: 5,
  resolved: true,
  discussions: [...channels],
}

/** One of the commands availableCommands offers. */
function pickLawful(dispute: Dispute, policy: Policy, step: Step): Command['type'] {
  const available = availableCommands(dispute, policy)
  expect(available.length).toBeGreaterThan(0)
  if (step.climb === 0) {
    if (available.includes('escalate')) return 'escalate'
    if (available.includes('refer_cafcass')) return 'refer_cafcass'
  }
  return available[step.pick % available.length]!
}

interface Walk {
  policy: Policy
  start: Dispute
}

/** Raises a record with plausible input: it must be accepted. */
function raiseFor(s: Scenario): Walk {
  const policy = allPolicies.find(p => p.id === s.policyId)!
  const starts = raisableStages(policy)
  const stage = starts[s.startStage % starts.length]!
  const today = s.start
  const agreedDueOn = agreedDue(stage, today, s.raise)
  const outcome = raise(
    {
      policy,
      ownerId: OWNER,
      reviewerRole: policy.reviewerRoles[s.role % policy.reviewerRoles.length]!,
      startStageKey: stage.key,
      becameAwareOn: addCalendarDays(today, -s.awareDaysBefore),
      reason: 'Concern',
      ...(agreedDueOn ? { agreedDueOn } : {}),
      ...(s.raise.withApproval && needsPreApproval(policy, stage.key) ? { preApproval: approval(today) } : {}),
    },
    contextFor(policy, today, OWNER, undefined),
  )
  if (!outcome.ok) throw new Error(`a plausible raise was refused: ${outcome.refusal}`)
  checkStep(policy, { ...outcome.dispute, stages: [], status: 'open' }, outcome, today)
  return { policy, start: outcome.dispute }
}

describe('dispute state machine properties', () => {
  it('lawful journeys: stages climb, due dates are working days, no dead ends, status only forward', () => {
    // What the walks reached, to show they explore every phase and status of every policy.
    const seen = new Set<string>()
    const note = (policy: Policy, dispute: Dispute) => {
      seen.add(`${policy.id} ${dispute.status}`)
      seen.add(`${policy.id} ${dispute.phase}`)
      if (!currentStage(dispute)) seen.add(`${policy.id} no stage`)
      if (dispute.cafcass) seen.add(`${policy.id} cafcass`)
    }
    fc.assert(
      fc.property(scenarioArb, s => {
        const { policy, start } = raiseFor(s)
        let today = s.start
        let dispute = start
        checkWayForward(policy, dispute, today)
        note(policy, dispute)
        for (const step of s.steps) {
          today = addCalendarDays(today, step.wait)
          const { command, personId } = build(pickLawful(dispute, policy, step), dispute, policy, today, step)
          const ctx = contextFor(policy, today, personId, dispute, { discussions: step.discussions })
          const before = JSON.stringify(dispute)
          const outcome = apply(dispute, command, ctx)
          // apply is pure: the record it was given is unchanged, whether it accepts or refuses.
          if (JSON.stringify(dispute) !== before) expect(dispute).toEqual(JSON.parse(before))
          if (!outcome.ok) continue
          checkStep(policy, dispute, outcome, today)
          dispute = outcome.dispute
          checkWayForward(policy, dispute, today)
          note(policy, dispute)
        }
      }),
      { numRuns: RUNS },
    )
    const expected = allPolicies.flatMap(p => [
      `${p.id} resolved`,
      `${p.id} finalised`,
      `${p.id} awaiting_response`,
      `${p.id} awaiting_decision`,
      ...(p.rules.preApproval ? [`${p.id} awaiting_pre_approval`, `${p.id} no stage`] : []),
      ...(p.rules.extension?.allowed ? [`${p.id} extension`] : []),
      ...(p.stages.some(st => st.outsideSystem) ? [`${p.id} outside_system`] : []),
      ...(p.rules.cafcass.allowed ? [`${p.id} cafcass`] : []),
    ])
    expect(expected.filter(e => !seen.has(e))).toEqual([])
  })

  it('any command by anyone never throws, and whatever is accepted keeps the same invariants', () => {
    const everyone = [...Object.values(personFor), OWNER, OTHER_REVIEWER, OUTSIDER]
    const wildStepArb = fc.record({ step: stepArb, type: fc.constantFrom(...allTypes), who: fc.nat() })
    fc.assert(
      fc.property(scenarioArb, fc.array(wildStepArb, { maxLength: 40, size: 'max' }), (s, wild) => {
        const { policy, start } = raiseFor(s)
        let today = s.start
        let dispute = start
        for (const [i, { step, type, who }] of wild.entries()) {
          today = addCalendarDays(today, step.wait)
          // A lawful step (when the scenario has one) keeps the walk moving; then anything, by anyone.
          const lawful = s.steps[i]
          const attempts: (() => { command: Command; personId: number })[] = [
            ...(lawful ? [() => build(pickLawful(dispute, policy, lawful), dispute, policy, today, lawful)] : []),
            () => ({
              command: build(type, dispute, policy, today, step).command,
              personId: everyone[who % everyone.length]!,
            }),
          ]
          for (const attempt of attempts) {
            const { command, personId } = attempt()
            const ctx = contextFor(policy, today, personId, dispute, { discussions: step.discussions })
            const outcome = apply(dispute, command, ctx)
            if (!outcome.ok) continue
            checkStep(policy, dispute, outcome, today)
            dispute = outcome.dispute
          }
        }
      }),
      { numRuns: RUNS },
    )
  })
})

describe('the agreed date checked with a form’s other fields', () => {
  const dateRefusals = ['due_date_required', 'due_date_in_past', 'due_date_not_working_day', 'agreed_date_not_allowed']
  it('is what raising at the stage gives for that date, and nothing when raising accepts it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allPolicies),
        fc.nat(),
        fc.integer({ min: toDayNumber(d('2015-01-01')), max: toDayNumber(d('2030-12-31')) }),
        fc.option(fc.integer({ min: -10, max: 30 }), { nil: undefined }),
        fc.boolean(),
        (policy, pick, day, offset, withApproval) => {
          const starts = raisableStages(policy)
          const stage = starts[pick % starts.length]!
          const today = fromDayNumber(day)
          const agreedDueOn = offset === undefined ? undefined : addCalendarDays(today, offset)
          const outcome = raise(
            {
              policy,
              ownerId: OWNER,
              reviewerRole: policy.reviewerRoles[0]!,
              startStageKey: stage.key,
              becameAwareOn: today,
              reason: 'Concern',
              ...(agreedDueOn ? { agreedDueOn } : {}),
              ...(withApproval && needsPreApproval(policy, stage.key) ? { preApproval: approval(today) } : {}),
            },
            contextFor(policy, today, OWNER, undefined),
          )
          const expected = agreedDateRefusal(stage, agreedDueOn, today, calendar)
          if (!outcome.ok && dateRefusals.includes(outcome.refusal)) expect(outcome.refusal).toBe(expected)
          else expect(expected).toBeUndefined()
        },
      ),
      { numRuns: 500 },
    )
  })
})
