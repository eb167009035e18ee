import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Database } from './database.js'

const migrationsDir = path.join(import.meta.dirname, 'migrations')
// Any fixed number: instances starting together take turns at migrating.
const MIGRATION_LOCK = 720_001

/** Applies each numbered .sql file once, in order, each in its own transaction. Forward only. */
export async function migrate(db: Database): Promise<string[]> {
  await db.query(`create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`)
  const files = (await readdir(migrationsDir)).filter(f => /^\d{4}_.+\.sql$/.test(f)).sort()
  const applied: string[] = []
  for (const file of files) {
    const sql = await readFile(path.join(migrationsDir, file), 'utf8')
    const ran = await db.transaction(async tx => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      const done = await tx.query('select 1 from schema_migrations where name = $1', [file])
      if (done.rows.length > 0) return false
      await tx.query('insert into schema_migrations (name) values ($1)', [file])
      for (const statement of splitStatements(sql)) await tx.query(statement)
      return true
    })
    if (ran) applied.push(file)
  }
  return applied
}

/** Our migrations keep to statements separated by semicolons at line ends (a function body stays on one line). */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map(s => s.trim())
    .filter(s => s.length > 0)
}
