import { type Request, type Response, Router } from 'express'
import type { Child } from '../../db/repositories/childRepository.js'
import type { Person } from '../../db/repositories/personRepository.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { CurrentUser } from '../../services/accessService.js'
import { type FieldError, NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import {
  parseConcernForm,
  parseNoteForm,
  parseReciprocalForm,
  parseResolutionForm,
} from '../forms/practiceNoteForms.js'
import { paths } from '../paths.js'
import { fullName } from '../../text/format.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import {
  categoryItems,
  formalRouteItems,
  noteKindLabels,
  noteStatus,
  noteSummaryRows,
  noteTableRows,
  noteTextRows,
  noteTimeline,
  noteTitle,
  recipientRows,
  resolutionRows,
  routeItems,
} from '../presenters/practiceNotePresenter.js'
import { idParam, renderForm, submitForm } from './formHandling.js'
import { fromCheck } from './fromCheck.js'

type Body = Record<string, unknown>
type Render = (status: number, errors: FieldError[]) => Promise<void>

const m = errorMessages.notes

const isReviewer = (user: CurrentUser) => user.roles.includes('iro') || user.roles.includes('cp_chair')
const isReviewerPerson = (p: Person) => p.active && (p.roles.includes('iro') || p.roles.includes('cp_chair'))
const access = (req: Request) => ({ path: req.path, ip: req.ip ?? null })

/** The "Good practice notes" section of a child's page: the notes, and the button for reviewers. */
export async function childNoteLocals(services: Services, user: CurrentUser, child: Child) {
  const notes = await services.notes.forChild(user, child.id)
  return {
    practiceNotes: {
      rows: noteTableRows(notes, services.notes.categories()),
      writeHref: isReviewer(user) ? paths.notes.write(child.id) : undefined,
    },
  }
}

/** "Notes about my practice" on a person's page, and, on a reviewer's page, the reciprocal note and concern buttons. */
export async function personNoteLocals(services: Services, user: CurrentUser, person: Person) {
  const notes = await services.notes.aboutPerson(user, person.id)
  const self = user.person.id === person.id
  const reviewer = isReviewerPerson(person) && !self
  return {
    practiceNotes: {
      show: self || notes.length > 0 || reviewer,
      heading: self ? 'Notes about my practice' : `Notes about ${fullName(person)}’s practice`,
      self,
      rows: noteTableRows(notes, services.notes.categories()),
      reciprocalHref: reviewer ? paths.notes.reciprocal(person.id) : undefined,
      concernHref: reviewer ? paths.notes.concern(person.id) : undefined,
    },
  }
}

/**
 * Good practice notes (a reviewer about a child's social worker or team), reciprocal notes and concerns
 * about reviewers, the note pages and the manager's informal resolution of a concern.
 */
export function practiceNoteRoutes(services: Services): Router {
  const router = Router()
  const { notes, children, organisation } = services
  const categories = () => notes.categories()

  async function noteId(req: Request): Promise<number> {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return id
  }

  // ---- The list ---------------------------------------------------------------------------------------------

  router.get(paths.notes.index(), async (req, res) => {
    const { page, limit, offset } = pageRequest(req.query.page)
    const { notes: list, total } = await notes.list(req.user!, limit, offset)
    const last = pastLastPage(page, total)
    if (last) return res.redirect(`${paths.notes.index()}?page=${last}`)
    res.render('pages/notes/index', {
      rows: noteTableRows(list, categories()),
      summary: resultsSummary(page, total),
      pagination: paginationParams(page, total, p => `${paths.notes.index()}?page=${p}`),
    })
  })

  // ---- A good practice note, from the child's page ------------------------------------------------------------

  async function writePage(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const user = req.user!
    if (!isReviewer(user)) return res.status(403).render('pages/notes/forbidden', { reason: 'write' })
    const childId = idParam(req.params.id as string)
    if (childId === undefined) throw new NotFoundError()
    const child = await children.view(user, childId, access(req))
    const chain = await organisation.chainForChild(child)
    const managerId = chain.find(c => c.role === 'team_manager')?.personId ?? null
    const manager = managerId === null ? undefined : (await organisation.peopleByIds([managerId]))[0]
    // Started from a progress check: the practice text starts from the check, in a new form only.
    const from = await fromCheck(services, req, child.id, body)
    const values = body ?? {
      about: child.socialWorkerId === null ? 'team' : 'social_worker',
      ...(from ? { goodPractice: from.practice } : {}),
    }
    const ticked = ([] as unknown[]).concat(values.siblingIds ?? []).map(String)
    const siblings = (await children.siblings(user, child)).filter(s => s.visible)
    renderForm(
      res,
      'pages/notes/write',
      {
        child,
        name: fullName(child),
        backHref: paths.children.show(child.id),
        action: paths.notes.write(child.id),
        fromCheck: from && { id: from.checkId, reference: from.reference },
        aboutItems: [
          {
            value: 'social_worker',
            text: child.socialWorkerName ? `The social worker, ${child.socialWorkerName}` : 'The social worker',
            hint: {
              text: !child.socialWorkerName
                ? 'No social worker is allocated to this child'
                : manager
                  ? `Sent to them, copying their team manager, ${fullName(manager)}`
                  : 'Sent to them',
            },
          },
          {
            value: 'team',
            text: `The team, ${child.teamName}`,
            hint: { text: manager ? `Sent to the team manager, ${fullName(manager)}` : 'The team has no manager' },
          },
        ].map(i => ({ ...i, checked: values.about === i.value })),
        categories: categoryItems(categories(), values.categoryKey),
        siblings: siblings.map(s => ({
          value: String(s.id),
          text: `${fullName(s)} (${s.caseId})`,
          checked: ticked.includes(String(s.id)),
        })),
        values,
      },
      status,
      errors,
    )
  }

  router.get('/children/:id/notes/new', (req, res) => writePage(req, res))

  router.post('/children/:id/notes/new', async (req, res) => {
    const user = req.user!
    const body = (req.body ?? {}) as Body
    if (!isReviewer(user)) return res.status(403).render('pages/notes/forbidden', { reason: 'write' })
    const childId = idParam(req.params.id as string)
    if (childId === undefined) throw new NotFoundError()
    const render: Render = (status, errors) =>
      writePage(
        req,
        res,
        status,
        errors.map(e => (e.field === 'childIds' ? { ...e, field: 'siblingIds' } : e)),
        body,
      )
    const parsed = parseNoteForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    const { siblingIds, ...value } = parsed.value
    const child = await children.view(user, childId, access(req))
    const visible = (await children.siblings(user, child)).filter(s => s.visible).map(s => s.id)
    if (siblingIds.some(id => !visible.includes(id)))
      return render(400, [{ field: 'siblingIds', message: m.siblingIds.unknown }])
    await submitForm(render, async () => {
      const { ids } = await notes.write(user, { ...value, childIds: [childId, ...siblingIds] })
      req.session.flash =
        ids.length === 1
          ? 'Good practice note sent'
          : `Good practice note sent: ${ids.length} linked notes, one for each child`
      res.redirect(303, paths.notes.show(ids[0]!))
    })
  })

  // ---- About a reviewer: a reciprocal note or a concern, from the reviewer's page -------------------------------

  async function reviewerPage(
    req: Request,
    res: Response,
    view: 'reciprocal' | 'concern',
    status: number,
    errors: FieldError[],
    body?: Body,
  ) {
    const personId = idParam(req.params.id as string)
    if (personId === undefined) throw new NotFoundError()
    const { reviewer, manager, self } = await notes.reviewer(req.user!, personId)
    if (self) return res.status(403).render('pages/notes/forbidden', { reason: 'self' })
    const values = body ?? {}
    const name = fullName(reviewer)
    renderForm(
      res,
      `pages/notes/${view}`,
      {
        reviewer,
        name,
        managerName: manager ? fullName(manager) : undefined,
        backHref: paths.people.show(reviewer.id),
        action: view === 'reciprocal' ? paths.notes.reciprocal(reviewer.id) : paths.notes.concern(reviewer.id),
        categories: categoryItems(categories(), values.categoryKey),
        routes: routeItems(values.route, reviewer.roles.includes('cp_chair')),
        values,
      },
      status,
      errors,
    )
  }

  router.get('/people/:id/notes/new', (req, res) => reviewerPage(req, res, 'reciprocal', 200, []))

  router.post('/people/:id/notes/new', async (req, res) => {
    const body = (req.body ?? {}) as Body
    const reviewerId = idParam(req.params.id as string)
    if (reviewerId === undefined) throw new NotFoundError()
    const render: Render = (status, errors) => reviewerPage(req, res, 'reciprocal', status, errors, body)
    const parsed = parseReciprocalForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await notes.sendReciprocal(req.user!, { ...parsed.value, reviewerId })
      req.session.flash = 'Good practice note sent to the reviewer and their manager'
      res.redirect(303, paths.notes.show(id))
    })
  })

  router.get('/people/:id/concerns/new', (req, res) => reviewerPage(req, res, 'concern', 200, []))

  router.post('/people/:id/concerns/new', async (req, res) => {
    const body = (req.body ?? {}) as Body
    const reviewerId = idParam(req.params.id as string)
    if (reviewerId === undefined) throw new NotFoundError()
    const render: Render = (status, errors) => reviewerPage(req, res, 'concern', status, errors, body)
    const parsed = parseConcernForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await notes.raiseConcern(req.user!, { ...parsed.value, reviewerId })
      req.session.flash = 'Concern recorded and sent to the reviewer’s manager'
      res.redirect(303, paths.notes.show(id))
    })
  })

  // ---- A note's page ------------------------------------------------------------------------------------------

  router.get('/notes/:id', async (req, res) => {
    const id = await noteId(req)
    const view = await notes.view(req.user!, id, access(req))
    const { note } = view
    res.render('pages/notes/show', {
      note,
      title: noteTitle(note),
      // A note about a child is captioned with their name, for those who may see them; otherwise with its kind.
      caption: view.child ? fullName(view.child) : noteKindLabels[note.kind],
      status: noteStatus(note),
      concern: note.kind === 'concern',
      summary: noteSummaryRows(note, categories(), view.child),
      text: noteTextRows(note),
      recipients: recipientRows(view.recipients, note.kind === 'concern'),
      resolution: resolutionRows(note),
      linked: view.linked.map(n => ({ href: paths.notes.show(n.id), text: `${n.reference} (case ID ${n.caseId})` })),
      timeline: noteTimeline(view.events),
      acknowledgeHref: view.openItemId === undefined ? undefined : paths.work.acknowledge(view.openItemId),
      resolveHref: view.mayResolve ? paths.notes.resolve(id) : undefined,
    })
  })

  // ---- The manager's informal resolution of a concern -------------------------------------------------------

  /** The concern, when the user is the manager it went to and it awaits their resolution; otherwise the page says why not. */
  async function openConcern(req: Request, res: Response) {
    const id = await noteId(req)
    const view = await notes.view(req.user!, id, access(req))
    if (view.note.kind !== 'concern') throw new NotFoundError()
    if (!view.recipients.some(r => r.personId === req.user!.person.id)) {
      res.status(403).render('pages/notes/forbidden', { reason: 'resolve' })
      return undefined
    }
    if (view.note.resolved !== null) {
      res.status(409).render('pages/error', { message: m.alreadyResolved })
      return undefined
    }
    return { id, note: view.note }
  }

  async function resolutionPage(req: Request, res: Response, status = 200, errors: FieldError[] = [], body?: Body) {
    const concern = await openConcern(req, res)
    if (!concern) return
    const { id, note } = concern
    const values = body ?? {}
    renderForm(
      res,
      'pages/notes/resolve',
      {
        note,
        title: noteTitle(note),
        summary: noteSummaryRows(note, categories(), undefined),
        text: noteTextRows(note),
        backHref: paths.notes.show(id),
        action: paths.notes.resolve(id),
        version: values.version ?? note.version,
        formalRoutes: formalRouteItems(values.formalRoute),
        values,
      },
      status,
      errors,
    )
  }

  router.get('/notes/:id/resolution', (req, res) => resolutionPage(req, res))

  router.post('/notes/:id/resolution', async (req, res) => {
    const concern = await openConcern(req, res)
    if (!concern) return
    const { id } = concern
    const body = (req.body ?? {}) as Body
    const render: Render = (status, errors) => resolutionPage(req, res, status, errors, body)
    const parsed = parseResolutionForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    const { version, ...value } = parsed.value
    await submitForm(render, async () => {
      await notes.resolveConcern(req.user!, id, version, value)
      req.session.flash = value.resolved
        ? 'Recorded as resolved informally'
        : 'Recorded as not resolved: the formal route is shown on the concern'
      res.redirect(303, paths.notes.show(id))
    })
  })

  return router
}
