// The overdue sweep alone, timed statement by statement, on a kept benchmark database:
// `npx tsx bench/sweep.ts 1m [days]` undoes earlier sweeps, moves the clock `days` (7) on and runs
// `notifications.runOverdue()` REPEAT (3) times, undoing its marks and emails between runs. For A/B
// runs of the sweep without the load scenarios of run.ts.
import pg from 'pg'
import { SettableClock } from '../src/clock.js'
import { startBenchApp } from './app.js'
import { databaseUrl, DEFAULT_ADMIN_URL } from './generate.js'

const size = process.argv[2] ?? '10k'
const days = Number(process.argv[3] ?? 7)
const url = databaseUrl(DEFAULT_ADMIN_URL, `concord_bench_${size}`)
const client = new pg.Client({ connectionString: url })
await client.connect()
const undo = async () => {
  await client.query(`update work_items set reminded_for = null, overdue_alerted_for = null, responsible_alerted_for = null, overdue_escalated_for = null
    where reminded_for is not null or overdue_alerted_for is not null or responsible_alerted_for is not null or overdue_escalated_for is not null`)
  await client.query('delete from email_outbox')
  await client.query('vacuum analyze work_items, email_outbox')
}
const today = (await client.query<{ d: string }>(`select to_char(current_date + $1::int, 'YYYY-MM-DD') as d`, [days]))
  .rows[0]!.d
const clock = new SettableClock(new Date(`${today}T10:00:00Z`))
const running = await startBenchApp(url, clock)
// Each statement's time, by its first words, through the app's own database object and its transactions.
type Q = { query: (...a: unknown[]) => Promise<unknown> }
const times = new Map<string, number>()
const timed = (q: Q) => {
  const query = q.query.bind(q)
  q.query = async (...args: unknown[]) => {
    const t = performance.now()
    try {
      return await query(...args)
    } finally {
      const sql = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text ?? '')
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70)
      times.set(key, (times.get(key) ?? 0) + performance.now() - t)
    }
  }
}
const db = running.services.db as unknown as Q & {
  transaction: (work: (tx: Q) => Promise<unknown>) => Promise<unknown>
}
timed(db)
const transaction = db.transaction.bind(db)
db.transaction = work =>
  transaction(tx => {
    timed(tx)
    return work(tx)
  })
for (let run = 0; run < Number(process.env.REPEAT ?? 3); run++) {
  await undo()
  times.clear()
  const t = performance.now()
  const queued = await running.services.notifications.runOverdue()
  // The response and action sweeps run side by side, so their statements' times overlap: no sum is taken.
  console.log(`run ${run + 1}: ${((performance.now() - t) / 1000).toFixed(2)} s, ${queued} emails`)
  for (const [sql, ms] of [...times].sort((a, b) => b[1] - a[1]))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${sql}`)
}
await undo()
await running.stop()
await client.end()
