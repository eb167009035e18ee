import type { FieldError } from '../../services/errors.js'

/** The GOV.UK error summary list and a message per field, from the errors a form or service returned. */
export function errorView(errors: FieldError[]) {
  return {
    list: errors.map(e => ({ text: e.message, href: `#${e.field}` })),
    messages: Object.fromEntries(errors.map(e => [e.field, { text: e.message }])) as Record<string, { text: string }>,
  }
}
