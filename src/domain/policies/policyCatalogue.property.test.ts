import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { compareIsoDates, fromDayNumber, parseIsoDate, toDayNumber } from '../calendar/workingDays.js'
import { reviewerRoles, type Policy } from './policy.js'
import { catalogueProblems, findPolicy, policiesInForce, shippedPolicies } from './policyCatalogue.js'

const shipped = shippedPolicies()
const dayOf = (s: string) => toDayNumber(parseIsoDate(s))

const dateArb = fc.integer({ min: dayOf('2005-01-01'), max: dayOf('2040-12-31') }).map(fromDayNumber)
const roleArb = fc.constantFrom(...reviewerRoles)
const rolesArb = fc.subarray([...reviewerRoles], { minLength: 1 })

/**
 * The shipped policies plus, for some of them, later versions: each a copy of the one before,
 * taking effect 1 to 800 days later, used by a random non-empty set of reviewer roles. Shuffled,
 * so nothing may depend on the order of the catalogue.
 */
const catalogueArb = fc
  .tuple(
    ...shipped.map(() =>
      fc.array(fc.record({ gap: fc.integer({ min: 1, max: 800 }), roles: rolesArb }), { maxLength: 4 }),
    ),
  )
  .map(laterVersionsOfEach =>
    shipped.flatMap((base, i) => {
      const versions: Policy[] = [base]
      for (const { gap, roles } of laterVersionsOfEach[i] ?? []) {
        const previous = versions[versions.length - 1]!
        versions.push({
          ...structuredClone(previous),
          version: previous.version + 1,
          effectiveFrom: fromDayNumber(toDayNumber(previous.effectiveFrom) + gap),
          reviewerRoles: roles,
        })
      }
      return versions
    }),
  )
  .chain(policies => fc.shuffledSubarray(policies, { minLength: policies.length }))

describe('policiesInForce (properties)', () => {
  it('the generated catalogues are themselves valid', () => {
    fc.assert(
      fc.property(catalogueArb, catalogue => {
        expect(catalogueProblems(catalogue)).toEqual([])
      }),
    )
  })

  it('returns only policies already in force, for the role, at most one version of each id', () => {
    fc.assert(
      fc.property(catalogueArb, dateArb, roleArb, (catalogue, on, role) => {
        const inForce = policiesInForce(catalogue, on, role)
        for (const p of inForce) {
          expect(compareIsoDates(p.effectiveFrom, on)).toBeLessThanOrEqual(0)
          expect(p.reviewerRoles).toContain(role)
          expect(findPolicy(catalogue, p.id, p.version)).toBe(p)
        }
        const ids = inForce.map(p => p.id)
        expect(new Set(ids).size).toBe(ids.length)
      }),
    )
  })

  it('returns, for each id, exactly the latest version in force if it serves the role', () => {
    fc.assert(
      fc.property(catalogueArb, dateArb, roleArb, (catalogue, on, role) => {
        const expected = [...new Set(catalogue.map(p => p.id))]
          .map(id =>
            catalogue
              .filter(p => p.id === id && p.effectiveFrom <= on)
              .reduce<Policy | undefined>((best, p) => (best && best.version > p.version ? best : p), undefined),
          )
          .filter((p): p is Policy => p !== undefined && p.reviewerRoles.includes(role))
          .map(p => `${p.id} v${p.version}`)
          .sort()
        expect(policiesInForce(catalogue, on, role).map(p => `${p.id} v${p.version}`)).toEqual(expected)
      }),
    )
  })

  it('never swaps a policy back to an older version as the date moves on', () => {
    fc.assert(
      fc.property(catalogueArb, dateArb, dateArb, roleArb, (catalogue, x, y, role) => {
        const [early, late] = compareIsoDates(x, y) <= 0 ? [x, y] : [y, x]
        const lateVersions = new Map(policiesInForce(catalogue, late, role).map(p => [p.id, p.version]))
        for (const p of policiesInForce(catalogue, early, role)) {
          const later = lateVersions.get(p.id)
          if (later !== undefined) expect(later).toBeGreaterThanOrEqual(p.version)
        }
      }),
    )
  })
})
