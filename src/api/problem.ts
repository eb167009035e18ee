import type { Response } from 'express'
import type { FieldError } from '../services/errors.js'

/** RFC 9457 problem details: the API never answers with an HTML page. */
export function problem(
  res: Response,
  status: number,
  title: string,
  extra: { detail?: string; errors?: FieldError[]; refusal?: string } = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title, status, ...extra })
}
