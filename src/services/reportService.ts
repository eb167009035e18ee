import { type Clock, londonDate } from '../clock.js'
import type { Database } from '../db/database.js'
import {
  checkEpisodes,
  checkOutcomeCounts,
  type Cohort,
  type CountRow,
  disputeCounts,
  type DisputeDimension,
  type ListedRecord,
  listRecords,
  noteCounts,
  noticeCounts,
  type RecordSelection,
  type ReportContext,
  type ReportFilters,
  resolutionTimes,
  stageTimeliness,
} from '../db/repositories/reportRepository.js'
import { allUnits } from '../db/repositories/unitRepository.js'
import { recordExport } from '../db/repositories/exportAuditRepository.js'
import { type ExportInput, reportCsv, reportXlsx } from './reportExport.js'
import { fromDayNumber, type IsoDate, parseIsoDate } from '../domain/calendar/workingDays.js'
import type { Policy } from '../domain/policies/policy.js'
import { tallyCheckSlots } from '../domain/quality/checkTally.js'
import { checkOutcomeLabels, checkOutcomes, type SlotStatus } from '../domain/quality/progressChecks.js'
import { changeKindLabel } from '../domain/quality/significantChanges.js'
import type { RoleKey } from '../domain/organisation.js'
import type { CurrentUser } from './accessService.js'
import type { CalendarService } from './calendarService.js'
import { ForbiddenError, NotFoundError } from './errors.js'
import { formatDate } from '../text/format.js'

export type { Cohort, ReportFilters } from '../db/repositories/reportRepository.js'

/** Roles that see the authority's figures (issue 7); a social worker sees only their own. */
export const reportRoles: readonly RoleKey[] = [
  'reviewing_service_manager',
  'head_of_irs',
  'head_of_service',
  'director_of_safeguarding',
  'director_of_childrens_services',
  'performance',
]

export type ReportAccess = 'all' | 'own' | 'none'

export function reportAccess(user: CurrentUser): ReportAccess {
  if (user.roles.some(r => reportRoles.includes(r))) return 'all'
  if (user.roles.includes('social_worker')) return 'own'
  return 'none'
}

/** The records behind one number: what the list page and its link carry. */
export type RecordRef =
  | { figure: 'dispute'; r: DisputeDimension; rv: string; k: DisputeDimension; kv: string }
  | { figure: 'stage'; level?: string; timeliness?: string }
  | { figure: 'note'; r: 'category' | 'team' | 'all'; rv: string }
  | { figure: 'check'; outcome: string; role?: string }
  | { figure: 'slot'; status: string; role?: string }
  | { figure: 'notice'; kind?: string; timeliness?: string }

export interface ReportCell {
  value: number | null
  /** How to show it: a count of records, a number of working days, or a ratio. */
  format: 'count' | 'days' | 'ratio'
  records?: RecordRef
}

export interface ReportRow {
  key: string
  label: string
  cells: ReportCell[]
}

export interface ReportTable {
  id: string
  title: string
  /** What is counted, and how: shown under the title and as the chart's description. */
  description: string
  rowHeader: string
  columns: { key: string; label: string }[]
  rows: ReportRow[]
  /** The columns the chart draws (counts of the same kind), by key. */
  chartColumns: string[]
  /** A filter that does not apply to the table's figures, where one does not (its section's note). */
  note?: string
}

export interface ReportSection {
  id: string
  title: string
  /** What the reader should know of the whole section: a filter that does not apply to it. */
  note?: string
  tables: ReportTable[]
}

export interface Report {
  filters: ReportFilters
  /** The filters as words, for the page, the CSV header and the workbook. */
  filterSummary: { label: string; value: string }[]
  access: ReportAccess
  /** False when the viewer sees counts only (no children of their own to list). */
  canList: boolean
  sections: ReportSection[]
}

const cohortLabels: Record<Cohort, string> = { cp: 'Child protection plan', care: 'In care' }

/** The reporting year (1 April to 31 March) that ended most recently before today. */
export function lastReportingYear(today: IsoDate): { from: IsoDate; to: IsoDate } {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const endYear = m >= 4 ? y : y - 1
  return { from: parseIsoDate(`${endYear - 1}-04-01`), to: parseIsoDate(`${endYear}-03-31`) }
}

export function reportingYear(startYear: number): { from: IsoDate; to: IsoDate } {
  return { from: parseIsoDate(`${startYear}-04-01`), to: parseIsoDate(`${startYear + 1}-03-31`) }
}

const levelLabel = (level: number) =>
  level < 0 ? 'No stage reached' : level === 0 ? 'Informal stage' : `Formal stage ${level}`

const outcomeGroups = [
  { key: 'resolved', label: 'Resolved' },
  { key: 'open', label: 'Still open' },
  { key: 'cafcass', label: 'Referred to CAFCASS' },
  { key: 'closed', label: 'Closed without resolution' },
]

const outcomeLabel = (key: string) => {
  if (key.startsWith('resolved:')) {
    const level = Number(key.slice('resolved:'.length))
    return level === 0 ? 'Resolved at the informal stage' : `Resolved at formal stage ${level}`
  }
  return outcomeGroups.find(g => g.key === key)?.label ?? key
}

/** Each stage of a policy with its cross-policy level: 0 for informal, then 1, 2 ... for the formal stages. */
function stageLevels(policy: Policy) {
  let formal = 0
  return policy.stages.map(stage => ({ stage, level: stage.formal ? ++formal : 0 }))
}

/**
 * How a report names a stage level and an outcome. Across policies, levels stand for stages that
 * different procedures name differently (informal, formal 1, 2 ...: ADR 0014). A report of one
 * policy uses that policy's own words for each level ("Formal Level 2", "Resolution meeting"),
 * where every version of it names the level alike.
 */
export function stageWords(policies: readonly Policy[], policyId?: string) {
  const own = new Map<number, string | null>()
  for (const p of policies.filter(p => p.id === policyId)) {
    const names = new Map<number, string[]>()
    for (const { stage, level } of stageLevels(p)) names.set(level, [...(names.get(level) ?? []), stage.name])
    for (const [level, list] of names) {
      const name = list.join(' or ')
      own.set(level, own.has(level) && own.get(level) !== name ? null : name)
    }
  }
  const ownName = (level: number) => own.get(level) ?? undefined
  return {
    level: (level: number) => ownName(level) ?? levelLabel(level),
    outcome: (key: string) => {
      const name = key.startsWith('resolved:') ? ownName(Number(key.slice('resolved:'.length))) : undefined
      return name === undefined ? outcomeLabel(key) : `Resolved: ${name}`
    },
  }
}

const overallRows = [
  { key: 'within', label: 'Finished within the overall limit' },
  { key: 'outside', label: 'Finished outside the overall limit' },
  { key: 'open_outside', label: 'Still open, past the overall limit' },
  { key: 'open_within', label: 'Still open, within the overall limit' },
  { key: 'no_formal', label: 'Not at a formal stage, or the policy sets no limit' },
]

const stageTimelinessColumns = [
  { key: 'on_time', label: 'On time' },
  { key: 'late', label: 'Late' },
  { key: 'overdue', label: 'Awaiting response, overdue' },
  { key: 'not_due', label: 'Awaiting response, not yet due' },
  { key: 'no_response', label: 'Left without a response' },
]

const slotColumns: { key: string; label: string; statuses: SlotStatus[] }[] = [
  { key: 'done', label: 'On time', statuses: ['done'] },
  { key: 'done_late', label: 'Late', statuses: ['done_late'] },
  { key: 'missed', label: 'Missed', statuses: ['missed'] },
  { key: 'overdue', label: 'Overdue, not yet missed', statuses: ['overdue'] },
  { key: 'due', label: 'Not yet due', statuses: ['due', 'upcoming'] },
]

const roleRows = [
  { key: 'iro', label: 'IRO progress checks' },
  { key: 'cp_chair', label: 'CP chair quality-assurance reviews' },
]

const count = (value: number, records?: RecordRef): ReportCell => ({ value, format: 'count', records })
const days = (value: number | null): ReportCell => ({
  value: value === null ? null : Math.round(value * 10) / 10,
  format: 'days',
})

function lookup(rows: readonly CountRow[], r: string, k: string): number {
  return rows.find(x => x.r === r && x.k === k)?.n ?? 0
}

/** The pairs of dimensions the dispute figures are counted by, in one statement. */
export const disputeFigurePairs = [
  ['stage', 'outcomeGroup'],
  ['category', 'outcomeGroup'],
  ['team', 'outcomeGroup'],
  ['outcome', 'all'],
  ['overall', 'all'],
  ['all', 'outcomeGroup'],
  ['category', 'repeatChild'],
  ['category', 'repeatTeam'],
  ['all', 'repeatChild'],
  ['all', 'repeatTeam'],
] as const satisfies readonly (readonly [DisputeDimension, DisputeDimension])[]

export function reportService(db: Database, clock: Clock, calendar: CalendarService, policies: readonly Policy[]) {
  const stageMap = policies.flatMap(p =>
    stageLevels(p).map(({ stage, level }) => ({
      policy_id: p.id,
      policy_version: p.version,
      stage_key: stage.key,
      level,
      outside: stage.outsideSystem,
    })),
  )
  const categoryNames = new Map<string, string>()
  for (const p of policies)
    for (const c of p.categories) if (!categoryNames.has(c.key)) categoryNames.set(c.key, c.name)
  const categoryLabel = (key: string) => (key === 'none' ? 'No category' : (categoryNames.get(key) ?? key))
  const noticeKindLabel = (key: string) => {
    const [audience, kind] = key.split(':') as ['iro' | 'cp_chair', string]
    const label = changeKindLabel(audience, kind) ?? kind
    return `${label} (${audience === 'iro' ? 'IRO' : 'CP chair'})`
  }

  const today = () => parseIsoDate(londonDate(clock.now()))

  async function context(user: CurrentUser): Promise<ReportContext> {
    const cal = await calendar.calendar()
    const now = today()
    // Closed weekdays only (a weekend day is never a working day anyway), sorted for the binary search.
    const closedDays = [...cal.closed.keys()]
      .filter(day => (((day + 3) % 7) + 7) % 7 < 5)
      .sort((a, b) => a - b)
      .map(fromDayNumber)
    return {
      today: now,
      closedDays,
      stages: stageMap,
      ownSocialWorkerId: reportAccess(user) === 'own' ? user.person.id : undefined,
    }
  }

  function allowed(user: CurrentUser): ReportAccess {
    const access = reportAccess(user)
    if (access === 'none') throw new ForbiddenError()
    return access
  }

  async function describe(f: ReportFilters, access: ReportAccess) {
    const units = await allUnits(db)
    const unitName = (id?: number) => units.find(u => u.id === id)?.name ?? `Unit ${id}`
    const summary = [
      // Words, as everywhere people read dates; the ISO dates stay in the filters (and the API's).
      { label: 'From', value: formatDate(f.from) },
      { label: 'To', value: formatDate(f.to) },
    ]
    if (f.teamId !== undefined) summary.push({ label: 'Team', value: unitName(f.teamId) })
    if (f.areaId !== undefined) summary.push({ label: 'Service area', value: unitName(f.areaId) })
    if (f.reviewerId !== undefined) {
      const person = (
        await db.query<{ name: string }>(`select given_name || ' ' || family_name as name from people where id = $1`, [
          f.reviewerId,
        ])
      ).rows[0]
      summary.push({ label: 'Reviewer', value: person?.name ?? `Person ${f.reviewerId}` })
    }
    if (f.policyId !== undefined)
      summary.push({ label: 'Policy', value: policies.find(p => p.id === f.policyId)?.name ?? f.policyId })
    if (f.cohort !== undefined) summary.push({ label: 'Children', value: cohortLabels[f.cohort] })
    if (access === 'own') summary.push({ label: 'Scope', value: 'Your own allocated children' })
    return { summary, teamName: (id: string) => unitName(Number(id)) }
  }

  /**
   * Checks due in the range, matched to the schedule by the domain (checkTally.ts, the same rule as
   * checkStatuses): for each child episode, how many of its slots are in each state.
   */
  async function slotTallies(f: ReportFilters, ctx: ReportContext) {
    const episodes = await checkEpisodes(db, f, ctx)
    return episodes.map(e => ({
      role: e.role,
      childId: e.child_id,
      tally: tallyCheckSlots(e.start, e.done ?? [], ctx.today, f.from, f.to),
    }))
  }

  async function build(user: CurrentUser, f: ReportFilters): Promise<Report> {
    const access = allowed(user)
    const ctx = await context(user)
    const { summary, teamName } = await describe(f, access)
    const canList = access === 'own' || user.scope.kind === 'all' || user.scope.branchUnitIds.length > 0

    // The statements are independent: on PostgreSQL they run side by side on the pool's connections.
    const [counts, stageRows, resolution, notesByCategory, notesByTeam, slots, outcomes, notices] = await Promise.all([
      disputeCounts(db, f, ctx, disputeFigurePairs),
      stageTimeliness(db, f, ctx),
      resolutionTimes(db, f, ctx),
      noteCounts(db, f, ctx, 'category'),
      noteCounts(db, f, ctx, 'team'),
      slotTallies(f, ctx),
      checkOutcomeCounts(db, f, ctx),
      noticeCounts(db, f, ctx),
    ])
    const get = (r: DisputeDimension, k: DisputeDimension) => counts.get(`${r}/${k}`) ?? []
    const words = stageWords(policies, f.policyId)
    // A report of one policy with no CAFCASS referral shows no column that can only be empty.
    const groups = mayReferToCafcass(policies, f.policyId)
      ? outcomeGroups
      : outcomeGroups.filter(g => g.key !== 'cafcass')
    // Notes, checks and notices are not made under a dispute policy, so its filter leaves them whole.
    const notByPolicy = (what: string, more = '') =>
      f.policyId === undefined
        ? {}
        : { note: `The policy filter does not apply to ${what}: they are not made under a dispute policy.${more}` }

    const byOutcomeGroup = (
      id: string,
      title: string,
      description: string,
      rowHeader: string,
      r: DisputeDimension,
      label: (key: string) => string,
      order: (a: string, b: string) => number,
    ): ReportTable => {
      const rows = get(r, 'outcomeGroup')
      const keys = [...new Set(rows.map(x => x.r))].sort(order)
      return {
        id,
        title,
        description,
        rowHeader,
        columns: [{ key: 'all', label: 'Raised' }, ...groups],
        chartColumns: groups.map(g => g.key),
        rows: keys.map(key => ({
          key,
          label: label(key),
          cells: [
            count(
              rows.filter(x => x.r === key).reduce((s, x) => s + x.n, 0),
              { figure: 'dispute', r, rv: key, k: 'all', kv: 'all' },
            ),
            ...groups.map(g =>
              count(lookup(rows, key, g.key), { figure: 'dispute', r, rv: key, k: 'outcomeGroup', kv: g.key }),
            ),
          ],
        })),
      }
    }
    const byLabel = (label: (k: string) => string) => (a: string, b: string) => label(a).localeCompare(label(b))

    const outcomeRows = get('outcome', 'all')
    const outcomeKeys = [...new Set(outcomeRows.map(x => x.r))].sort((a, b) => {
      const rank = (k: string) =>
        k.startsWith('resolved:') ? Number(k.slice(9)) : k === 'open' ? 100 : k === 'cafcass' ? 101 : 102
      return rank(a) - rank(b)
    })
    const disputesSection: ReportSection = {
      id: 'disputes',
      title: 'Disputes raised',
      tables: [
        byOutcomeGroup(
          'disputes-by-stage',
          'Disputes by stage reached',
          'Disputes raised in the period, by the highest stage each reached, and where each stands now.',
          'Stage reached',
          'stage',
          k => words.level(Number(k)),
          (a, b) => Number(a) - Number(b),
        ),
        byOutcomeGroup(
          'disputes-by-category',
          'Disputes by category',
          'Disputes raised in the period, by the category of concern the reviewer chose.',
          'Category',
          'category',
          categoryLabel,
          byLabel(categoryLabel),
        ),
        byOutcomeGroup(
          'disputes-by-team',
          'Disputes by team',
          'Disputes raised in the period, by the team of the child.',
          'Team',
          'team',
          teamName,
          byLabel(teamName),
        ),
        {
          id: 'disputes-by-outcome',
          title: 'Disputes by outcome',
          description: `Disputes raised in the period: the stage at which each was resolved, or whether it is still open, ${groups.some(g => g.key === 'cafcass') ? 'was referred to CAFCASS ' : ''}or was closed without resolution.`,
          rowHeader: 'Outcome',
          columns: [{ key: 'all', label: 'Disputes' }],
          chartColumns: ['all'],
          rows: outcomeKeys.map(key => ({
            key,
            label: words.outcome(key),
            cells: [
              count(lookup(outcomeRows, key, 'all'), { figure: 'dispute', r: 'outcome', rv: key, k: 'all', kv: 'all' }),
            ],
          })),
        },
      ],
    }

    const levels = [...new Set(stageRows.map(s => s.level))].sort((a, b) => a - b)
    const overall = get('overall', 'all')
    const resolutionRow = (key: string, label: string): ReportRow => {
      const row = resolution.find(r => r.r === key)
      return {
        key,
        label,
        cells: [
          count(
            row?.n ?? 0,
            key === 'all'
              ? { figure: 'dispute', r: 'outcomeGroup', rv: 'resolved', k: 'all', kv: 'all' }
              : key === 'informal'
                ? { figure: 'dispute', r: 'outcome', rv: 'resolved:0', k: 'all', kv: 'all' }
                : undefined,
          ),
          days(row?.median ?? null),
          days(row?.p90 ?? null),
        ],
      }
    }
    const timelinessSection: ReportSection = {
      id: 'timeliness',
      title: 'Timeliness',
      tables: [
        {
          id: 'stage-timeliness',
          title: 'Responses at each stage',
          description:
            'Each stage that disputes raised in the period entered with a response deadline: the first response on or before the due date is on time; after it, late by the working days shown (weekends, bank holidays and local closures do not count). Due dates are those set by the policy version in force when the dispute was raised.',
          rowHeader: 'Stage',
          columns: [
            ...stageTimelinessColumns,
            { key: 'days_late_total', label: 'Working days late, in all' },
            { key: 'days_late_median', label: 'Median working days late' },
          ],
          chartColumns: stageTimelinessColumns.map(c => c.key),
          rows: levels.map(level => {
            const of = (t: string) => stageRows.find(s => s.level === level && s.timeliness === t)
            return {
              key: String(level),
              label: words.level(level),
              cells: [
                ...stageTimelinessColumns.map(c =>
                  count(of(c.key)?.n ?? 0, { figure: 'stage', level: String(level), timeliness: c.key }),
                ),
                days(of('late')?.days_late_total ?? null),
                days(of('late')?.days_late_median ?? null),
              ],
            }
          }),
        },
        {
          id: 'overall-limit',
          title: 'The whole formal process against the overall limit',
          description:
            'Disputes raised in the period, against the overall limit of the policy they were raised under (for example 20 working days from the first formal stage). A dispute finishes when it is resolved or closed.',
          rowHeader: 'Formal process',
          columns: [{ key: 'all', label: 'Disputes' }],
          chartColumns: ['all'],
          rows: overallRows.map(o => ({
            key: o.key,
            label: o.label,
            cells: [
              count(lookup(overall, o.key, 'all'), { figure: 'dispute', r: 'overall', rv: o.key, k: 'all', kv: 'all' }),
            ],
          })),
        },
        {
          id: 'time-to-resolution',
          title: 'Working days to resolution',
          description:
            'Disputes raised in the period and resolved: working days from raising to resolution, the median and the 90th percentile (interpolated).',
          rowHeader: 'Where resolved',
          columns: [
            { key: 'resolved', label: 'Disputes resolved' },
            { key: 'median', label: 'Median working days' },
            { key: 'p90', label: '90th percentile working days' },
          ],
          chartColumns: ['median', 'p90'],
          rows: [
            resolutionRow('informal', 'At the informal stage'),
            resolutionRow('formal', 'At a formal stage'),
            resolutionRow('all', 'All resolved'),
          ],
        },
      ],
    }

    const disputesByTeam = get('team', 'outcomeGroup')
    const teamKeys = [...new Set([...notesByTeam.map(n => n.r), ...disputesByTeam.map(d => d.r)])].sort(
      byLabel(teamName),
    )
    const notesSection: ReportSection = {
      id: 'notes',
      title: 'Good practice notes',
      ...notByPolicy('good practice notes', ' The concerns beside them are the disputes raised under the policy.'),
      tables: [
        {
          id: 'notes-by-category',
          title: 'Good practice notes by category',
          description: 'Good practice notes written in the period, by the category of practice.',
          rowHeader: 'Category',
          columns: [{ key: 'all', label: 'Notes' }],
          chartColumns: ['all'],
          rows: notesByCategory
            .map(n => n.r)
            .sort(byLabel(categoryLabel))
            .map(key => ({
              key,
              label: categoryLabel(key),
              cells: [count(lookup(notesByCategory, key, 'all'), { figure: 'note', r: 'category', rv: key })],
            })),
        },
        {
          id: 'notes-by-team',
          title: 'Good practice notes and concerns by team',
          description:
            'Good practice notes written in the period and disputes (concerns) raised in the period, by the team of the child, and the ratio of notes to concerns (notes for each concern).',
          rowHeader: 'Team',
          columns: [
            { key: 'notes', label: 'Good practice notes' },
            { key: 'concerns', label: 'Concerns (disputes raised)' },
            { key: 'ratio', label: 'Notes for each concern' },
          ],
          chartColumns: ['notes', 'concerns'],
          rows: teamKeys.map(key => {
            const notes = lookup(notesByTeam, key, 'all')
            const concerns = disputesByTeam.filter(d => d.r === key).reduce((s, d) => s + d.n, 0)
            return {
              key,
              label: teamName(key),
              cells: [
                count(notes, { figure: 'note', r: 'team', rv: key }),
                count(concerns, { figure: 'dispute', r: 'team', rv: key, k: 'all', kv: 'all' }),
                { value: concerns === 0 ? null : Math.round((notes / concerns) * 100) / 100, format: 'ratio' },
              ],
            }
          }),
        },
      ],
    }

    const slotCount = (role: string, statuses: SlotStatus[]) =>
      slots.reduce((n, e) => (e.role === role ? n + statuses.reduce((m, st) => m + e.tally[st], 0) : n), 0)
    const roles = roleRows.filter(r => f.cohort === undefined || (f.cohort === 'cp') === (r.key === 'cp_chair'))
    const checksSection: ReportSection = {
      id: 'checks',
      title: 'Progress checks',
      ...notByPolicy('progress checks'),
      tables: [
        {
          id: 'check-timeliness',
          title: 'Progress checks due in the period',
          description:
            'Checks falling due in the period under the schedule (3 in the first year of a CP plan or care episode, 2 a year after): done by the due date, done late (before the next fell due), missed, or overdue and not yet missed, as of today.',
          rowHeader: 'Checks',
          columns: slotColumns.map(c => ({ key: c.key, label: c.label })),
          chartColumns: slotColumns.map(c => c.key),
          rows: roles.map(role => ({
            key: role.key,
            label: role.label,
            cells: slotColumns.map(c =>
              count(slotCount(role.key, c.statuses), {
                figure: 'slot',
                status: c.key,
                role: role.key,
              }),
            ),
          })),
        },
        {
          id: 'check-outcomes',
          title: 'Outcomes of progress checks held',
          description: 'Progress checks and quality-assurance reviews held in the period, by their outcome.',
          rowHeader: 'Outcome',
          columns: roles.map(r => ({ key: r.key, label: r.label })),
          chartColumns: roles.map(r => r.key),
          rows: checkOutcomes.map(o => ({
            key: o,
            label: checkOutcomeLabels[o],
            cells: roles.map(r => count(lookup(outcomes, o, r.key), { figure: 'check', outcome: o, role: r.key })),
          })),
        },
      ],
    }

    const noticeKinds = [...new Set(notices.map(n => n.r).filter(k => k !== 'all'))].sort(byLabel(noticeKindLabel))
    const noticeRow = (key: string, label: string): ReportRow => {
      const kind = key === 'all' ? undefined : key
      return {
        key,
        label,
        cells: [
          count(lookup(notices, key, 'all'), { figure: 'notice', kind }),
          count(lookup(notices, key, 'on_time'), { figure: 'notice', kind, timeliness: 'on_time' }),
          count(lookup(notices, key, 'late'), { figure: 'notice', kind, timeliness: 'late' }),
          days(notices.find(n => n.r === key && n.k === 'all')?.median ?? null),
        ],
      }
    }
    const noticesSection: ReportSection = {
      id: 'notices',
      title: 'Significant-change notices',
      ...notByPolicy('significant-change notices'),
      tables: [
        {
          id: 'notices-by-kind',
          title: 'Significant-change notices by kind of event',
          description:
            'Notices sent in the period, each on the day (the reviewer was told on the day of the event) or late, and the median working days from the event to the notice.',
          rowHeader: 'Kind of event',
          columns: [
            { key: 'all', label: 'Notices' },
            { key: 'on_time', label: 'On the day' },
            { key: 'late', label: 'Late' },
            { key: 'median', label: 'Median working days late' },
          ],
          chartColumns: ['on_time', 'late'],
          rows: [...noticeKinds.map(k => noticeRow(k, noticeKindLabel(k))), noticeRow('all', 'All notices')],
        },
      ],
    }

    const repeatChild = get('category', 'repeatChild')
    const repeatTeam = get('category', 'repeatTeam')
    const repeatKeys = [...new Set(repeatChild.map(r => r.r))].sort(byLabel(categoryLabel))
    const repeatRow = (key: string, label: string, r: DisputeDimension, rc: CountRow[], rt: CountRow[]): ReportRow => ({
      key,
      label,
      cells: [
        count(
          rc.filter(x => x.r === key).reduce((s, x) => s + x.n, 0),
          { figure: 'dispute', r, rv: key, k: 'all', kv: 'all' },
        ),
        count(lookup(rc, key, 'yes'), { figure: 'dispute', r, rv: key, k: 'repeatChild', kv: 'yes' }),
        count(lookup(rt, key, 'yes'), { figure: 'dispute', r, rv: key, k: 'repeatTeam', kv: 'yes' }),
      ],
    })
    const repeatsSection: ReportSection = {
      id: 'repeats',
      title: 'Repeat concerns',
      tables: [
        {
          id: 'repeat-concerns',
          title: 'Concerns raised again within twelve months',
          description:
            'Disputes raised in the period whose category had already been raised, on an earlier day in the twelve months before, for the same child, or for a child then in the same team. The earlier disputes count whoever raised them and whatever the filters.',
          rowHeader: 'Category',
          columns: [
            { key: 'all', label: 'Raised' },
            { key: 'repeat_child', label: 'Again for the same child' },
            { key: 'repeat_team', label: 'Again for the same team' },
          ],
          chartColumns: ['repeat_child', 'repeat_team'],
          rows: [
            ...repeatKeys.map(k => repeatRow(k, categoryLabel(k), 'category', repeatChild, repeatTeam)),
            repeatRow('all', 'All categories', 'all', get('all', 'repeatChild'), get('all', 'repeatTeam')),
          ],
        },
      ],
    }

    return {
      filters: f,
      filterSummary: summary,
      access,
      canList,
      sections: [disputesSection, timelinessSection, notesSection, checksSection, noticesSection, repeatsSection],
    }
  }

  const service = {
    today,
    lastReportingYear: () => lastReportingYear(today()),
    policies: () => policies,

    /** The figures for the period and filters; 403 for roles that do not see reports. */
    report: build,

    /**
     * A report (or the annual page) as CSV or XLSX, with the filters used; every download is audited
     * (who, what, when) in export_audit.
     */
    async download(
      user: CurrentUser,
      format: 'csv' | 'xlsx',
      what:
        | { kind: 'report'; filters: ReportFilters }
        | { kind: 'annual'; year: number; filters: Omit<ReportFilters, 'from' | 'to'> },
    ): Promise<{ filename: string; contentType: string; body: string | Buffer }> {
      allowed(user)
      let input: ExportInput
      let description: string
      const producedBy = `${user.person.givenName} ${user.person.familyName}`
      const producedAt = clock.now()
      if (what.kind === 'report') {
        const report = await build(user, what.filters)
        input = {
          title: 'Concord report',
          filterSummary: report.filterSummary,
          producedBy,
          producedAt,
          // A download has no sections: each table carries its section's note.
          tables: report.sections.flatMap(sec => sec.tables.map(t => (sec.note ? { ...t, note: sec.note } : t))),
        }
        description = `Report ${JSON.stringify(what.filters)}`
      } else {
        const annual = await service.annual(user, what.year, what.filters)
        input = {
          title: `Annual report: ${annual.table.title}`,
          filterSummary: annual.filterSummary,
          producedBy,
          producedAt,
          tables: [annual.table],
        }
        description = `Annual report ${what.year} ${JSON.stringify(what.filters)}`
      }
      const body = format === 'csv' ? reportCsv(input) : await reportXlsx(input)
      await recordExport(db, {
        at: clock.now(),
        personId: user.person.id,
        kind: `report_${format}`,
        description: description.slice(0, 1000),
      })
      const stamp = londonDate(clock.now())
      return {
        filename: `concord-${what.kind}-${stamp}.${format}`,
        contentType:
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body,
      }
    },

    /** The filters in words (for a list page, a download's header). */
    filterSummary: async (user: CurrentUser, f: ReportFilters) => (await describe(f, allowed(user))).summary,

    /** Throws ForbiddenError unless the person may open Reports. */
    access: allowed,

    /** The figures an annual IRO or CP chair report needs: the chosen reporting year against the one before. */
    async annual(user: CurrentUser, startYear: number, f: Omit<ReportFilters, 'from' | 'to'>) {
      allowed(user)
      const years = [reportingYear(startYear), reportingYear(startYear - 1)]
      const reports = await Promise.all(years.map(y => build(user, { ...f, ...y })))
      const pick = (tableId: string, rowKey: string, colIndex: number) => (r: Report) => {
        const table = r.sections.flatMap(s => s.tables).find(t => t.id === tableId)!
        const cell = table.rows.find(x => x.key === rowKey)?.cells[colIndex]
        return cell ?? { value: 0, format: 'count' as const }
      }
      const sumOf = (tableId: string, colIndex: number, records: RecordRef) => (r: Report) => {
        const table = r.sections.flatMap(s => s.tables).find(t => t.id === tableId)!
        const value = table.rows.reduce((s, x) => s + (x.cells[colIndex]?.value ?? 0), 0)
        return { value, format: 'count' as const, records }
      }
      const lines: { key: string; label: string; cell: (r: Report) => ReportCell }[] = [
        { key: 'raised', label: 'Disputes raised', cell: r => totalRaised(r) },
        {
          key: 'resolved_informal',
          label: 'Resolved at the informal stage',
          cell: pick('time-to-resolution', 'informal', 0),
        },
        { key: 'resolved_formal', label: 'Resolved at a formal stage', cell: pick('time-to-resolution', 'formal', 0) },
        { key: 'open', label: 'Still open', cell: pick('disputes-by-outcome', 'open', 0) },
        { key: 'cafcass', label: 'Referred to CAFCASS', cell: pick('disputes-by-outcome', 'cafcass', 0) },
        {
          key: 'responses_on_time',
          label: 'Stage responses on time',
          cell: sumOf('stage-timeliness', 0, { figure: 'stage', timeliness: 'on_time' }),
        },
        {
          key: 'responses_late',
          label: 'Stage responses late',
          cell: sumOf('stage-timeliness', 1, { figure: 'stage', timeliness: 'late' }),
        },
        {
          key: 'within_limit',
          label: 'Formal process finished within the overall limit',
          cell: pick('overall-limit', 'within', 0),
        },
        {
          key: 'outside_limit',
          label: 'Formal process finished outside the overall limit',
          cell: pick('overall-limit', 'outside', 0),
        },
        { key: 'median_days', label: 'Median working days to resolution', cell: pick('time-to-resolution', 'all', 1) },
        {
          key: 'p90_days',
          label: '90th percentile working days to resolution',
          cell: pick('time-to-resolution', 'all', 2),
        },
        {
          key: 'repeat_child',
          label: 'Concerns raised again for the same child',
          cell: pick('repeat-concerns', 'all', 1),
        },
        {
          key: 'notes',
          label: 'Good practice notes',
          cell: sumOf('notes-by-category', 0, { figure: 'note', r: 'all', rv: 'all' }),
        },
        {
          key: 'checks_on_time',
          label: 'Progress checks on time',
          cell: sumOf('check-timeliness', 0, { figure: 'slot', status: 'done' }),
        },
        {
          key: 'checks_late',
          label: 'Progress checks late',
          cell: sumOf('check-timeliness', 1, { figure: 'slot', status: 'done_late' }),
        },
        {
          key: 'checks_missed',
          label: 'Progress checks missed',
          cell: sumOf('check-timeliness', 2, { figure: 'slot', status: 'missed' }),
        },
        { key: 'notices', label: 'Significant-change notices', cell: pick('notices-by-kind', 'all', 0) },
        {
          key: 'notices_median',
          label: 'Median working days late of notices',
          cell: pick('notices-by-kind', 'all', 3),
        },
      ]
      const [current, previous] = reports as [Report, Report]
      const table: ReportTable = {
        id: 'annual',
        title: `Reporting year ${startYear} to ${startYear + 1} against ${startYear - 1} to ${startYear}`,
        description:
          'The figures an annual IRO or CP chair report needs, for the reporting year (1 April to 31 March) and the year before.',
        rowHeader: 'Figure',
        columns: [
          { key: 'current', label: `${startYear} to ${startYear + 1}` },
          { key: 'previous', label: `${startYear - 1} to ${startYear}` },
        ],
        chartColumns: ['current', 'previous'],
        ...(f.policyId === undefined
          ? {}
          : {
              note: 'The policy filter applies to the dispute figures only: progress checks, good practice notes and significant-change notices are not made under a dispute policy.',
            }),
        rows: lines
          .filter(l => l.key !== 'cafcass' || mayReferToCafcass(policies, f.policyId))
          .map(l => ({ key: l.key, label: l.label, cells: [l.cell(current), l.cell(previous)] })),
      }
      return {
        current,
        previous,
        years,
        table,
        filterSummary: current.filterSummary.filter(s => s.label !== 'From' && s.label !== 'To'),
      }
    },

    /** The records behind one number, only about children the viewer may see. */
    async records(
      user: CurrentUser,
      f: ReportFilters,
      ref: RecordRef,
      limit: number,
      offset: number,
    ): Promise<{
      rows: ListedRecord[]
      total: number
      hidden: number
      kind: RecordSelection['kind']
      /** The figure, in words, where the list counts something else (children, for checks). */
      figure?: string
    }> {
      allowed(user)
      const ctx = await context(user)
      let selection: RecordSelection
      let figure: string | undefined
      switch (ref.figure) {
        case 'dispute':
          selection = { kind: 'dispute', row: [ref.r, ref.rv], col: [ref.k, ref.kv] }
          break
        case 'stage':
          selection = {
            kind: 'stage',
            level: ref.level === undefined ? null : Number(ref.level),
            timeliness: ref.timeliness ?? null,
          }
          break
        case 'note':
          selection = { kind: 'note', row: [ref.r, ref.rv] }
          break
        case 'check':
          selection = { kind: 'check', outcome: ref.outcome, role: ref.role ?? null }
          break
        case 'notice':
          selection = { kind: 'notice', noticeKind: ref.kind ?? null, timeliness: ref.timeliness ?? null }
          break
        case 'slot': {
          const column = slotColumns.find(c => c.key === ref.status)
          if (!column) throw new NotFoundError()
          // The figure counts checks; the list names each child once, with how many of the checks are theirs.
          const counted = new Map<number, number>()
          for (const e of await slotTallies(f, ctx)) {
            if (ref.role && e.role !== ref.role) continue
            const n = column.statuses.reduce((sum, st) => sum + e.tally[st], 0)
            if (n > 0) counted.set(e.childId, (counted.get(e.childId) ?? 0) + n)
          }
          selection = { kind: 'child', children: [...counted].map(([childId, n]) => ({ childId, counted: n })) }
          const role = roleRows.find(r => r.key === ref.role)?.label ?? 'all progress checks'
          figure = `“${column.label}” for ${role} in “Progress checks due in the period”`
          break
        }
      }
      const result = await listRecords(db, user.scope, f, ctx, selection, limit, offset)
      return { ...result, kind: selection.kind, ...(figure ? { figure } : {}) }
    },

    labels: {
      category: categoryLabel,
      noticeKind: noticeKindLabel,
      outcomeGroup: outcomeLabel,
      checkOutcome: (o: string) => checkOutcomeLabels[o as keyof typeof checkOutcomeLabels] ?? o,
    },
  }
  return service
}

/** Whether a report's disputes may include CAFCASS referrals: of every policy, or of one (any version) that allows them. */
export function mayReferToCafcass(policies: readonly Policy[], policyId: string | undefined): boolean {
  return policyId === undefined || policies.some(p => p.id === policyId && p.rules.cafcass.allowed)
}

function totalRaised(r: Report): ReportCell {
  const table = r.sections[0]!.tables[0]!
  return {
    value: table.rows.reduce((s, x) => s + (x.cells[0]?.value ?? 0), 0),
    format: 'count',
    records: { figure: 'dispute', r: 'all', rv: 'all', k: 'all', kv: 'all' },
  }
}

export type ReportService = ReturnType<typeof reportService>
