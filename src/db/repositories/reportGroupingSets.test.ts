import { describe, expect, it } from 'vitest'
import { disputeFigurePairs } from '../../services/reportService.js'
import { groupingSetsFor } from './reportRepository.js'

describe('the grouping sets of the dispute figures', () => {
  it('share one set among the report’s pairs with the same first dimension, and read single dimensions from it', () => {
    expect(groupingSetsFor(disputeFigurePairs)).toEqual([
      ['stage', 'outcomeGroup'],
      ['category', 'outcomeGroup', 'repeatChild', 'repeatTeam'],
      ['team', 'outcomeGroup'],
      ['outcome'],
      ['overall'],
    ])
  })

  it('count the total alone by a constant', () => {
    expect(groupingSetsFor([['all', 'all']])).toEqual([['all']])
    expect(groupingSetsFor([['stage', 'stage']])).toEqual([['stage']])
  })
})
