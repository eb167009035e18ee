import type { Request, Response } from 'express'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { parseReportQuery } from '../presenters/reportPresenter.js'
import { paths } from '../paths.js'

/** GET /reports/download.csv and .xlsx: the report (or, with ?year=, the annual page) as a file. */
export function reportDownload(services: Services) {
  return async (req: Request, res: Response) => {
    const format = req.params.format
    if (format !== 'csv' && format !== 'xlsx') throw new NotFoundError()
    const user = req.user!
    services.reports.access(user)
    const q = req.query as Record<string, unknown>
    // The annual report takes a year, not a period: any from or to beside it is ignored, as its page does.
    const parsed = parseReportQuery(
      q.year === undefined ? q : Object.fromEntries(Object.entries(q).filter(([k]) => !/^(from|to)(-|$)/.test(k))),
      services.reports.lastReportingYear(),
    )
    const year = typeof q.year === 'string' && /^\d{4}$/.test(q.year) ? Number(q.year) : undefined
    // A period or year the page would not take (an edited address): back to that page, which says what is wrong.
    const page = q.year === undefined ? paths.reports.index() : paths.reports.annual()
    const query = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'))
    // The annual page's bounds too: a year outside them has no reporting year to show (and no valid dates).
    const badYear = q.year !== undefined && (year === undefined || year < 2000 || year > 2200)
    if (parsed.errors.length > 0 || badYear) return res.redirect(303, `${page}?${query}`)
    const { from: _from, to: _to, ...rest } = parsed.filters
    const file = await services.reports.download(
      user,
      format,
      year === undefined ? { kind: 'report', filters: parsed.filters } : { kind: 'annual', year, filters: rest },
    )
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
    res.send(file.body)
  }
}
