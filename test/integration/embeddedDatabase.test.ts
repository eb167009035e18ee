import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openPglite } from '../../src/db/database.js'

describe('the embedded database on disk', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'concord-pglite-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('opens in a folder whose parents do not exist yet (./data/concord on a fresh clone), and keeps its data', async () => {
    const dataDir = path.join(root, 'data', 'concord')
    const db = await openPglite(dataDir)
    await db.query('create table kept (n integer)')
    await db.query('insert into kept values (42)')
    await db.close()
    const again = await openPglite(dataDir)
    expect((await again.query<{ n: number }>('select n from kept')).rows).toEqual([{ n: 42 }])
    await again.close()
  })
})
