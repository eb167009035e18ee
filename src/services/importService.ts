import { createHash } from 'node:crypto'
import { type Clock, londonDate } from '../clock.js'
import type { Database, Queryable } from '../db/database.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import {
  closeBatch,
  eventsOfImport,
  findBatch,
  type ImportBatch,
  type ImportSource,
  insertBatch,
  loadSnapshot,
  recentBatches,
  replacePlan,
  updateImportedChild,
} from '../db/repositories/importRepository.js'
import { insertChild } from '../db/repositories/childRepository.js'
import { insertPerson, updatePerson } from '../db/repositories/personRepository.js'
import { insertUnit, updateUnit } from '../db/repositories/unitRepository.js'
import { type ImportIssue, type ImportKind, importFiles, importKinds, readCsvFile } from '../domain/import/csvFiles.js'
import { type ImportInput, validateRows } from '../domain/import/importRows.js'
import {
  type Counts,
  countItems,
  type ImportPlan,
  type PersonKey,
  type PlanItem,
  planImport,
  type UnitKey,
} from '../domain/import/importPlan.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { type CurrentUser, isAdmin } from './accessService.js'
import { ConflictError, ForbiddenError, NotFoundError } from './errors.js'

export interface ImportFile {
  kind: ImportKind
  fileName: string
  bytes: Uint8Array
  /** The file's size when it was too large to read (the command line checks before reading). */
  size?: number
}

export interface ImportLimits {
  maxFileBytes: number
  maxRows: number
}

/** Who runs an import: an administrator on the web, or the nightly job on the command line (no person). */
export type ImportActor = CurrentUser | 'command_line'

/** The records changed since the preview: the plan no longer matches what applying would do. */
export class ImportStaleError extends Error {
  constructor() {
    super(errorMessages.import.stale)
  }
}

export type PreviewResult = { ok: true; batchId: number; counts: Counts } | { ok: false; issues: ImportIssue[] }

const hashOf = (items: PlanItem[]) => createHash('sha256').update(JSON.stringify(items)).digest('hex')

export function importService(db: Database, clock: Clock, limits: ImportLimits) {
  const actorId = (actor: ImportActor) => (actor === 'command_line' ? null : actor.person.id)
  const requireAdmin = (actor: ImportActor) => {
    if (actor !== 'command_line' && !isAdmin(actor))
      throw new ForbiddenError('Only an administrator can import records')
  }

  /** Reads and checks every file and every row; any problem in any file means no plan at all. */
  function readFiles(files: ImportFile[]): { ok: true; input: ImportInput } | { ok: false; issues: ImportIssue[] } {
    if (files.length === 0)
      return { ok: false, issues: [{ file: 'children', message: errorMessages.import.file.none }] }
    const issues: ImportIssue[] = []
    const input: ImportInput = {}
    for (const kind of importKinds) {
      const file = files.find(f => f.kind === kind)
      if (!file) continue
      if ((file.size ?? file.bytes.length) > limits.maxFileBytes) {
        issues.push({
          file: kind,
          message: errorMessages.import.file.tooLarge(importFiles[kind].label, limits.maxFileBytes / 1024 / 1024),
        })
        continue
      }
      const csv = readCsvFile(kind, file.fileName, file.bytes, limits.maxRows)
      if (!csv.ok) {
        issues.push(...csv.issues)
        continue
      }
      const rows = validateRows(kind, csv.rows)
      issues.push(...rows.issues)
      ;(input as Record<string, unknown>)[kind] = rows.rows
    }
    return issues.length ? { ok: false, issues } : { ok: true, input }
  }

  function plan(tx: Queryable, input: ImportInput, actor: ImportActor) {
    return loadSnapshot(tx).then(snapshot =>
      planImport(input, snapshot, { today: londonDate(clock.now()), importerId: actorId(actor) }),
    )
  }

  /** Writes a plan: units (parents first), people, the managers who are new people, then children. */
  async function write(tx: Queryable, p: ImportPlan, batchId: number, actor: ImportActor, at: Date) {
    const snapshot = await loadSnapshot(tx)
    const unitIds = new Map<UnitKey, number>(snapshot.units.map(u => [u.name.toLowerCase(), u.id]))
    const personIds = new Map<PersonKey, number>(snapshot.people.map(pp => [`id:${pp.id}`, pp.id]))
    const items = new Map(p.items.map(i => [`${i.entity}:${i.key}`, i]))
    const event = (entityType: 'unit' | 'person' | 'child', entityId: number, key: string, childId?: number) => {
      const item = items.get(`${entityType}:${key}`)!
      return appendEvent(tx, {
        at,
        actorId: actorId(actor),
        entityType,
        entityId,
        childId: childId ?? null,
        kind: `${entityType}.${item.action === 'add' ? 'imported' : item.action === 'end' ? 'ended_by_import' : 'changed_by_import'}`,
        data: { import: batchId, action: item.action, key: item.key, changes: item.changes },
      })
    }
    const laterManagers: { id: number; version: number; unit: (typeof p.units)[number] }[] = []
    for (const u of p.units) {
      const parentId = u.parent === null ? null : unitIds.get(u.parent)!
      const managerKnown = u.manager === null || personIds.has(u.manager)
      const value = {
        name: u.name,
        kind: u.kind,
        parentId,
        managerId: u.manager === null ? null : (personIds.get(u.manager) ?? u.existing?.managerId ?? null),
      }
      let id: number
      let version: number
      if (u.existing) {
        id = u.existing.id
        if (!(await updateUnit(tx, id, u.existing.version, value, at))) throw new ImportStaleError()
        version = u.existing.version + 1
      } else {
        id = await insertUnit(tx, value, at)
        version = 1
      }
      unitIds.set(u.name.toLowerCase(), id)
      if (!managerKnown) laterManagers.push({ id, version, unit: u })
      await event('unit', id, u.name)
    }
    for (const person of p.people) {
      const value = {
        givenName: person.givenName,
        familyName: person.familyName,
        email: person.email,
        staffId: person.staffId,
        unitId: person.unit === null ? null : unitIds.get(person.unit)!,
        roles: person.roles,
        active: person.active,
      }
      let id: number
      if (person.existing) {
        id = person.existing.id
        if (!(await updatePerson(tx, id, person.existing.version, value, at))) throw new ImportStaleError()
      } else id = await insertPerson(tx, value, at)
      personIds.set(person.key, id)
      await event('person', id, person.staffId ?? person.email)
    }
    for (const { id, version, unit } of laterManagers) {
      const value = {
        name: unit.name,
        kind: unit.kind,
        parentId: unit.parent === null ? null : unitIds.get(unit.parent)!,
        managerId: personIds.get(unit.manager!)!,
      }
      if (!(await updateUnit(tx, id, version, value, at))) throw new ImportStaleError()
    }
    const personId = (key: PersonKey | null) => (key === null ? null : personIds.get(key)!)
    for (const c of p.children) {
      const value = {
        caseId: c.caseId,
        givenName: c.givenName,
        familyName: c.familyName,
        dateOfBirth: c.dateOfBirth,
        teamId: unitIds.get(c.team)!,
        socialWorkerId: personId(c.socialWorker),
        iroId: personId(c.iro),
        cpChairId: personId(c.cpChair),
        cpPlanStart: c.cpPlanStart,
        lookedAfterStart: c.lookedAfterStart,
      }
      let id: number
      if (c.existing) {
        id = c.existing.id
        if (!(await updateImportedChild(tx, id, c.existing.version, { ...value, closedOn: c.closedOn }, at)))
          throw new ImportStaleError()
      } else id = await insertChild(tx, { ...value, siblingGroupId: null }, at)
      await event('child', id, c.caseId, id)
    }
  }

  async function store(source: ImportSource, actor: ImportActor, files: ImportFile[]): Promise<PreviewResult> {
    const read = readFiles(files)
    if (!read.ok) return read
    const planned = await plan(db, read.input, actor)
    if (!planned.ok) return planned
    const counts = countItems(planned.plan.items)
    const batchId = await db.transaction(tx =>
      insertBatch(
        tx,
        {
          source,
          createdBy: actorId(actor),
          fileNames: Object.fromEntries(files.map(f => [f.kind, f.fileName])),
          input: read.input,
          plan: planned.plan.items,
          warnings: planned.plan.warnings,
          planHash: hashOf(planned.plan.items),
          counts,
        },
        clock.now(),
      ),
    )
    return { ok: true, batchId, counts }
  }

  return {
    limits,

    /** Checks the files and keeps the plan on the server; nothing in Concord changes. */
    async preview(actor: ImportActor, files: ImportFile[]): Promise<PreviewResult> {
      requireAdmin(actor)
      return store(actor === 'command_line' ? 'command_line' : 'upload', actor, files)
    },

    async batch(actor: ImportActor, id: number): Promise<ImportBatch> {
      requireAdmin(actor)
      const batch = await findBatch(db, id)
      if (!batch) throw new NotFoundError()
      return batch
    },

    async recent(actor: ImportActor, limit = 20): Promise<ImportBatch[]> {
      requireAdmin(actor)
      return recentBatches(db, limit)
    },

    async outcome(actor: ImportActor, id: number, limit = 500) {
      requireAdmin(actor)
      return eventsOfImport(db, id, limit)
    },

    /**
     * Applies the previewed plan in one transaction, after planning the kept rows again against
     * the records as they are now: if that gives a different plan, nothing is written
     * (ImportStaleError) and the caller shows the new preview.
     */
    async apply(actor: ImportActor, id: number, version: number): Promise<Counts> {
      requireAdmin(actor)
      return db.transaction(async tx => {
        const at = clock.now()
        const batch = await findBatch(tx, id, true)
        if (!batch) throw new NotFoundError()
        if (batch.status !== 'previewed' || !batch.input) throw new ConflictError(errorMessages.import.notPending)
        if (batch.version !== version) throw new ConflictError()
        const planned = await plan(tx, batch.input, actor)
        if (!planned.ok || hashOf(planned.plan.items) !== batch.planHash) throw new ImportStaleError()
        await write(tx, planned.plan, id, actor, at)
        if (!(await closeBatch(tx, id, version, 'applied', actorId(actor), at))) throw new ConflictError()
        const counts = countItems(planned.plan.items)
        await appendEvent(tx, {
          at,
          actorId: actorId(actor),
          entityType: 'import',
          entityId: id,
          kind: 'import.applied',
          data: { source: batch.source, files: batch.fileNames, counts },
        })
        return counts
      })
    },

    /** After ImportStaleError: plans the kept rows again and shows the new plan (or the new problems). */
    async refresh(actor: ImportActor, id: number): Promise<{ ok: true } | { ok: false; issues: ImportIssue[] }> {
      requireAdmin(actor)
      const batch = await findBatch(db, id)
      if (!batch || batch.status !== 'previewed' || !batch.input) return { ok: true }
      const planned = await plan(db, batch.input, actor)
      if (!planned.ok) {
        await db.transaction(async tx => {
          const at = clock.now()
          if (!(await closeBatch(tx, id, batch.version, 'cancelled', actorId(actor), at))) return
          await appendEvent(tx, {
            at,
            actorId: actorId(actor),
            entityType: 'import',
            entityId: id,
            kind: 'import.cancelled',
            data: { source: batch.source, files: batch.fileNames, reason: 'the files no longer pass their checks' },
          })
        })
        return planned
      }
      await db.transaction(tx =>
        replacePlan(
          tx,
          id,
          planned.plan.items,
          planned.plan.warnings,
          hashOf(planned.plan.items),
          countItems(planned.plan.items),
        ),
      )
      return { ok: true }
    },

    async cancel(actor: ImportActor, id: number, version: number): Promise<void> {
      requireAdmin(actor)
      await db.transaction(async tx => {
        const batch = await findBatch(tx, id, true)
        if (!batch) throw new NotFoundError()
        if (batch.status !== 'previewed') throw new ConflictError(errorMessages.import.notPending)
        const at = clock.now()
        if (!(await closeBatch(tx, id, version, 'cancelled', actorId(actor), at))) throw new ConflictError()
        await appendEvent(tx, {
          at,
          actorId: actorId(actor),
          entityType: 'import',
          entityId: id,
          kind: 'import.cancelled',
          data: { source: batch.source, files: batch.fileNames },
        })
      })
    },
  }
}

export type ImportService = ReturnType<typeof importService>
