import { describe, expect, it } from 'vitest'
import { defaultCalendar, parseIsoDate } from '../calendar/workingDays.js'
import {
  changeKindLabel,
  changeKindsFor,
  cpChairChangeKinds,
  iroChangeKinds,
  noticeLateness,
  policyReviewDueOn,
} from './significantChanges.js'

const d = parseIsoDate

describe('significant-change notices', () => {
  it('offers the IRO list for children in care and the CP chair list for children on plans', () => {
    expect(changeKindsFor('iro')).toBe(iroChangeKinds)
    expect(changeKindsFor('cp_chair')).toBe(cpChairChangeKinds)
    expect(iroChangeKinds.map(k => k.key)).toContain('missing_from_care')
    expect(cpChairChangeKinds.map(k => k.key)).toContain('concerns_increased')
    for (const list of [iroChangeKinds, cpChairChangeKinds])
      expect(new Set(list.map(k => k.key)).size).toBe(list.length)
  })

  it('counts lateness in working days, across a bank holiday', () => {
    const calendar = defaultCalendar()
    expect(noticeLateness(calendar, d('2023-04-05'), d('2023-04-05'))).toBe(0)
    // Wednesday before Easter to the Tuesday after: Thursday 6, then Good Friday and Easter Monday are holidays.
    expect(noticeLateness(calendar, d('2023-04-05'), d('2023-04-11'))).toBe(2)
    expect(noticeLateness(calendar, d('2023-04-07'), d('2023-04-11'))).toBe(1)
  })

  it('asks for a review within 4 weeks of a significant change to the plan, and none for other kinds', () => {
    expect(policyReviewDueOn('plan_change', d('2023-03-10'))).toBe('2023-04-07')
    expect(policyReviewDueOn('plan_change', d('2023-12-20'))).toBe('2024-01-17')
    expect(policyReviewDueOn('missing_from_care', d('2023-03-10'))).toBeUndefined()
  })

  it('names a kind only on its own list', () => {
    expect(changeKindLabel('iro', 'plan_change')).toBe('Significant change to the child’s plan')
    expect(changeKindLabel('cp_chair', 'plan_change')).toBeUndefined()
    expect(changeKindLabel('cp_chair', 'court_order')).toContain('Court order')
  })
})
