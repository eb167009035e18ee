import { describe, expect, it } from 'vitest'
import { defaultCalendar, type IsoDate } from '../../domain/calendar/workingDays.js'
import type { Dispute } from '../../domain/dispute/dispute.js'
import {
  apply,
  availableCommands,
  type Command,
  type MachineContext,
  raise,
  type Relation,
  workingDaysLeft,
} from '../../domain/dispute/stateMachine.js'
import { defaultRoleTitles, type RoleKey } from '../../domain/organisation.js'
import type { Policy } from '../../domain/policies/policy.js'
import { shippedPolicies } from '../../domain/policies/policyCatalogue.js'
import type { Discussion, DisputeListRow, DisputeRecord } from '../../db/repositories/disputeRepository.js'
import type { EventRow } from '../../db/repositories/eventRepository.js'
import {
  actionRows,
  actionState,
  childDisputeRows,
  concernRows,
  discussionRuleSentence,
  disputeTableRows,
  type DisputeView,
  escalateOptions,
  glanceRows,
  noStageSentence,
  openDisputeLinks,
  meetingRows,
  personIdsOf,
  policyRuleSentences,
  raiseStageOptions,
  peopleWithTitle,
  agreedDueField,
  recordActions,
  stageViews,
  statusTags,
  timelineItems,
  workingDaysText,
} from './disputePresenter.js'

const policies = shippedPolicies()
const policy = (id: string) => policies.find(p => p.id === id)!
const A = policy('gloucestershire-2022')
const B = policy('cpc-mosaic-2022')
const D = policy('iro-care-first')
const calendar = defaultCalendar()
const today = '2023-01-05' as IsoDate

// People: the reviewer, and one person for each role on the child's chain.
const OWNER = 1
const people: Partial<Record<RoleKey, number>> = {
  social_worker: 10,
  team_manager: 11,
  service_manager: 12,
  head_of_service: 13,
  director_of_safeguarding: 14,
  director_of_childrens_services: 15,
  chief_executive: 16,
  reviewing_service_manager: 20,
}
const names = new Map<number, string>([
  [OWNER, 'Ida Reviewer'],
  [10, 'Sam Worker'],
  [11, 'Tess Manager'],
  [12, 'Sid Manager'],
  [13, 'Hal Head'],
  [14, 'Dee Director'],
  [20, 'Rita Chairs'],
])
const idsFor = (roles: readonly RoleKey[]) => roles.map(r => people[r]).filter((x): x is number => x !== undefined)

function ctx(p: Policy, actor: number, relations: Relation[], on: IsoDate = today): MachineContext {
  return {
    policy: p,
    calendar,
    today: on,
    actor: { personId: actor, relations },
    stagePeople: stage => ({
      responsiblePersonIds: idsFor(stage.responsibleRoles),
      copiedPersonIds: idsFor(stage.copiedRoles),
    }),
    preApproverIds: p.rules.preApproval ? idsFor(p.rules.preApproval.byRoles) : [],
    discussionsThisStage: [],
    actionOwnerIds: [OWNER, ...Object.values(people)],
  }
}

function raised(p: Policy, startStageKey: string, becameAwareOn = '2023-01-04' as IsoDate): Dispute {
  const outcome = raise(
    { policy: p, ownerId: OWNER, reviewerRole: 'iro', startStageKey, becameAwareOn, reason: 'The plan has drifted' },
    ctx(p, OWNER, ['owner']),
  )
  if (!outcome.ok) throw new Error(outcome.refusal)
  return outcome.dispute
}

function step(d: Dispute, p: Policy, actor: number, relations: Relation[], command: Command, on = today): Dispute {
  const outcome = apply(d, command, ctx(p, actor, relations, on))
  if (!outcome.ok) throw new Error(outcome.refusal)
  return outcome.dispute
}

function record(state: Dispute): DisputeRecord {
  return {
    id: 7,
    reference: 'DRP-000007',
    childId: 3,
    disputeSetId: 1,
    state,
    version: 1,
    createdAt: new Date('2023-01-05T09:00:00Z'),
    updatedAt: new Date('2023-01-05T09:00:00Z'),
    categoryKey: 'drift_delay',
    concern: 'The plan has drifted',
    impact: 'No permanence',
    wishesAndFeelings: '',
    recommendedResolution: 'Update the plan',
    resolutionTimescale: '10 working days',
  }
}

function view(state: Dispute, p: Policy, relations: Relation[], on = today): DisputeView {
  return {
    record: record(state),
    child: {
      id: 3,
      caseId: 'C3',
      givenName: 'Cora',
      familyName: 'Child',
      dateOfBirth: '2015-06-01',
      teamId: 1,
      teamName: 'Team A',
      socialWorkerId: 10,
      socialWorkerName: 'Sam Worker',
      iroId: OWNER,
      iroName: 'Ida Reviewer',
      cpChairId: null,
      cpChairName: null,
      cpPlanStart: null,
      lookedAfterStart: '2021-05-10',
      siblingGroupId: 1,
      version: 1,
    },
    policy: p,
    discussions: [],
    events: [],
    siblings: [
      { id: 8, reference: 'DRP-000008', childId: 4, childName: 'Cal Child', visible: true },
      { id: 9, reference: 'DRP-000009', childId: 5, childName: 'Hidden Child', visible: false },
    ],
    relations,
    actionOwners: [],
    preApproverIds: [],
    personIds: [OWNER],
    commands: availableCommands(state, p),
    // As the service works it out for someone on the record (isOnRecord has its own tests).
    mayLogDiscussion: state.status !== 'finalised' && relations.length > 0,
    calendar,
    today: on,
    noticesToAcknowledge: [],
  } as DisputeView
}

const lines = (rows: { key: string; lines: string[] }[], key: string) => rows.find(r => r.key === key)?.lines

describe('words for deadlines and states', () => {
  it('counts working days left and overdue', () => {
    expect(workingDaysText(3)).toBe('3 working days left')
    expect(workingDaysText(1)).toBe('1 working day left')
    expect(workingDaysText(0)).toBe('Due today')
    expect(workingDaysText(-2)).toBe('2 working days overdue')
    expect(workingDaysText(null)).toBeUndefined()
  })

  it('tags the status, and the phase while open', () => {
    expect(statusTags({ status: 'open', phase: 'awaiting_response' }).map(t => t.text)).toEqual([
      'Open',
      'Awaiting response',
    ])
    expect(statusTags({ status: 'finalised', phase: 'awaiting_decision' })).toEqual([
      { text: 'Finalised', classes: 'govuk-tag--grey' },
    ])
  })

  it('tags a whole record decided not resolved by its current stage’s decision', () => {
    let d = raised(A, 'formal1')
    d = step(d, A, 21, ['responsible'], {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: 10, dueOn: today }],
    })
    expect(statusTags(d).map(t => t.text)).toEqual(['Open', 'Awaiting decision'])
    d = step(d, A, OWNER, ['owner'], { type: 'decide_not_resolved', comments: 'Not enough' })
    expect(statusTags(d).map(t => t.text)).toEqual(['Open', 'Decided not resolved'])
  })

  it('tags a referral to CAFCASS, also once the record is finalised', () => {
    let d = raised(A, 'formal1')
    d = step(d, A, OWNER, ['owner'], { type: 'refer_cafcass', reasons: 'Drift' })
    expect(statusTags(d).map(t => t.text)).toEqual(['Open', 'Awaiting response', 'Referred to CAFCASS'])
    expect(statusTags({ ...d, status: 'finalised' }).map(t => t.text)).toEqual(['Finalised', 'Referred to CAFCASS'])
  })

  it('tags the response to an extension as awaiting decision, though the extension was recorded as not resolved', () => {
    const respond: Command = {
      type: 'respond',
      comments: 'Plan',
      actions: [{ what: 'Visit', ownerId: 10, dueOn: today }],
    }
    let d = raised(B, 'stage1')
    d = step(d, B, 21, ['responsible'], respond)
    d = step(d, B, OWNER, ['owner'], { type: 'agree_extension', note: 'One more day' })
    expect(statusTags(d).map(t => t.text)).toEqual(['Open', 'Extension agreed'])
    d = step(d, B, 21, ['responsible'], respond)
    expect(statusTags(d).map(t => t.text)).toEqual(['Open', 'Awaiting decision'])
  })

  it('marks an action open, overdue or done', () => {
    expect(actionState({ status: 'open', dueOn: '2023-01-05' as IsoDate }, today).text).toBe('Open')
    expect(actionState({ status: 'open', dueOn: '2023-01-04' as IsoDate }, today).text).toBe('Overdue')
    expect(actionState({ status: 'done', dueOn: '2023-01-04' as IsoDate }, today).text).toBe('Done')
  })
})

describe('a record at a glance', () => {
  it('names the stage, who it is with, and the deadlines in working days', () => {
    const rows = glanceRows(view(raised(A, 'formal1'), A, ['owner']), names)
    expect(lines(rows, 'Current stage')).toEqual(['Formal Level 1'])
    expect(lines(rows, 'Sent to')).toEqual(['Tess Manager (Team Manager)'])
    expect(lines(rows, 'Copied to')).toEqual(['Sid Manager (Service Manager)'])
    // Raised Thursday 5 January 2023: 5 working days on is 12 January; 20 is 2 February.
    expect(lines(rows, 'Response due')).toEqual(['12 January 2023 (5 working days left)'])
    expect(lines(rows, 'Overall formal deadline')).toEqual(['2 February 2023 (20 working days left)'])
    expect(lines(rows, 'Raised')).toEqual(['5 January 2023 by Ida Reviewer'])
    expect(rows.find(r => r.key === 'Linked records for siblings')).toEqual({
      key: 'Linked records for siblings',
      lines: ['DRP-000009: a sibling you are not allocated to'],
      links: [{ text: 'Cal Child (DRP-000008)', href: '/disputes/8' }],
    })
  })

  it('gives a role with brackets of its own after a comma, not in brackets inside brackets', () => {
    const title = 'Team manager / consultant social worker (CSW)'
    const bracketed = { ...A, stages: A.stages.map(s => (s.key === 'formal1' ? { ...s, responsibleTitle: title } : s)) }
    const rows = glanceRows(view(raised(bracketed, 'formal1'), bracketed, ['owner']), names)
    expect(lines(rows, 'Sent to')).toEqual([`Tess Manager, ${title}`])
    expect(lines(rows, 'Copied to')).toEqual(['Sid Manager (Service Manager)'])
  })

  it('puts the title before several people, so their names are not read as one more person', () => {
    const title = 'Team Manager (with the social worker)'
    expect(peopleWithTitle([11, 10], names, title)).toBe(`${title}: Tess Manager and Sam Worker`)
    expect(peopleWithTitle([11], names, 'Team Manager')).toBe('Tess Manager (Team Manager)')
    expect(peopleWithTitle([11, 10], names, undefined)).toBe('Tess Manager, Sam Worker')
    expect(peopleWithTitle([], names, title)).toBe('Nobody: the post is vacant')
  })

  it('shows an overdue response and a late raise', () => {
    const d = raised(B, 'stage1', '2022-12-20' as IsoDate)
    const rows = glanceRows(view(d, B, ['owner'], '2023-01-16' as IsoDate), names)
    expect(lines(rows, 'Response due')).toEqual(['12 January 2023 (2 working days overdue)'])
    expect(lines(rows, 'Became aware')).toEqual([
      '20 December 2022',
      'Raised late: the policy asks for a dispute to be raised within 2 working days of becoming aware.',
    ])
  })

  it('counts no days down while an escalation waits for pre-approval', () => {
    const d = raised(B, 'stage1')
    const waiting: Dispute = {
      ...d,
      phase: 'awaiting_pre_approval',
      pending: { stageKey: 'stage2', reason: 'No plan', requestedOn: today, bypassed: false, fromPhase: d.phase },
    }
    const rows = glanceRows(
      { ...view(waiting, B, ['owner'], '2023-01-16' as IsoDate), preApproverIds: [12, 13] },
      names,
    )
    expect(lines(rows, 'Response due')).toEqual(['None while pre-approval is awaited'])
    // Who was asked, so the reviewer knows whom to chase.
    expect(lines(rows, 'Waiting for pre-approval')).toEqual([
      `To move to ${B.stages.find(s => s.key === 'stage2')!.name}, asked on 5 January 2023`,
      'Who can give it: Sid Manager or Hal Head',
    ])
    const vacant = glanceRows(view(waiting, B, ['owner'], '2023-01-16' as IsoDate), names)
    expect(lines(vacant, 'Waiting for pre-approval')?.[1]).toBe('Who can give it: nobody, the post is vacant')
    expect(workingDaysLeft(waiting, calendar, '2023-01-16' as IsoDate)).toBeNull()
    expect(workingDaysLeft(d, calendar, '2023-01-16' as IsoDate)).toBe(-2)
  })

  it('lists a child’s open records for the raise form, one waiting for its first stage by that stage', () => {
    const d = raised(B, 'stage1')
    const waiting: Dispute = {
      ...d,
      stages: [],
      phase: 'awaiting_pre_approval',
      pending: { stageKey: 'stage2', reason: 'No plan', requestedOn: today, bypassed: false, fromPhase: d.phase },
    }
    const [open, first] = openDisputeLinks([record(d), record(waiting)], [B])
    const category = B.categories.find(c => c.key === 'drift_delay')?.name ?? 'drift_delay'
    const name = (key: string) => B.stages.find(s => s.key === key)!.name
    expect(open).toEqual({
      text: 'DRP-000007',
      href: '/disputes/7',
      about: `${category}, at ${name('stage1')}, raised 5 January 2023`,
    })
    expect(first?.about).toBe(`${category}, waiting for pre-approval for ${name('stage2')}, raised 5 January 2023`)
    // Declined or withdrawn, it has no stage and nothing pending: said so, not "waiting for pre-approval for".
    const left: Dispute = { ...waiting, phase: 'awaiting_decision', pending: null }
    expect(openDisputeLinks([record(left)], [B])[0]?.about).toBe(
      `${category}, not sent to a stage (pre-approval for its first stage was declined or withdrawn), raised 5 January 2023`,
    )
  })

  it('says why a record has no stage, as it stands', () => {
    const d = raised(B, 'stage1')
    const pending = { stageKey: 'stage2', reason: 'No plan', requestedOn: today, bypassed: false }
    const waiting: Dispute = { ...d, stages: [], phase: 'awaiting_pre_approval', pending }
    expect(noStageSentence(waiting, B)).toBe(
      `The record has not reached a stage yet: it is waiting for pre-approval for ${B.stages[2]!.name}.`,
    )
    const left: Dispute = { ...waiting, phase: 'awaiting_decision', pending: null }
    expect(noStageSentence(left, B)).toBe(
      'The record has not been sent to a stage: pre-approval for its first stage was declined or withdrawn.',
    )
    expect(noStageSentence({ ...left, status: 'finalised' }, B)).toBe(
      'The record was closed before it reached a stage.',
    )
  })

  it('says when a response is in and the formal clock has not started', () => {
    let d = raised(A, 'informal')
    d = step(d, A, 10, ['responsible'], {
      type: 'respond',
      comments: 'Agreed',
      actions: [{ what: 'Visit', ownerId: 10, dueOn: '2023-01-06' as IsoDate }],
    })
    const rows = glanceRows(view(d, A, ['owner']), names)
    expect(lines(rows, 'Response due')).toEqual(['None now: the response came on 5 January 2023'])
    expect(lines(rows, 'Overall formal deadline')).toEqual(['Not started: 20 working days from the first formal stage'])
    expect(lines(concernRows(record(d)), 'The child’s wishes and feelings')).toEqual(['Not recorded'])
    // Once resolved, the date is history, not a deadline still to meet.
    d = step(d, A, 1, ['owner'], { type: 'decide_resolved', comments: 'Done' })
    expect(lines(glanceRows(view(d, A, ['owner']), names), 'Response due')).toEqual([
      'Was due 12 January 2023; the response came on 5 January 2023',
    ])
  })

  it('does not say a response "was due" on a day after the record was closed without one', () => {
    let d = raised(A, 'formal1')
    d = step(d, A, 1, ['owner'], { type: 'decide_resolved', comments: 'Sorted by phone' })
    expect(lines(glanceRows(view(d, A, ['owner']), names), 'Response due')).toEqual([
      'Not needed: the record was resolved on 5 January 2023, before the response was due on 12 January 2023',
    ])
  })
})

describe('what the viewer may do', () => {
  const forms = (d: Dispute, p: Policy, relations: Relation[]) => recordActions(view(d, p, relations)).map(a => a.form)

  it('gives the reviewer the decisions and the manager the response', () => {
    const d = raised(A, 'formal1')
    expect(forms(d, A, ['owner'])).toEqual(['decide', 'escalate', 'cafcass', 'legalAdvice', 'discussion'])
    expect(forms(d, A, ['responsible', 'participant'])).toEqual(['respond', 'discussion'])
    expect(forms(d, A, [])).toEqual([])
  })

  it('offers legal advice under every policy (it may be sought at any point), and CAFCASS only at the end under seed 003', () => {
    const d = raised(D, 'stage1')
    expect(forms(d, D, ['owner'])).toContain('legalAdvice')
    expect(forms(d, D, ['owner'])).not.toContain('cafcass')
    expect(forms(raised(A, 'formal1'), A, ['owner'])).toContain('legalAdvice')
    expect(forms(raised(A, 'formal1'), A, ['responsible'])).not.toContain('legalAdvice')
  })

  it('leaves only an addendum once finalised', () => {
    let d = raised(A, 'formal1')
    d = step(d, A, OWNER, ['owner'], { type: 'decide_resolved', comments: 'Done' })
    expect(forms(d, A, ['owner'])).toEqual(['legalAdvice', 'finalise', 'discussion'])
    d = step(d, A, OWNER, ['owner'], { type: 'finalise' })
    expect(forms(d, A, ['owner'])).toEqual(['addendum'])
    expect(forms(d, A, ['participant'])).toEqual(['addendum'])
  })

  it('links "Mark as done" for the actions the viewer may complete', () => {
    let d = raised(A, 'formal1')
    d = step(
      d,
      A,
      11,
      ['responsible'],
      {
        type: 'respond',
        comments: 'Plan',
        actions: [
          { what: 'Update the plan', ownerId: 10, dueOn: '2023-01-04' as IsoDate },
          { what: 'Share it', ownerId: 12, dueOn: '2023-01-10' as IsoDate },
        ],
      },
      '2023-01-04' as IsoDate,
    )
    const v = view(d, A, ['action_owner'])
    const rows = actionRows(v, names, 10)
    expect(rows.map(r => [r.what, r.owner, r.due, r.state.text, r.completeHref])).toEqual([
      ['Update the plan', 'Sam Worker', '4 January 2023', 'Overdue', '/disputes/7/actions/1/complete'],
      ['Share it', 'Sid Manager', '10 January 2023', 'Open', undefined],
    ])
    expect(actionRows(view(d, A, ['owner']), names, OWNER).every(r => r.completeHref)).toBe(true)
  })
})

describe('choosing stages', () => {
  it('offers the raisable stages with who answers and how long they have', () => {
    const options = raiseStageOptions(B, 'stage2', defaultRoleTitles)
    expect(options.items.map(i => i.text)).toEqual(['Informal', 'Stage 1', 'Stage 2', 'Stage 3', 'Stage 4'])
    expect(options.items.find(i => i.checked)?.value).toBe('stage2')
    expect(options.items[2]!.hint!.text).toBe(
      'Sent to the Service Manager. Response: 5 working days. Needs the agreement of the Service manager for the Child Protection Chairs first.',
    )
    expect(options.preApprovalStages).toEqual(['Stage 2', 'Stage 3', 'Stage 4'])
    expect(raiseStageOptions(A, undefined, defaultRoleTitles).agreedDue).toEqual({
      legend: 'Agreed response date (optional)',
      hint: 'Only for Informal, leave it empty to use the policy’s timescale.',
    })
    // The CP chairs' Mosaic procedure sets no timescale for Informal: the date is needed, not optional.
    expect(options.agreedDue).toEqual({
      legend: 'Agreed response date',
      hint: 'Needed for Informal: it has no set timescale. Leave it empty for the other stages.',
    })
    expect(raiseStageOptions(D, undefined, defaultRoleTitles).items.map(i => i.value)).toEqual(['stage1'])
  })

  it('says which stages need an agreed date and for which it is optional', () => {
    const informal = (p: typeof A) => p.stages.find(s => s.key === 'informal')!
    const mosaic = { ...informal(B), name: 'Mosaic informal' }
    expect(agreedDueField([informal(A), mosaic, B.stages[1]!])).toEqual({
      legend: 'Agreed response date',
      hint: 'Needed for Mosaic informal: it has no set timescale. For Informal, leave it empty to use the policy’s timescale. Leave it empty for the other stages.',
    })
    // Held outside Concord with no timescale: no date to agree.
    expect(agreedDueField([{ ...mosaic, outsideSystem: true }, B.stages[1]!])).toBeUndefined()
    expect(agreedDueField([mosaic, { ...mosaic, name: 'Another' }])?.hint).toBe(
      'Needed for Mosaic informal, Another: they have no set timescale.',
    )
    expect(agreedDueField(B.stages.slice(1))).toBeUndefined()
  })

  it('escalates to the next stage, or any higher one where bypass is allowed', () => {
    expect(escalateOptions(raised(A, 'formal1'), A, undefined, defaultRoleTitles).items.map(i => i.value)).toEqual([
      'formal2',
      'formal3',
      'formal4',
    ])
    const b = escalateOptions(raised(B, 'stage1'), B, undefined, defaultRoleTitles)
    expect(b.items.map(i => i.value)).toEqual(['stage2'])
    expect(b.preApprovalStages).toEqual(['Stage 2'])
  })
})

describe('the timeline', () => {
  const event = (id: number, kind: string, data: Record<string, unknown>): EventRow => ({
    id,
    occurred_at: new Date('2023-01-05T09:00:00Z'),
    actor_id: OWNER,
    actor_name: 'Ida Reviewer',
    entity_type: 'dispute',
    entity_id: 7,
    child_id: 3,
    kind,
    data,
  })

  it('tells each event in words, with the discussion that was logged', () => {
    const discussion: Discussion = {
      id: 4,
      stageKey: 'formal1',
      channel: 'phone',
      heldOn: '2023-01-05',
      participants: 'Tess Manager',
      summary: 'Agreed to meet',
      meeting: null,
      recordedBy: OWNER,
      recordedByName: 'Ida Reviewer',
      recordedAt: new Date('2023-01-05T09:00:00Z'),
    }
    const items = timelineItems(
      [
        event(3, 'dispute.discussion_logged', { discussionId: 4, channel: 'phone' }),
        event(2, 'dispute.escalated', {
          fromStageKey: 'formal1',
          toStageKey: 'formal3',
          reason: 'No reply',
          bypassed: true,
        }),
        event(1, 'dispute.stage_entered', {
          stageKey: 'formal1',
          dueOn: '2023-01-12',
          responsiblePersonIds: [11],
          copiedPersonIds: [],
        }),
      ],
      [discussion],
      A,
      names,
    )
    expect(items.map(i => i.title)).toEqual([
      'Discussion logged: phone call',
      'Escalated from Formal Level 1 to Formal Level 3',
      'Stage begun: Formal Level 1',
    ])
    expect(items[0]!.lines).toEqual(['Held on 5 January 2023 with Tess Manager.', 'Agreed to meet'])
    expect(items[1]!.lines).toEqual(['No reply', 'Stages in between were bypassed.'])
    expect(items[2]!.lines).toEqual(['Sent to Tess Manager.', 'Response due 12 January 2023.'])
    expect(items[0]).toMatchObject({ by: 'Ida Reviewer', datetime: '5 January 2023 at 9:00am' })
  })

  it('tells an acknowledgement in words, not by its event key', () => {
    const titles = timelineItems(
      [
        event(2, 'work.acknowledged', { itemId: 9, itemKind: 'informed' }),
        event(1, 'work.acknowledged', { itemId: 8 }), // written before the kind was kept: a copy, the usual notice
      ],
      [],
      A,
      names,
    ).map(i => i.title)
    expect(titles).toEqual([
      'Acknowledged being informed of the CAFCASS referral',
      'Acknowledged a copy for information',
    ])
  })

  it('tells an escalation that waits for pre-approval as asked for, once, and as done once given', () => {
    const at = (e: EventRow, iso: string): EventRow => ({ ...e, occurred_at: new Date(iso) })
    const asked = [
      event(5, 'dispute.pre_approval_requested', { stageKey: 'stage2', reason: 'No plan' }),
      event(4, 'dispute.escalated', {
        fromStageKey: 'stage1',
        toStageKey: 'stage2',
        reason: 'No plan',
        bypassed: false,
      }),
    ]
    const titles = (events: EventRow[]) => timelineItems(events, [], B, names).map(i => i.title)
    // One entry, not the escalation and the request each with the same reason.
    expect(titles(asked)).toEqual(['Escalation to Stage 2 asked for, from Stage 1'])
    expect(timelineItems(asked, [], B, names)[0]!.lines).toEqual(['No plan', 'It waits for pre-approval.'])
    // A raise that asks for pre-approval has no escalation: the request is told on its own.
    const raisedAsking = event(7, 'dispute.pre_approval_requested', { stageKey: 'stage2', reason: 'No plan' })
    expect(titles([at(raisedAsking, '2023-01-10T09:00:00Z')])).toEqual(['Pre-approval asked for Stage 2'])
    // An escalation that needed no pre-approval, in another act of the same record, is told as done.
    const later = at(
      event(6, 'dispute.escalated', { fromStageKey: 'stage2', toStageKey: 'stage3', reason: 'Still none' }),
      '2023-01-09T09:00:00Z',
    )
    expect(titles([later, ...asked])[0]).toBe('Escalated from Stage 2 to Stage 3')
  })

  it('names who agreed a pre-approval only when the reviewer recorded it for them', () => {
    const given = event(1, 'dispute.pre_approved', {
      stageKey: 'stage2',
      byPersonId: OWNER,
      on: '2023-01-05',
      note: 'Yes',
    })
    expect(timelineItems([given], [], B, names)[0]!.lines).toEqual(['Yes'])
    const recorded = event(2, 'dispute.pre_approved', {
      stageKey: 'stage2',
      byPersonId: OWNER,
      on: '2023-01-04',
      note: '',
      recordedBy: 99,
    })
    expect(timelineItems([recorded], [], B, names)[0]!.lines).toEqual(['Agreed by Ida Reviewer on 4 January 2023.'])
  })

  it('tells a withdrawn request for pre-approval with its reason', () => {
    const withdrawn = event(1, 'dispute.pre_approval_withdrawn', { stageKey: 'stage2', reason: 'Settled' })
    expect(timelineItems([withdrawn], [], B, names)[0]).toMatchObject({
      title: 'Request for pre-approval for Stage 2 withdrawn',
      lines: ['Settled'],
    })
  })

  it('lists the meeting notes under the seed’s agenda headings', () => {
    expect(meetingRows({ reasonForMeeting: 'Drift', outcome: 'remains', outcomeDetail: 'Escalate' })).toEqual([
      { key: 'Child’s details', lines: ['Not recorded'] },
      { key: 'Meeting details', lines: ['Not recorded'] },
      { key: 'Reason for meeting', lines: ['Drift'] },
      { key: 'Views of parties involved', lines: ['Not recorded'] },
      { key: 'Actions taken to date', lines: ['Not recorded'] },
      { key: 'Discussion', lines: ['Not recorded'] },
      { key: 'Outcome', lines: ['Dispute remains', 'Escalate'] },
    ])
    expect(meetingRows(null)).toEqual([])
  })

  it('looks up everyone the record names', () => {
    let d = raised(A, 'formal1')
    d = step(d, A, OWNER, ['owner'], { type: 'refer_cafcass', reasons: 'Drift' })
    expect(
      personIdsOf({
        personIds: [OWNER],
        record: record({ ...d, cafcass: { ...d.cafcass!, informedPersonIds: [21] } }),
      }),
    ).toEqual([OWNER, 21])
  })
})

describe('lists', () => {
  it('shows working days left while a response is awaited', () => {
    const row = (
      phase: string,
      due: string | null,
      decidedNotResolved = false,
      referredToCafcass = false,
    ): DisputeListRow => ({
      id: 7,
      reference: 'DRP-000007',
      childId: 3,
      childName: 'Cora Child',
      caseId: 'C3',
      policyId: 'gloucestershire-2022',
      categoryKey: 'drift_delay',
      status: 'open',
      phase,
      decidedNotResolved,
      referredToCafcass,
      currentStageKey: 'formal1',
      responsibleName: 'Tess Manager',
      responseDueOn: due,
      overallDueOn: null,
      raisedOn: '2023-01-05',
      reviewerName: 'Ida Reviewer',
    })
    const [waiting, answered, notResolved, referred] = disputeTableRows(
      [
        row('awaiting_response', '2023-01-12'),
        row('awaiting_decision', '2023-01-12'),
        row('awaiting_decision', '2023-01-12', true),
        row('awaiting_decision', '2023-01-12', true, true),
      ],
      policies,
      calendar,
      today,
    )
    expect(waiting).toMatchObject({
      link: { text: 'DRP-000007', href: '/disputes/7' },
      child: { text: 'Cora Child (C3)', href: '/children/3' },
      category: 'Drift and Delay in achieving timely permanence for children',
      stage: 'Formal Level 1',
      due: '12 January 2023 (5 working days left)',
    })
    expect(answered!.due).toBe('Response received')
    expect(answered!.tags.map(t => t.text)).toEqual(['Open', 'Awaiting decision'])
    // Decided not resolved: the reviewer's next step awaits, not a decision.
    expect(notResolved!.tags.map(t => t.text)).toEqual(['Open', 'Decided not resolved'])
    expect(referred!.tags.map(t => t.text)).toEqual(['Open', 'Decided not resolved', 'Referred to CAFCASS'])
  })

  it('lists a child’s records', () => {
    expect(childDisputeRows([record(raised(A, 'formal1'))], policies, calendar, today)).toEqual([
      {
        link: { text: 'DRP-000007', href: '/disputes/7' },
        category: 'Drift and Delay in achieving timely permanence for children',
        stage: 'Formal Level 1',
        raised: '5 January 2023',
        due: '12 January 2023 (5 working days left)',
        tags: statusTags({ status: 'open', phase: 'awaiting_response' }),
      },
    ])
  })
})

describe('a policy in plain English', () => {
  it('states each rule in the policy’s own titles', () => {
    const b = policyRuleSentences(B, defaultRoleTitles)
    expect(b).toContain(
      'The Service manager for the Child Protection Chairs must agree before a dispute is raised or escalated to Stage 2 or above.',
    )
    expect(b).toContain('Escalation is always to the next stage.')
    expect(b).toContain(
      'Instead of escalating, the reviewer may agree one extension of 1 working day at each stage for extra actions.',
    )
    expect(b).toContain(
      'Before escalating from Informal, Stage 1, Stage 2 and Stage 3, the reviewer must discuss the dispute in a phone call, a face-to-face discussion or a meeting.',
    )
    const d = policyRuleSentences(D, defaultRoleTitles)
    expect(d).toContain('An IRO may refer the dispute to CAFCASS once the last stage has not resolved it.')
    expect(d).toContain(
      'Before escalating from or resolving at Stage 1, the reviewer must discuss the dispute in a phone call, a face-to-face discussion or a meeting. Email alone is not enough.',
    )
    expect(d).toContain('The reviewer may seek legal advice at any point.')
  })
})

describe('the discussion rule on the escalate page', () => {
  const at = (stageKey: string) => ({ stages: [{ stageKey }] }) as unknown as Dispute

  it('says, before the form is sent, which discussions count and which do not count alone', () => {
    expect(discussionRuleSentence(at('stage1'), B)).toBe(
      'Before escalating from this stage, this policy asks you to log a discussion of the dispute: a phone call, a face-to-face discussion or a meeting.',
    )
    expect(discussionRuleSentence(at('informal'), policy('cpc-protocol'))).toBe(
      'Before escalating from this stage, this policy asks you to log a discussion of the dispute: a face-to-face discussion or a meeting. Email or a letter alone is not enough.',
    )
  })

  it('says nothing where the policy has no such rule, or not for this stage', () => {
    expect(discussionRuleSentence(at('formal1'), A)).toBeUndefined()
    expect(discussionRuleSentence(at('resolution_meeting'), policy('cpc-protocol'))).toBeUndefined()
  })
})

describe('stage headings', () => {
  it('add the responsible title unless the stage is already named after it', () => {
    const heading = (p: Policy, key: string) => {
      const [v] = stageViews(raised(p, key), p, names)
      return v!.responsibleTitle ? `${v!.name}: ${v!.responsibleTitle}` : v!.name
    }
    const protocol = policy('cpc-protocol')
    expect(heading(A, 'formal1')).toBe('Formal Level 1: Team Manager')
    expect(heading(protocol, 'head_of_service')).toBe('Head of Service')
  })
})
