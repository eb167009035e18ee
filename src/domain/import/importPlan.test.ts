import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { importFiles, readCsvFile } from './csvFiles.js'
import { type ImportPlan, planImport, type Snapshot, type SnapshotChild } from './importPlan.js'
import { type ImportInput, parseImportDate, validateRows } from './importRows.js'

const TODAY = '2023-01-05'

/** A small authority: a council down to two teams, a social worker and an IRO. */
const snapshot = (): Snapshot => ({
  units: [
    { id: 1, name: 'Council', kind: 'council', parentId: null, managerId: null, version: 1 },
    { id: 2, name: 'CS', kind: 'childrens_services', parentId: 1, managerId: null, version: 1 },
    { id: 3, name: 'Safeguarding', kind: 'safeguarding', parentId: 2, managerId: null, version: 1 },
    { id: 4, name: 'Area', kind: 'area', parentId: 3, managerId: null, version: 1 },
    { id: 5, name: 'Service', kind: 'service', parentId: 4, managerId: null, version: 1 },
    { id: 6, name: 'Team A', kind: 'team', parentId: 5, managerId: null, version: 1 },
    { id: 7, name: 'Team B', kind: 'team', parentId: 5, managerId: null, version: 1 },
  ],
  people: [
    {
      id: 1,
      staffId: 'S1',
      email: 'sw@x.example',
      givenName: 'Sue',
      familyName: 'Worker',
      unitId: 6,
      roles: ['social_worker'],
      active: true,
      version: 1,
    },
    {
      id: 2,
      staffId: 'I1',
      email: 'iro@x.example',
      givenName: 'Ian',
      familyName: 'Reviewer',
      unitId: null,
      roles: ['iro'],
      active: true,
      version: 1,
    },
  ],
  children: [],
})

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
const csvText = (header: string[], rows: string[][]) =>
  [header, ...rows].map(r => r.map(csvCell).join(',')).join('\n') + '\n'
const bytes = (text: string) => new TextEncoder().encode(text)

function input(kind: 'children' | 'allocations' | 'units', text: string): ImportInput {
  const csv = readCsvFile(kind, `${kind}.csv`, bytes(text), 1000)
  if (!csv.ok) throw new Error(JSON.stringify(csv.issues))
  const rows = validateRows(kind, csv.rows)
  if (rows.issues.length) throw new Error(JSON.stringify(rows.issues))
  return { [kind]: rows.rows }
}

/** What applying a plan's children does to a snapshot (the service does the same in SQL). */
function applyChildren(s: Snapshot, plan: ImportPlan): Snapshot {
  const unitId = (key: string) => s.units.find(u => u.name.toLowerCase() === key)!.id
  const personId = (key: string | null) => (key === null ? null : Number(key.replace('id:', '')))
  const children = new Map(s.children.map(c => [c.id, c]))
  let next = Math.max(0, ...s.children.map(c => c.id)) + 1
  for (const c of plan.children) {
    const row: SnapshotChild = {
      id: c.existing?.id ?? next++,
      caseId: c.caseId,
      givenName: c.givenName,
      familyName: c.familyName,
      dateOfBirth: c.dateOfBirth,
      teamId: unitId(c.team),
      socialWorkerId: personId(c.socialWorker),
      iroId: personId(c.iro),
      cpChairId: personId(c.cpChair),
      cpPlanStart: c.cpPlanStart,
      lookedAfterStart: c.lookedAfterStart,
      closedOn: c.closedOn,
      version: (c.existing?.version ?? 0) + 1,
    }
    children.set(row.id, row)
  }
  return { ...s, children: [...children.values()] }
}

describe('reading CSV files', () => {
  it('reads back any table of cells, quoted or not, in any column order', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'B', '1', ' ', ',', '"', '\n', 'é', '’'), maxLength: 8 })
    const columns = importFiles.children.columns
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...columns], { minLength: columns.length }),
        fc.array(fc.array(cell, { minLength: columns.length, maxLength: columns.length }), {
          minLength: 1,
          maxLength: 5,
        }),
        (header, rows) => {
          // A row of only blank cells on one line is not a row a spreadsheet would write.
          fc.pre(rows.every(r => r.some(c => c.trim() !== '')))
          const result = readCsvFile('children', 'c.csv', bytes(csvText(header, rows)), 100)
          expect(result.ok).toBe(true)
          if (!result.ok) return
          expect(result.rows.map(r => header.map(h => r.values[h]))).toEqual(rows.map(r => r.map(c => c.trim())))
        },
      ),
    )
  })

  it('numbers rows as a spreadsheet does, the header being row 1', () => {
    const text = 'case_id,social_worker,iro,cp_chair\nC1,,,\n\nC2,"two\nlines",,\nC3,,,\n'
    const result = readCsvFile('allocations', 'a.csv', bytes(text), 100)
    expect(result.ok && result.rows.map(r => [r.row, r.values.case_id])).toEqual([
      [2, 'C1'],
      [5, 'C2'],
      [6, 'C3'],
    ])
  })

  it('takes headers without regard to case, spaces or hyphens, and a byte-order mark', () => {
    const result = readCsvFile('allocations', 'a.csv', bytes('\uFEFFCase ID,Social-Worker,IRO,cp chair\nC1,S1,,\n'), 9)
    expect(result.ok && result.rows[0]!.values).toEqual({ case_id: 'C1', social_worker: 'S1', iro: '', cp_chair: '' })
  })

  it('refuses more rows than the limit', () => {
    const result = readCsvFile('allocations', 'a.csv', bytes('case_id,social_worker,iro,cp_chair\nC1,,,\nC2,,,\n'), 1)
    expect(result).toEqual({
      ok: false,
      issues: [{ file: 'allocations', message: 'The allocations file must have 1 rows or fewer' }],
    })
  })
})

describe('import dates', () => {
  it('reads a real date written either way as the same day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z') }), d => {
        fc.pre(!Number.isNaN(d.getTime()))
        const iso = d.toISOString().slice(0, 10)
        const [y, m, day] = iso.split('-')
        expect(parseImportDate(iso)).toBe(iso)
        expect(parseImportDate(`${day}/${m}/${y}`)).toBe(iso)
        expect(parseImportDate(`${Number(day)}/${Number(m)}/${y}`)).toBe(iso)
      }),
    )
  })

  it('refuses dates that do not exist and other formats', () => {
    for (const bad of ['2023-02-29', '31/04/2022', '2023-1-5', '05-01-2023', '1/13/2020', 'yesterday', '1899-12-31'])
      expect(parseImportDate(bad), bad).toBeUndefined()
    expect(parseImportDate('29/02/2024')).toBe('2024-02-29')
  })
})

describe('planning an import', () => {
  const header = importFiles.children.columns
  const childRow = fc.record({
    dob: fc.date({ min: new Date('2005-01-01T00:00:00Z'), max: new Date('2022-12-31T00:00:00Z') }),
    given: fc.constantFrom('Amy', 'Ben', 'Cai'),
    family: fc.constantFrom('Stone', 'Reed'),
    team: fc.constantFrom('Team A', 'team b'),
    lookedAfter: fc.boolean(),
    uk: fc.boolean(),
  })

  it('plans nothing when the same files are planned against the state they produced', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,2}[0-9]{1,3}$/), { minLength: 1, maxLength: 8 }),
        fc.array(childRow, { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        (caseIds, rows, allocate) => {
          fc.pre(rows.every(r => !Number.isNaN(r.dob.getTime())))
          const lines = caseIds.map((caseId, i) => {
            const r = rows[i]!
            const iso = r.dob.toISOString().slice(0, 10)
            const dob = r.uk ? iso.split('-').reverse().join('/') : iso
            return [caseId, r.given, r.family, dob, r.team, '', r.lookedAfter ? '2022-12-31' : '']
          })
          const files: ImportInput = {
            ...input('children', csvText([...header], lines)),
            ...(allocate
              ? input(
                  'allocations',
                  csvText(
                    ['case_id', 'social_worker', 'iro', 'cp_chair'],
                    caseIds.map((c, i) => [c, 'S1', rows[i]!.lookedAfter ? 'iro@x.example' : '', '']),
                  ),
                )
              : {}),
          }
          const first = planImport(files, snapshot(), { today: TODAY, importerId: null })
          expect(first.ok).toBe(true)
          if (!first.ok) return
          expect(first.plan.items.filter(i => i.action === 'add')).toHaveLength(caseIds.length)
          const second = planImport(files, applyChildren(snapshot(), first.plan), { today: TODAY, importerId: null })
          expect(second).toEqual({ ok: true, plan: { items: [], warnings: [], units: [], people: [], children: [] } })
        },
      ),
      { numRuns: 50 },
    )
  })

  it('closes a child left out of the children file and reopens one who comes back', () => {
    const files = input(
      'children',
      'case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start\nA1,Amy,Stone,2015-01-01,Team A,,\n',
    )
    const first = planImport(files, snapshot(), { today: TODAY, importerId: null })
    if (!first.ok) throw new Error('plan refused')
    const withA1 = applyChildren(snapshot(), first.plan)
    const other = input(
      'children',
      'case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start\nB2,Ben,Reed,2016-01-01,Team B,,\n',
    )
    const second = planImport(other, withA1, { today: TODAY, importerId: null })
    if (!second.ok) throw new Error('plan refused')
    expect(second.plan.items.map(i => [i.key, i.action])).toEqual([
      ['A1', 'end'],
      ['B2', 'add'],
    ])
    const later = planImport(files, applyChildren(withA1, second.plan), { today: '2023-02-01', importerId: null })
    if (!later.ok) throw new Error('plan refused')
    expect(later.plan.items.find(i => i.key === 'A1')).toEqual({
      entity: 'child',
      action: 'change',
      key: 'A1',
      label: 'Amy Stone',
      changes: [{ field: 'case closed on', from: '2023-01-05', to: '' }],
    })
  })

  it('refuses a unit under itself (through another unit of the file) or under the wrong type of unit', () => {
    const files = input(
      'units',
      'name,type,parent,manager\nService X,service,Area Y,\nArea Y,area,Service X,\nTeam Z,team,Service X,\n',
    )
    const result = planImport(files, snapshot(), { today: TODAY, importerId: null })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.issues.map(i => i.message)).toEqual([
      'Teams file, row 2: A unit cannot sit under itself or under one of its own units',
      'Teams file, row 3: a service area must sit under a safeguarding and care directorate',
    ])
  })
})
