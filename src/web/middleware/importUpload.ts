import type { NextFunction, Request, Response } from 'express'
import multer from 'multer'
import { importKinds, type ImportKind } from '../../domain/import/csvFiles.js'
import { isAdmin } from '../../services/accessService.js'
import type { Services } from '../../services/index.js'
import { paths } from '../paths.js'
import { sessionUser } from './setUpCurrentUser.js'

/** What went wrong reading the upload itself, for the import page to explain. */
export interface UploadProblem {
  kind: ImportKind | undefined
  code: 'tooLarge' | 'unreadable'
}

/**
 * Reads the import form (multipart) before the CSRF check, which needs the `_csrf` field from the
 * body: the form puts that field first, so it is read even when a file then proves too large.
 * Only a signed-in administrator's upload is read at all; anyone else's body is left unread and
 * the CSRF check refuses the request. Files stay in memory, each at most the configured size.
 */
export function importUpload(services: Services) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: services.imports.limits.maxFileBytes,
      files: importKinds.length,
      fields: 5,
      fieldSize: 1024,
      parts: importKinds.length + 5,
    },
  }).fields(importKinds.map(name => ({ name, maxCount: 1 })))

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== paths.imports.index() || !req.is('multipart/form-data')) return next()
    const user = await sessionUser(services, req.session)
    if (!user || !isAdmin(user)) return next()
    upload(req, res, (error: unknown) => {
      if (error) {
        const field = (error as { field?: string }).field
        const kind = importKinds.find(k => k === field)
        const code = (error as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'unreadable'
        res.locals.uploadProblem = { kind, code } satisfies UploadProblem
      }
      next()
    })
  }
}
