import { parse } from 'node:querystring'
import type { NextFunction, Request, Response } from 'express'

const NUL = '\u0000'

/**
 * The value with every NUL character (U+0000) taken out of its strings, at any depth. PostgreSQL's
 * text cannot hold one, and text pasted from some PDFs and older systems carries them: a form or a
 * search with one failed with a server error and lost what was typed.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll(NUL, '') as T
  if (Array.isArray(value)) return value.map(withoutNul) as T
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T
  return value
}

/** After a body parser: the parsed form or JSON body without NUL characters. */
export function bodyWithoutNul(req: Request, _res: Response, next: NextFunction): void {
  if (req.body !== undefined) req.body = withoutNul(req.body)
  next()
}

/** Express's "query parser" setting: Node's own (Express's default, "simple"), without NUL characters. */
export const queryWithoutNul = (query: string) => withoutNul({ ...parse(query) })
