import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allowedParentKinds,
  ancestry,
  childScope,
  responsiblePerson,
  rolesOf,
  type Unit,
  type UnitKind,
  unitKinds,
} from './organisation.js'

// A chain: council 1 > children's services 2 > safeguarding 3 > area 4 > service 5 > team 6;
// reviewing service 7 (under 3) > reviewing team 8. Manager of unit n is person 100 + n.
const units = new Map<number, Unit>(
  (
    [
      [1, 'council', null],
      [2, 'childrens_services', 1],
      [3, 'safeguarding', 2],
      [4, 'area', 3],
      [5, 'service', 4],
      [6, 'team', 5],
      [7, 'reviewing_service', 3],
      [8, 'reviewing_team', 7],
    ] as [number, UnitKind, number | null][]
  ).map(([id, kind, parentId]) => [id, { id, kind, parentId, managerId: 100 + id }]),
)
const child = { teamId: 6, socialWorkerId: 50, iroId: 60, cpChairId: null }

describe('responsiblePerson', () => {
  it('names every role on the chain above the child’s team and the reviewer’s line', () => {
    expect(responsiblePerson('social_worker', child, units)).toBe(50)
    expect(responsiblePerson('team_manager', child, units)).toBe(106)
    expect(responsiblePerson('service_manager', child, units)).toBe(105)
    expect(responsiblePerson('head_of_service', child, units)).toBe(104)
    expect(responsiblePerson('director_of_safeguarding', child, units)).toBe(103)
    expect(responsiblePerson('director_of_childrens_services', child, units)).toBe(102)
    expect(responsiblePerson('chief_executive', child, units)).toBe(101)
    expect(responsiblePerson('iro', child, units)).toBe(60)
    expect(responsiblePerson('cp_chair', child, units)).toBeNull()
    expect(responsiblePerson('reviewing_service_manager', child, units, { reviewerUnitId: 8 })).toBe(108)
    expect(responsiblePerson('head_of_irs', child, units, { reviewerUnitId: 8 })).toBe(107)
    expect(responsiblePerson('reviewing_service_manager', child, units)).toBeNull()
  })

  it('returns null for a vacant post rather than skipping to the next level', () => {
    const vacant = new Map(units)
    vacant.set(5, { ...units.get(5)!, managerId: null })
    expect(responsiblePerson('service_manager', child, vacant)).toBeNull()
    expect(responsiblePerson('head_of_service', child, vacant)).toBe(104)
  })
})

describe('ancestry', () => {
  it('climbs from a unit to the root, nearest first', () => {
    expect(ancestry(units, 6).map(u => u.id)).toEqual([6, 5, 4, 3, 2, 1])
  })

  it('always ends, even on a corrupted tree with a cycle', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 20, maxLength: 20 }), parents => {
        const tree = new Map<number, Unit>(
          parents.map((p, i) => [i + 1, { id: i + 1, kind: 'team', parentId: p, managerId: null }]),
        )
        const chain = ancestry(tree, 1)
        expect(new Set(chain.map(u => u.id)).size).toBe(chain.length)
        expect(chain.length).toBeLessThanOrEqual(20)
      }),
    )
  })
})

describe('allowedParentKinds', () => {
  it('only ever climbs: following allowed parents from any kind reaches a kind with no parent', () => {
    // Depth-first along every path of allowed parents: no path may return to a kind already on it.
    const climb = (kind: UnitKind, path: UnitKind[]): void => {
      expect(path, `cycle through ${kind}`).not.toContain(kind)
      for (const parent of allowedParentKinds[kind]) climb(parent, [...path, kind])
    }
    for (const kind of unitKinds) climb(kind, [])
  })
})

describe('childScope', () => {
  const arbitraryViewer = fc.record({
    personId: fc.integer({ min: 1, max: 1000 }),
    roles: fc.subarray(['social_worker', 'iro', 'cp_chair', 'admin', 'performance'] as const),
    managedUnits: fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 30 }),
        kind: fc.constantFrom(...unitKinds),
        // Overlapping the managed ids: a unit managed and also beneath another managed unit is listed once.
        unitIdsBelow: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 4 }),
      }),
      { maxLength: 3 },
    ),
  })

  it('gives everything only to administrators and to managers at director or reviewing-service level', () => {
    fc.assert(
      fc.property(arbitraryViewer, viewer => {
        const scope = childScope(viewer)
        const seesAll =
          viewer.roles.includes('admin') ||
          viewer.managedUnits.some(u =>
            ['safeguarding', 'childrens_services', 'council', 'reviewing_team', 'reviewing_service'].includes(u.kind),
          )
        expect(scope.kind === 'all').toBe(seesAll)
        if (scope.kind === 'some') {
          expect(scope.personId).toBe(viewer.personId)
          const branches = viewer.managedUnits.filter(u => ['team', 'service', 'area'].includes(u.kind))
          expect(new Set(scope.branchUnitIds)).toEqual(new Set(branches.flatMap(u => [u.id, ...u.unitIdsBelow])))
          expect(scope.branchUnitIds).toEqual([...new Set(scope.branchUnitIds)].sort((a, b) => a - b))
        }
      }),
    )
  })

  it('lists a manager’s roles from the units they manage', () => {
    expect(
      rolesOf({ personId: 1, roles: ['social_worker'], managedUnits: [{ id: 6, kind: 'team', unitIdsBelow: [] }] }),
    ).toEqual(['social_worker', 'team_manager'])
  })
})
