// A short load against a kept benchmark database, to compare two versions of the code or to
// profile one: `npx tsx bench/profile.ts 10k json,html,bare` (size, scenarios; DUR=seconds, default 10).
// With `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts 10k json` the
// server's CPU profile is written on exit; with PROFILE=<dir>, one profile of each scenario's load alone
// (no start-up, no sign-in) is written there. With INSTANCES=n, n-1 more instances run in their own
// processes on the same database and the users are spread over all n, as a load balancer would (the
// server CPU printed is the first instance's, over its share of the requests). The full benchmark is run.ts; this is for quick A/B runs.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import pg from 'pg'
import { SettableClock } from '../src/clock.js'
import { signIn, startBenchApp, startInstance } from './app.js'
import { databaseUrl, DEFAULT_ADMIN_URL, prepareUsers } from './generate.js'
import { startBare } from './bare.js'
import { runLoad } from './load.js'

const size = process.argv[2] ?? '10k'
const which = process.argv[3] ?? 'json,html'
const url = databaseUrl(DEFAULT_ADMIN_URL, `concord_bench_${size}`)
const client = new pg.Client({ connectionString: url })
await client.connect()
const users = await prepareUsers(url, client, 60)
await client.end()
const running = await startBenchApp(url, new SettableClock(new Date()))
const base = running.url.replace('localhost', '127.0.0.1')
// INSTANCES=n: n-1 more instances in child processes; user i is sent to instance i mod n, as by a balancer.
const others = await Promise.all(
  Array.from({ length: Number(process.env.INSTANCES ?? 1) - 1 }, () => startInstance(url)),
)
const instanceFor = (i: number) => [base, ...others.map(o => o.url)][i % (others.length + 1)]!
const cookies: string[] = []
for (const u of users) cookies.push(await signIn(base, u.email))
const load = {
  url: base,
  concurrency: 50,
  durationSeconds: Number(process.env.DUR ?? 10),
  warmupSeconds: 2,
  expectStatus: 200,
}
const bare = await startBare(url)
for (const w of which.split(',')) {
  const requests =
    w === 'json'
      ? users.map((u, i) => ({
          path: '/api/work',
          headers: { authorization: `Bearer ${u.token}` },
          url: instanceFor(i),
        }))
      : w === 'bare'
        ? users.map(u => ({ path: `/?person=${u.personId}`, headers: {} }))
        : cookies.map((cookie, i) => ({ path: '/work', headers: { cookie }, url: instanceFor(i) }))
  const inspector = process.env.PROFILE ? new Session() : undefined
  if (inspector) {
    inspector.connect()
    await inspector.post('Profiler.enable')
    await inspector.post('Profiler.start')
  }
  const cpu0 = process.cpuUsage()
  const r = await runLoad({ ...load, url: w === 'bare' ? bare.url : base, requests })
  const cpu = process.cpuUsage(cpu0)
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop')
    writeFileSync(`${process.env.PROFILE}/${w}.cpuprofile`, JSON.stringify(profile))
    inspector.disconnect()
  }
  console.log(
    w,
    r.rps.toFixed(0),
    'req/s p50',
    r.latencyMs.p50.toFixed(1),
    'p95',
    r.latencyMs.p95.toFixed(1),
    'errors',
    r.errors,
    'bytes',
    r.bytesPerResponse,
    'server ms/req',
    // Only this process's CPU is known: with other instances, of the share of requests it served.
    ((cpu.user + cpu.system) / 1000 / ((w === 'bare' ? r.requests : r.requests / (others.length + 1)) || 1)).toFixed(2),
  )
}
await bare.stop()
for (const o of others) o.stop()
await running.stop()
