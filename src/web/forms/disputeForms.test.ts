import { parseIsoDate } from '../../domain/calendar/isoDate.js'
import { describe, expect, it } from 'vitest'
import { errorMessages } from '../../i18n/errorMessages.js'
import {
  parseAddendumForm,
  parseApproveForm,
  parseCalendarForm,
  parseCompleteActionForm,
  parseDecideForm,
  parseDiscussionForm,
  parseEscalateForm,
  parseFinaliseForm,
  parseOutcomeForm,
  parsePolicyChoice,
  parseRaiseForm,
  parseRespondForm,
} from './disputeForms.js'

const m = errorMessages.dispute

const raiseBody = {
  policyId: 'gloucestershire-2022',
  categoryKey: 'drift_delay',
  concern: '  The plan has drifted.  ',
  impact: 'No permanence',
  wishesAndFeelings: '',
  recommendedResolution: 'Update the plan',
  resolutionTimescale: '10 working days',
  'becameAwareOn-day': '4',
  'becameAwareOn-month': '1',
  'becameAwareOn-year': '2023',
  startStageKey: 'formal1',
}

const fields = (result: { ok: boolean; errors?: { field: string; message: string }[] }) =>
  Object.fromEntries((result.ok ? [] : result.errors!).map(e => [e.field, e.message]))

describe('the raise form', () => {
  it('turns a complete form into the service’s value, trimming text and joining the date', () => {
    const parsed = parseRaiseForm({ ...raiseBody, siblingIds: ['7', '7', '9'] })
    expect(parsed).toEqual({
      ok: true,
      value: {
        policyId: 'gloucestershire-2022',
        categoryKey: 'drift_delay',
        concern: 'The plan has drifted.',
        impact: 'No permanence',
        wishesAndFeelings: '',
        recommendedResolution: 'Update the plan',
        resolutionTimescale: '10 working days',
        becameAwareOn: '2023-01-04',
        startStageKey: 'formal1',
        siblingIds: [7, 9],
      },
    })
  })

  it('reports every missing field with the catalogue’s words', () => {
    expect(fields(parseRaiseForm({}))).toEqual({
      policyId: m.policyId.required,
      categoryKey: m.categoryKey.required,
      concern: m.concern.required,
      impact: m.impact.required,
      recommendedResolution: m.recommendedResolution.required,
      resolutionTimescale: m.resolutionTimescale.required,
      becameAwareOn: m.becameAwareOn.required,
      startStageKey: m.startStageKey.required,
    })
  })

  it('checks dates, lengths and the sibling list', () => {
    const errors = fields(
      parseRaiseForm({
        ...raiseBody,
        'becameAwareOn-day': '30',
        'becameAwareOn-month': '2',
        'agreedDueOn-day': '1',
        resolutionTimescale: 'x'.repeat(201),
        siblingIds: 'abc',
      }),
    )
    expect(errors).toEqual({
      becameAwareOn: m.becameAwareOn.invalid,
      agreedDueOn: 'The agreed date must include a month and year',
      resolutionTimescale: m.resolutionTimescale.tooLong,
      siblingIds: m.siblingIds.unknown,
    })
  })

  it('reports a future date with the other errors, in the order of the page', () => {
    const today = parseIsoDate('2023-01-05')
    const parsed = parseRaiseForm({ ...raiseBody, concern: '', 'becameAwareOn-day': '6', siblingIds: 'abc' }, today)
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      { field: 'concern', message: m.concern.required },
      { field: 'becameAwareOn', message: m.becameAwareOn.future },
      { field: 'siblingIds', message: m.siblingIds.unknown },
    ])
    expect(parseRaiseForm({ ...raiseBody, 'becameAwareOn-day': '5' }, today).ok).toBe(true)
  })

  it('reports what the stage makes of the agreed date with the other errors, and leaves it to the service alone', () => {
    const today = parseIsoDate('2023-01-05')
    const asked: [string, string | undefined][] = []
    const check = (stageKey: string, agreedDueOn: string | undefined) => {
      asked.push([stageKey, agreedDueOn])
      return agreedDueOn === '2023-01-07' ? 'due_date_not_working_day' : undefined
    }
    const saturday = { 'agreedDueOn-day': '7', 'agreedDueOn-month': '1', 'agreedDueOn-year': '2023' }
    const withOthers = parseRaiseForm({ ...raiseBody, concern: '', ...saturday }, today, check)
    expect(withOthers.ok ? [] : withOthers.errors).toEqual([
      { field: 'concern', message: m.concern.required },
      { field: 'agreedDueOn', message: m.refusals.due_date_not_working_day },
    ])
    expect(asked).toEqual([['formal1', '2023-01-07']])
    // Alone it is the service's to refuse (422, as from the API), so the form does not ask.
    expect(parseRaiseForm({ ...raiseBody, ...saturday }, today, check).ok).toBe(true)
    // A date that is not a real date has its own error; nothing is asked of the stage.
    const unreal = parseRaiseForm({ ...raiseBody, concern: '', ...saturday, 'agreedDueOn-day': '32' }, today, check)
    expect(fields(unreal).agreedDueOn).toBe(m.agreedDueOn.invalid)
    expect(asked).toHaveLength(1)
  })

  it('takes an agreed date and a pre-approval only as a pair of who and when', () => {
    const agreed = parseRaiseForm({
      ...raiseBody,
      'agreedDueOn-day': '12',
      'agreedDueOn-month': '1',
      'agreedDueOn-year': '2023',
      preApprovedBy: '5',
      'preApprovedOn-day': '3',
      'preApprovedOn-month': '1',
      'preApprovedOn-year': '2023',
      preApprovalNote: 'By phone',
    })
    expect(agreed.ok && agreed.value.agreedDueOn).toBe('2023-01-12')
    expect(agreed.ok && agreed.value.preApproval).toEqual({ byPersonId: 5, on: '2023-01-03', note: 'By phone' })
    expect(fields(parseRaiseForm({ ...raiseBody, preApprovedBy: '5' }))).toEqual({
      preApprovedOn: m.preApprovedOn.required,
    })
    expect(
      fields(
        parseRaiseForm({
          ...raiseBody,
          'preApprovedOn-day': '3',
          'preApprovedOn-month': '1',
          'preApprovedOn-year': '2023',
        }),
      ),
    ).toEqual({ preApprovedBy: m.preApprovedBy.required })
    expect(fields(parseRaiseForm({ ...raiseBody, preApprovedBy: 'x' }))).toEqual({
      preApprovedBy: m.preApprovedBy.unknown,
    })
  })

  it('accepts only a policy from the list on the first step', () => {
    expect(parsePolicyChoice('a', ['a', 'b'])).toEqual({ ok: true, value: 'a' })
    expect(fields(parsePolicyChoice('', ['a']))).toEqual({ policy: m.policyId.required })
    expect(fields(parsePolicyChoice(['a'], ['a']))).toEqual({ policy: m.policyId.required })
    expect(fields(parsePolicyChoice('c', ['a']))).toEqual({ policy: m.policyId.unknown })
  })
})

describe('the SMART action plan', () => {
  const row = (n: number, what: string, owner: string, d: string, mo: string, y: string) => ({
    [`actions-${n}-what`]: what,
    [`actions-${n}-ownerId`]: owner,
    [`actions-${n}-dueOn-day`]: d,
    [`actions-${n}-dueOn-month`]: mo,
    [`actions-${n}-dueOn-year`]: y,
  })

  it('ignores blank rows and keeps complete ones in order', () => {
    const parsed = parseRespondForm({
      version: '3',
      comments: 'We agree',
      ...row(1, '', '', '', '', ''),
      ...row(2, 'Update the plan', '11', '10', '1', '2023'),
      ...row(5, 'Visit the child', '12', '12', '1', '2023'),
    })
    expect(parsed).toEqual({
      ok: true,
      value: {
        version: 3,
        command: {
          type: 'respond',
          comments: 'We agree',
          actions: [
            { what: 'Update the plan', ownerId: 11, dueOn: '2023-01-10' },
            { what: 'Visit the child', ownerId: 12, dueOn: '2023-01-12' },
          ],
        },
      },
    })
  })

  it('needs at least one action, and names the row that is partly filled', () => {
    expect(fields(parseRespondForm({ version: '1', comments: 'x' }))).toEqual({ 'actions-1-what': m.actions.required })
    expect(
      fields(
        parseRespondForm({
          version: '1',
          comments: '',
          ...row(1, 'Update the plan', '11', '10', '1', '2023'),
          ...row(2, 'Share it', '', '', '', ''),
          ...row(3, '', '11', '31', '2', '2023'),
          ...row(4, 'x'.repeat(1001), '11', '10', '1', '2023'),
        }),
      ),
    ).toEqual({
      comments: m.comments.required,
      'actions-2-ownerId': m.actionRow.ownerId(2),
      'actions-2-dueOn': m.actionRow.dueOn(2),
      'actions-3-what': m.actionRow.what(3),
      'actions-3-dueOn': m.actionRow.dueOnInvalid(3),
      'actions-4-what': m.actionRow.whatTooLong(4),
    })
    expect(m.actionRow.what(3)).toBe('Enter what will be done for action 3')
  })

  it('names the action whose due date is before today, and takes today itself', () => {
    const today = parseIsoDate('2023-01-10')
    const body = {
      version: '1',
      comments: 'x',
      ...row(1, 'Update the plan', '11', '10', '1', '2023'),
      ...row(2, 'Share it', '11', '9', '1', '2023'),
    }
    expect(fields(parseRespondForm(body, today))).toEqual({ 'actions-2-dueOn': m.actionRow.dueOnPast(2) })
    expect(m.actionRow.dueOnPast(2)).toBe('The due date of action 2 must be today or later')
    expect(parseRespondForm(body).ok).toBe(true)
    expect(parseRespondForm({ ...body, ...row(2, 'Share it', '11', '10', '1', '2023') }, today).ok).toBe(true)
  })
})

describe('the steps on a record', () => {
  it('needs the version the form was read at', () => {
    expect(fields(parseFinaliseForm({}))).toEqual({ version: m.version.required })
    expect(fields(parseFinaliseForm({ version: 'x' }))).toEqual({ version: m.version.required })
    expect(parseFinaliseForm({ version: '4' })).toEqual({
      ok: true,
      value: { version: 4, command: { type: 'finalise' } },
    })
  })

  it('turns the decision radios into the right command', () => {
    const decide = (decision: string) => parseDecideForm({ version: '2', decision, comments: 'Done' })
    expect(decide('resolved')).toMatchObject({ ok: true, value: { command: { type: 'decide_resolved' } } })
    expect(decide('not_resolved')).toMatchObject({ ok: true, value: { command: { type: 'decide_not_resolved' } } })
    expect(fields(parseDecideForm({ version: '2' }))).toEqual({
      decision: m.decision.required,
      comments: m.comments.required,
    })
    const dated = (decision: string, day: string, month = '1', year = '2023') =>
      parseDecideForm({
        version: '2',
        decision,
        comments: 'Done',
        'resolvedOn-day': day,
        'resolvedOn-month': month,
        'resolvedOn-year': year,
      })
    expect(dated('resolved', '4')).toMatchObject({ ok: true, value: { command: { resolvedOn: '2023-01-04' } } })
    expect(fields(dated('resolved', '40'))).toEqual({ resolvedOn: m.resolvedOn.invalid })
    expect(fields(dated('not_resolved', '4'))).toEqual({ resolvedOn: m.resolvedOn.notResolved })
    expect(decide('resolved')).not.toMatchObject({ value: { command: { resolvedOn: expect.anything() } } })
    // Listed as the fields come on the page: the decision, its date, then the comments.
    const all = parseDecideForm({ version: '2', decision: 'not_resolved', 'resolvedOn-day': '4' })
    expect(all.ok ? [] : all.errors.map(e => e.field)).toEqual(['resolvedOn', 'comments'])
    const wrongDate = parseDecideForm({
      version: '2',
      decision: 'resolved',
      'resolvedOn-day': '40',
      'resolvedOn-month': '1',
      'resolvedOn-year': '2023',
    })
    expect(wrongDate.ok ? [] : wrongDate.errors.map(e => e.field)).toEqual(['resolvedOn', 'comments'])
  })

  it('takes an escalation with an optional agreed date and pre-approval', () => {
    expect(
      parseEscalateForm({
        version: '2',
        toStageKey: 'formal3',
        reason: 'No response',
        preApprovedBy: '8',
        'preApprovedOn-day': '4',
        'preApprovedOn-month': '1',
        'preApprovedOn-year': '2023',
      }),
    ).toEqual({
      ok: true,
      value: {
        version: 2,
        command: {
          type: 'escalate',
          toStageKey: 'formal3',
          reason: 'No response',
          preApproval: { byPersonId: 8, on: '2023-01-04', note: '' },
        },
      },
    })
    expect(fields(parseEscalateForm({ version: '2', 'agreedDueOn-year': '2023' }))).toEqual({
      toStageKey: m.toStageKey.required,
      reason: m.reason.required,
      agreedDueOn: 'The agreed date must include a day and month',
    })
  })

  it('reports what the stage escalated to makes of an agreed date with the other errors, in page order', () => {
    const check = (stageKey: string, agreedDueOn: string | undefined) =>
      stageKey === 'formal3' && agreedDueOn ? 'agreed_date_not_allowed' : undefined
    const date = { 'agreedDueOn-day': '9', 'agreedDueOn-month': '1', 'agreedDueOn-year': '2023' }
    const parsed = parseEscalateForm({ version: '2', toStageKey: 'formal3', ...date }, check)
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      { field: 'reason', message: m.reason.required },
      { field: 'agreedDueOn', message: m.refusals.agreed_date_not_allowed },
    ])
    // Alone, the service refuses it.
    expect(parseEscalateForm({ version: '2', toStageKey: 'formal3', reason: 'No reply', ...date }, check).ok).toBe(true)
  })

  it('reads the one-field steps', () => {
    expect(parseApproveForm({ version: '1' })).toEqual({
      ok: true,
      value: { version: 1, command: { type: 'approve', note: '' } },
    })
    expect(fields(parseAddendumForm({ version: '1', text: '   ' }))).toEqual({ text: m.addendum.required })
    expect(parseCompleteActionForm({ version: '1', evidence: 'Done' }, 3)).toEqual({
      ok: true,
      value: { version: 1, command: { type: 'complete_action', actionId: 3, evidence: 'Done' } },
    })
    expect(parseOutcomeForm({ version: '1', text: 'Agreed', resolved: 'no' })).toMatchObject({
      ok: true,
      value: { command: { type: 'record_outcome', text: 'Agreed', resolved: false } },
    })
    expect(fields(parseOutcomeForm({ version: '1', resolved: 'maybe' }))).toEqual({
      text: m.outcomeText.required,
      resolved: m.resolved.required,
    })
  })
})

describe('a discussion', () => {
  const base = {
    channel: 'phone',
    'heldOn-day': '5',
    'heldOn-month': '1',
    'heldOn-year': '2023',
    participants: 'Team manager',
    summary: 'Talked it through',
  }

  it('has no meeting notes unless it was a meeting, and refuses notes written for another kind of discussion', () => {
    expect(parseDiscussionForm({ ...base, 'meeting-discussion': '  ' })).toEqual({
      ok: true,
      value: {
        channel: 'phone',
        heldOn: '2023-01-05',
        participants: 'Team manager',
        summary: 'Talked it through',
        meeting: null,
      },
    })
  })

  it('refuses meeting notes written for a phone call, rather than dropping them', () => {
    expect(fields(parseDiscussionForm({ ...base, 'meeting-discussion': 'What was said' }))).toEqual({
      'meeting-discussion': m.meeting.notesWithoutMeeting,
    })
    expect(fields(parseDiscussionForm({ ...base, 'meeting-outcome': 'next_steps' }))).toEqual({
      'meeting-outcome': m.meeting.notesWithoutMeeting,
    })
  })

  it('keeps a meeting’s notes under the agenda headings and needs its outcome', () => {
    const meeting = parseDiscussionForm({
      ...base,
      channel: 'meeting',
      'meeting-reasonForMeeting': 'Plan out of date',
      'meeting-outcome': 'next_steps',
      'meeting-outcomeDetail': 'Escalate to formal level 2',
    })
    expect(meeting.ok && meeting.value.meeting).toEqual({
      childDetails: '',
      meetingDetails: '',
      reasonForMeeting: 'Plan out of date',
      views: '',
      actionsToDate: '',
      discussion: '',
      outcomeDetail: 'Escalate to formal level 2',
      outcome: 'next_steps',
    })
    expect(fields(parseDiscussionForm({ ...base, channel: 'meeting', 'meeting-views': 'x'.repeat(5001) }))).toEqual({
      'meeting-views': m.meeting.tooLong,
      'meeting-outcome': m.meeting.outcome,
    })
    expect(fields(parseDiscussionForm({ channel: 'carrier pigeon' }))).toEqual({
      channel: m.channel.required,
      heldOn: m.heldOn.required,
      participants: m.participants.required,
      summary: m.summary.required,
    })
  })
})

describe('the calendar form', () => {
  const c = errorMessages.calendar
  const on = (d: string, mo: string, y: string) => ({ 'day-day': d, 'day-month': mo, 'day-year': y })

  it('adds a local closure on a working weekday', () => {
    expect(parseCalendarForm({ ...on('9', '1', '2023'), kind: 'closed', note: 'Office move' })).toEqual({
      ok: true,
      value: { day: '2023-01-09', kind: 'closed', note: 'Office move' },
    })
  })

  it('checks the day, the kind and the note (which days may change is the calendar service’s rule)', () => {
    expect(parseCalendarForm({ ...on('29', '5', '2023'), kind: 'open', note: 'Duty day' }).ok).toBe(true)
    expect(fields(parseCalendarForm({ kind: 'shut', note: 'x'.repeat(201) }))).toEqual({
      day: c.day.required,
      kind: c.kind.required,
      note: c.note.tooLong,
    })
  })
})
