import type { Queryable } from '../database.js'

/** What an event is about. */
export type EntityType =
  | 'child'
  | 'person'
  | 'unit'
  | 'api_token'
  | 'account'
  | 'dispute'
  | 'calendar'
  | 'practice_note'
  | 'progress_check'
  | 'change_notice'
  | 'import'

export interface NewEvent {
  at: Date
  actorId: number | null
  entityType: EntityType
  entityId: number
  childId?: number | null
  kind: string
  data?: Record<string, unknown>
}

export interface EventRow {
  id: number
  occurred_at: Date
  actor_id: number | null
  actor_name: string | null
  entity_type: string
  entity_id: number
  child_id: number | null
  kind: string
  data: Record<string, unknown>
}

export async function appendEvent(tx: Queryable, event: NewEvent): Promise<void> {
  await tx.query(
    `insert into events (occurred_at, actor_id, entity_type, entity_id, child_id, kind, data)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.at,
      event.actorId,
      event.entityType,
      event.entityId,
      event.childId ?? null,
      event.kind,
      JSON.stringify(event.data ?? {}),
    ],
  )
}

const selectEvents = `select e.id, e.occurred_at, e.actor_id, p.given_name || ' ' || p.family_name as actor_name,
  e.entity_type, e.entity_id, e.child_id, e.kind, e.data
  from events e left join people p on p.id = e.actor_id`

export async function eventsForChild(db: Queryable, childId: number, limit = 100): Promise<EventRow[]> {
  const result = await db.query<EventRow>(
    `${selectEvents} where e.child_id = $1 order by e.occurred_at desc, e.id desc limit $2`,
    [childId, limit],
  )
  return result.rows
}

export async function eventsForEntity(
  db: Queryable,
  entityType: string,
  entityId: number,
  limit = 100,
): Promise<EventRow[]> {
  const result = await db.query<EventRow>(
    `${selectEvents} where e.entity_type = $1 and e.entity_id = $2 order by e.occurred_at desc, e.id desc limit $3`,
    [entityType, entityId, limit],
  )
  return result.rows
}
