import { type Calendar, type IsoDate, workingDaysBetween } from '../../domain/calendar/workingDays.js'
import type { Policy } from '../../domain/policies/policy.js'
import type { RecordState } from '../../db/repositories/supervisionRepository.js'
import { type InboxEntry, ONLY_ACKNOWLEDGED_WHERE_ASKED } from '../../services/workService.js'
import { paths } from '../paths.js'
import { formatDate } from '../../text/format.js'
import { giveOrDeclinePreApproval, stepNames, theStage } from '../../text/stepNames.js'
import { noteWorkHref, noteWorkLabels } from './practiceNotePresenter.js'
import { noteReference } from '../../db/repositories/practiceNoteRepository.js'

const kindLabels: Record<string, string> = {
  respond: stepNames.respond,
  decide: stepNames.decide,
  escalate: stepNames.escalate,
  record_outcome: stepNames.outcome,
  finalise: stepNames.finalise,
  pre_approve: giveOrDeclinePreApproval,
  action: stepNames.completeAction,
  copy: 'Copied for information',
  informed: 'Informed of a CAFCASS referral',
  change_notice: 'Read a significant-change notice',
  review_due: 'Hold the review after a significant change',
  ...noteWorkLabels,
}

/** References for items about things other than disputes, by subject type. */
const subjectReferences: Record<string, (id: number) => string> = {
  change_notice: id => `SCN-${String(id).padStart(6, '0')}`,
  practice_note: noteReference,
}

/** Where the work is done: straight to the form, not just the record. */
function workHref(i: InboxEntry): string {
  if (i.subjectType === 'practice_note' && i.subjectId !== null) return noteWorkHref({ ...i, subjectId: i.subjectId })
  if (i.subjectType === 'change_notice' && i.subjectId !== null)
    return i.kind === 'review_due' ? paths.notices.reviewHeld(i.subjectId) : paths.notices.show(i.subjectId)
  if (i.disputeId === null) return paths.work.index()
  const id = i.disputeId
  switch (i.kind) {
    case 'respond':
      return paths.disputes.respond(id)
    case 'decide':
      return paths.disputes.decide(id)
    case 'escalate':
      return paths.disputes.escalate(id)
    case 'record_outcome':
      return paths.disputes.outcome(id)
    case 'finalise':
      return paths.disputes.finalise(id)
    case 'pre_approve':
      return paths.disputes.approve(id)
    case 'action':
      return paths.disputes.completeAction(id, Number(i.ref))
    default:
      return paths.disputes.show(id)
  }
}

/** "5 working days left", "Due today", "3 working days overdue" as a GOV.UK tag. */
export function dueTag(workingDaysLeft: number | null): { text: string; classes: string } | undefined {
  if (workingDaysLeft === null) return undefined
  if (workingDaysLeft < 0) {
    const n = -workingDaysLeft
    return { text: `${n} working day${n === 1 ? '' : 's'} overdue`, classes: 'govuk-tag--red' }
  }
  if (workingDaysLeft === 0) return { text: 'Due today', classes: 'govuk-tag--orange' }
  return {
    text: `${workingDaysLeft} working day${workingDaysLeft === 1 ? '' : 's'} left`,
    classes: workingDaysLeft <= 1 ? 'govuk-tag--yellow' : 'govuk-tag--grey',
  }
}

/**
 * What to do; a copy says which stage it came from, as a record can copy someone at each stage: by the
 * policy's name for it, or, on an item older than those names, by its position in the record.
 */
export function inboxLabel(i: Pick<InboxEntry, 'kind' | 'ref'> & { about?: string | null }): string {
  const label = kindLabels[i.kind] ?? i.kind
  if (i.kind === 'action') return i.about ? `${label}: ${i.about}` : label
  if (i.kind !== 'copy') return label
  return `${label}: ${i.about ? theStage(i.about) : `stage ${i.ref}`}`
}

/** The reviewer's steps due by the record's overall deadline, not a stage's (workItemsFor). */
const BY_OVERALL_DEADLINE: readonly string[] = ['decide', 'escalate']

export function inboxRows(items: InboxEntry[]) {
  return items.map(i => ({
    id: i.id,
    // An action's words may name the child: shown only where the reader may still see them.
    label: inboxLabel(i.kind === 'action' && !i.childName ? { ...i, about: null } : i),
    href: workHref(i),
    reference:
      i.reference ??
      (i.subjectType !== null && i.subjectId !== null ? subjectReferences[i.subjectType]?.(i.subjectId) : undefined) ??
      '',
    // Named only where the reader may still see the child; otherwise the case ID alone, as elsewhere.
    child: i.childName ? `${i.childName} (${i.caseId})` : (i.caseId ?? ''),
    due: i.dueOn
      ? formatDate(i.dueOn) + (BY_OVERALL_DEADLINE.includes(i.kind) ? ' (overall deadline)' : '')
      : 'No due date',
    tag: dueTag(i.workingDaysLeft),
    canAcknowledge: i.needsAck && !ONLY_ACKNOWLEDGED_WHERE_ASKED.includes(i.kind),
    acknowledgeHref: paths.work.acknowledge(i.id),
  }))
}

export const recordStateLabels: Record<RecordState, { text: string; classes: string }> = {
  response_overdue: { text: 'Response overdue', classes: 'govuk-tag--red' },
  awaiting_response: { text: 'Awaiting response', classes: 'govuk-tag--blue' },
  awaiting_decision: { text: 'Awaiting decision', classes: 'govuk-tag--yellow' },
  not_resolved: { text: 'Decided not resolved', classes: 'govuk-tag--pink' },
  awaiting_pre_approval: { text: 'Awaiting pre-approval', classes: 'govuk-tag--purple' },
  outside_system: { text: 'Outside the system', classes: 'govuk-tag--grey' },
  to_finalise: { text: 'Resolved: to finalise', classes: 'govuk-tag--green' },
}

/** Working days before the overall deadline at which a record counts as near it. */
export const NEAR_OVERALL_DEADLINE = 3

/**
 * Extra states a record can be in besides its main one: an outcome overdue from a stage outside the system,
 * actions outstanding, near or past the overall deadline.
 */
export function recordFlags(
  row: {
    state: RecordState
    openActions: number
    overdueActions: number
    responseDueOn: string | null
    overallDueOn: string | null
  },
  calendar: Calendar,
  today: IsoDate,
): { text: string; classes: string }[] {
  const flags: { text: string; classes: string }[] = []
  // Nobody answers in Concord at a stage outside the system, so it is never "Response overdue"; but the
  // reviewer records its outcome, and a stage past its working days is theirs to chase.
  if (row.state === 'outside_system' && row.responseDueOn && row.responseDueOn < today)
    flags.push({ text: 'Outcome overdue', classes: 'govuk-tag--red' })
  if (row.openActions > 0)
    flags.push({
      text: row.overdueActions > 0 ? 'Actions overdue' : 'Actions outstanding',
      classes: row.overdueActions > 0 ? 'govuk-tag--red' : 'govuk-tag--light-blue',
    })
  if (row.overallDueOn && row.state !== 'to_finalise') {
    // By the dates first: a deadline on a Friday is past on the Saturday, though no working day has gone.
    const due = row.overallDueOn as IsoDate
    if (due < today) flags.push({ text: 'Past the overall deadline', classes: 'govuk-tag--red' })
    else if (due === today) flags.push({ text: 'Overall deadline today', classes: 'govuk-tag--orange' })
    else if (workingDaysBetween(calendar, today, due) <= NEAR_OVERALL_DEADLINE)
      flags.push({ text: 'Near the overall deadline', classes: 'govuk-tag--orange' })
  }
  return flags
}

/**
 * The stages of these policies for a filter, each key once with every name policies give it, in an order
 * that keeps every policy's own order (a stage shared by two policies comes after what precedes it in
 * either), following one policy's stages through before starting another's: so one policy's fifth stage
 * is not listed after another policy's last. Stages met first are listed first where the order is free.
 */
export function stageChoices(policies: readonly Policy[]): { key: string; names: string[] }[] {
  const names = new Map<string, string[]>()
  const before = new Map<string, Set<string>>()
  const after = new Map<string, string[]>()
  for (const policy of policies)
    policy.stages.forEach((stage, i) => {
      const known = names.get(stage.key) ?? []
      if (!known.includes(stage.name)) known.push(stage.name)
      names.set(stage.key, known)
      if (!before.has(stage.key)) before.set(stage.key, new Set())
      const previous = policy.stages[i - 1]?.key
      if (previous === undefined || before.get(stage.key)!.has(previous)) return
      before.get(stage.key)!.add(previous)
      after.set(previous, [...(after.get(previous) ?? []), stage.key])
    })
  const met = [...names.keys()]
  const listed: string[] = []
  const ready = (key: string) => !listed.includes(key) && [...before.get(key)!].every(k => listed.includes(k))
  while (listed.length < met.length) {
    const next =
      (after.get(listed.at(-1) ?? '') ?? []).find(ready) ??
      met.find(ready) ??
      // Two policies that order shared stages differently: the rest as met.
      met.find(k => !listed.includes(k))!
    listed.push(next)
  }
  return listed.map(key => ({ key, names: names.get(key)! }))
}
