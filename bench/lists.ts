// The record lists at scale: a reviewer's My records, the reviewing service manager's supervision view
// (unfiltered and by each state) and a head of service's unanswered list, each asked for as its page
// does (the first page of 25, with its total), on a kept benchmark database:
// `npx tsx bench/lists.ts 1m` (generate it first: `npx tsx bench/generate.ts --size 1m`). REPEAT=n
// (default 5) timings of each; the median and the slowest are printed.
import { openPostgres } from '../src/db/database.js'
import { recordStates } from '../src/db/repositories/supervisionRepository.js'
import { databaseUrl, DEFAULT_ADMIN_URL } from './generate.js'
import { directorReports } from './app.js'

const size = process.argv[2] ?? '10k'
const repeat = Number(process.env.REPEAT ?? 5)
const db = await openPostgres(databaseUrl(DEFAULT_ADMIN_URL, `concord_bench_${size}`), 2)
try {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
  const { services } = await directorReports(db, today)
  // The busiest of each: the reviewer with most outstanding records, the reviewing service manager whose
  // reviewers have most, and the head of service whose area has most children.
  const one = async (sql: string) => (await db.query<{ id: number }>(sql)).rows[0]!.id
  const reviewer = await one(`select reviewer_id as id from disputes where status in ('open', 'resolved')
    group by reviewer_id order by count(*) desc limit 1`)
  const reviewingManager = await one(`select u.manager_id as id from org_units u join people p on p.unit_id = u.id
    join disputes d on d.reviewer_id = p.id and d.status in ('open', 'resolved')
    where u.manager_id is not null and u.manager_id <> p.id group by u.manager_id order by count(*) desc limit 1`)
  const headOfService = await one(`select manager_id as id from org_units where kind = 'area' and manager_id is not null
    order by id limit 1`)
  const user = async (id: number) => (await services.access.currentUser(id))!
  const page = { limit: 25, offset: 0 }
  const lists: [string, () => Promise<{ total: number }>][] = [
    ['My records (the busiest reviewer)', async () => services.work.myRecords(await user(reviewer), page)],
    ['Supervision, all states', async () => services.work.supervision(await user(reviewingManager), page)],
    ...recordStates.map(
      state =>
        [
          `Supervision, ${state}`,
          async () => services.work.supervision(await user(reviewingManager), { ...page, state }),
        ] as [string, () => Promise<{ total: number }>],
    ),
    [
      'Unanswered in a head of service’s area',
      async () => services.work.unansweredInArea(await user(headOfService), 25, 0),
    ],
  ]
  console.log(`${size}: median / slowest of ${repeat}, after one warm-up`)
  for (const [name, run] of lists) {
    const { total } = await run()
    const ms: number[] = []
    for (let i = 0; i < repeat; i++) {
      const start = process.hrtime.bigint()
      await run()
      ms.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    ms.sort((a, b) => a - b)
    const median = ms[Math.floor(ms.length / 2)]!
    console.log(
      `${name.padEnd(44)} ${String(total).padStart(7)} records  ${median.toFixed(1)} / ${ms.at(-1)!.toFixed(1)} ms`,
    )
  }
} finally {
  await db.close()
}
