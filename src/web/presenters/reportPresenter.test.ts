import { describe, expect, it } from 'vitest'
import { barChartSvg } from './chartPresenter.js'
import { filterParams, parseReportQuery, recordRefFromQuery, tableView } from './reportPresenter.js'

const defaults = { from: '2024-04-01', to: '2025-03-31' }

describe('report filters from a query string', () => {
  it('defaults the period and reads the GOV.UK date fields or the compact form links carry', () => {
    expect(parseReportQuery({}, defaults).filters).toEqual({ ...defaults })
    const parsed = parseReportQuery(
      { 'from-day': '1', 'from-month': '5', 'from-year': '2024', to: '2024-06-30', team: '7', cohort: 'cp' },
      defaults,
    )
    expect(parsed.errors).toEqual([])
    expect(parsed.filters).toMatchObject({ from: '2024-05-01', to: '2024-06-30', teamId: 7, cohort: 'cp' })
    expect(filterParams(parsed.filters)).toEqual({ from: '2024-05-01', to: '2024-06-30', team: '7', cohort: 'cp' })
  })

  it('refuses dates that do not exist and an end before the start, and ignores ids that are not ids', () => {
    expect(parseReportQuery({ 'from-day': '30', 'from-month': '2', 'from-year': '2024' }, defaults).errors).toEqual([
      { field: 'from-day', message: 'The start of the period must be a real date' },
    ])
    expect(parseReportQuery({ from: '2025-01-01', to: '2024-01-01' }, defaults).errors[0]!.field).toBe('to-day')
    expect(parseReportQuery({ team: '7; drop table', reviewer: '-1', cohort: 'x' }, defaults).filters).toEqual(defaults)
  })

  it('reads the figure behind a link, and nothing else', () => {
    expect(recordRefFromQuery({ figure: 'dispute', r: 'team', rv: '3', k: 'outcomeGroup', kv: 'open' })).toEqual({
      figure: 'dispute',
      r: 'team',
      rv: '3',
      k: 'outcomeGroup',
      kv: 'open',
    })
    expect(recordRefFromQuery({ figure: 'dispute', r: 'state', rv: '3', k: 'all', kv: 'all' })).toBeUndefined()
    expect(recordRefFromQuery({ figure: 'stage', level: '1; select' })).toBeUndefined()
    expect(recordRefFromQuery({})).toBeUndefined()
  })
})

describe('charts and tables', () => {
  const table = {
    id: 't',
    title: 'Disputes <by> team',
    description: 'Counted & shown',
    rowHeader: 'Team',
    columns: [
      { key: 'all', label: 'Raised' },
      { key: 'median', label: 'Median' },
    ],
    chartColumns: ['all'],
    rows: [
      {
        key: '1',
        label: 'Team "A"',
        cells: [
          { value: 3, format: 'count' as const, records: { figure: 'note' as const, r: 'team' as const, rv: '1' } },
          { value: 2.25, format: 'days' as const },
        ],
      },
    ],
  }

  it('draws an accessible SVG with escaped text and one bar a value', () => {
    const svg = barChartSvg({
      id: 't',
      title: 'A <b>',
      description: 'x & y',
      series: [{ key: 'a', label: 'A' }],
      groups: [{ label: 'G', values: [4] }],
    })
    expect(svg).toContain('role="img"')
    expect(svg).toContain('aria-labelledby="t-chart-title t-chart-desc"')
    expect(svg).toContain('<title id="t-chart-title">A &lt;b&gt;</title>')
    expect(svg).toContain('x &amp; y')
    expect(svg).not.toContain('<b>')
  })

  it('shows a long group label whole, on its own line above its bars', () => {
    const label = 'Ashcombe Vale Family Intervention Team (North)'
    const svg = barChartSvg({
      id: 't',
      title: 'T',
      description: 'D',
      series: [{ key: 'a', label: 'A' }],
      groups: [{ label, values: [4] }],
    })
    expect(svg).toContain(`<text x="0" y="14" font-size="14" font-weight="bold" fill="#0b0c0c">${label}</text>`)
    expect(svg).toMatch(/<rect x="0" y="20" /)
  })

  it('links counts to their records when the viewer may list them, never other numbers', () => {
    const view = tableView(table, ref => `/records?rv=${ref.figure}`)
    expect(view.rows[0]![1]).toMatchObject({ html: expect.stringContaining('href="/records?rv=note"') })
    expect(view.rows[0]![2]).toEqual({ text: '2.3', format: 'numeric' })
    expect(tableView(table, undefined).rows[0]![1]).toEqual({ text: '3', format: 'numeric' })
    expect(view.svg).toContain('Disputes &lt;by&gt; team')
  })
})
