import { describe, expect, it } from 'vitest'
import { defaultCalendar, parseIsoDate } from '../../domain/calendar/workingDays.js'
import { formText } from './disputePresenter.js'
import type { RecordState } from '../../db/repositories/supervisionRepository.js'
import type { Policy } from '../../domain/policies/policy.js'
import { shippedPolicies } from '../../domain/policies/policyCatalogue.js'
import { dueTag, inboxLabel, recordFlags, stageChoices } from './workPresenter.js'

const calendar = defaultCalendar()
const today = parseIsoDate('2023-04-05') // Wednesday before Easter

describe('my work presenters', () => {
  it('says how long is left, or how overdue, in working days', () => {
    expect(dueTag(null)).toBeUndefined()
    expect(dueTag(5)?.text).toBe('5 working days left')
    expect(dueTag(1)?.text).toBe('1 working day left')
    expect(dueTag(0)?.text).toBe('Due today')
    expect(dueTag(-1)).toEqual({ text: '1 working day overdue', classes: 'govuk-tag--red' })
  })

  it('flags outstanding and overdue actions, and a record near or past its overall deadline, in working days', () => {
    const row = {
      state: 'awaiting_response' as RecordState,
      openActions: 0,
      overdueActions: 0,
      responseDueOn: null as string | null,
      overallDueOn: null,
    }
    expect(recordFlags(row, calendar, today)).toEqual([])
    expect(recordFlags({ ...row, openActions: 2 }, calendar, today).map(f => f.text)).toEqual(['Actions outstanding'])
    expect(recordFlags({ ...row, openActions: 2, overdueActions: 1 }, calendar, today).map(f => f.text)).toEqual([
      'Actions overdue',
    ])
    // Wednesday 5 April to Wednesday 12 April 2023 is 3 working days across Good Friday and Easter Monday.
    expect(recordFlags({ ...row, overallDueOn: '2023-04-12' }, calendar, today).map(f => f.text)).toEqual([
      'Near the overall deadline',
    ])
    expect(recordFlags({ ...row, overallDueOn: '2023-04-13' }, calendar, today)).toEqual([])
    expect(recordFlags({ ...row, overallDueOn: '2023-04-05' }, calendar, today).map(f => f.text)).toEqual([
      'Overall deadline today',
    ])
    expect(recordFlags({ ...row, overallDueOn: '2023-04-04' }, calendar, today).map(f => f.text)).toEqual([
      'Past the overall deadline',
    ])
    expect(recordFlags({ ...row, state: 'to_finalise', overallDueOn: '2023-04-04' }, calendar, today)).toEqual([])
    // Due on Thursday 6 April: on Good Friday and over Easter no working day has passed, but the deadline has.
    for (const day of ['2023-04-07', '2023-04-08', '2023-04-10'])
      expect(recordFlags({ ...row, overallDueOn: '2023-04-06' }, calendar, parseIsoDate(day)).map(f => f.text)).toEqual(
        ['Past the overall deadline'],
      )
  })

  it('flags a stage outside the system whose outcome is past its due date, but never an answered one as overdue', () => {
    const row = { state: 'outside_system' as RecordState, openActions: 0, overdueActions: 0, overallDueOn: null }
    expect(recordFlags({ ...row, responseDueOn: '2023-04-05' }, calendar, today)).toEqual([])
    expect(recordFlags({ ...row, responseDueOn: '2023-04-04' }, calendar, today)).toEqual([
      { text: 'Outcome overdue', classes: 'govuk-tag--red' },
    ])
    // A record awaiting a response is "Response overdue" by its state, not by a flag.
    expect(recordFlags({ ...row, state: 'response_overdue', responseDueOn: '2023-04-04' }, calendar, today)).toEqual([])
  })

  it('lists each policy’s stages together and in order, whichever policy names a shared stage first', () => {
    const policies = shippedPolicies()
    const keys = (ps: Policy[]) => stageChoices(ps).map(c => c.key)
    for (const order of [policies, [...policies].reverse()]) {
      const listed = keys(order)
      expect(new Set(listed).size).toBe(listed.length)
      // Every policy's stages appear in its own order.
      for (const p of policies) {
        const at = p.stages.map(s => listed.indexOf(s.key))
        expect(at).toEqual([...at].sort((a, b) => a - b))
      }
    }
    // Care First's Stage 5 comes straight after the Stage 4 it shares with the CP chairs' policy.
    const listed = keys(policies)
    expect(listed[listed.indexOf('stage4') + 1]).toBe('stage5')
    expect(stageChoices(policies).find(c => c.key === 'chief_executive')!.names).toEqual([
      'Chief Executive Officer',
      'Chief Executive',
    ])
  })

  it('says which stage each copy for information came from, by the policy’s name for it', () => {
    expect(inboxLabel({ kind: 'copy', ref: '2', about: 'Head of Service' })).toBe(
      'Copied for information: the Head of Service stage',
    )
    expect(inboxLabel({ kind: 'copy', ref: '1', about: 'Stage 1' })).toBe('Copied for information: Stage 1')
    // Items written before the stage's name was kept with them: by position in the record.
    expect(inboxLabel({ kind: 'copy', ref: '1', about: null })).toBe('Copied for information: stage 1')
    expect(inboxLabel({ kind: 'copy', ref: '2' })).toBe('Copied for information: stage 2')
    expect(inboxLabel({ kind: 'respond', ref: '2' })).toBe('Respond with a SMART action plan')
    expect(inboxLabel({ kind: 'action', ref: '3', about: 'Visit the child at home' })).toBe(
      'Mark an action as done: Visit the child at home',
    )
    expect(inboxLabel({ kind: 'action', ref: '3', about: null })).toBe('Mark an action as done')
  })

  it("names each step in My work as the record's button and the step's page name it", () => {
    expect(inboxLabel({ kind: 'respond', ref: '1' })).toBe(formText.respond)
    expect(inboxLabel({ kind: 'decide', ref: '1' })).toBe(formText.decide)
    expect(inboxLabel({ kind: 'record_outcome', ref: '1' })).toBe(formText.outcome)
    expect(inboxLabel({ kind: 'finalise', ref: '1' })).toBe(formText.finalise)
    expect(inboxLabel({ kind: 'pre_approve', ref: '1' })).toBe('Give or decline pre-approval')
  })
})
