import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type Database, openPglite, openPostgres } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'

export type DatabaseKind = 'pglite' | 'postgres'

/**
 * Which databases the integration tests run on. PGlite always; PostgreSQL when
 * CONCORD_TEST_DATABASE_URL names a server (CI sets it and CONCORD_REQUIRE_POSTGRES=true,
 * so a missing server fails the run instead of skipping it).
 */
export function databaseKinds(): DatabaseKind[] {
  const url = process.env.CONCORD_TEST_DATABASE_URL
  if (!url && process.env.CONCORD_REQUIRE_POSTGRES === 'true') {
    throw new Error('CONCORD_REQUIRE_POSTGRES is set but CONCORD_TEST_DATABASE_URL is not')
  }
  return url ? ['pglite', 'postgres'] : ['pglite']
}

export interface TestDatabase {
  db: Database
  url?: string
  /** Closes the database and, on PostgreSQL, drops it. */
  dispose(): Promise<void>
}

/** A fresh, migrated database of the given kind; each PostgreSQL one is a new database of its own. */
export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openPglite()
    await migrate(db)
    return { db, dispose: () => db.close() }
  }
  const adminUrl = process.env.CONCORD_TEST_DATABASE_URL!
  const name = `concord_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const db = await openPostgres(url.toString(), 5)
  await migrate(db)
  return {
    db,
    url: url.toString(),
    async dispose() {
      await db.close()
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
