import { readFileSync } from 'node:fs'
import path from 'node:path'
import { type RequestHandler, Router } from 'express'

const root = path.resolve(import.meta.dirname, '..', '..')

/** GOV.UK Frontend's and MOJ Frontend's compiled stylesheets, as served under /assets. */
const STYLESHEETS = {
  '/assets/govuk/govuk-frontend.min.css': 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css',
  '/assets/moj/moj-frontend.min.css': 'node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css',
}

/**
 * A compiled stylesheet without GDS Transport, the typeface GOV.UK keeps for services on GOV.UK
 * (ADR 0026): its @font-face rules go, and every font stack falls back to Arial as GOV.UK Frontend's
 * own `$govuk-font-family` setting would make it. Throws if the typeface is still named afterwards,
 * so an upgrade that writes it differently fails when the service starts, not silently.
 */
export function withoutGovukTypeface(css: string): string {
  const out = css
    .replace(/@font-face\s*\{[^}]*font-family:\s*["']?GDS Transport["']?;[^}]*\}/g, '')
    .replace(/["']?GDS Transport["']?\s*,\s*/g, '')
  if (/GDS Transport/.test(out)) throw new Error('a stylesheet still names GDS Transport')
  return out
}

/**
 * GOV.UK's and the Ministry of Justice's own marks in the packages' assets (the crown and crest, the
 * GOV.UK icons and manifest, GDS Transport): nothing of Concord's uses them, so none is served.
 */
export const BRAND_ASSET =
  /^\/assets\/(?:govuk\/assets\/)?(?:fonts\/|rebrand\/|manifest\.json$|images\/(?:govuk-|favicon|moj-))/

/** Serves the two stylesheets, rewritten once when the service starts, ahead of the static assets. */
export function stylesheets(maxAgeSeconds: number): RequestHandler {
  const router = Router()
  for (const [url, file] of Object.entries(STYLESHEETS)) {
    const css = withoutGovukTypeface(readFileSync(path.join(root, file), 'utf8'))
    router.get(url, (_req, res) => {
      res.type('text/css').set('Cache-Control', `public, max-age=${maxAgeSeconds}`).send(css)
    })
  }
  return router
}
