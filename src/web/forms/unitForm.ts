import { z } from 'zod'
import { unitKinds } from '../../domain/organisation.js'
import { errorMessages } from '../../i18n/errorMessages.js'
import { optionalId, parseWith, requiredText } from './validation.js'

const m = errorMessages.unit

export const unitSchema = z.object({
  name: requiredText(120, m.name),
  kind: z.enum(unitKinds, { error: m.kind.required }),
  parentId: optionalId(m.parentId.wrongKind),
  managerId: optionalId(m.managerId.unknown),
})
export type UnitFormValue = z.infer<typeof unitSchema>

export const unitUpdateSchema = unitSchema.extend({
  version: z.coerce.number({ error: errorMessages.child.version.required }).int().positive(),
})

export const parseUnitForm = (body: Record<string, unknown>) => parseWith(unitSchema, body)
export const parseUnitUpdateForm = (body: Record<string, unknown>) => parseWith(unitUpdateSchema, body)
