import type { Request } from 'express'
import type { z } from 'zod'
import { NotFoundError, ValidationError } from '../services/errors.js'
import { parseWith } from '../web/forms/validation.js'

const MAX_PAGE_SIZE = 100

export function paging(req: Request) {
  const page = Math.max(1, Math.min(100_000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1))
  const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Number.parseInt(String(req.query.pageSize ?? '25'), 10) || 25))
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize }
}

/** A positive whole-number id from the path, or not found. */
export function idOf(req: Request): number {
  const raw = req.params.id as string
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0 || String(n) !== raw) throw new NotFoundError()
  return n
}

/** Parses a JSON body or answers 400 with field-level messages. */
export function bodyOf<T>(schema: z.ZodType<T>, req: Request): T {
  const parsed = parseWith(schema, req.body ?? {})
  if (!parsed.ok) throw new ValidationError(parsed.errors)
  return parsed.value
}
