import { z } from 'zod'
import { errorMessages } from '../../i18n/errorMessages.js'
import { type PersonRole, personRoles, type UnitKind, unitKinds } from '../organisation.js'
import { type CsvRow, type ImportIssue, type ImportKind, importFiles } from './csvFiles.js'

/** One row of each file, checked on its own (the plan then checks rows against each other and Concord). */
export interface UnitRow {
  row: number
  name: string
  kind: UnitKind
  parent: string | null
  manager: string | null
}

export interface PersonRow {
  row: number
  staffId: string
  givenName: string
  familyName: string
  email: string
  unit: string | null
  roles: PersonRole[]
}

export interface ChildRow {
  row: number
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  team: string
  cpPlanStart: string | null
  lookedAfterStart: string | null
}

export interface AllocationRow {
  row: number
  caseId: string
  socialWorker: string | null
  iro: string | null
  cpChair: string | null
}

/** The validated rows of one import: what is kept on the server between the preview and the apply. */
export interface ImportInput {
  units?: UnitRow[]
  people?: PersonRow[]
  children?: ChildRow[]
  allocations?: AllocationRow[]
}

const m = errorMessages.import

function realDate(y: number, mo: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** ISO (2015-06-01) as Concord writes dates, or day first (01/06/2015) as UK spreadsheets do. */
export function parseImportDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (iso) return realDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (uk) return realDate(Number(uk[3]), Number(uk[2]), Number(uk[1]))
  return undefined
}

const text = (what: string) =>
  z
    .string()
    .min(1, { error: m.name.required(what) })
    .max(100, { error: m.name.tooLong(what) })
const optional = z.string().transform(v => (v === '' ? null : v))
const date = (what: string, required: boolean) =>
  z.string().transform((v, ctx) => {
    if (v === '') {
      if (required) ctx.addIssue({ code: 'custom', message: m.date.required(what) })
      return null
    }
    const iso = parseImportDate(v)
    if (!iso) ctx.addIssue({ code: 'custom', message: m.date.invalid(what) })
    return iso ?? null
  })
const caseId = z
  .string()
  .min(1, { error: m.caseId.required })
  .regex(/^[A-Za-z0-9-]{1,40}$/, { error: m.caseId.format })

const schemas = {
  units: z.object({
    name: z.string().min(1, { error: m.unit.nameRequired }).max(100, { error: m.unit.nameTooLong }),
    kind: z.string().transform((v, ctx) => {
      const kind = v
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
        .replace(/’|'/g, '')
      if (!(unitKinds as readonly string[]).includes(kind))
        ctx.addIssue({ code: 'custom', message: m.unit.type(unitKinds.join(', ')) })
      return kind as UnitKind
    }),
    parent: optional,
    manager: optional,
  }),
  people: z.object({
    staffId: z
      .string()
      .min(1, { error: m.person.staffIdRequired })
      .regex(/^\S{1,40}$/, { error: m.person.staffIdFormat }),
    givenName: text('first name'),
    familyName: text('last name'),
    email: z.email({ error: m.person.email }).max(200, { error: m.person.email }),
    unit: optional,
    roles: z.string().transform((v, ctx) => {
      const roles = v
        .split(';')
        .map(r => r.trim().toLowerCase())
        .filter(Boolean)
      if (roles.some(r => !(personRoles as readonly string[]).includes(r)))
        ctx.addIssue({ code: 'custom', message: m.person.roles(personRoles.join(', ')) })
      return [...new Set(roles)].sort() as PersonRole[]
    }),
  }),
  children: z.object({
    caseId,
    givenName: text('child’s first name'),
    familyName: text('child’s last name'),
    dateOfBirth: date('date of birth', true),
    team: z.string().min(1, { error: m.team.required }),
    cpPlanStart: date('child protection plan start date', false),
    lookedAfterStart: date('looked after start date', false),
  }),
  allocations: z.object({ caseId, socialWorker: optional, iro: optional, cpChair: optional }),
}

/** CSV column -> field of the row. */
const fieldOf = (column: string) =>
  column === 'type' ? 'kind' : column.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** Checks every row of one file on its own; all problems are reported, not just the first. */
export function validateRows<K extends ImportKind>(
  kind: K,
  rows: CsvRow[],
): { rows: NonNullable<ImportInput[K]>; issues: ImportIssue[] } {
  const schema = schemas[kind] as unknown as z.ZodType<Record<string, unknown>>
  const label = importFiles[kind].label
  const out: Record<string, unknown>[] = []
  const issues: ImportIssue[] = []
  for (const { row, values } of rows) {
    const input = Object.fromEntries(Object.entries(values).map(([c, v]) => [fieldOf(c), v]))
    const result = schema.safeParse(input)
    if (result.success) out.push({ row, ...result.data })
    else
      for (const issue of result.error.issues)
        issues.push({ file: kind, row, message: m.row(capitalise(label), row, issue.message) })
  }
  return { rows: out as unknown as NonNullable<ImportInput[K]>, issues }
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
