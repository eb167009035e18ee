import { type Request, type Response, Router } from 'express'
import { uniqueBy } from '../../collections.js'
import type { Action, Dispute } from '../../domain/dispute/dispute.js'
import { agreedDateRefusal } from '../../domain/dispute/stateMachine.js'
import type { RoleKey } from '../../domain/organisation.js'
import { channels, type Policy } from '../../domain/policies/policy.js'
import { findPolicy, findStage } from '../../domain/policies/policyCatalogue.js'
import type { Child } from '../../db/repositories/childRepository.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { CurrentUser } from '../../services/accessService.js'
import { DisputeRefusedError, type FieldError, NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { Calendar, IsoDate } from '../../domain/calendar/workingDays.js'
import {
  ACTION_ROWS,
  actionRowFields,
  type CommandForm,
  meetingAgenda,
  meetingField,
  meetingOutcomes,
  parseAddendumForm,
  parseApproveForm,
  withLinkedIds,
  type AgreedDateCheck,
  parseCafcassForm,
  parseCompleteActionForm,
  parseDecideForm,
  parseDeclineForm,
  parseWithdrawRequestForm,
  parseDiscussionForm,
  parseEscalateForm,
  parseExtensionForm,
  parseFinaliseForm,
  parseLegalAdviceForm,
  parseOutcomeForm,
  parsePolicyChoice,
  parseRaiseForm,
  parseRespondForm,
} from '../forms/disputeForms.js'
import type { Parsed } from '../forms/validation.js'
import { paths } from '../paths.js'
import {
  actionRows,
  actionState,
  categoryItems,
  channelLabels,
  concernRows,
  discussionViews,
  disputeTableRows,
  type DisputeView,
  escalateOptions,
  currentStageGuidance,
  discussionRuleSentence,
  meetingReminder,
  formDoing,
  glanceRows,
  mayCompleteAction,
  type Names,
  personIdsOf,
  personItems,
  raiseStageOptions,
  recordActions,
  type RecordForm,
  recordNotes,
  roleTitle,
  stageName,
  openDisputeLinks,
  noStageSentence,
  stageViews,
  statusTags,
  timelineItems,
} from '../presenters/disputePresenter.js'
import { andList, formatDate, fullName, withRole } from '../../text/format.js'
import { producedByLine, recordChildRows } from '../presenters/disputePdfPresenter.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import { idParam, renderForm, submitForm } from './formHandling.js'
import { fromCheck } from './fromCheck.js'
import { backToList, refersToRecord } from '../returnPath.js'
import { inboxLabel } from '../presenters/workPresenter.js'

type Body = Record<string, unknown>
type Render = (status: number, errors: FieldError[]) => Promise<void>

/** Every refusal of an agreed response date, shown at that date's field (raising and escalating take one). */
const AGREED_DATE_REFUSALS = {
  due_date_required: 'agreedDueOn',
  due_date_in_past: 'agreedDueOn',
  due_date_not_working_day: 'agreedDueOn',
  agreed_date_not_allowed: 'agreedDueOn',
}

const refusals = errorMessages.dispute.refusals as Record<string, string>

/** The policy's rule for the agreed response date of the stage a form chose (agreedDateRefusal). */
const agreedDateCheck =
  (policy: Policy | undefined, today: IsoDate, calendar: Calendar): AgreedDateCheck =>
  (stageKey, agreedDueOn) => {
    const stage = policy && findStage(policy, stageKey)
    return stage && agreedDateRefusal(stage, agreedDueOn, today, calendar)
  }

const isReviewer = (user: CurrentUser) => user.roles.includes('iro') || user.roles.includes('cp_chair')

/** The raise form's answers that mean the same under any policy: kept when the reviewer changes policy. */
const RAISE_DRAFT_FIELDS = [
  'concern',
  'impact',
  'wishesAndFeelings',
  'recommendedResolution',
  'resolutionTimescale',
  'becameAwareOn-day',
  'becameAwareOn-month',
  'becameAwareOn-year',
] as const

function raiseDraftValues(body: Body): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {}
  for (const field of RAISE_DRAFT_FIELDS) {
    const value = body[field]
    if (typeof value === 'string') kept[field] = value.slice(0, 20_000)
  }
  const siblings = ([] as unknown[]).concat(body.siblingIds ?? []).filter(v => typeof v === 'string')
  if (siblings.length) kept.siblingIds = (siblings as string[]).slice(0, 50)
  return kept
}

function takeRaiseDraft(req: Request, childId: number): Body | undefined {
  const draft = req.session.raiseDraft
  if (!draft) return undefined
  delete req.session.raiseDraft
  return draft.childId === childId ? draft.values : undefined
}

/** GOV.UK date inputs: the three parts as posted, or empty. */
const dateParts = (body: Body | undefined, name: string) => ({
  day: String(body?.[`${name}-day`] ?? ''),
  month: String(body?.[`${name}-month`] ?? ''),
  year: String(body?.[`${name}-year`] ?? ''),
})

/**
 * Runs a form's service call. Beyond the usual validation (400) and conflict (409) failures, a step the
 * dispute's rules refuse is shown on the same form: 409 when the record is locked, otherwise 422.
 */
async function submitStep(render: Render, work: () => Promise<void>, fieldFor: Record<string, string> = {}) {
  try {
    await submitForm(render, work)
  } catch (error) {
    if (!(error instanceof DisputeRefusedError)) throw error
    const message = refusals[error.refusal] ?? refusals.not_allowed!
    await render(error.refusal === 'locked' ? 409 : 422, [{ field: fieldFor[error.refusal] ?? 'form', message }])
  }
}

/** A record and everything its pages show, with people's names. */
interface Loaded {
  id: number
  view: DisputeView
  names: Names
  people: Map<number, { unitId: number | null }>
}

export function disputeRoutes(services: Services): Router {
  const router = Router()
  const { disputes, children, organisation, config } = services
  const titles = config.roleTitles
  /** The service's own address, which a record's back link trusts (a proxy may pass another Host). */
  const ownHost = new URL(config.baseUrl).host

  async function load(req: Request): Promise<Loaded> {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const view = await disputes.view(req.user!, id, { path: req.path, ip: req.ip ?? null })
    const people = await organisation.peopleByIds(personIdsOf(view))
    return {
      id,
      view,
      names: new Map(people.map(p => [p.id, fullName(p)])),
      people: new Map(people.map(p => [p.id, p])),
    }
  }

  /** The holders of some roles on a child's chain (worked out by the service), named, with the policy's title for each role. */
  async function chainPeople(
    user: CurrentUser,
    child: Child,
    roles: readonly RoleKey[],
    reviewerId: number,
    policy?: Policy,
  ) {
    const holders = (await disputes.holdersOnChain(user, child.id, roles, reviewerId)).map(h => ({
      id: h.personId,
      title: roleTitle(policy, h.role, titles),
    }))
    const unique = uniqueBy(holders, h => h.id)
    const names = new Map((await organisation.peopleByIds(unique.map(h => h.id))).map(p => [p.id, fullName(p)]))
    return unique.map(h => ({ ...h, name: names.get(h.id) ?? 'Unknown person' }))
  }

  // ---- The list -------------------------------------------------------------------------------------------

  router.get(paths.disputes.index(), async (req, res) => {
    const user = req.user!
    const statuses = ['open', 'resolved', 'finalised'] as const
    const status = statuses.find(s => s === req.query.status)
    const reviewer = isReviewer(user)
    const raisedBy = reviewer && req.query.raisedBy !== 'anyone' ? 'me' : 'anyone'
    const { page, limit, offset } = pageRequest(req.query.page)
    const { rows, total } = await disputes.list(user, {
      ...(status ? { status } : {}),
      ...(raisedBy === 'me' ? { reviewerId: user.person.id } : {}),
      limit,
      offset,
    })
    const filters = { ...(status ? { status } : {}), ...(reviewer ? { raisedBy } : {}) }
    const href = (p: number) => `${paths.disputes.index()}?${new URLSearchParams({ ...filters, page: String(p) })}`
    const last = pastLastPage(page, total)
    if (last) return res.redirect(href(last))
    res.render('pages/disputes/index', {
      rows: disputeTableRows(rows, disputes.policies(), await services.calendar.calendar(), services.calendar.today()),
      pagination: paginationParams(page, total, href),
      summary: resultsSummary(page, total),
      // The table says what it holds, as filtered: a reviewer's list starts with their own.
      caption: `${status ? `${status[0]!.toUpperCase()}${status.slice(1)} disputes` : 'Disputes'} ${raisedBy === 'me' ? 'raised by you' : 'you can see'}`,
      reviewer,
      statusItems: [
        { value: '', text: 'Any status', selected: !status },
        ...statuses.map(s => ({ value: s, text: s[0]!.toUpperCase() + s.slice(1), selected: s === status })),
      ],
      raisedByItems: [
        { value: 'me', text: 'Raised by me', checked: raisedBy === 'me' },
        { value: 'anyone', text: 'Raised by anyone', checked: raisedBy === 'anyone' },
      ],
    })
  })

  // ---- Raising ----------------------------------------------------------------------------------------------

  async function raisePage(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const user = req.user!
    if (!isReviewer(user)) return res.status(403).render('pages/disputes/forbidden')
    const childId = idParam(req.params.id as string)
    if (childId === undefined) throw new NotFoundError()
    const child = await children.view(user, childId, { path: req.path, ip: req.ip ?? null })
    const name = fullName(child)
    const policies = disputes.policiesFor(user)
    // Started from a progress check: the id goes on through the policy step and the form, the text only into a new form.
    const from = await fromCheck(services, req, child.id, body)
    const fromQuery = from ? `?${new URLSearchParams({ fromCheck: String(from.checkId) })}` : ''
    const common = {
      child,
      name,
      backHref: paths.children.show(child.id),
      action: paths.disputes.raise(child.id),
      fromCheck: from && { id: from.checkId, reference: from.reference },
    }
    if (policies.length === 0) return res.render('pages/disputes/raise/noPolicy', common)
    // The first step is a GET form; its hidden `step` tells "nothing chosen" from "not asked yet".
    const asked = req.query.policy ?? (req.query.step === 'policy' ? '' : undefined)
    const chosenId = body ? body.policyId : policies.length === 1 ? policies[0]!.id : asked
    const choosePage = (st: number, errs: FieldError[]) =>
      renderForm(
        res,
        'pages/disputes/raise/policy',
        {
          ...common,
          items: policies.map(p => ({ value: p.id, text: p.name, checked: p.id === chosenId })),
        },
        st,
        errs,
      )
    if (chosenId === undefined) return choosePage(200, [])
    const choice = parsePolicyChoice(
      chosenId,
      policies.map(p => p.id),
    )
    if (!choice.ok) return choosePage(400, choice.errors)
    const policy = policies.find(p => p.id === choice.value)!
    // What was typed before "Change policy", once, for this child only.
    const draft = body ? undefined : takeRaiseDraft(req, child.id)
    const typed = body ?? draft
    const values = typed ?? (from ? { concern: from.concern } : {})
    const stages = raiseStageOptions(policy, values.startStageKey, titles)
    if (stages.items.length === 1) stages.items[0]!.checked = true
    const preApprovers = policy.rules.preApproval
      ? await chainPeople(user, child, policy.rules.preApproval.byRoles, user.person.id, policy)
      : []
    const ticked = ([] as unknown[]).concat(values.siblingIds ?? []).map(String)
    const [siblings, openDisputes] = await Promise.all([
      children.siblings(user, child).then(all => all.filter(s => s.visible)),
      // So that a concern already on an open record is not raised twice.
      disputes.forChild(user, child.id).then(all => all.filter(r => r.state.status === 'open')),
    ])
    renderForm(
      res,
      'pages/disputes/raise/details',
      {
        ...common,
        policy,
        choosePolicyHref: policies.length > 1 ? `${paths.disputes.raise(child.id)}${fromQuery}` : undefined,
        categories: categoryItems(policy, values.categoryKey),
        stages,
        preApprovers: personItems(preApprovers, values.preApprovedBy, 'Nobody yet'),
        siblings: siblings.map(s => ({
          value: String(s.id),
          text: `${fullName(s)} (${s.caseId})`,
          checked: ticked.includes(String(s.id)),
        })),
        recordForEachSibling: policy.rules.recordForEachSibling,
        openDisputes: openDisputeLinks(openDisputes, disputes.policies()),
        values: {
          ...values,
          becameAwareOn: dateParts(typed, 'becameAwareOn'),
          agreedDueOn: dateParts(body, 'agreedDueOn'),
          preApprovedOn: dateParts(body, 'preApprovedOn'),
        },
      },
      status,
      errors,
    )
  }

  router.get('/children/:id/disputes/new', (req, res) => raisePage(req, res))

  router.post('/children/:id/disputes/new', async (req, res) => {
    const user = req.user!
    const body = (req.body ?? {}) as Body
    if (!isReviewer(user)) return res.status(403).render('pages/disputes/forbidden')
    const childId = idParam(req.params.id as string)
    if (childId === undefined) throw new NotFoundError()
    if (body.changePolicy === 'yes') {
      // Keep what was typed that does not depend on the policy, and ask for the policy again.
      const child = await children.view(user, childId, { path: req.path, ip: req.ip ?? null })
      req.session.raiseDraft = { childId: child.id, values: raiseDraftValues(body) }
      // Not `step=policy`: that means the chooser was sent with nothing chosen, an error.
      const query = new URLSearchParams()
      if (typeof body.fromCheck === 'string' && /^\d{1,9}$/.test(body.fromCheck)) query.set('fromCheck', body.fromCheck)
      return res.redirect(303, `${paths.disputes.raise(child.id)}${query.size ? `?${query}` : ''}`)
    }
    const render: Render = (status, errors) =>
      raisePage(
        req,
        res,
        status,
        errors.map(e => (e.field === 'childIds' ? { ...e, field: 'siblingIds' } : e)),
        body,
      )
    const today = services.calendar.today()
    const policy = disputes.policiesFor(user).find(p => p.id === body.policyId)
    // The form's check only tells the date's problem with the others; the service decides on a fresh
    // read, so the form need not read the closures again on every raise.
    const calendar = await services.calendar.calendarForDisplay()
    const parsed = parseRaiseForm(body, today, agreedDateCheck(policy, today, calendar))
    if (!parsed.ok) return render(400, parsed.errors)
    const { siblingIds, ...value } = parsed.value
    const child = await children.view(user, childId, { path: req.path, ip: req.ip ?? null })
    const visible = (await children.siblings(user, child)).filter(s => s.visible).map(s => s.id)
    if (siblingIds.some(id => !visible.includes(id)))
      return render(400, [{ field: 'siblingIds', message: errorMessages.dispute.siblingIds.unknown }])
    await submitStep(
      render,
      async () => {
        const { ids, alreadyRaised } = await disputes.raise(user, { ...value, childIds: [childId, ...siblingIds] })
        req.session.flash = alreadyRaised
          ? 'You had already raised this dispute, so it was not raised again. This is its record'
          : ids.length === 1
            ? 'Dispute raised'
            : `Dispute raised: ${ids.length} linked records, one for each child`
        res.redirect(303, paths.disputes.show(ids[0]!))
      },
      {
        unknown_stage: 'startStageKey',
        bypass_not_allowed: 'startStageKey',
        ...AGREED_DATE_REFUSALS,
        not_pre_approver: 'preApprovedBy',
        pre_approved_in_future: 'preApprovedOn',
        aware_after_raise: 'becameAwareOn',
      },
    )
  })

  // ---- The record ---------------------------------------------------------------------------------------------

  function recordLocals(ctx: Loaded, user: CurrentUser) {
    const { view, names } = ctx
    const { record, child, policy } = view
    return {
      record,
      reference: record.reference,
      childName: fullName(child),
      policy,
      tags: statusTags(record.state),
      finalised: record.state.status === 'finalised',
      glance: glanceRows(view, names),
      concern: concernRows(record),
      stages: stageViews(record.state, policy, names),
      noStage: noStageSentence(record.state, policy),
      actions: actionRows(view, names, user.person.id),
      discussions: discussionViews(view.discussions, policy),
      notes: recordNotes(record.state, policy, names),
      buttons: recordActions(view),
      guidance: currentStageGuidance(record.state, policy),
      printHref: paths.disputes.print(record.id),
      pdfHref: paths.disputes.recordPdf(record.id),
      cafcassLetterHref: record.state.cafcass ? paths.disputes.cafcassLetterPdf(record.id) : undefined,
    }
  }

  router.get('/disputes/:id', async (req, res) => {
    const ctx = await load(req)
    const { view, names } = ctx
    // Back to the list the record was opened from; after a step on the record (its form is the
    // referer then), still to that list, remembered for the record last opened from one.
    const hosts = [ownHost, req.get('host')]
    const fromList = backToList(req.get('referer'), hosts)
    const id = view.record.id
    if (fromList && (req.session.recordBack?.id !== id || req.session.recordBack.back.href !== fromList.href))
      req.session.recordBack = { id, back: fromList }
    const remembered =
      req.session.recordBack?.id === id && refersToRecord(req.get('referer'), hosts, id)
        ? req.session.recordBack.back
        : undefined
    res.render('pages/disputes/show', {
      ...recordLocals(ctx, req.user!),
      back: fromList ?? remembered ?? { href: paths.disputes.index(), text: 'Disputes' },
      timeline: timelineItems(view.events, view.discussions, view.policy, names),
      noticesToAcknowledge: view.noticesToAcknowledge.map(n => ({
        href: paths.work.acknowledge(n.id),
        label: inboxLabel(n),
      })),
    })
  })

  router.get('/disputes/:id/print', async (req, res) => {
    const ctx = await load(req)
    const { view, names } = ctx
    res.render('pages/disputes/print', {
      ...recordLocals(ctx, req.user!),
      childRows: recordChildRows(view, names),
      timeline: timelineItems(view.events, view.discussions, view.policy, names),
      policyEffectiveFrom: formatDate(view.policy.effectiveFrom),
      producedBy: producedByLine({ by: req.user!.person, at: services.clock.now() }),
    })
  })

  // ---- The steps: one page each, GET shows the form, POST checks it and acts -----------------------------------

  interface StepSpec<T> {
    path: string
    view: string
    parse: (body: Body, req: Request, ctx: Loaded) => Parsed<T>
    locals?: (ctx: Loaded, values: Body, req: Request) => Record<string, unknown> | Promise<Record<string, unknown>>
    save: (user: CurrentUser, id: number, value: T, req: Request) => Promise<string>
    /**
     * When the form is open to the viewer: a record form while the record page offers it. Opened or sent
     * from an old link, email or tab after the step was taken (or by someone whose step it is not), the
     * page says so instead of showing a form that can only be refused.
     */
    opens: RecordForm | { doing: string; when: (ctx: Loaded, req: Request) => boolean }
    fieldFor?: Record<string, string>
    /** The form's free-text fields and their labels: sent after the step closed, they are shown back, not lost. */
    written?: Record<string, string>
  }

  const isOpen = (opens: StepSpec<unknown>['opens'], ctx: Loaded, req: Request) =>
    typeof opens === 'string' ? recordActions(ctx.view).some(a => a.form === opens) : opens.when(ctx, req)

  /** What the person typed into a form that can no longer be sent, to copy before it is gone. */
  const writtenIn = (body: Body | undefined, labels: Record<string, string> = {}) =>
    Object.entries(labels).flatMap(([field, label]) => {
      const text = typeof body?.[field] === 'string' ? body[field].trim() : ''
      return text ? [{ label, text }] : []
    })

  const renderClosed = (res: Response, ctx: Loaded, spec: Pick<StepSpec<unknown>, 'opens' | 'written'>, body?: Body) =>
    res.status(409).render('pages/disputes/stepClosed', {
      pageTitle: 'You cannot do this now',
      doing: typeof spec.opens === 'string' ? formDoing[spec.opens] : spec.opens.doing,
      reference: ctx.view.record.reference,
      finalised: ctx.view.record.state.status === 'finalised',
      recordHref: paths.disputes.show(ctx.id),
      written: writtenIn(body, spec.written),
    })

  function step<T>(spec: StepSpec<T>) {
    /** The form, or the closed page; `loaded` is the record as this request already read it, if still current. */
    const page = async (
      req: Request,
      res: Response,
      status = 200,
      errors: FieldError[] = [],
      body?: Body,
      loaded?: Loaded,
    ) => {
      const ctx = loaded ?? (await load(req))
      const { view } = ctx
      // Also after a refusal or a conflict: the step may have been taken meanwhile.
      if (!isOpen(spec.opens, ctx, req)) return renderClosed(res, ctx, spec, body)
      const values = body ?? {}
      const stage = view.record.state.stages.at(-1)
      renderForm(
        res,
        spec.view,
        {
          id: ctx.id,
          reference: view.record.reference,
          childName: fullName(view.child),
          stageName: stageName(view.policy, stage?.stageKey),
          tags: statusTags(view.record.state),
          finalised: view.record.state.status === 'finalised',
          backHref: paths.disputes.show(ctx.id),
          action: req.originalUrl.split('?')[0],
          version: values.version ?? view.record.version,
          values,
          ...(await spec.locals?.(ctx, values, req)),
        },
        status,
        errors,
      )
    }
    router.get(spec.path, (req, res) => page(req, res))
    router.post(spec.path, async (req, res) => {
      const body = (req.body ?? {}) as Body
      const ctx = await load(req)
      if (!isOpen(spec.opens, ctx, req)) return renderClosed(res, ctx, spec, body)
      const id = ctx.id
      const parsed = spec.parse(body, req, ctx)
      // Nothing was sent yet: the record read above is current, so it is not read (and audited) again.
      if (!parsed.ok) return page(req, res, 400, parsed.errors, body, ctx)
      // After a refusal or a conflict the record may have moved on: read it afresh.
      const render: Render = (status, errors) => page(req, res, status, errors, body)
      await submitStep(
        render,
        async () => {
          req.session.flash = await spec.save(req.user!, id, parsed.value, req)
          res.redirect(303, paths.disputes.show(id))
        },
        spec.fieldFor,
      )
    })
  }

  /** The policy (the version) a record was raised under. */
  const policyOfRecord = (d: Dispute) => findPolicy(disputes.policies(), d.policyId, d.policyVersion)

  /** Where a step left the record, for its message: "now at Stage 2, sent to A and B". */
  async function nowAt(after: Dispute): Promise<string> {
    const policy = policyOfRecord(after)
    const stage = after.stages.at(-1)
    if (!stage) return ''
    const people = await organisation.peopleByIds(stage.responsiblePersonIds)
    const sentTo = people.length ? `, sent to ${andList(people.map(fullName))}` : ''
    return `. The record is now at ${stageName(policy, stage.stageKey)}${sentTo}`
  }

  const pendingStageOf = (after: Dispute) => stageName(policyOfRecord(after), after.pending?.stageKey)

  /** A step that is one command on the record, sent with the version the form read. */
  const act =
    (flash: string | ((form: CommandForm, after: Dispute) => string | Promise<string>)) =>
    async (user: CurrentUser, id: number, form: CommandForm): Promise<string> => {
      const after = await disputes.act(user, id, form.version, form.command)
      return typeof flash === 'string' ? flash : flash(form, after)
    }

  const respondWritten = Object.fromEntries([
    ['comments', 'Your comments'],
    ...Array.from({ length: ACTION_ROWS }, (_, i) => [
      actionRowFields(i + 1).what,
      `Action ${i + 1}: what will be done`,
    ]),
  ])

  step({
    path: '/disputes/:id/respond',
    opens: 'respond',
    view: 'pages/disputes/respond',
    parse: body => parseRespondForm(body, services.calendar.today()),
    async locals({ view }, values) {
      // The people the record accepts as owners (the child's chain), each once under their first role.
      const owners = view.actionOwners.map(o => ({ id: o.personId, role: o.role }))
      const unique = uniqueBy(owners, o => o.id)
      const names = new Map((await organisation.peopleByIds(unique.map(o => o.id))).map(p => [p.id, fullName(p)]))
      const people = unique.map(o => ({
        id: o.id,
        name: names.get(o.id) ?? 'Unknown person',
        title: roleTitle(view.policy, o.role, titles),
      }))
      const stage = view.record.state.stages.at(-1)
      return {
        due: stage?.dueOn ? formatDate(stage.extension?.dueOn ?? stage.dueOn) : undefined,
        // What is being answered: the reviewer's concern, and why the record came to this stage.
        concern: concernRows(view.record),
        whyHere: stage?.reason,
        referredToCafcass: view.record.state.cafcass ? formatDate(view.record.state.cafcass.on) : undefined,
        rows: Array.from({ length: ACTION_ROWS }, (_, i) => {
          const row = i + 1
          const f = actionRowFields(row)
          return {
            row,
            fields: f,
            what: values[f.what] ?? '',
            owners: personItems(people, values[f.ownerId], 'Select who owns it'),
            dueOn: dateParts(values, f.dueOn),
          }
        }),
      }
    },
    save: act('Response and action plan sent to the reviewer'),
    fieldFor: { no_actions: 'actions', action_due_before_today: 'actions', action_owner_not_on_chain: 'actions' },
    written: respondWritten,
  })

  step({
    path: '/disputes/:id/decide',
    opens: 'decide',
    view: 'pages/disputes/decide',
    parse: parseDecideForm,
    locals: ({ view, names }, values) => ({
      // What is being decided on: the stage as it stands (the response, if any) and its actions.
      currentStage: stageViews(view.record.state, view.policy, names).at(-1),
      stageActions: actionRows(view, names, null).filter(
        (_, i) => view.record.state.actions[i]!.stageKey === view.record.state.stages.at(-1)?.stageKey,
      ),
      items: [
        { value: 'resolved', text: 'Resolved', hint: { text: 'The record can then be finalised' } },
        ...(view.commands.includes('decide_not_resolved')
          ? [{ value: 'not_resolved', text: 'Not resolved', hint: { text: 'You can then escalate it' } }]
          : []),
      ].map(i => ({ ...i, checked: values.decision === i.value })),
      resolvedOn: dateParts(values, 'resolvedOn'),
      discussionRule: discussionRuleSentence(view.record.state, view.policy, 'resolving'),
      meetingReminder: meetingReminder(view.record.state, view.policy, view.discussions),
    }),
    save: act(f => (f.command.type === 'decide_resolved' ? 'Recorded as resolved' : 'Recorded as not resolved')),
    fieldFor: {
      resolved_in_future: 'resolvedOn',
      resolved_before_stage: 'resolvedOn',
      discussion_required_to_resolve: 'log-discussion', // the page's link to the discussion form
    },
    written: { comments: 'Your comments' },
  })

  step({
    path: '/disputes/:id/extension',
    opens: 'extension',
    view: 'pages/disputes/extension',
    parse: parseExtensionForm,
    locals: ({ view }) => ({ days: view.policy.rules.extension?.workingDays ?? 0 }),
    save: act('Extension agreed'),
    written: { note: 'The extra actions agreed' },
  })

  step({
    path: '/disputes/:id/escalate',
    opens: 'escalate',
    view: 'pages/disputes/escalate',
    parse: (body, _req, { view }) => parseEscalateForm(body, agreedDateCheck(view.policy, view.today, view.calendar)),
    locals: ({ view, names }, values) => ({
      options: escalateOptions(view.record.state, view.policy, values.toStageKey, titles),
      discussionRule: discussionRuleSentence(view.record.state, view.policy),
      meetingReminder: meetingReminder(view.record.state, view.policy, view.discussions),
      // Each with the policy's title for their role, as on the raise form: the holders of the pre-approving
      // roles on the record's chain, which the view already read (its roster, `actionOwners`).
      preApprovers: personItems(
        uniqueBy(
          (view.policy.rules.preApproval?.byRoles ?? []).flatMap(role =>
            view.actionOwners
              .filter(o => o.role === role)
              .map(o => ({
                id: o.personId,
                title: roleTitle(view.policy, role, titles),
                name: names.get(o.personId) ?? 'Unknown person',
              })),
          ),
          p => p.id,
        ),
        values.preApprovedBy,
        'Nobody yet',
      ),
      dates: { agreedDueOn: dateParts(values, 'agreedDueOn'), preApprovedOn: dateParts(values, 'preApprovedOn') },
    }),
    // A stage that needs pre-approval first is only asked for: the record waits, it has not moved.
    save: act(async (_, after) =>
      after.phase === 'awaiting_pre_approval'
        ? `Pre-approval asked for ${pendingStageOf(after)}. The record moves there once it is given`
        : `Escalation recorded${await nowAt(after)}`,
    ),
    fieldFor: {
      unknown_stage: 'toStageKey',
      stage_not_later: 'toStageKey',
      bypass_not_allowed: 'toStageKey',
      ...AGREED_DATE_REFUSALS,
      not_pre_approver: 'preApprovedBy',
      pre_approved_in_future: 'preApprovedOn',
      discussion_required: 'log-discussion', // the page's link to the discussion form
    },
    written: { reason: 'Why you are escalating', preApprovalNote: 'Pre-approval: note' },
  })

  const pendingLocals = ({ view, names }: Loaded) => ({
    pendingStage: stageName(view.policy, view.record.state.pending?.stageKey),
    pendingReason: view.record.state.pending?.reason ?? '',
    pendingOn: view.record.state.pending ? formatDate(view.record.state.pending.requestedOn) : '',
    reviewerName: names.get(view.record.state.ownerId) ?? 'The reviewer',
    preApprovers: andList(view.preApproverIds.map(id => names.get(id) ?? 'Unknown person')),
  })

  step({
    path: '/disputes/:id/approve',
    opens: 'approve',
    view: 'pages/disputes/approve',
    parse: body => withLinkedIds(parseApproveForm(body), body),
    // Siblings raised together each wait for the same pre-approval: it can be given for them here too.
    locals: async (ctx, values, req) => ({
      ...pendingLocals(ctx),
      linked: await linkedItems(req, ctx, values, 'pre_approver'),
    }),
    save: async (user, id, value) => {
      const { after, done } = await actWithLinked(
        user,
        id,
        value,
        'Pre-approval given',
        n => `Pre-approval given for ${n} linked records, one for each child`,
      )
      return `${done}${await nowAt(after)}`
    },
    written: { note: 'Note' },
  })

  step({
    path: '/disputes/:id/decline',
    opens: 'decline',
    view: 'pages/disputes/decline',
    parse: parseDeclineForm,
    locals: pendingLocals,
    save: act('Pre-approval declined'),
    written: { reason: 'Reason for declining' },
  })

  /** A step taken for the record and the linked records ticked, in one transaction, and what was done in words. */
  async function actWithLinked(
    user: CurrentUser,
    id: number,
    { form, alsoForIds }: { form: CommandForm; alsoForIds: number[] },
    one: string,
    many: (records: number) => string,
  ) {
    const after = await disputes.act(user, id, form.version, form.command, alsoForIds)
    return { after, done: alsoForIds.length === 0 ? one : many(alsoForIds.length + 1) }
  }

  /** The linked records (siblings raised together) waiting as this one does, to take the same step for, ticked at first. */
  async function linkedItems(req: Request, ctx: Loaded, values: Body, as: 'pre_approver' | 'owner') {
    const linked = await disputes.linkedAwaitingPreApproval(req.user!, ctx.view.record, as)
    const chosen = values.version === undefined ? linked.map(l => String(l.id)) : [values.alsoForIds ?? []].flat()
    return linked.map(l => ({
      value: String(l.id),
      text: `${l.reference}: ${l.childName}`,
      checked: chosen.includes(String(l.id)),
    }))
  }

  step({
    path: '/disputes/:id/withdraw-request',
    opens: 'withdrawRequest',
    view: 'pages/disputes/withdrawRequest',
    parse: body => withLinkedIds(parseWithdrawRequestForm(body), body),
    locals: async (ctx, values, req) => ({
      ...pendingLocals(ctx),
      stage: stageName(ctx.view.policy, ctx.view.record.state.stages.at(-1)?.stageKey),
      linked: await linkedItems(req, ctx, values, 'owner'),
    }),
    // The record goes back to where it was; one that never reached a stage waits for the reviewer's next step.
    save: async (user, id, value) => {
      const { after, done: withdrawn } = await actWithLinked(
        user,
        id,
        value,
        'Request for pre-approval withdrawn',
        n => `Request for pre-approval withdrawn for ${n} linked records`,
      )
      const stage = after.stages.at(-1)
      return stage
        ? `${withdrawn}. The record stays at ${stageName(policyOfRecord(after), stage.stageKey)}`
        : `${withdrawn}. The record has not reached a stage: you can escalate it to one, or finalise it to close it`
    },
    written: { reason: 'Why you are withdrawing the request' },
  })

  step({
    path: '/disputes/:id/outcome',
    opens: 'outcome',
    view: 'pages/disputes/outcome',
    parse: parseOutcomeForm,
    locals: (_ctx, values) => ({
      items: [
        { value: 'yes', text: 'Yes, the dispute is resolved' },
        { value: 'no', text: 'No, it is not resolved' },
      ].map(i => ({ ...i, checked: values.resolved === i.value })),
    }),
    save: act('Outcome recorded'),
    written: { text: 'The outcome' },
  })

  const actionOf = (view: DisputeView, req: Request): Action => {
    const actionId = idParam(req.params.actionId as string)
    const action = view.record.state.actions.find(a => a.id === actionId)
    if (!action) throw new NotFoundError()
    return action
  }

  step({
    path: '/disputes/:id/actions/:actionId/complete',
    opens: {
      doing: 'mark this action as done',
      when: ({ view }, req) => mayCompleteAction(view, actionOf(view, req), req.user!.person.id),
    },
    view: 'pages/disputes/completeAction',
    parse: (body, req) => parseCompleteActionForm(body, idParam(req.params.actionId as string) ?? 0),
    locals: ({ view, names }, _values, req) => {
      const action = actionOf(view, req)
      return {
        // Not "action": that is the form's address, which the step's layout posts to.
        agreedAction: {
          what: action.what,
          owner: names.get(action.ownerId) ?? 'Unknown person',
          due: formatDate(action.dueOn),
          state: actionState(action, view.today),
        },
      }
    },
    save: act('Action marked as done'),
    written: { evidence: 'How it was done' },
  })

  step({
    path: '/disputes/:id/cafcass',
    opens: 'cafcass',
    view: 'pages/disputes/cafcass',
    parse: parseCafcassForm,
    async locals({ view }, _values, req) {
      const inform = await chainPeople(
        req.user!,
        view.child,
        view.policy.rules.cafcass.inform,
        view.record.state.ownerId,
        view.policy,
      )
      return { inform: inform.map(p => withRole(p.name, p.title)) }
    },
    save: act('Referral to CAFCASS recorded'),
    written: { reasons: 'Reasons for the referral' },
  })

  step({
    path: '/disputes/:id/legal-advice',
    opens: 'legalAdvice',
    view: 'pages/disputes/legalAdvice',
    parse: parseLegalAdviceForm,
    // Only seed 003 says the reviewer may seek legal advice; under another policy, advice sought is still
    // a fact for the record, but the page does not claim the policy allows it.
    locals: ({ view }) => ({ policySaysSo: view.policy.rules.legalAdviceAllowed, policyName: view.policy.name }),
    save: act('Legal advice recorded'),
    written: { note: 'The legal advice sought' },
  })

  step({
    path: '/disputes/:id/finalise',
    opens: 'finalise',
    view: 'pages/disputes/finalise',
    parse: parseFinaliseForm,
    // Actions still open cannot be marked done once the record is locked: the reviewer is told which first.
    locals: ({ view }) => {
      const s = view.record.state
      return {
        openActions: s.actions.filter(a => a.status === 'open').map(a => ({ what: a.what, due: formatDate(a.dueOn) })),
        // Gone outside the system with no outcome on the record: the reviewer is asked to record it first if known.
        outcomeMissing:
          s.phase === 'outside_system' && s.status === 'open' && !s.stages.at(-1)?.outcome
            ? stageName(view.policy, s.stages.at(-1)?.stageKey)
            : undefined,
      }
    },
    save: act('Record finalised and locked'),
  })

  step({
    path: '/disputes/:id/addendum',
    opens: 'addendum',
    view: 'pages/disputes/addendum',
    parse: parseAddendumForm,
    save: act('Addendum added'),
    written: { text: 'Addendum' },
  })

  const discussionWritten = Object.fromEntries([
    ['participants', 'Who took part'],
    ['summary', 'Summary'],
    ...meetingAgenda.map(a => [meetingField(a.key), a.label]),
    [meetingField('outcomeDetail'), 'Outcome: detail'],
  ])

  step({
    path: '/disputes/:id/discussions/new',
    opens: 'discussion',
    view: 'pages/disputes/discussion',
    parse: parseDiscussionForm,
    locals: (_ctx, values) => ({
      channels: channels.map(c => ({
        value: c,
        text: channelLabels[c],
        checked: values.channel === c,
        hint: c === 'meeting' ? { text: 'Then add the meeting notes below' } : undefined,
      })),
      agenda: meetingAgenda.map(a => ({ ...a, name: meetingField(a.key), value: values[meetingField(a.key)] ?? '' })),
      outcome: {
        name: meetingField('outcome'),
        items: meetingOutcomes.map(o => ({ ...o, checked: values[meetingField('outcome')] === o.value })),
      },
      outcomeDetail: { name: meetingField('outcomeDetail'), value: values[meetingField('outcomeDetail')] ?? '' },
      heldOn: dateParts(values, 'heldOn'),
    }),
    async save(user, id, value) {
      await disputes.logDiscussion(user, id, value)
      return 'Discussion logged'
    },
    written: discussionWritten,
  })

  return router
}
