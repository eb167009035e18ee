import { type Request, Router } from 'express'
import type { PracticeNote, RecipientState } from '../db/repositories/practiceNoteRepository.js'
import type { Services } from '../services/index.js'
import {
  concernApiSchema,
  noteApiSchema,
  reciprocalApiSchema,
  resolutionApiSchema,
} from '../web/forms/practiceNoteForms.js'
import { bodyOf, idOf, paging } from './requestParsing.js'

/** A note as JSON, with the same names as the request bodies. A concern's case ID is context, never a child. */
function noteJson(n: PracticeNote) {
  const common = {
    id: n.id,
    reference: n.reference,
    kind: n.kind,
    version: n.version,
    authorId: n.authorId,
    authorName: n.authorName,
    about: {
      personId: n.subjectPersonId,
      personName: n.subjectPersonName,
      teamId: n.subjectUnitId,
      teamName: n.subjectUnitName,
    },
    createdAt: n.createdAt,
  }
  if (n.kind === 'concern')
    return {
      ...common,
      route: n.route,
      concern: n.practice,
      caseId: n.contextCaseId,
      resolution:
        n.resolved === null
          ? null
          : {
              outcome: n.resolutionOutcome,
              resolved: n.resolved,
              formalRoute: n.formalRoute,
              recordedBy: n.resolvedById,
              recordedAt: n.resolvedAt,
            },
    }
  return {
    ...common,
    childId: n.childId,
    caseId: n.caseId,
    noteSetId: n.noteSetId,
    categoryKey: n.categoryKey,
    goodPractice: n.practice,
    impact: n.impact,
  }
}

const recipientJson = (r: RecipientState) => ({
  personId: r.personId,
  name: r.name,
  copy: r.copy,
  acknowledgedAt: r.acknowledgedAt,
})

/** Good practice notes, reciprocal notes and concerns over JSON: the same service calls as the pages. */
export function practiceNoteApiRoutes(services: Services): Router {
  const router = Router()
  const { notes } = services
  const access = (req: Request) => ({ path: req.originalUrl.split('?')[0]!, ip: req.ip ?? null })

  async function fullJson(req: Request, id: number) {
    const view = await notes.view(req.user!, id, access(req))
    return {
      ...noteJson(view.note),
      recipients: view.recipients.map(recipientJson),
      linkedNoteIds: view.linked.map(n => n.id),
      yourOpenWorkItemId: view.openItemId ?? null,
      mayResolve: view.mayResolve,
    }
  }

  router.get('/notes', async (req, res) => {
    const { page, pageSize, limit, offset } = paging(req)
    const result = await notes.list(req.user!, limit, offset)
    res.json({ items: result.notes.map(noteJson), page, pageSize, total: result.total })
  })

  router.post('/notes', async (req, res) => {
    const { ids } = await notes.write(req.user!, bodyOf(noteApiSchema, req))
    res
      .status(201)
      .location(`/api/notes/${ids[0]}`)
      .json({ items: await Promise.all(ids.map(id => fullJson(req, id))) })
  })

  router.post('/notes/reciprocal', async (req, res) => {
    const id = await notes.sendReciprocal(req.user!, bodyOf(reciprocalApiSchema, req))
    res
      .status(201)
      .location(`/api/notes/${id}`)
      .json(await fullJson(req, id))
  })

  router.post('/notes/concerns', async (req, res) => {
    const id = await notes.raiseConcern(req.user!, bodyOf(concernApiSchema, req))
    res
      .status(201)
      .location(`/api/notes/${id}`)
      .json(await fullJson(req, id))
  })

  router.post('/notes/concerns/:id/resolution', async (req, res) => {
    const id = idOf(req)
    const { version, ...value } = bodyOf(resolutionApiSchema, req)
    await notes.resolveConcern(req.user!, id, version, value)
    res.json(await fullJson(req, id))
  })

  router.get('/notes/:id', async (req, res) => {
    res.json(await fullJson(req, idOf(req)))
  })

  return router
}
