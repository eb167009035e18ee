import { z } from 'zod'
import type { IsoDate } from '../../domain/calendar/workingDays.js'
import { type CheckKind, type CheckOutcome, checkOutcomes, headingsFor } from '../../domain/quality/progressChecks.js'
import type { ChangeAudience } from '../../domain/quality/significantChanges.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { FieldError } from '../../services/errors.js'
import type { CheckValue, NoticeValue } from '../../services/qualityService.js'
import { dateFromParts, isRealIsoDate, type Parsed, parseWith, requiredIsoDate, requiredText } from './validation.js'

const mc = errorMessages.checks
const mn = errorMessages.notices

type Body = Record<string, unknown>

const asIso = (v: string) => v as IsoDate
const kinds = ['iro', 'cp_chair'] as const

const versionField = z.coerce
  .number({ error: mn.version.required })
  .int({ error: mn.version.required })
  .positive({ error: mn.version.required })

/** A required ISO date in a JSON body. */
const isoDate = (required: string, invalid: string) =>
  z.string({ error: required }).min(1, { error: required }).refine(isRealIsoDate, { error: invalid })

// ---- JSON bodies of the API: the same catalogue messages as the forms ------------------------------------------

export const checkRequestSchema = z.object({
  kind: z.enum(kinds, { error: mc.kind.required }).optional(),
  heldOn: isoDate(mc.heldOn.required, mc.heldOn.invalid),
  answers: z.record(z.string(), z.string(), { error: mc.answer.required('each heading') }),
  outcome: z.enum(checkOutcomes, { error: mc.outcome.required }),
})

export const noticeRequestSchema = z.object({
  audience: z.enum(kinds, { error: mn.audience.unknown }).optional(),
  kind: z.string({ error: mn.kind.required }).trim().min(1, { error: mn.kind.required }),
  occurredOn: isoDate(mn.occurredOn.required, mn.occurredOn.invalid),
  details: requiredText(5000, mn.details),
})

export const reviewRequestSchema = z.object({
  version: versionField,
  reviewDueOn: isoDate(mn.reviewDueOn.required, mn.reviewDueOn.invalid),
})

export const reviewHeldRequestSchema = z.object({
  version: versionField,
  heldOn: isoDate(mn.heldOn.required, mn.heldOn.invalid),
})

/** Acknowledging a notice, optionally saying a review is needed by a date (then with the version read). */
export const acknowledgeRequestSchema = z
  .object({
    version: versionField.optional(),
    reviewDueOn: isoDate(mn.reviewDueOn.required, mn.reviewDueOn.invalid).optional(),
  })
  .refine(v => v.reviewDueOn === undefined || v.version !== undefined, {
    error: mn.version.required,
    path: ['version'],
  })

// ---- The web forms -------------------------------------------------------------------------------------------

/** The form's field for a heading's answer. */
export const answerField = (key: string) => `answer-${key}`

/** A choice of which check, for a reviewer who reviews the child in both roles (a GET step: `?kind=`). */
export function parseCheckKind(raw: unknown, allowed: readonly CheckKind[]): Parsed<CheckKind> {
  const kind = allowed.find(k => k === raw)
  return kind ? { ok: true, value: kind } : { ok: false, errors: [{ field: 'kind', message: mc.kind.required }] }
}

/** A progress check: the date held, an answer for each heading of the check's form, and the outcome. */
export function parseCheckForm(body: Body, kind: CheckKind): Parsed<CheckValue & { kind: CheckKind }> {
  const errors: FieldError[] = []
  const heldOn = requiredIsoDate(mc.heldOn.required, mc.heldOn.invalid).safeParse(dateFromParts(body, 'heldOn'))
  if (!heldOn.success) errors.push({ field: 'heldOn', message: heldOn.error.issues[0]!.message })
  const answers: Record<string, string> = {}
  for (const h of headingsFor(kind)) {
    const answer = String(body[answerField(h.key)] ?? '').trim()
    if (!answer) errors.push({ field: answerField(h.key), message: mc.answer.required(h.label) })
    else if (answer.length > 5000) errors.push({ field: answerField(h.key), message: mc.answer.tooLong(h.label) })
    answers[h.key] = answer
  }
  const outcome = checkOutcomes.find(o => o === body.outcome)
  if (!outcome) errors.push({ field: 'outcome', message: mc.outcome.required })
  if (errors.length || !heldOn.success || !outcome) return { ok: false, errors }
  return { ok: true, value: { kind, heldOn: asIso(heldOn.data), answers, outcome: outcome as CheckOutcome } }
}

/** The field a service error about a check's answer is shown against on the form. */
export const checkFormField = (field: string) =>
  field.startsWith('answers.') ? answerField(field.slice('answers.'.length)) : field

const noticeFormSchema = z.object({
  kind: z.string({ error: mn.kind.required }).trim().min(1, { error: mn.kind.required }),
  occurredOn: requiredIsoDate(mn.occurredOn.required, mn.occurredOn.invalid),
  details: requiredText(5000, mn.details),
})

/** A significant-change notice: what happened (from the list that fits), when, and the details. */
export function parseNoticeForm(body: Body, audience: ChangeAudience): Parsed<NoticeValue> {
  const parsed = parseWith(noticeFormSchema, { ...body, occurredOn: dateFromParts(body, 'occurredOn') })
  if (!parsed.ok) return parsed
  return { ok: true, value: { ...parsed.value, audience, occurredOn: asIso(parsed.value.occurredOn) } }
}

/** The list a notice is for, for a child who is both in care and on a plan (a GET step: `?for=`). */
export function parseAudience(raw: unknown, allowed: readonly ChangeAudience[]): Parsed<ChangeAudience> {
  const audience = allowed.find(a => a === raw)
  return audience
    ? { ok: true, value: audience }
    : { ok: false, errors: [{ field: 'audience', message: mn.audience.required }] }
}

const reviewDate = (body: Body) =>
  requiredIsoDate(mn.reviewDueOn.required, mn.reviewDueOn.invalid).safeParse(dateFromParts(body, 'reviewDueOn'))

/**
 * Acknowledging a notice from the notice itself. When no review date is set yet the reviewer says whether
 * one is needed, and by when.
 */
export function parseAcknowledgeForm(
  body: Body,
  askReview: boolean,
): Parsed<{ review?: { version: number; reviewDueOn: IsoDate } }> {
  if (!askReview) return { ok: true, value: {} }
  const needed = body.reviewNeeded
  if (needed !== 'yes' && needed !== 'no')
    return { ok: false, errors: [{ field: 'reviewNeeded', message: mn.reviewNeeded.required }] }
  // The date is always on the page: one typed beside "No" is a contradiction to ask about, not to drop.
  if (needed === 'no')
    return dateFromParts(body, 'reviewDueOn') === ''
      ? { ok: true, value: {} }
      : { ok: false, errors: [{ field: 'reviewDueOn', message: mn.reviewDueOn.notNeeded }] }
  const version = versionField.safeParse(body.version)
  if (!version.success) return { ok: false, errors: [{ field: 'reviewDueOn', message: mn.version.required }] }
  const due = reviewDate(body)
  if (!due.success) return { ok: false, errors: [{ field: 'reviewDueOn', message: due.error.issues[0]!.message }] }
  return { ok: true, value: { review: { version: version.data, reviewDueOn: asIso(due.data) } } }
}

export function parseReviewForm(body: Body): Parsed<{ version: number; reviewDueOn: IsoDate }> {
  const version = versionField.safeParse(body.version)
  const due = reviewDate(body)
  if (!due.success) return { ok: false, errors: [{ field: 'reviewDueOn', message: due.error.issues[0]!.message }] }
  if (!version.success) return { ok: false, errors: [{ field: 'reviewDueOn', message: mn.version.required }] }
  return { ok: true, value: { version: version.data, reviewDueOn: asIso(due.data) } }
}

export function parseReviewHeldForm(body: Body): Parsed<{ version: number; heldOn: IsoDate }> {
  const parsed = parseWith(
    z.object({ version: versionField, heldOn: requiredIsoDate(mn.heldOn.required, mn.heldOn.invalid) }),
    { ...body, heldOn: dateFromParts(body, 'heldOn') },
  )
  if (!parsed.ok) return parsed
  return { ok: true, value: { version: parsed.value.version, heldOn: asIso(parsed.value.heldOn) } }
}

/** The due list's filters: a reviewer (for their manager) and due or overdue; anything else is ignored. */
export function dueFilters(query: Record<string, unknown>): { reviewerId?: number; state?: 'due' | 'overdue' } {
  const n = Number(query.reviewer ?? query.reviewerId)
  const state = (['due', 'overdue'] as const).find(s => s === query.state)
  return {
    ...(Number.isSafeInteger(n) && n > 0 ? { reviewerId: n } : {}),
    ...(state ? { state } : {}),
  }
}
