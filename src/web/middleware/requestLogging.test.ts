import { Writable } from 'node:stream'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../logger.js'
import { requestLogging } from './requestLogging.js'

function appLoggingTo(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').trim().split('\n'))
      done()
    },
  })
  const app = express()
  app.use(requestLogging(createLogger('info', sink)))
  app.get('/children', (_req, res) => res.status(200).send('ok'))
  return app
}

describe('request log', () => {
  it('logs method, path and status, and nothing of the query string, headers or cookies', async () => {
    const lines: string[] = []
    await request(appLoggingTo(lines))
      .get('/children?q=Jayden%20Smith')
      .set('authorization', 'Bearer secret-token-value')
      .set('cookie', 'concord.sid=s%3Asecret-session')
      .expect(200)
    const entry = lines.map(l => JSON.parse(l) as Record<string, unknown>).find(l => l.msg === 'request completed')
    expect(entry).toMatchObject({ req: { method: 'GET', path: '/children' }, res: { statusCode: 200 } })
    expect(Object.keys(entry!.req as object).sort()).toEqual(['id', 'method', 'path'])
    const all = lines.join('\n')
    for (const secret of ['Jayden', 'secret-token-value', 'secret-session', 'authorization', 'cookie'])
      expect(all).not.toContain(secret)
  })
})
