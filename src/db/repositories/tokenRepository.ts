import type { Queryable } from '../database.js'

export interface ApiTokenSummary {
  id: number
  name: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

export async function insertToken(
  tx: Queryable,
  personId: number,
  name: string,
  hash: string,
  createdBy: number,
  at: Date,
): Promise<number> {
  return (
    await tx.query<{ id: number }>(
      'insert into api_tokens (person_id, name, token_hash, created_by, created_at) values ($1, $2, $3, $4, $5) returning id',
      [personId, name, hash, createdBy, at],
    )
  ).rows[0]!.id
}

export async function touchToken(db: Queryable, hash: string, at: Date): Promise<void> {
  await db.query('update api_tokens set last_used_at = $2 where token_hash = $1', [hash, at])
}

export async function tokensFor(db: Queryable, personId: number): Promise<ApiTokenSummary[]> {
  const rows = await db.query<{
    id: number
    name: string
    created_at: Date
    last_used_at: Date | null
    revoked_at: Date | null
  }>(
    'select id, name, created_at, last_used_at, revoked_at from api_tokens where person_id = $1 order by created_at desc',
    [personId],
  )
  return rows.rows.map(r => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }))
}

export async function revokeToken(tx: Queryable, personId: number, tokenId: number, at: Date): Promise<boolean> {
  const result = await tx.query(
    'update api_tokens set revoked_at = $3 where id = $1 and person_id = $2 and revoked_at is null',
    [tokenId, personId, at],
  )
  return result.rowCount === 1
}

export async function tokenHashExists(db: Queryable, hash: string): Promise<boolean> {
  return (await db.query('select 1 from api_tokens where token_hash = $1', [hash])).rows.length > 0
}
