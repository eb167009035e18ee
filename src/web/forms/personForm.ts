import { z } from 'zod'
import { personRoles } from '../../domain/organisation.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import { optionalId, optionalText, parseWith, requiredText } from './validation.js'

const m = errorMessages.person

export const personSchema = z.object({
  givenName: requiredText(100, m.givenName),
  familyName: requiredText(100, m.familyName),
  email: requiredText(200, { required: m.email.required, tooLong: m.email.invalid }).pipe(
    z.email({ error: m.email.invalid }),
  ),
  staffId: optionalText(40, m.staffId.tooLong),
  unitId: optionalId(m.unitId.unknown),
  roles: z
    .union([z.enum(personRoles), z.array(z.enum(personRoles))], { error: m.roles.unknown })
    .optional()
    .transform(v => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v])),
  active: z
    .union([z.boolean(), z.literal('true'), z.literal('false')])
    .optional()
    .transform(v => v === undefined || v === true || v === 'true'),
  password: z
    .string()
    .optional()
    .transform(v => (v ? v : undefined))
    .pipe(z.string().min(12, { error: m.password.tooShort }).max(200, { error: m.password.tooLong }).optional()),
})

export type PersonFormValue = z.infer<typeof personSchema>

export const personUpdateSchema = personSchema.extend({
  version: z.coerce.number({ error: errorMessages.child.version.required }).int().positive(),
})

/** Checkboxes post nothing when none is ticked; the HTML form also sends roles as a single string when one is ticked. */
export const parsePersonForm = (body: Record<string, unknown>) => parseWith(personSchema, body)
export const parsePersonUpdateForm = (body: Record<string, unknown>) => parseWith(personUpdateSchema, body)
