import { z } from 'zod'
import { errorMessages } from '../../i18n/errorMessages.js'
import {
  dateFromParts,
  optionalId,
  optionalIsoDate,
  optionalText,
  type Parsed,
  parseWith,
  requiredId,
  requiredIsoDate,
  requiredText,
} from './validation.js'

const m = errorMessages.child

/** The shape shared by the form and the JSON API: ids as numbers, dates as ISO strings. */
export const childSchema = z.object({
  caseId: requiredText(40, m.caseId).regex(/^[A-Za-z0-9-]+$/, { error: m.caseId.format }),
  givenName: requiredText(100, m.givenName),
  familyName: requiredText(100, m.familyName),
  dateOfBirth: requiredIsoDate(m.dateOfBirth.required, m.dateOfBirth.invalid),
  teamId: requiredId(m.teamId.required, m.teamId.unknown),
  socialWorkerId: optionalId(m.socialWorkerId.unknown),
  iroId: optionalId(m.iroId.unknown),
  cpChairId: optionalId(m.cpChairId.unknown),
  cpPlanStart: optionalIsoDate(m.cpPlanStart.invalid),
  lookedAfterStart: optionalIsoDate(m.lookedAfterStart.invalid),
  siblingCaseId: optionalText(40, m.caseId.tooLong),
})

export type ChildFormValue = z.infer<typeof childSchema>

export const childUpdateSchema = childSchema.extend({
  version: z.coerce
    .number({ error: m.version.required })
    .int({ error: m.version.required })
    .positive({ error: m.version.required }),
})

const dateFields = ['dateOfBirth', 'cpPlanStart', 'lookedAfterStart'] as const

/** The HTML form posts GOV.UK date inputs as three fields each. */
export function childFormInput(body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...body }
  for (const f of dateFields) input[f] = dateFromParts(body, f)
  return input
}

export const parseChildForm = (body: Record<string, unknown>): Parsed<ChildFormValue> =>
  parseWith(childSchema, childFormInput(body))
export const parseChildUpdateForm = (body: Record<string, unknown>) =>
  parseWith(childUpdateSchema, childFormInput(body))
