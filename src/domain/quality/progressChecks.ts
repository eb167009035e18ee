import { compareIsoDates, type IsoDate, parseIsoDate } from '../calendar/workingDays.js'

/**
 * Progress checks (IRO) and quality-assurance reviews (CP chair) between statutory reviews
 * (seed 004 section 5): at least 3 in the first year of a CP plan or care episode and 2 in each
 * later year, spread through the year. The year runs from the episode's start, so a child who
 * comes into care part-way through a calendar year has their own year.
 */

export const checkOutcomes = ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const
export type CheckOutcome = (typeof checkOutcomes)[number]

export const checkOutcomeLabels: Record<CheckOutcome, string> = {
  outstanding: 'Outstanding progress',
  good: 'Good progress',
  requires_improvement: 'Progress requires improvement',
  inadequate: 'Progress is inadequate',
}

/** Seed 004 section 7.1: the IRO progress check template. */
export const iroCheckHeadings = [
  {
    key: 'discussion',
    label: 'Discussion with social worker, carers, child or others as the IRO considers appropriate',
  },
  { key: 'audits', label: 'Review of audits, child of concern notifications and escalations in the last period' },
  { key: 'actionsProgress', label: 'Progress of actions from the statutory review' },
  {
    key: 'recordUpToDate',
    label: 'Is the child’s record up to date and does it reflect the completion of statutory tasks?',
  },
  { key: 'safeEnough', label: 'Is the child safe enough?' },
  { key: 'permanence', label: 'Has the child achieved permanence?' },
  { key: 'agreedActions', label: 'Actions and timescales agreed with the social worker' },
] as const

/**
 * Seed 004 section 7.2 says CP chairs use "the existing quality assurance form" for their mid-way
 * checks without listing its headings; these follow the conference's own business (the plan, the
 * core group, the child's voice, risk) and should be replaced by the authority's form.
 */
export const cpChairCheckHeadings = [
  { key: 'planProgress', label: 'Progress of the child protection plan since the conference' },
  { key: 'coreGroups', label: 'Core group meetings held and recorded within timescales' },
  { key: 'visits', label: 'Statutory visits completed and the child seen alone' },
  { key: 'childVoice', label: 'The child’s voice, wishes and feelings in the work' },
  { key: 'riskReduced', label: 'Has the risk of significant harm reduced?' },
  { key: 'agreedActions', label: 'Actions and timescales agreed with the social worker' },
] as const

export type CheckKind = 'iro' | 'cp_chair'

export function headingsFor(kind: CheckKind) {
  return kind === 'iro' ? iroCheckHeadings : cpChairCheckHeadings
}

/** Adds whole months, keeping to the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return parseIsoDate(
    `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`,
  )
}

export interface ScheduleSlot {
  /** 1-based year of the episode and number of the check within it. */
  year: number
  number: number
  windowStart: IsoDate
  dueOn: IsoDate
}

/** The checks due for an episode that started on `start`, up to and including the one due after `until`. */
export function checkSchedule(start: IsoDate, until: IsoDate): ScheduleSlot[] {
  const slots: ScheduleSlot[] = []
  let windowStart = start
  for (let year = 1; ; year++) {
    const perYear = year === 1 ? 3 : 2
    const yearStart = addMonths(start, 12 * (year - 1))
    for (let n = 1; n <= perYear; n++) {
      const dueOn = addMonths(yearStart, (12 / perYear) * n)
      slots.push({ year, number: n, windowStart, dueOn })
      windowStart = dueOn
      if (compareIsoDates(dueOn, until) > 0) return slots
    }
  }
}

export type SlotStatus = 'done' | 'done_late' | 'due' | 'overdue' | 'missed' | 'upcoming'

export interface SlotState extends ScheduleSlot {
  status: SlotStatus
  doneOn: IsoDate | null
}

/**
 * Matches completed checks to the schedule. A check counts for the earliest open slot whose window
 * has begun: on time when done by the due date, late when done after it but before the next slot
 * falls due; a slot with no check is overdue until the next one falls due, then missed.
 */
export function checkStatuses(start: IsoDate, completed: readonly IsoDate[], today: IsoDate): SlotState[] {
  const done = [...completed].filter(d => compareIsoDates(d, start) >= 0).sort()
  const slots = checkSchedule(start, today)
  const states: SlotState[] = []
  let next = 0
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!
    const following = slots[i + 1]
    // Checks before this slot's window belong to earlier slots already, or were extra.
    while (next < done.length && compareIsoDates(done[next]!, slot.windowStart) <= 0 && i > 0) next++
    const candidate = done[next]
    const lateLimit = following?.dueOn
    if (candidate && compareIsoDates(candidate, slot.dueOn) <= 0) {
      states.push({ ...slot, status: 'done', doneOn: candidate })
      next++
    } else if (candidate && (!lateLimit || compareIsoDates(candidate, lateLimit) <= 0)) {
      states.push({ ...slot, status: 'done_late', doneOn: candidate })
      next++
    } else if (compareIsoDates(today, slot.windowStart) < 0) {
      states.push({ ...slot, status: 'upcoming', doneOn: null })
    } else if (compareIsoDates(today, slot.dueOn) <= 0) {
      states.push({ ...slot, status: 'due', doneOn: null })
    } else if (!lateLimit || compareIsoDates(today, lateLimit) <= 0) {
      states.push({ ...slot, status: 'overdue', doneOn: null })
    } else {
      states.push({ ...slot, status: 'missed', doneOn: null })
    }
  }
  return states
}

/** The slot a reviewer should act on now: the overdue one, else the one due next. */
export function currentSlot(states: readonly SlotState[]): SlotState | undefined {
  return (
    states.find(s => s.status === 'overdue') ??
    states.find(s => s.status === 'due') ??
    states.find(s => s.status === 'upcoming')
  )
}
