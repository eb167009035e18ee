import { describe, expect, it } from 'vitest'
import type { PracticeNote } from '../../db/repositories/practiceNoteRepository.js'
import { practiceCategories } from '../../services/practiceNoteService.js'
import {
  aboutText,
  categoryItems,
  noteStatus,
  noteSummaryRows,
  noteTextRows,
  noteTitle,
  noteWorkHref,
  recipientRows,
  resolutionRows,
  routeItems,
} from './practiceNotePresenter.js'

const note: PracticeNote = {
  id: 12,
  reference: 'NOTE-000012',
  kind: 'good_practice',
  noteSetId: 3,
  childId: 7,
  caseId: 'C7',
  authorId: 1,
  authorName: 'Ida Reviewer',
  subjectPersonId: 2,
  subjectPersonName: 'Sam Worker',
  subjectUnitId: null,
  subjectUnitName: null,
  categoryKey: 'participation',
  practice: 'Weekly visits.',
  impact: 'The children are heard.',
  route: null,
  contextCaseId: null,
  resolutionOutcome: null,
  resolved: null,
  formalRoute: null,
  resolvedById: null,
  resolvedByName: null,
  resolvedAt: null,
  version: 1,
  createdAt: new Date('2023-01-05T09:00:00Z'),
}
const concern: PracticeNote = {
  ...note,
  kind: 'concern',
  childId: null,
  caseId: null,
  noteSetId: null,
  categoryKey: null,
  impact: null,
  practice: 'The conference went ahead without my report.',
  route: 'conference_complaints',
  contextCaseId: 'C1',
}

describe('the practice note presenter', () => {
  it('uses policy A’s six categories, with the description of resources as a hint', () => {
    const items = categoryItems(practiceCategories, 'resources')
    expect(items.map(i => i.value)).toEqual([
      'safety_wellbeing',
      'participation',
      'drift_delay',
      'key_decision_making',
      'resources',
      'procedural_tasks',
    ])
    expect(items.find(i => i.checked)).toMatchObject({ text: 'Resources', hint: { text: expect.any(String) } })
  })

  it('names what a note is about, and links the child only for someone who may see them', () => {
    expect(aboutText(note)).toBe('Sam Worker')
    expect(aboutText({ subjectPersonName: null, subjectUnitName: 'Team A' })).toBe('Team A (the team)')
    const seen = noteSummaryRows(note, practiceCategories, { id: 7, givenName: 'Ann', familyName: 'Child' })
    expect(seen.find(r => r.key === 'Child')).toEqual({
      key: 'Child',
      links: [{ href: '/children/7', text: 'Ann Child' }],
      lines: ['Case ID C7'],
    })
    const unseen = noteSummaryRows(note, practiceCategories, undefined)
    expect(unseen.find(r => r.key === 'Child')).toEqual({ key: 'Child', lines: ['Case ID C7'] })
    expect(unseen.find(r => r.key === 'Category of practice')!.lines).toEqual(['Participation and Relational Practice'])
  })

  it('shows a concern’s route and context case ID, never a child, and where it stands', () => {
    const rows = noteSummaryRows(concern, practiceCategories, undefined)
    expect(rows.map(r => r.key)).toEqual(['About', 'Route', 'Case ID (for context only)', 'Written by', 'Written on'])
    expect(rows[1]!.lines![0]).toMatch(/^Complaints in relation to child protection conferences: the process/)
    expect(noteTitle(concern)).toBe('Concern NOTE-000012')
    expect(noteTextRows(concern)).toEqual([{ key: 'What happened', lines: [concern.practice] }])
    expect(noteStatus(note)).toBeUndefined()
    expect(noteStatus(concern)).toEqual({ text: 'Awaiting informal resolution', classes: 'govuk-tag--yellow' })
    expect(noteStatus({ ...concern, resolved: true })!.text).toBe('Resolved informally')
    const notResolved = { ...concern, resolved: false, formalRoute: 'whistleblowing' as const }
    expect(noteStatus(notResolved)!.text).toBe('Not resolved: whistleblowing process')
    expect(resolutionRows(notResolved)!.at(-1)).toEqual({
      key: 'Next step',
      lines: ['Raise it formally through the whistleblowing process.'],
    })
    expect(resolutionRows(concern)).toBeUndefined()
  })

  it('offers the conference complaints route only for a CP chair', () => {
    expect(routeItems(undefined, true).map(i => i.value)).toEqual(['escalation_policy', 'conference_complaints'])
    expect(routeItems('escalation_policy', false)).toEqual([
      expect.objectContaining({ value: 'escalation_policy', checked: true }),
    ])
  })

  it('sends inbox items to the note, or a concern to its resolution form, and shows acknowledgements', () => {
    expect(noteWorkHref({ kind: 'practice_note', subjectId: 4 })).toBe('/notes/4')
    expect(noteWorkHref({ kind: 'practice_note_copy', subjectId: 4 })).toBe('/notes/4')
    expect(noteWorkHref({ kind: 'practice_concern', subjectId: 4 })).toBe('/notes/4/resolution')
    const rows = recipientRows(
      [
        { personId: 2, name: 'Sam Worker', copy: false, acknowledgedAt: new Date('2023-01-06T10:30:00Z') },
        { personId: 3, name: 'Tia Manager', copy: true, acknowledgedAt: null },
      ],
      false,
    )
    expect(rows.map(r => [r.role, r.state!.text])).toEqual([
      ['Sent to', 'Acknowledged 6 January 2023 at 10:30am'],
      ['Copied', 'Not yet acknowledged'],
    ])
  })
})
