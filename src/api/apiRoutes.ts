import express, { type NextFunction, type Request, type Response, Router } from 'express'
import type { z } from 'zod'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../services/errors.js'
import type { Logger } from '../logger.js'
import type { Services } from '../services/index.js'
import { childSchema, childUpdateSchema } from '../web/forms/childForm.js'
import { personSchema, personUpdateSchema } from '../web/forms/personForm.js'
import { unitSchema, unitUpdateSchema } from '../web/forms/unitForm.js'
import { parseWith } from '../web/forms/validation.js'
import { openApiDocument } from './openapi.js'
import { childJson, personJson, unitJson } from './presenters.js'
import { problem } from './problem.js'

const MAX_PAGE_SIZE = 100

function paging(req: Request) {
  const page = Math.max(1, Math.min(100_000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1))
  const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Number.parseInt(String(req.query.pageSize ?? '25'), 10) || 25))
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize }
}

function idOf(req: Request): number {
  const raw = req.params.id as string
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0 || String(n) !== raw) throw new NotFoundError()
  return n
}

/** Parses a JSON body or answers 400 with field-level messages. */
function body<T>(schema: z.ZodType<T>, req: Request): T {
  const parsed = parseWith(schema, req.body ?? {})
  if (!parsed.ok) throw new ValidationError(parsed.errors)
  return parsed.value
}

export function apiRoutes(services: Services, logger: Logger): Router {
  const router = Router()
  const { children, organisation, auth } = services

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument())
  })

  router.use(express.json({ limit: '100kb' }))

  // Personal API tokens, sent as "Authorization: Bearer <token>". No cookies, so no CSRF.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    const personId = match ? await auth.personForToken(match[1]!) : undefined
    const user = personId === undefined ? undefined : await services.access.currentUser(personId)
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
    res.json({ items: result.children.map(childJson), page, pageSize, total: result.total })
  })

  router.get('/children/:id', async (req, res) => {
    const child = await children.view(req.user!, idOf(req), {
      path: req.originalUrl.split('?')[0]!,
      ip: req.ip ?? null,
    })
    res.json(childJson(child))
  })

  router.post('/children', async (req, res) => {
    const id = await children.create(req.user!, body(childSchema, req))
    res
      .status(201)
      .location(`/api/children/${id}`)
      .json(childJson(await children.view(req.user!, id, { path: req.originalUrl, ip: req.ip ?? null })))
  })

  router.put('/children/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = body(childUpdateSchema, req)
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
    const id = await organisation.createPerson(req.user!, body(personSchema, req))
    res
      .status(201)
      .location(`/api/people/${id}`)
      .json(personJson(await organisation.person(id)))
  })

  router.put('/people/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = body(personUpdateSchema, req)
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
    const id = await organisation.createUnit(req.user!, body(unitSchema, req))
    res
      .status(201)
      .location(`/api/teams/${id}`)
      .json(unitJson(await organisation.unit(id)))
  })

  router.put('/teams/:id', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = body(unitUpdateSchema, req)
    await organisation.updateUnit(req.user!, id, version, value)
    res.json(unitJson(await organisation.unit(id)))
  })

  router.use((_req, res) => problem(res, 404, 'Not Found'))

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    if (error instanceof ValidationError)
      return problem(res, 400, 'Bad Request', { detail: 'The request has invalid fields.', errors: error.errors })
    if (error instanceof NotFoundError) return problem(res, 404, 'Not Found')
    if (error instanceof ForbiddenError) return problem(res, 403, 'Forbidden')
    if (error instanceof ConflictError) return problem(res, 409, 'Conflict', { detail: error.message })
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
