import { describe, expect, it } from 'vitest'
import { defaultCalendar, parseIsoDate } from '../calendar/workingDays.js'
import { chaseFor } from './reminders.js'

const cal = defaultCalendar()
const d = parseIsoDate

describe('chasing a review or a check by email', () => {
  it('reminds when the date is five working days away or fewer, counting over the weekend', () => {
    // Monday 16 January 2023: six working days after Friday 6 January, five after Monday 9 January.
    expect(chaseFor(cal, d('2023-01-06'), d('2023-01-16'))).toBeUndefined()
    expect(chaseFor(cal, d('2023-01-09'), d('2023-01-16'))).toBe('due_soon')
    expect(chaseFor(cal, d('2023-01-16'), d('2023-01-16'))).toBe('due_soon')
  })

  it('sends nothing on a weekend or a bank holiday', () => {
    expect(chaseFor(cal, d('2023-01-07'), d('2023-01-09'))).toBeUndefined()
    expect(chaseFor(cal, d('2023-01-08'), d('2023-01-06'))).toBeUndefined()
    expect(chaseFor(cal, d('2023-05-29'), d('2023-05-26'))).toBeUndefined() // spring bank holiday
  })

  it('alerts on the first working day after the date has passed', () => {
    expect(chaseFor(cal, d('2023-01-17'), d('2023-01-16'))).toBe('overdue')
    expect(chaseFor(cal, d('2023-05-30'), d('2023-05-26'))).toBe('overdue')
  })
})
