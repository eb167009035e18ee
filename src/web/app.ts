import path from 'node:path'
import express, { type NextFunction, type Request, type Response } from 'express'
import { apiRoutes } from '../api/apiRoutes.js'
import type { Logger } from '../logger.js'
import type { Services } from '../services/index.js'
import { errorHandler } from './errorHandler.js'
import { requestLogging } from './middleware/requestLogging.js'
import { setUpCsrf } from './middleware/setUpCsrf.js'
import { endLongSessions, requireSignIn, setUpCurrentUser } from './middleware/setUpCurrentUser.js'
import { setUpSession } from './middleware/setUpSession.js'
import { setUpWebSecurity } from './middleware/setUpWebSecurity.js'
import { bodyWithoutNul, queryWithoutNul } from './middleware/withoutNulCharacters.js'
import { nunjucksSetup } from './nunjucksSetup.js'
import { BRAND_ASSET, stylesheets } from './stylesheets.js'
import { paths } from './paths.js'
import { dateExample } from '../text/format.js'
import { authRoutes } from './routes/authRoutes.js'
import { calendarRoutes } from './routes/calendarRoutes.js'
import { childRoutes } from './routes/childRoutes.js'
import { disputeRoutes } from './routes/disputeRoutes.js'
import { disputePdfRoutes } from './routes/disputePdfRoutes.js'
import { oidcRoutes } from './routes/oidcRoutes.js'
import { healthRoutes } from './routes/healthRoutes.js'
import { peopleRoutes } from './routes/peopleRoutes.js'
import { policyRoutes } from './routes/policyRoutes.js'
import { practiceNoteRoutes } from './routes/practiceNoteRoutes.js'
import { teamRoutes } from './routes/teamRoutes.js'
import { qualityRoutes } from './routes/qualityRoutes.js'
import { reportRoutes } from './routes/reportRoutes.js'
import { workRoutes } from './routes/workRoutes.js'
import { importUpload } from './middleware/importUpload.js'
import { importRoutes } from './routes/importRoutes.js'
import { dataProtectionRoutes } from './routes/dataProtectionRoutes.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const BODY_LIMIT = '100kb'

/** `sessionSecret` signs the session cookie: SESSION_SECRET, or one kept in the database (server.ts). */
export function createApp(services: Services, logger: Logger, sessionSecret: string) {
  const app = express()
  app.disable('x-powered-by')
  // Every page and API answer is about children and is no-store (below), so an ETag could never be used.
  app.disable('etag')
  if (services.config.trustProxy) app.set('trust proxy', 1)
  app.set('query parser', queryWithoutNul)
  nunjucksSetup(app, {
    serviceName: 'Concord',
    authorityName: services.config.authorityName,
    // A date hint's example, `days` from today by the service's clock.
    dateExample: (days: number) => dateExample(services.calendar.today(), days),
  })

  app.use(requestLogging(logger))
  app.use(
    setUpWebSecurity({
      secure: services.config.secureCookies,
      formActionOrigins: services.config.oidc ? [new URL(services.config.oidc.issuer).origin] : [],
    }),
  )
  const assets = (dir: string) =>
    express.static(path.join(root, dir), { maxAge: services.config.production ? '1d' : 0, index: false })
  // Our icon, and the stylesheets without GOV.UK's own typeface (ADR 0026), before the packages' files.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/app/favicon.svg'))
  app.use(stylesheets(services.config.production ? 86_400 : 0))
  app.use((req, res, next) => (BRAND_ASSET.test(req.path) ? res.status(404).end() : next()))
  app.use('/assets', assets('node_modules/govuk-frontend/dist/govuk/assets'))
  app.use('/assets', assets('node_modules/@ministryofjustice/frontend/moj/assets'))
  app.use('/assets/govuk', assets('node_modules/govuk-frontend/dist/govuk'))
  app.use('/assets/moj', assets('node_modules/@ministryofjustice/frontend/moj'))
  app.use('/assets/app', express.static(path.join(import.meta.dirname, 'assets'), { index: false }))

  // Children's records must not stay in a browser's or a proxy's cache (a shared computer, the back
  // button after signing out). Assets above keep their own caching.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store')
    next()
  })
  app.use(healthRoutes(services))
  app.use('/api', apiRoutes(services, logger))

  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }))
  app.use(bodyWithoutNul)
  app.use(setUpSession(services, sessionSecret))
  app.use(endLongSessions(services))
  app.use(importUpload(services))
  app.use(setUpCsrf())
  app.use(setUpCurrentUser(services))
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.currentPath = req.path
    if (req.session.flash) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    next()
  })
  app.use(oidcRoutes(services))
  app.use(authRoutes(services))
  app.use(requireSignIn)
  // The header's "My work" badge: one indexed count per page; My work itself shows its own total.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.user && !(req.method === 'GET' && req.path === paths.work.index()))
      res.locals.workCount = await services.work.count(req.user)
    next()
  })
  app.use(reportRoutes(services))
  // Everyone starts at what awaits them.
  app.get(paths.home(), (_req, res) => res.redirect(303, paths.work.index()))
  app.use(workRoutes(services))
  app.use(practiceNoteRoutes(services))
  app.use(qualityRoutes(services))
  app.use(childRoutes(services))
  app.use(disputeRoutes(services))
  app.use(disputePdfRoutes(services))
  app.use(policyRoutes(services))
  app.use(calendarRoutes(services))
  app.use(peopleRoutes(services))
  app.use(teamRoutes(services))
  app.use(importRoutes(services))
  app.use(dataProtectionRoutes(services))
  app.use((_req, res) => res.status(404).render('pages/notFound'))
  app.use(errorHandler(logger, services.config.production))
  return app
}
