import { describe, it, expect } from 'vitest'
import {
  addCalendarDays,
  addWorkingDays,
  compareIsoDates,
  coverage,
  createCalendar,
  dayOfWeek,
  defaultCalendar,
  fromDayNumber,
  holidayName,
  isCovered,
  isIsoDate,
  isWorkingDay,
  nextWorkingDay,
  parseIsoDate,
  toDayNumber,
  workingDaysBetween,
  workingDaysLate,
  type IsoDate,
} from './workingDays.js'

const d = parseIsoDate
const cal = defaultCalendar()

describe('ISO dates', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2000-02-29')).toBe(true)
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-1-01',
      '2024-01-01T00:00',
      '',
      20240101,
    ]) {
      expect(isIsoDate(bad)).toBe(false)
    }
    expect(() => d('2023-02-29')).toThrow(RangeError)
  })

  it('numbers days from 1970-01-01 and back', () => {
    expect(toDayNumber(d('1970-01-01'))).toBe(0)
    expect(toDayNumber(d('2000-03-01'))).toBe(11017)
    expect(fromDayNumber(-1)).toBe('1969-12-31')
    expect(fromDayNumber(toDayNumber(d('2024-02-29')))).toBe('2024-02-29')
  })

  it('gives ISO days of the week (1 = Monday, 7 = Sunday)', () => {
    expect(dayOfWeek(d('2022-12-22'))).toBe(4)
    expect(dayOfWeek(d('2022-12-24'))).toBe(6)
    expect(dayOfWeek(d('2022-12-25'))).toBe(7)
    expect(dayOfWeek(d('2023-01-02'))).toBe(1)
  })

  it('adds and compares calendar days across months, years and leap days', () => {
    expect(addCalendarDays(d('2024-02-28'), 1)).toBe('2024-02-29')
    expect(addCalendarDays(d('2024-02-28'), 2)).toBe('2024-03-01')
    expect(addCalendarDays(d('2022-12-31'), 1)).toBe('2023-01-01')
    expect(addCalendarDays(d('2023-01-01'), -1)).toBe('2022-12-31')
    // The clocks change on 2023-03-26 and 2023-10-29 in London: days must not.
    expect(addCalendarDays(d('2023-03-25'), 2)).toBe('2023-03-27')
    expect(addCalendarDays(d('2023-10-28'), 2)).toBe('2023-10-30')
    expect(compareIsoDates(d('2023-01-01'), d('2022-12-31'))).toBe(1)
    expect(compareIsoDates(d('2023-01-01'), d('2023-01-01'))).toBe(0)
  })
})

describe('working days, England & Wales', () => {
  it.each<[string, number, string, string]>([
    // From the brief: due N working days after D counts from the next working day.
    ['2022-12-22', 5, '2023-01-03', 'Thu + 5 over Boxing Day and both substitute days'],
    ['2022-09-12', 20, '2022-10-11', 'Mon + 20 over the state funeral (19 Sep)'],
    // Raised on a non-working day: day 1 is still the first working day after D.
    ['2022-12-24', 1, '2022-12-28', 'Sat before Christmas + 1'],
    ['2022-12-26', 1, '2022-12-28', 'raised on Boxing Day + 1'],
    ['2022-12-23', 0, '2022-12-23', '+ 0 is the day itself'],
    ['2022-12-24', 0, '2022-12-24', '+ 0 is the day itself, even on a weekend'],
    // Easter: Good Friday and Easter Monday.
    ['2024-03-28', 1, '2024-04-02', 'Maundy Thursday 2024 + 1'],
    ['2025-04-17', 2, '2025-04-23', 'Maundy Thursday 2025 + 2'],
    // Christmas substitute days.
    ['2015-12-24', 1, '2015-12-29', '2015: Boxing Day on Sat, substitute Mon 28'],
    ['2020-12-24', 1, '2020-12-29', '2020: Boxing Day on Sat, substitute Mon 28'],
    ['2021-12-24', 1, '2021-12-29', '2021: Christmas and Boxing Day on the weekend, Mon 27 and Tue 28'],
    ['2027-12-24', 1, '2027-12-29', '2027: as 2021'],
    ['2021-12-31', 1, '2022-01-04', 'New Year on Sat 2022, substitute Mon 3'],
    // One-off days.
    ['2020-05-01', 5, '2020-05-11', '2020: early May bank holiday moved to Fri 8 May (VE day)'],
    ['2020-05-01', 1, '2020-05-04', '2020: Mon 4 May was a working day'],
    ['2022-05-27', 1, '2022-05-30', '2022: Mon 30 May was a working day (spring bank holiday moved)'],
    ['2022-06-01', 1, '2022-06-06', '2022: Platinum Jubilee, Thu 2 and Fri 3 June'],
    ['2022-09-16', 1, '2022-09-20', '2022: state funeral of Queen Elizabeth II, Mon 19 Sep'],
    ['2023-05-05', 1, '2023-05-09', '2023: coronation of King Charles III, Mon 8 May'],
  ])('%s + %i working days = %s (%s)', (from, n, expected) => {
    expect(addWorkingDays(cal, d(from), n)).toBe(expected)
    expect(workingDaysBetween(cal, d(from), d(expected))).toBe(n)
  })

  it('knows which days are working days', () => {
    expect(isWorkingDay(cal, d('2022-09-19'))).toBe(false)
    expect(isWorkingDay(cal, d('2022-09-20'))).toBe(true)
    expect(isWorkingDay(cal, d('2022-12-24'))).toBe(false)
    expect(isWorkingDay(cal, d('2020-05-04'))).toBe(true)
    expect(holidayName(cal, d('2022-12-27'))).toBe('Christmas Day (substitute day)')
    expect(holidayName(cal, d('2022-12-28'))).toBeUndefined()
  })

  it('finds the next working day strictly after a date', () => {
    expect(nextWorkingDay(cal, d('2022-12-22'))).toBe('2022-12-23')
    expect(nextWorkingDay(cal, d('2022-12-23'))).toBe('2022-12-28')
    expect(nextWorkingDay(cal, d('2023-05-05'))).toBe('2023-05-09')
  })

  it('counts working days in (from, to], negative backwards', () => {
    expect(workingDaysBetween(cal, d('2022-12-22'), d('2022-12-22'))).toBe(0)
    expect(workingDaysBetween(cal, d('2022-12-23'), d('2022-12-27'))).toBe(0)
    expect(workingDaysBetween(cal, d('2022-12-22'), d('2023-01-03'))).toBe(5)
    expect(workingDaysBetween(cal, d('2023-01-03'), d('2022-12-22'))).toBe(-5)
    expect(Object.is(workingDaysBetween(cal, d('2022-12-27'), d('2022-12-23')), 0)).toBe(true)
    expect(workingDaysBetween(cal, d('2024-01-01'), d('2024-12-31'))).toBe(366 - 104 - 8)
  })

  it('measures lateness in working days, 0 when on time', () => {
    expect(workingDaysLate(cal, d('2023-01-03'), d('2023-01-03'))).toBe(0)
    expect(workingDaysLate(cal, d('2023-01-03'), d('2022-12-20'))).toBe(0)
    expect(workingDaysLate(cal, d('2023-01-03'), d('2023-01-04'))).toBe(1)
    expect(workingDaysLate(cal, d('2022-12-23'), d('2022-12-28'))).toBe(1)
    // Done on the Saturday after a Friday deadline: late, but by no working day.
    expect(workingDaysLate(cal, d('2023-01-06'), d('2023-01-07'))).toBe(0)
  })

  it('rejects a negative or fractional number of working days', () => {
    expect(() => addWorkingDays(cal, d('2023-01-03'), -1)).toThrow(RangeError)
    expect(() => addWorkingDays(cal, d('2023-01-03'), 1.5)).toThrow(RangeError)
  })

  it('reports the years its holiday data covers', () => {
    expect(coverage(cal)).toEqual({ firstYear: 2015, lastYear: 2030 })
    expect(isCovered(cal, d('2015-01-01'))).toBe(true)
    expect(isCovered(cal, d('2030-12-31'))).toBe(true)
    expect(isCovered(cal, d('2014-12-31'))).toBe(false)
    expect(isCovered(cal, d('2031-01-01'))).toBe(false)
    expect(coverage(createCalendar([]))).toBeUndefined()
  })
})

describe('local closures and reopened days', () => {
  const closure = d('2023-12-27') // e.g. a council office closure between Christmas and New Year
  const local = defaultCalendar([closure], [d('2023-05-08')])

  it('a local closure is not a working day and deadlines step over it', () => {
    expect(isWorkingDay(local, closure)).toBe(false)
    expect(holidayName(local, closure)).toBe('Local closure')
    expect(addWorkingDays(cal, d('2023-12-22'), 1)).toBe('2023-12-27')
    expect(addWorkingDays(local, d('2023-12-22'), 1)).toBe('2023-12-28')
  })

  it('a reopened bank holiday is a working day', () => {
    expect(isWorkingDay(local, d('2023-05-08'))).toBe(true)
    expect(addWorkingDays(local, d('2023-05-05'), 1)).toBe('2023-05-08')
  })

  it('reopening a weekend does not make it a working day', () => {
    expect(isWorkingDay(defaultCalendar([], [d('2023-05-06')]), d('2023-05-06'))).toBe(false)
  })

  it('does not change the calendar it was built beside', () => {
    expect(isWorkingDay(cal, d('2023-05-08'))).toBe(false)
    expect(isWorkingDay(cal, closure)).toBe(true)
  })

  it('refuses a day that is both closed and reopened, and invalid dates', () => {
    expect(() => defaultCalendar([closure], [closure])).toThrow(RangeError)
    expect(() => createCalendar([{ date: '2023-02-30', name: 'Nope' }])).toThrow(RangeError)
    expect(() => defaultCalendar(['2023-13-01' as IsoDate])).toThrow(RangeError)
  })

  it('works from any holiday list, e.g. weekends only', () => {
    const bare = createCalendar([])
    expect(addWorkingDays(bare, d('2022-12-22'), 5)).toBe('2022-12-29')
  })
})
