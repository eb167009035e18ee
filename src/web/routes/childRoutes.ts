import { type Request, type Response, Router } from 'express'
import { londonDate } from '../../clock.js'
import type { PersonRole } from '../../domain/organisation.js'
import type { Child } from '../../db/repositories/childRepository.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { parseChildForm, parseChildUpdateForm } from '../forms/childForm.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { chainRows, childSummaryRows, childTableRows, historyItems, legalStatus } from '../presenters/childPresenter.js'
import { childDisputeRows } from '../presenters/disputePresenter.js'
import { formatDateTime, fullName } from '../../text/format.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import { childQualityView } from '../presenters/qualityPresenter.js'
import { idParam, renderForm, submitForm } from './formHandling.js'
import { childNoteLocals } from './practiceNoteRoutes.js'

const isoParts = (iso: string | null | undefined) => {
  if (!iso) return { day: '', month: '', year: '' }
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

export function childRoutes(services: Services): Router {
  const router = Router()
  const { children, organisation } = services

  /** Select items for the form, with the current choice selected (GOV.UK select parameters). */
  async function formOptions(values: Record<string, unknown>) {
    const units = await organisation.units()
    const items = (list: { value: string; text: string }[], field: string, none: string) => [
      { value: '', text: none },
      ...list.map(i => ({ ...i, selected: i.value === String(values[field] ?? '') })),
    ]
    const withRole = async (role: PersonRole) =>
      (await organisation.people({ role, limit: 5000, offset: 0 })).people
        .filter(p => p.active)
        .map(p => ({ value: String(p.id), text: fullName(p) }))
    return {
      teams: items(
        units.filter(u => u.kind === 'team').map(u => ({ value: String(u.id), text: u.name })),
        'teamId',
        'Select a team',
      ),
      socialWorkers: items(await withRole('social_worker'), 'socialWorkerId', 'Not allocated'),
      iros: items(await withRole('iro'), 'iroId', 'Not allocated'),
      cpChairs: items(await withRole('cp_chair'), 'cpChairId', 'Not allocated'),
    }
  }

  /** Values for the form: from what was posted, or from the child being edited. */
  function formValues(source: Record<string, unknown> | Child | undefined, siblingCaseId = '') {
    if (!source) return { dateOfBirth: isoParts(null), cpPlanStart: isoParts(null), lookedAfterStart: isoParts(null) }
    if ('caseId' in source && typeof source.id === 'number') {
      const c = source as Child
      return {
        ...c,
        teamId: String(c.teamId),
        socialWorkerId: String(c.socialWorkerId ?? ''),
        iroId: String(c.iroId ?? ''),
        cpChairId: String(c.cpChairId ?? ''),
        dateOfBirth: isoParts(c.dateOfBirth),
        cpPlanStart: isoParts(c.cpPlanStart),
        lookedAfterStart: isoParts(c.lookedAfterStart),
        siblingCaseId,
      }
    }
    const b = source as Record<string, string>
    const parts = (name: string) => ({
      day: b[`${name}-day`] ?? '',
      month: b[`${name}-month`] ?? '',
      year: b[`${name}-year`] ?? '',
    })
    return {
      ...b,
      dateOfBirth: parts('dateOfBirth'),
      cpPlanStart: parts('cpPlanStart'),
      lookedAfterStart: parts('lookedAfterStart'),
    }
  }

  router.get(paths.children.index(), async (req, res) => {
    const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : ''
    const { page, limit, offset } = pageRequest(req.query.page)
    const teamId = idParam(typeof req.query.team === 'string' ? req.query.team : undefined)
    const { children: list, total } = await children.list(req.user!, { search, teamId, limit, offset })
    const filters = { ...(search ? { q: search } : {}), ...(teamId ? { team: String(teamId) } : {}) }
    const href = (p: number) => `${paths.children.index()}?${new URLSearchParams({ ...filters, page: String(p) })}`
    const last = pastLastPage(page, total)
    if (last) return res.redirect(href(last))
    res.render('pages/children/index', {
      search,
      rows: childTableRows(list),
      pagination: paginationParams(page, total, href),
      summary: resultsSummary(page, total),
      searchTooLong:
        typeof req.query.q === 'string' && req.query.q.length > 100 ? errorMessages.common.search.tooLong : undefined,
    })
  })

  router.get(paths.children.new(), requireAdmin, async (_req, res) => {
    renderForm(res, 'pages/children/form', { options: await formOptions({}), values: formValues(undefined) })
  })

  router.post(paths.children.new(), requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const render = async (status: number, errors: { field: string; message: string }[]) =>
      renderForm(
        res,
        'pages/children/form',
        { options: await formOptions(body), values: formValues(body) },
        status,
        errors,
      )
    const parsed = parseChildForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(
      (status, errors) => render(status, errors),
      async () => {
        const id = await children.create(req.user!, parsed.value)
        req.session.flash = 'Child added'
        res.redirect(303, paths.children.show(id))
      },
    )
  })

  async function load(req: Request): Promise<Child> {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return children.view(req.user!, id, { path: req.path, ip: req.ip ?? null })
  }

  router.get('/children/:id', async (req, res) => {
    const child = await load(req)
    const [siblings, history, chain, disputeRecords, calendar] = await Promise.all([
      children.siblings(req.user!, child),
      children.history(child),
      organisation.chainForChild(child),
      services.disputes.forChild(req.user!, child.id),
      services.calendar.calendar(),
    ])
    const chainPeople = await organisation.peopleByIds(chain.flatMap(c => (c.personId === null ? [] : [c.personId])))
    const names = new Map(chainPeople.map(p => [p.id, fullName(p)]))
    // Progress checks with their schedule, and significant-change notices (pages/checks/_child.njk).
    const quality = await services.quality.forChild(req.user!, child.id)
    res.render('pages/children/show', {
      child,
      name: fullName(child),
      status: legalStatus(child),
      summaryRows: childSummaryRows(child, londonDate(services.clock.now())),
      siblings: siblings.map(s => ({
        name: s.visible ? fullName(s) : 'A sibling you are not allocated to',
        href: s.visible ? paths.children.show(s.id) : undefined,
        caseId: s.visible ? s.caseId : '',
      })),
      chain: chainRows(chain, names, services.config.roleTitles, child),
      history: historyItems(history),
      disputes: childDisputeRows(disputeRecords, services.disputes.policies(), calendar, services.calendar.today()),
      mayRaiseDispute: req.user!.roles.includes('iro') || req.user!.roles.includes('cp_chair'),
      // Good practice notes and the button for reviewers (pages/notes/_childSection.njk).
      ...(await childNoteLocals(services, req.user!, child)),
      quality: {
        ...childQualityView(quality, services.calendar.today()),
        mayRecordCheck: quality.mayRecordCheck,
        maySendNotice: quality.maySendNotice,
      },
    })
  })

  async function editPage(
    req: Request,
    res: Response,
    status = 200,
    errors: { field: string; message: string }[] = [],
    body?: Record<string, unknown>,
  ) {
    const child = await load(req)
    const siblings = await children.siblings(req.user!, child)
    const values = body ? formValues(body) : formValues(child, siblings[0]?.caseId ?? '')
    renderForm(
      res,
      'pages/children/form',
      { child, options: await formOptions(values as Record<string, unknown>), values },
      status,
      errors,
    )
  }

  router.get('/children/:id/edit', requireAdmin, (req, res) => editPage(req, res))

  router.post('/children/:id/edit', requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const parsed = parseChildUpdateForm(body)
    if (!parsed.ok) return editPage(req, res, 400, parsed.errors, body)
    const { version, ...value } = parsed.value
    await submitForm(
      (status, errors) => editPage(req, res, status, errors, body),
      async () => {
        await children.update(req.user!, id, version, value)
        req.session.flash = 'Child’s details saved'
        res.redirect(303, paths.children.show(id))
      },
    )
  })

  router.get('/children/:id/audit', requireAdmin, async (req, res) => {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const { page, limit, offset } = pageRequest(req.query.page)
    const { child, rows, total } = await children.accessAudit(req.user!, id, limit, offset)
    const last = pastLastPage(page, total)
    if (last) return res.redirect(`${paths.children.audit(id)}?page=${last}`)
    res.render('pages/children/audit', {
      child,
      name: fullName(child),
      rows: rows.map(r => [
        { text: formatDateTime(r.occurred_at) },
        { text: r.person_name },
        { text: r.action },
        { text: r.path },
        { text: r.ip ?? '' },
      ]),
      pagination: paginationParams(page, total, p => `${paths.children.audit(id)}?page=${p}`),
      summary: resultsSummary(page, total),
    })
  })

  return router
}
