import { describe, expect, it } from 'vitest'
import { firstListed, LISTED_IN_ONE_EMAIL } from './emailText.js'
import { reminderText } from './qualityReminders.js'

const reviews = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    reference: `SCN-00000${i + 1}`,
    caseId: `CASE${i + 1}`,
    dueOn: '2026-11-27',
    link: `https://concord.example/notices/${i + 1}`,
  }))
const listUrls = ['https://concord.example/work']

describe('reminders for reviews and checks, one email for each person', () => {
  it('keep the single wording for one and list several, each with its link', () => {
    expect(reminderText.reviewDue({ ...firstListed(reviews(1), r => r), listUrls }).subject).toBe(
      'Reminder: the review for notice SCN-000001 is due by 27 November 2026',
    )
    const due = reminderText.reviewDue({ ...firstListed(reviews(2), r => r), listUrls })
    expect(due.subject).toBe('Reminder: 2 reviews after significant changes are due')
    expect(due.body).toContain('Notice SCN-000002, the child with case ID CASE2: due by 27 November 2026.')
    expect(due.body).toContain('https://concord.example/notices/2\n')
    const overdue = reminderText.reviewOverdue({ ...firstListed(reviews(3), r => r), listUrls })
    expect(overdue.subject).toBe('Overdue: 3 reviews after significant changes')
  })

  it('name the kind of check, and count those past the limit of one email', () => {
    const checks = reviews(LISTED_IN_ONE_EMAIL + 2).map(({ caseId, dueOn, link }) => ({ caseId, dueOn, link }))
    const due = reminderText.checkDue({ ...firstListed(checks, c => c), listUrls, kind: 'cp_chair' })
    expect(due.subject).toBe(`Reminder: ${LISTED_IN_ONE_EMAIL + 2} quality assurance reviews due soon`)
    expect(due.body).toContain('And 2 more.')
    const one = reminderText.checkOverdue({ ...firstListed(checks.slice(0, 1), c => c), listUrls, kind: 'iro' })
    expect(one.subject).toBe('Overdue: a progress check was due by 27 November 2026')
    expect(one.body).toContain('the child with case ID CASE1 was due by 27 November 2026')
  })
})
