import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareIsoDates, parseIsoDate } from '../calendar/workingDays.js'
import { addMonths, checkSchedule, checkStatuses, currentSlot } from './progressChecks.js'

const d = parseIsoDate

describe('the progress check schedule', () => {
  it('asks for three checks in the first year of a plan and two in each year after, spread through the year', () => {
    const slots = checkSchedule(d('2023-01-10'), d('2025-01-09'))
    expect(slots.map(s => [s.year, s.number, s.dueOn])).toEqual([
      [1, 1, '2023-05-10'],
      [1, 2, '2023-09-10'],
      [1, 3, '2024-01-10'],
      [2, 1, '2024-07-10'],
      [2, 2, '2025-01-10'],
    ])
  })

  it('runs the year from the day a child comes into care part-way through a calendar year', () => {
    const slots = checkSchedule(d('2023-07-15'), d('2025-07-14'))
    expect(slots.map(s => s.dueOn)).toEqual(['2023-11-15', '2024-03-15', '2024-07-15', '2025-01-15', '2025-07-15'])
  })

  it('keeps to the end of a shorter month', () => {
    expect(addMonths(d('2023-10-31'), 4)).toBe('2024-02-29')
    expect(addMonths(d('2023-08-31'), 6)).toBe('2024-02-29')
    expect(addMonths(d('2022-11-30'), 3)).toBe('2023-02-28')
  })
})

describe('which checks are done, late, due, overdue or missed', () => {
  const start = d('2023-07-15')

  it('marks checks done on time and late, and an overdue then missed one', () => {
    const done = [d('2023-11-01'), d('2024-04-02')]
    const states = checkStatuses(start, done, d('2024-08-01'))
    expect(states.map(s => [s.dueOn, s.status, s.doneOn])).toEqual([
      ['2023-11-15', 'done', '2023-11-01'],
      ['2024-03-15', 'done_late', '2024-04-02'],
      ['2024-07-15', 'overdue', null],
      ['2025-01-15', 'due', null],
    ])
    const later = checkStatuses(start, done, d('2025-01-20'))
    expect(later.find(s => s.dueOn === '2024-07-15')!.status).toBe('missed')
    expect(later.find(s => s.dueOn === '2025-01-15')!.status).toBe('overdue')
  })

  it('points the reviewer at the overdue check first, else the next one due', () => {
    expect(currentSlot(checkStatuses(start, [], d('2023-12-01')))?.dueOn).toBe('2023-11-15')
    expect(currentSlot(checkStatuses(start, [d('2023-11-10')], d('2023-12-01')))?.dueOn).toBe('2024-03-15')
  })

  it('never counts one check twice, and every slot has a due date after its window opens', () => {
    const date = fc
      .integer({ min: 0, max: 2000 })
      .map(n => d(new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)))
    fc.assert(
      fc.property(date, fc.array(date, { maxLength: 12 }), date, (s, checks, today) => {
        const states = checkStatuses(s, checks, today)
        const used = states.flatMap(x => (x.doneOn ? [x.doneOn] : []))
        expect(used.length).toBeLessThanOrEqual(checks.filter(c => compareIsoDates(c, s) >= 0).length)
        for (const x of states) expect(compareIsoDates(x.windowStart, x.dueOn)).toBeLessThan(0)
        for (const x of states) if (x.doneOn) expect(compareIsoDates(x.doneOn, x.windowStart)).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})
