import type { Clock } from '../clock.js'
import {
  allowedParentKinds,
  ancestry,
  type PersonRole,
  type RoleKey,
  responsiblePerson,
  chainRoles,
  type Unit,
  type UnitKind,
} from '../domain/organisation.js'
import type { Database } from '../db/database.js'
import { appendEvent, eventsForEntity } from '../db/repositories/eventRepository.js'
import {
  emailTaken,
  findPerson,
  insertPerson,
  listPeople,
  type Person,
  type PeopleQuery,
  peopleByIds,
  staffIdTaken,
  updatePerson,
} from '../db/repositories/personRepository.js'
import {
  allUnits,
  findUnit,
  insertUnit,
  type OrgUnit,
  unitNameTaken,
  unitsManagedBy,
  updateUnit,
} from '../db/repositories/unitRepository.js'
import { setPassword } from '../db/repositories/accountRepository.js'
import { signOutEverywhere } from '../db/repositories/sessionRepository.js'
import type { Child } from '../db/repositories/childRepository.js'
import { errorMessages } from '../i18n/errorMessages.js'
import type { CurrentUser } from './accessService.js'
import { ConflictError, type FieldError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import type { PasswordHasher } from './passwords.js'

/** A unit as an administrator enters it. */
export interface UnitValue {
  name: string
  kind: UnitKind
  parentId: number | null
  managerId: number | null
}

/** A person as an administrator enters them; a password only when one is being set. */
export interface PersonValue {
  givenName: string
  familyName: string
  email: string
  staffId: string | null
  unitId: number | null
  roles: PersonRole[]
  active: boolean
  password?: string | undefined
}

function requireAdmin(user: CurrentUser): void {
  if (!user.roles.includes('admin')) throw new ForbiddenError('Only an administrator can change the organisation')
}

const toDomainUnit = (u: OrgUnit): Unit => ({ id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId })

export function organisationService(db: Database, clock: Clock, passwords: PasswordHasher) {
  async function unitMap(): Promise<Map<number, Unit>> {
    return new Map((await allUnits(db)).map(u => [u.id, toDomainUnit(u)]))
  }

  async function checkUnit(value: UnitValue, id?: number): Promise<FieldError[]> {
    const errors: FieldError[] = []
    const m = errorMessages.unit
    if (await unitNameTaken(db, value.name, id)) errors.push({ field: 'name', message: m.name.taken })
    const allowed = allowedParentKinds[value.kind]
    if (value.parentId === null) {
      if (allowed.length > 0) errors.push({ field: 'parentId', message: m.parentId.required })
    } else {
      const units = await unitMap()
      const parent = units.get(value.parentId)
      if (allowed.length === 0) errors.push({ field: 'parentId', message: m.parentId.notAllowed })
      else if (!parent || !allowed.includes(parent.kind))
        errors.push({ field: 'parentId', message: m.parentId.wrongKind })
      else if (id !== undefined && ancestry(units, parent.id).some(u => u.id === id))
        errors.push({ field: 'parentId', message: m.parentId.cycle })
    }
    if (value.managerId !== null && !(await findPerson(db, value.managerId)))
      errors.push({ field: 'managerId', message: m.managerId.unknown })
    return errors
  }

  async function checkPerson(value: PersonValue, id?: number): Promise<FieldError[]> {
    const errors: FieldError[] = []
    const m = errorMessages.person
    if (await emailTaken(db, value.email, id)) errors.push({ field: 'email', message: m.email.taken })
    if (value.staffId && (await staffIdTaken(db, value.staffId, id)))
      errors.push({ field: 'staffId', message: m.staffId.taken })
    if (value.unitId !== null && !(await findUnit(db, value.unitId)))
      errors.push({ field: 'unitId', message: m.unitId.unknown })
    return errors
  }

  return {
    units: () => allUnits(db),

    async unit(id: number): Promise<OrgUnit> {
      const unit = await findUnit(db, id)
      if (!unit) throw new NotFoundError()
      return unit
    },

    /** The chain above a unit, nearest first, with the title of each manager's role. */
    async chainAbove(unitId: number): Promise<OrgUnit[]> {
      const units = await allUnits(db)
      const byId = new Map(units.map(u => [u.id, u]))
      return ancestry(new Map(units.map(u => [u.id, toDomainUnit(u)])), unitId).map(u => byId.get(u.id)!)
    },

    async createUnit(user: CurrentUser, value: UnitValue): Promise<number> {
      requireAdmin(user)
      const errors = await checkUnit(value)
      if (errors.length) throw new ValidationError(errors)
      return db.transaction(async tx => {
        const at = clock.now()
        const id = await insertUnit(tx, value, at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'unit',
          entityId: id,
          kind: 'unit.created',
          data: { ...value },
        })
        return id
      })
    },

    async updateUnit(user: CurrentUser, id: number, version: number, value: UnitValue): Promise<void> {
      requireAdmin(user)
      const before = await findUnit(db, id)
      if (!before) throw new NotFoundError()
      const errors = await checkUnit(value, id)
      if (errors.length) throw new ValidationError(errors)
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await updateUnit(tx, id, version, value, at))) throw new ConflictError()
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'unit',
          entityId: id,
          kind: 'unit.updated',
          data: {
            before: { name: before.name, kind: before.kind, parentId: before.parentId, managerId: before.managerId },
            after: value,
          },
        })
      })
    },

    people: (q: PeopleQuery) => listPeople(db, q),
    peopleByIds: (ids: number[]) => peopleByIds(db, ids),

    async person(id: number): Promise<Person & { managedUnits: { id: number; kind: UnitKind }[] }> {
      const person = await findPerson(db, id)
      if (!person) throw new NotFoundError()
      return { ...person, managedUnits: await unitsManagedBy(db, id) }
    },

    async createPerson(user: CurrentUser, value: PersonValue): Promise<number> {
      requireAdmin(user)
      const errors = await checkPerson(value)
      if (errors.length) throw new ValidationError(errors)
      const hash = value.password ? await passwords.hash(value.password) : undefined
      return db.transaction(async tx => {
        const at = clock.now()
        const id = await insertPerson(tx, value, at)
        if (hash) await setPassword(tx, id, hash, at)
        const { password: _password, ...recorded } = value
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'person',
          entityId: id,
          kind: 'person.created',
          data: recorded,
        })
        return id
      })
    },

    async updatePerson(user: CurrentUser, id: number, version: number, value: PersonValue): Promise<void> {
      requireAdmin(user)
      const before = await findPerson(db, id)
      if (!before) throw new NotFoundError()
      const errors = await checkPerson(value, id)
      if (errors.length) throw new ValidationError(errors)
      const hash = value.password ? await passwords.hash(value.password) : undefined
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await updatePerson(tx, id, version, value, at))) throw new ConflictError()
        if (hash) await setPassword(tx, id, hash, at)
        // A new password (often because the old one was known to someone else) or a deactivation signs
        // the person out of every browser; their API tokens are theirs to revoke.
        if (hash || (before.active && !value.active)) await signOutEverywhere(tx, id)
        const { password: _password, ...after } = value
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'person',
          entityId: id,
          kind: 'person.updated',
          data: {
            before: {
              givenName: before.givenName,
              familyName: before.familyName,
              email: before.email,
              unitId: before.unitId,
              roles: before.roles,
              active: before.active,
            },
            after,
            passwordChanged: hash !== undefined,
          },
        })
      })
    },

    /** The responsible person for every role on a child's chain (null where the post is vacant). */
    async chainForChild(child: Child): Promise<{ role: RoleKey; personId: number | null }[]> {
      const units = await unitMap()
      const reviewerId = child.iroId ?? child.cpChairId
      const reviewer = reviewerId === null ? undefined : await findPerson(db, reviewerId)
      return chainRoles.map(role => ({
        role,
        personId: responsiblePerson(role, child, units, { reviewerUnitId: reviewer?.unitId ?? null }),
      }))
    },

    history: (entityType: 'unit' | 'person', id: number) => eventsForEntity(db, entityType, id),
  }
}
