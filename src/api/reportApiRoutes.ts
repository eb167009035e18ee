import { type Request, Router } from 'express'
import { errorMessages } from '../i18n/errorMessages.js'
import { NotFoundError, ValidationError } from '../services/errors.js'
import type { Services } from '../services/index.js'
import type { RecordRef, Report, ReportFilters, ReportTable } from '../services/reportService.js'
import {
  filterParams,
  parseReportQuery,
  queryString,
  recordRefFromQuery,
  recordRefParams,
} from '../web/presenters/reportPresenter.js'
import { paging } from './requestParsing.js'

const recordsHref = (f: ReportFilters, ref: RecordRef) =>
  `/api/reports/records?${queryString({ ...filterParams(f), ...recordRefParams(ref) })}`

/** A table as JSON: each count carries the API address of the records behind it. */
export const tableJson = (t: ReportTable, f: ReportFilters, canList: boolean) => ({
  id: t.id,
  title: t.title,
  description: t.description,
  rowHeader: t.rowHeader,
  columns: t.columns,
  rows: t.rows.map(r => ({
    key: r.key,
    label: r.label,
    cells: r.cells.map(c => ({
      value: c.value,
      format: c.format,
      ...(c.records && canList ? { records: recordsHref(f, c.records) } : {}),
    })),
  })),
})

const reportJson = (r: Report) => ({
  filters: r.filters,
  filterSummary: r.filterSummary,
  scope: r.access,
  sections: r.sections.map(s => ({
    id: s.id,
    title: s.title,
    tables: s.tables.map(t => tableJson(t, r.filters, r.canList)),
  })),
})

/** The filters from the query string (from and to as YYYY-MM-DD), or 400 with a message per field. */
function filtersOf(req: Request, defaults: { from: string; to: string }): ReportFilters {
  const parsed = parseReportQuery(req.query as Record<string, unknown>, defaults)
  if (parsed.errors.length > 0)
    throw new ValidationError(parsed.errors.map(e => ({ field: e.field.replace(/-day$/, ''), message: e.message })))
  return parsed.filters
}

export function reportApiRoutes(services: Services): Router {
  const router = Router()
  const { reports } = services

  router.get('/reports', async (req, res) => {
    reports.access(req.user!)
    res.json(reportJson(await reports.report(req.user!, filtersOf(req, reports.lastReportingYear()))))
  })

  router.get('/reports/annual', async (req, res) => {
    reports.access(req.user!)
    const raw = typeof req.query.year === 'string' ? req.query.year : undefined
    const year = raw === undefined ? Number(reports.lastReportingYear().from.slice(0, 4)) : Number(raw)
    if (!Number.isInteger(year) || year < 2000 || year > 2200)
      throw new ValidationError([{ field: 'year', message: errorMessages.reports.year.invalid }])
    const { from: _from, to: _to, ...rest } = filtersOf(req, reports.lastReportingYear())
    const annual = await reports.annual(req.user!, year, rest)
    const canList = annual.current.canList
    // Each column's counts lead to the records of its own year.
    const current = tableJson(annual.table, annual.current.filters, canList)
    const previous = tableJson(annual.table, annual.previous.filters, canList)
    res.json({
      year,
      years: annual.years,
      filterSummary: annual.filterSummary,
      table: {
        ...current,
        rows: current.rows.map((r, i) => ({ ...r, cells: [r.cells[0], previous.rows[i]!.cells[1]] })),
      },
    })
  })

  router.get('/reports/records', async (req, res) => {
    reports.access(req.user!)
    const f = filtersOf(req, reports.lastReportingYear())
    const ref = recordRefFromQuery(req.query as Record<string, unknown>)
    if (!ref) throw new NotFoundError()
    const { page, pageSize, limit, offset } = paging(req)
    const result = await reports.records(req.user!, f, ref, limit, offset)
    // Children (behind a count of checks) carry how many of the counted checks are theirs.
    const children = result.kind === 'child'
    res.json({
      kind: result.kind,
      ...(result.figure ? { figure: result.figure } : {}),
      items: result.rows.map(r => ({
        id: r.id,
        childId: r.child_id,
        childName: r.child_name,
        caseId: r.case_id,
        detail: children ? null : r.detail,
        ...(children ? { counted: Number(r.detail) } : {}),
        on: r.on,
      })),
      page,
      pageSize,
      total: result.total,
      notShown: result.hidden,
    })
  })

  return router
}
