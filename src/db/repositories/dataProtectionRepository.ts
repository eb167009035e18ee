import { groupBy } from '../../collections.js'
import type { Queryable } from '../database.js'

type Row = Record<string, unknown>

const personName = (alias: string) => `${alias}.given_name || ' ' || ${alias}.family_name`

async function rows(db: Queryable, sql: string, params: unknown[]): Promise<Row[]> {
  return (await db.query<Row>(sql, params)).rows
}

const eventsOf = (db: Queryable, entityType: string, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : rows(
        db,
        `select e.id, e.occurred_at, e.entity_type, e.entity_id, e.kind, e.data, e.actor_id, ${personName('p')} as actor_name
         from events e left join people p on p.id = e.actor_id
         where e.entity_type = $1 and e.entity_id = any($2::int[]) order by e.occurred_at, e.id`,
        [entityType, ids],
      )

const byId = (list: Row[], key: string) => groupBy(list, r => r[key] as number)

/**
 * Everything Concord holds about one child, read straight from the tables (every column, so a
 * column added later is exported too), and nothing about any other child: records are selected
 * by this child's id, and other records only through them.
 */
export async function subjectAccessData(db: Queryable, childId: number): Promise<Row | undefined> {
  const child = (
    await rows(
      db,
      `select c.*, t.name as team_name, ${personName('sw')} as social_worker_name, ${personName('iro')} as iro_name,
         ${personName('cpc')} as cp_chair_name
       from children c join org_units t on t.id = c.team_id
       left join people sw on sw.id = c.social_worker_id left join people iro on iro.id = c.iro_id
       left join people cpc on cpc.id = c.cp_chair_id
       where c.id = $1`,
      [childId],
    )
  )[0]
  if (!child) return undefined

  const disputes = await rows(db, 'select * from disputes where child_id = $1 order by id', [childId])
  const disputeIds = disputes.map(d => d.id as number)
  const discussions = byId(
    disputeIds.length
      ? await rows(db, 'select * from dispute_discussions where dispute_id = any($1::int[]) order by id', [disputeIds])
      : [],
    'dispute_id',
  )
  const disputeEvents = byId(await eventsOf(db, 'dispute', disputeIds), 'entity_id')

  const notes = await rows(db, 'select * from practice_notes where child_id = $1 order by id', [childId])
  // A concern about a reviewer is never on the child's record, but it may name the child's case ID.
  const concerns = await rows(
    db,
    `select * from practice_notes where kind = 'concern' and lower(context_case_id) = lower($1) order by id`,
    [child.case_id],
  )
  const noteIds = [...notes, ...concerns].map(n => n.id as number)
  const recipients = byId(
    noteIds.length
      ? await rows(
          db,
          `select r.*, ${personName('p')} as person_name from practice_note_recipients r join people p on p.id = r.person_id
           where r.note_id = any($1::int[]) order by r.note_id, r.person_id`,
          [noteIds],
        )
      : [],
    'note_id',
  )
  const noteEvents = byId(await eventsOf(db, 'practice_note', noteIds), 'entity_id')

  const checks = await rows(db, 'select * from progress_checks where child_id = $1 order by id', [childId])
  const checkEvents = byId(
    await eventsOf(
      db,
      'progress_check',
      checks.map(c => c.id as number),
    ),
    'entity_id',
  )
  const notices = await rows(db, 'select * from change_notices where child_id = $1 order by id', [childId])
  const noticeEvents = byId(
    await eventsOf(
      db,
      'change_notice',
      notices.map(n => n.id as number),
    ),
    'entity_id',
  )

  const withEvents = (list: Row[], events: Map<number, Row[]>, extra?: (r: Row) => Row) =>
    list.map(r => ({ record: r, ...(extra ? extra(r) : {}), events: events.get(r.id as number) ?? [] }))

  return {
    child,
    childEvents: await eventsOf(db, 'child', [childId]),
    disputes: withEvents(disputes, disputeEvents, d => ({ discussions: discussions.get(d.id as number) ?? [] })),
    practiceNotes: withEvents(notes, noteEvents, n => ({ recipients: recipients.get(n.id as number) ?? [] })),
    concernsNamingTheCase: withEvents(concerns, noteEvents, n => ({
      recipients: recipients.get(n.id as number) ?? [],
    })),
    progressChecks: withEvents(checks, checkEvents),
    changeNotices: withEvents(notices, noticeEvents),
    workItems: await rows(db, 'select * from work_items where child_id = $1 order by id', [childId]),
    accessAudit: await rows(
      db,
      `select a.*, ${personName('p')} as person_name from access_audit a join people p on p.id = a.person_id
       where a.child_id = $1 order by a.occurred_at, a.id`,
      [childId],
    ),
    retentionDecisions: await rows(
      db,
      `select r.*, ${personName('p')} as decided_by_name from retention_decisions r join people p on p.id = r.decided_by
       where r.child_id = $1 order by r.decided_at, r.id`,
      [childId],
    ),
  }
}

export interface RetentionRow {
  id: number
  caseId: string
  givenName: string
  familyName: string
  closedOn: string
  openDisputes: number
  decision: 'keep' | 'delete' | null
  reason: string | null
  keepUntil: string | null
  decidedAt: Date | null
  decidedByName: string | null
}

/** Children whose case closed on or before the cut-off, each with the latest decision about their records. */
export async function childrenPastRetention(
  db: Queryable,
  cutoff: string,
  limit: number,
  childId?: number,
): Promise<RetentionRow[]> {
  return (
    await db.query<RetentionRow>(
      `select c.id, c.case_id as "caseId", c.given_name as "givenName", c.family_name as "familyName",
         c.closed_on as "closedOn",
         (select count(*) from disputes d where d.child_id = c.id and d.status = 'open') as "openDisputes",
         r.decision, r.reason, r.keep_until as "keepUntil", r.decided_at as "decidedAt",
         ${personName('p')} as "decidedByName"
       from children c
       left join lateral (
         select * from retention_decisions x where x.child_id = c.id order by x.decided_at desc, x.id desc limit 1
       ) r on true
       left join people p on p.id = r.decided_by
       where c.closed_on is not null and c.closed_on <= $1 and ($3::int is null or c.id = $3)
       order by c.closed_on, c.case_id
       limit $2`,
      [cutoff, limit, childId ?? null],
    )
  ).rows
}

export async function pastRetentionChild(db: Queryable, childId: number, cutoff: string) {
  return (await childrenPastRetention(db, cutoff, 1, childId))[0]
}

export async function insertRetentionDecision(
  tx: Queryable,
  d: {
    childId: number
    decision: 'keep' | 'delete'
    reason: string
    keepUntil: string | null
    decidedBy: number
    at: Date
  },
): Promise<number> {
  return (
    await tx.query<{ id: number }>(
      `insert into retention_decisions (child_id, decision, reason, keep_until, decided_by, decided_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [d.childId, d.decision, d.reason, d.keepUntil, d.decidedBy, d.at],
    )
  ).rows[0]!.id
}

export async function decisionsFor(db: Queryable, childId: number) {
  return (
    await db.query<{
      decision: 'keep' | 'delete'
      reason: string
      keepUntil: string | null
      decidedAt: Date
      decidedByName: string
    }>(
      `select r.decision, r.reason, r.keep_until as "keepUntil", r.decided_at as "decidedAt",
         ${personName('p')} as "decidedByName"
       from retention_decisions r join people p on p.id = r.decided_by
       where r.child_id = $1 order by r.decided_at desc, r.id desc`,
      [childId],
    )
  ).rows
}
