import { describe, expect, it } from 'vitest'
import { managerRoleByUnitKind, personRoles, type PersonRole, type RoleKey } from '../domain/organisation.js'
import {
  DEMO_ACCOUNT_EMAILS,
  DEMO_CP_CHAIRS_MANAGER_EMAIL,
  DEMO_REFERENCE_DATE,
  DEMO_SURNAMES,
  generateDemoAuthority,
} from './demoAuthority.js'

const demo = generateDemoAuthority()
const seeds = [1, 42, 20220101, 987_654_321]

describe('generateDemoAuthority', () => {
  it('is reproducible: the same seed gives the same authority, another seed a different one', () => {
    expect(generateDemoAuthority()).toEqual(demo)
    expect(generateDemoAuthority(20220101)).toEqual(demo)
    const other = generateDemoAuthority(7)
    expect(other.children.map(c => c.caseId)).not.toEqual(demo.children.map(c => c.caseId))
    expect(other.people.map(p => p.staffId)).not.toEqual(demo.people.map(p => p.staffId))
  })

  it.each(seeds)('has the size of a county authority (seed %i)', seed => {
    const d = generateDemoAuthority(seed)
    const kinds = (kind: string) => d.units.filter(u => u.kind === kind)
    expect(kinds('council')).toHaveLength(1)
    expect(kinds('childrens_services')).toHaveLength(1)
    expect(kinds('safeguarding')).toHaveLength(1)
    expect(kinds('area')).toHaveLength(3)
    expect(kinds('service').length).toBeGreaterThanOrEqual(8)
    expect(kinds('service').length).toBeLessThanOrEqual(12)
    expect(kinds('team').length).toBeGreaterThanOrEqual(25)
    expect(kinds('team').length).toBeLessThanOrEqual(35)
    expect(kinds('reviewing_service')).toHaveLength(1)
    expect(kinds('reviewing_team')).toHaveLength(4)

    const withRole = (role: PersonRole) => d.people.filter(p => p.roles.includes(role))
    expect(withRole('iro').length).toBeGreaterThanOrEqual(15)
    expect(withRole('iro').length).toBeLessThanOrEqual(25)
    expect(withRole('cp_chair').length).toBeGreaterThanOrEqual(15)
    expect(withRole('cp_chair').length).toBeLessThanOrEqual(25)
    expect(withRole('iro').length + withRole('cp_chair').length).toBe(40)
    expect(withRole('admin')).toHaveLength(2)
    expect(withRole('performance')).toHaveLength(1)

    for (const team of kinds('team')) {
      const workers = d.people.filter(p => p.unitName === team.name && p.roles.includes('social_worker'))
      expect(workers.length).toBeGreaterThanOrEqual(4)
      expect(workers.length).toBeLessThanOrEqual(7)
    }

    const cp = d.children.filter(c => c.cpPlanStart !== null).length
    const lac = d.children.filter(c => c.lookedAfterStart !== null).length
    const both = d.children.filter(c => c.cpPlanStart !== null && c.lookedAfterStart !== null).length
    expect(cp).toBeGreaterThanOrEqual(550)
    expect(cp).toBeLessThanOrEqual(650)
    expect(lac).toBeGreaterThanOrEqual(750)
    expect(lac).toBeLessThanOrEqual(850)
    expect(both).toBeGreaterThan(0)
    expect(both).toBeLessThan(40)
    expect(d.children.every(c => c.cpPlanStart !== null || c.lookedAfterStart !== null)).toBe(true)

    const unallocated = d.children.filter(c => c.socialWorkerStaffId === null).length / d.children.length
    expect(unallocated).toBeGreaterThan(0.005)
    expect(unallocated).toBeLessThan(0.05)

    const inGroups = d.children.filter(c => c.siblingGroup !== null).length / d.children.length
    expect(inGroups).toBeGreaterThan(0.12)
    expect(inGroups).toBeLessThan(0.3)
  })

  it('keeps to the unit tree: every parent exists, every unit has a manager who works in it', () => {
    const units = new Map(demo.units.map(u => [u.name, u]))
    const people = new Map(demo.people.map(p => [p.staffId, p]))
    expect(units.size).toBe(demo.units.length)
    expect(new Set(demo.units.map(u => u.name.toLowerCase())).size).toBe(demo.units.length)
    for (const unit of demo.units) {
      if (unit.kind === 'council') expect(unit.parentName).toBeNull()
      else expect(units.has(unit.parentName!)).toBe(true)
      expect(people.get(unit.managerStaffId)?.unitName).toBe(unit.name)
    }
    expect(new Set(demo.units.map(u => u.managerStaffId)).size).toBe(demo.units.length)
  })

  it.each(seeds)('gives no two people, and no two children, the same full name (seed %i)', seed => {
    const d = generateDemoAuthority(seed)
    const fullNames = (xs: readonly { givenName: string; familyName: string }[]) =>
      new Set(xs.map(x => `${x.givenName} ${x.familyName}`)).size
    expect(fullNames(d.people)).toBe(d.people.length)
    expect(fullNames(d.children)).toBe(d.children.length)
  })

  it.each(seeds)("allocates each child within the child's team and to reviewers of the right kind (seed %i)", seed => {
    const d = generateDemoAuthority(seed)
    const people = new Map(d.people.map(p => [p.staffId, p]))
    const teams = new Set(d.units.filter(u => u.kind === 'team').map(u => u.name))
    for (const child of d.children) {
      expect(teams.has(child.teamName)).toBe(true)
      if (child.socialWorkerStaffId !== null) {
        const worker = people.get(child.socialWorkerStaffId)!
        expect(worker.roles).toContain('social_worker')
        expect(worker.unitName).toBe(child.teamName)
      }
      expect(child.iroStaffId !== null).toBe(child.lookedAfterStart !== null)
      expect(child.cpChairStaffId !== null).toBe(child.cpPlanStart !== null)
      if (child.iroStaffId !== null) expect(people.get(child.iroStaffId)!.roles).toContain('iro')
      if (child.cpChairStaffId !== null) expect(people.get(child.cpChairStaffId)!.roles).toContain('cp_chair')
    }
  })

  it('dates children 0 to 17 years old, with plans and care starting after birth and mostly recently', () => {
    let recent = 0
    for (const child of demo.children) {
      expect(child.dateOfBirth > '2008-11-01').toBe(true)
      expect(child.dateOfBirth < DEMO_REFERENCE_DATE).toBe(true)
      for (const start of [child.cpPlanStart, child.lookedAfterStart]) {
        if (start === null) continue
        expect(start).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(start > child.dateOfBirth).toBe(true)
        expect(start < DEMO_REFERENCE_DATE).toBe(true)
        if (start >= '2023-11-01') recent++
      }
    }
    const starts =
      demo.children.filter(c => c.cpPlanStart).length + demo.children.filter(c => c.lookedAfterStart).length
    expect(recent / starts).toBeGreaterThan(0.7)
  })

  it('groups siblings of 2 to 4 who share a team and a family name', () => {
    const byCase = new Map(demo.children.map(c => [c.caseId, c]))
    let sameStatus = 0
    demo.siblingGroups.forEach((group, index) => {
      expect(group.caseIds.length).toBeGreaterThanOrEqual(2)
      expect(group.caseIds.length).toBeLessThanOrEqual(4)
      const members = group.caseIds.map(id => byCase.get(id)!)
      expect(members.every(c => c.siblingGroup === index)).toBe(true)
      expect(new Set(members.map(c => c.teamName)).size).toBe(1)
      expect(new Set(members.map(c => c.familyName)).size).toBe(1)
      const status = (c: (typeof members)[number]) => `${c.cpPlanStart !== null}/${c.lookedAfterStart !== null}`
      if (new Set(members.map(status)).size === 1) sameStatus++
    })
    expect(demo.children.filter(c => c.siblingGroup !== null)).toHaveLength(
      demo.siblingGroups.reduce((n, g) => n + g.caseIds.length, 0),
    )
    expect(sameStatus / demo.siblingGroups.length).toBeGreaterThan(0.6)
  })

  it('uses unique, well-formed identifiers', () => {
    expect(demo.children.every(c => /^WX\d{6}$/.test(c.caseId))).toBe(true)
    expect(new Set(demo.children.map(c => c.caseId)).size).toBe(demo.children.length)
    expect(demo.people.every(p => /^S\d{5}$/.test(p.staffId))).toBe(true)
    expect(new Set(demo.people.map(p => p.staffId)).size).toBe(demo.people.length)
    expect(new Set(demo.people.map(p => p.email.toLowerCase())).size).toBe(demo.people.length)
  })

  it('uses only invented surnames and the reserved example domain', () => {
    const surnames = new Set<string>(DEMO_SURNAMES)
    expect(surnames.size).toBeGreaterThanOrEqual(80)
    for (const person of [...demo.people, ...demo.children]) expect(surnames.has(person.familyName)).toBe(true)
    for (const person of demo.people) expect(person.email).toMatch(/^[a-z0-9.]+@wessexshire\.example$/)
    const everything = JSON.stringify(demo)
    const emails = everything.match(/[\w.+-]+@[\w.-]+/g) ?? []
    expect(emails.length).toBeGreaterThan(0)
    expect(emails.every(e => e.endsWith('@wessexshire.example'))).toBe(true)
  })

  describe('demo accounts', () => {
    const people = new Map(demo.people.map(p => [p.staffId, p]))
    const units = new Map(demo.units.map(u => [u.name, u]))
    const account = (role: RoleKey) =>
      demo.accounts.find(a => a.role === role && a.email === DEMO_ACCOUNT_EMAILS[role])!
    const holder = (role: RoleKey) => people.get(account(role).staffId)!
    const managed = (role: RoleKey) => demo.units.find(u => u.managerStaffId === account(role).staffId)!

    it('has one memorable account per role, and the CP chair’s manager, each held by a person with that email', () => {
      const perRole = demo.accounts.filter(a => a.email !== DEMO_CP_CHAIRS_MANAGER_EMAIL)
      expect(perRole.map(a => a.role).sort()).toEqual(Object.keys(DEMO_ACCOUNT_EMAILS).sort())
      expect(demo.accounts.map(a => a.email)).toContain('admin@wessexshire.example')
      for (const a of perRole) expect(a.email).toBe(DEMO_ACCOUNT_EMAILS[a.role])
      for (const a of demo.accounts) expect(people.get(a.staffId)?.email).toBe(a.email)
      // The CP chair's own manager, who gives the pre-approval of the CP chairs' policies.
      const chairsManager = demo.accounts.find(a => a.email === DEMO_CP_CHAIRS_MANAGER_EMAIL)!
      expect(chairsManager.role).toBe('reviewing_service_manager')
      expect(demo.units.find(u => u.managerStaffId === chairsManager.staffId)?.name).toBe(holder('cp_chair').unitName)
    })

    it.each(seeds)('gives each account the role it claims (seed %i)', seed => {
      const d = generateDemoAuthority(seed)
      for (const a of d.accounts) {
        const person = d.people.find(p => p.staffId === a.staffId)!
        if ((personRoles as readonly string[]).includes(a.role)) {
          expect(person.roles).toContain(a.role)
        } else {
          const kinds = d.units.filter(u => u.managerStaffId === a.staffId).map(u => managerRoleByUnitKind[u.kind])
          expect(kinds).toContain(a.role)
        }
      }
    })

    it('puts the managers on one line above the social worker, and the reviewers on their children', () => {
      const worker = holder('social_worker')
      const team = units.get(worker.unitName)!
      const service = units.get(team.parentName!)!
      const area = units.get(service.parentName!)!
      expect(team.kind).toBe('team')
      expect(managed('team_manager')).toBe(team)
      expect(managed('service_manager')).toBe(service)
      expect(managed('head_of_service')).toBe(area)
      expect(managed('director_of_safeguarding').name).toBe(area.parentName)

      const caseload = demo.children.filter(c => c.socialWorkerStaffId === worker.staffId)
      expect(caseload.length).toBeGreaterThan(0)
      expect(caseload.some(c => c.iroStaffId === account('iro').staffId)).toBe(true)
      expect(caseload.some(c => c.cpChairStaffId === account('cp_chair').staffId)).toBe(true)
      expect(
        demo.children.filter(c => c.iroStaffId === account('iro').staffId && c.lookedAfterStart).length,
      ).toBeGreaterThan(0)
      expect(
        demo.children.filter(c => c.cpChairStaffId === account('cp_chair').staffId && c.cpPlanStart).length,
      ).toBeGreaterThan(0)
      expect(managed('reviewing_service_manager').name).toBe(holder('iro').unitName)
      expect(managed('head_of_irs').name).toBe(units.get(holder('iro').unitName)!.parentName)
    })

    it.each(seeds)('gives the IRO and the CP chair siblings to raise a record for together (seed %i)', seed => {
      const d = generateDemoAuthority(seed)
      const reviewer = (role: RoleKey) => d.accounts.find(a => a.role === role)!.staffId
      const siblingGroups = (allocated: (c: (typeof d.children)[number]) => boolean) => {
        const groups = d.children.filter(c => allocated(c) && c.socialWorkerStaffId !== null).map(c => c.siblingGroup)
        return groups.filter((g, i) => g !== null && groups.indexOf(g) !== i).length
      }
      expect(siblingGroups(c => c.iroStaffId === reviewer('iro'))).toBeGreaterThan(0)
      expect(siblingGroups(c => c.cpChairStaffId === reviewer('cp_chair'))).toBeGreaterThan(0)
    })
  })
})
