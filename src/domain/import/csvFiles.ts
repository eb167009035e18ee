import { parse } from 'csv-parse/sync'
import { errorMessages } from '../../i18n/errorMessages.js'

/**
 * The four files a case-management system exports for Concord, in the order they are applied:
 * teams and the management chain first (people belong to them), then people, children, and the
 * allocations that join children to people. docs/import.md describes every column.
 */
export const importKinds = ['units', 'people', 'children', 'allocations'] as const
export type ImportKind = (typeof importKinds)[number]

export const importFiles: Record<ImportKind, { label: string; columns: readonly string[] }> = {
  units: { label: 'teams', columns: ['name', 'type', 'parent', 'manager'] },
  people: { label: 'people', columns: ['staff_id', 'given_name', 'family_name', 'email', 'unit', 'roles'] },
  children: {
    label: 'children',
    columns: ['case_id', 'given_name', 'family_name', 'date_of_birth', 'team', 'cp_plan_start', 'looked_after_start'],
  },
  allocations: { label: 'allocations', columns: ['case_id', 'social_worker', 'iro', 'cp_chair'] },
}

/** A problem with a file, or with one row of it (row 1 is the header, as a spreadsheet numbers them). */
export interface ImportIssue {
  file: ImportKind
  row?: number
  message: string
}

export interface CsvRow {
  row: number
  values: Record<string, string>
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; issues: ImportIssue[] }

const m = errorMessages.import.file

/** "Given Name" and "given-name" both mean given_name: exports differ in how they write headers. */
export const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/**
 * Reads one uploaded file: UTF-8 text (a byte-order mark is allowed), comma-separated, a header
 * naming exactly the columns of its kind in any order, every row as wide as the header.
 */
export function readCsvFile(kind: ImportKind, fileName: string, bytes: Uint8Array, maxRows: number): CsvResult {
  const label = importFiles[kind].label
  const fail = (message: string, row?: number): CsvResult => ({
    ok: false,
    issues: [{ file: kind, message, ...(row === undefined ? {} : { row }) }],
  })
  if (!/\.csv$/i.test(fileName)) return fail(m.notCsv(label))
  if (bytes.length === 0) return fail(m.empty(label))
  if (bytes.includes(0)) return fail(m.notText(label))
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail(m.notText(label))
  }
  let parsed: { record: string[]; info: { lines: number } }[]
  try {
    parsed = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: true }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
  } catch (error) {
    const lines = (error as { lines?: number }).lines
    return fail(m.malformed(label, typeof lines === 'number' ? lines : 1), lines)
  }
  const records = parsed.map(p => p.record)
  if (records.length === 0 || records[0]!.every(c => c.trim() === '')) return fail(m.empty(label))
  const header = records[0]!.map(normaliseHeader)
  const expected = importFiles[kind].columns
  const issues: ImportIssue[] = []
  const missing = expected.filter(c => !header.includes(c))
  const unknown = [...new Set(header.filter(h => !expected.includes(h)))]
  const repeated = [...new Set(header.filter((h, i) => header.indexOf(h) !== i && expected.includes(h)))]
  if (missing.length) issues.push({ file: kind, row: 1, message: m.missingColumns(label, missing) })
  if (unknown.length || repeated.length)
    issues.push({ file: kind, row: 1, message: m.unknownColumns(label, [...unknown, ...repeated]) })
  if (issues.length) return { ok: false, issues }
  if (records.length === 1) return fail(m.noRows(label))
  if (records.length - 1 > maxRows) return fail(m.tooManyRows(label, maxRows))
  // The line a row ends on is its row in a spreadsheet (a cell with a line break aside).
  const rows = parsed.slice(1).map(({ record, info }) => ({
    row: info.lines,
    values: Object.fromEntries(header.map((h, c) => [h, (record[c] ?? '').trim()])),
  }))
  return { ok: true, rows }
}
