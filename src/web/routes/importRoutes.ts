import { type Request, type Response, Router } from 'express'
import { type ImportIssue, importFiles, importKinds } from '../../domain/import/csvFiles.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import { NotFoundError } from '../../services/errors.js'
import { type ImportFile, ImportStaleError } from '../../services/importService.js'
import type { Services } from '../../services/index.js'
import type { UploadProblem } from '../middleware/importUpload.js'
import { requireAdmin } from '../middleware/setUpCurrentUser.js'
import { paths } from '../paths.js'
import {
  batchSummary,
  countRows,
  issuesView,
  outcomeRows,
  planSections,
  recentRows,
} from '../presenters/importPresenter.js'
import { idParam } from './formHandling.js'

/** Import from the case-management system: upload and check, preview, apply (administrators only). */
export function importRoutes(services: Services): Router {
  const router = Router()
  const { imports, config } = services
  const maxMb = config.importMaxMegabytes

  const fileInputs = () =>
    importKinds.map(kind => ({
      kind,
      label: {
        units: 'Teams and the management chain',
        people: 'People and their roles',
        children: 'Children',
        allocations: 'Allocations of social workers and reviewers',
      }[kind],
      columns: importFiles[kind].columns.join(', '),
    }))

  async function uploadPage(req: Request, res: Response, status = 200, issues: ImportIssue[] = []) {
    res.status(status).render('pages/import/upload', {
      files: fileInputs(),
      maxMb,
      recent: recentRows(await imports.recent(req.user!)),
      errors: issues.length ? issuesView(issues) : undefined,
    })
  }

  async function previewPage(req: Request, res: Response, id: number, status = 200, stale = false) {
    const batch = await imports.batch(req.user!, id)
    if (batch.status !== 'previewed') {
      return res.status(status).render('pages/import/outcome', {
        batch,
        summary: batchSummary(batch),
        counts: countRows(batch.counts),
        changed: batch.status === 'applied' ? outcomeRows(await imports.outcome(req.user!, id)) : [],
      })
    }
    const items = batch.plan ?? []
    res.status(status).render('pages/import/preview', {
      batch,
      stale,
      staleMessage: errorMessages.import.stale,
      summary: batchSummary(batch),
      counts: countRows(batch.counts),
      sections: planSections(items, config.roleTitles),
      warnings: batch.warnings ?? [],
      nothingToDo: items.length === 0,
    })
  }

  router.get(paths.imports.index(), requireAdmin, (req, res) => uploadPage(req, res))

  router.post(paths.imports.index(), requireAdmin, async (req, res) => {
    const problem = res.locals.uploadProblem as UploadProblem | undefined
    if (problem) {
      const kind = problem.kind ?? 'children'
      const message =
        problem.code === 'tooLarge'
          ? errorMessages.import.file.tooLarge(importFiles[kind].label, maxMb)
          : errorMessages.import.file.unreadable
      return uploadPage(req, res, problem.code === 'tooLarge' ? 413 : 400, [{ file: kind, message }])
    }
    const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>
    const files: ImportFile[] = []
    for (const kind of importKinds) {
      const file = uploaded[kind]?.[0]
      // A browser sends an empty part for a file input left empty.
      if (!file || (file.originalname === '' && file.size === 0)) continue
      files.push({ kind, fileName: file.originalname, bytes: file.buffer })
    }
    const result = await imports.preview(req.user!, files)
    if (!result.ok) return uploadPage(req, res, 400, result.issues)
    res.redirect(303, paths.imports.show(result.batchId))
  })

  const batchId = (req: Request) => {
    const id = idParam(req.params.id as string)
    if (id === undefined) throw new NotFoundError()
    return id
  }
  const versionOf = (req: Request) => Number((req.body as Record<string, unknown> | undefined)?.version)

  router.get('/import/:id', requireAdmin, (req, res) => previewPage(req, res, batchId(req)))

  router.post('/import/:id/apply', requireAdmin, async (req, res) => {
    const id = batchId(req)
    try {
      await imports.apply(req.user!, id, versionOf(req))
    } catch (error) {
      if (!(error instanceof ImportStaleError)) throw error
      // The records changed since the preview: plan again and show the new plan (or the new problems).
      const again = await imports.refresh(req.user!, id)
      if (!again.ok) return uploadPage(req, res, 409, again.issues)
      return previewPage(req, res, id, 409, true)
    }
    req.session.flash = 'Import applied'
    res.redirect(303, paths.imports.show(id))
  })

  router.post('/import/:id/cancel', requireAdmin, async (req, res) => {
    await imports.cancel(req.user!, batchId(req), versionOf(req))
    req.session.flash = 'Import cancelled: nothing was changed'
    res.redirect(303, paths.imports.index())
  })

  return router
}
