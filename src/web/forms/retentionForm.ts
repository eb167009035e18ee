import { z } from 'zod'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { RetentionDecisionValue } from '../../services/dataProtectionService.js'
import { dateFromParts, dateProblem, isRealIsoDate, type Parsed, parseWith, requiredText } from './validation.js'

const m = errorMessages.retention

/** Shared by the form and the JSON API: keep (with a date) or delete, and always a reason. */
export const retentionDecisionSchema = z
  .object({
    decision: z.enum(['keep', 'delete'], { error: m.decision.required }),
    reason: requiredText(2000, m.reason),
    keepUntil: z
      .string()
      .optional()
      .nullable()
      .transform(v => (v ? v : null)),
  })
  .superRefine((v, ctx) => {
    if (v.decision !== 'keep') return
    if (v.keepUntil === null) ctx.addIssue({ code: 'custom', path: ['keepUntil'], message: m.keepUntil.required })
    else if (!isRealIsoDate(v.keepUntil))
      ctx.addIssue({ code: 'custom', path: ['keepUntil'], message: m.keepUntil.invalid })
  })
  .transform((v): RetentionDecisionValue => ({
    decision: v.decision,
    reason: v.reason,
    keepUntil: v.decision === 'keep' ? v.keepUntil : null,
  }))

/** The form: every field's problem at once (the date only matters when keeping). */
export function parseRetentionForm(body: Record<string, unknown>): Parsed<RetentionDecisionValue> {
  const keepUntil = dateFromParts(body, 'keepUntil')
  const parsed = parseWith(retentionDecisionSchema, { decision: body.decision, reason: body.reason, keepUntil })
  if (parsed.ok || body.decision !== 'keep' || parsed.errors.some(e => e.field === 'keepUntil')) return parsed
  const dateError =
    keepUntil === ''
      ? m.keepUntil.required
      : isRealIsoDate(keepUntil)
        ? undefined
        : dateProblem(keepUntil, m.keepUntil.invalid)
  return dateError ? { ok: false, errors: [...parsed.errors, { field: 'keepUntil', message: dateError }] } : parsed
}
