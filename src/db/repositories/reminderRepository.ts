import type { Queryable } from '../database.js'

/** A reviewer's open task to hold the review a significant-change notice asked for. */
export interface ReviewTask {
  id: number
  personId: number
  noticeId: number
  caseId: string
  dueOn: string
  remindedFor: string | null
  overdueAlertedFor: string | null
}

/**
 * Open review tasks due on or before `horizon` that have not been chased for their current date yet:
 * not reminded, or past `today` and not alerted. A task whose date moves is chased again for the new
 * date. Only new work is read, however often the sweep runs.
 */
export async function reviewTasksToChase(
  db: Queryable,
  horizon: string,
  today: string,
  limit = 5000,
): Promise<ReviewTask[]> {
  const rows = await db.query<{
    id: number
    person_id: number
    subject_id: number
    case_id: string
    due_on: string
    reminded_for: string | null
    overdue_alerted_for: string | null
  }>(
    `select w.id, w.person_id, w.subject_id, c.case_id, w.due_on, w.reminded_for, w.overdue_alerted_for
     from work_items w join children c on c.id = w.child_id
     where w.subject_type = 'change_notice' and w.kind = 'review_due' and w.done_at is null
       and w.due_on is not null and w.due_on <= $1
       and ((w.reminded_for is null or w.reminded_for <> w.due_on)
         or (w.due_on < $2 and (w.overdue_alerted_for is null or w.overdue_alerted_for <> w.due_on)))
     order by w.due_on, w.id limit $3`,
    [horizon, today, limit],
  )
  return rows.rows.map(r => ({
    id: r.id,
    personId: r.person_id,
    noticeId: r.subject_id,
    caseId: r.case_id,
    dueOn: r.due_on,
    remindedFor: r.reminded_for,
    overdueAlertedFor: r.overdue_alerted_for,
  }))
}

/** Everyone allocated to review a child now, as an IRO or a CP chair. */
export async function allocatedReviewerIds(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `select distinct r.id from children c
     cross join lateral (values (c.iro_id), (c.cp_chair_id)) as r(id)
     where r.id is not null order by r.id`,
  )
  return rows.rows.map(r => r.id)
}

/**
 * Records reminders as sent, in the caller's transaction, and returns the keys that were not sent
 * before: those are this pass's to email. Of two passes at once, the second waits for the first to
 * commit and then finds each key taken. Only active people are reminded: a reminder for someone
 * deactivated is left to the next pass, as it was when each reminder was its own email. A key the
 * outbox already holds was sent as its own email before reminders were grouped (by an instance of the
 * previous version, during a rolling deployment), so it counts as sent.
 */
export async function claimReminders(
  tx: Queryable,
  reminders: readonly { key: string; personId: number }[],
  at: Date,
): Promise<Set<string>> {
  if (reminders.length === 0) return new Set()
  const rows = await tx.query<{ reminder_key: string }>(
    `insert into quality_reminders_sent (reminder_key, person_id, sent_at)
     select r.k, r.p, $3 from unnest($1::text[], $2::int[]) as r(k, p)
     join people p on p.id = r.p and p.active
     where not exists (select 1 from email_outbox o where o.dedupe_key = r.k)
     on conflict (reminder_key) do nothing
     returning reminder_key`,
    [reminders.map(r => r.key), reminders.map(r => r.personId), at],
  )
  return new Set(rows.rows.map(r => r.reminder_key))
}
