import { describe, it, expect } from 'vitest'
import { parseIsoDate, type IsoDate } from '../calendar/workingDays.js'
import { PolicyError, type Policy } from './policy.js'
import {
  catalogueProblems,
  discussionAllowsEscalation,
  escalationTargets,
  findPolicy,
  findStage,
  firstFormalStage,
  formalStages,
  informalStage,
  laterStages,
  needsPreApproval,
  nextStage,
  parsePolicies,
  policiesInForce,
  raisableStages,
  shippedPolicies,
  stageIndex,
} from './policyCatalogue.js'

const d = parseIsoDate
const shipped = shippedPolicies()
const byId = (id: string): Policy => {
  const found = shipped.find(p => p.id === id)
  if (!found) throw new Error(`no shipped policy ${id}`)
  return found
}
const a = byId('gloucestershire-2022')
const b = byId('cpc-mosaic-2022')
const c = byId('cpc-protocol')
const dPolicy = byId('iro-care-first')

const ids = (policies: readonly Policy[]) => policies.map(p => `${p.id} v${p.version}`)

/** Policy A v2 from `effectiveFrom`, with a changed informal stage so the two are told apart. */
function aVersion2(effectiveFrom: string, change: (p: Policy) => void = () => {}): Policy {
  const v2 = structuredClone(a)
  v2.version = 2
  v2.effectiveFrom = d(effectiveFrom)
  v2.stages[0] = { ...v2.stages[0]!, responseWorkingDays: 3 }
  change(v2)
  return v2
}

describe('shippedPolicies', () => {
  it('parses the four files afresh on each call, so callers cannot change each other’s copies', () => {
    const first = shippedPolicies()
    first[0]!.name = 'changed'
    expect(shippedPolicies()[0]!.name).not.toBe('changed')
    expect(catalogueProblems(first)).toEqual([])
  })
})

describe('policiesInForce', () => {
  it('gives each reviewer the policies in force on the day', () => {
    expect(ids(policiesInForce(shipped, d('2011-03-31'), 'iro'))).toEqual([])
    expect(ids(policiesInForce(shipped, d('2011-04-01'), 'iro'))).toEqual(['iro-care-first v1'])
    expect(ids(policiesInForce(shipped, d('2021-12-31'), 'iro'))).toEqual(['iro-care-first v1'])
    expect(ids(policiesInForce(shipped, d('2021-12-31'), 'cp_chair'))).toEqual(['cpc-protocol v1'])
    expect(ids(policiesInForce(shipped, d('2022-01-01'), 'iro'))).toEqual([
      'gloucestershire-2022 v1',
      'iro-care-first v1',
    ])
    expect(ids(policiesInForce(shipped, d('2022-01-01'), 'cp_chair'))).toEqual([
      'cpc-mosaic-2022 v1',
      'cpc-protocol v1',
      'gloucestershire-2022 v1',
    ])
  })

  it('lets a new version take over from its effective date while the old one still answers for old records', () => {
    const v2 = aVersion2('2024-04-01')
    const catalogue = [...shipped, v2]
    expect(catalogueProblems(catalogue)).toEqual([])

    const governing = (on: IsoDate) =>
      policiesInForce(catalogue, on, 'iro').find(p => p.id === 'gloucestershire-2022')?.version
    expect(governing(d('2024-03-28'))).toBe(1) // the Thursday before Easter 2024
    expect(governing(d('2024-03-31'))).toBe(1)
    expect(governing(d('2024-04-01'))).toBe(2) // Easter Monday: a bank holiday, still a calendar date
    expect(governing(d('2030-01-01'))).toBe(2)

    // A dispute raised in 2023 keeps its version: v1 is still found, unchanged.
    expect(findPolicy(catalogue, 'gloucestershire-2022', 1)?.stages[0]?.responseWorkingDays).toBe(5)
    expect(findPolicy(catalogue, 'gloucestershire-2022', 2)?.stages[0]?.responseWorkingDays).toBe(3)
    expect(findPolicy(catalogue, 'gloucestershire-2022', 3)).toBeUndefined()
    expect(findPolicy(catalogue, 'no-such-policy', 1)).toBeUndefined()
  })

  it('does not fall back to an older version when the new one drops the role', () => {
    const v2 = aVersion2('2024-04-01', p => {
      p.reviewerRoles = ['iro']
    })
    const catalogue = [...shipped, v2]
    expect(ids(policiesInForce(catalogue, d('2024-03-31'), 'cp_chair'))).toContain('gloucestershire-2022 v1')
    expect(ids(policiesInForce(catalogue, d('2024-04-01'), 'cp_chair'))).toEqual([
      'cpc-mosaic-2022 v1',
      'cpc-protocol v1',
    ])
    expect(ids(policiesInForce(catalogue, d('2024-04-01'), 'iro'))).toContain('gloucestershire-2022 v2')
  })

  it('ignores a version not yet in force, whatever order the catalogue is in', () => {
    const later = aVersion2('2099-01-01')
    expect(ids(policiesInForce([later, ...shipped], d('2025-06-30'), 'iro'))).toContain('gloucestershire-2022 v1')
  })
})

describe('parsePolicies and catalogueProblems', () => {
  const file = (label: string, json: unknown) => ({ label, json: JSON.parse(JSON.stringify(json)) as unknown })

  it('refuses the same version twice', () => {
    expect(catalogueProblems([a, structuredClone(a)])).toEqual(['gloucestershire-2022 v1 is given more than once'])
  })

  it('refuses a later version that does not take effect strictly later', () => {
    expect(catalogueProblems([a, aVersion2('2022-01-01')])).toEqual([
      'gloucestershire-2022: v2 takes effect 2022-01-01, which must be after v1 (2022-01-01)',
    ])
    expect(() => parsePolicies([file('a.v1.json', a), file('a.v2.json', aVersion2('2021-06-01'))])).toThrow(
      'The policy catalogue is not valid:\n  - gloucestershire-2022: v2 takes effect 2021-06-01, which must be after v1 (2022-01-01)',
    )
  })

  it('lists the problems of every file at once, each with its file name', () => {
    const noCategories = { ...structuredClone(b), categories: [] }
    const badDate = { ...structuredClone(c), effectiveFrom: '2017-13-01' }
    let error: unknown
    try {
      parsePolicies([file('a.json', a), file('b.json', noCategories), file('c.json', badDate)])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PolicyError)
    expect((error as PolicyError).problems).toEqual([
      'b.json: categories: a policy needs at least one category of concern',
      'c.json: effectiveFrom: must be a real date written YYYY-MM-DD, not "2017-13-01"',
    ])
  })

  it('returns the policies when all are sound', () => {
    expect(ids(parsePolicies([file('a.json', a), file('a2.json', aVersion2('2024-04-01'))]))).toEqual([
      'gloucestershire-2022 v1',
      'gloucestershire-2022 v2',
    ])
  })
})

describe('stages', () => {
  it('finds stages by key and position', () => {
    expect(stageIndex(a, 'informal')).toBe(0)
    expect(stageIndex(a, 'formal4')).toBe(4)
    expect(() => stageIndex(a, 'stage9')).toThrow('gloucestershire-2022 v1 has no stage "stage9"')
    expect(findStage(a, 'formal2')?.name).toBe('Formal Level 2')
    expect(findStage(a, 'stage9')).toBeUndefined()
  })

  it('separates the informal stage from the formal ones', () => {
    expect(informalStage(a)?.key).toBe('informal')
    expect(informalStage(dPolicy)).toBeUndefined()
    expect(formalStages(a).map(s => s.key)).toEqual(['formal1', 'formal2', 'formal3', 'formal4'])
    expect(firstFormalStage(a).key).toBe('formal1')
    expect(firstFormalStage(dPolicy).key).toBe('stage1')
  })

  it('gives the next stage, and null at the last', () => {
    expect(nextStage(a, 'informal')?.key).toBe('formal1')
    expect(nextStage(a, 'formal4')).toBeNull()
    expect(nextStage(dPolicy, 'stage5')?.key).toBe('chief_executive')
    expect(() => nextStage(a, 'stage9')).toThrow(RangeError)
  })

  it('gives every later stage, for bypass', () => {
    expect(laterStages(a, 'formal1').map(s => s.key)).toEqual(['formal2', 'formal3', 'formal4'])
    expect(laterStages(a, 'formal4')).toEqual([])
  })

  it('offers any later stage when bypass is allowed, else only the next', () => {
    expect(escalationTargets(a, 'informal').map(s => s.key)).toEqual(['formal1', 'formal2', 'formal3', 'formal4'])
    expect(escalationTargets(b, 'informal').map(s => s.key)).toEqual(['stage1'])
    expect(escalationTargets(dPolicy, 'stage2').map(s => s.key)).toEqual(['stage3'])
    expect(escalationTargets(dPolicy, 'chief_executive')).toEqual([])
  })

  it('raises at any stage where the policy allows it, else at the first', () => {
    expect(raisableStages(a)).toHaveLength(5)
    expect(raisableStages(b).map(s => s.key)).toEqual(['informal', 'stage1', 'stage2', 'stage3', 'stage4'])
    expect(raisableStages(dPolicy).map(s => s.key)).toEqual(['stage1'])
  })
})

describe('needsPreApproval', () => {
  it('is needed for seed 001 at stage 2 and above only', () => {
    expect(b.stages.map(s => [s.key, needsPreApproval(b, s.key)])).toEqual([
      ['informal', false],
      ['stage1', false],
      ['stage2', true],
      ['stage3', true],
      ['stage4', true],
    ])
  })

  it('is needed for seed 002 from the assistant director, and never under A or D', () => {
    expect(c.stages.filter(s => needsPreApproval(c, s.key)).map(s => s.key)).toEqual([
      'assistant_director',
      'director',
      'chief_executive',
    ])
    expect(a.stages.some(s => needsPreApproval(a, s.key))).toBe(false)
    expect(dPolicy.stages.some(s => needsPreApproval(dPolicy, s.key))).toBe(false)
  })

  it('refuses an unknown stage', () => {
    expect(() => needsPreApproval(b, 'stage9')).toThrow(RangeError)
  })
})

describe('discussionAllowsEscalation', () => {
  it('needs a phone call or face to face discussion to leave stage 1 of seed 003: email alone is not enough', () => {
    expect(discussionAllowsEscalation(dPolicy, 'stage1', [])).toBe(false)
    expect(discussionAllowsEscalation(dPolicy, 'stage1', ['email'])).toBe(false)
    expect(discussionAllowsEscalation(dPolicy, 'stage1', ['email', 'phone'])).toBe(true)
    expect(discussionAllowsEscalation(dPolicy, 'stage1', ['face_to_face'])).toBe(true)
    expect(discussionAllowsEscalation(dPolicy, 'stage2', [])).toBe(true)
  })

  it('needs a face to face discussion after the written alert of seed 002', () => {
    expect(discussionAllowsEscalation(c, 'informal', ['letter', 'email'])).toBe(false)
    expect(discussionAllowsEscalation(c, 'informal', ['letter', 'face_to_face'])).toBe(true)
    expect(discussionAllowsEscalation(c, 'team_manager', [])).toBe(true)
  })

  it('asks nothing where the policy asks nothing', () => {
    expect(discussionAllowsEscalation(a, 'informal', [])).toBe(true)
    expect(() => discussionAllowsEscalation(a, 'stage9', [])).toThrow(RangeError)
  })
})
