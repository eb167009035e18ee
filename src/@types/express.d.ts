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
  }
}

export {}
