import { type NextFunction, type Request, type Response, Router } from 'express'
import { headingsFor } from '../../domain/quality/progressChecks.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { CurrentUser } from '../../services/accessService.js'
import { type FieldError, ForbiddenError, NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import {
  answerField,
  checkFormField,
  dueFilters,
  parseAcknowledgeForm,
  parseAudience,
  parseCheckForm,
  parseCheckKind,
  parseNoticeForm,
  parseReviewForm,
  parseReviewHeldForm,
} from '../forms/qualityForms.js'
import type { Parsed } from '../forms/validation.js'
import { paths } from '../paths.js'
import { fullName } from '../../text/format.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import {
  answerRows,
  audienceLabels,
  changeKindItems,
  checkFollowUps,
  checkKindLabels,
  checkSummaryRows,
  dueRows,
  noticeSummaryRows,
  noticeTimeline,
  outcomeItems,
  outcomeTags,
  reviewText,
  slotDueText,
  slotName,
} from '../presenters/qualityPresenter.js'
import { idParam, renderForm, submitForm } from './formHandling.js'

type Body = Record<string, unknown>
type NoticeView = Awaited<ReturnType<Services['quality']['viewNotice']>>

/** GOV.UK date inputs: the three parts as posted, or empty. */
const dateParts = (body: Body | undefined, name: string) => ({
  day: String(body?.[`${name}-day`] ?? ''),
  month: String(body?.[`${name}-month`] ?? ''),
  year: String(body?.[`${name}-year`] ?? ''),
})

const idOf = (req: Request) => {
  const id = idParam(req.params.id as string)
  if (id === undefined) throw new NotFoundError()
  return id
}

/** Progress checks (the due lists, recording and reading a check) and significant-change notices. */
export function qualityRoutes(services: Services): Router {
  const router = Router()
  const { quality } = services
  const access = (req: Request) => ({ path: req.path, ip: req.ip ?? null })

  // ---- Checks due and overdue ---------------------------------------------------------------------------------

  router.get(paths.checks.due(), async (req, res) => {
    const user = req.user!
    const { page, limit, offset } = pageRequest(req.query.page)
    const filters = dueFilters(req.query as Record<string, unknown>)
    const result = await quality.checksDue(user, { ...filters, limit, offset })
    const today = services.calendar.today()
    const query = (p: number) =>
      new URLSearchParams({
        ...(filters.reviewerId ? { reviewer: String(filters.reviewerId) } : {}),
        ...(filters.state ? { state: filters.state } : {}),
        page: String(p),
      }).toString()
    const last = pastLastPage(page, result.total)
    if (last) return res.redirect(`${paths.checks.due()}?${query(last)}`)
    const supervising = result.reviewers.length > 0
    res.render('pages/checks/due', {
      rows: dueRows(result.rows, today),
      summary: resultsSummary(page, result.total),
      pagination: paginationParams(page, result.total, p => `${paths.checks.due()}?${query(p)}`),
      supervising,
      showReviewer: supervising && result.reviewerIds.length !== 1,
      ownList: result.isReviewer && (filters.reviewerId === undefined || filters.reviewerId === user.person.id),
      reviewerItems: supervising
        ? [
            { value: '', text: result.isReviewer ? 'My own caseload' : 'Every reviewer I manage' },
            ...result.reviewers.map(r => ({
              value: String(r.id),
              text: r.name,
              selected: r.id === filters.reviewerId,
            })),
          ]
        : undefined,
      stateItems: [
        { value: '', text: 'Due or overdue' },
        { value: 'overdue', text: 'Overdue', selected: filters.state === 'overdue' },
        { value: 'due', text: 'Due', selected: filters.state === 'due' },
      ],
    })
  })

  // ---- Recording a check ------------------------------------------------------------------------------------------

  async function checkPage(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const childId = idOf(req)
    const form = await quality.checkForm(req.user!, childId)
    const { child } = form
    const name = fullName(child)
    const common = { child, name, backHref: paths.children.show(child.id), action: paths.checks.record(child.id) }
    const allowed = form.kinds.map(k => k.kind)
    // A reviewer who reviews the child in both roles first says which check this is (a GET step).
    const chosen = body?.kind ?? (allowed.length === 1 ? allowed[0] : req.query.kind)
    if (chosen === undefined)
      return renderForm(res, 'pages/checks/kind', {
        ...common,
        items: allowed.map(k => ({ value: k, text: checkKindLabels[k] })),
      })
    const kind = parseCheckKind(chosen, allowed)
    if (!kind.ok)
      return renderForm(
        res,
        'pages/checks/kind',
        { ...common, items: allowed.map(k => ({ value: k, text: checkKindLabels[k] })) },
        400,
        kind.errors,
      )
    const episode = form.kinds.find(k => k.kind === kind.value)!
    const values = body ?? {}
    const today = services.calendar.today()
    renderForm(
      res,
      'pages/checks/form',
      {
        ...common,
        kind: kind.value,
        title: kind.value === 'iro' ? 'Record a progress check' : 'Record a quality assurance review',
        kindLabel: checkKindLabels[kind.value],
        current: episode.current
          ? { name: slotName(episode.current), text: slotDueText(episode.current, today) }
          : undefined,
        headings: headingsFor(kind.value).map(h => ({
          id: answerField(h.key),
          label: h.label,
          value: String(values[answerField(h.key)] ?? ''),
        })),
        heldOn: dateParts(body, 'heldOn'),
        outcomes: outcomeItems(values.outcome),
        chooseKindHref: allowed.length > 1 ? paths.checks.record(child.id) : undefined,
      },
      status,
      errors,
    )
  }

  router.get('/children/:id/checks/new', (req, res) => checkPage(req, res))

  router.post('/children/:id/checks/new', async (req, res) => {
    const childId = idOf(req)
    const body = (req.body ?? {}) as Body
    const form = await quality.checkForm(req.user!, childId)
    const render = (status: number, errors: FieldError[]) =>
      checkPage(
        req,
        res,
        status,
        errors.map(e => ({ ...e, field: checkFormField(e.field) })),
        body,
      )
    const kind = parseCheckKind(
      body.kind,
      form.kinds.map(k => k.kind),
    )
    if (!kind.ok) return render(400, kind.errors)
    const parsed = parseCheckForm(body, kind.value)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await quality.recordCheck(req.user!, childId, parsed.value)
      req.session.flash = `${checkKindLabels[kind.value]} recorded`
      res.redirect(303, paths.checks.show(id))
    })
  })

  router.get('/checks/:id', async (req, res) => {
    const { check, child, mayFollowUp } = await quality.viewCheck(req.user!, idOf(req), access(req))
    res.render('pages/checks/show', {
      check,
      child,
      name: fullName(child),
      title: `${checkKindLabels[check.reviewerRole]} ${check.reference}`,
      outcome: outcomeTags[check.outcome],
      summary: checkSummaryRows(check, `${fullName(child)} (${child.caseId})`),
      answers: answerRows(check),
      followUps: mayFollowUp ? checkFollowUps(check) : [],
    })
  })

  // ---- Sending a notice -------------------------------------------------------------------------------------------

  async function noticePage(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const form = await quality.noticeForm(req.user!, idOf(req))
    const { child } = form
    const name = fullName(child)
    const common = { child, name, backHref: paths.children.show(child.id), action: paths.notices.send(child.id) }
    const allowed = form.audiences.map(a => a.audience)
    if (allowed.length === 0) return res.render('pages/notices/noStatus', common)
    // For a child who is both in care and on a plan, the first step asks which reviewer's list (a GET step).
    const chosen = body?.audience ?? (allowed.length === 1 ? allowed[0] : req.query.for)
    const audienceItems = form.audiences.map(a => ({
      value: a.audience,
      text: audienceLabels[a.audience],
      hint: { text: a.reviewerName ? `Goes to ${a.reviewerName}` : 'No reviewer is allocated yet' },
    }))
    if (chosen === undefined) return renderForm(res, 'pages/notices/audience', { ...common, items: audienceItems })
    const audience = parseAudience(chosen, allowed)
    if (!audience.ok)
      return renderForm(res, 'pages/notices/audience', { ...common, items: audienceItems }, 400, audience.errors)
    const target = form.audiences.find(a => a.audience === audience.value)!
    const values = body ?? {}
    renderForm(
      res,
      'pages/notices/form',
      {
        ...common,
        audience: audience.value,
        reviewerName: target.reviewerName,
        kinds: changeKindItems(audience.value, values.kind),
        occurredOn: dateParts(body, 'occurredOn'),
        values,
        chooseAudienceHref: allowed.length > 1 ? paths.notices.send(child.id) : undefined,
      },
      status,
      errors,
    )
  }

  router.get('/children/:id/notices/new', (req, res) => noticePage(req, res))

  router.post('/children/:id/notices/new', async (req, res) => {
    const childId = idOf(req)
    const body = (req.body ?? {}) as Body
    const form = await quality.noticeForm(req.user!, childId)
    const render = (status: number, errors: FieldError[]) => noticePage(req, res, status, errors, body)
    const audience = parseAudience(
      body.audience,
      form.audiences.map(a => a.audience),
    )
    if (!audience.ok) return render(400, audience.errors)
    const parsed = parseNoticeForm(body, audience.value)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await quality.sendNotice(req.user!, childId, parsed.value)
      req.session.flash = 'Notice sent to the reviewer'
      res.redirect(303, paths.notices.show(id))
    })
  })

  // ---- A notice, acknowledged and reviewed ----------------------------------------------------------------------------

  async function showNotice(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const view = await quality.viewNotice(req.user!, idOf(req), access(req))
    const { notice, child } = view
    const today = services.calendar.today()
    const values = body ?? {}
    renderForm(
      res,
      'pages/notices/show',
      {
        notice,
        child,
        name: fullName(child),
        kindLabel: view.kindLabel,
        summary: noticeSummaryRows(notice, `${fullName(child)} (${child.caseId})`, today),
        timeline: noticeTimeline(view.events),
        acknowledge: view.acknowledgeItemId !== null,
        askReview: view.acknowledgeItemId !== null && notice.reviewDueOn === null,
        reviewNeededItems: [
          { value: 'no', text: 'No', checked: values.reviewNeeded === 'no' },
          { value: 'yes', text: 'Yes', checked: values.reviewNeeded === 'yes' },
        ],
        reviewDueOn: dateParts(body, 'reviewDueOn'),
        reviewHref: view.mayActOnReview ? paths.notices.review(notice.id) : undefined,
        reviewHeldHref: view.mayRecordReviewHeld ? paths.notices.reviewHeld(notice.id) : undefined,
        version: notice.version,
      },
      status,
      errors,
    )
  }

  router.get('/notices/:id', (req, res) => showNotice(req, res))

  // The address an acknowledgement with errors is shown at, asked for again (the address bar, signing in
  // after a session ran out): the notice, where its form is.
  router.get('/notices/:id/acknowledge', (req, res) => res.redirect(303, paths.notices.show(idOf(req))))

  router.post('/notices/:id/acknowledge', async (req, res) => {
    const id = idOf(req)
    const body = (req.body ?? {}) as Body
    const view = await quality.viewNotice(req.user!, id, access(req))
    const render = (status: number, errors: FieldError[]) => showNotice(req, res, status, errors, body)
    const parsed = parseAcknowledgeForm(body, view.acknowledgeItemId !== null && view.notice.reviewDueOn === null)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      await quality.acknowledgeNotice(req.user!, id, parsed.value.review)
      req.session.flash = parsed.value.review ? 'Acknowledged, and the review date is set' : 'Acknowledged'
      res.redirect(303, paths.notices.show(id))
    })
  })

  /** The review forms: one date each, with the notice named above and the version read. */
  function reviewStep<T extends { version: number }>(spec: {
    path: string
    view: string
    field: string
    parse: (body: Body) => Parsed<T>
    allowed: (view: NoticeView) => boolean
    save: (user: CurrentUser, id: number, value: T) => Promise<string>
  }) {
    const page = async (req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) => {
      const view = await quality.viewNotice(req.user!, idOf(req), access(req))
      if (!spec.allowed(view)) throw new ForbiddenError(errorMessages.notices.notReviewer)
      const { notice, child } = view
      renderForm(
        res,
        spec.view,
        {
          notice,
          name: fullName(child),
          kindLabel: view.kindLabel,
          review: reviewText(notice),
          backHref: paths.notices.show(notice.id),
          action: req.originalUrl.split('?')[0],
          version: body?.version ?? notice.version,
          date: dateParts(body, spec.field),
        },
        status,
        errors,
      )
    }
    router.get(spec.path, (req, res) => page(req, res))
    router.post(spec.path, async (req, res) => {
      const id = idOf(req)
      const body = (req.body ?? {}) as Body
      const render = (status: number, errors: FieldError[]) => page(req, res, status, errors, body)
      const parsed = spec.parse(body)
      if (!parsed.ok) return render(400, parsed.errors)
      await submitForm(render, async () => {
        req.session.flash = await spec.save(req.user!, id, parsed.value)
        res.redirect(303, paths.notices.show(id))
      })
    })
  }

  reviewStep({
    path: '/notices/:id/review',
    view: 'pages/notices/review',
    field: 'reviewDueOn',
    parse: parseReviewForm,
    allowed: view => view.mayActOnReview,
    async save(user, id, v) {
      await quality.setReviewDue(user, id, v.version, v.reviewDueOn)
      return 'Review date set'
    },
  })

  reviewStep({
    path: '/notices/:id/review-held',
    view: 'pages/notices/reviewHeld',
    field: 'heldOn',
    parse: parseReviewHeldForm,
    allowed: view => view.mayRecordReviewHeld,
    async save(user, id, v) {
      await quality.recordReviewHeld(user, id, v.version, v.heldOn)
      return 'Review recorded as held'
    },
  })

  // Refusals on these pages say why (who may record a check, who may send a notice) instead of the
  // administrators' page. Only errors from this router's own routes arrive here.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof ForbiddenError) || res.headersSent) return next(error)
    res
      .status(403)
      .render('pages/checks/forbidden', { message: error.message === 'forbidden' ? undefined : error.message })
  })

  return router
}
