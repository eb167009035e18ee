import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../clock.js'
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import type { ImportKind } from '../domain/import/csvFiles.js'
import type { Counts } from '../domain/import/importPlan.js'
import { type ImportFile, ImportStaleError, importService } from '../services/importService.js'

/**
 * The nightly import: the same checks, preview and single transaction as the upload page.
 *   npm run import -- --teams teams.csv --people people.csv --children children.csv --allocations allocations.csv
 * --dry-run prints the plan and changes nothing. Exit status: 0 done, 1 the files have problems, 2 usage.
 * With the embedded database (no DATABASE_URL), stop the service first: only one process can open it.
 */
const usage = `Usage: npm run import -- [--teams FILE] [--people FILE] [--children FILE] [--allocations FILE] [--dry-run]`

const flags = { teams: 'units', people: 'people', children: 'children', allocations: 'allocations' } as const

let values: Record<string, string | boolean | undefined>
try {
  values = parseArgs({
    options: {
      teams: { type: 'string' },
      people: { type: 'string' },
      children: { type: 'string' },
      allocations: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values
} catch (error) {
  console.error((error as Error).message)
  console.error(usage)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}

const config = loadConfig()
const maxFileBytes = config.importMaxMegabytes * 1024 * 1024
const files: ImportFile[] = []
for (const [flag, kind] of Object.entries(flags) as [keyof typeof flags, ImportKind][]) {
  const file = values[flag]
  if (typeof file !== 'string') continue
  // A file too large is refused without reading it into memory.
  const size = (await stat(file)).size
  const bytes = size > maxFileBytes ? new Uint8Array(0) : await readFile(file)
  files.push({ kind, fileName: path.basename(file), bytes, size })
}
if (files.length === 0) {
  console.error(usage)
  process.exit(2)
}

const summary = (c: Counts) =>
  [
    `teams: ${c.unit.add} to add, ${c.unit.change} to change`,
    `people: ${c.person.add} to add, ${c.person.change} to change, ${c.person.end} to end`,
    `children: ${c.child.add} to add, ${c.child.change} to change, ${c.child.end} to end (case closed)`,
  ].join('\n')

const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
let status = 0
try {
  await migrate(db)
  const imports = importService(db, systemClock, { maxFileBytes, maxRows: 200_000 })
  const preview = await imports.preview('command_line', files)
  if (!preview.ok) {
    console.error('Nothing was imported. The files have these problems:')
    for (const issue of preview.issues) console.error(`- ${issue.message}`)
    status = 1
  } else {
    console.log(`Import ${preview.batchId} will change:\n${summary(preview.counts)}`)
    for (const warning of (await imports.batch('command_line', preview.batchId)).warnings ?? [])
      console.log(`Warning: ${warning}`)
    if (values['dry-run']) {
      const batch = await imports.batch('command_line', preview.batchId)
      // Keys and the names of changed fields only: a nightly job's output ends up in logs, so no
      // names, dates of birth or other values of children are printed (the Import page shows them).
      for (const item of batch.plan ?? [])
        console.log(
          `${item.action} ${item.entity} ${item.key}${item.changes.length ? ': ' : ''}${item.changes
            .map(c => c.field)
            .join(', ')}`,
        )
      await imports.cancel('command_line', preview.batchId, batch.version)
      console.log('Dry run: nothing was changed.')
    } else {
      const batch = await imports.batch('command_line', preview.batchId)
      await imports.apply('command_line', preview.batchId, batch.version)
      console.log(`Import ${preview.batchId} applied.`)
    }
  }
} catch (error) {
  if (error instanceof ImportStaleError) console.error('Records changed during the import; nothing was changed.')
  else console.error(`The import failed and nothing was changed: ${(error as Error).message}`)
  status = 1
} finally {
  await db.close()
}
process.exit(status)
