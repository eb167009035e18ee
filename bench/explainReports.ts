// Runs the statements of one report (every dispute ever raised) one after another with EXPLAIN
// ANALYZE on a kept reports database, to see where the time goes without the pool's overlap:
// `npx tsx bench/explainReports.ts --size 100k [--full] [--work-mem 4MB]` (--full prints every plan;
// the session's work_mem is the reports' own, REPORT_WORK_MEM, unless --work-mem says otherwise).
import { parseArgs } from 'node:util'
import { type Database, openPostgres, type Queryable } from '../src/db/database.js'
import { REPORT_WORK_MEM } from '../src/db/repositories/reportRepository.js'
import { directorReports } from './app.js'
import { databaseUrl, DEFAULT_ADMIN_URL, londonToday, parseSize, sizeLabel } from './generate.js'

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' },
    'admin-url': { type: 'string', default: process.env.CONCORD_BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL },
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    'sort-off': { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
    'work-mem': { type: 'string', default: REPORT_WORK_MEM },
  },
})

const url = databaseUrl(String(args['admin-url']), `concord_bench_reports_${sizeLabel(parseSize(String(args.size)))}`)
const raw = await openPostgres(url, 1)
await raw.query(`set work_mem = '${String(args['work-mem']).replace(/[^0-9a-zA-Z]/g, '')}'`)
const captured: { sql: string; params?: readonly unknown[] }[] = []
const wrap = (q: Queryable): Queryable => ({
  async query<T>(sql: string, params?: readonly unknown[]) {
    captured.push({ sql, params })
    return q.query<T>(sql, params)
  },
})
const db: Database = {
  kind: raw.kind,
  query: wrap(raw).query,
  transaction: work => raw.transaction(tx => work(wrap(tx))),
  close: () => raw.close(),
}
const today = londonToday()
const { services, user, earliest } = await directorReports(db, today)
captured.length = 0
await services.reports.report(user, { from: earliest, to: today })
if (args['sort-off']) await raw.query('set enable_sort = off')
// --set name=value (repeatable): any other planner or memory setting to try, e.g. --set hash_mem_multiplier=8
for (const setting of args.set ?? []) {
  const [name, value] = setting.split('=')
  await raw.query(`set ${name!.replace(/[^a-z_]/g, '')} = '${String(value).replace(/[^0-9a-zA-Z._]/g, '')}'`)
}
for (const { sql, params } of captured.filter(
  c => !/^set /.test(c.sql) && (!args.only || c.sql.includes(String(args.only))),
)) {
  const plan = (await raw.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params)).rows.map(
    r => r['QUERY PLAN'],
  )
  const total = plan.find(l => l.startsWith('Execution Time')) ?? ''
  console.log(`\n--- ${total}: ${sql.replace(/\s+/g, ' ').slice(0, 110)}`)
  if (args.full) console.log(plan.join('\n'))
}
await raw.close()
