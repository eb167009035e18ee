import { type Request, type Response, Router } from 'express'
import { managerRoleByUnitKind, personRoles } from '../../domain/organisation.js'
import { NotFoundError } from '../../services/errors.js'
import type { Person } from '../../db/repositories/personRepository.js'
import type { OrgUnit } from '../../db/repositories/unitRepository.js'
import type { Services } from '../../services/index.js'
import { parsePersonForm, parsePersonUpdateForm } from '../forms/personForm.js'
import { parseTokenForm } from '../forms/signInForm.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { formatDateTime, fullName } from '../../text/format.js'
import { pageRequest, paginationParams, pastLastPage, resultsSummary } from '../presenters/pagination.js'
import { errorView } from '../presenters/errors.js'
import { idParam, renderForm, submitForm } from './formHandling.js'
import { personNoteLocals } from './practiceNoteRoutes.js'

type FieldErrors = { field: string; message: string }[]

export function peopleRoutes(services: Services): Router {
  const router = Router()
  const { organisation, auth, config, oidc } = services
  const titles = config.roleTitles
  /** A person's roles as the service names them: those held, and each unit managed (its manager's title, its name). */
  const rolesShown = (person: Pick<Person, 'roles'>, managed: readonly Pick<OrgUnit, 'kind' | 'name'>[]) => [
    ...person.roles.map(r => titles[r]),
    ...managed.map(u => `${titles[managerRoleByUnitKind[u.kind]]}, ${u.name}`),
  ]

  const roleItems = (selected: readonly string[]) =>
    personRoles.map(r => ({ value: r, text: titles[r], checked: selected.includes(r) }))

  async function unitItems(selected: string) {
    const units = await organisation.units()
    return [
      { value: '', text: 'None' },
      ...units.map(u => ({ value: String(u.id), text: u.name, selected: String(u.id) === selected })),
    ]
  }

  router.get(paths.people.index(), async (req, res) => {
    const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : ''
    const { page, limit, offset } = pageRequest(req.query.page)
    const [{ people, total }, units] = await Promise.all([
      organisation.people({ search, limit, offset }),
      organisation.units(),
    ])
    const href = (p: number) =>
      `${paths.people.index()}?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(p) })}`
    const last = pastLastPage(page, total)
    if (last) return res.redirect(href(last))
    res.render('pages/people/index', {
      search,
      rows: people.map(p => ({
        link: { href: paths.people.show(p.id), text: fullName(p) },
        cells: [
          { text: p.unitName ?? '' },
          {
            text: rolesShown(
              p,
              units.filter(u => u.managerId === p.id),
            ).join('; '),
          },
          { text: p.active ? 'Active' : 'Inactive' },
        ],
      })),
      pagination: paginationParams(page, total, href),
      summary: resultsSummary(page, total),
    })
  })

  router.get(paths.people.new(), requireAdmin, async (_req, res) => {
    renderForm(res, 'pages/people/form', {
      roles: roleItems([]),
      units: await unitItems(''),
      values: { active: 'true' },
    })
  })

  router.post(paths.people.new(), requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const selected = ([] as string[]).concat((body.roles as string | string[] | undefined) ?? [])
    const render = async (status: number, errors: FieldErrors) =>
      renderForm(
        res,
        'pages/people/form',
        {
          roles: roleItems(selected),
          units: await unitItems(String(body.unitId ?? '')),
          values: { ...body, password: '' },
        },
        status,
        errors,
      )
    const parsed = parsePersonForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await organisation.createPerson(req.user!, parsed.value)
      req.session.flash = 'Person added'
      res.redirect(303, paths.people.show(id))
    })
  })

  async function loadPerson(req: Request) {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return organisation.person(id)
  }

  router.get('/people/:id', async (req, res) => {
    const person = await loadPerson(req)
    const units = await organisation.units()
    const managed = units.filter(u => person.managedUnits.some(m => m.id === u.id))
    const isAdmin = req.user!.roles.includes('admin')
    res.render('pages/people/show', {
      person,
      name: fullName(person),
      roles: rolesShown(person, managed),
      managed: managed.map(u => ({ href: paths.teams.show(u.id), text: u.name })),
      isAdmin,
      // Which provider account signs in as this person: for administrators, who can remove the link.
      providerSignIn:
        isAdmin && oidc
          ? {
              providerName: oidc.providerName,
              links: (await auth.providerLinks(person.id)).map(l => ({
                first: formatDateTime(l.firstSignedInAt),
                last: formatDateTime(l.lastSignedInAt),
              })),
              removeHref: paths.people.removeProviderLinks(person.id),
            }
          : undefined,
      // "Notes about my practice", and the note and concern buttons on a reviewer's page (pages/notes/_personSection.njk).
      ...(await personNoteLocals(services, req.user!, person)),
    })
  })

  async function editPage(
    req: Request,
    res: Response,
    status = 200,
    errors: FieldErrors = [],
    body?: Record<string, unknown>,
  ) {
    const person = await loadPerson(req)
    const selected = body ? ([] as string[]).concat((body.roles as string | string[] | undefined) ?? []) : person.roles
    const values = body
      ? { ...body, password: '' }
      : { ...person, active: String(person.active), staffId: person.staffId ?? '' }
    renderForm(
      res,
      'pages/people/form',
      {
        person,
        roles: roleItems(selected),
        units: await unitItems(String(body ? (body.unitId ?? '') : (person.unitId ?? ''))),
        values,
      },
      status,
      errors,
    )
  }

  router.get('/people/:id/edit', requireAdmin, (req, res) => editPage(req, res))

  router.post('/people/:id/edit', requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const parsed = parsePersonUpdateForm(body)
    if (!parsed.ok) return editPage(req, res, 400, parsed.errors, body)
    const { version, ...value } = parsed.value
    await submitForm(
      (status, errors) => editPage(req, res, status, errors, body),
      async () => {
        await organisation.updatePerson(req.user!, id, version, value)
        req.session.flash = 'Person’s details saved'
        res.redirect(303, paths.people.show(id))
      },
    )
  })

  async function tokensPage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const person = await loadPerson(req)
    const tokens = await auth.tokensFor(person.id)
    res.status(status).render('pages/people/tokens', {
      person,
      name: fullName(person),
      tokens: tokens.map(t => ({
        ...t,
        created: formatDateTime(t.createdAt),
        lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never',
        revoked: t.revokedAt ? formatDateTime(t.revokedAt) : undefined,
        revokeHref: paths.people.revokeToken(person.id, t.id),
      })),
      ...extra,
    })
  }

  router.get('/people/:id/tokens', requireAdmin, (req, res) => tokensPage(req, res))

  router.post('/people/:id/tokens', requireAdmin, async (req, res) => {
    const person = await loadPerson(req)
    const parsed = parseTokenForm((req.body ?? {}) as Record<string, unknown>)
    if (!parsed.ok) return tokensPage(req, res, { errors: errorView(parsed.errors) }, 400)
    const token = await auth.issueToken(req.user!, person.id, parsed.value.name)
    // Shown once, on this response only; never stored in the session or the database.
    await tokensPage(req, res, { newToken: token })
  })

  router.post('/people/:id/tokens/:tokenId/revoke', requireAdmin, async (req, res) => {
    const person = await loadPerson(req)
    const tokenId = idParam(req.params.tokenId as string)
    if (tokenId === undefined) throw new NotFoundError()
    await auth.revokeToken(req.user!, person.id, tokenId)
    req.session.flash = 'Token revoked'
    res.redirect(303, paths.people.tokens(person.id))
  })

  router.post('/people/:id/provider-links/remove', requireAdmin, async (req, res) => {
    const person = await loadPerson(req)
    const removed = await auth.removeProviderLinks(req.user!, person.id)
    req.session.flash = removed
      ? 'Link removed. They are signed out, and their next sign-in links the account they use'
      : 'There was no link to remove'
    res.redirect(303, paths.people.show(person.id))
  })

  return router
}
