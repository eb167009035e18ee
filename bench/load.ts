import { fork } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'

/** One virtual user's request: each of the N virtual users repeats its own request back to back. */
export interface LoadRequest {
  path: string
  headers: Record<string, string>
  /** Another instance's base URL for this user, as a load balancer would send them there; else the spec's. */
  url?: string
}

export interface LoadSpec {
  /** Base URL, e.g. http://127.0.0.1:4321 */
  url: string
  requests: LoadRequest[]
  concurrency: number
  durationSeconds: number
  warmupSeconds: number
  expectStatus: number
}

export interface LoadResult {
  /** Requests started in the measured window (after the warm-up) and completed. */
  requests: number
  errors: number
  statuses: Record<string, number>
  seconds: number
  rps: number
  bytesPerResponse: number
  /** CPU seconds the load driver itself used (its own process). */
  driverCpuSeconds: number
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number }
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

/**
 * Keeps `concurrency` requests in flight for warm-up + duration seconds over keep-alive
 * connections (one per virtual user), and records the latency of every request started after
 * the warm-up. Runs in whichever process calls it: use runLoad() to run it in a child process.
 */
export async function drive(spec: LoadSpec): Promise<LoadResult> {
  const base = new URL(spec.url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency })
  const cpu0 = process.cpuUsage()
  const started = performance.now()
  const measureFrom = started + spec.warmupSeconds * 1000
  const stopAt = measureFrom + spec.durationSeconds * 1000
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let errors = 0
  let bytes = 0

  const once = (request: LoadRequest) =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const to = request.url ? new URL(request.url) : base
      const req = http.request(
        {
          host: to.hostname,
          port: to.port,
          path: request.path,
          method: 'GET',
          headers: request.headers,
          agent,
        },
        res => {
          let size = 0
          res.on('data', (chunk: Buffer) => (size += chunk.length))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: size }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end()
    })

  const virtualUser = async (i: number) => {
    const request = spec.requests[i % spec.requests.length]!
    for (;;) {
      const t0 = performance.now()
      if (t0 >= stopAt) return
      let status = 0
      let size = 0
      try {
        ;({ status, bytes: size } = await once(request))
      } catch {
        status = -1
      }
      const t1 = performance.now()
      if (t0 < measureFrom) continue
      latencies.push(t1 - t0)
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1
      if (status !== spec.expectStatus) errors++
      bytes += size
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => virtualUser(i)))
  agent.destroy()
  const cpu = process.cpuUsage(cpu0)
  const sorted = Float64Array.from(latencies).sort()
  const seconds = spec.durationSeconds
  return {
    requests: sorted.length,
    errors,
    statuses,
    seconds,
    rps: sorted.length / seconds,
    bytesPerResponse: sorted.length ? Math.round(bytes / sorted.length) : 0,
    driverCpuSeconds: (cpu.user + cpu.system) / 1e6,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    },
  }
}

/**
 * Runs drive() in a child process (bench/loadWorker.ts), so the load driver has its own event
 * loop and does not slow the server it measures, which runs in this process.
 */
export function runLoad(spec: LoadSpec, onStart?: () => void | Promise<void>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'loadWorker.ts'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: LoadResult | undefined
    child.on('message', (message: { started: true } | { result: LoadResult }) => {
      if ('started' in message) {
        void onStart?.()
        return
      }
      result = message.result
      child.disconnect()
    })
    child.on('error', reject)
    child.on('exit', code => (result ? resolve(result) : reject(new Error(`load worker exited with ${code}`))))
    child.send(spec)
  })
}
