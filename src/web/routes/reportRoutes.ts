import { type NextFunction, type Request, type Response, Router } from 'express'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { CurrentUser } from '../../services/accessService.js'
import type { Services } from '../../services/index.js'
import {
  reportAccess,
  reportingYear,
  type RecordRef,
  type Report,
  type ReportFilters,
} from '../../services/reportService.js'
import { paths } from '../paths.js'
import { errorView } from '../presenters/errors.js'
import { formatDate } from '../../text/format.js'
import { pageRequest, paginationParams, resultsSummary } from '../presenters/pagination.js'
import {
  filterParams,
  parseReportQuery,
  queryString,
  recordRefFromQuery,
  recordRefParams,
  tableView,
} from '../presenters/reportPresenter.js'
import { reportDownload } from './reportDownloads.js'
import { disputeReference } from '../../db/repositories/disputeRepository.js'
import { noteReference } from '../../db/repositories/practiceNoteRepository.js'
import { checkReference, noticeReference } from '../../db/repositories/qualityRepository.js'

const reference = (kind: string, id: number) =>
  kind === 'dispute' || kind === 'stage'
    ? disputeReference(id)
    : kind === 'note'
      ? noteReference(id)
      : kind === 'check'
        ? checkReference(id)
        : kind === 'notice'
          ? noticeReference(id)
          : ''

const summaryRows = (summary: { label: string; value: string }[]) =>
  summary.map(s => ({ key: { text: s.label }, value: { text: s.value } }))

const recordsHref = (f: ReportFilters) => (ref: RecordRef) =>
  `${paths.reports.records()}?${queryString({ ...filterParams(f), ...recordRefParams(ref) })}`

export function reportRoutes(services: Services): Router {
  const router = Router()
  const { reports } = services

  // The header shows Reports only to those who may open it.
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.showReports = req.user !== undefined && reportAccess(req.user) !== 'none'
    next()
  })
  router.use('/reports', (req: Request, res: Response, next: NextFunction) => {
    if (req.user && reportAccess(req.user) === 'none') return res.status(403).render('pages/reports/forbidden')
    next()
  })

  /** The filter form's choices: teams, service areas, reviewers, policies, CP plan or in care. */
  async function filterItems(f: ReportFilters) {
    const units = await services.organisation.units()
    const reviewers = (
      await services.db.query<{ id: number; name: string }>(
        `select id, given_name || ' ' || family_name as name from people
         where roles && array['iro', 'cp_chair']::text[] order by family_name, given_name, id`,
      )
    ).rows
    const any = (text: string) => ({ value: '', text })
    return {
      teamItems: [
        any('Every team'),
        ...units
          .filter(u => u.kind === 'team')
          .map(u => ({ value: String(u.id), text: u.name, selected: u.id === f.teamId })),
      ],
      areaItems: [
        any('Every service area'),
        ...units
          .filter(u => u.kind === 'area')
          .map(u => ({ value: String(u.id), text: u.name, selected: u.id === f.areaId })),
      ],
      reviewerItems: [
        any('Every reviewer'),
        ...reviewers.map(r => ({ value: String(r.id), text: r.name, selected: r.id === f.reviewerId })),
      ],
      policyItems: [
        any('Every policy'),
        ...[...new Map(reports.policies().map(p => [p.id, p.name])).entries()].map(([value, text]) => ({
          value,
          text,
          selected: value === f.policyId,
        })),
      ],
      cohortItems: [
        any('Both'),
        { value: 'cp', text: 'Child protection plan', selected: f.cohort === 'cp' },
        { value: 'care', text: 'In care', selected: f.cohort === 'care' },
      ],
    }
  }

  const reportView = (report: Report, user: CurrentUser) => {
    const href = report.canList ? recordsHref(report.filters) : undefined
    return {
      sections: report.sections.map(s => ({ ...s, tables: s.tables.map(t => tableView(t, href)) })),
      filterSummary: report.filterSummary,
      filterRows: summaryRows(report.filterSummary),
      canList: report.canList,
      own: report.access === 'own',
      downloads: {
        csv: `${paths.reports.download('csv')}?${queryString(filterParams(report.filters))}`,
        xlsx: `${paths.reports.download('xlsx')}?${queryString(filterParams(report.filters))}`,
      },
      annualHref: `${paths.reports.annual()}?${queryString({
        ...filterParams(report.filters),
        from: undefined,
        to: undefined,
        year: String(Number(report.filters.from.slice(0, 4))),
      })}`,
      userName: user.person.givenName,
    }
  }

  router.get(paths.reports.index(), async (req, res) => {
    const user = req.user!
    reports.access(user)
    const last = reports.lastReportingYear()
    const parsed = parseReportQuery(req.query as Record<string, unknown>, last)
    const items = await filterItems(parsed.filters)
    // One click to the periods people most often want, keeping the other filters.
    const periodLink = (text: string, from: string, to: string) => ({
      text: `${text} (${formatDate(from)} to ${formatDate(to)})`,
      href: `${paths.reports.index()}?${queryString({ ...filterParams(parsed.filters), from, to })}`,
      current: parsed.filters.from === from && parsed.filters.to === to,
    })
    const thisYearFrom = reportingYear(Number(last.to.slice(0, 4))).from
    const locals = {
      ...items,
      form: parsed.form,
      period: parsed.filters,
      periods: [
        periodLink('This reporting year so far', thisYearFrom, reports.today()),
        periodLink('The last complete reporting year', last.from, last.to),
      ],
    }
    if (parsed.errors.length > 0) {
      return res.status(400).render('pages/reports/index', { ...locals, errors: errorView(parsed.errors) })
    }
    const report = await reports.report(user, parsed.filters)
    res.render('pages/reports/index', {
      ...locals,
      ...reportView(report, user),
      periodText: `${formatDate(report.filters.from)} to ${formatDate(report.filters.to)}`,
    })
  })

  router.get(paths.reports.annual(), async (req, res) => {
    const user = req.user!
    reports.access(user)
    const q = req.query as Record<string, unknown>
    const defaultYear = Number(reports.lastReportingYear().from.slice(0, 4))
    const rawYear = typeof q.year === 'string' ? q.year.trim() : ''
    const year = rawYear === '' ? defaultYear : /^\d{4}$/.test(rawYear) ? Number(rawYear) : NaN
    const parsed = parseReportQuery({ ...q, from: undefined, to: undefined }, reports.lastReportingYear())
    const items = await filterItems(parsed.filters)
    if (!Number.isInteger(year) || year < 2000 || year > 2200) {
      return res.status(400).render('pages/reports/annual', {
        ...items,
        yearValue: rawYear,
        errors: errorView([{ field: 'year', message: errorMessages.reports.year.invalid }]),
      })
    }
    const { from: _from, to: _to, ...rest } = parsed.filters
    const annual = await reports.annual(user, year, rest)
    const canList = annual.current.canList
    const hrefFor = (f: ReportFilters) => (canList ? recordsHref(f) : undefined)
    // Each column's numbers link to the records of its own year.
    const current = tableView(annual.table, hrefFor(annual.current.filters))
    const previous = tableView(annual.table, hrefFor(annual.previous.filters))
    const rows = current.rows.map((row, i) => [row[0], row[1], previous.rows[i]![2]])
    res.render('pages/reports/annual', {
      ...items,
      yearValue: String(year),
      table: { ...current, rows },
      filterRows: summaryRows(annual.filterSummary),
      canList,
      downloads: {
        csv: `${paths.reports.download('csv')}?${queryString({ ...filterParams(annual.current.filters), from: undefined, to: undefined, year: String(year) })}`,
        xlsx: `${paths.reports.download('xlsx')}?${queryString({ ...filterParams(annual.current.filters), from: undefined, to: undefined, year: String(year) })}`,
      },
      years: annual.years.map(y => `${formatDate(y.from)} to ${formatDate(y.to)}`),
      reportHref: `${paths.reports.index()}?${queryString(filterParams(annual.current.filters))}`,
    })
  })

  router.get(paths.reports.records(), async (req, res) => {
    const user = req.user!
    reports.access(user)
    const q = req.query as Record<string, unknown>
    const parsed = parseReportQuery(q, reports.lastReportingYear())
    const ref = recordRefFromQuery(q)
    if (!ref || parsed.errors.length > 0) return res.status(404).render('pages/notFound')
    const { page, limit, offset } = pageRequest(q.page)
    const result = await reports.records(user, parsed.filters, ref, limit, offset)
    const base = { ...filterParams(parsed.filters), ...recordRefParams(ref) }
    const recordHref = (id: number) =>
      result.kind === 'dispute' || result.kind === 'stage'
        ? paths.disputes.show(id)
        : result.kind === 'note'
          ? paths.notes.show(id)
          : result.kind === 'check'
            ? paths.checks.show(id)
            : result.kind === 'notice'
              ? paths.notices.show(id)
              : undefined
    const detail = (d: string | null) =>
      d === null || result.kind === 'child'
        ? (d ?? '')
        : result.kind === 'notice'
          ? reports.labels.noticeKind(d)
          : result.kind === 'check'
            ? reports.labels.checkOutcome(d)
            : reports.labels.category(d)
    res.render('pages/reports/records', {
      kind: result.kind,
      rows: result.rows.map(r => ({
        href: recordHref(r.id),
        reference: reference(result.kind, r.id),
        child: r.child_name,
        childHref: paths.children.show(r.child_id),
        caseId: r.case_id,
        detail: detail(r.detail),
        on: r.on ? formatDate(r.on) : '',
      })),
      hidden: result.hidden,
      figure: result.figure,
      summary: resultsSummary(page, result.total),
      pagination: paginationParams(
        page,
        result.total,
        p => `${paths.reports.records()}?${queryString({ ...base, page: String(p) })}`,
      ),
      filterRows: summaryRows(
        // Notes, checks and notices are not made under a dispute policy: its filter is not why they are listed.
        (await reports.filterSummary(user, parsed.filters)).map(f =>
          f.label === 'Policy' && result.kind !== 'dispute' && result.kind !== 'stage'
            ? { ...f, value: `${f.value} (does not apply to these records)` }
            : f,
        ),
      ),
      backHref: `${paths.reports.index()}?${queryString(filterParams(parsed.filters))}`,
    })
  })

  router.get('/reports/download.:format', reportDownload(services))

  return router
}
