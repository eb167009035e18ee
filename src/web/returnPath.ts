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
