import { describe, expect, it } from 'vitest'
import { errorView } from './errors.js'

describe('errorView', () => {
  const errors = [
    { field: 'dueOn', message: 'Enter a due date' },
    { field: 'what', message: 'Enter what will be done' },
  ]

  it('links a date’s error to its day input, and any other error to its field', () => {
    const view = errorView(errors, { 'dueOn-day': '', 'dueOn-month': '', 'dueOn-year': '', what: '' })
    expect(view.list).toEqual([
      { text: 'Enter a due date', href: '#dueOn-day' },
      { text: 'Enter what will be done', href: '#what' },
    ])
    expect(view.messages.dueOn).toEqual({ text: 'Enter a due date' })
  })

  it('links a date with some parts filled to its first empty part', () => {
    const view = errorView(errors, { 'dueOn-day': '5', 'dueOn-month': ' ', 'dueOn-year': '', what: 'x' })
    expect(view.list[0]!.href).toBe('#dueOn-month')
    expect(errorView(errors, { 'dueOn-day': '5', 'dueOn-month': '1', 'dueOn-year': '26' }).list[0]!.href).toBe(
      '#dueOn-day',
    )
  })

  it('links to the field itself when nothing submitted says it is a date', () => {
    expect(errorView(errors).list.map(e => e.href)).toEqual(['#dueOn', '#what'])
  })
})
