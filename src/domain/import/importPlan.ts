import { errorMessages } from '../../i18n/errorMessages.js'
import { allowedParentKinds, type PersonRole, type UnitKind, unitKindTitles } from '../organisation.js'
import { type ImportIssue, type ImportKind, importFiles } from './csvFiles.js'
import { type ImportInput, capitalise } from './importRows.js'

/**
 * Works out what an import will do: every row is checked against the other files and against
 * what Concord holds, and the result is a plan of records to add, change and end. Pure: the
 * caller reads the snapshot and applies the plan. Planning the same files against the state
 * they produced gives an empty plan, so importing a file twice changes nothing the second time.
 */

export interface SnapshotUnit {
  id: number
  name: string
  kind: UnitKind
  parentId: number | null
  managerId: number | null
  version: number
}

export interface SnapshotPerson {
  id: number
  staffId: string | null
  email: string
  givenName: string
  familyName: string
  unitId: number | null
  roles: PersonRole[]
  active: boolean
  version: number
}

export interface SnapshotChild {
  id: number
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
  closedOn: string | null
  version: number
}

export interface Snapshot {
  units: SnapshotUnit[]
  people: SnapshotPerson[]
  children: SnapshotChild[]
}

/** A person is "id:12" when Concord has them, "new:<staff id>" when this import adds them. */
export type PersonKey = string
/** Units are known by their name (lower case); names are unique. */
export type UnitKey = string

export interface PlannedUnit {
  existing?: SnapshotUnit
  name: string
  kind: UnitKind
  parent: UnitKey | null
  manager: PersonKey | null
}

export interface PlannedPerson {
  key: PersonKey
  existing?: SnapshotPerson
  staffId: string | null
  email: string
  givenName: string
  familyName: string
  unit: UnitKey | null
  roles: PersonRole[]
  active: boolean
}

export interface PlannedChild {
  existing?: SnapshotChild
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  team: UnitKey
  socialWorker: PersonKey | null
  iro: PersonKey | null
  cpChair: PersonKey | null
  cpPlanStart: string | null
  lookedAfterStart: string | null
  closedOn: string | null
}

export type Action = 'add' | 'change' | 'end'

export interface FieldChange {
  field: string
  from: string
  to: string
}

/** One line of the preview: what happens to one record and, for a change, to which fields. */
export interface PlanItem {
  entity: 'unit' | 'person' | 'child'
  action: Action
  key: string
  label: string
  changes: FieldChange[]
}

export interface ImportPlan {
  items: PlanItem[]
  /** Things to look at before applying that do not stop the import (someone ended who still has work). */
  warnings: string[]
  /** Records to write, in the order to write them (parents before their units). */
  units: PlannedUnit[]
  people: PlannedPerson[]
  children: PlannedChild[]
}

export type Counts = Record<'unit' | 'person' | 'child', Record<Action, number>>

export function countItems(items: readonly PlanItem[]): Counts {
  const counts: Counts = {
    unit: { add: 0, change: 0, end: 0 },
    person: { add: 0, change: 0, end: 0 },
    child: { add: 0, change: 0, end: 0 },
  }
  for (const i of items) counts[i.entity][i.action] += 1
  return counts
}

const m = errorMessages.import

export function planImport(
  input: ImportInput,
  snapshot: Snapshot,
  options: { today: string; importerId: number | null },
): { ok: true; plan: ImportPlan } | { ok: false; issues: ImportIssue[] } {
  const issues: ImportIssue[] = []
  const problem = (file: ImportKind, row: number, message: string) =>
    issues.push({ file, row, message: m.row(capitalise(importFiles[file].label), row, message) })

  // --- Units: what Concord has, with the file's rows laid over it.
  const unitById = new Map(snapshot.units.map(u => [u.id, u]))
  const units = new Map<UnitKey, PlannedUnit & { row?: number }>()
  for (const u of snapshot.units)
    units.set(u.name.toLowerCase(), {
      existing: u,
      name: u.name,
      kind: u.kind,
      parent: u.parentId === null ? null : unitById.get(u.parentId)!.name.toLowerCase(),
      manager: u.managerId === null ? null : `id:${u.managerId}`,
    })
  const unitRowByName = new Map<UnitKey, number>()
  const unitManagerRefs: { key: UnitKey; row: number; ref: string | null }[] = []
  for (const r of input.units ?? []) {
    const key = r.name.toLowerCase()
    const earlier = unitRowByName.get(key)
    if (earlier !== undefined) {
      problem('units', r.row, m.unit.duplicate(earlier))
      continue
    }
    unitRowByName.set(key, r.row)
    const existing = units.get(key)?.existing
    units.set(key, {
      existing,
      name: r.name,
      kind: r.kind,
      parent: r.parent === null ? null : r.parent.toLowerCase(),
      manager: existing?.managerId ? `id:${existing.managerId}` : null,
      row: r.row,
    })
    unitManagerRefs.push({ key, row: r.row, ref: r.manager })
  }
  for (const r of input.units ?? []) {
    const key = r.name.toLowerCase()
    const u = units.get(key)!
    if (u.row !== r.row) continue
    const allowed = allowedParentKinds[u.kind]
    if (u.parent === null) {
      if (allowed.length > 0) problem('units', r.row, m.unit.parentRequired)
      continue
    }
    const parent = units.get(u.parent)
    if (allowed.length === 0) problem('units', r.row, m.unit.parentNotAllowed)
    else if (!parent) problem('units', r.row, m.unit.parentUnknown(r.parent!))
    else if (!allowed.includes(parent.kind))
      problem(
        'units',
        r.row,
        m.unit.parentWrongType(
          unitKindTitles[u.kind].toLowerCase(),
          allowed.map(k => unitKindTitles[k].toLowerCase()).join(' or '),
        ),
      )
    else {
      const seen = new Set<UnitKey>([key])
      for (let p: string | null = u.parent; p !== null; p = units.get(p)?.parent ?? null) {
        if (p === key) {
          problem('units', r.row, m.unit.cycle)
          break
        }
        // A loop higher up that does not come back here is reported on its own rows.
        if (seen.has(p)) break
        seen.add(p)
      }
    }
  }
  const unitRef = (file: ImportKind, row: number, name: string | null): UnitKey | null | undefined => {
    if (name === null) return null
    if (!units.has(name.toLowerCase())) {
      problem(file, row, m.unit.unknown(name))
      return undefined
    }
    return name.toLowerCase()
  }

  // --- People.
  const people = new Map<PersonKey, PlannedPerson & { row?: number }>()
  for (const p of snapshot.people)
    people.set(`id:${p.id}`, {
      key: `id:${p.id}`,
      existing: p,
      staffId: p.staffId,
      email: p.email,
      givenName: p.givenName,
      familyName: p.familyName,
      unit: p.unitId === null ? null : unitById.get(p.unitId)!.name.toLowerCase(),
      roles: [...p.roles].sort(),
      active: p.active,
    })
  const byStaffId = new Map(snapshot.people.flatMap(p => (p.staffId ? [[p.staffId, p] as const] : [])))
  const byEmail = new Map(snapshot.people.map(p => [p.email.toLowerCase(), p]))
  if (input.people) {
    const rowByStaffId = new Map<string, number>()
    const rowByEmail = new Map<string, number>()
    const matched = new Set<number>()
    for (const r of input.people) {
      const email = r.email.toLowerCase()
      const earlierStaff = rowByStaffId.get(r.staffId)
      const earlierEmail = rowByEmail.get(email)
      if (earlierStaff !== undefined) problem('people', r.row, m.person.duplicateStaffId(earlierStaff))
      if (earlierEmail !== undefined) problem('people', r.row, m.person.duplicateEmail(earlierEmail))
      if (earlierStaff !== undefined || earlierEmail !== undefined) continue
      rowByStaffId.set(r.staffId, r.row)
      rowByEmail.set(email, r.row)
      // Matched by staff ID; someone added in Concord by hand (no staff ID yet) is matched by email.
      let existing = byStaffId.get(r.staffId)
      if (!existing) {
        const sameEmail = byEmail.get(email)
        if (sameEmail && sameEmail.staffId === null) existing = sameEmail
        else if (sameEmail) {
          problem('people', r.row, m.person.emailOtherStaffId)
          continue
        }
      }
      const unit = unitRef('people', r.row, r.unit)
      if (unit === undefined) continue
      const key = existing ? `id:${existing.id}` : `new:${r.staffId}`
      if (existing) matched.add(existing.id)
      people.set(key, {
        key,
        existing,
        staffId: r.staffId,
        email: r.email,
        givenName: r.givenName,
        familyName: r.familyName,
        unit,
        roles: r.roles,
        active: true,
        row: r.row,
      })
    }
    // Someone who came from the case system (has a staff ID) and is no longer in its extract has left:
    // their account is ended (made inactive), never deleted. People added in Concord by hand stay.
    for (const p of snapshot.people)
      if (p.staffId !== null && p.active && !matched.has(p.id) && p.id !== options.importerId)
        people.set(`id:${p.id}`, { ...people.get(`id:${p.id}`)!, active: false })
    // Emails stay unique across everyone, those the file leaves alone included.
    const emailOwner = new Map<string, PersonKey>()
    for (const p of people.values()) if (p.row === undefined) emailOwner.set(p.email.toLowerCase(), p.key)
    for (const p of people.values()) {
      if (p.row === undefined) continue
      const owner = emailOwner.get(p.email.toLowerCase())
      if (owner !== undefined && owner !== p.key) problem('people', p.row, m.person.emailTaken)
    }
  }
  const finalStaff = new Map<string, PersonKey>()
  const finalEmail = new Map<string, PersonKey>()
  for (const p of people.values()) {
    if (p.staffId) finalStaff.set(p.staffId, p.key)
    finalEmail.set(p.email.toLowerCase(), p.key)
  }
  /** A person named in a file by staff ID or email, who must be active (and hold a role, when given). */
  const personRef = (
    file: ImportKind,
    row: number,
    ref: string | null,
    role?: PersonRole,
  ): PersonKey | null | undefined => {
    if (ref === null) return null
    const key = ref.includes('@') ? finalEmail.get(ref.toLowerCase()) : finalStaff.get(ref)
    const person = key === undefined ? undefined : people.get(key)
    if (!person) {
      problem(file, row, m.person.unknown(ref))
      return undefined
    }
    if (!person.active) {
      problem(file, row, m.person.inactive(ref))
      return undefined
    }
    if (role && !person.roles.includes(role)) {
      problem(file, row, m.person.lacksRole(ref, role))
      return undefined
    }
    return person.key
  }
  for (const { key, row, ref } of unitManagerRefs) {
    const manager = personRef('units', row, ref)
    if (manager !== undefined) units.get(key)!.manager = manager
  }

  // --- Children.
  const children = new Map<string, PlannedChild & { row?: number; allocationRow?: number }>()
  for (const c of snapshot.children)
    children.set(c.caseId.toLowerCase(), {
      existing: c,
      caseId: c.caseId,
      givenName: c.givenName,
      familyName: c.familyName,
      dateOfBirth: c.dateOfBirth,
      team: unitById.get(c.teamId)!.name.toLowerCase(),
      socialWorker: c.socialWorkerId === null ? null : `id:${c.socialWorkerId}`,
      iro: c.iroId === null ? null : `id:${c.iroId}`,
      cpChair: c.cpChairId === null ? null : `id:${c.cpChairId}`,
      cpPlanStart: c.cpPlanStart,
      lookedAfterStart: c.lookedAfterStart,
      closedOn: c.closedOn,
    })
  if (input.children) {
    const rowByCase = new Map<string, number>()
    for (const r of input.children) {
      const key = r.caseId.toLowerCase()
      const earlier = rowByCase.get(key)
      if (earlier !== undefined) {
        problem('children', r.row, m.caseId.duplicate(earlier))
        continue
      }
      rowByCase.set(key, r.row)
      let ok = true
      const team = units.get(r.team.toLowerCase())
      if (!team || team.kind !== 'team') {
        problem('children', r.row, m.team.unknown(r.team))
        ok = false
      }
      if (r.dateOfBirth > options.today) {
        problem('children', r.row, m.date.future('date of birth'))
        ok = false
      }
      for (const [value, what] of [
        [r.cpPlanStart, 'child protection plan start date'],
        [r.lookedAfterStart, 'looked after start date'],
      ] as const)
        if (value !== null && value < r.dateOfBirth) {
          problem('children', r.row, m.date.beforeBirth(what))
          ok = false
        }
      if (!ok) continue
      const existing = children.get(key)
      children.set(key, {
        ...(existing ?? { socialWorker: null, iro: null, cpChair: null }),
        existing: existing?.existing,
        caseId: r.caseId,
        givenName: r.givenName,
        familyName: r.familyName,
        dateOfBirth: r.dateOfBirth,
        team: r.team.toLowerCase(),
        cpPlanStart: r.cpPlanStart,
        lookedAfterStart: r.lookedAfterStart,
        closedOn: null,
        row: r.row,
      })
    }
    // A child no longer in the extract has had their case closed: the record is ended, not deleted.
    for (const c of children.values()) if (c.row === undefined && c.closedOn === null) c.closedOn = options.today
  }
  if (input.allocations) {
    const rowByCase = new Map<string, number>()
    for (const r of input.allocations) {
      const key = r.caseId.toLowerCase()
      const earlier = rowByCase.get(key)
      if (earlier !== undefined) {
        problem('allocations', r.row, m.caseId.duplicate(earlier))
        continue
      }
      rowByCase.set(key, r.row)
      const child = children.get(key)
      if (!child) {
        problem('allocations', r.row, m.caseId.unknown(r.caseId))
        continue
      }
      const socialWorker = personRef('allocations', r.row, r.socialWorker, 'social_worker')
      const iro = personRef('allocations', r.row, r.iro, 'iro')
      const cpChair = personRef('allocations', r.row, r.cpChair, 'cp_chair')
      if (socialWorker === undefined || iro === undefined || cpChair === undefined) continue
      Object.assign(child, { socialWorker, iro, cpChair, allocationRow: r.row })
    }
  }
  // A reviewer only for a child who needs one; named on the row that made it so.
  for (const c of children.values()) {
    const at: [ImportKind, number] | undefined =
      c.allocationRow !== undefined
        ? ['allocations', c.allocationRow]
        : c.row !== undefined
          ? ['children', c.row]
          : undefined
    if (!at) continue
    if (c.iro !== null && c.lookedAfterStart === null) problem(...at, m.allocation.iroNeedsLookedAfter)
    if (c.cpChair !== null && c.cpPlanStart === null) problem(...at, m.allocation.cpChairNeedsPlan)
  }

  if (issues.length) return { ok: false, issues: sortIssues(issues) }
  return { ok: true, plan: describe(units, people, children) }
}

const fileOrder = (f: ImportKind) => ['units', 'people', 'children', 'allocations'].indexOf(f)
const sortIssues = (issues: ImportIssue[]) =>
  [...issues].sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || (a.row ?? 0) - (b.row ?? 0))

function describe(
  units: Map<UnitKey, PlannedUnit>,
  people: Map<PersonKey, PlannedPerson>,
  children: Map<string, PlannedChild>,
): ImportPlan {
  const unitName = (key: UnitKey | null) => (key === null ? '' : (units.get(key)?.name ?? key))
  const personName = (key: PersonKey | null) => {
    if (key === null) return ''
    const p = people.get(key)
    return p ? `${p.givenName} ${p.familyName}${p.staffId ? ` (${p.staffId})` : ''}` : key
  }
  const before = (id: number | null | undefined) => {
    const e = id == null ? undefined : people.get(`id:${id}`)?.existing
    return e ? `${e.givenName} ${e.familyName}${e.staffId ? ` (${e.staffId})` : ''}` : ''
  }
  const keyById = new Map([...units].flatMap(([key, u]) => (u.existing ? [[u.existing.id, key] as const] : [])))
  const unitNameOf = (id: number | null | undefined) => (id == null ? '' : unitName(keyById.get(id) ?? null))
  const items: PlanItem[] = []
  /** [field, from, to] compared as shown, or [field, from, to, same] when the values are compared by key. */
  const diff = (pairs: ([string, string, string] | [string, string, string, boolean])[]) =>
    pairs
      .filter(([, from, to, same]) => (same === undefined ? from !== to : !same))
      .map(([field, from, to]) => ({ field, from, to }))
  /** A person field: the same person is no change, even when this import gives them a staff ID. */
  const personField = (field: string, id: number | null | undefined, key: PersonKey | null) =>
    [field, before(id), personName(key), (id == null ? null : `id:${id}`) === key] as [string, string, string, boolean]

  // Units: parents before the units under them, so each insert can name its parent.
  const ordered: PlannedUnit[] = []
  const placed = new Set<UnitKey>()
  const place = (key: UnitKey) => {
    const u = units.get(key)!
    if (placed.has(key)) return
    placed.add(key)
    if (u.parent !== null && units.has(u.parent)) place(u.parent)
    ordered.push(u)
  }
  for (const key of [...units.keys()].sort()) place(key)
  const writeUnits: PlannedUnit[] = []
  for (const u of ordered) {
    const e = u.existing
    const changes = diff([
      ['name', e?.name ?? '', u.name],
      ['type', e ? unitKindTitles[e.kind] : '', unitKindTitles[u.kind]],
      ['parent', unitNameOf(e?.parentId), unitName(u.parent)],
      personField('manager', e?.managerId, u.manager),
    ])
    if (!e || changes.length) {
      items.push({ entity: 'unit', action: e ? 'change' : 'add', key: u.name, label: u.name, changes })
      writeUnits.push(u)
    }
  }

  const writePeople: PlannedPerson[] = []
  for (const p of [...people.values()].sort((a, b) => (a.staffId ?? a.email).localeCompare(b.staffId ?? b.email))) {
    const e = p.existing
    const changes = diff([
      ['staff ID', e?.staffId ?? '', p.staffId ?? ''],
      ['first name', e?.givenName ?? '', p.givenName],
      ['last name', e?.familyName ?? '', p.familyName],
      ['email', e?.email ?? '', p.email],
      ['unit', unitNameOf(e?.unitId), unitName(p.unit)],
      ['roles', e ? [...e.roles].sort().join('; ') : '', p.roles.join('; ')],
      ['active', e ? (e.active ? 'yes' : 'no') : '', p.active ? 'yes' : 'no'],
    ]).filter(c => e || c.field !== 'active')
    if (e && !changes.length) continue
    const action: Action = !e ? 'add' : e.active && !p.active ? 'end' : 'change'
    items.push({
      entity: 'person',
      action,
      key: p.staffId ?? p.email,
      label: `${p.givenName} ${p.familyName}`,
      changes,
    })
    writePeople.push(p)
  }

  const writeChildren: PlannedChild[] = []
  for (const c of [...children.values()].sort((a, b) => a.caseId.localeCompare(b.caseId))) {
    const e = c.existing
    const changes = diff([
      ['case ID', e?.caseId ?? '', c.caseId],
      ['first name', e?.givenName ?? '', c.givenName],
      ['last name', e?.familyName ?? '', c.familyName],
      ['date of birth', e?.dateOfBirth ?? '', c.dateOfBirth],
      ['team', unitNameOf(e?.teamId), unitName(c.team)],
      ['child protection plan start', e?.cpPlanStart ?? '', c.cpPlanStart ?? ''],
      ['looked after start', e?.lookedAfterStart ?? '', c.lookedAfterStart ?? ''],
      personField('social worker', e?.socialWorkerId, c.socialWorker),
      personField('IRO', e?.iroId, c.iro),
      personField('CP chair', e?.cpChairId, c.cpChair),
      ['case closed on', e?.closedOn ?? '', c.closedOn ?? ''],
    ])
    if (e && !changes.length) continue
    const action: Action = !e ? 'add' : e.closedOn === null && c.closedOn !== null ? 'end' : 'change'
    items.push({ entity: 'child', action, key: c.caseId, label: `${c.givenName} ${c.familyName}`, changes })
    writeChildren.push(c)
  }
  // Someone ended who still has children or a unit would leave them without an active worker or manager.
  const load = new Map<PersonKey, number>()
  for (const c of children.values())
    if (c.closedOn === null)
      for (const key of new Set([c.socialWorker, c.iro, c.cpChair]))
        if (key !== null) load.set(key, (load.get(key) ?? 0) + 1)
  const warnings: string[] = []
  for (const p of people.values()) {
    if (!p.existing?.active || p.active) continue
    const name = `${p.givenName} ${p.familyName}${p.staffId ? ` (${p.staffId})` : ''}`
    const allocated = load.get(p.key) ?? 0
    if (allocated) warnings.push(m.warnings.allocated(name, allocated))
    const managed = [...units.values()].filter(u => u.manager === p.key).map(u => u.name)
    if (managed.length) warnings.push(m.warnings.manages(name, managed))
  }
  return { items, warnings, units: writeUnits, people: writePeople, children: writeChildren }
}
