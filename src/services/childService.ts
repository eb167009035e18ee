import { type Clock, londonDate } from '../clock.js'
import type { Database } from '../db/database.js'
import { accessAuditForChild, recordChildAccess } from '../db/repositories/auditRepository.js'
import {
  type Child,
  type ChildInput,
  type ChildQuery,
  findChildByCaseId,
  findChildForUpdate,
  findVisibleChild,
  insertChild,
  listVisibleChildren,
  openDisputeCounts,
  newSiblingGroup,
  siblingsOf,
  updateChild,
} from '../db/repositories/childRepository.js'
import { appendEvent, eventsForChild } from '../db/repositories/eventRepository.js'
import { findPerson } from '../db/repositories/personRepository.js'
import { findUnit } from '../db/repositories/unitRepository.js'
import type { Queryable } from '../db/database.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { type CurrentUser, isAdmin } from './accessService.js'
import { ConflictError, type FieldError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'

/** A child's details as an administrator enters them (the web form and the API both produce this). */
export interface ChildValue {
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  teamId: number
  socialWorkerId: number | null
  iroId: number | null
  cpChairId: number | null
  cpPlanStart: string | null
  lookedAfterStart: string | null
  siblingCaseId: string | null
}

export interface AccessContext {
  path: string
  ip: string | null
}

const m = errorMessages.child

export function childService(db: Database, clock: Clock) {
  async function checkChild(value: ChildValue, id?: number): Promise<FieldError[]> {
    const errors: FieldError[] = []
    const today = londonDate(clock.now())
    if (value.dateOfBirth > today) errors.push({ field: 'dateOfBirth', message: m.dateOfBirth.future })
    for (const f of ['cpPlanStart', 'lookedAfterStart'] as const) {
      const v = value[f]
      if (v && v < value.dateOfBirth) errors.push({ field: f, message: m[f].beforeBirth })
    }
    const existing = await findChildByCaseId(db, value.caseId)
    if (existing && existing.id !== id) errors.push({ field: 'caseId', message: m.caseId.taken })
    const team = await findUnit(db, value.teamId)
    if (!team || team.kind !== 'team') errors.push({ field: 'teamId', message: m.teamId.unknown })
    const holds = async (personId: number | null, role: 'social_worker' | 'iro' | 'cp_chair') =>
      personId === null || ((await findPerson(db, personId))?.roles.includes(role) ?? false)
    if (!(await holds(value.socialWorkerId, 'social_worker')))
      errors.push({ field: 'socialWorkerId', message: m.socialWorkerId.unknown })
    if (!(await holds(value.iroId, 'iro'))) errors.push({ field: 'iroId', message: m.iroId.unknown })
    else if (value.iroId !== null && !value.lookedAfterStart)
      errors.push({ field: 'iroId', message: m.iroId.needsLookedAfter })
    if (!(await holds(value.cpChairId, 'cp_chair'))) errors.push({ field: 'cpChairId', message: m.cpChairId.unknown })
    else if (value.cpChairId !== null && !value.cpPlanStart)
      errors.push({ field: 'cpChairId', message: m.cpChairId.needsCpPlan })
    if (value.siblingCaseId) {
      const sibling = await findChildByCaseId(db, value.siblingCaseId)
      if (!sibling) errors.push({ field: 'siblingCaseId', message: m.siblingCaseId.unknown })
      else if (sibling.id === id || value.siblingCaseId.toLowerCase() === value.caseId.toLowerCase())
        errors.push({ field: 'siblingCaseId', message: m.siblingCaseId.self })
    }
    return errors
  }

  /** Joins the sibling's group, making one when the sibling has none yet. */
  async function siblingGroupFor(tx: Queryable, value: ChildValue, at: Date, actorId: number): Promise<number | null> {
    if (!value.siblingCaseId) return null
    const sibling = await findChildByCaseId(tx, value.siblingCaseId)
    if (!sibling) throw new ValidationError([{ field: 'siblingCaseId', message: m.siblingCaseId.unknown }])
    if (sibling.siblingGroupId !== null) return sibling.siblingGroupId
    const group = await newSiblingGroup(tx, at)
    await tx.query('update children set sibling_group_id = $2, version = version + 1, updated_at = $3 where id = $1', [
      sibling.id,
      group,
      at,
    ])
    await appendEvent(tx, {
      at,
      actorId,
      entityType: 'child',
      entityId: sibling.id,
      childId: sibling.id,
      kind: 'child.sibling_group_joined',
      data: { group },
    })
    return group
  }

  function toInput(value: ChildValue, siblingGroupId: number | null): ChildInput {
    const { siblingCaseId: _s, ...rest } = value
    return { ...rest, siblingGroupId }
  }

  return {
    /** A page of the children the user may see, each with how many open disputes they have (shown in lists). */
    async list(user: CurrentUser, q: ChildQuery) {
      const { children, total } = await listVisibleChildren(db, user.scope, q)
      const open = await openDisputeCounts(
        db,
        children.map(c => c.id),
      )
      return { children: children.map(c => ({ ...c, openDisputes: open.get(c.id) ?? 0 })), total }
    },

    /** Reading a child's page is itself recorded: who, when, which child, from where. */
    async view(user: CurrentUser, id: number, access: AccessContext): Promise<Child> {
      const child = await findVisibleChild(db, user.scope, id)
      if (!child) throw new NotFoundError()
      await recordChildAccess(db, { at: clock.now(), personId: user.person.id, childId: id, action: 'view', ...access })
      return child
    },

    siblings: (user: CurrentUser, child: Child) => siblingsOf(db, user.scope, child),
    history: (child: Child) => eventsForChild(db, child.id),

    async accessAudit(user: CurrentUser, id: number, limit: number, offset: number) {
      if (!isAdmin(user)) throw new ForbiddenError()
      const child = await findVisibleChild(db, user.scope, id)
      if (!child) throw new NotFoundError()
      return { child, ...(await accessAuditForChild(db, id, limit, offset)) }
    },

    async create(user: CurrentUser, value: ChildValue): Promise<number> {
      if (!isAdmin(user)) throw new ForbiddenError()
      const errors = await checkChild(value)
      if (errors.length) throw new ValidationError(errors)
      return db.transaction(async tx => {
        const at = clock.now()
        const group = await siblingGroupFor(tx, value, at, user.person.id)
        const id = await insertChild(tx, toInput(value, group), at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'child',
          entityId: id,
          childId: id,
          kind: 'child.created',
          data: { ...value },
        })
        return id
      })
    },

    async update(user: CurrentUser, id: number, version: number, value: ChildValue): Promise<void> {
      if (!isAdmin(user)) throw new ForbiddenError()
      const errors = await checkChild(value, id)
      if (errors.length) throw new ValidationError(errors)
      await db.transaction(async tx => {
        const at = clock.now()
        const before = await findChildForUpdate(tx, id)
        if (!before) throw new NotFoundError()
        if (before.version !== version) throw new ConflictError()
        const group = value.siblingCaseId ? await siblingGroupFor(tx, value, at, user.person.id) : null
        if (!(await updateChild(tx, id, version, toInput(value, group), at))) throw new ConflictError()
        const changed = Object.fromEntries(
          Object.entries(toInput(value, group))
            .filter(([k, v]) => before[k as keyof ChildInput] !== v)
            .map(([k, v]) => [k, { from: before[k as keyof ChildInput], to: v }]),
        )
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'child',
          entityId: id,
          childId: id,
          kind: 'child.updated',
          data: { changed },
        })
      })
    },
  }
}
