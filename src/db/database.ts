import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export interface QueryResult<T> {
  rows: T[]
  rowCount: number
}

/** Anything that runs SQL: the database itself or an open transaction. Repositories take this. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Follows a NOTIFY channel until the returned function is called. Optional: a database without
   * it (a test double, a benchmark wrapper) simply has no one listening.
   */
  listen?(channel: string, listener: ChannelListener): Promise<() => Promise<void>>
  close(): Promise<void>
}

export interface ChannelListener {
  /** A notification arrived on the channel. */
  onNotify(): void
  /** Listening (again): every notification from now on arrives. */
  onListening(): void
  /** No longer listening (why, in words with no personal data): notifications may be missed until onListening. */
  onLost(reason: string): void
}

const CHANNEL_NAME = /^[a-z_]+$/

/**
 * Statements the service sends on nearly every request (who is signed in, the session, the inbox)
 * are named, so each pooled PostgreSQL connection parses them once and can keep a generic plan
 * instead of parsing and planning them on every request (ADR 0020). PGlite has one connection and
 * no use for names. Only constant SQL texts may be named: each name is a prepared statement on
 * every connection for as long as it lives.
 */
const statementNames = new Map<string, string>()

export function namedStatement(name: string, sql: string): string {
  const existing = statementNames.get(sql)
  if (existing !== undefined && existing !== name) throw new Error(`statement already named ${existing}`)
  if ([...statementNames.values()].includes(name) && existing === undefined)
    throw new Error(`statement name ${name} is taken`)
  statementNames.set(sql, name)
  return sql
}

export function queryConfig(sql: string, params: readonly unknown[]): pg.QueryConfig {
  const name = statementNames.get(sql)
  return name === undefined ? { text: sql, values: [...params] } : { name, text: sql, values: [...params] }
}

// Type OIDs: int8 and numeric come back as numbers (counts, ids), dates as 'YYYY-MM-DD' strings
// so no time zone can move a calendar day.
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const parseNumber = (v: string) => Number(v)
const keepDate = (v: string) => v

/** PGlite holds one connection: every statement and every transaction waits its turn. */
class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly pglite: PGlite) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => undefined)
    return run
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    return this.exclusive(() => runPglite<T>(this.pglite, sql, params))
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      this.pglite.transaction(async tx =>
        work({ query: <R>(sql: string, params: readonly unknown[] = []) => runPglite<R>(tx, sql, params) }),
      ),
    )
  }

  /** PGlite calls back as soon as the notifying transaction commits, before its commit returns. */
  async listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`bad channel name ${channel}`)
    const unlisten = await this.exclusive(() => this.pglite.listen(channel, () => listener.onNotify()))
    listener.onListening()
    return async () => {
      listener.onLost('stopped')
      await this.exclusive(() => unlisten()).catch(() => undefined)
    }
  }

  close(): Promise<void> {
    return this.exclusive(() => this.pglite.close())
  }
}

interface PgliteLike {
  query<T>(sql: string, params?: unknown[], options?: object): Promise<{ rows: T[]; affectedRows?: number }>
}

async function runPglite<T>(db: PgliteLike, sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
  const result = await db.query<T>(sql, [...params])
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
}

/** How long to wait before connecting a lost listener again: doubling, at most this. */
const LISTEN_RETRY_MS = { first: 500, most: 30_000 }

export interface ListenOptions {
  /** Where the listening connection goes, if not the pool's address (a pooler in transaction mode cannot LISTEN). */
  listenUrl?: string
  /** How often a probe notification is sent through the pool, and how long to wait to hear it back. */
  probeEveryMs?: number
  probeWaitMs?: number
}

const PROBE_PREFIX = 'probe:'

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const
  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly options: ListenOptions = {},
  ) {}

  /**
   * A connection of its own (not the pool's, which closes idle connections). It counts as listening
   * only once a probe notification sent through the pool has come back on it, and a probe goes every
   * few seconds after that: a connection that died silently, or a pooler that accepts LISTEN but
   * never delivers, is noticed within seconds, not when TCP gives up. When it is lost the listener is
   * told at once and it reconnects with back-off; a notification sent meanwhile is missed, which is
   * why onLost exists.
   */
  async listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`bad channel name ${channel}`)
    const probeEveryMs = this.options.probeEveryMs ?? 15_000
    const probeWaitMs = this.options.probeWaitMs ?? 5_000
    let current: pg.Client | undefined
    let stopped = false
    let retry: NodeJS.Timeout | undefined
    let heartbeat: NodeJS.Timeout | undefined
    let connecting: Promise<void> | undefined
    let delay = LISTEN_RETRY_MS.first
    /** The probe each connection is waiting to hear, and what to do when it does. */
    const awaited = new Map<pg.Client, { payload: string; heard: () => void }>()

    const lost = (client: pg.Client, reason: string) => {
      if (client !== current) return
      current = undefined
      clearInterval(heartbeat)
      listener.onLost(reason)
      client.end().catch(() => undefined)
      later()
    }
    /** Sends a probe through the pool and resolves when `client` hears it; rejects if it does not in time. */
    const probe = (client: pg.Client) =>
      new Promise<void>((resolve, reject) => {
        const payload = `${PROBE_PREFIX}${randomUUID()}`
        /** Heard, timed out or not sent: whichever comes first ends the wait. */
        const settle = (error?: Error) => {
          clearTimeout(timer)
          awaited.delete(client)
          if (error) reject(error)
          else resolve()
        }
        const timer = setTimeout(() => settle(new Error('probe not heard back')), probeWaitMs)
        timer.unref()
        awaited.set(client, { payload, heard: () => settle() })
        this.pool.query('select pg_notify($1, $2)', [channel, payload]).catch((error: Error) => settle(error))
      })
    const connect = async () => {
      const client = new pg.Client({
        connectionString: this.options.listenUrl ?? this.url,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      })
      client.on('notification', message => {
        if (message.channel !== channel) return
        if (message.payload?.startsWith(PROBE_PREFIX)) {
          // Probes are this instance's own (or another's, ignored): never a change.
          const waiting = awaited.get(client)
          if (waiting?.payload === message.payload) waiting.heard()
          return
        }
        listener.onNotify()
      })
      client.on('error', () => lost(client, 'connection error'))
      client.on('end', () => lost(client, 'connection ended'))
      try {
        await client.connect()
        await client.query(`listen ${channel}`)
        await probe(client)
      } catch (error) {
        await client.end().catch(() => undefined)
        throw error
      }
      if (stopped) {
        await client.end().catch(() => undefined)
        return
      }
      current = client
      delay = LISTEN_RETRY_MS.first
      listener.onListening()
      heartbeat = setInterval(() => {
        probe(client).catch(() => lost(client, 'probe not heard back'))
      }, probeEveryMs)
      heartbeat.unref()
    }
    const attempt = () => {
      connecting = connect().catch((error: Error) => {
        listener.onLost(`cannot listen: ${error.message}`)
        later()
      })
      return connecting
    }
    function later() {
      if (stopped) return
      retry = setTimeout(() => void attempt(), delay)
      retry.unref()
      delay = Math.min(delay * 2, LISTEN_RETRY_MS.most)
    }
    // The service starts even if listening fails now: until it succeeds, the listener knows it is not listening.
    await attempt()
    return async () => {
      stopped = true
      clearTimeout(retry)
      clearInterval(heartbeat)
      // A connection being made now ends itself once it sees `stopped`.
      await connecting
      const client = current
      current = undefined
      listener.onLost('stopped')
      await client?.end().catch(() => undefined)
    }
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const result = await this.pool.query(queryConfig(sql, params))
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 }
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('begin')
      const value = await work({
        query: async <R>(sql: string, params: readonly unknown[] = []) => {
          const result = await client.query(queryConfig(sql, params))
          return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 }
        },
      })
      await client.query('commit')
      return value
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  private closing: Promise<void> | undefined

  /** Idempotent: a test may close the pool its app already closed. */
  close(): Promise<void> {
    this.closing ??= this.pool.end()
    return this.closing
  }
}

const pgTypes = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return parseNumber
    if (oid === DATE) return keepDate
    return pg.types.getTypeParser(oid, format as 'text')
  },
} as pg.CustomTypesConfig

export async function openPostgres(url: string, max = 10, listenOptions: ListenOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: pgTypes,
    // JIT compilation is off for the service's own statements: it is meant for long analytical
    // queries, and here it spent 40-50 ms compiling a 50 ms page of the overdue sweep (ADR 0020).
    // Set on each new connection before it is used, not as a startup option, which poolers such
    // as PgBouncer refuse.
    onConnect: async (client: pg.ClientBase) => {
      await client.query('set jit = off')
    },
  })
  // An idle connection the server closes (a restart, a failover) must not crash the service:
  // the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined)
  return new PostgresDatabase(pool, url, listenOptions)
}

/** dataDir undefined means in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  // PGlite makes its own folder but not the folders above it (./data on a fresh clone).
  if (dataDir !== undefined && !dataDir.includes('://'))
    mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true })
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [INT8]: parseNumber, [NUMERIC]: parseNumber, [DATE]: keepDate },
  })
  return new PgliteDatabase(pglite)
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir)
}
