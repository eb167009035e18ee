import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import type { Database } from '../../src/db/database.js'
import { accessService, type CurrentUser } from '../../src/services/accessService.js'
import { ForbiddenError } from '../../src/services/errors.js'
import { type ImportFile, ImportStaleError, importService } from '../../src/services/importService.js'
import { type Fixture, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

const NOW = new Date('2023-01-05T09:00:00Z')
const limits = { maxFileBytes: 1024 * 1024, maxRows: 1000 }
const csv = (kind: ImportFile['kind'], text: string, fileName = `${kind}.csv`): ImportFile => ({
  kind,
  fileName,
  bytes: new TextEncoder().encode(text),
})

// The fixture's people have no staff IDs: the people file matches them by email and gives them one.
const teams = `name,type,parent,manager
Team A,team,North service,tmA@test.example
Team D,Team,South service,
`
const people = `staff_id,given_name,family_name,email,unit,roles
S-A,swA,Fixture,swA@test.example,Team A,social_worker
S-B,swB,Fixture,swB@test.example,Team B,social_worker
S-C,swC,Fixture,swC@test.example,Team C,social_worker
S-D,Dana,Dee,dana.dee@test.example,Team D,social_worker
S-I1,iro1,Fixture,iro1@test.example,Reviewing team,iro
S-I2,iro2,Fixture,iro2@test.example,Reviewing team,iro
S-CP,cpc1,Fixture,cpc1@test.example,Reviewing team,cp_chair
`
const children = `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C1,c1,Child,2015-06-01,Team A,2022-03-01,
C2,c2,Child,01/06/2015,Team A,,2021-05-10
C3,c3,Child,2015-06-01,Team B,,2021-05-10
C5,Eve,New,2019-02-03,Team D,,2022-12-01
`
const allocations = `case_id,social_worker,iro,cp_chair
C1,S-A,,cpc1@test.example
C2,S-B,S-I1,
C3,S-B,S-I2,
C5,S-D,S-I2,
`

describe.each(databaseKinds())('import from the case-management system on %s', kind => {
  let database: TestDatabase
  let db: Database
  let fixture: Fixture
  let clock: SettableClock
  let admin: CurrentUser
  let imports: ReturnType<typeof importService>

  beforeAll(async () => {
    database = await freshDatabase(kind)
    db = database.db
    fixture = await loadFixture(db)
    clock = new SettableClock(NOW)
    imports = importService(db, clock, limits)
    admin = (await accessService(db, clock).currentUser(fixture.people.admin))!
  })
  afterAll(async () => database?.dispose())

  const versions = async () =>
    (
      await db.query<{ v: string }>(
        `select (select string_agg(id || ':' || version, ',' order by id) from children) || '|' ||
           (select string_agg(id || ':' || version || ':' || active, ',' order by id) from people) || '|' ||
           (select string_agg(id || ':' || version, ',' order by id) from org_units) as v`,
      )
    ).rows[0]!.v
  const eventCount = async () => (await db.query<{ n: number }>('select count(*) as n from events')).rows[0]!.n

  it('refuses anyone but an administrator', async () => {
    const sw = (await accessService(db, clock).currentUser(fixture.people.swA))!
    await expect(imports.preview(sw, [csv('children', children)])).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('previews adds, changes and ends without changing anything, then applies them in one go', async () => {
    const before = await versions()
    const events = await eventCount()
    const preview = await imports.preview(admin, [
      csv('units', teams),
      csv('people', people),
      csv('children', children),
      csv('allocations', allocations),
    ])
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues))
    expect(await versions()).toBe(before)
    expect(await eventCount()).toBe(events)
    expect(preview.counts.unit).toEqual({ add: 1, change: 0, end: 0 })
    expect(preview.counts.person).toEqual({ add: 1, change: 6, end: 0 })
    // C5 added; C2's social worker moved; C4 is not in the file, so its case is closed.
    expect(preview.counts.child).toEqual({ add: 1, change: 1, end: 1 })
    const batch = await imports.batch(admin, preview.batchId)
    const c2 = batch.plan!.find(i => i.key === 'C2')!
    expect(c2).toMatchObject({ entity: 'child', action: 'change' })
    expect(c2.changes).toEqual([{ field: 'social worker', from: 'swA Fixture', to: 'swB Fixture (S-B)' }])
    expect(batch.plan!.find(i => i.key === 'C4')).toMatchObject({
      action: 'end',
      changes: [{ field: 'case closed on', from: '', to: '2023-01-05' }],
    })

    const counts = await imports.apply(admin, preview.batchId, batch.version)
    expect(counts.child).toEqual({ add: 1, change: 1, end: 1 })
    const c2Row = (
      await db.query<{ social_worker_id: number }>('select social_worker_id from children where id = $1', [
        fixture.children.c2,
      ])
    ).rows[0]!
    expect(c2Row.social_worker_id).toBe(fixture.people.swB)
    const c5 = (
      await db.query<{ team: string; sw: string; iro: string }>(
        `select t.name as team, sw.email as sw, iro.email as iro from children c join org_units t on t.id = c.team_id
         join people sw on sw.id = c.social_worker_id join people iro on iro.id = c.iro_id where c.case_id = 'C5'`,
      )
    ).rows[0]!
    expect(c5).toEqual({ team: 'Team D', sw: 'dana.dee@test.example', iro: 'iro2@test.example' })
    const closed = await db.query<{ closed_on: string }>('select closed_on from children where id = $1', [
      fixture.children.c4,
    ])
    expect(closed.rows[0]!.closed_on).toBe('2023-01-05')
    // Each changed record has an event naming the import; the import itself is recorded too.
    const history = await db.query<{ kind: string }>(
      `select kind from events where child_id = $1 and data->>'import' = $2`,
      [fixture.children.c2, String(preview.batchId)],
    )
    expect(history.rows.map(r => r.kind)).toEqual(['child.changed_by_import'])
    const applied = await imports.batch(admin, preview.batchId)
    expect(applied).toMatchObject({ status: 'applied', appliedBy: fixture.people.admin, input: null, plan: null })
    expect(applied.fileNames).toEqual({
      units: 'units.csv',
      people: 'people.csv',
      children: 'children.csv',
      allocations: 'allocations.csv',
    })
    // Applying the same preview twice is refused.
    await expect(imports.apply(admin, preview.batchId, applied.version)).rejects.toThrow(
      'This import has already been applied or cancelled.',
    )
  })

  it('changes nothing when the same files are imported again', async () => {
    const before = await versions()
    const events = await eventCount()
    const preview = await imports.preview(admin, [
      csv('units', teams),
      csv('people', people),
      csv('children', children),
      csv('allocations', allocations),
    ])
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues))
    expect(preview.counts).toEqual({
      unit: { add: 0, change: 0, end: 0 },
      person: { add: 0, change: 0, end: 0 },
      child: { add: 0, change: 0, end: 0 },
    })
    const batch = await imports.batch(admin, preview.batchId)
    await imports.apply(admin, preview.batchId, batch.version)
    expect(await versions()).toBe(before)
    // Only the import's own record: no record changed.
    expect(await eventCount()).toBe(events + 1)
  })

  it('ends a person who left the people file, and never the administrator running the import', async () => {
    const fewer = people
      .split('\n')
      .filter(l => !l.startsWith('S-I2,'))
      .join('\n')
    const preview = await imports.preview(admin, [csv('people', fewer)])
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues))
    const batch = await imports.batch(admin, preview.batchId)
    expect(batch.plan).toEqual([
      {
        entity: 'person',
        action: 'end',
        key: 'S-I2',
        label: 'iro2 Fixture',
        changes: [{ field: 'active', from: 'yes', to: 'no' }],
      },
    ])
    // iro2 still reviews C3 and C5: the preview says so.
    expect(batch.warnings).toEqual([
      'iro2 Fixture (S-I2) will be made inactive but is still allocated to 2 children: allocate them to someone else in the allocations file',
    ])
    await imports.cancel(admin, preview.batchId, batch.version)
    expect(await imports.batch(admin, preview.batchId)).toMatchObject({ status: 'cancelled', warnings: null })
    const cancelled = await db.query<{ actor_id: number }>(
      `select actor_id from events where entity_type = 'import' and entity_id = $1 and kind = 'import.cancelled'`,
      [preview.batchId],
    )
    expect(cancelled.rows).toEqual([{ actor_id: fixture.people.admin }])
  })

  it('refuses to apply a preview when the records changed since, and plans again', async () => {
    const moved = allocations.replace('C3,S-B,S-I2,', 'C3,S-A,S-I2,')
    const preview = await imports.preview(admin, [csv('allocations', moved)])
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues))
    const batch = await imports.batch(admin, preview.batchId)
    // Someone moves C3 to swA by hand before the preview is applied: the plan would now do nothing.
    await db.query('update children set social_worker_id = $2, version = version + 1 where id = $1', [
      fixture.children.c3,
      fixture.people.swA,
    ])
    const before = await versions()
    await expect(imports.apply(admin, preview.batchId, batch.version)).rejects.toBeInstanceOf(ImportStaleError)
    expect(await versions()).toBe(before)
    expect(await imports.refresh(admin, preview.batchId)).toEqual({ ok: true })
    const again = await imports.batch(admin, preview.batchId)
    expect(again.plan).toEqual([])
    expect(again.version).toBe(batch.version + 1)
  })

  it('rejects bad rows with a message for each, and changes nothing', async () => {
    const before = await versions()
    const events = await eventCount()
    const messages = async (files: ImportFile[]) => {
      const result = await imports.preview(admin, files)
      return result.ok ? [] : result.issues.map(i => i.message)
    }
    // First each file's columns and each row on its own...
    expect(
      await messages([
        csv('units', 'name,type,parent,manager\nTeam X,squad,North service,\n'),
        csv('people', 'staff_id,given_name,family_name,email\nS-1,A,B,a@b.example\n'),
        csv(
          'children',
          `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C1,c1,Child,2015-13-01,Team A,,
C7,,Child,2015-06-01,Team A,31/02/2020,
`,
        ),
      ]),
    ).toEqual([
      'Teams file, row 2: Enter a type of unit: one of team, service, area, safeguarding, childrens_services, council, reviewing_team, reviewing_service',
      'The people file is missing the columns unit, roles',
      'Children file, row 2: The date of birth must be a real date, like 2015-06-01 or 01/06/2015',
      'Children file, row 3: Enter the child’s first name',
      'Children file, row 3: The child protection plan start date must be a real date, like 2015-06-01 or 01/06/2015',
    ])
    // ...then the rows against each other and against Concord.
    expect(
      await messages([
        csv('units', 'name,type,parent,manager\nTeam Y,team,Nowhere,\nTeam W,team,North area,\n'),
        csv(
          'children',
          `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C9,Nine,Child,2015-06-01,Team Z,,
C1,c1,Child,2015-06-01,Team A,2022-03-01,
C1,c1,Child,2015-06-01,Team A,,
C8,Eight,Child,2030-01-01,Team A,,
C3,c3,Child,2015-06-01,Team B,,2021-05-10
`,
        ),
        csv('allocations', 'case_id,social_worker,iro,cp_chair\nC3,nobody@test.example,S-A,\nC1,,iro1@test.example,\n'),
      ]),
    ).toEqual([
      'Teams file, row 2: there is no unit called “Nowhere” in Concord or the teams file',
      'Teams file, row 3: a team must sit under a service',
      'Children file, row 2: there is no team called “Team Z” in Concord or the teams file',
      'Children file, row 4: the same case ID is also on row 3',
      'Children file, row 5: The date of birth must be today or in the past',
      'Allocations file, row 2: there is no person with staff ID or email “nobody@test.example” in Concord or the people file',
      'Allocations file, row 2: S-A does not have the role iro',
      'Allocations file, row 3: An IRO can only be allocated to a child who is looked after (enter looked_after_start)',
    ])
    expect(await versions()).toBe(before)
    expect(await eventCount()).toBe(events)
  })

  it('rejects a file that is not CSV, an empty file, a file too large and wrong columns', async () => {
    const issues = async (file: ImportFile) => {
      const r = await imports.preview(admin, [file])
      return r.ok ? [] : r.issues.map(i => i.message)
    }
    expect(await issues(csv('children', 'x', 'children.xlsx'))).toEqual(['The children file must be a CSV'])
    expect(
      await issues({ kind: 'children', fileName: 'c.csv', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]) }),
    ).toEqual([
      'The children file is not a CSV file that Concord can read: save it from the spreadsheet as “CSV UTF-8”',
    ])
    expect(await issues(csv('children', ''))).toEqual(['The children file is empty'])
    expect(await issues({ ...csv('children', 'x'), size: 50 * 1024 * 1024 })).toEqual([
      'The children file must be smaller than 1 MB',
    ])
    expect(await issues(csv('allocations', 'case_id,worker\nC1,S-A\n'))).toEqual([
      'The allocations file is missing the columns social_worker, iro, cp_chair',
      'The allocations file has column Concord does not recognise: worker',
    ])
    expect(await issues(csv('allocations', 'case_id,social_worker,iro,cp_chair\nC1,"S-A\n'))).toEqual([
      'The allocations file is not a valid CSV file: row 2 does not have the same columns as the header',
    ])
    expect(await issues(csv('allocations', 'case_id,social_worker,iro,cp_chair\nC1,S-A\n'))).toEqual([
      'The allocations file is not a valid CSV file: row 2 does not have the same columns as the header',
    ])
    expect(await imports.preview(admin, [])).toEqual({
      ok: false,
      issues: [{ file: 'children', message: 'Select at least one CSV file to import' }],
    })
  })
})
