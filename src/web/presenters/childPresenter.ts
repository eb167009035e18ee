import type { RoleKey } from '../../domain/organisation.js'
import type { Child } from '../../db/repositories/childRepository.js'
import type { EventRow } from '../../db/repositories/eventRepository.js'
import { disputeReference } from '../../db/repositories/disputeRepository.js'
import { checkReference, noticeReference } from '../../db/repositories/qualityRepository.js'
import { paths } from '../paths.js'
import { ageOn, formatDate, formatDateTime } from '../../text/format.js'

type Cell = { text?: string; html?: string; attributes?: Record<string, string> }

export function legalStatus(child: Pick<Child, 'cpPlanStart' | 'lookedAfterStart'>): string[] {
  const status: string[] = []
  if (child.cpPlanStart) status.push(`Child protection plan since ${formatDate(child.cpPlanStart)}`)
  if (child.lookedAfterStart) status.push(`Looked after since ${formatDate(child.lookedAfterStart)}`)
  if (status.length === 0) status.push('Neither on a child protection plan nor looked after')
  return status
}

export function legalStatusTags(child: Pick<Child, 'cpPlanStart' | 'lookedAfterStart'>) {
  const tags: { text: string; classes: string }[] = []
  if (child.cpPlanStart) tags.push({ text: 'CP plan', classes: 'govuk-tag--orange' })
  if (child.lookedAfterStart) tags.push({ text: 'Looked after', classes: 'govuk-tag--blue' })
  return tags
}

/** The children list as govukTable rows. Names link to the child; everything is text (escaped). */
export function childTableRows(
  children: (Child & { openDisputes: number })[],
): { link: { href: string; text: string }; cells: Cell[]; tags: ReturnType<typeof legalStatusTags> }[] {
  return children.map(c => ({
    link: { href: paths.children.show(c.id), text: `${c.givenName} ${c.familyName}` },
    // An open dispute shows in lists as well as on the child's page (the brief).
    tags: [
      ...legalStatusTags(c),
      ...(c.openDisputes > 0
        ? [
            {
              text: c.openDisputes === 1 ? 'Open dispute' : `${c.openDisputes} open disputes`,
              classes: 'govuk-tag--red',
            },
          ]
        : []),
    ],
    cells: [
      { text: c.caseId },
      { text: formatDate(c.dateOfBirth) },
      { text: c.teamName },
      { text: c.socialWorkerName ?? 'Not allocated' },
    ],
  }))
}

export function childSummaryRows(child: Child, today: string) {
  const row = (key: string, value: string, href?: string) => ({
    key: { text: key },
    value: href ? { html: undefined, text: value, href } : { text: value },
  })
  return [
    row('Case ID', child.caseId),
    row('Date of birth', `${formatDate(child.dateOfBirth)} (age ${ageOn(child.dateOfBirth, today)})`),
    row('Team', child.teamName, paths.teams.show(child.teamId)),
    row(
      'Allocated social worker',
      child.socialWorkerName ?? unfilled('social_worker', child),
      child.socialWorkerId ? paths.people.show(child.socialWorkerId) : undefined,
    ),
    row(
      'Allocated IRO',
      child.iroName ?? unfilled('iro', child),
      child.iroId ? paths.people.show(child.iroId) : undefined,
    ),
    row(
      'Allocated child protection conference chair',
      child.cpChairName ?? unfilled('cp_chair', child),
      child.cpChairId ? paths.people.show(child.cpChairId) : undefined,
    ),
    ...(child.closedOn ? [row('Case closed', formatDate(child.closedOn))] : []),
  ]
}

/**
 * What stands in for nobody, the same in the child's details and their chain of responsible people:
 * a reviewer the child's plan does not call for is not applicable; a child's own worker or reviewer
 * not yet named is not allocated, and so are the reviewer's managers, found through the reviewer;
 * a manager's post with nobody in it is vacant.
 */
type Allocation = Pick<Child, 'lookedAfterStart' | 'cpPlanStart' | 'iroId' | 'cpChairId'>
function unfilled(role: RoleKey, child: Allocation): string {
  if (role === 'iro') return child.lookedAfterStart ? 'Not allocated' : 'Not applicable'
  if (role === 'cp_chair') return child.cpPlanStart ? 'Not allocated' : 'Not applicable'
  if (role === 'social_worker') return 'Not allocated'
  const reviewerManager = role === 'reviewing_service_manager' || role === 'head_of_irs'
  if (reviewerManager && child.iroId === null && child.cpChairId === null)
    return child.lookedAfterStart || child.cpPlanStart ? 'Not allocated' : 'Not applicable'
  return 'Vacant'
}

export function chainRows(
  chain: { role: RoleKey; personId: number | null }[],
  names: Map<number, string>,
  titles: Record<RoleKey, string>,
  child: Allocation,
) {
  return chain.map(({ role, personId }) => ({
    title: titles[role],
    name: personId === null ? unfilled(role, child) : (names.get(personId) ?? 'Unknown'),
    href: personId === null ? undefined : paths.people.show(personId),
  }))
}

const eventTitles: Record<string, string> = {
  'child.created': 'Child added',
  'child.updated': 'Child’s details changed',
  'child.sibling_group_joined': 'Linked to a sibling',
  'dispute.raised': 'Dispute raised',
  'dispute.stage_entered': 'Dispute sent to the responsible manager',
  'dispute.responded': 'Action plan recorded',
  'dispute.resolved': 'Dispute resolved',
  'dispute.not_resolved': 'Dispute not resolved',
  'dispute.extension_agreed': 'Extension agreed',
  'dispute.escalated': 'Dispute escalated',
  'dispute.pre_approval_requested': 'Agreement asked for the next stage',
  'dispute.pre_approved': 'Next stage agreed',
  'dispute.pre_approval_declined': 'Next stage not agreed',
  'dispute.pre_approval_withdrawn': 'Request to agree the next stage withdrawn',
  'dispute.outcome_recorded': 'Outcome recorded',
  'dispute.action_completed': 'Action completed',
  'dispute.referred_to_cafcass': 'Referred to CAFCASS',
  'dispute.legal_advice_sought': 'Legal advice sought',
  'dispute.discussion_logged': 'Discussion logged',
  'dispute.finalised': 'Dispute record finalised',
  'dispute.addendum_added': 'Addendum added',
  'dispute.pdf_downloaded': 'Dispute record downloaded as PDF',
  'work.acknowledged': 'Acknowledged',
  'practice_note.written': 'Good practice note written',
  'child.imported': 'Child added by an import from the case-management system',
  'child.changed_by_import': 'Child’s details changed by an import from the case-management system',
  'child.ended_by_import': 'Case closed: no longer in the case-management system',
  'child.subject_access_export': 'Everything held about the child exported (subject access)',
  'child.retention_kept': 'Records kept past the retention period',
  'child.retention_marked_for_deletion': 'Records marked for deletion',
}

/** "progress_check.recorded" -> "Progress check recorded", for kinds without a title of their own. */
const humanise = (kind: string) => {
  const words = kind.replace(/[._]/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const fieldLabels: Record<string, string> = {
  caseId: 'case ID',
  givenName: 'first name',
  familyName: 'last name',
  dateOfBirth: 'date of birth',
  teamId: 'team',
  socialWorkerId: 'social worker',
  iroId: 'IRO',
  cpChairId: 'child protection conference chair',
  cpPlanStart: 'child protection plan start',
  lookedAfterStart: 'looked after start',
  siblingGroupId: 'sibling group',
}

/** The records a child's history links each event to, by what the event is about. */
const historyRecords: Partial<Record<string, { reference: (id: number) => string; href: (id: number) => string }>> = {
  dispute: { reference: disputeReference, href: paths.disputes.show },
  progress_check: { reference: checkReference, href: paths.checks.show },
  change_notice: { reference: noticeReference, href: paths.notices.show },
}

function recordOf(e: EventRow): { text: string; href: string } | undefined {
  const kind = historyRecords[e.entity_type]
  return kind && { text: kind.reference(e.entity_id), href: kind.href(e.entity_id) }
}

/** The child's history for the MOJ timeline: newest first, who did it and when. */
export function historyItems(events: EventRow[]) {
  return events.map(e => {
    const changed = (e.data as { changed?: Record<string, unknown> }).changed
    // An import names the fields it changed in `changes` (see importService).
    const imported = (e.data as { changes?: { field: string }[] }).changes
    const description = changed
      ? `Changed: ${Object.keys(changed)
          .map(k => fieldLabels[k] ?? k)
          .join(', ')}`
      : imported?.length && e.kind === 'child.changed_by_import'
        ? `Changed: ${imported.map(c => c.field).join(', ')}`
        : ''
    return {
      title: eventTitles[e.kind] ?? humanise(e.kind),
      by: e.actor_name ?? 'Concord',
      datetime: formatDateTime(e.occurred_at),
      iso: new Date(e.occurred_at).toISOString(),
      description,
      // A child may have several disputes, checks and notices: each step names its record. Each is
      // about this child alone, so whoever sees the child may open it. (A practice note has its own
      // readers, so it is not linked from here.)
      record: recordOf(e),
    }
  })
}
