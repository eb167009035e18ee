import { type Clock, londonDate } from '../clock.js'
import type { Database } from '../db/database.js'
import { recordChildAccess } from '../db/repositories/auditRepository.js'
import { findVisibleChild } from '../db/repositories/childRepository.js'
import {
  childrenPastRetention,
  decisionsFor,
  insertRetentionDecision,
  pastRetentionChild,
  type RetentionRow,
  subjectAccessData,
} from '../db/repositories/dataProtectionRepository.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { type CurrentUser, isAdmin } from './accessService.js'
import type { AccessContext } from './childService.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'

export interface RetentionDecisionValue {
  decision: 'keep' | 'delete'
  reason: string
  keepUntil: string | null
}

/** The same day N years earlier (29 February falls back to the 28th). */
export function yearsBefore(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number]
  const year = y - years
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const day = m === 2 && d === 29 && !leap ? 28 : d
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The subject access file's name: the case ID and the day, nothing else about the child. */
export const exportFileName = (caseId: string, at: string) =>
  `concord-subject-access-${caseId.replace(/[^A-Za-z0-9-]/g, '')}-${at.slice(0, 10)}.json`

function requireAdmin(user: CurrentUser, what: string): void {
  if (!isAdmin(user)) throw new ForbiddenError(`Only an administrator can ${what}`)
}

/**
 * UK GDPR: a subject access export of everything held about one child, and the review of records
 * kept past the retention period. Nothing is deleted here; a decision is recorded and audited.
 */
export function dataProtectionService(db: Database, clock: Clock, options: { retentionYears: number }) {
  const today = () => londonDate(clock.now())
  const cutoff = () => yearsBefore(today(), options.retentionYears)

  return {
    retentionYears: options.retentionYears,

    /** One JSON document; the export itself is recorded in the access audit and the child's history first. */
    async subjectAccessExport(user: CurrentUser, childId: number, access: AccessContext) {
      requireAdmin(user, 'export a child’s records')
      const child = await findVisibleChild(db, user.scope, childId)
      if (!child) throw new NotFoundError()
      const at = clock.now()
      await db.transaction(async tx => {
        await recordChildAccess(tx, {
          at,
          personId: user.person.id,
          childId,
          action: 'subject_access_export',
          ...access,
        })
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'child',
          entityId: childId,
          childId,
          kind: 'child.subject_access_export',
        })
      })
      const data = await subjectAccessData(db, childId)
      if (!data) throw new NotFoundError()
      return {
        export: {
          kind: 'Concord subject access export',
          format: 1,
          exportedAt: at.toISOString(),
          exportedBy: { id: user.person.id, name: `${user.person.givenName} ${user.person.familyName}` },
          caseId: child.caseId,
        },
        ...data,
      }
    },

    /** Children closed more than the retention period ago: due for a decision, kept, or marked for deletion. */
    async review(user: CurrentUser, limit = 500) {
      requireAdmin(user, 'review records past retention')
      const rows = await childrenPastRetention(db, cutoff(), limit)
      const due = (r: RetentionRow) => r.decision === null || (r.decision === 'keep' && r.keepUntil! <= today())
      return {
        cutoff: cutoff(),
        years: options.retentionYears,
        due: rows.filter(due),
        kept: rows.filter(r => r.decision === 'keep' && !due(r)),
        markedForDeletion: rows.filter(r => r.decision === 'delete'),
      }
    },

    async retentionRecord(user: CurrentUser, childId: number) {
      requireAdmin(user, 'review records past retention')
      const row = await pastRetentionChild(db, childId, cutoff())
      if (!row) throw new NotFoundError()
      return { row, decisions: await decisionsFor(db, childId), today: today() }
    },

    async decide(user: CurrentUser, childId: number, value: RetentionDecisionValue): Promise<void> {
      requireAdmin(user, 'record a retention decision')
      const row = await pastRetentionChild(db, childId, cutoff())
      if (!row) throw new NotFoundError()
      if (value.decision === 'keep' && (value.keepUntil === null || value.keepUntil <= today()))
        throw new ValidationError([{ field: 'keepUntil', message: errorMessages.retention.keepUntil.past }])
      await db.transaction(async tx => {
        const at = clock.now()
        const id = await insertRetentionDecision(tx, {
          childId,
          decision: value.decision,
          reason: value.reason,
          keepUntil: value.decision === 'keep' ? value.keepUntil : null,
          decidedBy: user.person.id,
          at,
        })
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'child',
          entityId: childId,
          childId,
          kind: value.decision === 'keep' ? 'child.retention_kept' : 'child.retention_marked_for_deletion',
          data: { decision: id, reason: value.reason, keepUntil: value.decision === 'keep' ? value.keepUntil : null },
        })
      })
    },
  }
}
