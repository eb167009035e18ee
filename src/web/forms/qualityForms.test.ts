import { describe, expect, it } from 'vitest'
import { cpChairCheckHeadings, iroCheckHeadings } from '../../domain/quality/progressChecks.js'
import {
  acknowledgeRequestSchema,
  checkFormField,
  checkRequestSchema,
  dueFilters,
  parseAcknowledgeForm,
  parseAudience,
  parseCheckForm,
  parseCheckKind,
  parseNoticeForm,
  parseReviewForm,
  parseReviewHeldForm,
} from './qualityForms.js'
import { parseWith } from './validation.js'

const date = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
})

describe('the progress check form', () => {
  const answers = Object.fromEntries(iroCheckHeadings.map(h => [`answer-${h.key}`, ` ${h.key} `]))

  it('reads the date, an answer for each heading of the check and the outcome', () => {
    const parsed = parseCheckForm({ ...answers, ...date('heldOn', '4', '1', '2023'), outcome: 'good' }, 'iro')
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'iro',
        heldOn: '2023-01-04',
        outcome: 'good',
        answers: Object.fromEntries(iroCheckHeadings.map(h => [h.key, h.key])),
      },
    })
  })

  it('names each heading left unanswered, and a missing date and outcome', () => {
    const parsed = parseCheckForm({ ...date('heldOn', '31', '2', '2023') }, 'cp_chair')
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.errors.map(e => e.field)).toEqual([
      'heldOn',
      ...cpChairCheckHeadings.map(h => `answer-${h.key}`),
      'outcome',
    ])
    expect(parsed.errors[0]!.message).toBe('The date of the check must be a real date')
    expect(parsed.errors[1]!.message).toBe(`Enter an answer for ‘${cpChairCheckHeadings[0].label}’`)
  })

  it('refuses an answer over 5,000 characters, and a kind the reviewer does not hold', () => {
    const parsed = parseCheckForm(
      { ...answers, 'answer-safeEnough': 'x'.repeat(5001), ...date('heldOn', '4', '1', '2023'), outcome: 'good' },
      'iro',
    )
    expect(parsed.ok ? [] : parsed.errors.map(e => e.field)).toEqual(['answer-safeEnough'])
    expect(parseCheckKind('iro', ['cp_chair']).ok).toBe(false)
    expect(parseCheckKind('cp_chair', ['iro', 'cp_chair'])).toEqual({ ok: true, value: 'cp_chair' })
    expect(checkFormField('answers.safeEnough')).toBe('answer-safeEnough')
    expect(checkFormField('heldOn')).toBe('heldOn')
  })
})

describe('the notice forms', () => {
  it('reads what happened, when and the details, for the list chosen', () => {
    expect(
      parseNoticeForm({ kind: 'arrest', details: ' Arrested ', ...date('occurredOn', '2', '1', '2023') }, 'iro'),
    ).toEqual({ ok: true, value: { audience: 'iro', kind: 'arrest', occurredOn: '2023-01-02', details: 'Arrested' } })
    const bad = parseNoticeForm({}, 'iro')
    expect(bad.ok ? [] : bad.errors.map(e => e.message)).toEqual([
      'Select what has happened',
      'Enter the date it happened',
      'Enter the details',
    ])
    expect(parseAudience('cp_chair', ['iro']).ok).toBe(false)
  })

  it('asks whether a review is needed when acknowledging, and by when', () => {
    expect(parseAcknowledgeForm({}, false)).toEqual({ ok: true, value: {} })
    expect(parseAcknowledgeForm({}, true)).toEqual({
      ok: false,
      errors: [{ field: 'reviewNeeded', message: 'Select whether a review is needed' }],
    })
    expect(parseAcknowledgeForm({ reviewNeeded: 'no' }, true)).toEqual({ ok: true, value: {} })
    expect(parseAcknowledgeForm({ reviewNeeded: 'no', ...date('reviewDueOn', '', '', '') }, true)).toEqual({
      ok: true,
      value: {},
    })
    // "No" with a date (or part of one) typed: asked which was meant, never dropped silently.
    for (const typed of [date('reviewDueOn', '1', '2', '2023'), date('reviewDueOn', '', '2', '')])
      expect(parseAcknowledgeForm({ reviewNeeded: 'no', ...typed }, true)).toEqual({
        ok: false,
        errors: [
          { field: 'reviewDueOn', message: 'Select yes if a review is needed by this date, or remove the date' },
        ],
      })
    expect(parseAcknowledgeForm({ reviewNeeded: 'yes', version: '2' }, true)).toEqual({
      ok: false,
      errors: [{ field: 'reviewDueOn', message: 'Enter the date the review is needed by' }],
    })
    expect(
      parseAcknowledgeForm({ reviewNeeded: 'yes', version: '2', ...date('reviewDueOn', '1', '2', '2023') }, true),
    ).toEqual({ ok: true, value: { review: { version: 2, reviewDueOn: '2023-02-01' } } })
  })

  it('reads the review date and the day the review was held, with the version', () => {
    expect(parseReviewForm({ version: '3', ...date('reviewDueOn', '1', '2', '2023') })).toEqual({
      ok: true,
      value: { version: 3, reviewDueOn: '2023-02-01' },
    })
    expect(parseReviewForm({ version: '3', ...date('reviewDueOn', 'x', '2', '2023') }).ok).toBe(false)
    expect(parseReviewHeldForm({ version: '4', ...date('heldOn', '5', '1', '2023') })).toEqual({
      ok: true,
      value: { version: 4, heldOn: '2023-01-05' },
    })
    expect(parseReviewHeldForm({ ...date('heldOn', '5', '1', '2023') }).ok).toBe(false)
  })
})

describe('the API bodies and the list filters', () => {
  it('checks the shape of a check and of an acknowledgement', () => {
    expect(parseWith(checkRequestSchema, { heldOn: '2023-02-30', answers: {}, outcome: 'good' })).toEqual({
      ok: false,
      errors: [{ field: 'heldOn', message: 'The date of the check must be a real date' }],
    })
    expect(parseWith(acknowledgeRequestSchema, { reviewDueOn: '2023-02-01' })).toEqual({
      ok: false,
      errors: [{ field: 'version', message: 'Reload the page and try again' }],
    })
    expect(parseWith(acknowledgeRequestSchema, {}).ok).toBe(true)
  })

  it('keeps a reviewer and a state, and ignores anything else', () => {
    expect(dueFilters({ reviewer: '12', state: 'overdue' })).toEqual({ reviewerId: 12, state: 'overdue' })
    expect(dueFilters({ reviewerId: '7' })).toEqual({ reviewerId: 7 })
    expect(dueFilters({ reviewer: '-1', state: 'late' })).toEqual({})
  })
})
