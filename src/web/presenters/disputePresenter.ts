import {
  type Calendar,
  compareIsoDates,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  type IsoDate,
  workingDaysBetween,
} from '../../domain/calendar/workingDays.js'
import {
  type Action,
  decidedNotResolved,
  type Dispute,
  type DisputeStatus,
  type StageEntry,
  type StagePhase,
} from '../../domain/dispute/dispute.js'
import { type Command, type Relation, workingDaysLeft } from '../../domain/dispute/stateMachine.js'
import type { RoleKey } from '../../domain/organisation.js'
import { type Channel, dueDateMustBeAgreed, type Policy, type PolicyStage } from '../../domain/policies/policy.js'
import {
  escalationTargets,
  findPolicy,
  findStage,
  needsPreApproval,
  raisableStages,
} from '../../domain/policies/policyCatalogue.js'
import type { Discussion, DisputeListRow, DisputeRecord } from '../../db/repositories/disputeRepository.js'
import type { EventRow } from '../../db/repositories/eventRepository.js'
import type { DisputeService } from '../../services/disputeService.js'
import { meetingAgenda, meetingOutcomes } from '../forms/disputeForms.js'
import { paths } from '../paths.js'
import { stepNames } from '../../text/stepNames.js'
import { andList, formatDate, formatDateTime, orList, withRole } from '../../text/format.js'

/** Everything `disputes.view()` returns for a record's page. */
export type DisputeView = Awaited<ReturnType<DisputeService['view']>>
export type Names = ReadonlyMap<number, string>
export type RoleTitles = Record<RoleKey, string>

export interface Tag {
  text: string
  classes: string
}

export interface Link {
  text: string
  href: string
}

/** A row of a summary list; the template writes it out by hand, all as escaped text. */
export interface SummaryRow {
  key: string
  lines: string[]
  links?: Link[]
  tags?: Tag[]
}

// ---- Words ------------------------------------------------------------------------------------------------

const statusTagFor: Record<DisputeStatus, Tag> = {
  open: { text: 'Open', classes: 'govuk-tag--blue' },
  resolved: { text: 'Resolved', classes: 'govuk-tag--green' },
  finalised: { text: 'Finalised', classes: 'govuk-tag--grey' },
}

const phaseTagFor: Record<StagePhase, Tag> = {
  awaiting_pre_approval: { text: 'Awaiting pre-approval', classes: 'govuk-tag--yellow' },
  awaiting_response: { text: 'Awaiting response', classes: 'govuk-tag--light-blue' },
  awaiting_decision: { text: 'Awaiting decision', classes: 'govuk-tag--purple' },
  extension: { text: 'Extension agreed', classes: 'govuk-tag--orange' },
  outside_system: { text: 'Outside the system', classes: 'govuk-tag--grey' },
}

/** A stage decided not resolved waits for the reviewer's next step, not for a decision. */
const decidedNotResolvedTag: Tag = { text: 'Decided not resolved', classes: 'govuk-tag--pink' }

/** A referral to CAFCASS stays on the record whatever its status (seeds 003 and 004). */
const cafcassTag: Tag = { text: 'Referred to CAFCASS', classes: 'govuk-tag--red' }

/**
 * The status, while the dispute is open where the current stage stands, and any referral to CAFCASS. A
 * list row says whether the stage was decided not resolved and whether it was referred; a whole record
 * has its stages and its referral to tell.
 */
export function statusTags(
  state: Pick<Dispute, 'status' | 'phase'> & {
    stages?: Dispute['stages']
    decidedNotResolved?: boolean
    cafcass?: Dispute['cafcass']
    referredToCafcass?: boolean
  },
): Tag[] {
  const status = statusTagFor[state.status as DisputeStatus] ?? { text: state.status, classes: 'govuk-tag--grey' }
  const referral = (state.referredToCafcass ?? state.cafcass != null) ? [cafcassTag] : []
  if (state.status !== 'open') return [status, ...referral]
  const notResolved =
    state.decidedNotResolved ?? (state.stages !== undefined && decidedNotResolved({ ...state, stages: state.stages }))
  const phase =
    state.phase === 'awaiting_decision' && notResolved ? decidedNotResolvedTag : phaseTagFor[state.phase as StagePhase]
  return [status, ...(phase ? [phase] : []), ...referral]
}

/**
 * The policy's rule that the reviewer discusses the dispute before escalating from the current stage
 * (or, where it says so, before recording it resolved there), as a sentence for the escalate or decide
 * page, so it is read before the form is sent rather than after.
 */
export function discussionRuleSentence(
  s: Dispute,
  policy: Policy,
  step: 'escalating' | 'resolving' = 'escalating',
): string | undefined {
  const rule = policy.rules.discussionBeforeEscalation
  const stage = s.stages.at(-1)
  if (!rule || !stage || !rule.fromStageKeys.includes(stage.stageKey)) return undefined
  if (step === 'resolving' && !rule.alsoBeforeResolving) return undefined
  const { ways, alone } = discussionWays(rule)
  const before =
    step === 'escalating' ? 'escalating from this stage' : 'recording the dispute as resolved at this stage'
  return `Before ${before}, this policy asks you to log a discussion of the dispute: ${ways}.${alone}`
}

/**
 * What the policy says happens at the record's current stage (the seed's words), for those acting on an
 * open record; undefined when the policy gives no guidance or the record is no longer open.
 */
export function currentStageGuidance(s: Dispute, policy: Policy): { stage: string; text: string } | undefined {
  const stage = s.stages.at(-1)
  const p = stage && s.status === 'open' ? findStage(policy, stage.stageKey) : undefined
  return p?.guidance ? { stage: p.name, text: p.guidance } : undefined
}

/**
 * A stage that is a meeting (seed 002's resolutions meeting): until a meeting is logged at it, the decide
 * and escalate pages say so. Not a refusal: if those asked do not meet, the reviewer still moves on.
 */
export function meetingReminder(
  s: Dispute,
  policy: Policy,
  discussions: readonly { stageKey: string | null; channel: string }[],
): string | undefined {
  const stage = s.stages.at(-1)
  const p = stage ? findStage(policy, stage.stageKey) : undefined
  if (!stage || !p?.meetingRequired) return undefined
  if (discussions.some(d => d.stageKey === stage.stageKey && d.channel === 'meeting')) return undefined
  const withWhom = p.responsibleTitle ? ` with the ${p.responsibleTitle}` : ''
  return `This stage is a meeting${withWhom}, and no meeting has been logged at it yet. Log the meeting and its notes first; if it did not take place, say why in your comments.`
}

/** The discussion rule's channels in words, for the escalate page and the policy page alike. */
function discussionWays(rule: { channels: readonly Channel[]; notSufficientAlone: readonly Channel[] }) {
  const notAlone = orList(rule.notSufficientAlone.map(c => discussionWords[c]))
  return {
    ways: orList(rule.channels.map(c => discussionWords[c])),
    alone: notAlone ? ` ${notAlone.charAt(0).toUpperCase()}${notAlone.slice(1)} alone is not enough.` : '',
  }
}

const discussionWords: Record<Channel, string> = {
  phone: 'a phone call',
  face_to_face: 'a face-to-face discussion',
  meeting: 'a meeting',
  email: 'email',
  letter: 'a letter',
}

export const channelLabels: Record<Channel, string> = {
  phone: 'Phone call',
  face_to_face: 'Face to face',
  meeting: 'Meeting',
  email: 'Email',
  letter: 'Letter',
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** "3 working days left", "Due today", "2 working days overdue"; nothing when there is no deadline. */
export function workingDaysText(days: number | null | undefined): string | undefined {
  if (days === null || days === undefined) return undefined
  if (days === 0) return 'Due today'
  return days > 0 ? `${plural(days, 'working day')} left` : `${plural(-days, 'working day')} overdue`
}

/** "10 January 2023 (3 working days left)". */
export function dueText(due: string, days: number | null | undefined): string {
  const left = workingDaysText(days)
  return left ? `${formatDate(due)} (${left})` : formatDate(due)
}

export function stageName(policy: Policy | undefined, key: string | null | undefined): string {
  if (!key) return ''
  return (policy && findStage(policy, key)?.name) ?? key
}

export function categoryName(policy: Policy | undefined, key: string): string {
  return policy?.categories.find(c => c.key === key)?.name ?? key
}

/** People by name, in order; "nobody (the post is vacant)" when there is no one. */
export function namesOf(ids: readonly number[], names: Names): string {
  if (ids.length === 0) return 'Nobody: the post is vacant'
  return ids.map(id => names.get(id) ?? 'Unknown person').join(', ')
}

/**
 * The people a stage is sent or copied to, with the policy's title for them: one person with the title
 * after their name, several after the title ("Team Manager (with the social worker): A and B"), so
 * that a list of names is never read as one more person.
 */
export function peopleWithTitle(ids: readonly number[], names: Names, title: string | undefined): string {
  if (ids.length === 0) return namesOf(ids, names)
  if (ids.length === 1 || !title) return withRole(namesOf(ids, names), title)
  return `${title}: ${andList(ids.map(id => names.get(id) ?? 'Unknown person'))}`
}

/** The title a policy gives a role, else the authority's title for it. */
export function roleTitle(policy: Policy | undefined, role: RoleKey, titles: RoleTitles): string {
  return policy?.roleTitles?.[role] ?? titles[role]
}

function responseDays(stage: PolicyStage): string {
  if (stage.responseWorkingDays === null) return 'A date you agree'
  const days = plural(stage.responseWorkingDays, 'working day')
  return stage.timescaleMayBeAgreed ? `${days}, or a date you agree in the child’s interest` : days
}

/** The latest loaded version of each policy id, for naming stages and categories in lists. */
export function latestPolicies(policies: readonly Policy[]): Map<string, Policy> {
  const latest = new Map<string, Policy>()
  for (const p of policies) if ((latest.get(p.id)?.version ?? 0) < p.version) latest.set(p.id, p)
  return latest
}

// ---- Every person a record names -----------------------------------------------------------------------------

/** The ids to look up names for: the service's list plus everyone the history names. */
export function personIdsOf(view: Pick<DisputeView, 'personIds' | 'record'>): number[] {
  const ids = new Set(view.personIds)
  const s = view.record.state
  for (const stage of s.stages) for (const r of stage.responses) ids.add(r.byPersonId)
  for (const a of s.addenda) ids.add(a.byPersonId)
  for (const p of s.cafcass?.informedPersonIds ?? []) ids.add(p)
  return [...ids]
}

// ---- The record at a glance -----------------------------------------------------------------------------------

export function glanceRows(view: DisputeView, names: Names): SummaryRow[] {
  const { record, child, policy, siblings, calendar, today } = view
  const s = record.state
  const stage = s.stages.at(-1)
  const policyStage = stage ? findStage(policy, stage.stageKey) : undefined
  const rows: SummaryRow[] = [
    {
      key: 'Child',
      lines: [],
      links: [
        { text: `${child.givenName} ${child.familyName} (${child.caseId})`, href: paths.children.show(child.id) },
      ],
    },
  ]
  if (siblings.length)
    rows.push({
      key: 'Linked records for siblings',
      lines: siblings.filter(x => !x.visible).map(x => `${x.reference}: a sibling you are not allocated to`),
      links: siblings
        .filter(x => x.visible)
        .map(x => ({ text: `${x.childName} (${x.reference})`, href: paths.disputes.show(x.id) })),
    })
  rows.push(
    { key: 'Policy', lines: [`${policy.name} (version ${policy.version})`] },
    { key: 'Category of concern', lines: [categoryName(policy, record.categoryKey)] },
    { key: 'Status', lines: [], tags: statusTags(s) },
  )
  if (stage) {
    rows.push({ key: 'Current stage', lines: [stageName(policy, stage.stageKey)] })
    rows.push({
      key: 'Sent to',
      lines: [peopleWithTitle(stage.responsiblePersonIds, names, policyStage?.responsibleTitle)],
    })
    if (stage.copiedPersonIds.length)
      rows.push({
        key: 'Copied to',
        lines: [peopleWithTitle(stage.copiedPersonIds, names, policyStage?.copiedTitle)],
      })
    rows.push({ key: 'Response due', lines: [responseDueLine(s, stage, calendar, today)] })
  }
  if (s.pending)
    rows.push({
      key: 'Waiting for pre-approval',
      lines: [
        `To move to ${stageName(policy, s.pending.stageKey)}, asked on ${formatDate(s.pending.requestedOn)}`,
        // Who to chase: any one of them may give it.
        view.preApproverIds.length
          ? `Who can give it: ${orList(view.preApproverIds.map(id => names.get(id) ?? 'Unknown person'))}`
          : 'Who can give it: nobody, the post is vacant',
      ],
    })
  rows.push({ key: 'Overall formal deadline', lines: [overallLine(s, policy, calendar, today)] })
  const raised = `${formatDate(s.raisedOn)} by ${names.get(s.ownerId) ?? 'Unknown person'}`
  rows.push({ key: 'Raised', lines: [raised] })
  const aware = [formatDate(s.becameAwareOn)]
  if (s.raisedLate && policy.rules.raiseWithinWorkingDays !== null)
    aware.push(
      `Raised late: the policy asks for a dispute to be raised within ${plural(policy.rules.raiseWithinWorkingDays, 'working day')} of becoming aware.`,
    )
  rows.push({ key: 'Became aware', lines: aware })
  if (s.resolution)
    rows.push({
      key: 'Resolved',
      lines: [`${formatDate(s.resolution.on)} at ${stageName(policy, s.resolution.atStageKey)}`, s.resolution.comments],
    })
  if (s.finalisedOn) rows.push({ key: 'Finalised', lines: [formatDate(s.finalisedOn)] })
  return rows
}

function responseDueLine(s: Dispute, stage: StageEntry, calendar: Calendar, today: IsoDate): string {
  const due = stage.extension?.dueOn ?? stage.dueOn
  const response = stage.responses.at(-1)
  // Closed: the date alone would read as a deadline still to meet.
  if (s.status !== 'open') {
    // Closed before a response fell due: no response was owed, and "was due" a later day would read wrong.
    const closedOn = s.resolution?.on ?? s.finalisedOn
    if (!response && due && closedOn && compareIsoDates(due, closedOn) > 0)
      return `Not needed: the record was ${s.resolution ? 'resolved' : 'closed'} on ${formatDate(closedOn)}, before the response was due on ${formatDate(due)}`
    const was = due ? `Was due ${formatDate(due)}` : 'No deadline'
    return response ? `${was}; the response came on ${formatDate(response.on)}` : was
  }
  if (s.phase === 'awaiting_decision') {
    return response
      ? `None now: the response came on ${formatDate(response.on)}`
      : 'Waiting for the reviewer’s decision'
  }
  if (s.phase === 'outside_system')
    return due
      ? `${dueText(due, workingDaysLeft(s, calendar, today))}: handled outside the system, record the outcome here`
      : 'Handled outside the system: record the outcome here'
  // Nobody is asked to respond while the escalation waits: no countdown of the stage being left.
  if (s.phase === 'awaiting_pre_approval') return 'None while pre-approval is awaited'
  if (!due) return 'No deadline'
  const text = dueText(due, workingDaysLeft(s, calendar, today))
  return stage.extension ? `${text}, after an extension` : text
}

function overallLine(s: Dispute, policy: Policy, calendar: Calendar, today: IsoDate): string {
  if (policy.overallFormalWorkingDays === null) return 'This policy sets no overall deadline'
  if (!s.overallDueOn)
    return `Not started: ${plural(policy.overallFormalWorkingDays, 'working day')} from the first formal stage`
  if (s.status !== 'open') return formatDate(s.overallDueOn)
  return dueText(s.overallDueOn, workingDaysBetween(calendar, today, s.overallDueOn))
}

export function concernRows(record: DisputeRecord): SummaryRow[] {
  return [
    { key: 'The concern', lines: [record.concern] },
    { key: 'Impact on the child', lines: [record.impact] },
    { key: 'The child’s wishes and feelings', lines: [record.wishesAndFeelings || 'Not recorded'] },
    { key: 'Recommended resolution', lines: [record.recommendedResolution] },
    { key: 'Timescale for resolution', lines: [record.resolutionTimescale] },
  ]
}

// ---- Stages, actions, discussions ------------------------------------------------------------------------------

export interface StageView {
  name: string
  responsibleTitle: string
  rows: SummaryRow[]
}

/** Every stage the record has been through, oldest first, with its dates and what happened there. */
export function stageViews(s: Dispute, policy: Policy, names: Names): StageView[] {
  return s.stages.map((stage, i) => {
    const p = findStage(policy, stage.stageKey)
    const skipped = !stage.bypassed ? '' : i === 0 ? ', raised at this stage' : ', bypassing the stages in between'
    const rows: SummaryRow[] = [
      { key: 'Entered', lines: [`${formatDate(stage.enteredOn)}${skipped}`] },
      { key: 'Why', lines: [stage.reason] },
      { key: 'Sent to', lines: [namesOf(stage.responsiblePersonIds, names)] },
    ]
    if (stage.copiedPersonIds.length) rows.push({ key: 'Copied to', lines: [namesOf(stage.copiedPersonIds, names)] })
    rows.push({
      key: 'Response due',
      lines: [stage.dueOn ? formatDate(stage.dueOn) : p?.outsideSystem ? 'Outside the system' : 'No deadline'],
    })
    if (p?.outsideSystem) rows.push({ key: 'Where', lines: ['Outside the system: the record is shared as a document'] })
    for (const r of stage.responses) {
      const late = stage.dueOn !== null && compareIsoDates(r.on, stage.extension?.dueOn ?? stage.dueOn) > 0
      rows.push({
        key: 'Response',
        lines: [
          `${formatDate(r.on)} by ${names.get(r.byPersonId) ?? 'Unknown person'}${late ? ' (late)' : ''}`,
          r.comments,
          `${plural(r.actionIds.length, 'action')} in the plan`,
        ],
      })
    }
    if (stage.extension)
      rows.push({
        key: 'Extension',
        lines: [
          `Agreed on ${formatDate(stage.extension.agreedOn)}, due ${formatDate(stage.extension.dueOn)}`,
          stage.extension.note,
        ],
      })
    if (stage.outcome)
      rows.push({ key: 'Outcome', lines: [`Recorded on ${formatDate(stage.outcome.on)}`, stage.outcome.text] })
    if (stage.decision)
      rows.push({
        key: 'Decision',
        lines: [
          `${stage.decision.resolved ? 'Resolved' : 'Not resolved'} on ${formatDate(stage.decision.on)}`,
          stage.decision.comments,
        ],
      })
    const name = p?.name ?? stage.stageKey
    // A stage named after its role ("Head of Service") is not headed "Head of Service: Head of Service".
    const title = p?.responsibleTitle ?? ''
    return { name, responsibleTitle: name.toLowerCase().endsWith(title.toLowerCase()) ? '' : title, rows }
  })
}

export interface ActionRow {
  id: number
  what: string
  owner: string
  stage: string
  due: string
  state: Tag
  done: string
  completeHref?: string
}

export function actionState(action: Pick<Action, 'status' | 'dueOn'>, today: IsoDate): Tag {
  if (action.status === 'done') return { text: 'Done', classes: 'govuk-tag--green' }
  if (compareIsoDates(action.dueOn, today) < 0) return { text: 'Overdue', classes: 'govuk-tag--red' }
  return { text: 'Open', classes: 'govuk-tag--blue' }
}

/** Who may mark an action done: the reviewer, the responsible manager, or the action's own owner. */
export function mayCompleteAction(view: Pick<DisputeView, 'relations' | 'commands'>, action: Action, me: number) {
  if (action.status === 'done' || !view.commands.includes('complete_action')) return false
  const r = view.relations
  return r.includes('owner') || r.includes('responsible') || (r.includes('action_owner') && action.ownerId === me)
}

export function actionRows(
  view: Pick<DisputeView, 'record' | 'relations' | 'commands' | 'policy' | 'today'>,
  names: Names,
  me: number | null,
): ActionRow[] {
  return view.record.state.actions.map(a => ({
    id: a.id,
    what: a.what,
    owner: names.get(a.ownerId) ?? 'Unknown person',
    stage: stageName(view.policy, a.stageKey),
    due: formatDate(a.dueOn),
    state: actionState(a, view.today),
    done: a.doneOn ? `${formatDate(a.doneOn)}${a.evidence ? `: ${a.evidence}` : ''}` : '',
    completeHref:
      me !== null && mayCompleteAction(view, a, me) ? paths.disputes.completeAction(view.record.id, a.id) : undefined,
  }))
}

export interface DiscussionView {
  heading: string
  rows: SummaryRow[]
}

export function discussionViews(discussions: readonly Discussion[], policy: Policy): DiscussionView[] {
  return discussions.map(d => {
    const rows: SummaryRow[] = [
      { key: 'How', lines: [channelLabels[d.channel as Channel] ?? d.channel] },
      { key: 'Date', lines: [formatDate(d.heldOn)] },
    ]
    if (d.stageKey) rows.push({ key: 'Stage', lines: [stageName(policy, d.stageKey)] })
    rows.push(
      { key: 'Who took part', lines: [d.participants] },
      { key: 'Summary', lines: [d.summary] },
      ...meetingRows(d.meeting),
      { key: 'Recorded by', lines: [`${d.recordedByName}, ${formatDateTime(d.recordedAt)}`] },
    )
    return { heading: `${channelLabels[d.channel as Channel] ?? d.channel} on ${formatDate(d.heldOn)}`, rows }
  })
}

/** The meeting notes under seed 003's agenda headings. */
export function meetingRows(meeting: Record<string, string> | null): SummaryRow[] {
  if (!meeting) return []
  const rows: SummaryRow[] = meetingAgenda.map(({ key, label }) => ({
    key: label,
    lines: [meeting[key] || 'Not recorded'],
  }))
  const outcome = meetingOutcomes.find(o => o.value === meeting.outcome)?.text ?? 'Not recorded'
  rows.push({ key: 'Outcome', lines: [outcome, ...(meeting.outcomeDetail ? [meeting.outcomeDetail] : [])] })
  return rows
}

export interface RecordNotes {
  preApprovals: string[][]
  declined: string[][]
  cafcass?: string[]
  legalAdvice: string[][]
  addenda: string[][]
}

/** Pre-approvals, the CAFCASS referral, legal advice and addenda, as paragraphs of text. */
export function recordNotes(s: Dispute, policy: Policy, names: Names): RecordNotes {
  const who = (id: number) => names.get(id) ?? 'Unknown person'
  return {
    preApprovals: s.preApprovals.map(p => [
      `${stageName(policy, p.stageKey)}: agreed by ${who(p.byPersonId)} on ${formatDate(p.on)}`,
      ...(p.note ? [p.note] : []),
    ]),
    declined: s.declinedPreApprovals.map(p => [
      `${stageName(policy, p.stageKey)}: declined by ${who(p.byPersonId)} on ${formatDate(p.on)}`,
      p.reason,
    ]),
    cafcass: s.cafcass
      ? [
          `Referred on ${formatDate(s.cafcass.on)}`,
          s.cafcass.reasons,
          s.cafcass.informedPersonIds.length
            ? `Informed: ${namesOf(s.cafcass.informedPersonIds, names)}`
            : 'Nobody else was informed',
        ]
      : undefined,
    legalAdvice: s.legalAdvice.map(l => [`Recorded on ${formatDate(l.on)}`, l.note]),
    addenda: s.addenda.map(a => [`${formatDate(a.on)} by ${who(a.byPersonId)}`, a.text]),
  }
}

// ---- The timeline -------------------------------------------------------------------------------------------

export interface TimelineItem {
  title: string
  by: string
  datetime: string
  iso: string
  lines: string[]
}

type EventData = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [])

/** Every event on the record, newest first, in words; a logged discussion shows what was discussed. */
export function timelineItems(
  events: readonly EventRow[],
  discussions: readonly Discussion[],
  policy: Policy,
  names: Names,
): TimelineItem[] {
  const stage = (v: unknown) => stageName(policy, str(v))
  const describe = (kind: string, d: EventData): { title: string; lines: string[] } => {
    switch (kind) {
      case 'dispute.raised':
        return {
          title: 'Dispute raised',
          lines: [
            `Under ${policy.name}, starting at ${stage(d.startStageKey)}.`,
            `Became aware on ${formatDate(str(d.becameAwareOn))}.`,
            ...(d.raisedLate ? ['Raised later than the policy allows.'] : []),
          ],
        }
      case 'dispute.stage_entered':
        return {
          title: `Stage begun: ${stage(d.stageKey)}`,
          lines: [
            `Sent to ${namesOf(ids(d.responsiblePersonIds), names)}.`,
            ...(ids(d.copiedPersonIds).length ? [`Copied to ${namesOf(ids(d.copiedPersonIds), names)}.`] : []),
            d.dueOn ? `Response due ${formatDate(str(d.dueOn))}.` : 'No response deadline.',
            ...(d.bypassed ? ['Earlier stages were skipped.'] : []),
          ],
        }
      case 'dispute.pre_approval_requested':
        return { title: `Pre-approval asked for ${stage(d.stageKey)}`, lines: [str(d.reason)] }
      case 'dispute.pre_approved':
        return {
          title: `Pre-approval given for ${stage(d.stageKey)}`,
          lines: [
            // Given here, the entry's own by-line and time say who and when; recorded by the reviewer, they do not.
            ...(d.recordedBy
              ? [`Agreed by ${names.get(Number(d.byPersonId)) ?? 'Unknown person'} on ${formatDate(str(d.on))}.`]
              : []),
            ...(str(d.note) ? [str(d.note)] : []),
          ],
        }
      case 'dispute.pre_approval_declined':
        return { title: `Pre-approval declined for ${stage(d.stageKey)}`, lines: [str(d.reason)] }
      case 'dispute.pre_approval_withdrawn':
        return { title: `Request for pre-approval for ${stage(d.stageKey)} withdrawn`, lines: [str(d.reason)] }
      case 'dispute.responded': {
        const actions = Array.isArray(d.actions) ? (d.actions as { what?: unknown }[]) : []
        return {
          title: `Response and action plan at ${stage(d.stageKey)}`,
          lines: [
            str(d.comments),
            ...actions.map(a => `Action: ${str(a.what)}`),
            ...(d.late ? ['The response was late.'] : []),
          ],
        }
      }
      case 'dispute.resolved':
        return {
          title: `Resolved at ${stage(d.stageKey)}`,
          lines: [
            // Only when the reviewer gave a day before the one they recorded it.
            ...(typeof d.resolvedOn === 'string' ? [`Resolved on ${formatDate(d.resolvedOn)}`] : []),
            str(d.comments),
          ],
        }
      case 'dispute.not_resolved':
        return { title: `Not resolved at ${stage(d.stageKey)}`, lines: [str(d.comments)] }
      case 'dispute.extension_agreed':
        return {
          title: `Extension agreed at ${stage(d.stageKey)}`,
          lines: [`Now due ${formatDate(str(d.dueOn))}.`, str(d.note)],
        }
      case 'dispute.escalated':
        return {
          title: `Escalated from ${stage(d.fromStageKey)} to ${stage(d.toStageKey)}`,
          lines: [str(d.reason), ...(d.bypassed ? ['Stages in between were bypassed.'] : [])],
        }
      case 'escalation_asked':
        return {
          title: `Escalation to ${stage(d.toStageKey)} asked for, from ${stage(d.fromStageKey)}`,
          lines: [
            str(d.reason),
            ...(d.bypassed ? ['Stages in between would be bypassed.'] : []),
            'It waits for pre-approval.',
          ],
        }
      case 'work.acknowledged':
        // Only notices are acknowledged on a record: a copy for information or a CAFCASS referral.
        return {
          title:
            d.itemKind === 'informed'
              ? 'Acknowledged being informed of the CAFCASS referral'
              : 'Acknowledged a copy for information',
          lines: [],
        }
      case 'dispute.outcome_recorded':
        return {
          title: `Outcome of ${stage(d.stageKey)} recorded`,
          lines: [str(d.text), d.resolved ? 'The dispute is resolved.' : 'The dispute is not resolved.'],
        }
      case 'dispute.action_completed':
        return {
          title: `Action done: ${str(d.what)}`,
          lines: [str(d.evidence), ...(d.late ? ['Done after its due date.'] : [])],
        }
      case 'dispute.referred_to_cafcass':
        return {
          title: 'Referred to CAFCASS',
          lines: [
            str(d.reasons),
            ...(ids(d.informedPersonIds).length ? [`Informed: ${namesOf(ids(d.informedPersonIds), names)}.`] : []),
          ],
        }
      case 'dispute.legal_advice_sought':
        return { title: 'Legal advice sought', lines: [str(d.note)] }
      case 'dispute.finalised':
        return { title: 'Record finalised and locked', lines: [] }
      case 'dispute.addendum_added':
        return { title: 'Addendum added', lines: [str(d.text)] }
      case 'dispute.pdf_downloaded':
        return {
          title:
            d.document === 'cafcass_letter' ? 'CAFCASS referral letter downloaded as PDF' : 'Record downloaded as PDF',
          lines: [],
        }
      case 'dispute.discussion_logged': {
        const x = discussions.find(y => y.id === d.discussionId)
        const channel = channelLabels[str(d.channel) as Channel] ?? str(d.channel)
        return {
          title: `Discussion logged: ${channel.toLowerCase()}`,
          lines: x
            ? [`Held on ${formatDate(x.heldOn)} with ${x.participants}.`, x.summary]
            : [`Held on ${formatDate(str(d.heldOn))}.`],
        }
      }
      default:
        return { title: kind, lines: [] }
    }
  }
  // An escalation that needs pre-approval is recorded with the request, in the same act: until the
  // approval it is only asked for, so it is told as such ("Stage begun" follows once it is given).
  const actOf = (e: EventRow) => `${e.entity_type}:${e.entity_id}:${new Date(e.occurred_at).getTime()}`
  const asksPreApproval = new Set(events.filter(e => e.kind === 'dispute.pre_approval_requested').map(actOf))
  const escalations = new Set(events.filter(e => e.kind === 'dispute.escalated').map(actOf))
  // The escalation's entry already says it waits for pre-approval, with the reason: the request is not told twice.
  const told = events.filter(e => e.kind !== 'dispute.pre_approval_requested' || !escalations.has(actOf(e)))
  return told.map(e => {
    const kind = e.kind === 'dispute.escalated' && asksPreApproval.has(actOf(e)) ? 'escalation_asked' : e.kind
    const { title, lines } = describe(kind, e.data)
    return {
      title,
      by: e.actor_name ?? 'Concord',
      datetime: formatDateTime(e.occurred_at),
      iso: new Date(e.occurred_at).toISOString(),
      lines: lines.filter(l => l !== ''),
    }
  })
}

// ---- What the viewer may do -----------------------------------------------------------------------------------

export type RecordForm =
  | 'respond'
  | 'decide'
  | 'extension'
  | 'escalate'
  | 'outcome'
  | 'approve'
  | 'decline'
  | 'withdrawRequest'
  | 'cafcass'
  | 'legalAdvice'
  | 'finalise'
  | 'addendum'
  | 'discussion'

/** Each form: the commands it sends, who may send them, its button's text and, for a sentence, what it does. */
const forms: { form: RecordForm; commands: Command['type'][]; relations: Relation[]; text: string; doing: string }[] = [
  {
    form: 'respond',
    commands: ['respond'],
    relations: ['responsible'],
    text: stepNames.respond,
    doing: 'respond with a SMART action plan',
  },
  {
    form: 'decide',
    commands: ['decide_resolved', 'decide_not_resolved'],
    relations: ['owner'],
    text: stepNames.decide,
    doing: 'decide if the dispute is resolved',
  },
  {
    form: 'extension',
    commands: ['agree_extension'],
    relations: ['owner'],
    text: stepNames.extension,
    doing: 'agree an extension',
  },
  {
    form: 'escalate',
    commands: ['escalate'],
    relations: ['owner'],
    text: stepNames.escalate,
    doing: 'escalate the dispute',
  },
  {
    form: 'outcome',
    commands: ['record_outcome'],
    relations: ['owner'],
    text: stepNames.outcome,
    doing: 'record the outcome of the stage',
  },
  {
    form: 'approve',
    commands: ['approve'],
    relations: ['pre_approver'],
    text: stepNames.approve,
    doing: 'give pre-approval',
  },
  {
    form: 'decline',
    commands: ['decline'],
    relations: ['pre_approver'],
    text: stepNames.decline,
    doing: 'decline pre-approval',
  },
  {
    form: 'withdrawRequest',
    commands: ['withdraw_request'],
    relations: ['owner'],
    text: stepNames.withdrawRequest,
    doing: 'withdraw the request for pre-approval',
  },
  {
    form: 'cafcass',
    commands: ['refer_cafcass'],
    relations: ['owner'],
    text: stepNames.cafcass,
    doing: 'refer it to CAFCASS',
  },
  {
    form: 'legalAdvice',
    commands: ['record_legal_advice'],
    relations: ['owner'],
    text: stepNames.legalAdvice,
    doing: 'record legal advice',
  },
  {
    form: 'finalise',
    commands: ['finalise'],
    relations: ['owner'],
    text: stepNames.finalise,
    doing: 'finalise the record',
  },
  {
    form: 'addendum',
    commands: ['add_addendum'],
    relations: ['owner', 'responsible', 'participant'],
    text: stepNames.addendum,
    doing: 'add an addendum',
  },
]

const discussion = { text: stepNames.discussion, doing: 'log a discussion' }

/** Each form's button, which is also its page's heading (stepNames). */
export const formText = Object.fromEntries([
  ...forms.map(f => [f.form, f.text]),
  ['discussion', discussion.text],
]) as Record<RecordForm, string>

/** What each form does, as a sentence says it: "You cannot escalate the dispute". */
export const formDoing = Object.fromEntries([
  ...forms.map(f => [f.form, f.doing]),
  ['discussion', discussion.doing],
]) as Record<RecordForm, string>

const formPath: Record<RecordForm, (id: number) => string> = {
  respond: paths.disputes.respond,
  decide: paths.disputes.decide,
  extension: paths.disputes.extension,
  escalate: paths.disputes.escalate,
  outcome: paths.disputes.outcome,
  approve: paths.disputes.approve,
  decline: paths.disputes.decline,
  withdrawRequest: paths.disputes.withdrawRequest,
  cafcass: paths.disputes.cafcass,
  legalAdvice: paths.disputes.legalAdvice,
  finalise: paths.disputes.finalise,
  addendum: paths.disputes.addendum,
  discussion: paths.disputes.discussion,
}

/**
 * The steps the viewer may take now: the lawful commands for the record's state, for the viewer's
 * relation to it, within the policy's rules (legal advice only where the policy mentions it; a referral to
 * CAFCASS after the last stage where the policy says so). Anyone on the record may log a discussion until
 * it is finalised.
 */
export function recordActions(
  view: Pick<DisputeView, 'record' | 'policy' | 'commands' | 'relations' | 'mayLogDiscussion'>,
): (Link & { form: RecordForm })[] {
  const { record, policy, commands, relations } = view
  const s = record.state
  const stage = s.stages.at(-1)
  const atLastStage = stage !== undefined && policy.stages.at(-1)?.key === stage.stageKey
  const allowed = forms.filter(f => {
    if (!f.commands.some(c => commands.includes(c)) || !f.relations.some(r => relations.includes(r))) return false
    if (f.form === 'cafcass') return policy.rules.cafcass.when !== 'after_last_stage' || atLastStage
    return true
  })
  const links = allowed.map(f => ({ form: f.form, text: f.text, href: formPath[f.form](record.id) }))
  if (view.mayLogDiscussion)
    links.push({ form: 'discussion', text: discussion.text, href: paths.disputes.discussion(record.id) })
  return links
}

// ---- Form options ---------------------------------------------------------------------------------------------

export interface RadioItem {
  value: string
  text: string
  hint?: { text: string }
  checked?: boolean
}

export function categoryItems(policy: Policy, selected: unknown): RadioItem[] {
  return policy.categories.map(c => ({
    value: c.key,
    text: c.name,
    ...(c.description ? { hint: { text: c.description } } : {}),
    checked: c.key === selected,
  }))
}

function stageHint(policy: Policy, stage: PolicyStage, titles: RoleTitles): string {
  const parts = [`Sent to the ${stage.responsibleTitle}. Response: ${responseDays(stage)}.`]
  if (stage.outsideSystem) parts.push('Handled outside the system.')
  if (needsPreApproval(policy, stage.key) && policy.rules.preApproval) {
    const who = policy.rules.preApproval.byRoles.map(r => roleTitle(policy, r, titles)).join(' or ')
    parts.push(
      policy.rules.preApproval.requirement === 'agreement'
        ? `Needs the agreement of the ${who} first.`
        : `The ${who} must be consulted first.`,
    )
  }
  return parts.join(' ')
}

export function stageItems(
  policy: Policy,
  stages: readonly PolicyStage[],
  selected: unknown,
  titles: RoleTitles,
): RadioItem[] {
  return stages.map(s => ({
    value: s.key,
    text: s.name,
    hint: { text: stageHint(policy, s, titles) },
    checked: s.key === selected,
  }))
}

/**
 * The agreed response date's legend and hint, for the stages offered that take one: needed where
 * the stage sets no timescale, optional where it only may be agreed. Undefined when none does.
 */
export function agreedDueField(stages: readonly PolicyStage[]): { legend: string; hint: string } | undefined {
  const needed = stages.filter(dueDateMustBeAgreed).map(s => s.name)
  // A stage held outside Concord with no timescale takes no date that would be used: not offered.
  const optional = stages.filter(s => s.responseWorkingDays !== null && s.timescaleMayBeAgreed).map(s => s.name)
  if (!needed.length && !optional.length) return undefined
  const others = stages.length > needed.length + optional.length
  const hints = [
    needed.length
      ? `Needed for ${needed.join(', ')}: ${needed.length === 1 ? 'it has' : 'they have'} no set timescale.`
      : '',
    optional.length
      ? `${needed.length ? 'For' : 'Only for'} ${optional.join(', ')}, leave it empty to use the policy’s timescale.`
      : '',
    needed.length && others ? 'Leave it empty for the other stages.' : '',
  ]
  return {
    legend: needed.length ? 'Agreed response date' : 'Agreed response date (optional)',
    hint: hints.filter(Boolean).join(' '),
  }
}

/** What the raise form needs to know about the stages a dispute may start at. */
export function raiseStageOptions(policy: Policy, selected: unknown, titles: RoleTitles) {
  const stages = raisableStages(policy)
  return {
    items: stageItems(policy, stages, selected, titles),
    agreedDue: agreedDueField(stages),
    preApprovalStages: stages.filter(s => needsPreApproval(policy, s.key)).map(s => s.name),
  }
}

/** The stages the reviewer may escalate to from the current one, and which of them need more. */
export function escalateOptions(s: Dispute, policy: Policy, selected: unknown, titles: RoleTitles) {
  const current = s.stages.at(-1)
  // A record whose first stage was declined has no stage yet: it is sent to a stage as when raising.
  const stages = current ? escalationTargets(policy, current.stageKey) : raisableStages(policy)
  return {
    items: stageItems(policy, stages, selected, titles),
    agreedDue: agreedDueField(stages),
    preApprovalStages: stages
      .filter(x => needsPreApproval(policy, x.key) && !s.preApprovals.some(p => p.stageKey === x.key))
      .map(x => x.name),
  }
}

export function personItems(
  people: readonly { id: number; name: string; title?: string }[],
  selected: unknown,
  none: string,
) {
  return [
    { value: '', text: none },
    ...people.map(p => ({
      value: String(p.id),
      text: withRole(p.name, p.title),
      selected: String(p.id) === String(selected ?? ''),
    })),
  ]
}

// ---- Lists ------------------------------------------------------------------------------------------------------

export interface DisputeTableRow {
  link: Link
  child: Link
  category: string
  stage: string
  responsible: string
  due: string
  tags: Tag[]
  raised: string
}

/** The disputes list. A response due date shows how many working days are left while one is awaited. */
export function disputeTableRows(
  rows: readonly DisputeListRow[],
  policies: readonly Policy[],
  calendar: Calendar,
  today: IsoDate,
): DisputeTableRow[] {
  const latest = latestPolicies(policies)
  return rows.map(r => {
    const policy = latest.get(r.policyId)
    // A stage outside the system has its working days too: the reviewer records its outcome by then.
    const awaiting =
      r.status === 'open' &&
      (r.phase === 'awaiting_response' || r.phase === 'extension' || r.phase === 'outside_system')
    return {
      link: { text: r.reference, href: paths.disputes.show(r.id) },
      child: { text: `${r.childName} (${r.caseId})`, href: paths.children.show(r.childId) },
      category: categoryName(policy, r.categoryKey),
      stage: stageName(policy, r.currentStageKey),
      responsible: r.responsibleName ?? '',
      due:
        awaiting && r.responseDueOn
          ? dueText(r.responseDueOn, workingDaysBetween(calendar, today, r.responseDueOn as IsoDate))
          : r.status === 'open' && r.phase === 'awaiting_decision'
            ? 'Response received'
            : '',
      tags: statusTags({
        status: r.status as DisputeStatus,
        phase: r.phase as StagePhase,
        decidedNotResolved: r.decidedNotResolved,
        referredToCafcass: r.referredToCafcass,
      }),
      raised: formatDate(r.raisedOn),
    }
  })
}

/** A child's dispute records for their page. */
export function childDisputeRows(
  records: readonly DisputeRecord[],
  policies: readonly Policy[],
  calendar: Calendar,
  today: IsoDate,
) {
  return records.map(r => {
    const policy = findPolicy(policies, r.state.policyId, r.state.policyVersion)
    const stage = r.state.stages.at(-1)
    const days = workingDaysLeft(r.state, calendar, today)
    const due = stage?.extension?.dueOn ?? stage?.dueOn
    return {
      link: { text: r.reference, href: paths.disputes.show(r.id) },
      category: categoryName(policy, r.categoryKey),
      stage: stageName(policy, stage?.stageKey),
      raised: formatDate(r.state.raisedOn),
      due: days !== null && due ? dueText(due, days) : '',
      tags: statusTags(r.state),
    }
  })
}

/**
 * Why a record has no stage, said as the record stands: waiting for pre-approval of its first stage,
 * left with the reviewer after a decline or a withdrawal, or closed like that.
 */
export function noStageText(state: Dispute, policy: Policy | undefined): string {
  if (state.pending) return `waiting for pre-approval for ${stageName(policy, state.pending.stageKey)}`
  if (state.status === 'finalised') return 'closed before it reached a stage'
  return 'not sent to a stage (pre-approval for its first stage was declined or withdrawn)'
}

/** The same, as a sentence about the record, for its page, print view and PDF. */
export function noStageSentence(state: Dispute, policy: Policy | undefined): string {
  if (state.pending) return `The record has not reached a stage yet: it is ${noStageText(state, policy)}.`
  if (state.status === 'finalised') return 'The record was closed before it reached a stage.'
  return 'The record has not been sent to a stage: pre-approval for its first stage was declined or withdrawn.'
}

/** A child's open records as links with what each is about, for the raise form: one concern, one record. */
export function openDisputeLinks(records: readonly DisputeRecord[], policies: readonly Policy[]) {
  return records.map(r => {
    const policy = findPolicy(policies, r.state.policyId, r.state.policyVersion)
    const current = r.state.stages.at(-1)?.stageKey
    const where = current ? `at ${stageName(policy, current)}` : noStageText(r.state, policy)
    return {
      text: r.reference,
      href: paths.disputes.show(r.id),
      about: `${categoryName(policy, r.categoryKey)}, ${where}, raised ${formatDate(r.state.raisedOn)}`,
    }
  })
}

// ---- Policies -----------------------------------------------------------------------------------------------

const reviewerRoleNames = { iro: 'IROs', cp_chair: 'Child protection conference chairs' } as const

export function policyTableRows(policies: readonly Policy[]) {
  return [...policies]
    .sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1))
    .map(p => ({
      link: { text: p.name, href: paths.policies.show(p.id, p.version) },
      id: p.id,
      version: String(p.version),
      effectiveFrom: formatDate(p.effectiveFrom),
      reviewers: p.reviewerRoles.map(r => reviewerRoleNames[r]).join(', '),
    }))
}

export function policyStageRows(policy: Policy) {
  return policy.stages.map(s => ({
    name: s.name,
    kind: s.formal ? 'Formal' : 'Informal',
    sentTo: s.responsibleTitle,
    copied: s.copiedTitle ?? '',
    response: responseDays(s),
    where: s.outsideSystem ? 'Outside the system' : 'In Concord',
    guidance: s.guidance ?? '',
  }))
}

/** The policy's rules in plain English, one sentence each. */
export function policyRuleSentences(policy: Policy, titles: RoleTitles): string[] {
  const r = policy.rules
  const title = (role: RoleKey) => roleTitle(policy, role, titles)
  const first = policy.stages[0]!
  const out: string[] = []
  out.push(
    r.raiseAtAnyStage
      ? 'The reviewer may raise a dispute at whichever stage is most appropriate.'
      : `A dispute always starts at the first stage (${first.name}).`,
  )
  out.push(
    r.bypassAllowed
      ? 'The reviewer may bypass stages and escalate to any higher stage.'
      : 'Escalation is always to the next stage.',
  )
  if (r.raiseWithinWorkingDays !== null)
    out.push(
      `The reviewer raises the dispute within ${plural(r.raiseWithinWorkingDays, 'working day')} of becoming aware of the concern.`,
    )
  out.push(
    policy.overallFormalWorkingDays === null
      ? 'The policy sets no overall deadline.'
      : `The formal stages should be finished within ${plural(policy.overallFormalWorkingDays, 'working day')} of the first formal stage.`,
  )
  if (r.preApproval) {
    const who = orList(r.preApproval.byRoles.map(title))
    const from = stageName(policy, r.preApproval.fromStageKey)
    out.push(
      r.preApproval.requirement === 'agreement'
        ? `The ${who} must agree before a dispute is raised or escalated to ${from} or above.`
        : `The ${who} must be consulted before a dispute is raised or escalated to ${from} or above.`,
    )
  }
  if (r.extension?.allowed)
    out.push(
      `Instead of escalating, the reviewer may agree one extension of ${plural(r.extension.workingDays, 'working day')} at each stage for extra actions.`,
    )
  if (r.discussionBeforeEscalation) {
    const d = r.discussionBeforeEscalation
    const { ways, alone } = discussionWays(d)
    const before = d.alsoBeforeResolving ? 'Before escalating from or resolving at' : 'Before escalating from'
    out.push(
      `${before} ${andList(d.fromStageKeys.map(k => stageName(policy, k)))}, the reviewer must discuss the dispute in ${ways}.${alone}`,
    )
  }
  out.push('Only the reviewer who raised the dispute finalises (authorises) the record. Once finalised it is locked.')
  if (r.cafcass.allowed) {
    const when = r.cafcass.when === 'after_last_stage' ? 'once the last stage has not resolved it' : 'at any time'
    const inform = r.cafcass.inform.length ? ` The ${andList(r.cafcass.inform.map(title))} are informed.` : ''
    out.push(`An IRO may refer the dispute to CAFCASS ${when}.${inform}`)
  } else out.push('Referral to CAFCASS is not part of this policy.')
  if (r.legalAdviceAllowed) out.push('The reviewer may seek legal advice at any point.')
  if (r.recordForEachSibling) out.push('A record is kept for every sibling the concern relates to.')
  if (r.recordOnlyDisputeAndActions)
    out.push('Record only the dispute and the action taken, never views on an individual’s performance.')
  if (r.reviewAfterSignificantChangeWeeks)
    out.push(
      `A significant change to the child’s plan needs a review within ${plural(r.reviewAfterSignificantChangeWeeks, 'week')}.`,
    )
  return out
}

// ---- The calendar ----------------------------------------------------------------------------------------------

export function adjustmentRows(adjustments: readonly { day: string; kind: 'closed' | 'open'; note: string }[]) {
  return adjustments.map(a => ({
    day: a.day,
    date: formatDate(a.day),
    kind: a.kind === 'closed' ? 'Closed: local closure' : 'Open: bank holiday worked',
    note: a.note,
    removeHref: paths.calendar.remove(a.day),
  }))
}

/** The bank holidays of a year, and whether the authority works on any of them. */
export function bankHolidayRows(year: number, reopened: readonly string[]) {
  return ENGLAND_AND_WALES_BANK_HOLIDAYS.filter(h => h.date.startsWith(`${year}-`)).map(h => ({
    date: formatDate(h.date),
    name: h.name,
    status: reopened.includes(h.date) ? 'Open (reopened)' : 'Closed',
  }))
}
