import { cohorts, type Cohort } from '../../db/repositories/reportRepository.js'
import { isIsoDate } from '../../domain/calendar/workingDays.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { FieldError } from '../../services/errors.js'
import type { RecordRef, ReportCell, ReportFilters, ReportTable } from '../../services/reportService.js'
import { barChartSvg } from './chartPresenter.js'
import { escapeHtml } from '../../text/html.js'

type Query = Record<string, unknown>

const text = (q: Query, key: string): string | undefined => {
  const v = q[key]
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 100) : undefined
}

const id = (q: Query, key: string): number | undefined => {
  const v = text(q, key)
  const n = Number(v)
  return v !== undefined && Number.isSafeInteger(n) && n > 0 && String(n) === v ? n : undefined
}

/** A date from `name` (YYYY-MM-DD, as links carry it) or from the GOV.UK date input's three fields. */
function dateFrom(q: Query, name: string): { value?: string; parts: { day: string; month: string; year: string } } {
  const whole = text(q, name)
  if (whole !== undefined) {
    const [year = '', month = '', day = ''] = whole.split('-')
    return { value: whole, parts: { day, month, year } }
  }
  const day = text(q, `${name}-day`) ?? ''
  const month = text(q, `${name}-month`) ?? ''
  const year = text(q, `${name}-year`) ?? ''
  if (!day && !month && !year) return { parts: { day, month, year } }
  const iso = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  return {
    value: /^\d{4}$/.test(year) && /^\d{1,2}$/.test(month) && /^\d{1,2}$/.test(day) ? iso : 'invalid',
    parts: { day, month, year },
  }
}

export interface ParsedFilters {
  filters: ReportFilters
  errors: FieldError[]
  /** What the form shows back. */
  form: { from: { day: string; month: string; year: string }; to: { day: string; month: string; year: string } }
}

/** The report's filters from a query string; the period defaults to the last reporting year. */
export function parseReportQuery(q: Query, defaults: { from: string; to: string }): ParsedFilters {
  const m = errorMessages.reports
  const errors: FieldError[] = []
  const from = dateFrom(q, 'from')
  const to = dateFrom(q, 'to')
  const checked = (d: { value?: string }, field: string, fallback: string) => {
    if (d.value === undefined) return fallback
    if (!isIsoDate(d.value)) {
      errors.push({ field: `${field}-day`, message: field === 'from' ? m.from.invalid : m.to.invalid })
      return fallback
    }
    return d.value
  }
  const fromValue = checked(from, 'from', defaults.from)
  const toValue = checked(to, 'to', defaults.to)
  if (errors.length === 0 && fromValue > toValue) errors.push({ field: 'to-day', message: m.to.beforeFrom })
  const cohort = text(q, 'cohort')
  const filters: ReportFilters = {
    from: fromValue,
    to: toValue,
    teamId: id(q, 'team'),
    areaId: id(q, 'area'),
    reviewerId: id(q, 'reviewer'),
    policyId: text(q, 'policy'),
    cohort: cohorts.find(c => c === cohort) as Cohort | undefined,
  }
  const split = (iso: string) => {
    const [year = '', month = '', day = ''] = iso.split('-')
    return { day: String(Number(day)), month: String(Number(month)), year }
  }
  return {
    filters,
    errors,
    form: {
      from: from.value === undefined ? split(fromValue) : from.parts,
      to: to.value === undefined ? split(toValue) : to.parts,
    },
  }
}

/** The filters as query parameters, compact (the date as YYYY-MM-DD). */
export function filterParams(f: ReportFilters): Record<string, string> {
  const out: Record<string, string> = { from: f.from, to: f.to }
  if (f.teamId !== undefined) out.team = String(f.teamId)
  if (f.areaId !== undefined) out.area = String(f.areaId)
  if (f.reviewerId !== undefined) out.reviewer = String(f.reviewerId)
  if (f.policyId !== undefined) out.policy = f.policyId
  if (f.cohort !== undefined) out.cohort = f.cohort
  return out
}

export function queryString(params: Record<string, string | undefined>): string {
  return new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, v]])),
  ).toString()
}

export function recordRefParams(ref: RecordRef): Record<string, string | undefined> {
  return { ...ref }
}

const disputeDimensionKeys = [
  'stage',
  'category',
  'team',
  'outcome',
  'outcomeGroup',
  'overall',
  'repeatChild',
  'repeatTeam',
  'all',
] as const

/** The number a list page is for, from its query string; undefined when it names no known figure. */
export function recordRefFromQuery(q: Query): RecordRef | undefined {
  const figure = text(q, 'figure')
  const dim = (key: string) => disputeDimensionKeys.find(d => d === text(q, key))
  switch (figure) {
    case 'dispute': {
      const r = dim('r')
      const k = dim('k')
      const rv = text(q, 'rv')
      const kv = text(q, 'kv')
      return r && k && rv && kv ? { figure, r, rv, k, kv } : undefined
    }
    case 'stage': {
      const level = text(q, 'level')
      if (level !== undefined && !/^-?\d{1,2}$/.test(level)) return undefined
      return { figure, level, timeliness: text(q, 'timeliness') }
    }
    case 'note': {
      const r = (['category', 'team', 'all'] as const).find(x => x === text(q, 'r'))
      const rv = text(q, 'rv')
      return r && rv ? { figure, r, rv } : undefined
    }
    case 'check': {
      const outcome = text(q, 'outcome')
      return outcome ? { figure, outcome, role: text(q, 'role') } : undefined
    }
    case 'slot': {
      const status = text(q, 'status')
      return status ? { figure, status, role: text(q, 'role') } : undefined
    }
    case 'notice':
      return { figure, kind: text(q, 'kind'), timeliness: text(q, 'timeliness') }
    default:
      return undefined
  }
}

export function formatCell(cell: ReportCell): string {
  if (cell.value === null) return '–'
  if (cell.format === 'count') return String(cell.value)
  return Number.isInteger(cell.value) ? String(cell.value) : cell.value.toFixed(cell.format === 'ratio' ? 2 : 1)
}

/**
 * A table for govukTable and its chart. Counts link to the records behind them when the viewer may
 * list records; the link names what it counts for screen readers.
 */
export function tableView(table: ReportTable, recordsHref: ((ref: RecordRef) => string) | undefined) {
  const head = [{ text: table.rowHeader }, ...table.columns.map(c => ({ text: c.label, format: 'numeric' }))]
  const rows = table.rows.map(row => [
    { text: row.label },
    ...row.cells.map((cell, i) => {
      const shown = formatCell(cell)
      if (cell.records && recordsHref && cell.format === 'count' && cell.value !== null && cell.value > 0) {
        const what = `${table.columns[i]?.label ?? ''}: ${row.label}`
        return {
          html: `<a class="govuk-link" href="${escapeHtml(recordsHref(cell.records))}">${shown}<span class="govuk-visually-hidden"> (${escapeHtml(what)})</span></a>`,
          format: 'numeric',
        }
      }
      return { text: shown, format: 'numeric' }
    }),
  ])
  const series = table.chartColumns.map(key => ({
    key,
    label: table.columns.find(c => c.key === key)?.label ?? key,
    index: table.columns.findIndex(c => c.key === key),
  }))
  const svg = barChartSvg({
    id: table.id,
    title: table.title,
    description: table.description,
    series,
    groups: table.rows.map(r => ({ label: r.label, values: series.map(s => r.cells[s.index]?.value ?? null) })),
  })
  return { id: table.id, title: table.title, description: table.description, note: table.note, head, rows, svg }
}
