import express, { type NextFunction, type Request, type Response, Router } from 'express'
import {
  ConflictError,
  DisputeRefusedError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../services/errors.js'
import { errorMessages } from '../i18n/errorMessages.js'
import type { Logger } from '../logger.js'
import type { Services } from '../services/index.js'
import { childSchema, childUpdateSchema } from '../web/forms/childForm.js'
import { personSchema, personUpdateSchema } from '../web/forms/personForm.js'
import { unitSchema, unitUpdateSchema } from '../web/forms/unitForm.js'
import { openApiDocument } from './openapi.js'
import { childJson, personJson, unitJson } from './presenters.js'
import { problem } from './problem.js'
import { disputeApiRoutes } from './disputeApiRoutes.js'
import { disputePdfApiRoutes } from './disputePdfApiRoutes.js'
import { workApiRoutes } from './workApiRoutes.js'
import { practiceNoteApiRoutes } from './practiceNoteApiRoutes.js'
import { qualityApiRoutes } from './qualityApiRoutes.js'
import { reportApiRoutes } from './reportApiRoutes.js'
import { bodyOf, idOf, paging } from './requestParsing.js'
import { dataProtectionApiRoutes } from './dataProtectionApiRoutes.js'
import { bodyWithoutNul } from '../web/middleware/withoutNulCharacters.js'

export function apiRoutes(services: Services, logger: Logger): Router {
  const router = Router()
  const { children, organisation } = services

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument())
  })

  router.use(express.json({ limit: '100kb' }))
  router.use(bodyWithoutNul)

  // Personal API tokens, sent as "Authorization: Bearer <token>". No cookies, so no CSRF.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    const user = match ? await services.access.userForToken(match[1]!) : undefined
    if (!user) {
      res.set('WWW-Authenticate', 'Bearer')
      return problem(res, 401, 'Unauthorized', {
        detail: 'Send a valid personal API token as "Authorization: Bearer <token>".',
      })
    }
    req.user = user
    next()
  })

  router.get('/children', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined
    const result = await children.list(req.user!, { search, limit, offset })
    res.json({
      items: result.children.map(c => ({ ...childJson(c), openDisputes: c.openDisputes })),
      page,
      pageSize,
      total: result.total,
    })
  })

  router.get('/children/:id', async (req, res) => {
    const child = await children.view(req.user!, idOf(req), {
      path: req.originalUrl.split('?')[0]!,
      ip: req.ip ?? null,
    })
    res.json(childJson(child))
  })

  router.post('/children', async (req, res) => {
    const id = await children.create(req.user!, bodyOf(childSchema, req))
    res
      .status(201)
      .location(`/api/children/${id}`)
      .json(childJson(await children.view(req.user!, id, { path: req.originalUrl, ip: req.ip ?? null })))
  })

  router.put('/children/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = bodyOf(childUpdateSchema, req)
    await children.update(req.user!, id, version, value)
    res.json(childJson(await children.view(req.user!, id, { path: req.originalUrl, ip: req.ip ?? null })))
  })

  router.get('/people', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined
    const result = await organisation.people({ search, limit, offset })
    res.json({ items: result.people.map(personJson), page, pageSize, total: result.total })
  })

  router.get('/people/:id', async (req, res) => {
    res.json(personJson(await organisation.person(idOf(req))))
  })

  router.post('/people', async (req, res) => {
    const id = await organisation.createPerson(req.user!, bodyOf(personSchema, req))
    res
      .status(201)
      .location(`/api/people/${id}`)
      .json(personJson(await organisation.person(id)))
  })

  router.put('/people/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = bodyOf(personUpdateSchema, req)
    await organisation.updatePerson(req.user!, id, version, value)
    res.json(personJson(await organisation.person(id)))
  })

  router.get('/teams', async (_req, res) => {
    res.json({ items: (await organisation.units()).map(unitJson) })
  })

  router.get('/teams/:id', async (req, res) => {
    res.json(unitJson(await organisation.unit(idOf(req))))
  })

  router.post('/teams', async (req, res) => {
    const id = await organisation.createUnit(req.user!, bodyOf(unitSchema, req))
    res
      .status(201)
      .location(`/api/teams/${id}`)
      .json(unitJson(await organisation.unit(id)))
  })

  router.put('/teams/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = bodyOf(unitUpdateSchema, req)
    await organisation.updateUnit(req.user!, id, version, value)
    res.json(unitJson(await organisation.unit(id)))
  })

  router.use(disputeApiRoutes(services))
  router.use(disputePdfApiRoutes(services))
  router.use(workApiRoutes(services))
  router.use(practiceNoteApiRoutes(services))
  router.use(qualityApiRoutes(services))
  router.use(dataProtectionApiRoutes(services))
  router.use(reportApiRoutes(services))

  router.use((_req, res) => problem(res, 404, 'Not Found'))

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    if (error instanceof ValidationError)
      return problem(res, 400, 'Bad Request', { detail: 'The request has invalid fields.', errors: error.errors })
    if (error instanceof NotFoundError) return problem(res, 404, 'Not Found')
    if (error instanceof ForbiddenError) return problem(res, 403, 'Forbidden')
    if (error instanceof ConflictError) return problem(res, 409, 'Conflict', { detail: error.message })
    if (error instanceof DisputeRefusedError) {
      const detail = (errorMessages.dispute.refusals as Record<string, string>)[error.refusal] ?? error.refusal
      // Who may act is 403; a locked record is a conflict with its state; any other rule is 422.
      const status = ['not_allowed', 'not_pre_approver'].includes(error.refusal)
        ? 403
        : error.refusal === 'locked'
          ? 409
          : 422
      const title = status === 403 ? 'Forbidden' : status === 409 ? 'Conflict' : 'Unprocessable Content'
      return problem(res, status, title, { detail, refusal: error.refusal })
    }
    const status = (error as { status?: number; type?: string }).status
    if (status === 400 || status === 413)
      return problem(res, status, status === 413 ? 'Payload Too Large' : 'Bad Request', {
        detail: 'The request body is not valid JSON or is too large.',
      })
    // Anything else is ours: logged without personal data, answered as a problem, never an HTML page.
    logger.error({ err: { message: (error as Error).message }, method: _req.method }, 'API request failed')
    problem(res, 500, 'Internal Server Error')
  })

  return router
}
