import { describe, expect, it } from 'vitest'
import { errorMessages } from '../../i18n/errorMessages.js'
import { parseWith } from './validation.js'
import {
  concernApiSchema,
  noteApiSchema,
  parseConcernForm,
  parseNoteForm,
  parseReciprocalForm,
  parseResolutionForm,
  resolutionApiSchema,
} from './practiceNoteForms.js'

const m = errorMessages.notes

const fields = (result: { ok: boolean; errors?: { field: string; message: string }[] }) =>
  Object.fromEntries((result.ok ? [] : result.errors!).map(e => [e.field, e.message]))

describe('the good practice note form', () => {
  it('turns a complete form into the service’s value, trimming text, with each sibling once', () => {
    expect(
      parseNoteForm({
        about: 'social_worker',
        categoryKey: 'participation',
        goodPractice: '  Weekly visits.  ',
        impact: 'The children are heard.',
        siblingIds: ['4', '4', '5'],
      }),
    ).toEqual({
      ok: true,
      value: {
        about: 'social_worker',
        categoryKey: 'participation',
        goodPractice: 'Weekly visits.',
        impact: 'The children are heard.',
        siblingIds: [4, 5],
      },
    })
  })

  it('reports every missing field with the catalogue’s words, and siblings not from the list', () => {
    expect(fields(parseNoteForm({ siblingIds: 'x' }))).toEqual({
      about: m.about.required,
      categoryKey: m.categoryKey.required,
      goodPractice: m.goodPractice.required,
      impact: m.impact.required,
      siblingIds: m.siblingIds.unknown,
    })
    expect(fields(parseNoteForm({ about: 'someone_else' }))).toMatchObject({ about: m.about.required })
    expect(
      fields(parseNoteForm({ about: 'team', categoryKey: 'x', goodPractice: 'a'.repeat(5001), impact: 'b' })),
    ).toEqual({ goodPractice: m.goodPractice.tooLong })
  })
})

describe('the reciprocal note and concern forms', () => {
  it('asks for the benefit to the child or family in a note about a reviewer', () => {
    expect(fields(parseReciprocalForm({ categoryKey: 'resources', goodPractice: 'Good' }))).toEqual({
      impact: m.benefit.required,
    })
  })

  it('needs a route and the concern; the case ID is optional and empty means none', () => {
    expect(fields(parseConcernForm({ caseId: 'x'.repeat(41) }))).toEqual({
      route: m.route.required,
      concern: m.concern.required,
      caseId: m.caseId.tooLong,
    })
    expect(parseConcernForm({ route: 'escalation_policy', concern: 'A concern', caseId: '  ' })).toEqual({
      ok: true,
      value: { route: 'escalation_policy', concern: 'A concern', caseId: null },
    })
  })
})

describe('the informal resolution form', () => {
  const body = { version: '1', outcome: 'We talked.', resolved: 'no', formalRoute: 'grievance' }

  it('needs a formal route only when the concern is not resolved, and drops one sent with "resolved"', () => {
    expect(parseResolutionForm(body)).toEqual({
      ok: true,
      value: { version: 1, outcome: 'We talked.', resolved: false, formalRoute: 'grievance' },
    })
    expect(fields(parseResolutionForm({ ...body, formalRoute: '' }))).toEqual({ formalRoute: m.formalRoute.required })
    expect(parseResolutionForm({ ...body, resolved: 'yes' })).toMatchObject({
      ok: true,
      value: { resolved: true, formalRoute: null },
    })
    expect(fields(parseResolutionForm({}))).toEqual({
      version: m.version.required,
      outcome: m.outcome.required,
      resolved: m.resolved.required,
    })
  })
})

describe('the API bodies', () => {
  it('defaults a note to the social worker and a concern’s case ID to none', () => {
    const note = parseWith(noteApiSchema, {
      childIds: [1],
      categoryKey: 'participation',
      goodPractice: 'Good',
      impact: 'Heard',
    })
    expect(note).toMatchObject({ ok: true, value: { about: 'social_worker' } })
    expect(
      parseWith(concernApiSchema, { reviewerId: 3, route: 'escalation_policy', concern: 'A concern' }),
    ).toMatchObject({ ok: true, value: { caseId: null } })
    expect(fields(parseWith(resolutionApiSchema, { version: 1, outcome: 'Done' }))).toEqual({
      resolved: m.resolved.required,
    })
  })
})
