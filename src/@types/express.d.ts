import type { CurrentUser } from '../services/accessService.js'

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser
  }
}

declare module 'express-session' {
  interface SessionData {
    personId?: number
    flash?: string
    /** The page someone asked for before signing in, to go to once they have. */
    returnTo?: string
    /** Between leaving for the identity provider and coming back (see oidcRoutes). */
    oidcPending?: import('../services/oidcService.js').PendingSignIn
    oidcSignedIn?: boolean
    oidcIdToken?: string
  }
}

export {}
