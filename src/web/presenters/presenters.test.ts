import { describe, expect, it } from 'vitest'
import { legalStatus } from './childPresenter.js'
import { ageOn, dateExample, formatDate, formatDateTime } from '../../text/format.js'
import { parseIsoDate } from '../../domain/calendar/isoDate.js'
import { pageRequest, paginationParams, resultsSummary } from './pagination.js'

describe('pagination', () => {
  it('reads a page number safely', () => {
    expect(pageRequest('3')).toEqual({ page: 3, limit: 25, offset: 50 })
    for (const bad of ['0', '-1', 'x', '1.5', undefined, '999999999']) expect(pageRequest(bad).page).toBe(1)
  })

  it('builds GOV.UK pagination with ellipses around the current page', () => {
    const p = paginationParams(5, 250, n => `?page=${n}`)!
    expect(p.previous).toEqual({ href: '?page=4' })
    expect(p.next).toEqual({ href: '?page=6' })
    expect(p.items.map(i => ('ellipsis' in i ? '…' : i.number))).toEqual([1, '…', 3, 4, 5, 6, 7, '…', 10])
    expect(paginationParams(1, 25, n => `${n}`)).toBeUndefined()
  })

  it('summarises the range shown', () => {
    expect(resultsSummary(2, 30)).toEqual({ from: 26, to: 30, total: 30 })
    expect(resultsSummary(1, 0)).toEqual({ from: 0, to: 0, total: 0 })
  })
})

describe('formatting', () => {
  it('writes dates the GOV.UK way, in UK time', () => {
    expect(formatDate('2023-01-05')).toBe('5 January 2023')
    expect(formatDateTime(new Date('2023-07-01T08:05:00Z'))).toBe('1 July 2023 at 9:05am')
    expect(formatDateTime(new Date('2023-01-01T23:30:00Z'))).toBe('1 January 2023 at 11:30pm')
    // Midday and midnight are 12, not 0.
    expect(formatDateTime(new Date('2023-07-01T11:30:00Z'))).toBe('1 July 2023 at 12:30pm')
    expect(formatDateTime(new Date('2023-01-01T00:05:00Z'))).toBe('1 January 2023 at 12:05am')
  })

  it('gives a date hint’s example relative to today, across a month and a year', () => {
    expect(dateExample(parseIsoDate('2026-11-24'), 14)).toBe('8 12 2026')
    expect(dateExample(parseIsoDate('2026-12-25'), 14)).toBe('8 1 2027')
    expect(dateExample(parseIsoDate('2026-03-03'), -7)).toBe('24 2 2026')
    // Never a weekend: Saturday 5 December moves on to Monday 7, Saturday 21 November back to Friday 20.
    expect(dateExample(parseIsoDate('2026-11-24'), 11)).toBe('7 12 2026')
    expect(dateExample(parseIsoDate('2026-11-24'), -3)).toBe('20 11 2026')
    // Nor a bank holiday: Christmas Day and Boxing Day (a Saturday, so Monday 28 December) move on to
    // Tuesday 29; Easter Monday 2027 on to the Tuesday, Good Friday back to the Thursday before.
    expect(dateExample(parseIsoDate('2026-12-11'), 14)).toBe('29 12 2026')
    expect(dateExample(parseIsoDate('2027-03-22'), 7)).toBe('30 3 2027')
    expect(dateExample(parseIsoDate('2027-04-02'), -7)).toBe('25 3 2027')
  })

  it('counts age in whole years', () => {
    expect(ageOn('2015-06-01', '2023-05-31')).toBe(7)
    expect(ageOn('2015-06-01', '2023-06-01')).toBe(8)
  })

  it('states the legal status with start dates', () => {
    expect(legalStatus({ cpPlanStart: '2022-03-01', lookedAfterStart: null })).toEqual([
      'Child protection plan since 1 March 2022',
    ])
    expect(legalStatus({ cpPlanStart: null, lookedAfterStart: null })).toEqual([
      'Neither on a child protection plan nor looked after',
    ])
  })
})
