import type { NextFunction, Request, Response } from 'express'
import type { Session, SessionData } from 'express-session'
import { paths } from './paths.js'

const LONGEST = 500

/**
 * The page to come back to after signing in, from the address someone asked for before: only a path
 * on this service (never "//host" or "/\host", which browsers read as another site), not the sign-in
 * or sign-out pages themselves, and not absurdly long. Anything else means My work.
 */
export function returnPath(asked: unknown): string | undefined {
  if (typeof asked !== 'string' || asked.length > LONGEST) return undefined
  if (!asked.startsWith('/') || asked.startsWith('//')) return undefined
  if (asked.includes('\\') || Array.from(asked).some(c => c < ' ')) return undefined
  const path = asked.split('?')[0]!
  if (path === paths.signIn() || path === paths.signOut() || path.startsWith('/sign-in/')) return undefined
  return asked
}

/**
 * Starts a signed-in session, by either way of signing in: a new session id, so a session fixed before
 * sign-in is worthless; who signed in, at which session generation (read with the credentials they
 * signed in with); `fill` writes what else that way of signing in keeps; then the page first asked
 * for, or My work.
 */
export function signInAs(
  req: Request,
  res: Response,
  next: NextFunction,
  at: Date,
  who: { personId: number; sessionGeneration: number },
  fill?: (session: Session & Partial<SessionData>) => void,
): void {
  const back = returnPath(req.session.returnTo) ?? paths.home()
  req.session.regenerate(err => {
    if (err) return next(err)
    req.session.signedInAt = at.getTime()
    req.session.personId = who.personId
    req.session.sessionGeneration = who.sessionGeneration
    fill?.(req.session)
    req.session.save(saveErr => (saveErr ? next(saveErr) : res.redirect(303, back)))
  })
}

/** The lists a record is opened from, and what the back link to each says. */
const LISTS: readonly { path: RegExp; text: string }[] = [
  { path: /^\/disputes$/, text: 'Disputes' },
  { path: /^\/work$/, text: 'My work' },
  { path: /^\/work\/records$/, text: 'My open records' },
  { path: /^\/supervision$/, text: 'Supervision' },
  { path: /^\/unanswered$/, text: 'Unanswered disputes' },
  { path: /^\/children\/\d+$/, text: 'The child’s page' },
]

/**
 * The Referer as a URL when it is a page of this service: its own address (CONCORD_BASE_URL, as a
 * proxy may pass another Host) or the Host asked for. Undefined for anywhere else, or none.
 */
function ownReferer(referer: string | undefined, hosts: readonly (string | undefined)[]): URL | undefined {
  if (!referer) return undefined
  let url: URL
  try {
    url = new URL(referer)
  } catch {
    return undefined
  }
  return hosts.includes(url.host) ? url : undefined
}

/**
 * A back link to the list a record was opened from, filters and page kept, from the Referer our pages
 * send (our referrer policy is same-origin); undefined when it came from anywhere else.
 */
export function backToList(
  referer: string | undefined,
  hosts: readonly (string | undefined)[],
): { href: string; text: string } | undefined {
  const url = ownReferer(referer, hosts)
  if (!url) return undefined
  const href = returnPath(url.pathname + url.search)
  const list = href && LISTS.find(l => l.path.test(url.pathname))
  return list ? { href: href!, text: list.text } : undefined
}

/** Whether the Referer is one of this record's own pages (a step's form, say), on this service. */
export function refersToRecord(
  referer: string | undefined,
  hosts: readonly (string | undefined)[],
  id: number,
): boolean {
  return ownReferer(referer, hosts)?.pathname.startsWith(`/disputes/${id}/`) ?? false
}
