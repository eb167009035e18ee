// Each shipped policy driven through every stage in order, from the raise to the finalised record,
// checking at every stage who answers, who is copied, when the answer is due (counted with the real
// England & Wales calendar, so the dates below cross Christmas, Easter, the Coronation and the May and
// August bank holidays), the overall formal deadline and the events emitted.
import { describe, expect, it } from 'vitest'
import type { Channel, Policy } from '../policies/policy.js'
import { needsPreApproval } from '../policies/policyCatalogue.js'
import type { Dispute } from './dispute.js'
import { apply, raise, type Command, type Outcome } from './stateMachine.js'
import {
  A,
  accepted,
  B,
  C,
  CHIEF_EXECUTIVE,
  contextFor,
  D,
  d,
  DIRECTOR_OF_CHILDRENS_SERVICES,
  DIRECTOR_OF_SAFEGUARDING,
  HEAD_OF_SERVICE,
  kinds,
  OWNER,
  refusal,
  REVIEWING_SERVICE_MANAGER,
  SERVICE_MANAGER,
  SOCIAL_WORKER,
  TEAM_MANAGER,
} from './testSupport.js'

interface StageStep {
  key: string
  /** The day the record reaches the stage (the approval day when pre-approval is asked for). */
  enteredOn: string
  responsible: number[]
  copied: number[]
  /** Worked out by hand from the calendar: N working days after enteredOn (or the agreed date). */
  dueOn: string
  /** How the policy's pre-approval is got: asked for on a day and approved on enteredOn, or recorded with the escalation. */
  preApproval?: { askedOn: string } | 'recorded'
  /** The discussion logged at this stage before escalating from it, where the policy requires one. */
  discussion?: Channel
}

interface Journey {
  name: string
  policy: Policy
  reviewerRole: 'iro' | 'cp_chair'
  becameAwareOn: string
  agreedDueOn?: string
  stages: StageStep[]
  firstFormalOn: string
  overallDueOn: string | null
  resolvedOn: string
  finalisedOn: string
}

const journeys: Journey[] = [
  {
    name: 'A: Gloucestershire 2022',
    policy: A,
    reviewerRole: 'iro',
    becameAwareOn: '2022-12-21',
    stages: [
      // Thu 22 Dec 2022 + 5: Fri 23, (Boxing Day, Christmas substitute) Wed 28, Thu 29, Fri 30, (New Year substitute) Tue 3 Jan.
      {
        key: 'informal',
        enteredOn: '2022-12-22',
        responsible: [SOCIAL_WORKER],
        copied: [TEAM_MANAGER],
        dueOn: '2023-01-03',
      },
      {
        key: 'formal1',
        enteredOn: '2023-01-03',
        responsible: [TEAM_MANAGER],
        copied: [SERVICE_MANAGER],
        dueOn: '2023-01-10',
      },
      {
        key: 'formal2',
        enteredOn: '2023-01-10',
        responsible: [HEAD_OF_SERVICE, SERVICE_MANAGER],
        copied: [DIRECTOR_OF_SAFEGUARDING],
        dueOn: '2023-01-17',
      },
      // Thu 6 Apr 2023 + 5 skips Good Friday and Easter Monday.
      {
        key: 'formal3',
        enteredOn: '2023-04-06',
        responsible: [DIRECTOR_OF_SAFEGUARDING],
        copied: [],
        dueOn: '2023-04-17',
      },
      // Fri 5 May 2023 + 5 skips the Coronation bank holiday on Mon 8 May.
      {
        key: 'formal4',
        enteredOn: '2023-05-05',
        responsible: [DIRECTOR_OF_CHILDRENS_SERVICES],
        copied: [],
        dueOn: '2023-05-15',
      },
    ],
    // 20 working days from Tue 3 Jan 2023.
    firstFormalOn: '2023-01-03',
    overallDueOn: '2023-01-31',
    resolvedOn: '2023-05-12',
    finalisedOn: '2023-05-15',
  },
  {
    name: 'B: CP chair DRP on Mosaic',
    policy: B,
    reviewerRole: 'cp_chair',
    becameAwareOn: '2022-12-21',
    // The informal stage has no fixed time: the chair agrees one.
    agreedDueOn: '2022-12-23',
    stages: [
      {
        key: 'informal',
        enteredOn: '2022-12-22',
        responsible: [TEAM_MANAGER, SOCIAL_WORKER],
        copied: [],
        dueOn: '2022-12-23',
        discussion: 'phone',
      },
      {
        key: 'stage1',
        enteredOn: '2023-01-03',
        responsible: [TEAM_MANAGER],
        copied: [],
        dueOn: '2023-01-10',
        discussion: 'phone',
      },
      // Asked on Tue 10 Jan, agreed on Wed 11 Jan: dated from the agreement.
      {
        key: 'stage2',
        enteredOn: '2023-01-11',
        responsible: [SERVICE_MANAGER],
        copied: [],
        dueOn: '2023-01-18',
        preApproval: { askedOn: '2023-01-10' },
        discussion: 'meeting',
      },
      {
        key: 'stage3',
        enteredOn: '2023-04-06',
        responsible: [HEAD_OF_SERVICE],
        copied: [],
        dueOn: '2023-04-17',
        preApproval: 'recorded',
        discussion: 'face_to_face',
      },
      {
        key: 'stage4',
        enteredOn: '2023-05-05',
        responsible: [DIRECTOR_OF_SAFEGUARDING, DIRECTOR_OF_CHILDRENS_SERVICES],
        copied: [],
        dueOn: '2023-05-15',
        preApproval: { askedOn: '2023-05-04' },
      },
    ],
    firstFormalOn: '2023-01-03',
    overallDueOn: null,
    resolvedOn: '2023-05-12',
    finalisedOn: '2023-05-15',
  },
  {
    name: 'C: CP conference chair protocol',
    policy: C,
    reviewerRole: 'cp_chair',
    becameAwareOn: '2022-12-20',
    stages: [
      // Thu 22 Dec 2022 + 2: Fri 23, then Wed 28 after the two Christmas bank holidays.
      {
        key: 'informal',
        enteredOn: '2022-12-22',
        responsible: [SOCIAL_WORKER, TEAM_MANAGER],
        copied: [],
        dueOn: '2022-12-28',
        discussion: 'face_to_face',
      },
      { key: 'team_manager', enteredOn: '2023-01-03', responsible: [TEAM_MANAGER], copied: [], dueOn: '2023-01-09' },
      {
        key: 'resolution_meeting',
        enteredOn: '2023-01-10',
        responsible: [TEAM_MANAGER, SOCIAL_WORKER],
        copied: [],
        dueOn: '2023-01-16',
      },
      {
        key: 'head_of_service',
        enteredOn: '2023-04-06',
        responsible: [HEAD_OF_SERVICE],
        copied: [TEAM_MANAGER, SOCIAL_WORKER, REVIEWING_SERVICE_MANAGER],
        dueOn: '2023-04-14',
      },
      {
        key: 'assistant_director',
        enteredOn: '2023-05-05',
        responsible: [DIRECTOR_OF_SAFEGUARDING],
        copied: [HEAD_OF_SERVICE, TEAM_MANAGER, REVIEWING_SERVICE_MANAGER],
        dueOn: '2023-05-12',
        preApproval: { askedOn: '2023-05-04' },
      },
      // Fri 26 May 2023 + 4 skips the spring bank holiday.
      {
        key: 'director',
        enteredOn: '2023-05-26',
        responsible: [DIRECTOR_OF_CHILDRENS_SERVICES],
        copied: [DIRECTOR_OF_SAFEGUARDING, HEAD_OF_SERVICE, TEAM_MANAGER, REVIEWING_SERVICE_MANAGER],
        dueOn: '2023-06-02',
        preApproval: 'recorded',
      },
      // Fri 25 Aug 2023 + 4 skips the summer bank holiday.
      {
        key: 'chief_executive',
        enteredOn: '2023-08-25',
        responsible: [CHIEF_EXECUTIVE],
        copied: [
          DIRECTOR_OF_CHILDRENS_SERVICES,
          DIRECTOR_OF_SAFEGUARDING,
          HEAD_OF_SERVICE,
          TEAM_MANAGER,
          REVIEWING_SERVICE_MANAGER,
        ],
        dueOn: '2023-09-01',
        preApproval: { askedOn: '2023-08-24' },
      },
    ],
    firstFormalOn: '2023-01-03',
    overallDueOn: '2023-01-31',
    resolvedOn: '2023-08-31',
    finalisedOn: '2023-09-01',
  },
  {
    name: 'D: IRO procedure on Care First',
    policy: D,
    reviewerRole: 'iro',
    becameAwareOn: '2022-12-19',
    stages: [
      {
        key: 'stage1',
        enteredOn: '2022-12-22',
        responsible: [TEAM_MANAGER, SOCIAL_WORKER],
        copied: [],
        dueOn: '2023-01-03',
        discussion: 'phone',
      },
      { key: 'stage2', enteredOn: '2023-01-03', responsible: [SERVICE_MANAGER], copied: [], dueOn: '2023-01-10' },
      // The CSSU service manager is informed by stage 3.
      {
        key: 'stage3',
        enteredOn: '2023-01-10',
        responsible: [HEAD_OF_SERVICE],
        copied: [REVIEWING_SERVICE_MANAGER],
        dueOn: '2023-01-17',
      },
      {
        key: 'stage4',
        enteredOn: '2023-04-06',
        responsible: [DIRECTOR_OF_SAFEGUARDING],
        copied: [],
        dueOn: '2023-04-17',
      },
      // Outside the system from here: the outcome is recorded.
      {
        key: 'stage5',
        enteredOn: '2023-05-05',
        responsible: [DIRECTOR_OF_CHILDRENS_SERVICES],
        copied: [],
        dueOn: '2023-05-15',
      },
      {
        key: 'chief_executive',
        enteredOn: '2023-05-26',
        responsible: [CHIEF_EXECUTIVE],
        copied: [],
        dueOn: '2023-06-05',
      },
    ],
    // The first stage is formal: 20 working days from Thu 22 Dec 2022.
    firstFormalOn: '2022-12-22',
    overallDueOn: '2023-01-24',
    resolvedOn: '2023-06-01',
    finalisedOn: '2023-06-02',
  },
]

describe.each(journeys)('$name: a full journey through every stage', journey => {
  const { policy } = journey

  it('the table names every stage of the policy, in order, and pre-approval exactly where the policy needs it', () => {
    expect(journey.stages.map(s => s.key)).toEqual(policy.stages.map(s => s.key))
    for (const step of journey.stages.slice(1))
      expect(step.preApproval !== undefined, step.key).toBe(needsPreApproval(policy, step.key))
    const needing = policy.rules.discussionBeforeEscalation?.fromStageKeys ?? []
    for (const step of journey.stages.slice(0, -1))
      expect(step.discussion !== undefined, step.key).toBe(needing.includes(step.key))
  })

  it('raises, responds, escalates through each stage, resolves and finalises', () => {
    let dispute: Dispute | undefined
    const act = (personId: number, command: Command, on: string, discussions: Channel[] = []): Outcome => {
      const outcome = apply(dispute!, command, contextFor(policy, d(on), personId, dispute, { discussions }))
      if (outcome.ok) dispute = outcome.dispute
      return outcome
    }
    const rule = policy.rules.discussionBeforeEscalation

    journey.stages.forEach((step, i) => {
      const policyStage = policy.stages[i]!
      const last = i === journey.stages.length - 1
      const next = journey.stages[i + 1]

      // Reaching the stage: by raising at the first, later by the escalation made at the stage before.
      if (i === 0) {
        const raised = raise(
          {
            policy,
            ownerId: OWNER,
            reviewerRole: journey.reviewerRole,
            startStageKey: step.key,
            becameAwareOn: d(journey.becameAwareOn),
            reason: 'The plan has drifted',
            ...(journey.agreedDueOn ? { agreedDueOn: d(journey.agreedDueOn) } : {}),
          },
          contextFor(policy, d(step.enteredOn), OWNER, undefined),
        )
        expect(kinds(raised)).toEqual(['dispute.raised', 'dispute.stage_entered'])
        expect(accepted(raised).events[0]!.data).toEqual({
          policyId: policy.id,
          policyVersion: policy.version,
          startStageKey: step.key,
          becameAwareOn: journey.becameAwareOn,
          raisedLate: false,
        })
        expect(accepted(raised).events[1]!.data).toMatchObject({
          stageKey: step.key,
          dueOn: step.dueOn,
          responsiblePersonIds: step.responsible,
          copiedPersonIds: step.copied,
          bypassed: false,
        })
        dispute = accepted(raised).dispute
        expect(dispute).toMatchObject({ ownerId: OWNER, status: 'open', raisedOn: step.enteredOn, raisedLate: false })
      }

      // At the stage: who answers, who is copied, when, and the overall deadline.
      const stage = dispute!.stages.at(-1)!
      expect(dispute!.stages).toHaveLength(i + 1)
      expect(stage).toMatchObject({
        stageKey: step.key,
        enteredOn: step.enteredOn,
        dueOn: step.dueOn,
        responsiblePersonIds: step.responsible,
        copiedPersonIds: step.copied,
        bypassed: false,
        responses: [],
        extension: null,
        decision: null,
        outcome: null,
      })
      expect(dispute!.phase).toBe(policyStage.outsideSystem ? 'outside_system' : 'awaiting_response')
      const formalReached = journey.stages.slice(0, i + 1).some(s => policy.stages.find(p => p.key === s.key)!.formal)
      expect(dispute!.firstFormalOn).toBe(formalReached ? journey.firstFormalOn : null)
      expect(dispute!.overallDueOn).toBe(formalReached ? journey.overallDueOn : null)

      const leaveOn = next ? (typeof next.preApproval === 'object' ? next.preApproval.askedOn : next.enteredOn) : null
      if (policyStage.outsideSystem) {
        // Handled outside the system: the reviewer records the outcome.
        const on = last ? journey.resolvedOn : leaveOn!
        const outcome = act(OWNER, { type: 'record_outcome', text: 'Director met the parties', resolved: last }, on)
        expect(kinds(outcome)).toEqual(['dispute.outcome_recorded'])
        expect(accepted(outcome).events[0]!.data).toEqual({
          stageKey: step.key,
          on,
          text: 'Director met the parties',
          resolved: last,
        })
      } else {
        // The accountable manager responds with a SMART action plan, on time.
        const responder = step.responsible[0]!
        const responded = act(
          responder,
          {
            type: 'respond',
            comments: 'Plan agreed',
            actions: [{ what: 'Complete the assessment', ownerId: responder, dueOn: d(step.dueOn) }],
          },
          step.enteredOn,
        )
        expect(kinds(responded)).toEqual(['dispute.responded'])
        expect(accepted(responded).events[0]!.data).toMatchObject({ stageKey: step.key, late: false })
        expect(dispute!.phase).toBe('awaiting_decision')
        const action = dispute!.actions.at(-1)!
        expect(action).toMatchObject({ stageKey: step.key, ownerId: responder, dueOn: step.dueOn, status: 'open' })
        expect(dispute!.stages.at(-1)!.responses).toEqual([
          { on: step.enteredOn, byPersonId: responder, comments: 'Plan agreed', actionIds: [action.id] },
        ])
        const decided = last
          ? act(OWNER, { type: 'decide_resolved', comments: 'The plan is back on track' }, journey.resolvedOn)
          : act(OWNER, { type: 'decide_not_resolved', comments: 'The actions will not help the child' }, leaveOn!)
        expect(kinds(decided)).toEqual([last ? 'dispute.resolved' : 'dispute.not_resolved'])
      }

      if (!next) return
      // Escalating: the discussions the policy requires first, then pre-approval where the policy needs it.
      if (rule?.fromStageKeys.includes(step.key)) {
        const escalation: Command = { type: 'escalate', toStageKey: next.key, reason: 'Not resolved' }
        expect(refusal(act(OWNER, escalation, leaveOn!))).toBe('discussion_required')
        if (rule.notSufficientAlone.length > 0)
          expect(refusal(act(OWNER, escalation, leaveOn!, rule.notSufficientAlone))).toBe('discussion_required')
      }
      const discussions = step.discussion ? [step.discussion] : []
      const escalated = act(
        OWNER,
        {
          type: 'escalate',
          toStageKey: next.key,
          reason: 'Not resolved',
          ...(next.preApproval === 'recorded'
            ? { preApproval: { byPersonId: REVIEWING_SERVICE_MANAGER, on: d(leaveOn!), note: 'Agreed by phone' } }
            : {}),
        },
        leaveOn!,
        discussions,
      )
      const escalatedEvent = {
        kind: 'dispute.escalated',
        data: { fromStageKey: step.key, toStageKey: next.key, reason: 'Not resolved', bypassed: false },
      }
      expect(accepted(escalated).events[0]).toEqual(escalatedEvent)
      let lastEvent = accepted(escalated).events.at(-1)
      // The stage left is closed as not resolved.
      expect(dispute!.stages[i]!.decision).toMatchObject({ resolved: false })
      if (typeof next.preApproval === 'object') {
        expect(kinds(escalated)).toEqual(['dispute.escalated', 'dispute.pre_approval_requested'])
        expect(dispute!.phase).toBe('awaiting_pre_approval')
        expect(dispute!.stages).toHaveLength(i + 1)
        expect(dispute!.pending).toMatchObject({ stageKey: next.key, requestedOn: leaveOn })
        const approved = act(REVIEWING_SERVICE_MANAGER, { type: 'approve', note: 'Agreed' }, next.enteredOn)
        lastEvent = accepted(approved).events.at(-1)
        expect(kinds(approved)).toEqual(['dispute.pre_approved', 'dispute.stage_entered'])
        expect(accepted(approved).events[0]!.data).toEqual({
          stageKey: next.key,
          byPersonId: REVIEWING_SERVICE_MANAGER,
          on: next.enteredOn,
          note: 'Agreed',
        })
      } else if (next.preApproval === 'recorded') {
        expect(kinds(escalated)).toEqual(['dispute.escalated', 'dispute.pre_approved', 'dispute.stage_entered'])
      } else {
        expect(kinds(escalated)).toEqual(['dispute.escalated', 'dispute.stage_entered'])
      }
      // The hand-over to the next stage: to whom, copied to whom, due when.
      expect(lastEvent).toEqual({
        kind: 'dispute.stage_entered',
        data: {
          stageKey: next.key,
          dueOn: next.dueOn,
          responsiblePersonIds: next.responsible,
          copiedPersonIds: next.copied,
          reason: 'Not resolved',
          bypassed: false,
        },
      })
      expect(dispute!.pending).toBeNull()
    })

    // Resolved at the last stage, then authorised by the reviewer and locked.
    expect(dispute!.status).toBe('resolved')
    expect(dispute!.resolution).toEqual({
      on: journey.resolvedOn,
      comments: expect.any(String),
      atStageKey: journey.stages.at(-1)!.key,
    })
    const finalised = act(OWNER, { type: 'finalise' }, journey.finalisedOn)
    expect(accepted(finalised).events).toEqual([{ kind: 'dispute.finalised', data: { on: journey.finalisedOn } }])
    expect(dispute).toMatchObject({ status: 'finalised', finalisedOn: journey.finalisedOn })
    expect(refusal(act(OWNER, { type: 'record_legal_advice', note: 'Too late' }, journey.finalisedOn))).toBe('locked')
    expect(dispute!.preApprovals.map(p => p.stageKey)).toEqual(
      journey.stages.filter(s => s.preApproval !== undefined).map(s => s.key),
    )
    expect(dispute!.stages.map(s => s.stageKey)).toEqual(policy.stages.map(s => s.key))
  })
})

describe('the due dates in the journeys are the real calendar', () => {
  it('counts from the next working day over Christmas 2022 (brief: Thu 22 Dec 2022 + 5 = Tue 3 Jan 2023)', () => {
    const raised = raise(
      {
        policy: D,
        ownerId: OWNER,
        reviewerRole: 'iro',
        startStageKey: 'stage1',
        becameAwareOn: d('2022-12-22'),
        reason: 'Drift',
      },
      contextFor(D, d('2022-12-22'), OWNER, undefined),
    )
    expect(accepted(raised).dispute.stages[0]!.dueOn).toBe('2023-01-03')
  })
})
