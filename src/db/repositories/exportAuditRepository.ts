import type { Queryable } from '../database.js'

/** One download: a report as CSV or XLSX, or a PDF of a dispute record or a CAFCASS letter. */
export interface ExportAudit {
  at: Date
  personId: number
  /** What was produced, e.g. 'report_csv', 'report_xlsx', 'dispute_pdf', 'cafcass_letter_pdf'. */
  kind: string
  /** Which report or record and the filters used; no personal data beyond ids. */
  description: string
  /** Set when the export is about one child's record. */
  childId?: number | null
}

export async function recordExport(db: Queryable, e: ExportAudit): Promise<void> {
  await db.query(
    'insert into export_audit (occurred_at, person_id, kind, description, child_id) values ($1, $2, $3, $4, $5)',
    [e.at, e.personId, e.kind, e.description, e.childId ?? null],
  )
}

export interface ExportAuditRow {
  occurred_at: Date
  person_id: number
  kind: string
  description: string
  child_id: number | null
}

/** The most recent exports, newest first (for tests and for an audit view). */
export async function recentExports(db: Queryable, limit: number): Promise<ExportAuditRow[]> {
  const result = await db.query<ExportAuditRow>(
    `select occurred_at, person_id, kind, description, child_id
     from export_audit order by occurred_at desc, id desc limit $1`,
    [limit],
  )
  return result.rows
}
