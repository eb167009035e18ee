import type { Child } from '../db/repositories/childRepository.js'
import type { Person } from '../db/repositories/personRepository.js'
import type { OrgUnit } from '../db/repositories/unitRepository.js'

export const childJson = (c: Child) => ({
  id: c.id,
  caseId: c.caseId,
  givenName: c.givenName,
  familyName: c.familyName,
  dateOfBirth: c.dateOfBirth,
  team: { id: c.teamId, name: c.teamName },
  socialWorker: c.socialWorkerId === null ? null : { id: c.socialWorkerId, name: c.socialWorkerName },
  iro: c.iroId === null ? null : { id: c.iroId, name: c.iroName },
  cpChair: c.cpChairId === null ? null : { id: c.cpChairId, name: c.cpChairName },
  cpPlanStart: c.cpPlanStart,
  lookedAfterStart: c.lookedAfterStart,
  siblingGroupId: c.siblingGroupId,
  closedOn: c.closedOn ?? null,
  version: c.version,
})

export const personJson = (p: Person) => ({
  id: p.id,
  givenName: p.givenName,
  familyName: p.familyName,
  email: p.email,
  staffId: p.staffId,
  unit: p.unitId === null ? null : { id: p.unitId, name: p.unitName },
  roles: p.roles,
  active: p.active,
  version: p.version,
})

export const unitJson = (u: OrgUnit) => ({
  id: u.id,
  name: u.name,
  kind: u.kind,
  parentId: u.parentId,
  manager: u.managerId === null ? null : { id: u.managerId, name: u.managerName },
  version: u.version,
})
