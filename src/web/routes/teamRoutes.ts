import { type Request, type Response, Router } from 'express'
import { allowedParentKinds, managerRoleByUnitKind, unitKinds, unitKindTitles } from '../../domain/organisation.js'
import { NotFoundError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { parseUnitForm, parseUnitUpdateForm } from '../forms/unitForm.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import { fullName } from '../../text/format.js'
import { unitTree } from '../presenters/unitPresenter.js'
import { idParam, renderForm, submitForm } from './formHandling.js'

type FieldErrors = { field: string; message: string }[]

export function teamRoutes(services: Services): Router {
  const router = Router()
  const { organisation, config } = services

  async function formOptions(values: Record<string, unknown>, exceptId?: number) {
    const units = await organisation.units()
    const managers = (await organisation.people({ limit: 5000, offset: 0 })).people.filter(p => p.active)
    return {
      kinds: unitKinds.map(k => ({ value: k, text: unitKindTitles[k], checked: values.kind === k })),
      parents: [
        { value: '', text: 'None (a council)' },
        ...units
          .filter(u => u.id !== exceptId && unitKinds.some(k => allowedParentKinds[k].includes(u.kind)))
          .map(u => ({
            value: String(u.id),
            text: `${u.name} (${unitKindTitles[u.kind]})`,
            selected: String(u.id) === String(values.parentId ?? ''),
          })),
      ],
      managers: [
        { value: '', text: 'Vacant' },
        ...managers.map(p => ({
          value: String(p.id),
          text: fullName(p),
          selected: String(p.id) === String(values.managerId ?? ''),
        })),
      ],
    }
  }

  router.get(paths.teams.index(), async (_req, res) => {
    res.render('pages/teams/index', { rows: unitTree(await organisation.units(), config.roleTitles) })
  })

  router.get(paths.teams.new(), requireAdmin, async (_req, res) => {
    renderForm(res, 'pages/teams/form', { options: await formOptions({}), values: {} })
  })

  router.post(paths.teams.new(), requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const render = async (status: number, errors: FieldErrors) =>
      renderForm(res, 'pages/teams/form', { options: await formOptions(body), values: body }, status, errors)
    const parsed = parseUnitForm(body)
    if (!parsed.ok) return render(400, parsed.errors)
    await submitForm(render, async () => {
      const id = await organisation.createUnit(req.user!, parsed.value)
      req.session.flash = 'Team added'
      res.redirect(303, paths.teams.show(id))
    })
  })

  async function loadUnit(req: Request) {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return organisation.unit(id)
  }

  router.get('/teams/:id', async (req, res) => {
    const unit = await loadUnit(req)
    const [chain, members, units] = await Promise.all([
      organisation.chainAbove(unit.id),
      organisation.people({ unitId: unit.id, limit: 500, offset: 0 }),
      organisation.units(),
    ])
    res.render('pages/teams/show', {
      unit,
      kind: unitKindTitles[unit.kind],
      chain: chain.map(u => ({
        title: config.roleTitles[managerRoleByUnitKind[u.kind]],
        unit: u.name,
        unitHref: paths.teams.show(u.id),
        name: u.managerName ?? 'Vacant',
        href: u.managerId ? paths.people.show(u.managerId) : undefined,
      })),
      subunits: units.filter(u => u.parentId === unit.id).map(u => ({ href: paths.teams.show(u.id), text: u.name })),
      members: members.people.map(p => ({
        href: paths.people.show(p.id),
        text: fullName(p),
        roles: p.roles.map(r => config.roleTitles[r]).join(', '),
      })),
      isAdmin: req.user!.roles.includes('admin'),
    })
  })

  async function editPage(
    req: Request,
    res: Response,
    status = 200,
    errors: FieldErrors = [],
    body?: Record<string, unknown>,
  ) {
    const unit = await loadUnit(req)
    const values = body ?? {
      name: unit.name,
      kind: unit.kind,
      parentId: unit.parentId ?? '',
      managerId: unit.managerId ?? '',
      version: unit.version,
    }
    renderForm(res, 'pages/teams/form', { unit, options: await formOptions(values, unit.id), values }, status, errors)
  }

  router.get('/teams/:id/edit', requireAdmin, (req, res) => editPage(req, res))

  router.post('/teams/:id/edit', requireAdmin, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    const parsed = parseUnitUpdateForm(body)
    if (!parsed.ok) return editPage(req, res, 400, parsed.errors, body)
    const { version, ...value } = parsed.value
    await submitForm(
      (status, errors) => editPage(req, res, status, errors, body),
      async () => {
        await organisation.updateUnit(req.user!, id, version, value)
        req.session.flash = 'Team saved'
        res.redirect(303, paths.teams.show(id))
      },
    )
  })

  return router
}
