import { type Request, type Response, Router } from 'express'
import type { RetentionRow } from '../../db/repositories/dataProtectionRepository.js'
import { exportFileName } from '../../services/dataProtectionService.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { parseRetentionForm } from '../forms/retentionForm.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { formatDate, formatDateTime, fullName } from '../../text/format.js'
import { idParam, renderForm, submitForm } from './formHandling.js'
import { escapeHtml } from '../../text/html.js'

/** UK GDPR: subject access exports and the review of records past the retention period (administrators). */
export function dataProtectionRoutes(services: Services): Router {
  const router = Router()
  const { dataProtection } = services

  const childId = (req: Request) => {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return id
  }

  router.get('/children/:id/export', requireAdmin, async (req, res) => {
    const data = await dataProtection.subjectAccessExport(req.user!, childId(req), {
      path: req.path,
      ip: req.ip ?? null,
    })
    res
      .status(200)
      .type('application/json')
      .attachment(exportFileName(data.export.caseId, data.export.exportedAt))
      .send(JSON.stringify(data, null, 2))
  })

  const decisionText = (r: RetentionRow) =>
    r.decision === null
      ? 'No decision yet'
      : r.decision === 'delete'
        ? `Marked for deletion by ${r.decidedByName} on ${formatDateTime(r.decidedAt)}`
        : `Kept until ${formatDate(r.keepUntil)} (${r.decidedByName})`
  const rowsOf = (list: RetentionRow[]) =>
    list.map(r => [
      {
        html: `<a class="govuk-link" href="${paths.dataProtection.decide(r.id)}">${escapeHtml(r.caseId)}<span class="govuk-visually-hidden">: record a decision</span></a>`,
      },
      { text: fullName(r) },
      { text: formatDate(r.closedOn) },
      { text: r.openDisputes > 0 ? `${r.openDisputes} open` : 'None open' },
      { text: r.decision === 'keep' || r.decision === 'delete' ? `${decisionText(r)}: ${r.reason}` : decisionText(r) },
    ])

  router.get(paths.dataProtection.retention(), requireAdmin, async (req, res) => {
    const review = await dataProtection.review(req.user!)
    res.render('pages/retention/index', {
      years: review.years,
      cutoff: formatDate(review.cutoff),
      due: rowsOf(review.due),
      kept: rowsOf(review.kept),
      deletion: rowsOf(review.markedForDeletion),
    })
  })

  async function decidePage(
    req: Request,
    res: Response,
    status = 200,
    errors: { field: string; message: string }[] = [],
    body: Record<string, unknown> = {},
  ) {
    const id = childId(req)
    const { row, decisions } = await dataProtection.retentionRecord(req.user!, id)
    renderForm(
      res,
      'pages/retention/decide',
      {
        row,
        name: fullName(row),
        years: dataProtection.retentionYears,
        summary: [
          { key: { text: 'Case ID' }, value: { text: row.caseId } },
          { key: { text: 'Case closed on' }, value: { text: formatDate(row.closedOn) } },
          { key: { text: 'Open disputes' }, value: { text: String(row.openDisputes) } },
        ],
        decisions: decisions.map(d => [
          { text: formatDateTime(d.decidedAt) },
          { text: d.decidedByName },
          { text: d.decision === 'keep' ? `Keep until ${formatDate(d.keepUntil)}` : 'Mark for deletion' },
          { text: d.reason },
        ]),
        values: {
          decision: body.decision,
          reason: body.reason,
          keepUntil: {
            day: body['keepUntil-day'] ?? '',
            month: body['keepUntil-month'] ?? '',
            year: body['keepUntil-year'] ?? '',
          },
        },
      },
      status,
      errors,
    )
  }

  router.get('/retention/:id', requireAdmin, (req, res) => decidePage(req, res))

  router.post('/retention/:id', requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const parsed = parseRetentionForm(body)
    if (!parsed.ok) return decidePage(req, res, 400, parsed.errors, body)
    await submitForm(
      (status, errors) => decidePage(req, res, status, errors, body),
      async () => {
        await dataProtection.decide(req.user!, childId(req), parsed.value)
        req.session.flash = 'Decision recorded'
        res.redirect(303, paths.dataProtection.retention())
      },
    )
  })

  return router
}
