import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, openPglite } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const samples = path.join(root, 'docs', 'import-samples')
const sample = (name: string) => path.join(samples, name)
const all = [
  '--teams',
  sample('teams.csv'),
  '--people',
  sample('people.csv'),
  '--children',
  sample('children.csv'),
  '--allocations',
  sample('allocations.csv'),
]

/**
 * The nightly job: `npm run import` as its own process, against an empty database of each kind,
 * importing the sample files of docs/import-samples (so they are known to be valid).
 */
describe.each(databaseKinds())('the import command on %s', kind => {
  let env: NodeJS.ProcessEnv
  let tmp: string
  let postgres: TestDatabase | undefined
  let pgliteDir: string | undefined

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'concord-import-'))
    if (kind === 'postgres') {
      postgres = await freshDatabase('postgres')
      env = { DATABASE_URL: postgres.url }
    } else {
      pgliteDir = path.join(tmp, 'db')
      const db = await openPglite(pgliteDir)
      await migrate(db)
      await db.close()
      env = { CONCORD_DATA_DIR: pgliteDir }
    }
  })
  afterAll(async () => {
    await postgres?.dispose()
    rmSync(tmp, { recursive: true, force: true })
  })

  const run = (args: string[]) => {
    const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['src/bin/import.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: 'utf8',
      timeout: 100_000,
    })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  /** Reads the database between runs (PGlite: only one process may hold the folder at a time). */
  async function query<T>(sql: string): Promise<T[]> {
    const db: Database = postgres ? postgres.db : await openPglite(pgliteDir)
    try {
      return (await db.query<T>(sql)).rows
    } finally {
      if (!postgres) await db.close()
    }
  }
  const counts = () =>
    query<{ units: number; people: number; children: number; events: number }>(
      `select (select count(*) from org_units) as units, (select count(*) from people) as people,
         (select count(*) from children) as children, (select count(*) from events) as events`,
    )

  it('imports the sample files, then changes nothing when run again', async () => {
    const first = run(all)
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    expect(first.stdout).toContain('teams: 9 to add, 0 to change')
    expect(first.stdout).toContain('people: 14 to add, 0 to change, 0 to end')
    expect(first.stdout).toContain('children: 3 to add, 0 to change, 0 to end (case closed)')
    expect(first.stdout).toMatch(/Import \d+ applied\./)
    expect((await counts())[0]).toMatchObject({ units: 9, people: 14, children: 3 })
    const chain = await query<{ name: string; manager: string }>(
      `select u.name, p.staff_id as manager from org_units u join people p on p.id = u.manager_id
       where u.name = 'Long Term Team North'`,
    )
    expect(chain).toEqual([{ name: 'Long Term Team North', manager: 'TM0002' }])
    const oliver = await query<{ dob: string; sw: string; iro: string; by: number | null }>(
      `select c.date_of_birth as dob, sw.staff_id as sw, iro.staff_id as iro, b.created_by as by
       from children c join people sw on sw.id = c.social_worker_id join people iro on iro.id = c.iro_id
       cross join (select created_by from import_batches where status = 'applied' limit 1) b
       where c.case_id = 'MOS-100235'`,
    )
    expect(oliver).toEqual([{ dob: '2016-07-12', sw: 'SW0002', iro: 'IRO001', by: null }])

    const before = await counts()
    const again = run(all)
    expect(again.status).toBe(0)
    expect(again.stdout).toContain('teams: 0 to add, 0 to change')
    expect(again.stdout).toContain('children: 0 to add, 0 to change, 0 to end (case closed)')
    // One more event: the import's own record; no record changed.
    expect((await counts())[0]).toEqual({ ...before[0]!, events: before[0]!.events + 1 })
  }, 120_000)

  it('prints the plan on a dry run and changes nothing', async () => {
    const moved = path.join(tmp, 'moved.csv')
    writeFileSync(moved, 'case_id,social_worker,iro,cp_chair\nMOS-100234,SW0001,IRO001,\n')
    const before = await counts()
    const dry = run(['--allocations', moved, '--dry-run'])
    expect(dry.status).toBe(0)
    expect(dry.stdout).toContain('change child MOS-100234: social worker\n')
    expect(dry.stdout).not.toContain('Jo Baker') // no values in output that may end up in a job's logs
    expect(dry.stdout).toContain('Dry run: nothing was changed.')
    // Only the cancelled import itself is on the record.
    expect(await counts()).toEqual([{ ...before[0]!, events: before[0]!.events + 1 }])
  }, 120_000)

  it('reports every problem with the files, exits 1 and changes nothing', async () => {
    const bad = path.join(tmp, 'bad.csv')
    writeFileSync(
      bad,
      'case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start\nX1,Ann,Lee,2015-02-30,Nowhere Team,,\n',
    )
    const before = await counts()
    const result = run(['--children', bad])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Nothing was imported.')
    expect(result.stderr).toContain(
      '- Children file, row 2: The date of birth must be a real date, like 2015-06-01 or 01/06/2015',
    )
    expect(await counts()).toEqual(before)
    const usage = run([])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('Usage: npm run import')
  }, 120_000)
})
