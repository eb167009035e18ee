import type { ChildScope } from '../../domain/organisation.js'
import type { Queryable } from '../database.js'
import { visibleChildCondition } from './childRepository.js'

export const noteKinds = ['good_practice', 'reciprocal', 'concern'] as const
export type NoteKind = (typeof noteKinds)[number]

export const concernRoutes = ['escalation_policy', 'conference_complaints'] as const
export type ConcernRoute = (typeof concernRoutes)[number]

export const formalRoutes = ['complaints', 'grievance', 'whistleblowing'] as const
export type FormalRoute = (typeof formalRoutes)[number]

export interface PracticeNote {
  id: number
  reference: string
  kind: NoteKind
  noteSetId: number | null
  /** The child a good practice note is about; always null for reciprocal notes and concerns. */
  childId: number | null
  caseId: string | null
  authorId: number
  authorName: string
  subjectPersonId: number | null
  subjectPersonName: string | null
  subjectUnitId: number | null
  subjectUnitName: string | null
  categoryKey: string | null
  practice: string
  impact: string | null
  route: ConcernRoute | null
  /** A concern's case ID, for context only: never a link to the child's record. */
  contextCaseId: string | null
  resolutionOutcome: string | null
  resolved: boolean | null
  formalRoute: FormalRoute | null
  resolvedById: number | null
  resolvedByName: string | null
  resolvedAt: Date | null
  version: number
  createdAt: Date
}

interface NoteRow {
  id: number
  kind: NoteKind
  note_set_id: number | null
  child_id: number | null
  case_id: string | null
  author_id: number
  author_name: string
  subject_person_id: number | null
  subject_person_name: string | null
  subject_unit_id: number | null
  subject_unit_name: string | null
  category_key: string | null
  practice: string
  impact: string | null
  route: ConcernRoute | null
  context_case_id: string | null
  resolution_outcome: string | null
  resolved: boolean | null
  formal_route: FormalRoute | null
  resolved_by: number | null
  resolved_by_name: string | null
  resolved_at: Date | null
  version: number
  created_at: Date
}

export const noteReference = (id: number) => `NOTE-${String(id).padStart(6, '0')}`

const toNote = (r: NoteRow): PracticeNote => ({
  id: r.id,
  reference: noteReference(r.id),
  kind: r.kind,
  noteSetId: r.note_set_id,
  childId: r.child_id,
  caseId: r.case_id,
  authorId: r.author_id,
  authorName: r.author_name,
  subjectPersonId: r.subject_person_id,
  subjectPersonName: r.subject_person_name,
  subjectUnitId: r.subject_unit_id,
  subjectUnitName: r.subject_unit_name,
  categoryKey: r.category_key,
  practice: r.practice,
  impact: r.impact,
  route: r.route,
  contextCaseId: r.context_case_id,
  resolutionOutcome: r.resolution_outcome,
  resolved: r.resolved,
  formalRoute: r.formal_route,
  resolvedById: r.resolved_by,
  resolvedByName: r.resolved_by_name,
  resolvedAt: r.resolved_at,
  version: r.version,
  createdAt: r.created_at,
})

const name = (alias: string) => `${alias}.given_name || ' ' || ${alias}.family_name`

const selectNotes = `select n.id, n.kind, n.note_set_id, n.child_id, ch.case_id, n.author_id, ${name('a')} as author_name,
  n.subject_person_id, ${name('sp')} as subject_person_name, n.subject_unit_id, su.name as subject_unit_name,
  n.category_key, n.practice, n.impact, n.route, n.context_case_id, n.resolution_outcome, n.resolved, n.formal_route,
  n.resolved_by, ${name('rb')} as resolved_by_name, n.resolved_at, n.version, n.created_at
  from practice_notes n
  join people a on a.id = n.author_id
  left join children ch on ch.id = n.child_id
  left join people sp on sp.id = n.subject_person_id
  left join org_units su on su.id = n.subject_unit_id
  left join people rb on rb.id = n.resolved_by`

/** Who is looking at notes: the person, whether they administer, the units they manage, the children they see. */
export interface NoteViewer {
  personId: number
  admin: boolean
  managedUnitIds: number[]
  scope: ChildScope
}

/**
 * The notes that concern a person themself: written by them, sent to them, about them, or about
 * someone (or a team) in a unit they manage. A concern is seen only by its author and the manager it
 * was sent to: never by the reviewer it is about, nor by anyone above. `params` is appended to.
 */
export function personalNoteCondition(viewer: NoteViewer, params: unknown[]): string {
  params.push(viewer.personId)
  const me = `$${params.length}`
  params.push(viewer.managedUnitIds)
  const managed = `$${params.length}::int[]`
  return `(n.author_id = ${me}
    or exists (select 1 from practice_note_recipients r where r.note_id = n.id and r.person_id = ${me})
    or (n.kind <> 'concern' and (n.subject_person_id = ${me}
      or coalesce(n.subject_unit_id, (select p.unit_id from people p where p.id = n.subject_person_id)) in (
        with recursive branch(id) as (
          select id from org_units where id = any(${managed})
          union select u.id from org_units u join branch b on u.parent_id = b.id
        ) select id from branch))))`
}

/**
 * Who may open a note: everyone it concerns personally; and, for good practice and reciprocal notes,
 * administrators and, for a note about a child, whoever may see that child (ADR 0004).
 */
export function visibleNoteCondition(viewer: NoteViewer, params: unknown[]): string {
  const personal = personalNoteCondition(viewer, params)
  const child = visibleChildCondition(viewer.scope, params)
  return `(${personal} or (n.kind <> 'concern' and (${viewer.admin ? 'true' : 'false'}
    or (n.child_id is not null and exists (select 1 from children c where c.id = n.child_id and ${child})))))`
}

export async function newNoteSet(tx: Queryable, at: Date): Promise<number> {
  return (await tx.query<{ id: number }>('insert into practice_note_sets (created_at) values ($1) returning id', [at]))
    .rows[0]!.id
}

export interface NoteInput {
  kind: NoteKind
  noteSetId: number | null
  childId: number | null
  authorId: number
  subjectPersonId: number | null
  subjectUnitId: number | null
  categoryKey: string | null
  practice: string
  impact: string | null
  route: ConcernRoute | null
  contextCaseId: string | null
}

export async function insertNote(tx: Queryable, input: NoteInput, at: Date): Promise<number> {
  const result = await tx.query<{ id: number }>(
    `insert into practice_notes (kind, note_set_id, child_id, author_id, subject_person_id, subject_unit_id, category_key,
       practice, impact, route, context_case_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id`,
    [
      input.kind,
      input.noteSetId,
      input.childId,
      input.authorId,
      input.subjectPersonId,
      input.subjectUnitId,
      input.categoryKey,
      input.practice,
      input.impact,
      input.route,
      input.contextCaseId,
      at,
    ],
  )
  return result.rows[0]!.id
}

export interface NoteRecipient {
  personId: number
  /** Copied (the team manager, the reviewer's manager) rather than the person the note is to. */
  copy: boolean
}

export async function insertRecipients(tx: Queryable, noteId: number, recipients: NoteRecipient[]): Promise<void> {
  for (const r of recipients)
    await tx.query(
      'insert into practice_note_recipients (note_id, person_id, copy) values ($1, $2, $3) on conflict do nothing',
      [noteId, r.personId, r.copy],
    )
}

/**
 * An inbox item about a note, once per person and kind, in the caller's transaction. The same row as
 * `addSubjectItem` in workItemRepository writes (subject type 'practice_note'), with the reference
 * built here: that function's SQL uses its id parameter both as text and as an integer, which
 * PostgreSQL and PGlite refuse ("inconsistent types deduced for parameter").
 */
export async function addNoteItem(
  tx: Queryable,
  item: { personId: number; kind: string; noteId: number; childId: number | null; needsAck: boolean },
  at: Date,
): Promise<void> {
  await tx.query(
    `insert into work_items (person_id, kind, subject_type, subject_id, child_id, ref, needs_ack, due_on, created_at)
     values ($1, $2, 'practice_note', $3, $4, $5, $6, null, $7)
     on conflict (person_id, kind, subject_type, subject_id) where subject_type is not null do nothing`,
    [item.personId, item.kind, item.noteId, item.childId, `practice_note:${item.noteId}`, item.needsAck, at],
  )
}

/** Any note by id, without an access check: for the service, inside its own checks. */
export async function findNote(db: Queryable, id: number): Promise<PracticeNote | undefined> {
  const row = (await db.query<NoteRow>(`${selectNotes} where n.id = $1`, [id])).rows[0]
  return row && toNote(row)
}

/** Undefined both when the note does not exist and when the viewer may not see it. */
export async function findVisibleNote(
  db: Queryable,
  viewer: NoteViewer,
  id: number,
): Promise<PracticeNote | undefined> {
  const params: unknown[] = [id]
  const row = (
    await db.query<NoteRow>(`${selectNotes} where n.id = $1 and ${visibleNoteCondition(viewer, params)}`, params)
  ).rows[0]
  return row && toNote(row)
}

/** The notes that concern the viewer personally (see `personalNoteCondition`), newest first. */
export async function listPersonalNotes(
  db: Queryable,
  viewer: NoteViewer,
  limit: number,
  offset: number,
): Promise<{ notes: PracticeNote[]; total: number }> {
  const params: unknown[] = []
  const where = `where ${personalNoteCondition(viewer, params)}`
  const total = (await db.query<{ n: number }>(`select count(*) as n from practice_notes n ${where}`, params)).rows[0]!
    .n
  const rows = await db.query<NoteRow>(
    `${selectNotes} ${where} order by n.created_at desc, n.id desc limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, limit, offset],
  )
  return { notes: rows.rows.map(toNote), total }
}

/** The good practice notes about a child (the caller has checked the child is visible). Never a concern. */
export async function notesForChild(db: Queryable, childId: number): Promise<PracticeNote[]> {
  const rows = await db.query<NoteRow>(
    `${selectNotes} where n.child_id = $1 and n.kind = 'good_practice' order by n.created_at desc, n.id desc`,
    [childId],
  )
  return rows.rows.map(toNote)
}

/**
 * The notes about a person's practice: about them, or about a team they manage. Never a concern.
 * `authorId` narrows them to one author's notes (for someone who may see only what they wrote).
 */
export async function notesAboutPerson(
  db: Queryable,
  personId: number,
  authorId: number | null,
): Promise<PracticeNote[]> {
  const rows = await db.query<NoteRow>(
    `${selectNotes} where n.kind <> 'concern'
       and (n.subject_person_id = $1 or n.subject_unit_id in (select id from org_units where manager_id = $1))
       and ($2::int is null or n.author_id = $2)
     order by n.created_at desc, n.id desc limit 200`,
    [personId, authorId],
  )
  return rows.rows.map(toNote)
}

/** The other notes written in the same step (siblings), those the viewer may see. */
export async function notesInSet(db: Queryable, viewer: NoteViewer, setId: number): Promise<PracticeNote[]> {
  const params: unknown[] = [setId]
  const rows = await db.query<NoteRow>(
    `${selectNotes} where n.note_set_id = $1 and ${visibleNoteCondition(viewer, params)} order by n.id`,
    params,
  )
  return rows.rows.map(toNote)
}

export interface RecipientState {
  personId: number
  name: string
  copy: boolean
  acknowledgedAt: Date | null
}

/** Who the note went to, and when each acknowledged it (from their work item). */
export async function recipientsOf(db: Queryable, noteId: number): Promise<RecipientState[]> {
  const rows = await db.query<{ person_id: number; name: string; copy: boolean; acknowledged_at: Date | null }>(
    `select r.person_id, ${name('p')} as name, r.copy,
       (select max(w.acknowledged_at) from work_items w
        where w.subject_type = 'practice_note' and w.subject_id = r.note_id and w.person_id = r.person_id) as acknowledged_at
     from practice_note_recipients r join people p on p.id = r.person_id
     where r.note_id = $1 order by r.copy, p.family_name, p.given_name, p.id`,
    [noteId],
  )
  return rows.rows.map(r => ({ personId: r.person_id, name: r.name, copy: r.copy, acknowledgedAt: r.acknowledged_at }))
}

/** The person's open notice about this note, if any, so the note's page can offer to acknowledge it. */
export async function openNoticeFor(db: Queryable, noteId: number, personId: number): Promise<number | undefined> {
  const row = (
    await db.query<{ id: number }>(
      `select id from work_items where subject_type = 'practice_note' and subject_id = $1 and person_id = $2
         and needs_ack and acknowledged_at is null and done_at is null order by id limit 1`,
      [noteId, personId],
    )
  ).rows[0]
  return row?.id
}

export interface ResolutionInput {
  outcome: string
  resolved: boolean
  formalRoute: FormalRoute | null
}

/** Records a concern's informal resolution once, from the version read; false when the version or state moved on. */
export async function saveResolution(
  tx: Queryable,
  id: number,
  version: number,
  input: ResolutionInput,
  byPersonId: number,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `update practice_notes set resolution_outcome = $3, resolved = $4, formal_route = $5, resolved_by = $6,
       resolved_at = $7, updated_at = $7, version = version + 1
     where id = $1 and version = $2 and kind = 'concern' and resolved is null`,
    [id, version, input.outcome, input.resolved, input.formalRoute, byPersonId, at],
  )
  return result.rowCount === 1
}
