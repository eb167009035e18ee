import { z } from 'zod'
import type { FieldError } from '../../services/errors.js'
import { andList } from '../../text/format.js'

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/** Runs a schema and turns its issues into one message per field, first issue first. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, value: result.data }
  const seen = new Set<string>()
  const errors: FieldError[] = []
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form'
    if (seen.has(field)) continue
    seen.add(field)
    errors.push({ field, message: issue.message })
  }
  return { ok: false, errors }
}

/** Trimmed text; empty or missing is `required`. */
export const requiredText = (max: number, messages: { required: string; tooLong: string }) =>
  z
    .string({ error: messages.required })
    .trim()
    .min(1, { error: messages.required })
    .max(max, { error: messages.tooLong })

/** Trimmed text where empty means "none". */
export const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, { error: tooLong })
    .optional()
    .nullable()
    .transform(v => (v ? v : null))

/** An id chosen from a list; "" means none. */
export const optionalId = (message: string) =>
  z
    .union([z.number(), z.string(), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined || v === '') return null
      const n = typeof v === 'number' ? v : Number(v)
      if (!Number.isSafeInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })

export const requiredId = (required: string, invalid: string) =>
  optionalId(invalid)
    .refine((v): v is number => v !== null, { error: required })
    .transform(v => v as number)

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

export function isRealIsoDate(value: string): boolean {
  const m = isoDatePattern.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

export const optionalIsoDate = (invalid: string) =>
  z
    .union([z.string(), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined || v.trim() === '') return null
      if (!isRealIsoDate(v.trim())) {
        ctx.addIssue({ code: 'custom', message: dateProblem(v.trim(), invalid) })
        return z.NEVER
      }
      return v.trim()
    })

export const requiredIsoDate = (required: string, invalid: string) =>
  optionalIsoDate(invalid)
    .refine((v): v is string => v !== null, { error: required })
    .transform(v => v as string)

/** The three inputs of a GOV.UK date, in their order on the page. */
export const dateParts = ['day', 'month', 'year'] as const

/**
 * GOV.UK date inputs post three fields (day, month, year). Turns them into an ISO date, or '' when
 * all are empty, or else what is wrong, for dateProblem to word: 'missing:day,month' when some are
 * empty, 'short-year' for a year of 2 numbers, 'invalid' when they do not make a date.
 */
export function dateFromParts(body: Record<string, unknown>, name: string): string {
  const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim()
  const values = dateParts.map(part)
  const [day, month, year] = values as [string, string, string]
  const missing = dateParts.filter((_, i) => !values[i])
  if (missing.length === dateParts.length) return ''
  if (missing.length > 0) return `missing:${missing.join(',')}`
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) return 'invalid'
  if (year.length !== 4) return 'short-year'
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}

/**
 * GOV.UK's message for a date that is not a real one, from the field's "… must be a real date":
 * "… must include a month" when parts are missing, "… must include a year with 4 numbers" for a short one.
 */
export function dateProblem(value: string, invalid: string): string {
  const subject = /^(.*) must be a real date$/.exec(invalid)?.[1]
  if (!subject) return invalid
  if (value.startsWith('missing:'))
    return `${subject} must include a ${andList(value.slice('missing:'.length).split(','))}`
  if (value === 'short-year') return `${subject} must include a year with 4 numbers`
  return invalid
}
