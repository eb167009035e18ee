import { type Request, Router } from 'express'
import type { IsoDate } from '../domain/calendar/workingDays.js'
import { checkOutcomeLabels } from '../domain/quality/progressChecks.js'
import { changeKindLabel } from '../domain/quality/significantChanges.js'
import type { ChangeNotice, ProgressCheck } from '../db/repositories/qualityRepository.js'
import type { Services } from '../services/index.js'
import type { DueCheck } from '../services/qualityService.js'
import {
  acknowledgeRequestSchema,
  checkRequestSchema,
  dueFilters,
  noticeRequestSchema,
  reviewHeldRequestSchema,
  reviewRequestSchema,
} from '../web/forms/qualityForms.js'
import { childJson } from './presenters.js'
import { bodyOf, idOf, paging } from './requestParsing.js'

const checkJson = (c: ProgressCheck) => ({
  id: c.id,
  reference: c.reference,
  childId: c.childId,
  kind: c.reviewerRole,
  reviewerId: c.reviewerId,
  reviewerName: c.reviewerName,
  heldOn: c.heldOn,
  answers: c.answers,
  outcome: c.outcome,
  outcomeLabel: checkOutcomeLabels[c.outcome],
  createdAt: c.createdAt,
})

const noticeJson = (n: ChangeNotice) => ({
  id: n.id,
  reference: n.reference,
  version: n.version,
  childId: n.childId,
  audience: n.audience,
  kind: n.kind,
  kindLabel: changeKindLabel(n.audience, n.kind) ?? n.kind,
  occurredOn: n.occurredOn,
  details: n.details,
  sentById: n.sentById,
  sentOn: n.sentOn,
  reviewerId: n.reviewerId,
  latenessWorkingDays: n.latenessWorkingDays,
  acknowledgedAt: n.acknowledgedAt,
  reviewDueOn: n.reviewDueOn,
  reviewSetBy: n.reviewSetBy,
  reviewHeldOn: n.reviewHeldOn,
})

const dueJson = (d: DueCheck) => ({
  childId: d.childId,
  caseId: d.caseId,
  childName: d.childName,
  kind: d.kind,
  reviewerId: d.reviewerId,
  reviewerName: d.reviewerName,
  episodeStart: d.start,
  year: d.slot.year,
  number: d.slot.number,
  windowStart: d.slot.windowStart,
  dueOn: d.slot.dueOn,
  status: d.slot.status,
  missed: d.missed,
  lastHeldOn: d.lastHeldOn,
})

/** Progress checks and significant-change notices over JSON: the same service calls as the pages. */
export function qualityApiRoutes(services: Services): Router {
  const router = Router()
  const { quality } = services
  const access = (req: Request) => ({ path: req.originalUrl.split('?')[0]!, ip: req.ip ?? null })

  async function noticeResponse(req: Request, id: number) {
    const view = await quality.viewNotice(req.user!, id, access(req))
    return {
      ...noticeJson(view.notice),
      child: childJson(view.child),
      yourAcknowledgeItemId: view.acknowledgeItemId,
    }
  }

  router.get('/checks/due', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const result = await quality.checksDue(req.user!, {
      ...dueFilters(req.query as Record<string, unknown>),
      limit,
      offset,
    })
    res.json({ items: result.rows.map(dueJson), reviewers: result.reviewers, page, pageSize, total: result.total })
  })

  router.post('/children/:id/checks', async (req, res) => {
    const value = bodyOf(checkRequestSchema, req)
    const id = await quality.recordCheck(req.user!, idOf(req), { ...value, heldOn: value.heldOn as IsoDate })
    const { check, child } = await quality.viewCheck(req.user!, id, access(req))
    res
      .status(201)
      .location(`/api/checks/${id}`)
      .json({ ...checkJson(check), child: childJson(child) })
  })

  router.get('/checks/:id', async (req, res) => {
    const { check, child } = await quality.viewCheck(req.user!, idOf(req), access(req))
    res.json({ ...checkJson(check), child: childJson(child) })
  })

  router.post('/children/:id/notices', async (req, res) => {
    const value = bodyOf(noticeRequestSchema, req)
    const id = await quality.sendNotice(req.user!, idOf(req), { ...value, occurredOn: value.occurredOn as IsoDate })
    res
      .status(201)
      .location(`/api/notices/${id}`)
      .json(await noticeResponse(req, id))
  })

  router.get('/notices/:id', async (req, res) => {
    res.json(await noticeResponse(req, idOf(req)))
  })

  router.post('/notices/:id/acknowledge', async (req, res) => {
    const id = idOf(req)
    const { version, reviewDueOn } = bodyOf(acknowledgeRequestSchema, req)
    await quality.acknowledgeNotice(
      req.user!,
      id,
      reviewDueOn !== undefined && version !== undefined ? { version, reviewDueOn: reviewDueOn as IsoDate } : undefined,
    )
    res.json(await noticeResponse(req, id))
  })

  router.post('/notices/:id/review', async (req, res) => {
    const id = idOf(req)
    const { version, reviewDueOn } = bodyOf(reviewRequestSchema, req)
    await quality.setReviewDue(req.user!, id, version, reviewDueOn as IsoDate)
    res.json(await noticeResponse(req, id))
  })

  router.post('/notices/:id/review-held', async (req, res) => {
    const id = idOf(req)
    const { version, heldOn } = bodyOf(reviewHeldRequestSchema, req)
    await quality.recordReviewHeld(req.user!, id, version, heldOn as IsoDate)
    res.json(await noticeResponse(req, id))
  })

  return router
}
