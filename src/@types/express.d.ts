import type { CurrentUser } from '../services/accessService.js'

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser
  }
}

declare module 'express-session' {
  interface SessionData {
    personId?: number
    /** The person's session generation when they signed in; missing (older sessions) counts as 0. */
    sessionGeneration?: number
    /** When they signed in (milliseconds since 1970): the session ends CONCORD_SESSION_MAX_HOURS after. */
    signedInAt?: number
    flash?: string
    /** Why someone was signed out without asking, shown once on the sign-in page. */
    signedOutNotice?: string
    /** The page someone asked for before signing in, to go to once they have. */
    returnTo?: string
    /** The list the record last opened from a list was opened from, for its back link after a step. */
    recordBack?: { id: number; back: { href: string; text: string } }
    /** What was typed on the raise form before "Change policy", for the form under the new policy. */
    raiseDraft?: { childId: number; values: Record<string, string | string[]> }
    /** Between leaving for the identity provider and coming back (see oidcRoutes). */
    oidcPending?: import('../services/oidcService.js').PendingSignIn
    oidcSignedIn?: boolean
    oidcIdToken?: string
  }
}

export {}
