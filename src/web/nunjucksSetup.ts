import path from 'node:path'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import { renderLayoutParts } from './layoutParts.js'
import { paths } from './paths.js'
import { serviceNavigation } from './serviceNavigation.js'
import { stepNames } from '../text/stepNames.js'

const root = path.resolve(import.meta.dirname, '..', '..')

export function nunjucksSetup(app: Express, globals: Record<string, unknown>): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(import.meta.dirname, 'views'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, express: app, noCache: false },
  )
  app.set('view engine', 'njk')
  env.addGlobal('paths', paths)
  env.addGlobal('stepNames', stepNames)
  for (const [k, v] of Object.entries(globals)) env.addGlobal(k, v)
  env.addGlobal('layoutParts', renderLayoutParts(env, String(globals.authorityName ?? '')))
  env.addGlobal('serviceNavigation', serviceNavigation(env))
  return env
}
