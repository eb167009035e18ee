import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { withoutGovukTypeface } from './stylesheets.js'

describe('the stylesheets without GOV.UK’s typeface', () => {
  it('drops its @font-face rules and falls back to Arial in every font stack, quoted or not', () => {
    const css =
      '@font-face{font-family:GDS Transport;font-weight:400;src:url(/assets/fonts/light.woff2)}' +
      '.govuk-body{font-family:GDS Transport,arial,sans-serif}' +
      ".x{font-family: 'GDS Transport', arial, sans-serif}"
    expect(withoutGovukTypeface(css)).toBe(
      '.govuk-body{font-family:arial,sans-serif}.x{font-family: arial, sans-serif}',
    )
  })

  it('rewrites the stylesheets GOV.UK Frontend and MOJ Frontend ship, keeping everything else', () => {
    for (const file of [
      'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css',
      'node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css',
    ]) {
      const css = readFileSync(file, 'utf8')
      const out = withoutGovukTypeface(css)
      expect(out).not.toMatch(/GDS Transport|\/assets\/fonts\//)
      expect(out).toContain('font-family:arial,sans-serif')
      expect(out.length).toBeGreaterThan(css.length * 0.9)
    }
  })

  it('refuses a stylesheet that still names the typeface some other way', () => {
    expect(() => withoutGovukTypeface('.a{font-family:"GDS Transport"}')).toThrow('GDS Transport')
  })
})
