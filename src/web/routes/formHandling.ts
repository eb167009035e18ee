import type { Response } from 'express'
import { ConflictError, type FieldError, ValidationError } from '../../services/errors.js'
import { errorView } from '../presenters/errors.js'

/**
 * Runs a service call for a form post. Validation and conflict failures re-render the same
 * page (400 / 409) with the user's input; anything else goes to the error handler.
 */
export async function submitForm(
  render: (status: number, errors: FieldError[], conflict: boolean) => void | Promise<void>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work()
  } catch (error) {
    if (error instanceof ValidationError) return await render(400, error.errors, false)
    if (error instanceof ConflictError) return await render(409, [{ field: 'form', message: error.message }], true)
    throw error
  }
}

export function renderForm(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  status = 200,
  errors: FieldError[] = [],
) {
  res
    .status(status)
    .render(view, { ...locals, errors: errors.length ? errorView(errors, submittedFields(res)) : undefined })
}

/** The form's fields as sent (a posted body, or a GET form's query), to find its date inputs. */
function submittedFields(res: Response): Record<string, unknown> | undefined {
  const req = res.req as { method?: string; body?: unknown; query?: unknown } | undefined
  const fields = req?.method === 'GET' ? req.query : req?.body
  return fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : undefined
}

export const idParam = (raw: string | undefined): number | undefined => {
  const n = Number(raw)
  return Number.isSafeInteger(n) && n > 0 && String(n) === raw ? n : undefined
}
