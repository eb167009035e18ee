// A report as a file: CSV (csv-stringify) and an XLSX workbook (exceljs), one sheet a table, each
// with its headers and the filters used. Built from the same tables the page and the API show.
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import type { ReportTable } from './reportService.js'
import { formatDateTime } from '../text/format.js'

export interface ExportInput {
  title: string
  filterSummary: { label: string; value: string }[]
  producedBy: string
  producedAt: Date
  tables: ReportTable[]
}

const cellValue = (v: number | null) => (v === null ? '' : v)

function tableRows(table: ReportTable): (string | number)[][] {
  return [
    [table.rowHeader, ...table.columns.map(c => c.label)],
    ...table.rows.map(r => [r.label, ...r.cells.map(c => cellValue(c.value))]),
  ]
}

function preamble(input: ExportInput): string[][] {
  return [
    [input.title],
    ...input.filterSummary.map(f => [f.label, f.value]),
    ['Produced by', input.producedBy],
    ['Produced at', formatDateTime(input.producedAt)],
  ]
}

/** One CSV: the filters first, then each table under its title, separated by a blank line. */
export function reportCsv(input: ExportInput): string {
  const lines: (string | number)[][] = [...preamble(input), []]
  for (const table of input.tables)
    lines.push([table.title], ...(table.note ? [[table.note]] : []), ...tableRows(table), [])
  // A formula-looking label must not run in a spreadsheet (CSV injection).
  const safe = lines.map(line => line.map(v => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)))
  return stringify(safe, { record_delimiter: 'windows' })
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
  // Excel allows 31 characters: whole words up to 28, leaving room for " 2" on a repeat.
  const clean = title.replace(/[[\]:*?/\\]/g, ' ').trim()
  const base = (
    clean.length <= 28
      ? clean
      : clean
          .slice(0, 29)
          .replace(/\s+\S*$/, '')
          .slice(0, 28)
  ).trim()
  let name = base
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 26)} ${i}`
  taken.add(name.toLowerCase())
  return name
}

/** A workbook: a sheet of the filters, then one sheet a table with the title, the filters and the table. */
export async function reportXlsx(input: ExportInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Concord'
  workbook.created = input.producedAt
  const taken = new Set<string>()
  const about = workbook.addWorksheet(sheetName('Filters', taken))
  for (const row of preamble(input)) about.addRow(row)
  about.getRow(1).font = { bold: true }
  about.getColumn(1).width = 20
  about.getColumn(2).width = 50
  for (const table of input.tables) {
    const sheet = workbook.addWorksheet(sheetName(table.title, taken))
    sheet.addRow([table.title]).font = { bold: true, size: 14 }
    if (table.note) sheet.addRow([table.note])
    for (const f of input.filterSummary) sheet.addRow([f.label, f.value])
    sheet.addRow([])
    const rows = tableRows(table)
    sheet.addRow(rows[0]!).font = { bold: true }
    for (const row of rows.slice(1)) sheet.addRow(row)
    sheet.getColumn(1).width = 45
    for (let c = 2; c <= table.columns.length + 1; c++) sheet.getColumn(c).width = 18
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
