import { describe, expect, it } from 'vitest'
import { sheetName } from './reportExport.js'

describe('a workbook sheet’s name', () => {
  it('keeps whole words within Excel’s limit, and numbers a repeat', () => {
    const taken = new Set<string>()
    expect(sheetName('The whole formal process against the timescale', taken)).toBe('The whole formal process')
    expect(sheetName('Good practice notes and concerns about reviewers', taken)).toBe('Good practice notes and')
    expect(sheetName('Filters', taken)).toBe('Filters')
    expect(sheetName('Filters', taken)).toBe('Filters 2')
    expect(sheetName('Stages: where disputes [ended]?', taken)).toBe('Stages  where disputes')
    expect(sheetName('A'.repeat(40), taken)).toBe('A'.repeat(28))
    for (const name of taken) expect(name.length).toBeLessThanOrEqual(31)
  })
})
