/**
 * Text made safe to write into HTML, as Nunjucks's autoescape does, for the few table cells whose
 * markup (a link, a list) is built in code for GOV.UK's `html` option.
 */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
