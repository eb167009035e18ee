// Checks the shipped (generated) bank holidays against sources that share no code with the generator:
// the gov.uk list typed in by hand for the years gov.uk has published, and the statutory rules
// (Banking and Financial Dealings Act 1971 and the usual proclamations) for the years after.
import { describe, it, expect } from 'vitest'
import data from './englandAndWalesBankHolidays.json' with { type: 'json' }
import { addCalendarDays, dayOfWeek, parseIsoDate, type IsoDate } from './isoDate.js'

// https://www.gov.uk/bank-holidays, division england-and-wales (dates only; names differ in wording).
const GOV_UK: Record<number, string[]> = {
  2015: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2016: ['01-01', '03-25', '03-28', '05-02', '05-30', '08-29', '12-26', '12-27'],
  2017: ['01-02', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  // Early May bank holiday (VE day) on Fri 8 May instead of Mon 4 May.
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // Spring bank holiday moved to Thu 2 June, Platinum Jubilee Fri 3 June, state funeral Mon 19 Sep.
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  // Coronation of King Charles III, Mon 8 May.
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
}

// One-off changes by royal proclamation, as gov.uk lists them: [added, removed].
const PROCLAIMED: Record<number, { add: string[]; remove: string[] }> = {
  2020: { add: ['05-08'], remove: ['05-04'] },
  2022: { add: ['06-02', '06-03', '09-19'], remove: ['05-30'] },
  2023: { add: ['05-08'], remove: [] },
}

/** Easter Sunday (Gregorian), by the anonymous "Meeus/Jones/Butcher" algorithm. */
function easterSunday(year: number): IsoDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return parseIsoDate(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)
}

const date = (year: number, mmdd: string): IsoDate => parseIsoDate(`${year}-${mmdd}`)
const isWeekend = (d: IsoDate): boolean => dayOfWeek(d) >= 6
const firstMonday = (year: number, month: string): IsoDate => {
  const first = date(year, `${month}-01`)
  return addCalendarDays(first, (8 - dayOfWeek(first)) % 7)
}
const lastMonday = (year: number, month: string, lastDay: string): IsoDate => {
  const last = date(year, `${month}-${lastDay}`)
  return addCalendarDays(last, -((dayOfWeek(last) + 6) % 7))
}

/** The statutory England & Wales bank holidays of a year, with substitute weekdays, before proclamations. */
function statutory(year: number): IsoDate[] {
  const days: IsoDate[] = []
  // New Year's Day on a weekend: the following Monday instead.
  const newYear = date(year, '01-01')
  days.push(isWeekend(newYear) ? firstMonday(year, '01') : newYear)
  const easter = easterSunday(year)
  days.push(addCalendarDays(easter, -2), addCalendarDays(easter, 1))
  days.push(firstMonday(year, '05'), lastMonday(year, '05', '31'), lastMonday(year, '08', '31'))
  // Christmas and Boxing Day: each one on a weekend moves to the next weekday not already taken.
  for (const holiday of [date(year, '12-25'), date(year, '12-26')]) {
    let day = holiday
    while (isWeekend(day) || days.includes(day)) day = addCalendarDays(day, 1)
    days.push(day)
  }
  return days.sort()
}

function withProclamations(year: number): IsoDate[] {
  const change = PROCLAIMED[year]
  if (!change) return statutory(year)
  const removed = new Set(change.remove.map(mmdd => date(year, mmdd)))
  return [...statutory(year).filter(d => !removed.has(d)), ...change.add.map(mmdd => date(year, mmdd))].sort()
}

function expectedFor(year: number): string[] {
  const published = GOV_UK[year]
  return published ? published.map(mmdd => `${year}-${mmdd}`) : withProclamations(year)
}

const YEARS = Array.from({ length: 16 }, (_, i) => 2015 + i)

describe('shipped England & Wales bank holidays', () => {
  it('covers 2015 to 2030 and says where it came from', () => {
    expect(data.generatedFor).toMatchObject({ fromYear: 2015, toYear: 2030 })
    expect(data.source).toMatch(/date-holidays/)
    expect(data.holidays.map(h => h.date)).toEqual([...data.holidays.map(h => h.date)].sort())
  })

  it.each(YEARS)('%i matches gov.uk (or the statutory rules where gov.uk has not published)', year => {
    const shipped = data.holidays.filter(h => h.date.startsWith(`${year}-`))
    expect(shipped.map(h => h.date)).toEqual(expectedFor(year))
    for (const h of shipped) expect(h.name.trim()).not.toBe('')
  })

  it.each(Object.keys(GOV_UK).map(Number))('the statutory rules and proclamations reproduce gov.uk for %i', year => {
    // Guards the typed list and the rules against each other.
    expect(withProclamations(year)).toEqual(GOV_UK[year]?.map(mmdd => `${year}-${mmdd}`))
  })

  it('computes Easter correctly', () => {
    expect(easterSunday(2019)).toBe('2019-04-21')
    expect(easterSunday(2024)).toBe('2024-03-31')
    expect(easterSunday(2038)).toBe('2038-04-25')
  })
})
