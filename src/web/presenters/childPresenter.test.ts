import { describe, expect, it } from 'vitest'
import { defaultRoleTitles } from '../../domain/organisation.js'
import { chainRows } from './childPresenter.js'

const nobody = (role: Parameters<typeof chainRows>[0][number]['role']) => ({ role, personId: null })
const chain = [nobody('cp_chair'), nobody('team_manager'), nobody('reviewing_service_manager'), nobody('head_of_irs')]
const namesFor = (child: Parameters<typeof chainRows>[3]) =>
  chainRows(chain, new Map(), defaultRoleTitles, child).map(r => r.name)

describe('a child’s chain of responsible people', () => {
  it('says why nobody is named: not applicable, not allocated or vacant', () => {
    const lookedAfter = { lookedAfterStart: '2021-05-10', cpPlanStart: null, iroId: null, cpChairId: null }
    // No IRO yet: their managers are found through the IRO, so they are not allocated either.
    expect(namesFor(lookedAfter)).toEqual(['Not applicable', 'Vacant', 'Not allocated', 'Not allocated'])
    // Neither looked after nor on a plan: no reviewer is called for.
    expect(namesFor({ ...lookedAfter, lookedAfterStart: null })).toEqual([
      'Not applicable',
      'Vacant',
      'Not applicable',
      'Not applicable',
    ])
    // With a reviewer, an empty manager's post above them is vacant.
    expect(namesFor({ ...lookedAfter, iroId: 7 })).toEqual(['Not applicable', 'Vacant', 'Vacant', 'Vacant'])
  })
})
