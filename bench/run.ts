import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { SettableClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import { claimResponsesToChase } from '../src/db/repositories/workItemRepository.js'
import { latestDueDateLateBy, type IsoDate } from '../src/domain/calendar/workingDays.js'
import type { Running } from '../src/server.js'
import { signIn, startBenchApp } from './app.js'
import { captureSql, type CapturedQuery, inboxSql, startBare } from './bare.js'
import {
  BENCH_PASSWORD,
  type BenchUser,
  createDatabase,
  databaseExists,
  databaseUrl,
  DEFAULT_ADMIN_URL,
  dropDatabase,
  generate,
  type GenerateResult,
  londonToday,
  parseSize,
  prepareUsers,
  sizeLabel,
} from './generate.js'
import { type LoadRequest, type LoadResult, runLoad } from './load.js'
import { captureTemplates, type Templates } from './templates.js'

// `--reports`: the reports benchmark (bench/reports.ts) instead of the work-queue one.
if (process.argv.includes('--reports')) {
  await (await import('./reports.js')).main()
  process.exit(0)
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10k,100k' },
    concurrency: { type: 'string', default: '50' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    users: { type: 'string', default: '60' },
    'overdue-days': { type: 'string', default: '7' },
    'admin-url': { type: 'string', default: process.env.CONCORD_BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
    'quiet-wait': { type: 'string', default: '90' },
    attempts: { type: 'string', default: '3' },
  },
})

const sizes = args.sizes.split(',').map(parseSize)
const concurrency = Number(args.concurrency)
const duration = Number(args.duration)
const warmup = Number(args.warmup)
const userCount = Math.max(Number(args.users), concurrency)
const adminUrl = args['admin-url']
const attempts = Math.max(1, Number(args.attempts))
/** Cores other processes may take during a measurement before it is tried again. */
const OTHERS_LIMIT = 0.25
const log = (line = '') => console.log(line)

const TARGETS = { jsonShare: 0.7, htmlShare: 0.5, p95Ms: 50, scaling: 1.5, sweepSeconds: 1 }

type ScenarioKey = 'json' | 'html' | 'bare'
const scenarioNames: Record<ScenarioKey, string> = {
  json: 'Concord GET /api/work (bearer token)',
  html: 'Concord GET /work (session cookie)',
  bare: 'bare node:http + pg (same SQL)',
}

/** CPU use during a scenario, in cores (1 = one core fully busy), over warm-up and measurement. */
interface Measured extends LoadResult {
  serverCpu: number
  postgresCpu: number | null
  driverCpu: number
  machineCpu: number | null
  /** Whatever else ran on the machine meanwhile (other people's test runs): machine - server - postgres - driver. */
  otherCpu: number | null
  quietWaitSeconds: number
}

interface SizeReport {
  size: number
  label: string
  generation: Pick<GenerateResult, 'seconds' | 'steps' | 'counts'> | { reused: true }
  users: { count: number; openItems: { min: number; max: number; mean: number }; kinds: Record<string, number> }
  statementsPerRequest: Record<string, number>
  scenarios: Partial<Record<ScenarioKey, Measured>>
  /** The same requests one at a time (concurrency 1, 5 s). */
  unloaded: Partial<Record<ScenarioKey, { p50: number; p95: number; rps: number; otherCpu: number | null }>>
  htmlSkipped?: string
  explain: { name: string; ms: number; planningMs: number; plan: string }[]
  overdue: {
    day: string
    overdueRespondItems: number
    firstPass: { seconds: number; queued: number; statements: number }
    drain: { passes: number; seconds: number; queued: number; complete: boolean }
    quietPass: { seconds: number; queued: number }
    /** The scheduler's sweep on the next working day, once the backlog is caught up: a day's new work. */
    nextDay: { day: string; seconds: number; queued: number; statements: number }
    chaseQueryMs: number
  }
}

const timer = () => {
  const t0 = process.hrtime.bigint()
  return () => Number(process.hrtime.bigint() - t0) / 1e9
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** CPU seconds used so far by each postgres process on this machine, by pid (best effort, Linux only). */
async function postgresCpuByPid(): Promise<Map<number, number> | null> {
  try {
    const tick = 100 // USER_HZ on Linux
    const out = new Map<number, number>()
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
      const close = stat.lastIndexOf(')')
      if (!stat.slice(0, close).includes('(postgres')) continue
      const fields = stat.slice(close + 2).split(' ')
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) / tick)
    }
    return out
  } catch {
    return null
  }
}

/** Busy and total CPU time of the whole machine so far, in seconds (Linux /proc/stat). */
async function machineCpuSeconds(): Promise<{ busy: number; total: number } | null> {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    const total = fields.reduce((a, b) => a + b, 0) / 100
    const idle = (fields[3]! + (fields[4] ?? 0)) / 100
    return { busy: total - idle, total }
  } catch {
    return null
  }
}

const cores = os.cpus().length

/** Cores kept busy by other processes over a short sample, while this benchmark is idle. */
async function othersBusy(sampleMs = 2000): Promise<number | null> {
  const a = await machineCpuSeconds()
  await new Promise(resolve => setTimeout(resolve, sampleMs))
  const b = await machineCpuSeconds()
  return a && b ? ((b.busy - a.busy) / (b.total - a.total)) * cores : null
}

/** Other people's test runs share this machine: wait (a while) for them to calm down before measuring. */
async function waitForQuiet(): Promise<number> {
  const limit = Number(args['quiet-wait'])
  const t = timer()
  for (;;) {
    const busy = await othersBusy()
    if (busy === null || busy < 0.4 || t() >= limit) {
      if (busy !== null && busy >= 0.4)
        log(`  (other processes still keep ${busy.toFixed(1)} cores busy after ${limit} s; measuring anyway)`)
      return t()
    }
  }
}

/**
 * Runs one scenario and measures the CPU it cost. Postgres CPU counts only the backends serving
 * the benchmark database (other people's tests may use the same server).
 */
async function measure(spec: Parameters<typeof runLoad>[0], backends: () => Promise<number[]>): Promise<Measured> {
  const quietWaitSeconds = await waitForQuiet()
  // CPU is sampled from the moment the driver starts sending (warm-up and measurement together).
  const from = {
    cpu: process.cpuUsage(),
    postgres: null as Map<number, number> | null,
    machine: null as Awaited<ReturnType<typeof machineCpuSeconds>>,
    wall: timer(),
  }
  const result = await runLoad(spec, async () => {
    from.cpu = process.cpuUsage()
    from.wall = timer()
    ;[from.postgres, from.machine] = await Promise.all([postgresCpuByPid(), machineCpuSeconds()])
  })
  const seconds = from.wall()
  const cpu = process.cpuUsage(from.cpu)
  const [pg1, m1, pids] = await Promise.all([postgresCpuByPid(), machineCpuSeconds(), backends()])
  const serverCpu = (cpu.user + cpu.system) / 1e6 / seconds
  const postgresCpu =
    from.postgres === null || pg1 === null
      ? null
      : pids.reduce((sum, pid) => sum + (pg1.get(pid) ?? 0) - (from.postgres!.get(pid) ?? 0), 0) / seconds
  const driverCpu = result.driverCpuSeconds / seconds
  const machineCpu =
    from.machine === null || m1 === null
      ? null
      : ((m1.busy - from.machine.busy) / (m1.total - from.machine.total)) * cores
  return {
    ...result,
    serverCpu,
    postgresCpu,
    driverCpu,
    machineCpu,
    otherCpu:
      machineCpu === null || postgresCpu === null
        ? null
        : Math.max(0, machineCpu - serverCpu - postgresCpu - driverCpu),
    quietWaitSeconds,
  }
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))))
  return out
}

/**
 * Counts the statements the app sends to the database while `work` runs: through the database
 * object itself and inside its transactions (BEGIN and COMMIT not counted).
 */
async function countStatements<T>(running: Running, work: () => Promise<T>): Promise<{ statements: number; value: T }> {
  type Query = (sql: string, params?: readonly unknown[]) => Promise<unknown>
  const db = running.services.db as unknown as {
    query: Query
    transaction: (work: (tx: { query: Query }) => Promise<unknown>) => Promise<unknown>
  }
  const { query, transaction } = db
  let statements = 0
  db.query = function (this: unknown, sql, params) {
    statements++
    return query.call(this, sql, params)
  }
  db.transaction = function (this: unknown, inner) {
    return transaction.call(this, tx =>
      inner({
        query: (sql, params) => {
          statements++
          return tx.query(sql, params)
        },
      }),
    )
  }
  try {
    const value = await work()
    return { statements, value }
  } finally {
    db.query = query
    db.transaction = transaction
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one of the app's statements. It runs twice and the second run is
 * kept: warm catalog and buffer caches, as on one of the app's pooled connections under load.
 */
async function explain(
  client: pg.Client,
  name: string,
  q: CapturedQuery,
  { writes = false } = {},
): Promise<{ name: string; ms: number; planningMs: number; plan: string }> {
  const run = async () => {
    // A statement that writes (the sweep marks what it picks) is explained in a transaction undone after.
    if (writes) await client.query('begin')
    try {
      const rows = (await client.query(`explain (analyze, buffers) ${q.sql}`, [...q.params])).rows
      return (rows as Record<string, string>[]).map(r => r['QUERY PLAN']).join('\n')
    } finally {
      if (writes) await client.query('rollback')
    }
  }
  await run()
  const plan = await run()
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN)
  const planningMs = Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN)
  return { name, ms, planningMs, plan }
}

async function benchSize(size: number, templates: Templates, today: string): Promise<SizeReport> {
  const label = sizeLabel(size)
  const name = `concord_bench_${label}`
  const url = databaseUrl(adminUrl, name)
  log(`\n=== ${size.toLocaleString('en-GB')} disputes (${name}) ===`)
  let generation: SizeReport['generation']
  let users: BenchUser[]
  if (args.reuse && (await databaseExists(adminUrl, name))) {
    log('reusing the existing database (--reuse): undoing earlier sweeps, picking users, issuing new tokens')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      // An earlier run's overdue sweep chased items and queued emails: put them back as generated.
      await client.query(`update work_items set reminded_for = null, overdue_alerted_for = null, responsible_alerted_for = null,
        overdue_escalated_for = null where reminded_for is not null or overdue_alerted_for is not null
        or responsible_alerted_for is not null or overdue_escalated_for is not null`)
      // truncate, not delete: each deleted row would look for emails digested into it (an unindexed self-reference).
      await client.query('truncate email_outbox')
      await client.query('vacuum (analyze) work_items, email_outbox')
      users = await prepareUsers(url, client, userCount)
    } finally {
      await client.end()
    }
    generation = { reused: true }
  } else {
    await createDatabase(adminUrl, name)
    const result = await generate(url, { disputes: size, today, users: userCount, log }, templates)
    log(`generated in ${result.seconds.toFixed(1)} s: ${JSON.stringify(result.counts)}`)
    users = result.users
    generation = { seconds: result.seconds, steps: result.steps, counts: result.counts }
  }
  const opens = users.map(u => u.openItems)
  const kinds: Record<string, number> = {}
  for (const u of users) kinds[u.kind] = (kinds[u.kind] ?? 0) + 1
  log(
    `${users.length} benchmark users, open items each ${Math.min(...opens)}-${Math.max(...opens)} ` +
      `(mean ${(opens.reduce((a, b) => a + b, 0) / opens.length).toFixed(1)}): ${JSON.stringify(kinds)}`,
  )

  const clock = new SettableClock(new Date())
  const running = await startBenchApp(url, clock)
  const base = running.url.replace('localhost', '127.0.0.1')
  const bare = await startBare(url)
  // Who reads an inbox, as the app works it out, for the statements explained and counted below.
  const readerOf = async (personId: number) => {
    const user = await running.services.access.currentUser(personId)
    if (!user) throw new Error(`no active person ${personId}`)
    return { personId, scope: user.scope }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const report: SizeReport = {
    size,
    label,
    generation,
    users: {
      count: users.length,
      openItems: {
        min: Math.min(...opens),
        max: Math.max(...opens),
        mean: opens.reduce((a, b) => a + b, 0) / opens.length,
      },
      kinds,
    },
    statementsPerRequest: {},
    scenarios: {},
    unloaded: {},
    explain: [],
    overdue: undefined as unknown as SizeReport['overdue'],
  }
  try {
    // The generated records must read back through the app: one of each status, through the real service.
    const sample = (
      await client.query(
        `select distinct on (status, phase) id, reviewer_id from disputes order by status, phase, id desc`,
      )
    ).rows as { id: number; reviewer_id: number }[]
    for (const s of sample) {
      const reviewer = (await running.services.access.currentUser(s.reviewer_id))!
      const view = await running.services.disputes.view(reviewer, s.id, { path: '/bench', ip: null })
      if (view.record.id !== s.id) throw new Error(`dispute ${s.id} did not read back`)
    }
    log(`read back ${sample.length} generated disputes (one per status and phase) through disputes.view(): ok`)

    const first = users[0]!
    const probe = await fetch(`${base}/api/work`, { headers: { authorization: `Bearer ${first.token}` } })
    const body = (await probe.json()) as { total: number }
    if (probe.status !== 200 || body.total !== first.openItems)
      throw new Error(`GET /api/work answered ${probe.status} with total ${body.total}, expected ${first.openItems}`)

    const cookies = await inBatches(users, 4, u => signIn(base, u.email))
    log(`signed in ${cookies.length} users through POST /sign-in`)
    const htmlProbe = await fetch(`${base}/work`, { headers: { cookie: cookies[0]! }, redirect: 'manual' })
    await htmlProbe.arrayBuffer()
    if (htmlProbe.status === 404) report.htmlSkipped = 'GET /work answered 404: the work pages are not mounted yet'
    else if (htmlProbe.status !== 200) throw new Error(`GET /work answered ${htmlProbe.status} to a signed-in user`)

    report.statementsPerRequest.json = await countStatements(running, () =>
      fetch(`${base}/api/work`, { headers: { authorization: `Bearer ${first.token}` } }).then(r => r.arrayBuffer()),
    ).then(c => c.statements)
    report.statementsPerRequest.html = await countStatements(running, () =>
      fetch(`${base}/work`, { headers: { cookie: cookies[0]! } }).then(r => r.arrayBuffer()),
    ).then(c => c.statements)
    report.statementsPerRequest.bare = (await inboxSql(await readerOf(first.personId))).length

    const backends = async () =>
      (
        (await client.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]))
          .rows as { pid: number }[]
      ).map(r => r.pid)
    const load = { concurrency, durationSeconds: duration, warmupSeconds: warmup, expectStatus: 200 }
    const scenario = async (key: ScenarioKey, spec: Parameters<typeof runLoad>[0]) => {
      // Other people's test runs share this machine: a measurement during which they took more than
      // OTHERS_LIMIT cores is tried again (up to --attempts times) and the quietest attempt is kept.
      let m = await measure(spec, backends)
      for (let attempt = 2; attempt <= attempts && (m.otherCpu ?? 0) > OTHERS_LIMIT; attempt++) {
        log(
          `  (others took ${fmt(m.otherCpu ?? undefined, 2)} cores during ${key}; measuring again, attempt ${attempt})`,
        )
        const again = await measure(spec, backends)
        if ((again.otherCpu ?? 0) < (m.otherCpu ?? 0)) m = again
      }
      report.scenarios[key] = m
      log(
        `  ${scenarioNames[key].padEnd(40)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.latencyMs.p50.toFixed(1)} ms` +
          `  p95 ${m.latencyMs.p95.toFixed(1)} ms  p99 ${m.latencyMs.p99.toFixed(1)} ms  errors ${m.errors}` +
          `  CPU (cores): server ${m.serverCpu.toFixed(2)}, postgres ${fmt(m.postgresCpu ?? undefined, 2)}, ` +
          `driver ${m.driverCpu.toFixed(2)}, others ${fmt(m.otherCpu ?? undefined, 2)} of ${cores}`,
      )
    }
    log(`load: ${concurrency} virtual users, ${warmup} s warm-up + ${duration} s each`)
    const targets: Record<ScenarioKey, { url: string; requests: LoadRequest[] }> = {
      json: {
        url: base,
        requests: users.map(u => ({ path: '/api/work', headers: { authorization: `Bearer ${u.token}` } })),
      },
      html: { url: base, requests: cookies.map(cookie => ({ path: '/work', headers: { cookie } })) },
      bare: { url: bare.url, requests: users.map(u => ({ path: `/work?person=${u.personId}`, headers: {} })) },
    }
    const keys = (['json', 'html', 'bare'] as ScenarioKey[]).filter(k => k !== 'html' || !report.htmlSkipped)
    for (const key of keys) await scenario(key, { ...load, ...targets[key] })
    if (report.htmlSkipped) log(`  ${scenarioNames.html.padEnd(40)} skipped: ${report.htmlSkipped}`)
    // Unloaded latency: one request at a time, so no queueing: what a single request costs end to end.
    for (const key of keys) {
      const m = await measure(
        { ...load, ...targets[key], concurrency: 1, durationSeconds: 5, warmupSeconds: 1 },
        backends,
      )
      report.unloaded[key] = { p50: m.latencyMs.p50, p95: m.latencyMs.p95, rps: m.rps, otherCpu: m.otherCpu }
      log(
        `  one at a time: ${scenarioNames[key].padEnd(40)} p50 ${m.latencyMs.p50.toFixed(2)} ms  p95 ${m.latencyMs.p95.toFixed(2)} ms` +
          `  (others ${fmt(m.otherCpu ?? undefined, 2)} cores)`,
      )
    }

    // The inbox's own statements, explained for a typical benchmark user and for the fullest inbox.
    const typical = [...users].sort((a, b) => a.openItems - b.openItems)[Math.floor(users.length / 2)]!
    const fullest = (
      await client.query(
        `select person_id, count(*)::int as n from work_items where done_at is null and acknowledged_at is null
         group by person_id order by 2 desc limit 1`,
      )
    ).rows[0] as { person_id: number; n: number }
    for (const [who, personId, n] of [
      ['typical user', typical.personId, typical.openItems],
      ['fullest inbox', fullest.person_id, fullest.n],
    ] as const)
      for (const [i, q] of (await inboxSql(await readerOf(personId))).entries())
        report.explain.push(await explain(client, `inbox statement ${i + 1}, ${who} (${n} open items)`, q))

    // The overdue sweep, with the clock moved on so that many responses are overdue.
    const day = addDays(today, Number(args['overdue-days']))
    const calendar = await running.services.calendar.calendar()
    const [chase] = await captureSql(db =>
      claimResponsesToChase(db, {
        alertThrough: latestDueDateLateBy(calendar, day as IsoDate, 1),
        escalateThrough: latestDueDateLateBy(calendar, day as IsoDate, loadConfig({}).overdueEscalationWorkingDays),
      }),
    )
    const chaseExplain = await explain(client, `overdue sweep: claimResponsesToChase(${day}), undone`, chase!, {
      writes: true,
    })
    report.explain.push(chaseExplain)
    for (const e of report.explain)
      log(`  EXPLAIN ANALYZE ${e.name}: execution ${e.ms.toFixed(2)} ms, planning ${e.planningMs.toFixed(2)} ms`)
    const overdueRespondItems = Number(
      (
        await client.query(
          `select count(*) as n from work_items where done_at is null and acknowledged_at is null and kind = 'respond'
           and due_on < $1`,
          [day],
        )
      ).rows[0].n,
    )
    clock.set(new Date(`${day}T10:00:00Z`))
    const sweep = timer()
    const counted = await countStatements(running, () => running.services.notifications.runOverdue())
    const firstQueued = counted.value
    const firstPass = { seconds: sweep(), queued: firstQueued, statements: counted.statements }
    const drain = { passes: 1, seconds: firstPass.seconds, queued: firstQueued, complete: false }
    while (drain.passes < 50 && drain.seconds < 300) {
      const t = timer()
      const queued = await running.services.notifications.runOverdue()
      drain.seconds += t()
      if (queued === 0) {
        drain.complete = true
        break
      }
      drain.passes++
      drain.queued += queued
    }
    const quiet = timer()
    const quietQueued = await running.services.notifications.runOverdue()
    const quietSeconds = quiet()
    // A day later (the next weekday): what the schedule does every working day in a caught-up service.
    let nextDay = addDays(day, 1)
    while ([0, 6].includes(new Date(`${nextDay}T12:00:00Z`).getUTCDay())) nextDay = addDays(nextDay, 1)
    clock.set(new Date(`${nextDay}T10:00:00Z`))
    const daily = timer()
    const dailyCounted = await countStatements(running, () => running.services.notifications.runOverdue())
    const dailyPass = {
      day: nextDay,
      seconds: daily(),
      queued: dailyCounted.value,
      statements: dailyCounted.statements,
    }
    report.overdue = {
      day,
      overdueRespondItems,
      firstPass,
      drain,
      quietPass: { seconds: quietSeconds, queued: quietQueued },
      nextDay: dailyPass,
      chaseQueryMs: chaseExplain.ms,
    }
    log(
      `  overdue sweep on ${day} (${overdueRespondItems.toLocaleString('en-GB')} overdue respond items): first pass ` +
        `${firstPass.seconds.toFixed(2)} s (${firstQueued} alerts and escalations queued, ` +
        `${firstPass.statements.toLocaleString('en-GB')} SQL statements); all caught up after ` +
        `${drain.passes} pass(es), ${drain.seconds.toFixed(1)} s${drain.complete ? '' : ' (stopped, not caught up)'}; ` +
        `a pass with nothing new ${report.overdue.quietPass.seconds.toFixed(2)} s; the next working day ` +
        `(${nextDay}) ${dailyPass.seconds.toFixed(2)} s for ${dailyPass.queued} alerts and escalations`,
    )
    clock.set(new Date())
  } finally {
    await client.end()
    await bare.stop()
    await running.stop()
    if (!args.keep) {
      await dropDatabase(adminUrl, name)
      log(`dropped ${name}`)
    } else log(`kept ${url} (password ${BENCH_PASSWORD})`)
  }
  return report
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits))
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')

function renderReport(reports: SizeReport[], machine: string): string {
  const lines: string[] = []
  lines.push(`Machine: ${machine}`)
  lines.push(
    `Load: ${concurrency} concurrent virtual users, ${warmup} s warm-up then ${duration} s measured per scenario, ` +
      `${userCount} users.`,
  )
  for (const r of reports) {
    lines.push('')
    const gen = 'seconds' in r.generation ? `generated in ${r.generation.seconds.toFixed(1)} s` : 'reused'
    lines.push(`### ${r.label}: ${r.size.toLocaleString('en-GB')} disputes (${gen})`)
    lines.push('')
    lines.push(
      '| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | SQL statements / request | server CPU ms / request | CPU cores: server / postgres / driver / others |',
    )
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
    for (const key of ['json', 'html', 'bare'] as ScenarioKey[]) {
      const m = r.scenarios[key]
      if (!m) {
        lines.push(`| ${scenarioNames[key]} | skipped: ${r.htmlSkipped ?? 'not run'} | | | | | | | |`)
        continue
      }
      lines.push(
        `| ${scenarioNames[key]} | ${m.rps.toFixed(0)} | ${fmt(m.latencyMs.p50)} | ${fmt(m.latencyMs.p95)} | ` +
          `${fmt(m.latencyMs.p99)} | ${m.errors} | ${r.statementsPerRequest[key] ?? '—'} | ` +
          `${fmt((m.serverCpu * 1000) / m.rps, 2)} | ${m.serverCpu.toFixed(2)} / ${fmt(m.postgresCpu ?? undefined, 2)} / ` +
          `${m.driverCpu.toFixed(2)} / ${fmt(m.otherCpu ?? undefined, 2)} |`,
      )
    }
    const bare = r.scenarios.bare
    const share = (key: ScenarioKey) => (r.scenarios[key] && bare ? r.scenarios[key].rps / bare.rps : undefined)
    const json = share('json')
    const html = share('html')
    lines.push('')
    lines.push(
      `- Concord ÷ bare throughput: JSON ${fmt(json, 2)} (target ≥ ${TARGETS.jsonShare}: ${json === undefined ? '—' : verdict(json >= TARGETS.jsonShare)}), ` +
        `HTML ${fmt(html, 2)} (target ≥ ${TARGETS.htmlShare}: ${html === undefined ? 'not measured' : verdict(html >= TARGETS.htmlShare)})`,
    )
    lines.push(
      `- one request at a time (no queueing): ${(['json', 'html', 'bare'] as ScenarioKey[])
        .filter(k => r.unloaded[k])
        .map(k => `${k} p50 ${fmt(r.unloaded[k]!.p50, 2)} ms, p95 ${fmt(r.unloaded[k]!.p95, 2)} ms`)
        .join('; ')}`,
    )
    const p95 = (key: ScenarioKey) => r.scenarios[key]?.latencyMs.p95
    lines.push(
      `- p95 at ${concurrency} users: JSON ${fmt(p95('json'))} ms, HTML ${fmt(p95('html'))} ms (target < ${TARGETS.p95Ms} ms: ` +
        `JSON ${p95('json') === undefined ? '—' : verdict(p95('json')! < TARGETS.p95Ms)}, HTML ${p95('html') === undefined ? 'not measured' : verdict(p95('html')! < TARGETS.p95Ms)})`,
    )
    lines.push(
      `- benchmark users' inboxes: ${r.users.openItems.min}-${r.users.openItems.max} open items (mean ${r.users.openItems.mean.toFixed(1)}); ${JSON.stringify(r.users.kinds)}`,
    )
    const o = r.overdue
    lines.push(
      `- overdue sweep (clock set to ${o.day}; ${o.overdueRespondItems.toLocaleString('en-GB')} overdue respond items): ` +
        `first pass ${o.firstPass.seconds.toFixed(2)} s for ${o.firstPass.queued} alerts/escalations ` +
        `(${o.firstPass.statements.toLocaleString('en-GB')} SQL statements); caught up after ${o.drain.passes} ` +
        `pass(es) in ${o.drain.seconds.toFixed(1)} s${o.drain.complete ? '' : ' (not caught up)'}; pass with nothing new ${o.quietPass.seconds.toFixed(2)} s; ` +
        `the next working day's sweep (${o.nextDay.day}) ${o.nextDay.seconds.toFixed(2)} s for ${o.nextDay.queued} ` +
        `alerts/escalations (${o.nextDay.statements} SQL statements); its selection query ${o.chaseQueryMs.toFixed(1)} ms`,
    )
    for (const e of r.explain)
      lines.push(`- EXPLAIN ANALYZE ${e.name}: execution ${e.ms.toFixed(2)} ms, planning ${e.planningMs.toFixed(2)} ms`)
    if ('steps' in r.generation) {
      lines.push('')
      lines.push(
        `Generation steps: ${r.generation.steps.map(s => `${s.step} ${s.seconds.toFixed(1)} s`).join('; ')}. Rows: ${JSON.stringify(r.generation.counts)}`,
      )
    }
  }
  if (reports.length > 1) {
    const small = reports[0]!
    const large = reports[reports.length - 1]!
    lines.push('')
    lines.push(`### Scaling: latency at ${large.label} ÷ latency at ${small.label} (target ≤ ${TARGETS.scaling})`)
    lines.push('')
    lines.push(
      `| scenario | p50 ratio at ${concurrency} users | p95 ratio at ${concurrency} users | throughput ratio | p50 ratio one at a time |`,
    )
    lines.push('| --- | ---: | ---: | ---: | ---: |')
    for (const key of ['json', 'html', 'bare'] as ScenarioKey[]) {
      const a = small.scenarios[key]
      const b = large.scenarios[key]
      if (!a || !b) continue
      const r50 = b.latencyMs.p50 / a.latencyMs.p50
      const r95 = b.latencyMs.p95 / a.latencyMs.p95
      const ua = small.unloaded[key]
      const ub = large.unloaded[key]
      const u50 = ua && ub ? ub.p50 / ua.p50 : undefined
      lines.push(
        `| ${scenarioNames[key]} | ${r50.toFixed(2)} (${verdict(r50 <= TARGETS.scaling)}) | ${r95.toFixed(2)} (${verdict(r95 <= TARGETS.scaling)}) | ${(b.rps / a.rps).toFixed(2)} | ${u50 === undefined ? '—' : `${u50.toFixed(2)} (${verdict(u50 <= TARGETS.scaling)})`} |`,
      )
    }
    const sweep = large.overdue.firstPass.seconds
    const day = large.overdue.nextDay.seconds
    lines.push('')
    lines.push(
      `Overdue sweep at ${large.label}: the backlog's first pass (every overdue response unchased at once) ` +
        `${sweep.toFixed(2)} s (target < ${TARGETS.sweepSeconds} s: ${verdict(sweep < TARGETS.sweepSeconds)}); ` +
        `a working day's sweep ${day.toFixed(2)} s (target < ${TARGETS.sweepSeconds} s: ${verdict(day < TARGETS.sweepSeconds)})`,
    )
  }
  return lines.join('\n')
}

async function main() {
  const today = londonToday()
  const cpus = os.cpus()
  const machine =
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `${os.type()} ${os.release()}, Node ${process.version}`
  log(`Concord work-queue benchmark: sizes ${sizes.map(sizeLabel).join(', ')}; today ${today}`)
  log(`machine: ${machine}`)
  const t = timer()
  log('capturing record templates from the real service...')
  const templates = await captureTemplates()
  const reports: SizeReport[] = []
  for (const size of sizes) reports.push(await benchSize(size, templates, today))
  const text = renderReport(reports, machine)
  log('\n' + text)
  await mkdir(args.out, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  await writeFile(path.join(args.out, `results-${stamp}.md`), text + '\n\n' + plans(reports))
  await writeFile(path.join(args.out, `results-${stamp}.json`), JSON.stringify({ machine, reports }, null, 2))
  log(`\nresults and query plans written to ${path.join(args.out, `results-${stamp}.{md,json}`)}`)
  log(`total ${(t() / 60).toFixed(1)} minutes`)
}

function plans(reports: SizeReport[]): string {
  return reports
    .map(r =>
      [`## Query plans at ${r.label}`, ...r.explain.map(e => `### ${e.name}\n\n\`\`\`\n${e.plan}\n\`\`\``)].join(
        '\n\n',
      ),
    )
    .join('\n\n')
}

await main()
