import { type ChildScope, childScope, type RoleKey, rolesOf, type Viewer } from '../domain/organisation.js'
import type { Queryable } from '../db/database.js'
import { findPerson, type Person } from '../db/repositories/personRepository.js'
import { unitsManagedBy } from '../db/repositories/unitRepository.js'

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

export function accessService(db: Queryable) {
  return {
    /** Undefined when the person does not exist or has been made inactive. */
    async currentUser(personId: number): Promise<CurrentUser | undefined> {
      const person = await findPerson(db, personId)
      if (!person || !person.active) return undefined
      const viewer: Viewer = { personId, roles: person.roles, managedUnits: await unitsManagedBy(db, personId) }
      return { person, viewer, roles: rolesOf(viewer), scope: childScope(viewer) }
    },
  }
}
