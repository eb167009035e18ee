import type { FieldError } from '../../services/errors.js'
import { dateParts } from '../forms/validation.js'

/**
 * The GOV.UK error summary list and a message per field, from the errors a form or service returned.
 * A date's error links to its first part left empty, when some were filled, or else to its day input
 * (GOV.UK's date input pattern): a date field is one whose `-day` part was submitted.
 */
export function errorView(errors: FieldError[], submitted?: Record<string, unknown>) {
  const target = (field: string) => {
    if (!submitted || !Object.hasOwn(submitted, `${field}-day`)) return field
    const empty = (part: string) => String(submitted[`${field}-${part}`] ?? '').trim() === ''
    const firstEmpty = dateParts.every(empty) ? undefined : dateParts.find(empty)
    return `${field}-${firstEmpty ?? 'day'}`
  }
  return {
    list: errors.map(e => ({ text: e.message, href: `#${target(e.field)}` })),
    messages: Object.fromEntries(errors.map(e => [e.field, { text: e.message }])) as Record<string, { text: string }>,
  }
}
