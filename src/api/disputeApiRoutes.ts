import { type Request, Router } from 'express'
import type { Dispute } from '../domain/dispute/dispute.js'
import type { Command } from '../domain/dispute/stateMachine.js'
import type { IsoDate } from '../domain/calendar/workingDays.js'
import type { Policy } from '../domain/policies/policy.js'
import { findPolicy } from '../domain/policies/policyCatalogue.js'
import { NotFoundError } from '../services/errors.js'
import type { Services } from '../services/index.js'
import { commandRequestSchema, discussionSchema, raiseSchema } from './disputeSchemas.js'
import { childJson } from './presenters.js'
import { bodyOf, idOf, paging } from './requestParsing.js'

const policyJson = (p: Policy) => ({ ...p })

const stateJson = (s: Dispute) => ({
  status: s.status,
  phase: s.phase,
  currentStage: s.stages.at(-1) ?? null,
  stages: s.stages,
  pending: s.pending,
  preApprovals: s.preApprovals,
  declinedPreApprovals: s.declinedPreApprovals,
  actions: s.actions,
  raisedOn: s.raisedOn,
  becameAwareOn: s.becameAwareOn,
  raisedLate: s.raisedLate,
  firstFormalOn: s.firstFormalOn,
  overallDueOn: s.overallDueOn,
  resolution: s.resolution,
  cafcass: s.cafcass,
  legalAdvice: s.legalAdvice,
  finalisedOn: s.finalisedOn,
  addenda: s.addenda,
})

/** The dispute lifecycle over JSON: the same service calls as the web pages, so the same rules. */
export function disputeApiRoutes(services: Services): Router {
  const router = Router()
  const { disputes } = services
  const access = (req: Request) => ({ path: req.originalUrl.split('?')[0]!, ip: req.ip ?? null })

  async function recordJson(req: Request, id: number) {
    const view = await disputes.view(req.user!, id, access(req))
    return {
      id: view.record.id,
      reference: view.record.reference,
      version: view.record.version,
      child: childJson(view.child),
      siblingRecords: view.siblings
        .filter(s => s.visible)
        .map(s => ({ id: s.id, reference: s.reference, childId: s.childId })),
      policy: { id: view.policy.id, version: view.policy.version, name: view.policy.name },
      categoryKey: view.record.categoryKey,
      concern: view.record.concern,
      impact: view.record.impact,
      wishesAndFeelings: view.record.wishesAndFeelings,
      recommendedResolution: view.record.recommendedResolution,
      resolutionTimescale: view.record.resolutionTimescale,
      reviewerId: view.record.state.ownerId,
      state: stateJson(view.record.state),
      discussions: view.discussions,
      yourRelations: view.relations,
      availableCommands: view.commands,
    }
  }

  router.get('/policies', (_req, res) => {
    res.json({ items: disputes.policies().map(policyJson) })
  })

  router.get('/policies/:id/:version', (req, res) => {
    const policy = findPolicy(disputes.policies(), req.params.id as string, Number(req.params.version))
    if (!policy) throw new NotFoundError()
    res.json(policyJson(policy))
  })

  router.get('/disputes', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const status = ['open', 'resolved', 'finalised'].includes(String(req.query.status))
      ? (req.query.status as 'open')
      : undefined
    const result = await disputes.list(req.user!, { status, limit, offset })
    res.json({ items: result.rows, page, pageSize, total: result.total })
  })

  router.post('/disputes', async (req, res) => {
    const value = bodyOf(raiseSchema, req)
    const { ids, alreadyRaised } = await disputes.raise(req.user!, {
      ...value,
      becameAwareOn: value.becameAwareOn as IsoDate,
      agreedDueOn: value.agreedDueOn as IsoDate | undefined,
      preApproval: value.preApproval && { ...value.preApproval, on: value.preApproval.on as IsoDate },
    })
    // The same raise sent again while its records are open is answered with them, not raised twice.
    res
      .status(alreadyRaised ? 200 : 201)
      .location(`/api/disputes/${ids[0]}`)
      .json({ items: await Promise.all(ids.map(id => recordJson(req, id))) })
  })

  router.get('/disputes/:id', async (req, res) => {
    res.json(await recordJson(req, idOf(req)))
  })

  router.post('/disputes/:id/commands', async (req, res) => {
    const id = idOf(req)
    const { version, command } = bodyOf(commandRequestSchema, req)
    await disputes.act(req.user!, id, version, command as Command)
    res.json(await recordJson(req, id))
  })

  router.post('/disputes/:id/discussions', async (req, res) => {
    const id = idOf(req)
    const value = bodyOf(discussionSchema, req)
    await disputes.logDiscussion(req.user!, id, { ...value, heldOn: value.heldOn as IsoDate })
    res.status(201).json(await recordJson(req, id))
  })

  return router
}
