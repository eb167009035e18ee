import { describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../domain/calendar/workingDays.js'
import type { SlotState } from '../../domain/quality/progressChecks.js'
import type { ProgressCheck } from '../../db/repositories/qualityRepository.js'
import {
  checkFollowUps,
  checkPrefill,
  latenessText,
  reviewTag,
  reviewText,
  slotDueText,
  slotName,
} from './qualityPresenter.js'

const d = parseIsoDate
const slot = (status: SlotState['status'], doneOn: string | null = null): SlotState => ({
  year: 2,
  number: 1,
  windowStart: d('2022-05-10'),
  dueOn: d('2022-11-10'),
  status,
  doneOn: doneOn === null ? null : d(doneOn),
})

const check: ProgressCheck = {
  id: 7,
  reference: 'PC-000007',
  childId: 3,
  reviewerId: 1,
  reviewerName: 'Ira Reviewer',
  reviewerRole: 'iro',
  heldOn: '2023-01-04',
  answers: [
    { key: 'safeEnough', label: 'Is the child safe enough?', answer: 'Not yet.' },
    { key: 'agreedActions', label: 'Actions agreed', answer: 'Visit weekly.' },
  ],
  outcome: 'requires_improvement',
  createdAt: new Date('2023-01-04T10:00:00Z'),
}

describe('the quality presenter', () => {
  it('names a slot and says when it was or is due', () => {
    expect(slotName(slot('due'))).toBe('Year 2, first check')
    expect(slotDueText(slot('due'), d('2022-10-01'))).toBe('Due by 10 November 2022')
    expect(slotDueText(slot('overdue'), d('2022-11-11'))).toBe('Was due by 10 November 2022 (1 day ago)')
    expect(slotDueText(slot('done_late', '2022-11-20'), d('2022-12-01'))).toBe(
      'Was due by 10 November 2022, done on 20 November 2022',
    )
  })

  it('says how late a notice was and where its review stands', () => {
    expect(latenessText(0)).toBe('The same day')
    expect(latenessText(1)).toBe('1 working day after it happened')
    expect(latenessText(3)).toBe('3 working days after it happened')
    const due = { reviewDueOn: '2023-01-31', reviewSetBy: 'policy' as const, reviewHeldOn: null }
    expect(reviewText(due)).toBe('Needed by 31 January 2023 (the policy for this kind of change)')
    expect(reviewTag(due, d('2023-02-01'))?.text).toBe('Review overdue')
    expect(reviewTag(due, d('2023-01-31'))?.text).toBe('Review due')
    expect(reviewTag({ ...due, reviewHeldOn: '2023-02-02' }, d('2023-02-03'))?.text).toBe('Review held late')
    expect(reviewText({ reviewDueOn: null, reviewSetBy: null, reviewHeldOn: null })).toBe('No review asked for')
  })

  it('starts a dispute or a note from a check, naming the check in the link and the text', () => {
    expect(checkFollowUps(check).map(f => f.href)).toEqual([
      '/children/3/disputes/new?fromCheck=7',
      '/children/3/notes/new?fromCheck=7',
    ])
    const prefill = checkPrefill(check)
    expect(prefill.concern).toBe(
      'IRO progress check PC-000007, held on 4 January 2023: Progress requires improvement.\n\n' +
        'Is the child safe enough?\nNot yet.\n\nActions agreed\nVisit weekly.',
    )
    expect(
      checkPrefill({ ...check, answers: [{ key: 'k', label: 'L', answer: 'x'.repeat(6000) }] }).concern,
    ).toHaveLength(5000)
  })
})
