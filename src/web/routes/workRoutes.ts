import { type Request, Router } from 'express'
import type { OutboxRow } from '../../db/repositories/outboxRepository.js'
import { type RecordState, recordStates } from '../../db/repositories/supervisionRepository.js'
import type { OutstandingRow } from '../../db/repositories/supervisionRepository.js'
import { reviewerRoles } from '../../domain/policies/policy.js'
import { isAdmin } from '../../services/accessService.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { formatDate, formatDateTime } from '../../text/format.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import { inboxRows, recordFlags, recordStateLabels, stageChoices } from '../presenters/workPresenter.js'
import { idParam, renderForm } from './formHandling.js'

/**
 * A list's filters from its address, each kept only if it is one of the choices the page offers; `unknown`
 * when one was given that is not (a mistyped link, a reviewer who has moved on), so that the page can
 * send the browser to the list its drop-downs will show rather than filter by something they cannot.
 */
function filtersFrom(
  req: Request,
  choices: { reviewerIds?: readonly number[]; teamIds?: readonly number[]; stageKeys: readonly string[] },
) {
  const given = (name: string) => {
    const v = req.query[name]
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  const id = (v: string | undefined, known: readonly number[] | undefined) => {
    const n = idParam(v)
    return n !== undefined && known?.includes(n) ? n : undefined
  }
  const f = {
    reviewerId: id(given('reviewer'), choices.reviewerIds),
    teamId: id(given('team'), choices.teamIds),
    stageKey: choices.stageKeys.find(k => k === given('stage')),
    state: recordStates.find(s => s === given('state')),
  }
  const kept: Record<string, unknown> = { reviewer: f.reviewerId, team: f.teamId, stage: f.stageKey, state: f.state }
  return { ...f, unknown: Object.keys(kept).some(k => given(k) !== undefined && kept[k] === undefined) }
}

const optionValues = (items: readonly { value: string }[]) => items.map(i => i.value).filter(v => v !== '')

const query = (f: Record<string, unknown>, page: number) =>
  new URLSearchParams(
    Object.entries({ ...f, page } as Record<string, unknown>).flatMap(([k, v]) =>
      v === undefined || v === '' ? [] : [[k, String(v)]],
    ),
  ).toString()

/** A reviewer's own reviewer roles (IRO, CP chair), or undefined for someone who reviews nothing. */
function reviewerRolesOf(roles: readonly string[]): string[] | undefined {
  const own = roles.filter(r => (reviewerRoles as readonly string[]).includes(r))
  return own.length > 0 ? own : undefined
}

export function workRoutes(services: Services): Router {
  const router = Router()
  const { work, disputes } = services
  const stageNames = new Map(disputes.policies().flatMap(p => p.stages.map(s => [`${p.id}:${s.key}`, s.name])))

  const recordRows = async (rows: OutstandingRow[]) => {
    const calendar = await services.calendar.calendarForDisplay()
    const today = services.calendar.today()
    return rows.map(r => ({
      href: paths.disputes.show(r.id),
      reference: r.reference,
      childHref: paths.children.show(r.childId),
      child: `${r.childName} (${r.caseId})`,
      team: r.teamName,
      reviewer: r.reviewerName,
      stage: r.stageKey ? (stageNames.get(`${r.policyId}:${r.stageKey}`) ?? r.stageKey) : 'Not yet at a stage',
      state: recordStateLabels[r.state],
      flags: recordFlags(r, calendar, today),
      responsible: r.responsibleName ?? '',
      due: r.responseDueOn ? formatDate(r.responseDueOn) : '',
      overall: r.overallDueOn ? formatDate(r.overallDueOn) : '',
      actions: r.openActions
        ? `${r.openActions} open${r.overdueActions ? `, ${r.overdueActions} overdue` : ''}`
        : 'None open',
    }))
  }

  const stateItems = (selected?: RecordState) => [
    { value: '', text: 'Any state' },
    ...recordStates.map(s => ({ value: s, text: recordStateLabels[s].text, selected: s === selected })),
  ]
  /**
   * The stages of the policies a reviewer raises under (a CP chair sees no IRO-only stage), or of every
   * policy. A stage key is shared by policies that may name it differently: the option shows each name once.
   */
  const stageItems = (selected?: string, raisesAs?: readonly string[]) => [
    { value: '', text: 'Any stage' },
    ...stageChoices(disputes.policies().filter(p => !raisesAs || p.reviewerRoles.some(r => raisesAs.includes(r)))).map(
      ({ key, names }) => ({ value: key, text: names.join(' / '), selected: key === selected }),
    ),
  ]

  router.get(paths.work.index(), async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const { items, total } = await work.inbox(req.user!, limit, offset)
    const pageHref = (p: number) => `${paths.work.index()}?page=${p}`
    const last = pastLastPage(page, total)
    if (last) return res.redirect(pageHref(last))
    res.locals.workCount = total // the header's badge: the same count (app.ts does not count again here)
    res.render('pages/work/index', {
      rows: inboxRows(items),
      summary: resultsSummary(page, total),
      pagination: paginationParams(page, total, pageHref),
      isReviewer: reviewerRolesOf(req.user!.roles) !== undefined,
      isSupervisor: req.user!.roles.includes('reviewing_service_manager') || req.user!.roles.includes('head_of_irs'),
      isHeadOfService: req.user!.roles.includes('head_of_service'),
      isAdmin: isAdmin(req.user!),
    })
  })

  router.post('/work/:id/acknowledge', async (req, res) => {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const done = await work.acknowledge(req.user!, id)
    req.session.flash = done === 'already' ? 'This was already acknowledged' : 'Acknowledged'
    // Acknowledged on the record it leads to: back to that record, to go on reading. Only ever a record's
    // own address (its page checks who may see it), never an address from the form.
    const record = idParam(typeof req.body?.record === 'string' ? req.body.record : undefined)
    res.redirect(303, record === undefined ? paths.work.index() : paths.disputes.show(record))
  })

  router.get(paths.work.records(), async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const raisesAs = reviewerRolesOf(req.user!.roles)
    const f = filtersFrom(req, { stageKeys: optionValues(stageItems(undefined, raisesAs)) })
    const pageHref = (p: number) => `${paths.work.records()}?${query({ state: f.state, stage: f.stageKey }, p)}`
    if (f.unknown) return res.redirect(pageHref(1))
    const result = await work.myRecords(req.user!, { ...f, reviewerId: undefined, limit, offset })
    const last = pastLastPage(page, result.total)
    if (last) return res.redirect(pageHref(last))
    res.render('pages/work/records', {
      rows: await recordRows(result.rows),
      summary: resultsSummary(page, result.total),
      pagination: paginationParams(page, result.total, pageHref),
      stateItems: stateItems(f.state),
      stageItems: stageItems(f.stageKey, raisesAs),
      filtered: f.state !== undefined || f.stageKey !== undefined,
    })
  })

  router.get(paths.work.supervision(), async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const teams = (await services.organisation.units()).filter(u => u.kind === 'team')
    const f = filtersFrom(req, {
      reviewerIds: (await work.supervisedReviewers(req.user!)).map(r => r.id),
      teamIds: teams.map(t => t.id),
      stageKeys: optionValues(stageItems()),
    })
    const pageHref = (p: number) =>
      `${paths.work.supervision()}?${query({ reviewer: f.reviewerId, team: f.teamId, stage: f.stageKey, state: f.state }, p)}`
    if (f.unknown) return res.redirect(pageHref(1))
    const result = await work.supervision(req.user!, { ...f, limit, offset })
    const last = pastLastPage(page, result.total)
    if (last) return res.redirect(pageHref(last))
    // The same reviewer, team and stage as the list below: what to raise with the head of service about them.
    const overdue = await work.supervision(req.user!, { ...f, state: 'response_overdue', limit: 100, offset: 0 })
    res.render('pages/work/supervision', {
      rows: await recordRows(result.rows),
      overdueRows: await recordRows(overdue.rows),
      overdueTotal: overdue.total,
      summary: resultsSummary(page, result.total),
      pagination: paginationParams(page, result.total, pageHref),
      reviewerItems: [
        { value: '', text: 'Every reviewer' },
        ...result.reviewers.map(r => ({ value: String(r.id), text: r.name, selected: r.id === f.reviewerId })),
      ],
      teamItems: [
        { value: '', text: 'Every team' },
        ...teams.map(t => ({ value: String(t.id), text: t.name, selected: t.id === f.teamId })),
      ],
      stateItems: stateItems(f.state),
      stageItems: stageItems(f.stageKey),
      stateChosen: f.state !== undefined && f.state !== 'response_overdue',
      filtered: [f.reviewerId, f.teamId, f.stageKey, f.state].some(v => v !== undefined),
    })
  })

  router.get(paths.work.unanswered(), async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const result = await work.unansweredInArea(req.user!, limit, offset)
    const pageHref = (p: number) => `${paths.work.unanswered()}?page=${p}`
    const last = pastLastPage(page, result.total)
    if (last) return res.redirect(pageHref(last))
    res.render('pages/work/unanswered', {
      rows: await recordRows(result.rows),
      summary: resultsSummary(page, result.total),
      pagination: paginationParams(page, result.total, pageHref),
    })
  })

  router.get(paths.work.notifications(), (req, res) => {
    renderForm(res, 'pages/work/notifications', { preference: req.user!.person.notificationPreference })
  })

  router.post(paths.work.notifications(), async (req, res) => {
    const preference = (req.body as Record<string, unknown> | undefined)?.preference
    if (preference !== 'immediate' && preference !== 'daily_digest') {
      return renderForm(res, 'pages/work/notifications', { preference: req.user!.person.notificationPreference }, 400, [
        { field: 'preference', message: 'Select how you want to get emails' },
      ])
    }
    await work.setPreference(req.user!, preference)
    req.session.flash = 'Email choice saved'
    res.redirect(303, paths.work.notifications())
  })

  // The demo has no mail server: administrators can read what Concord would have sent.
  router.get(paths.work.outbox(), requireAdmin, async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const [emails, total] = await Promise.all([
      services.notifications.recent(limit, offset),
      services.notifications.countOutbox(),
    ])
    // Past the last page, as every other list: to the last page there is.
    const last = pastLastPage(page, total)
    if (last) return res.redirect(`${paths.work.outbox()}?page=${last}`)
    res.render('pages/work/outbox', {
      summary: resultsSummary(page, total),
      pagination: paginationParams(page, total, p => `${paths.work.outbox()}?page=${p}`),
      emails: emails.map(e => ({
        ...e,
        created: formatDateTime(e.createdAt),
        status: emailStatus(e),
      })),
      mailer: services.mailer.kind,
    })
  })

  return router
}

/** Where an email stands, as the outbox page says it. */
function emailStatus(e: OutboxRow): string {
  if (e.digestedInto && e.sentAt) return `Not on its own: put into a daily digest on ${formatDateTime(e.sentAt)}`
  if (e.sentAt) return `Sent on ${formatDateTime(e.sentAt)}`
  if (e.gaveUpAt) return `Not sent: given up after ${e.attempts} attempts on ${formatDateTime(e.gaveUpAt)}`
  return e.digest ? 'Held for the daily digest' : 'Waiting to send'
}
