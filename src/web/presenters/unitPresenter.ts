import { groupBy } from '../../collections.js'
import { managerRoleByUnitKind, type RoleKey, unitKindTitles } from '../../domain/organisation.js'
import type { OrgUnit } from '../../db/repositories/unitRepository.js'
import { paths } from '../paths.js'

export interface UnitTreeRow {
  id: number
  name: string
  href: string
  depth: number
  kind: string
  managerTitle: string
  managerName: string
  managerHref: string | undefined
}

/** The organisation as an indented list, roots first, children sorted by name. */
export function unitTree(units: OrgUnit[], titles: Record<RoleKey, string>): UnitTreeRow[] {
  const byParent = groupBy(units, u => u.parentId)
  const rows: UnitTreeRow[] = []
  const seen = new Set<number>()
  const walk = (parentId: number | null, depth: number) => {
    for (const u of (byParent.get(parentId) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(u.id)) continue
      seen.add(u.id)
      rows.push({
        id: u.id,
        name: u.name,
        href: paths.teams.show(u.id),
        depth,
        kind: unitKindTitles[u.kind],
        managerTitle: titles[managerRoleByUnitKind[u.kind]],
        managerName: u.managerName ?? 'Vacant',
        managerHref: u.managerId ? paths.people.show(u.managerId) : undefined,
      })
      walk(u.id, depth + 1)
    }
  }
  walk(null, 0)
  // Units whose parent is missing still appear, at the top level.
  for (const u of units) if (!seen.has(u.id)) walk(u.parentId, 0)
  return rows
}
