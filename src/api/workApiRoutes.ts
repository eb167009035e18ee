import { type Request, Router } from 'express'
import { z } from 'zod'
import { recordStates } from '../db/repositories/supervisionRepository.js'
import type { Services } from '../services/index.js'
import { bodyOf, idOf, paging } from './requestParsing.js'

const preferenceSchema = z.object({
  preference: z.enum(['immediate', 'daily_digest'], { error: 'Choose immediate emails or a daily digest' }),
})

function filters(req: Request) {
  const int = (v: unknown) => {
    const n = Number(v)
    return Number.isSafeInteger(n) && n > 0 ? n : undefined
  }
  const state = recordStates.find(s => s === req.query.state)
  return {
    reviewerId: int(req.query.reviewerId),
    teamId: int(req.query.teamId),
    stageKey: typeof req.query.stage === 'string' && req.query.stage ? req.query.stage.slice(0, 60) : undefined,
    state,
  }
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
