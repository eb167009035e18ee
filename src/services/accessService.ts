import { type ChildScope, childScope, type RoleKey, rolesOf, type Viewer } from '../domain/organisation.js'
import type { Database, Queryable } from '../db/database.js'
import type { Clock } from '../clock.js'
import { findSignedInPerson, type Person, type SignedInPerson } from '../db/repositories/personRepository.js'
import { touchToken } from '../db/repositories/tokenRepository.js'
import { AccessCache } from './accessCache.js'
import { hashToken } from './authService.js'

/** Who is asking: the person, every role they hold, and which children they may see. */
export interface CurrentUser {
  person: Person
  viewer: Viewer
  roles: RoleKey[]
  scope: ChildScope
  /** A browser session must have signed in at this generation to be theirs (setUpCurrentUser). */
  sessionGeneration: number
}

export function isAdmin(user: CurrentUser): boolean {
  return user.roles.includes('admin')
}

/** A token's last use is written at most this often, so API calls are not each a write. */
const TOKEN_TOUCH_MS = 60_000

/** The channel migration 0016's triggers notify when people, units or API tokens change. */
export const ACCESS_CHANGED_CHANNEL = 'concord_access_changed'

/** What the cache keeps for a token: the user, and when the token's use was last written. */
interface TokenEntry {
  user: CurrentUser
  lastUsedAt: Date | null
}

/** Cached users are shared by every request: frozen, so no request can change another's. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

export function accessService(
  db: Database | Queryable,
  clock: Clock,
  cache = new AccessCache<CurrentUser | TokenEntry>(),
) {
  const toUser = (found: SignedInPerson): CurrentUser => {
    const viewer: Viewer = { personId: found.person.id, roles: found.person.roles, managedUnits: found.managedUnits }
    return deepFreeze({
      person: found.person,
      viewer,
      roles: rolesOf(viewer),
      scope: childScope(viewer),
      sessionGeneration: found.sessionGeneration,
    })
  }
  return {
    /** Undefined when the person does not exist or has been made inactive. */
    async currentUser(personId: number): Promise<CurrentUser | undefined> {
      const key = `person:${personId}`
      const cached = cache.get(key) as CurrentUser | undefined
      if (cached) return cached
      const readAt = cache.beginRead()
      const found = await findSignedInPerson(db, { personId })
      if (!found) return undefined
      const user = toUser(found)
      cache.store(key, user, readAt)
      return user
    },

    /** The person a personal API token belongs to: undefined if unknown, revoked or the person is inactive. */
    async userForToken(token: string): Promise<CurrentUser | undefined> {
      const tokenHash = hashToken(token)
      const key = `token:${tokenHash}`
      let entry = cache.get(key) as TokenEntry | undefined
      if (!entry) {
        const readAt = cache.beginRead()
        const found = await findSignedInPerson(db, { tokenHash })
        if (!found) return undefined
        entry = { user: toUser(found), lastUsedAt: found.tokenLastUsedAt }
        cache.store(key, entry, readAt)
      }
      const now = clock.now()
      if (!entry.lastUsedAt || now.getTime() - entry.lastUsedAt.getTime() >= TOKEN_TOUCH_MS) {
        entry.lastUsedAt = now
        await touchToken(db, tokenHash, now)
      }
      return entry.user
    },

    /**
     * Remembers users between requests for as long as this instance hears of every change (ADR
     * 0021); without a database that can listen, nothing is remembered. `log` hears when this
     * instance starts and stops hearing of changes (and so caching). Returns the way to stop.
     */
    async followChanges(log?: {
      info(message: string): void
      warn(fields: object, message: string): void
    }): Promise<() => Promise<void>> {
      const database = db as Partial<Database>
      if (!database.listen) return async () => undefined
      return database.listen(ACCESS_CHANGED_CHANNEL, {
        onNotify: () => cache.invalidate(),
        onListening: () => {
          cache.setListening(true)
          log?.info('following changes to people, units and tokens: who is signed in is remembered')
        },
        onLost: reason => {
          cache.setListening(false)
          if (reason !== 'stopped')
            log?.warn({ reason }, 'not following changes to people, units and tokens: nothing is remembered')
        },
      })
    },
  }
}
