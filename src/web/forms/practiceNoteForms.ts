import { z } from 'zod'
import { concernRoutes, formalRoutes } from '../../db/repositories/practiceNoteRepository.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import type { FieldError } from '../../services/errors.js'
import {
  type ConcernValue,
  type NoteSubject,
  noteSubjects,
  type ReciprocalValue,
  type ResolutionValue,
} from '../../services/practiceNoteService.js'
import { optionalText, type Parsed, parseWith, requiredText } from './validation.js'

const m = errorMessages.notes

type Body = Record<string, unknown>

/** A choice from radios: missing or empty is `required`. */
const choice = (required: string) => z.string({ error: required }).trim().min(1, { error: required })

const versionField = z.coerce
  .number({ error: m.version.required })
  .int({ error: m.version.required })
  .positive({ error: m.version.required })

/** Checkboxes post nothing, one value, or several. */
function idList(raw: unknown): number[] | undefined {
  const values = raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw]
  const ids = values.map(v => Number(v))
  if (ids.some(n => !Number.isSafeInteger(n) || n <= 0)) return undefined
  return [...new Set(ids)]
}

// ---- The web forms -------------------------------------------------------------------------------------

const noteSchema = z.object({
  about: z.enum(noteSubjects, { error: m.about.required }),
  categoryKey: choice(m.categoryKey.required),
  goodPractice: requiredText(5000, m.goodPractice),
  impact: requiredText(5000, m.impact),
})

export interface NoteFormValue {
  about: NoteSubject
  categoryKey: string
  goodPractice: string
  impact: string
  /** The child's siblings to write for as well (one linked note each). */
  siblingIds: number[]
}

/** A reviewer's good practice note, written from the child's page. */
export function parseNoteForm(body: Body): Parsed<NoteFormValue> {
  const parsed = parseWith(noteSchema, body)
  const siblingIds = idList(body.siblingIds)
  const more: FieldError[] = siblingIds === undefined ? [{ field: 'siblingIds', message: m.siblingIds.unknown }] : []
  if (!parsed.ok) return { ok: false, errors: [...parsed.errors, ...more] }
  if (more.length) return { ok: false, errors: more }
  return { ok: true, value: { ...parsed.value, siblingIds: siblingIds ?? [] } }
}

const reciprocalSchema = z.object({
  categoryKey: choice(m.categoryKey.required),
  goodPractice: requiredText(5000, m.goodPractice),
  impact: requiredText(5000, m.benefit),
})

/** A practitioner's good practice note about a reviewer (the reviewer comes from the page's address). */
export function parseReciprocalForm(body: Body): Parsed<Omit<ReciprocalValue, 'reviewerId'>> {
  return parseWith(reciprocalSchema, body)
}

const concernSchema = z.object({
  route: z.enum(concernRoutes, { error: m.route.required }),
  concern: requiredText(5000, m.concern),
  caseId: optionalText(40, m.caseId.tooLong),
})

/** A concern about a reviewer's practice (the reviewer comes from the page's address). */
export function parseConcernForm(body: Body): Parsed<Omit<ConcernValue, 'reviewerId'>> {
  return parseWith(concernSchema, body)
}

const resolutionSchema = z.object({
  version: versionField,
  outcome: requiredText(5000, m.outcome),
  resolved: z.enum(['yes', 'no'], { error: m.resolved.required }),
  formalRoute: z.enum(formalRoutes, { error: m.formalRoute.required }).optional(),
})

/** The manager's record of the informal resolution: a formal route only when it was not resolved. */
export function parseResolutionForm(body: Body): Parsed<ResolutionValue & { version: number }> {
  const resolved = body.resolved === 'yes'
  const input = { ...body, formalRoute: resolved || body.formalRoute === '' ? undefined : body.formalRoute }
  const parsed = parseWith(resolutionSchema, input)
  if (!parsed.ok) return parsed
  const v = parsed.value
  if (v.resolved === 'no' && !v.formalRoute)
    return { ok: false, errors: [{ field: 'formalRoute', message: m.formalRoute.required }] }
  return {
    ok: true,
    value: {
      version: v.version,
      outcome: v.outcome,
      resolved: v.resolved === 'yes',
      formalRoute: v.resolved === 'yes' ? null : (v.formalRoute ?? null),
    },
  }
}

// ---- The JSON bodies of the API: the same catalogue messages --------------------------------------------

const text = (max: number, messages: { required: string; tooLong: string }) =>
  z
    .string({ error: messages.required })
    .trim()
    .min(1, { error: messages.required })
    .max(max, { error: messages.tooLong })
const reviewerId = z
  .number({ error: m.reviewerId.required })
  .int({ error: m.reviewerId.required })
  .positive({ error: m.reviewerId.required })

export const noteApiSchema = z.object({
  childIds: z
    .array(z.number().int().positive(), { error: m.childIds.required })
    .min(1, { error: m.childIds.required })
    .max(10),
  about: z.enum(noteSubjects, { error: m.about.required }).default('social_worker'),
  categoryKey: choice(m.categoryKey.required),
  goodPractice: text(5000, m.goodPractice),
  impact: text(5000, m.impact),
})

export const reciprocalApiSchema = z.object({
  reviewerId,
  categoryKey: choice(m.categoryKey.required),
  goodPractice: text(5000, m.goodPractice),
  impact: text(5000, m.benefit),
})

export const concernApiSchema = z.object({
  reviewerId,
  route: z.enum(concernRoutes, { error: m.route.required }),
  concern: text(5000, m.concern),
  caseId: z
    .string()
    .trim()
    .max(40, { error: m.caseId.tooLong })
    .nullable()
    .optional()
    .transform(v => (v ? v : null)),
})

export const resolutionApiSchema = z.object({
  version: z.number({ error: m.version.required }).int().positive({ error: m.version.required }),
  outcome: text(5000, m.outcome),
  resolved: z.boolean({ error: m.resolved.required }),
  formalRoute: z.enum(formalRoutes, { error: m.formalRoute.required }).nullable().default(null),
})
