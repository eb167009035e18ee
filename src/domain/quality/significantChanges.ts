import { addCalendarDays, type Calendar, type IsoDate, workingDaysBetween } from '../calendar/workingDays.js'

/**
 * Significant changes the social worker must tell the reviewer about (seed 004 section 8): the IRO
 * list (8.1, IRO Handbook 3.74) for children in care, the CP chair list (8.2) for children on plans.
 */
export const iroChangeKinds = [
  { key: 'panel_outcome', label: 'Outcome of a panel application or presentation' },
  {
    key: 'fostering_panel_outcome',
    label: 'Outcome of a presentation to the fostering panel or agency decision maker',
  },
  { key: 'unexpected_placement_change', label: 'Unexpected change in the child’s placement provision' },
  { key: 'placement_change', label: 'Proposed or actual change of placement' },
  { key: 'court_order', label: 'Court order or outcome of a directions hearing' },
  { key: 'review_decision_delay', label: 'Significant delay in completing a looked after review decision' },
  { key: 'missing_from_care', label: 'Missing from care episode' },
  { key: 'meeting_without_iro', label: 'Strategy discussion or other meeting where the IRO was not present' },
  { key: 'school_exclusion', label: 'Exclusion from school (including informal exclusion)' },
  { key: 'health_outcome', label: 'Health assessment identifying a serious undiagnosed condition' },
  {
    key: 'family_change',
    label: 'Unexpected change in the family’s or foster carer’s circumstances (births, deaths...)',
  },
  { key: 'arrest', label: 'Arrest, bail or conviction' },
  { key: 'serious_accident', label: 'Serious accident' },
  { key: 'social_worker_change', label: 'Change of allocated social worker' },
  { key: 'discharge_from_care', label: 'Unexpected proposed or actual discharge from care' },
  { key: 'complaint', label: 'Complaint from or on behalf of the child, parent or carer' },
  { key: 'parallel_planning', label: 'Relevant parallel planning (personal education, EHC or youth justice planning)' },
  { key: 'plan_change', label: 'Significant change to the child’s plan' },
] as const

export const cpChairChangeKinds = [
  { key: 'harm', label: 'Death, serious incident or significant harm to the child' },
  { key: 'carer_address', label: 'Change of address of the primary carer or their partner' },
  { key: 'moved_out_of_county', label: 'The child has moved out of county' },
  { key: 'looked_after_change', label: 'The child has become looked after or ceased to be looked after' },
  { key: 'court_order', label: 'Court order or outcome of a hearing (private law, public law outline, youth justice)' },
  { key: 'family_change', label: 'Unexpected change in the family’s circumstances (births, deaths...)' },
  { key: 'social_worker_change', label: 'Change of allocated social worker' },
  { key: 'complaint', label: 'Complaint from or on behalf of the child, parent or carer' },
  { key: 'plan_not_implementable', label: 'The child protection plan cannot be implemented' },
  { key: 'concerns_increased', label: 'Concerns have increased and an early review conference is being considered' },
  { key: 'concerns_decreased', label: 'Concerns have decreased and an early review conference is being considered' },
] as const

export type ChangeAudience = 'iro' | 'cp_chair'

export function changeKindsFor(audience: ChangeAudience) {
  return audience === 'iro' ? iroChangeKinds : cpChairChangeKinds
}

/** Kinds that call for a review by a date: seed 003, a significant change to the plan needs a review within 4 weeks. */
export const reviewWeeksByKind: Partial<Record<string, number>> = { plan_change: 4 }

/** How late a notice was: working days from the day of the event to the day the reviewer was told (0: the same day). */
export function noticeLateness(calendar: Calendar, eventOn: IsoDate, noticeOn: IsoDate): number {
  return Math.max(0, workingDaysBetween(calendar, eventOn, noticeOn))
}

/**
 * The date a review is needed by when the kind of change calls for one (seed 003: a significant change
 * to the plan needs a review within 4 weeks of the change); undefined when the policy asks for none.
 */
export function policyReviewDueOn(kind: string, occurredOn: IsoDate): IsoDate | undefined {
  const weeks = reviewWeeksByKind[kind]
  return weeks === undefined ? undefined : addCalendarDays(occurredOn, weeks * 7)
}

/** The label of a kind of change on the list for an audience; undefined when the kind is not on that list. */
export function changeKindLabel(audience: ChangeAudience, kind: string): string | undefined {
  return changeKindsFor(audience).find(k => k.key === kind)?.label
}
