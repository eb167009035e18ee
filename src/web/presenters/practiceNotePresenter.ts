import type { EventRow } from '../../db/repositories/eventRepository.js'
import type { NoteKind, PracticeNote, RecipientState } from '../../db/repositories/practiceNoteRepository.js'
import {
  concernRouteNames,
  formalRouteNames,
  noteWorkKinds,
  type PracticeNoteService,
} from '../../services/practiceNoteService.js'
import { paths } from '../paths.js'
import { formatDateTime } from '../../text/format.js'

type Tag = { text: string; classes: string }
/** A summary-list row as the dispute macros draw it: text lines (one paragraph per line typed), links, tags. */
type Row = { key: string; lines?: string[]; links?: { href: string; text: string }[]; tags?: Tag[] }

export const noteKindLabels: Record<NoteKind, string> = {
  good_practice: 'Good practice note',
  reciprocal: 'Good practice note about a reviewer',
  concern: 'Concern about a reviewer’s practice',
}

/** The headings of a note's page and list: "Good practice note NOTE-000012", "Concern NOTE-000013". */
export const noteTitle = (n: Pick<PracticeNote, 'kind' | 'reference'>) =>
  `${n.kind === 'concern' ? 'Concern' : 'Good practice note'} ${n.reference}`

/** What each "My work" item about a note asks, for the inbox. */
export const noteWorkLabels: Record<string, string> = {
  [noteWorkKinds.note]: 'Read and acknowledge a good practice note about your practice',
  [noteWorkKinds.copy]: 'Read and acknowledge a good practice note (copy)',
  [noteWorkKinds.concern]: 'Resolve a concern about a reviewer’s practice informally',
}

/** Where an inbox item about a note leads: the resolution form for a concern, else the note. */
export function noteWorkHref(item: { kind: string; subjectId: number }): string {
  return item.kind === noteWorkKinds.concern ? paths.notes.resolve(item.subjectId) : paths.notes.show(item.subjectId)
}

type Categories = ReturnType<PracticeNoteService['categories']>

export const categoryName = (categories: Categories, key: string | null) =>
  categories.find(c => c.key === key)?.name ?? ''

/** The six categories of practice quality as GOV.UK radios. */
export function categoryItems(categories: Categories, selected: unknown) {
  return categories.map(c => ({
    value: c.key,
    text: c.name,
    ...(c.description ? { hint: { text: c.description } } : {}),
    checked: c.key === selected,
  }))
}

/** Who the note is about: a person, or a team. */
export function aboutText(n: Pick<PracticeNote, 'subjectPersonName' | 'subjectUnitName'>): string {
  return n.subjectPersonName ?? `${n.subjectUnitName ?? 'A team'} (the team)`
}

/** Where a concern stands: awaiting the manager's informal resolution, resolved, or on its way to a formal route. */
export function noteStatus(n: Pick<PracticeNote, 'kind' | 'resolved' | 'formalRoute'>): Tag | undefined {
  if (n.kind !== 'concern') return undefined
  if (n.resolved === null) return { text: 'Awaiting informal resolution', classes: 'govuk-tag--yellow' }
  if (n.resolved) return { text: 'Resolved informally', classes: 'govuk-tag--green' }
  return {
    text: `Not resolved: ${n.formalRoute ? formalRouteNames[n.formalRoute].toLowerCase() : 'formal route'}`,
    classes: 'govuk-tag--red',
  }
}

/** Rows for the tables of notes (the Notes list, a child's page, a person's page). */
export function noteTableRows(notes: PracticeNote[], categories: Categories) {
  return notes.map(n => ({
    href: paths.notes.show(n.id),
    reference: n.reference,
    kind: noteKindLabels[n.kind],
    about: aboutText(n),
    category: n.kind === 'concern' ? '' : categoryName(categories, n.categoryKey),
    caseId: n.caseId ?? '',
    author: n.authorName,
    written: formatDateTime(n.createdAt),
    status: noteStatus(n),
  }))
}

/** Who it went to, and whether each has acknowledged it. */
export function recipientRows(recipients: RecipientState[], concern: boolean) {
  return recipients.map(r => ({
    name: r.name,
    role: concern ? 'Reviewer’s manager' : r.copy ? 'Copied' : 'Sent to',
    state: concern
      ? undefined
      : r.acknowledgedAt
        ? { text: `Acknowledged ${formatDateTime(r.acknowledgedAt)}`, classes: 'govuk-tag--green' }
        : { text: 'Not yet acknowledged', classes: 'govuk-tag--grey' },
  }))
}

/** The note's details as summary-list rows. The child is a link only for someone who may see them. */
export function noteSummaryRows(
  n: PracticeNote,
  categories: Categories,
  child: { id: number; givenName: string; familyName: string } | undefined,
): Row[] {
  const rows: Row[] = [{ key: 'About', lines: [aboutText(n)] }]
  if (n.kind === 'concern' && n.route) {
    const route = concernRouteNames[n.route]
    rows.push({ key: 'Route', lines: [`${route.name}: ${route.description.toLowerCase()}`] })
  } else rows.push({ key: 'Category of practice', lines: [categoryName(categories, n.categoryKey)] })
  if (n.kind === 'good_practice')
    rows.push(
      child
        ? {
            key: 'Child',
            links: [{ href: paths.children.show(child.id), text: `${child.givenName} ${child.familyName}` }],
            lines: [`Case ID ${n.caseId ?? ''}`],
          }
        : { key: 'Child', lines: [`Case ID ${n.caseId ?? ''}`] },
    )
  if (n.kind === 'concern')
    rows.push({
      key: 'Case ID (for context only)',
      lines: [n.contextCaseId ?? 'None given'],
    })
  rows.push({ key: 'Written by', lines: [n.authorName] }, { key: 'Written on', lines: [formatDateTime(n.createdAt)] })
  return rows
}

/** The text of the note: what the good practice was and its impact, or the concern. */
export function noteTextRows(n: PracticeNote): Row[] {
  if (n.kind === 'concern') return [{ key: 'What happened', lines: [n.practice] }]
  return [
    { key: 'The good practice', lines: [n.practice] },
    {
      key: n.kind === 'reciprocal' ? 'Benefit to the child or their family' : 'Impact on the child and family',
      lines: [n.impact ?? ''],
    },
  ]
}

/** The manager's informal resolution of a concern, and what comes next when it was not resolved. */
export function resolutionRows(n: PracticeNote): Row[] | undefined {
  if (n.kind !== 'concern' || n.resolved === null) return undefined
  const rows: Row[] = [
    { key: 'Outcome', lines: [n.resolutionOutcome ?? ''] },
    { key: 'Resolved', lines: [n.resolved ? 'Yes' : 'No'] },
    { key: 'Recorded by', lines: [`${n.resolvedByName ?? ''}, ${formatDateTime(n.resolvedAt)}`] },
  ]
  if (!n.resolved && n.formalRoute)
    rows.push({
      key: 'Next step',
      lines: [`Raise it formally through the ${formalRouteNames[n.formalRoute].toLowerCase()}.`],
    })
  return rows
}

const eventTitles: Record<string, string> = {
  'practice_note.written': 'Note written and sent',
  'practice_note.concern_raised': 'Concern raised with the reviewer’s manager',
  'practice_note.concern_resolved': 'Informal resolution recorded',
  'work.acknowledged': 'Acknowledged',
}

/** The note's history for the MOJ timeline, newest first. */
export function noteTimeline(events: EventRow[]) {
  return events.map(e => ({
    title: eventTitles[e.kind] ?? e.kind,
    by: e.actor_name ?? 'Concord',
    datetime: formatDateTime(e.occurred_at),
    iso: new Date(e.occurred_at).toISOString(),
  }))
}

/** GOV.UK radios for the two routes a concern can follow. */
export function routeItems(selected: unknown, conferenceAllowed: boolean) {
  return Object.entries(concernRouteNames)
    .filter(([key]) => conferenceAllowed || key !== 'conference_complaints')
    .map(([key, r]) => ({ value: key, text: r.name, hint: { text: r.description }, checked: key === selected }))
}

/** GOV.UK radios for the formal route a concern takes when it is not resolved informally. */
export function formalRouteItems(selected: unknown) {
  return Object.entries(formalRouteNames).map(([key, name]) => ({ value: key, text: name, checked: key === selected }))
}
