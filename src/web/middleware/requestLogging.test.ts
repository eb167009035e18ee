import { Writable } from 'node:stream'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../logger.js'
import { requestLogging } from './requestLogging.js'

type Entry = Record<string, unknown> & { level: number; msg: string }

function appLoggingTo(lines: string[], level = 'info') {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').trim().split('\n'))
      done()
    },
  })
  const app = express()
  app.use(requestLogging(createLogger(level, sink)))
  app.get('/children', (_req, res) => res.status(200).send('ok'))
  app.get('/broken', (_req, res) => res.status(500).send('sorry'))
  app.get('/slow', (_req, res) => setTimeout(() => res.send('too late'), 500))
  return app
}

const entries = (lines: string[]) => lines.map(l => JSON.parse(l) as Entry)

describe('request log', () => {
  it('logs method, path, status and time, and nothing of the query string, headers or cookies', async () => {
    const lines: string[] = []
    await request(appLoggingTo(lines))
      .get('/children?q=Jayden%20Smith')
      .set('authorization', 'Bearer secret-token-value')
      .set('cookie', 'concord.sid=s%3Asecret-session')
      .expect(200)
    const entry = entries(lines).find(l => l.msg === 'request completed')
    expect(entry).toMatchObject({ level: 30, req: { method: 'GET', path: '/children' }, res: { statusCode: 200 } })
    expect(Object.keys(entry!.req as object).sort()).toEqual(['id', 'method', 'path'])
    expect(entry!.responseTime).toEqual(expect.any(Number))
    const all = lines.join('\n')
    for (const secret of ['Jayden', 'secret-token-value', 'secret-session', 'authorization', 'cookie'])
      expect(all).not.toContain(secret)
  })

  it('gives each request its own id', async () => {
    const lines: string[] = []
    const app = appLoggingTo(lines)
    await request(app).get('/children').expect(200)
    await request(app).get('/children').expect(200)
    const [first, second] = entries(lines).map(e => (e.req as { id: number }).id)
    expect(second).toBeGreaterThan(first!)
  })

  it('logs a server error at error level, so it is seen when only errors are logged', async () => {
    const lines: string[] = []
    const app = appLoggingTo(lines, 'error')
    await request(app).get('/children').expect(200)
    await request(app).get('/broken').expect(500)
    expect(entries(lines)).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 } }),
    ])
  })

  it('logs a request its client gave up on as aborted', async () => {
    const lines: string[] = []
    await expect(request(appLoggingTo(lines)).get('/slow').timeout(50)).rejects.toThrow(/timeout/i)
    await expect.poll(() => lines.length).toBe(1)
    expect(entries(lines)[0]).toMatchObject({ level: 40, msg: 'request aborted', req: { path: '/slow' } })
  })
})
