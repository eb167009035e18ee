import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { queryConfig, type Queryable, type QueryResult } from '../src/db/database.js'
import { openItemsFor } from '../src/db/repositories/workItemRepository.js'
import { systemClock } from '../src/clock.js'
import { accessService } from '../src/services/accessService.js'

export interface CapturedQuery {
  sql: string
  params: readonly unknown[]
}

/**
 * Runs a repository function against a stand-in database that records the SQL it is given and
 * answers with `reply`: the benchmark then runs and explains exactly the app's own statements,
 * never a copy that could drift from them.
 */
export async function captureSql(
  work: (db: Queryable) => Promise<unknown>,
  reply: (sql: string) => Record<string, unknown>[] = () => [],
): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = []
  const recorder: Queryable = {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      captured.push({ sql, params })
      const rows = reply(sql) as T[]
      return { rows, rowCount: rows.length }
    },
  }
  await work(recorder)
  return captured
}

/** Who reads an inbox: the person, and the children they may see (whose names the inbox shows). */
export type InboxReader = Parameters<typeof openItemsFor>[1]

/** The inbox's statements for a first page, as openItemsFor() sends them (today one: the page with its total). */
export async function inboxSql(reader: InboxReader, limit = 25, offset = 0): Promise<CapturedQuery[]> {
  return captureSql(
    db => openItemsFor(db, reader, limit, offset),
    sql => (/count\(\*\) as n\b/.test(sql) ? [{ n: 0 }] : [{ total: 0 }]),
  )
}

export interface Bare {
  url: string
  stop(): Promise<void>
}

/**
 * The baseline: a plain node:http server over a pg.Pool of the same size as Concord's (10),
 * running the inbox's own statements for `?person=<id>` and answering JSON. No framework,
 * no authentication, no session, no templates: what the inbox costs at the least. Each person's
 * statements (their parameters include the children they may see) are worked out on their first
 * request and kept, as Concord remembers who each person is (ADR 0021, 0028).
 */
export async function startBare(databaseUrl: string, poolSize = 10): Promise<Bare> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize })
  const db: Queryable = {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await pool.query(queryConfig(sql, params))
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 }
    },
  }
  const access = accessService(db, systemClock)
  const statementsOf = new Map<number, Promise<CapturedQuery[]>>()
  const statementsFor = (personId: number) => {
    let statements = statementsOf.get(personId)
    if (!statements) {
      statements = access.currentUser(personId).then(user => {
        if (!user) throw new Error(`no active person ${personId}`)
        return inboxSql({ personId, scope: user.scope })
      })
      // A failed look-up is not kept: the next request for that person tries again.
      statements.catch(() => statementsOf.delete(personId))
      statementsOf.set(personId, statements)
    }
    return statements
  }
  const server = http.createServer((req, res) => {
    const person = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('person') ?? req.headers['x-person-id'])
    if (!Number.isSafeInteger(person) || person <= 0) {
      res.writeHead(400).end()
      return
    }
    // One after the other, as openItemsFor() does, and named as the app names them (prepared once a connection).
    const answer = async () => {
      let rows: Record<string, unknown>[] = []
      for (const q of await statementsFor(person)) rows = (await pool.query(queryConfig(q.sql, q.params))).rows
      return JSON.stringify({ items: rows, total: Number(rows[0]?.total ?? 0) })
    }
    answer().then(
      body => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body),
      (error: Error) => res.writeHead(500).end(error.message),
    )
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      await pool.end()
    },
  }
}
