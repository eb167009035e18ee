import { type Request, Router } from 'express'
import { z } from 'zod'
import { recordStates } from '../db/repositories/supervisionRepository.js'
import type { Services } from '../services/index.js'
import { type FieldError, ValidationError } from '../services/errors.js'
import { bodyOf, idOf, paging } from './requestParsing.js'

const preferenceSchema = z.object({
  preference: z.enum(['immediate', 'daily_digest'], { error: 'Choose immediate emails or a daily digest' }),
})

/** A list's filters from the query; a value given that is not one a filter takes is a 400, not ignored. */
function filters(req: Request) {
  const errors: FieldError[] = []
  const given = (name: string) => {
    const v = req.query[name]
    if (v === undefined || v === '') return undefined
    if (typeof v === 'string') return v
    errors.push({ field: name, message: `Give ${name} once` })
    return undefined
  }
  const int = (name: string) => {
    const v = given(name)
    if (v === undefined) return undefined
    if (/^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647) return Number(v)
    errors.push({ field: name, message: `${name} must be a whole number, such as 12` })
    return undefined
  }
  const stateGiven = given('state')
  const state = recordStates.find(s => s === stateGiven)
  if (stateGiven !== undefined && !state)
    errors.push({ field: 'state', message: `state must be one of ${recordStates.join(', ')}` })
  const stageKey = given('stage')
  if (stageKey !== undefined && stageKey.length > 60)
    errors.push({ field: 'stage', message: 'stage must be a stage key of 60 characters or fewer' })
  const result = { reviewerId: int('reviewerId'), teamId: int('teamId'), stageKey, state }
  if (errors.length > 0) throw new ValidationError(errors)
  return result
}

/** "My work" and the supervision views over JSON: the same service calls as the pages. */
export function workApiRoutes(services: Services): Router {
  const router = Router()
  const { work } = services

  router.get('/work', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const { items, total } = await work.inbox(req.user!, limit, offset)
    res.json({ items, page, pageSize, total })
  })

  router.post('/work/:id/acknowledge', async (req, res) => {
    await work.acknowledge(req.user!, idOf(req))
    res.status(204).end()
  })

  router.get('/work/records', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const result = await work.myRecords(req.user!, { ...filters(req), limit, offset })
    res.json({ items: result.rows, page, pageSize, total: result.total })
  })

  router.get('/supervision', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const result = await work.supervision(req.user!, { ...filters(req), limit, offset })
    res.json({ items: result.rows, reviewers: result.reviewers, page, pageSize, total: result.total })
  })

  router.get('/unanswered', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const result = await work.unansweredInArea(req.user!, limit, offset)
    res.json({ items: result.rows, page, pageSize, total: result.total })
  })

  router.put('/me/notification-preference', async (req, res) => {
    const { preference } = bodyOf(preferenceSchema, req)
    await work.setPreference(req.user!, preference)
    res.json({ preference })
  })

  return router
}
