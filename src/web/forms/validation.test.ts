import { describe, expect, it } from 'vitest'
import { dateFromParts, dateProblem, optionalIsoDate } from './validation.js'

const parts = (day: string, month: string, year: string) => ({ 'on-day': day, 'on-month': month, 'on-year': year })
const invalid = 'The date of the discussion must be a real date'
const messageFor = (day: string, month: string, year: string) => {
  const parsed = optionalIsoDate(invalid).safeParse(dateFromParts(parts(day, month, year), 'on'))
  return parsed.success ? parsed.data : parsed.error.issues[0]!.message
}

describe('dates from GOV.UK date inputs', () => {
  it('reads a whole date, and nothing from three empty fields', () => {
    expect(messageFor('5', '1', '2026')).toBe('2026-01-05')
    expect(messageFor(' ', '', '')).toBeNull()
  })

  it('says which parts are missing, as GOV.UK’s date pattern does', () => {
    expect(messageFor('5', '', '2026')).toBe('The date of the discussion must include a month')
    expect(messageFor('', '', '2026')).toBe('The date of the discussion must include a day and month')
    expect(messageFor('5', '1', '')).toBe('The date of the discussion must include a year')
  })

  it('asks for a year of 4 numbers, and a real date otherwise', () => {
    expect(messageFor('5', '1', '26')).toBe('The date of the discussion must include a year with 4 numbers')
    expect(messageFor('31', '2', '2026')).toBe(invalid)
    expect(messageFor('5', 'Jan', '2026')).toBe(invalid)
  })

  it('keeps a message that is not "… must be a real date" as it is', () => {
    expect(dateProblem('missing:day', 'Enter a real date')).toBe('Enter a real date')
  })
})
