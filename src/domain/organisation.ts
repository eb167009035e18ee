/**
 * The organisation model: units form a tree (team -> service -> area -> safeguarding ->
 * children's services -> council; reviewing team -> reviewing service), each unit has one
 * manager, and a role on a child's chain is the manager of the unit of that kind above the
 * child's team. Pure: the caller loads the rows, these functions reason over them.
 */

export const unitKinds = [
  'team',
  'service',
  'area',
  'safeguarding',
  'childrens_services',
  'council',
  'reviewing_team',
  'reviewing_service',
] as const
export type UnitKind = (typeof unitKinds)[number]

/** Roles a person holds directly (assigned by an administrator). */
export const personRoles = ['social_worker', 'iro', 'cp_chair', 'admin', 'performance'] as const
export type PersonRole = (typeof personRoles)[number]

/** Roles that come from managing a unit of a kind. */
export const managerRoleByUnitKind = {
  team: 'team_manager',
  service: 'service_manager',
  area: 'head_of_service',
  safeguarding: 'director_of_safeguarding',
  childrens_services: 'director_of_childrens_services',
  council: 'chief_executive',
  reviewing_team: 'reviewing_service_manager',
  reviewing_service: 'head_of_irs',
} as const satisfies Record<UnitKind, string>
export type ManagerRole = (typeof managerRoleByUnitKind)[UnitKind]

export const roleKeys = [
  ...personRoles,
  'team_manager',
  'service_manager',
  'head_of_service',
  'director_of_safeguarding',
  'director_of_childrens_services',
  'chief_executive',
  'reviewing_service_manager',
  'head_of_irs',
] as const satisfies readonly (PersonRole | ManagerRole)[]
export type RoleKey = (typeof roleKeys)[number]

/** The roles a child's chain names: every role but those held apart from any child (admin, performance). */
export const chainRoles: readonly RoleKey[] = roleKeys.filter(r => r !== 'admin' && r !== 'performance')

/** Default titles; an authority renames them through CONCORD_ROLE_TITLES (policies name them differently). */
export const defaultRoleTitles: Record<RoleKey, string> = {
  social_worker: 'Social worker',
  iro: 'Independent reviewing officer (IRO)',
  cp_chair: 'Child protection conference chair',
  admin: 'Administrator',
  performance: 'Performance and quality assurance officer',
  team_manager: 'Team manager',
  service_manager: 'Service manager',
  head_of_service: 'Head of service',
  director_of_safeguarding: 'Director of safeguarding and care',
  director_of_childrens_services: "Director of children's services",
  chief_executive: 'Chief executive',
  reviewing_service_manager: 'Reviewing service manager',
  head_of_irs: 'Head of the independent reviewing service',
}

export const unitKindTitles: Record<UnitKind, string> = {
  team: 'Team',
  service: 'Service',
  area: 'Service area',
  safeguarding: 'Safeguarding and care directorate',
  childrens_services: "Children's services",
  council: 'Council',
  reviewing_team: 'Reviewing team',
  reviewing_service: 'Independent reviewing service',
}

/** Which kinds may sit directly under which: the chain only climbs. */
export const allowedParentKinds: Record<UnitKind, readonly UnitKind[]> = {
  team: ['service'],
  service: ['area'],
  area: ['safeguarding'],
  safeguarding: ['childrens_services'],
  childrens_services: ['council'],
  council: [],
  reviewing_team: ['reviewing_service'],
  reviewing_service: ['safeguarding', 'childrens_services'],
}

export interface Unit {
  id: number
  kind: UnitKind
  parentId: number | null
  managerId: number | null
}

/** The unit and all its ancestors, nearest first. Stops on a cycle rather than looping. */
export function ancestry(units: ReadonlyMap<number, Unit>, unitId: number): Unit[] {
  const chain: Unit[] = []
  const seen = new Set<number>()
  let current = units.get(unitId)
  while (current && !seen.has(current.id)) {
    chain.push(current)
    seen.add(current.id)
    current = current.parentId === null ? undefined : units.get(current.parentId)
  }
  return chain
}

export interface ChildAllocation {
  teamId: number
  socialWorkerId: number | null
  iroId: number | null
  cpChairId: number | null
}

export interface ReviewerPlacement {
  /** The reviewing unit the child's reviewer belongs to. */
  reviewerUnitId: number | null
}

/**
 * Names the person who holds a role on a child's chain, or null when the post is vacant.
 * Reviewing-service roles follow the reviewer's own line (IRO or CP chair -> their manager).
 */
export function responsiblePerson(
  role: RoleKey,
  child: ChildAllocation,
  units: ReadonlyMap<number, Unit>,
  reviewer: ReviewerPlacement = { reviewerUnitId: null },
): number | null {
  switch (role) {
    case 'social_worker':
      return child.socialWorkerId
    case 'iro':
      return child.iroId
    case 'cp_chair':
      return child.cpChairId
    case 'admin':
    case 'performance':
      return null
    default: {
      const kind = unitKindForManagerRole(role)
      const line =
        kind === 'reviewing_team' || kind === 'reviewing_service'
          ? reviewer.reviewerUnitId === null
            ? []
            : ancestry(units, reviewer.reviewerUnitId)
          : ancestry(units, child.teamId)
      return line.find(u => u.kind === kind)?.managerId ?? null
    }
  }
}

export function unitKindForManagerRole(role: ManagerRole): UnitKind {
  const entry = Object.entries(managerRoleByUnitKind).find(([, r]) => r === role)
  if (!entry) throw new Error(`unknown manager role ${role}`)
  return entry[0] as UnitKind
}

/** Managers of these kinds see every child in the authority. */
export const seeAllUnitKinds: readonly UnitKind[] = [
  'safeguarding',
  'childrens_services',
  'council',
  'reviewing_team',
  'reviewing_service',
]

/** Managers of these kinds see the children of the teams beneath their unit. */
export const branchUnitKinds: readonly UnitKind[] = ['team', 'service', 'area']

/** A unit someone manages; for a unit of a branch kind, every unit beneath it, at any depth. */
export interface ManagedUnit {
  id: number
  kind: UnitKind
  unitIdsBelow: readonly number[]
}

export interface Viewer {
  personId: number
  roles: readonly PersonRole[]
  managedUnits: readonly ManagedUnit[]
}

/**
 * What part of the children's records a viewer may see. `branchUnitIds` are every unit in the
 * viewer's branches, the units they manage and all beneath them: a child of a team among them is
 * visible. Worked out once with who the viewer is (ADR 0021), so a list tests a set, not a tree.
 */
export type ChildScope = { kind: 'all' } | { kind: 'some'; personId: number; branchUnitIds: number[] }

export function childScope(viewer: Viewer): ChildScope {
  if (viewer.roles.includes('admin')) return { kind: 'all' }
  if (viewer.managedUnits.some(u => seeAllUnitKinds.includes(u.kind))) return { kind: 'all' }
  return { kind: 'some', personId: viewer.personId, branchUnitIds: unitsOfBranches(viewer, branchUnitKinds) }
}

/** The units the viewer manages of these kinds and every unit beneath them, each once, in order. */
export function unitsOfBranches(viewer: Viewer, kinds: readonly UnitKind[]): number[] {
  const ids = viewer.managedUnits.filter(u => kinds.includes(u.kind)).flatMap(u => [u.id, ...u.unitIdsBelow])
  return [...new Set(ids)].sort((a, b) => a - b)
}

/** Every role a person holds, direct and from the units they manage. */
export function rolesOf(viewer: Viewer): RoleKey[] {
  return [...viewer.roles, ...viewer.managedUnits.map(u => managerRoleByUnitKind[u.kind])]
}
