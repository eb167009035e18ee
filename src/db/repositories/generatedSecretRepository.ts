import { randomBytes } from 'node:crypto'
import type { Queryable } from '../database.js'

/**
 * The secret of this name, made at random the first time it is asked for. Instances starting
 * together on one database all get the first one written.
 */
export async function generatedSecret(db: Queryable, name: string, at: Date): Promise<string> {
  await db.query(
    `insert into generated_secrets (name, value, created_at) values ($1, $2, $3) on conflict (name) do nothing`,
    [name, randomBytes(32).toString('base64url'), at],
  )
  return (await db.query<{ value: string }>('select value from generated_secrets where name = $1', [name])).rows[0]!
    .value
}
