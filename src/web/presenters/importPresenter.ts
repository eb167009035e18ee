import type { ImportIssue } from '../../domain/import/csvFiles.js'
import { importFiles, importKinds } from '../../domain/import/csvFiles.js'
import type { Action, Counts, PlanItem } from '../../domain/import/importPlan.js'
import type { RoleKey } from '../../domain/organisation.js'
import type { ImportBatch, ImportEvent } from '../../db/repositories/importRepository.js'
import { paths } from '../paths.js'
import { formatDate, formatDateTime } from '../../text/format.js'
import { escapeHtml } from '../../text/html.js'

/** The error summary lists at most this many problems; the rest are counted. */
const MAX_LISTED = 100
/** Each table of the preview shows at most this many records; the rest are counted. */
const MAX_ROWS = 200

/** Problems with the files: the summary links each to its file input, and each input shows its first problem. */
export function issuesView(issues: ImportIssue[]) {
  const list = issues.slice(0, MAX_LISTED).map(i => ({ text: i.message, href: `#${i.file}` }))
  if (issues.length > MAX_LISTED)
    list.push({
      text: `And ${issues.length - MAX_LISTED} more problems: correct these first`,
      href: `#${issues[0]!.file}`,
    })
  const messages: Record<string, { text: string }> = {}
  for (const kind of importKinds) {
    const mine = issues.filter(i => i.file === kind)
    if (mine.length === 1) messages[kind] = { text: mine[0]!.message }
    else if (mine.length > 1)
      messages[kind] = { text: `The ${importFiles[kind].label} file has ${mine.length} problems, listed above` }
  }
  return { list, messages }
}

const entityNames = { unit: 'Teams and units', person: 'People', child: 'Children' } as const
const actionNames: Record<Action, string> = { add: 'to add', change: 'to change', end: 'to end' }
const endNotes = { unit: '', person: ' (made inactive, not deleted)', child: ' (case closed, not deleted)' } as const

function fieldValue(field: string, value: string, roleTitles: Record<RoleKey, string>): string {
  if (value === '') return 'none'
  if (field === 'roles')
    return value
      .split('; ')
      .map(r => roleTitles[r as RoleKey] ?? r)
      .join(', ')
  if (/date|start|closed on/.test(field) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value)
  return value
}

export function countRows(counts: Counts) {
  return (['child', 'person', 'unit'] as const).map(e => [
    { text: entityNames[e] },
    { text: String(counts[e].add), format: 'numeric' },
    { text: String(counts[e].change), format: 'numeric' },
    { text: e === 'unit' ? '–' : String(counts[e].end), format: 'numeric' },
  ])
}

/** One table per kind of record and action, in the order a reader checks them: children first. */
export function planSections(items: PlanItem[], roleTitles: Record<RoleKey, string>) {
  const sections = []
  for (const entity of ['child', 'person', 'unit'] as const)
    for (const action of ['add', 'change', 'end'] as const) {
      const mine = items.filter(i => i.entity === entity && i.action === action)
      if (!mine.length) continue
      sections.push({
        id: `${entity}-${action}`,
        title: `${entityNames[entity]} ${actionNames[action]}${action === 'end' ? endNotes[entity] : ''}`,
        count: mine.length,
        more: Math.max(0, mine.length - MAX_ROWS),
        rows: mine.slice(0, MAX_ROWS).map(i => [
          { text: i.key },
          { text: i.label },
          {
            html: `<ul class="govuk-list govuk-!-font-size-16">${i.changes
              .map(
                c =>
                  `<li><span class="govuk-!-font-weight-bold">${escapeHtml(c.field)}</span>: ${
                    action === 'add'
                      ? escapeHtml(fieldValue(c.field, c.to, roleTitles))
                      : `${escapeHtml(fieldValue(c.field, c.from, roleTitles))} to ${escapeHtml(fieldValue(c.field, c.to, roleTitles))}`
                  }</li>`,
              )
              .join('')}</ul>`,
          },
        ]),
      })
    }
  return sections
}

const statusNames = {
  previewed: 'Waiting to be applied',
  applied: 'Applied',
  cancelled: 'Cancelled',
  superseded: 'Replaced by a later import',
} as const

export function batchSummary(batch: ImportBatch) {
  const who = (name: string | null) => name ?? 'The nightly import (command line)'
  return [
    { key: { text: 'Status' }, value: { text: statusNames[batch.status] } },
    { key: { text: 'Checked by' }, value: { text: who(batch.createdByName) } },
    { key: { text: 'Checked at' }, value: { text: formatDateTime(batch.createdAt) } },
    ...(batch.appliedAt
      ? [
          {
            key: { text: batch.status === 'applied' ? 'Applied by' : 'Cancelled by' },
            value: { text: who(batch.appliedByName) },
          },
          {
            key: { text: batch.status === 'applied' ? 'Applied at' : 'Cancelled at' },
            value: { text: formatDateTime(batch.appliedAt) },
          },
        ]
      : []),
    {
      key: { text: 'Files' },
      value: {
        text: importKinds
          .filter(k => batch.fileNames[k])
          .map(k => `${batch.fileNames[k]} (${importFiles[k].label})`)
          .join(', '),
      },
    },
  ]
}

export function recentRows(batches: ImportBatch[]) {
  return batches.map(b => [
    { html: `<a class="govuk-link" href="${paths.imports.show(b.id)}">Import ${b.id}</a>` },
    { text: formatDateTime(b.createdAt) },
    { text: b.createdByName ?? 'Command line' },
    { text: statusNames[b.status] },
    {
      text: `${b.counts.child.add + b.counts.person.add + b.counts.unit.add} added, ${
        b.counts.child.change + b.counts.person.change + b.counts.unit.change
      } changed, ${b.counts.child.end + b.counts.person.end} ended`,
    },
  ])
}

/** The records an applied import changed, each linked to its page (its history shows the change). */
export function outcomeRows(events: ImportEvent[]) {
  const href = (e: ImportEvent) =>
    e.entityType === 'child'
      ? paths.children.show(e.entityId)
      : e.entityType === 'person'
        ? paths.people.show(e.entityId)
        : paths.teams.show(e.entityId)
  const name = { child: 'Child', person: 'Person', unit: 'Team or unit' } as Record<string, string>
  const action = { add: 'Added', change: 'Changed', end: 'Ended' } as Record<string, string>
  return events.map(e => [
    { text: name[e.entityType] ?? e.entityType },
    { html: `<a class="govuk-link" href="${href(e)}">${escapeHtml(String(e.data.key ?? e.entityId))}</a>` },
    { text: action[String(e.data.action)] ?? String(e.data.action) },
  ])
}
