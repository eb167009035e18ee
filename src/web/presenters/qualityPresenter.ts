import { calendarDaysBetween, type IsoDate } from '../../domain/calendar/workingDays.js'
import {
  type CheckKind,
  type CheckOutcome,
  checkOutcomeLabels,
  checkOutcomes,
  type SlotState,
  type SlotStatus,
} from '../../domain/quality/progressChecks.js'
import { type ChangeAudience, changeKindLabel, changeKindsFor } from '../../domain/quality/significantChanges.js'
import type { EventRow } from '../../db/repositories/eventRepository.js'
import type { ChangeNotice, ProgressCheck } from '../../db/repositories/qualityRepository.js'
import type { DueCheck, EpisodeView } from '../../services/qualityService.js'
import { paths } from '../paths.js'
import { formatDate, formatDateTime } from '../../text/format.js'

type Tag = { text: string; classes: string }

/** Seed 004: the IRO's progress check (7.1) and the CP chair's quality-assurance review (7.2). */
export const checkKindLabels: Record<CheckKind, string> = {
  iro: 'IRO progress check',
  cp_chair: 'Quality assurance review',
}

/** Whose list a notice is from: the IRO's for a child in care, the CP chair's for a child on a plan. */
export const audienceLabels: Record<ChangeAudience, string> = {
  iro: 'The IRO (the child is looked after)',
  cp_chair: 'The child protection conference chair (the child is on a plan)',
}

export const episodeLabels: Record<CheckKind, string> = {
  iro: 'Looked after',
  cp_chair: 'Child protection plan',
}

export const slotStatusTags: Record<SlotStatus, Tag> = {
  done: { text: 'Done', classes: 'govuk-tag--green' },
  done_late: { text: 'Done late', classes: 'govuk-tag--yellow' },
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  missed: { text: 'Missed', classes: 'govuk-tag--orange' },
  upcoming: { text: 'Not yet due', classes: 'govuk-tag--grey' },
}

export const outcomeTags: Record<CheckOutcome, Tag> = {
  outstanding: { text: checkOutcomeLabels.outstanding, classes: 'govuk-tag--green' },
  good: { text: checkOutcomeLabels.good, classes: 'govuk-tag--teal' },
  requires_improvement: { text: checkOutcomeLabels.requires_improvement, classes: 'govuk-tag--yellow' },
  inadequate: { text: checkOutcomeLabels.inadequate, classes: 'govuk-tag--red' },
}

const ordinals = ['first', 'second', 'third']

/** "Year 1, first check". */
export const slotName = (s: Pick<SlotState, 'year' | 'number'>) =>
  `Year ${s.year}, ${ordinals[s.number - 1] ?? `number ${s.number}`} check`

/** "Due by 10 May 2023" / "Overdue since 10 May 2023 (12 days)". */
export function slotDueText(slot: SlotState, today: IsoDate): string {
  if (slot.status === 'overdue' || slot.status === 'missed') {
    const days = calendarDaysBetween(slot.dueOn, today)
    return `Was due by ${formatDate(slot.dueOn)} (${days} day${days === 1 ? '' : 's'} ago)`
  }
  if (slot.status === 'done' || slot.status === 'done_late')
    return `Was due by ${formatDate(slot.dueOn)}, done on ${formatDate(slot.doneOn)}`
  return `Due by ${formatDate(slot.dueOn)}`
}

/** How late a notice was, in working days between the event and the day the reviewer was told. */
export function latenessText(days: number): string {
  if (days === 0) return 'The same day'
  return `${days} working day${days === 1 ? '' : 's'} after it happened`
}

/** The review a notice asks for, as it stands. */
export function reviewText(notice: Pick<ChangeNotice, 'reviewDueOn' | 'reviewSetBy' | 'reviewHeldOn'>): string {
  if (notice.reviewDueOn === null) return 'No review asked for'
  const by = notice.reviewSetBy === 'policy' ? ' (the policy for this kind of change)' : ' (set by the reviewer)'
  if (notice.reviewHeldOn !== null)
    return `Held on ${formatDate(notice.reviewHeldOn)}; it was needed by ${formatDate(notice.reviewDueOn)}`
  return `Needed by ${formatDate(notice.reviewDueOn)}${by}`
}

export function reviewTag(notice: Pick<ChangeNotice, 'reviewDueOn' | 'reviewHeldOn'>, today: IsoDate): Tag | undefined {
  if (notice.reviewDueOn === null) return undefined
  if (notice.reviewHeldOn !== null)
    return notice.reviewHeldOn > notice.reviewDueOn
      ? { text: 'Review held late', classes: 'govuk-tag--yellow' }
      : { text: 'Review held', classes: 'govuk-tag--green' }
  return notice.reviewDueOn < today
    ? { text: 'Review overdue', classes: 'govuk-tag--red' }
    : { text: 'Review due', classes: 'govuk-tag--blue' }
}

const noticeKindLabel = (n: Pick<ChangeNotice, 'audience' | 'kind'>) => changeKindLabel(n.audience, n.kind) ?? n.kind

// ---- The due list ---------------------------------------------------------------------------------------------

export function dueRows(rows: DueCheck[], today: IsoDate) {
  return rows.map(r => ({
    childHref: paths.children.show(r.childId),
    child: r.childName,
    caseId: r.caseId,
    kind: checkKindLabels[r.kind],
    reviewer: r.reviewerName,
    check: slotName(r.slot),
    due: formatDate(r.slot.dueOn),
    dueText: slotDueText(r.slot, today),
    tag: slotStatusTags[r.slot.status],
    missed: r.missed ? `${r.missed} missed` : '',
    lastHeld: r.lastHeldOn ? formatDate(r.lastHeldOn) : 'None yet',
  }))
}

// ---- A child's page -------------------------------------------------------------------------------------------

/** The child's checks with their schedule, and their notices, for the child's page. */
export function childQualityView(
  view: { episodes: EpisodeView[]; checks: ProgressCheck[]; notices: ChangeNotice[] },
  today: IsoDate,
) {
  return {
    episodes: view.episodes.map(e => ({
      kind: e.kind,
      title: `${checkKindLabels[e.kind]}s`,
      qa: `schedule-${e.kind}`,
      intro:
        `${episodeLabels[e.kind]} since ${formatDate(e.start)}: at least 3 checks in the first year and 2 in each ` +
        `year after. Reviewer: ${e.reviewerName ?? 'not allocated'}.`,
      current: e.current
        ? { name: slotName(e.current), text: slotDueText(e.current, today), tag: slotStatusTags[e.current.status] }
        : undefined,
      // The latest year or so is what matters: the last five slots, the one due next among them.
      slots: e.slots.slice(-5).map(s => ({
        name: slotName(s),
        due: formatDate(s.dueOn),
        tag: slotStatusTags[s.status],
        done: s.doneOn ? formatDate(s.doneOn) : '',
      })),
      earlier: Math.max(0, e.slots.length - 5),
    })),
    checks: view.checks.map(c => ({
      href: paths.checks.show(c.id),
      reference: c.reference,
      kind: checkKindLabels[c.reviewerRole],
      heldOn: formatDate(c.heldOn),
      reviewer: c.reviewerName,
      outcome: outcomeTags[c.outcome],
    })),
    notices: view.notices.map(n => ({
      href: paths.notices.show(n.id),
      reference: n.reference,
      kind: noticeKindLabel(n),
      occurredOn: formatDate(n.occurredOn),
      sentOn: formatDate(n.sentOn),
      lateness: latenessText(n.latenessWorkingDays),
      reviewer: n.reviewerName,
      acknowledged: n.acknowledgedAt ? 'Acknowledged' : 'Not yet acknowledged',
      review: n.reviewDueOn
        ? n.reviewHeldOn
          ? `Held ${formatDate(n.reviewHeldOn)}`
          : `By ${formatDate(n.reviewDueOn)}`
        : 'None',
      reviewTag: reviewTag(n, today),
    })),
  }
}

// ---- A check --------------------------------------------------------------------------------------------------

export function checkSummaryRows(check: ProgressCheck, childName: string) {
  return [
    { key: 'Child', lines: [`${childName}`] },
    { key: 'Check', lines: [checkKindLabels[check.reviewerRole]] },
    { key: 'Held on', lines: [formatDate(check.heldOn)] },
    { key: 'Reviewer', lines: [check.reviewerName] },
    { key: 'Recorded', lines: [formatDateTime(check.createdAt)] },
  ]
}

export const answerRows = (check: ProgressCheck) => check.answers.map(a => ({ key: a.label, lines: [a.answer] }))

/**
 * The text a dispute or a good practice note starts from when the reviewer goes on from a check
 * (`?fromCheck=`): the outcome, then every heading with its answer, within the 5,000 characters a
 * concern may hold.
 */
export function checkPrefill(check: ProgressCheck): { concern: string; practice: string } {
  const text = [
    `${checkKindLabels[check.reviewerRole]} ${check.reference}, held on ${formatDate(check.heldOn)}: ${checkOutcomeLabels[check.outcome]}.`,
    ...check.answers.map(a => `${a.label}\n${a.answer}`),
  ]
    .join('\n\n')
    .slice(0, 5000)
  return { concern: text, practice: text }
}

/** Where the reviewer can go on to from a check, with the check named so the form can start from it. */
export function checkFollowUps(check: ProgressCheck) {
  const from = `?${new URLSearchParams({ fromCheck: String(check.id) })}`
  return [
    {
      text: 'Raise a dispute from this check',
      href: `${paths.disputes.raise(check.childId)}${from}`,
      qa: 'raise-dispute',
    },
    {
      text: 'Write a good practice note from this check',
      href: `/children/${check.childId}/notes/new${from}`,
      qa: 'write-note',
    },
  ]
}

export const outcomeItems = (selected: unknown) =>
  checkOutcomes.map(o => ({ value: o, text: checkOutcomeLabels[o], checked: selected === o }))

// ---- A notice -------------------------------------------------------------------------------------------------

export const changeKindItems = (audience: ChangeAudience, selected: unknown) =>
  changeKindsFor(audience).map(k => ({ value: k.key, text: k.label, checked: selected === k.key }))

export function noticeSummaryRows(notice: ChangeNotice, childName: string, today: IsoDate) {
  return [
    { key: 'Child', lines: [childName] },
    { key: 'What happened', lines: [noticeKindLabel(notice)] },
    { key: 'Date it happened', lines: [formatDate(notice.occurredOn)] },
    { key: 'Details', lines: [notice.details] },
    { key: 'Sent by', lines: [`${notice.sentByName} on ${formatDate(notice.sentOn)}`] },
    { key: 'Sent to', lines: [notice.reviewerName] },
    { key: 'How late', lines: [latenessText(notice.latenessWorkingDays)] },
    {
      key: 'Acknowledged',
      lines: [notice.acknowledgedAt ? formatDateTime(notice.acknowledgedAt) : 'Not yet acknowledged'],
    },
    { key: 'Review', lines: [reviewText(notice)], tags: [reviewTag(notice, today)].filter(Boolean) },
  ]
}

const noticeEventTitles: Record<string, string> = {
  'change_notice.sent': 'Notice sent to the reviewer',
  'work.acknowledged': 'Acknowledged by the reviewer',
  'change_notice.review_requested': 'Review date set',
  'change_notice.review_held': 'Review recorded as held',
}

export function noticeTimeline(events: EventRow[]) {
  return events.map(e => {
    const data = e.data as { to?: string; heldOn?: string; reviewDueOn?: string | null }
    const lines =
      e.kind === 'change_notice.review_requested' && data.to
        ? [`Review needed by ${formatDate(data.to)}`]
        : e.kind === 'change_notice.review_held' && data.heldOn
          ? [`Held on ${formatDate(data.heldOn)}`]
          : e.kind === 'change_notice.sent' && data.reviewDueOn
            ? [`The policy asks for a review by ${formatDate(data.reviewDueOn)}`]
            : []
    return {
      title: noticeEventTitles[e.kind] ?? e.kind,
      by: e.actor_name ?? 'Concord',
      datetime: formatDateTime(e.occurred_at),
      iso: new Date(e.occurred_at).toISOString(),
      lines,
    }
  })
}
