import { type ChildScope, childScope, type RoleKey, rolesOf, type Viewer } from '../domain/organisation.js'
import type { Queryable } from '../db/database.js'
import type { Clock } from '../clock.js'
import { findSignedInPerson, type Person, type SignedInPerson } from '../db/repositories/personRepository.js'
import { touchToken } from '../db/repositories/tokenRepository.js'
import { hashToken } from './authService.js'

/** Who is asking: the person, every role they hold, and which children they may see. */
export interface CurrentUser {
  person: Person
  viewer: Viewer
  roles: RoleKey[]
  scope: ChildScope
}

export function isAdmin(user: CurrentUser): boolean {
  return user.roles.includes('admin')
}

/** A token's last use is written at most this often, so API calls are not each a write. */
const TOKEN_TOUCH_MS = 60_000

export function accessService(db: Queryable, clock: Clock) {
  const toUser = (found: SignedInPerson): CurrentUser => {
    const viewer: Viewer = { personId: found.person.id, roles: found.person.roles, managedUnits: found.managedUnits }
    return { person: found.person, viewer, roles: rolesOf(viewer), scope: childScope(viewer) }
  }
  return {
    /** Undefined when the person does not exist or has been made inactive. */
    async currentUser(personId: number): Promise<CurrentUser | undefined> {
      const found = await findSignedInPerson(db, { personId })
      return found && toUser(found)
    },

    /** The person a personal API token belongs to: undefined if unknown, revoked or the person is inactive. */
    async userForToken(token: string): Promise<CurrentUser | undefined> {
      const tokenHash = hashToken(token)
      const found = await findSignedInPerson(db, { tokenHash })
      if (!found) return undefined
      const now = clock.now()
      if (!found.tokenLastUsedAt || now.getTime() - found.tokenLastUsedAt.getTime() >= TOKEN_TOUCH_MS)
        await touchToken(db, tokenHash, now)
      return toUser(found)
    },
  }
}
