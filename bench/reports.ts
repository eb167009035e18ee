// Reports benchmark (issue 7): how long the Reports figures take over 10k, 100k (or more) dispute
// records on PostgreSQL. Run through `npm run bench -- --reports --sizes 10k,100k` or directly with
// `npx tsx bench/reports.ts --sizes 10k`. It generates its own databases (concord_bench_reports_<size>)
// with the work-queue benchmark's generator, adds progress checks, good practice notes and notices,
// then times the report the way the page asks for it (services.reports.report) and each SQL statement.
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { type Database, openPostgres, type Queryable } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import type { ReportFilters } from '../src/services/reportService.js'
import {
  createDatabase,
  databaseExists,
  databaseUrl,
  DEFAULT_ADMIN_URL,
  dropDatabase,
  generate,
  londonToday,
  parseSize,
  sizeLabel,
} from './generate.js'
import { directorReports } from './app.js'
import { captureTemplates } from './templates.js'

const { values: args } = parseArgs({
  options: {
    reports: { type: 'boolean', default: true },
    sizes: { type: 'string', default: '10k,100k' },
    'admin-url': { type: 'string', default: process.env.CONCORD_BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    repeats: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
  },
  strict: false,
})

const log = (line = '') => console.log(line)
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

/** Counts every statement and its time, by the first words of its SQL, to show where the time goes. */
function timed(db: Database) {
  const statements: { sql: string; ms: number; rows: number }[] = []
  const wrap = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const start = process.hrtime.bigint()
      const result = await q.query<T>(sql, params)
      statements.push({ sql, ms: seconds(start) * 1000, rows: result.rows.length })
      return result
    },
  })
  const wrapped: Database = {
    kind: db.kind,
    query: wrap(db).query,
    transaction: work => db.transaction(tx => work(wrap(tx))),
    close: () => db.close(),
  }
  return { db: wrapped, statements }
}

/** What each statement computes, from the relation it ends with. */
function statementName(sql: string): string {
  if (/ as g, d0/.test(sql)) return 'disputes by stage, category, team, outcome, limit, repeats'
  if (/from sf group by level/.test(sql)) return 'stage timeliness (working days)'
  if (/from rt group by/.test(sql)) return 'working days to resolution (median, p90)'
  if (/from nf group by/.test(sql)) return 'good practice notes'
  if (/from cf group by/.test(sql)) return 'progress check outcomes'
  if (/array_agg\(to_char/.test(sql)) return 'progress check episodes (schedule applied in TypeScript)'
  if (/from xf\s+group by/.test(sql)) return 'significant-change notices'
  if (/from org_units|from people|calendar_adjustments/.test(sql)) return 'names and calendar'
  return sql.replace(/\s+/g, ' ').slice(0, 60)
}

/** Progress checks, good practice notes and notices, set-based, so every figure has rows to count. */
async function addQualityRecords(url: string, disputes: number, today: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const have = (await client.query('select count(*)::int as n from progress_checks')).rows[0].n as number
    if (have > 0) return
    await client.query('set synchronous_commit = off')
    const start = process.hrtime.bigint()
    // Two checks in the last year for every child, at pseudo-random days, by their allocated reviewer.
    await client.query(
      `insert into progress_checks (child_id, reviewer_id, reviewer_role, held_on, answers, outcome, created_at)
       select c.id, coalesce(c.iro_id, c.cp_chair_id), case when c.iro_id is not null then 'iro' else 'cp_chair' end,
         $1::date - (hashint8(c.id::bigint * 2 + k) & 2147483647) % 365, '{}',
         (array['outstanding','good','requires_improvement','inadequate'])[1 + (hashint8(c.id::bigint * 7 + k) & 2147483647) % 4],
         now()
       from children c cross join generate_series(1, 2) k
       where coalesce(c.iro_id, c.cp_chair_id) is not null`,
      [today],
    )
    // Good practice notes: one for every five disputes, about random children, over the last two years.
    await client.query(
      `insert into practice_notes (kind, child_id, author_id, subject_unit_id, category_key, practice, impact, created_at, updated_at)
       select 'good_practice', c.id, coalesce(c.iro_id, c.cp_chair_id), c.team_id,
         (array['safety_wellbeing','participation','drift_delay','key_decision_making','resources','procedural_tasks'])[1 + (hashint8(g::bigint * 3) & 2147483647) % 6],
         'Good practice', 'Helped the child', ts, ts
       from generate_series(1, $2::int) g
       join children c on c.id = 1 + (hashint8(g::bigint * 11) & 2147483647) % (select max(id) from children)
       cross join lateral (select ($1::date - (hashint8(g::bigint * 13) & 2147483647) % 730)::timestamptz as ts) t
       where coalesce(c.iro_id, c.cp_chair_id) is not null`,
      [today, Math.round(disputes / 5)],
    )
    // Significant-change notices: one for every two disputes, 0 to 5 working days late.
    await client.query(
      `insert into change_notices (child_id, audience, kind, occurred_on, details, sent_by_id, sent_on, reviewer_id,
         lateness_working_days, created_at, updated_at)
       select c.id, case when c.iro_id is not null then 'iro' else 'cp_chair' end,
         case when c.iro_id is not null then (array['placement_change','court_order','missing_from_care'])[1 + late % 3]
              else (array['harm','carer_address','court_order'])[1 + late % 3] end,
         sent - late, 'Details', c.social_worker_id, sent, coalesce(c.iro_id, c.cp_chair_id), late, now(), now()
       from generate_series(1, $2::int) g
       join children c on c.id = 1 + (hashint8(g::bigint * 17) & 2147483647) % (select max(id) from children)
       cross join lateral (select ($1::date - (hashint8(g::bigint * 19) & 2147483647) % 730) as sent,
         ((hashint8(g::bigint * 23) & 2147483647) % 6)::int as late) t
       where coalesce(c.iro_id, c.cp_chair_id) is not null and c.social_worker_id is not null`,
      [today, Math.round(disputes / 2)],
    )
    await client.query('vacuum (analyze) progress_checks, practice_notes, change_notices')
    const counts = (
      await client.query(`select (select count(*) from progress_checks)::int as checks,
        (select count(*) from practice_notes)::int as notes, (select count(*) from change_notices)::int as notices`)
    ).rows[0]
    log(`  checks, notes and notices added in ${seconds(start).toFixed(1)} s: ${JSON.stringify(counts)}`)
  } finally {
    await client.end()
  }
}

interface Timing {
  name: string
  runs: number[]
  statements: { name: string; ms: number; rows: number }[]
}

async function benchSize(
  size: number,
  today: string,
  adminUrl: string,
): Promise<{ label: string; size: number; timings: Timing[]; counts: Record<string, number> }> {
  const label = sizeLabel(size)
  const name = `concord_bench_reports_${label}`
  const url = databaseUrl(adminUrl, name)
  log(`\n=== ${size.toLocaleString('en-GB')} disputes (${name}) ===`)
  if (!(args.reuse && (await databaseExists(adminUrl, name)))) {
    await createDatabase(adminUrl, name)
    const result = await generate(url, { disputes: size, today, users: 1, log }, await captureTemplates())
    log(`generated in ${result.seconds.toFixed(1)} s`)
  }
  await addQualityRecords(url, size, today)
  const raw = await openPostgres(url, 4)
  // A kept database gets the migrations added since it was generated (their fills included).
  await migrate(raw)
  const { db, statements } = timed(raw)
  try {
    const { services, user, earliest } = await directorReports(db, today)
    const counts = (
      await db.query<Record<string, number>>(
        `select (select count(*) from disputes) as disputes, (select count(*) from disputes where raised_on >= $1) as in_last_year,
           (select count(*) from children) as children, (select count(*) from events) as events`,
        [services.reports.lastReportingYear().from],
      )
    ).rows[0]!
    const cases: { name: string; run: () => Promise<unknown> }[] = [
      {
        name: `every disputes ever raised (${earliest} to ${today}: ${counts.disputes?.toLocaleString('en-GB')} disputes)`,
        run: () => services.reports.report(user, { from: earliest, to: today }),
      },
      {
        name: `the last reporting year (${counts.in_last_year?.toLocaleString('en-GB')} disputes)`,
        run: () => services.reports.report(user, services.reports.lastReportingYear() as ReportFilters),
      },
      {
        name: 'the annual page (two reporting years)',
        run: () => services.reports.annual(user, Number(services.reports.lastReportingYear().from.slice(0, 4)), {}),
      },
      {
        name: 'the records behind "still open" (first page of 25)',
        run: () =>
          services.reports.records(
            user,
            { from: earliest, to: today },
            { figure: 'dispute', r: 'outcome', rv: 'open', k: 'all', kv: 'all' },
            25,
            0,
          ),
      },
    ]
    const repeats = Math.max(1, Number(args.repeats))
    const timings: Timing[] = []
    for (const c of cases) {
      await c.run() // warm the caches once, as a pooled connection would be
      const runs: number[] = []
      let last: Timing['statements'] = []
      for (let i = 0; i < repeats; i++) {
        statements.length = 0
        const start = process.hrtime.bigint()
        await c.run()
        runs.push(seconds(start))
        last = statements.map(s => ({ name: statementName(s.sql), ms: s.ms, rows: s.rows }))
      }
      log(`  ${c.name}: ${runs.map(r => r.toFixed(2)).join(', ')} s`)
      timings.push({ name: c.name, runs, statements: last })
    }
    return { label, size, timings, counts }
  } finally {
    await raw.close()
    if (!args.keep) await dropDatabase(adminUrl, name)
  }
}

export async function main(): Promise<void> {
  const sizes = String(args.sizes).split(',').map(parseSize)
  const adminUrl = String(args['admin-url'])
  const today = londonToday()
  const cpus = os.cpus()
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`
  log(`Concord reports benchmark: sizes ${sizes.map(sizeLabel).join(', ')}; today ${today}; ${machine}`)
  const results = []
  for (const size of sizes) results.push(await benchSize(size, today, adminUrl))
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const lines = [
    `# Reports benchmark, ${today}`,
    '',
    machine,
    '',
    '| size | report | median of runs (s) | runs (s) |',
    '| --- | --- | --- | --- |',
    ...results.flatMap(r =>
      r.timings.map(
        t => `| ${r.label} | ${t.name} | ${median(t.runs).toFixed(2)} | ${t.runs.map(x => x.toFixed(2)).join(', ')} |`,
      ),
    ),
    '',
    ...results.flatMap(r =>
      r.timings.flatMap(t => [
        `## Statements at ${r.label}: ${t.name}`,
        '',
        '| statement | ms (with any wait for a connection) | rows |',
        '| --- | --- | --- |',
        ...t.statements.map(s => `| ${s.name} | ${s.ms.toFixed(0)} | ${s.rows} |`),
        '',
      ]),
    ),
  ]
  const text = lines.join('\n')
  log('\n' + text)
  await mkdir(String(args.out), { recursive: true })
  const file = path.join(String(args.out), `reports-${new Date().toISOString().replace(/[:.]/g, '-')}.md`)
  await writeFile(file, text + '\n')
  log(`\nwritten to ${file}`)
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
