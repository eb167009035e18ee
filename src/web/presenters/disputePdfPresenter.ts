import type { PdfBlock, PdfDocumentModel, PdfRow } from '../pdf/pdfWriter.js'
import { legalStatus } from './childPresenter.js'
import {
  actionRows,
  concernRows,
  type DisputeView,
  discussionViews,
  glanceRows,
  type Names,
  namesOf,
  recordNotes,
  type RoleTitles,
  roleTitle,
  noStageSentence,
  stageViews,
  statusTags,
  type SummaryRow,
  timelineItems,
} from './disputePresenter.js'
import { formatDate, formatDateTime, fullName } from '../../text/format.js'

/**
 * The dispute record and the CAFCASS referral letter as documents for the PDF writer. They say what the
 * record page and its print view say (the same presenters), as plain text: links become their text, tags
 * their words.
 */

export interface Production {
  /** The person producing the PDF. */
  by: { givenName: string; familyName: string }
  /** Now, from the injectable clock. */
  at: Date
  authorityName: string
  titles: RoleTitles
}

/** The parts of `disputes.view()` the documents use. */
export type PdfView = Pick<
  DisputeView,
  | 'record'
  | 'child'
  | 'policy'
  | 'siblings'
  | 'discussions'
  | 'events'
  | 'calendar'
  | 'today'
  | 'relations'
  | 'commands'
>

/** A summary row as plain text: its lines, then its links' text, then its tags' words. */
export function plainRow(row: SummaryRow): PdfRow {
  const lines = [...row.lines, ...(row.links ?? []).map(l => l.text)]
  if (row.tags?.length) lines.push(row.tags.map(t => t.text).join(', '))
  return { key: row.key, lines }
}

/** The child's details, as the print view lists them. */
export function recordChildRows(view: Pick<PdfView, 'child' | 'record'>, names: Names): PdfRow[] {
  const { child, record } = view
  return [
    { key: 'Name', lines: [fullName(child)] },
    { key: 'Case ID', lines: [child.caseId] },
    { key: 'Date of birth', lines: [formatDate(child.dateOfBirth)] },
    { key: 'Legal status', lines: legalStatus(child) },
    { key: 'Team', lines: [child.teamName] },
    { key: 'Allocated social worker', lines: [child.socialWorkerName ?? 'Not allocated'] },
    { key: 'Reviewer', lines: [names.get(record.state.ownerId) ?? 'Unknown person'] },
  ]
}

export const producedByLine = (p: Pick<Production, 'by' | 'at'>) =>
  `Produced by ${fullName(p.by)} on ${formatDateTime(p.at)}`

const heading = (level: 1 | 2 | 3, text: string): PdfBlock => ({ type: 'heading', level, text })
const paragraph = (text: string, bold = false): PdfBlock => ({ type: 'paragraph', text, bold })
const rows = (list: PdfRow[]): PdfBlock => ({ type: 'rows', rows: list })
/** Paragraphs of what someone wrote, split where they left a blank line or a line break. */
const paragraphs = (text: string): PdfBlock[] =>
  text
    .split(/\r?\n/)
    .map(t => t.trim())
    .filter(t => t !== '')
    .map(t => paragraph(t))

/** Everything on the record, in the print view's order, under headings. */
export function recordBlocks(view: PdfView, names: Names): PdfBlock[] {
  const { record, policy } = view
  const s = record.state
  const blocks: PdfBlock[] = [
    heading(2, 'The child'),
    rows(recordChildRows(view, names)),
    heading(2, 'Policy'),
    paragraph(`${policy.name}, version ${policy.version}, in force from ${formatDate(policy.effectiveFrom)}.`),
    heading(2, 'At a glance'),
    rows(glanceRows(view as DisputeView, names).map(plainRow)),
    heading(2, 'The concern'),
    rows(concernRows(record).map(plainRow)),
    heading(2, 'Stages'),
  ]
  const stages = stageViews(s, policy, names)
  if (stages.length === 0) blocks.push(paragraph(noStageSentence(s, policy)))
  for (const stage of stages) {
    blocks.push(heading(3, stage.responsibleTitle ? `${stage.name}: ${stage.responsibleTitle}` : stage.name))
    blocks.push(rows(stage.rows.map(plainRow)))
  }

  blocks.push(heading(2, 'SMART action plan'))
  const actions = actionRows(view, names, null)
  if (actions.length === 0) blocks.push(paragraph('No actions have been agreed yet.'))
  actions.forEach((a, i) => {
    blocks.push(heading(3, `Action ${i + 1}: ${a.what}`))
    blocks.push(
      rows([
        { key: 'Owner', lines: [a.owner] },
        { key: 'Agreed at', lines: [a.stage] },
        { key: 'Due', lines: [a.due] },
        { key: 'State', lines: [a.state.text] },
        ...(a.done ? [{ key: 'Done', lines: [a.done] }] : []),
      ]),
    )
  })

  blocks.push(heading(2, 'Discussions and meeting notes'))
  const discussions = discussionViews(view.discussions, policy)
  if (discussions.length === 0) blocks.push(paragraph('No discussions have been logged.'))
  for (const d of discussions) blocks.push(heading(3, d.heading), rows(d.rows.map(plainRow)))

  const notes = recordNotes(s, policy, names)
  const noteRows = (list: string[][]) => rows(list.map(([first, ...rest]) => ({ key: first ?? '', lines: rest })))
  if (notes.preApprovals.length || notes.declined.length) {
    blocks.push(heading(2, 'Pre-approvals'))
    if (notes.preApprovals.length) blocks.push(noteRows(notes.preApprovals))
    if (notes.declined.length) blocks.push(heading(3, 'Declined'), noteRows(notes.declined))
  }
  if (notes.cafcass) {
    const [when, ...rest] = notes.cafcass
    blocks.push(heading(2, 'CAFCASS referral'), rows([{ key: when ?? '', lines: rest }]))
  }
  if (notes.legalAdvice.length) blocks.push(heading(2, 'Legal advice'), noteRows(notes.legalAdvice))
  if (notes.addenda.length) blocks.push(heading(2, 'Addenda'), noteRows(notes.addenda))

  blocks.push(heading(2, 'History'))
  const timeline = timelineItems(view.events, view.discussions, policy, names)
  if (timeline.length === 0) blocks.push(paragraph('Nothing has happened on this record yet.'))
  else blocks.push(rows(timeline.map(t => ({ key: t.datetime, lines: [t.title, `By ${t.by}`, ...t.lines] }))))
  return blocks
}

/** The whole dispute record, for stages handled outside the system. */
export function recordDocument(view: PdfView, names: Names, production: Production): PdfDocumentModel {
  const { record } = view
  const produced = producedByLine(production)
  const status = statusTags(record.state)
    .map(t => t.text)
    .join(', ')
  return {
    title: `Dispute record ${record.reference}`,
    author: fullName(production.by),
    producedAt: production.at,
    footer: `Dispute record ${record.reference}  ·  ${produced}`,
    blocks: [
      { type: 'caption', text: production.authorityName },
      heading(1, `Dispute record ${record.reference}`),
      paragraph(`${produced}.`),
      paragraph(`Status: ${status}.`),
      ...(record.state.status === 'finalised' ? [paragraph('This record is finalised and locked.', true)] : []),
      ...recordBlocks(view, names),
    ],
  }
}

/**
 * The written referral to CAFCASS (seed 003: "this will be done in writing"): who refers which child and
 * why, in the reviewer's words, who has been told, then the whole record. Only for a referred record.
 */
export function cafcassLetterDocument(view: PdfView, names: Names, production: Production): PdfDocumentModel {
  const { record, child, policy } = view
  const referral = record.state.cafcass
  if (!referral) throw new Error('the record has not been referred to CAFCASS')
  const reviewer = names.get(record.state.ownerId) ?? 'Unknown person'
  const reviewerTitle = roleTitle(policy, record.state.reviewerRole, production.titles)
  const produced = producedByLine(production)
  const stages = stageViews(record.state, policy, names)
  return {
    title: `Referral to CAFCASS: dispute ${record.reference}`,
    author: fullName(production.by),
    producedAt: production.at,
    footer: `Referral to CAFCASS, dispute ${record.reference}  ·  ${produced}`,
    blocks: [
      { type: 'caption', text: production.authorityName },
      heading(1, 'Referral to CAFCASS'),
      rows([
        { key: 'To', lines: ['Children and Family Court Advisory and Support Service (CAFCASS)'] },
        { key: 'From', lines: [`${reviewer}, ${reviewerTitle}`, production.authorityName] },
        { key: 'Date of referral', lines: [formatDate(referral.on)] },
        { key: 'Child', lines: [`${fullName(child)} (case ID ${child.caseId})`] },
        { key: 'Date of birth', lines: [formatDate(child.dateOfBirth)] },
        { key: 'Legal status', lines: legalStatus(child) },
        { key: 'Dispute reference', lines: [record.reference] },
      ]),
      paragraph(
        `I am the ${reviewerTitle} for ${fullName(child)}. I am referring the dispute about this child’s plan to CAFCASS. ` +
          `It was raised on ${formatDate(record.state.raisedOn)} under ${policy.name} (version ${policy.version})` +
          (stages.length
            ? ` and has been through these stages: ${stages.map(st => st.name).join(', ')}.`
            : ', and has not reached a stage yet.'),
      ),
      heading(2, 'My reasons for the referral'),
      ...paragraphs(referral.reasons),
      heading(2, 'Who has been informed'),
      paragraph(
        referral.informedPersonIds.length
          ? `These colleagues have been informed of the referral: ${namesOf(referral.informedPersonIds, names)}.`
          : 'Nobody else was informed.',
      ),
      paragraph('The full record of the dispute follows: every stage, the action plan, the discussions and decisions.'),
      paragraph(`${reviewer}, ${reviewerTitle}`, true),
      paragraph(`${produced}.`),
      { type: 'pageBreak' },
      heading(1, `Dispute record ${record.reference}`),
      ...recordBlocks(view, names),
    ],
  }
}
