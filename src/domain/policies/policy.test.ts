import { describe, it, expect } from 'vitest'
import { parsePolicy, PolicyError, policyProblems, type Policy } from './policy.js'
import { findStage, formalStages, shippedPolicies } from './policyCatalogue.js'

const shipped = shippedPolicies()
const policy = (id: string): Policy => {
  const found = shipped.find(p => p.id === id)
  if (!found) throw new Error(`no shipped policy ${id}`)
  return found
}
const stage = (p: Policy, key: string) => {
  const found = findStage(p, key)
  if (!found) throw new Error(`no stage ${key} in ${p.id}`)
  return found
}

// Free-form JSON, so a test can break the file any way an author might.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

/** A copy of policy A changed by `change`, as plain JSON (what an authority's file would hold). */
function variant(change: (p: Json) => void): unknown {
  const copy = structuredClone(policy('gloucestershire-2022')) as Json
  change(copy)
  return JSON.parse(JSON.stringify(copy)) as unknown
}

/** The problems parsePolicy reports for a bad file (fails the test if it parses). */
function problemsOf(json: unknown): readonly string[] {
  try {
    parsePolicy(json, 'bad.json')
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError)
    return (error as PolicyError).problems
  }
  throw new Error('expected the policy to be rejected')
}

describe('the shipped policies', () => {
  it('all four parse, with an id, a version, an effective date and a source naming the seed', () => {
    expect(shipped.map(p => `${p.id} v${p.version} ${p.effectiveFrom}`)).toEqual([
      'gloucestershire-2022 v1 2022-01-01',
      'cpc-mosaic-2022 v1 2022-01-01',
      'cpc-protocol v1 2017-04-01',
      'iro-care-first v1 2011-04-01',
    ])
    expect(shipped.map(p => p.source.match(/^Seeds? (\d{3})/)?.[1])).toEqual(['004', '001', '002', '003'])
    for (const p of shipped) expect(policyProblems(p)).toEqual([])
  })

  it('only the owning reviewer finalises, under every policy', () => {
    for (const p of shipped) expect(p.rules.finaliseBy).toBe('owner')
  })

  it('never gives CAFCASS to CP chairs', () => {
    for (const p of shipped) {
      if (p.rules.cafcass.allowed) expect(p.reviewerRoles).toContain('iro')
      expect(p.rules.cafcass.byRoles.every(r => r === 'iro')).toBe(true)
    }
    expect(policy('cpc-mosaic-2022').rules.cafcass.allowed).toBe(false)
    expect(policy('cpc-protocol').rules.cafcass.allowed).toBe(false)
  })
})

describe('A: Gloucestershire 2022 (seeds 000 and 004)', () => {
  const a = policy('gloucestershire-2022')

  it('is used by IROs and CP chairs from 1 January 2022', () => {
    expect(a.reviewerRoles).toEqual(['iro', 'cp_chair'])
    expect(a.effectiveFrom).toBe('2022-01-01')
  })

  it('has an informal stage and four formal levels of 5 working days, 20 in all', () => {
    expect(a.stages.map(s => [s.key, s.name, s.formal])).toEqual([
      ['informal', 'Informal', false],
      ['formal1', 'Formal Level 1', true],
      ['formal2', 'Formal Level 2', true],
      ['formal3', 'Formal Level 3', true],
      ['formal4', 'Formal Level 4', true],
    ])
    expect(formalStages(a).map(s => s.responseWorkingDays)).toEqual([5, 5, 5, 5])
    expect(a.overallFormalWorkingDays).toBe(20)
  })

  it('gives the informal stage 5 days or a timescale agreed in the child’s interest', () => {
    const informal = stage(a, 'informal')
    expect(informal.responseWorkingDays).toBe(5)
    expect(informal.timescaleMayBeAgreed).toBe(true)
  })

  it('sends each stage to the flow chart’s people, with its copies', () => {
    expect(a.stages.map(s => [s.responsibleRoles, s.copiedRoles])).toEqual([
      [['social_worker'], ['team_manager']],
      [['team_manager'], ['service_manager']],
      [['head_of_service', 'service_manager'], ['director_of_safeguarding']],
      [['director_of_safeguarding'], []],
      [['director_of_childrens_services'], []],
    ])
    expect(stage(a, 'formal2').responsibleTitle).toBe('Head of Service & Service Manager')
    expect(a.stages.some(s => s.outsideSystem)).toBe(false)
  })

  it('allows bypass, and lets an IRO refer to CAFCASS at any time, informing four people', () => {
    expect(a.rules.bypassAllowed).toBe(true)
    expect(a.rules.raiseAtAnyStage).toBe(true)
    expect(a.rules.cafcass).toEqual({
      allowed: true,
      byRoles: ['iro'],
      inform: ['head_of_irs', 'head_of_service', 'director_of_safeguarding', 'director_of_childrens_services'],
      when: 'any_time',
    })
    expect(a.rules.preApproval).toBeNull()
  })

  it('classifies by the six categories of practice quality (section 5.1)', () => {
    expect(a.categories.map(c => c.name)).toEqual([
      "Children's safety & wellbeing",
      'Participation and Relational Practice',
      'Drift and Delay in achieving timely permanence for children',
      'Key decision-making',
      'Resources',
      'Key procedural/administrative tasks that relate directly to progress for the child',
    ])
  })
})

describe('B: CP chair DRP on Mosaic (seed 001)', () => {
  const b = policy('cpc-mosaic-2022')

  it('is used by CP chairs from 1 January 2022', () => {
    expect(b.reviewerRoles).toEqual(['cp_chair'])
    expect(b.effectiveFrom).toBe('2022-01-01')
  })

  it('climbs team manager (informal and stage 1), service manager, head of service, service/executive director', () => {
    expect(b.stages.map(s => [s.key, s.name, s.responsibleRoles[0], s.responsibleTitle])).toEqual([
      ['informal', 'Informal', 'team_manager', 'Team Manager (with the social worker)'],
      ['stage1', 'Stage 1', 'team_manager', 'Team Manager'],
      ['stage2', 'Stage 2', 'service_manager', 'Service Manager'],
      ['stage3', 'Stage 3', 'head_of_service', 'Head of Service'],
      ['stage4', 'Stage 4', 'director_of_safeguarding', 'Service Director/Executive Director'],
    ])
    expect(stage(b, 'stage4').responsibleRoles).toEqual(['director_of_safeguarding', 'director_of_childrens_services'])
  })

  it('has an agreed timescale informally and 5 working days for each formal response, with no overall limit', () => {
    expect(stage(b, 'informal').responseWorkingDays).toBeNull()
    expect(formalStages(b).map(s => s.responseWorkingDays)).toEqual([5, 5, 5, 5])
    expect(b.overallFormalWorkingDays).toBeNull()
  })

  it('needs the chairs’ service manager to agree before stage 2 or above', () => {
    expect(b.rules.preApproval).toEqual({
      fromStageKey: 'stage2',
      byRoles: ['reviewing_service_manager'],
      requirement: 'agreement',
    })
  })

  it('raises within 2 working days, allows a further working day, escalates to the next level only', () => {
    expect(b.rules.raiseWithinWorkingDays).toBe(2)
    expect(b.rules.extension).toEqual({ allowed: true, workingDays: 1 })
    expect(b.rules.bypassAllowed).toBe(false)
    expect(b.rules.raiseAtAnyStage).toBe(true)
    expect(b.rules.recordForEachSibling).toBe(true)
  })

  it('asks for a conversation (the telephone call) before escalating', () => {
    expect(b.rules.discussionBeforeEscalation).toEqual({
      fromStageKeys: ['informal', 'stage1', 'stage2', 'stage3'],
      channels: ['phone', 'face_to_face', 'meeting'],
      notSufficientAlone: [],
    })
  })

  it('has the seven categories of concern exactly as seed 001 lists them', () => {
    expect(b.categories.map(c => c.name)).toEqual([
      'Unassessed risk/safeguarding concern',
      'Lack of preparation',
      'Drift and delay',
      'CPC challenge of care/child protection/safety plan',
      'Practice issues',
      'Management decision',
      'Key documentation missing from the child/young person’s file',
    ])
    expect(b.categories.every(c => c.description)).toBe(true)
  })
})

describe('C: CP conference chair protocol (seed 002)', () => {
  const c = policy('cpc-protocol')

  it('is used by CP chairs, from a placeholder date before the 2022 refresh', () => {
    expect(c.reviewerRoles).toEqual(['cp_chair'])
    expect(c.effectiveFrom < '2022-01-01').toBe(true)
  })

  it('gives the informal stage 2 working days (normally), needing a face to face discussion before moving on', () => {
    const informal = stage(c, 'informal')
    expect([informal.formal, informal.responseWorkingDays, informal.timescaleMayBeAgreed]).toEqual([false, 2, true])
    expect(informal.responsibleRoles).toEqual(['social_worker', 'team_manager'])
    expect(c.rules.discussionBeforeEscalation).toEqual({
      fromStageKeys: ['informal'],
      channels: ['face_to_face', 'meeting'],
      notSufficientAlone: ['email', 'letter'],
    })
  })

  it('has six formal stages of 4 working days each, a resolution meeting second, 20 in all', () => {
    expect(formalStages(c).map(s => [s.key, s.responsibleRoles[0], s.responseWorkingDays])).toEqual([
      ['team_manager', 'team_manager', 4],
      ['resolution_meeting', 'team_manager', 4],
      ['head_of_service', 'head_of_service', 4],
      ['assistant_director', 'director_of_safeguarding', 4],
      ['director', 'director_of_childrens_services', 4],
      ['chief_executive', 'chief_executive', 4],
    ])
    const meeting = stage(c, 'resolution_meeting')
    expect(meeting.meetingRequired).toBe(true)
    expect(meeting.responsibleRoles).toEqual(['team_manager', 'social_worker'])
    expect(c.overallFormalWorkingDays).toBe(20)
  })

  it('copies the CP conference team manager (the reviewing service manager) from the head of service up', () => {
    expect(stage(c, 'head_of_service').copiedRoles).toEqual([
      'team_manager',
      'social_worker',
      'reviewing_service_manager',
    ])
    expect(stage(c, 'assistant_director').responsibleTitle).toBe('Assistant Director')
    expect(c.roleTitles?.director_of_safeguarding).toBe('Assistant Director')
    for (const key of ['assistant_director', 'director', 'chief_executive'])
      expect(stage(c, key).copiedRoles).toContain('reviewing_service_manager')
  })

  it('ends with the chief executive determining resolution, inside the system', () => {
    const ce = stage(c, 'chief_executive')
    expect(ce.determinesOutcome).toBe(true)
    expect(ce.outsideSystem).toBe(false)
    expect(c.stages.at(-1)?.key).toBe('chief_executive')
  })

  it('allows bypass; the chair consults their manager from the assistant director up', () => {
    expect(c.rules.bypassAllowed).toBe(true)
    expect(c.rules.preApproval).toEqual({
      fromStageKey: 'assistant_director',
      byRoles: ['reviewing_service_manager'],
      requirement: 'consultation',
    })
  })

  it('uses seed 002’s four headings as categories', () => {
    expect(c.categories.map(x => x.name)).toEqual([
      'General Issues',
      'Failure to meet statutory requirements',
      'Failure to manage the child protection plan',
      'Serious safeguarding issues emerging for which there has not been an appropriate response',
    ])
  })
})

describe('D: IRO procedure on Care First (seed 003)', () => {
  const d = policy('iro-care-first')

  it('is used by IROs only, from a placeholder date', () => {
    expect(d.reviewerRoles).toEqual(['iro'])
    expect(d.effectiveFrom < '2022-01-01').toBe(true)
  })

  it('has five stages of 5 working days then the chief executive, all formal, 20 in all', () => {
    expect(d.stages.map(s => [s.key, s.formal, s.responseWorkingDays])).toEqual([
      ['stage1', true, 5],
      ['stage2', true, 5],
      ['stage3', true, 5],
      ['stage4', true, 5],
      ['stage5', true, 5],
      ['chief_executive', true, 5],
    ])
    expect(d.overallFormalWorkingDays).toBe(20)
  })

  it('maps the seed’s titles onto the chain one rung at a time', () => {
    expect(d.stages.map(s => [s.responsibleRoles[0], s.responsibleTitle])).toEqual([
      ['team_manager', 'Allocated social worker and team manager / CSW'],
      ['service_manager', 'Group manager'],
      ['head_of_service', 'Service manager for social care'],
      ['director_of_safeguarding', "Assistant Director of Children's Services"],
      ['director_of_childrens_services', 'Director WCL'],
      ['chief_executive', 'Chief Executive'],
    ])
    expect(stage(d, 'stage1').responsibleRoles).toEqual(['team_manager', 'social_worker'])
  })

  it('informs the CSSU service manager by stage 3', () => {
    expect(stage(d, 'stage3').copiedRoles).toEqual(['reviewing_service_manager'])
    expect(d.roleTitles?.reviewing_service_manager).toBe('Service manager for CSSU')
  })

  it('handles stage 5 (the director) and the chief executive outside the system', () => {
    expect(d.stages.filter(s => s.outsideSystem).map(s => s.key)).toEqual(['stage5', 'chief_executive'])
  })

  it('needs a phone or face to face discussion at stage 1: email alone is not enough', () => {
    const rule = d.rules.discussionBeforeEscalation
    expect(rule?.fromStageKeys).toEqual(['stage1'])
    expect(rule?.channels).toEqual(expect.arrayContaining(['phone', 'face_to_face']))
    expect(rule?.channels).not.toContain('email')
    expect(rule?.notSufficientAlone).toEqual(['email'])
  })

  it('lets only IROs refer to CAFCASS, once the chief executive stage has failed', () => {
    expect(d.rules.cafcass).toEqual({ allowed: true, byRoles: ['iro'], inform: [], when: 'after_last_stage' })
  })

  it('escalates to the next tier only, and starts at stage 1', () => {
    expect(d.rules.bypassAllowed).toBe(false)
    expect(d.rules.raiseAtAnyStage).toBe(false)
  })

  it('asks for a review within 4 weeks of a significant change, allows legal advice, records no views on people', () => {
    expect(d.rules.reviewAfterSignificantChangeWeeks).toBe(4)
    expect(d.rules.legalAdviceAllowed).toBe(true)
    expect(d.rules.recordOnlyDisputeAndActions).toBe(true)
  })

  it('has categories grounded in the seed’s text', () => {
    expect(d.categories.map(c => c.key)).toEqual([
      'child_needs',
      'child_plan',
      'plan_implementation',
      'delay_drift',
      'obstacles',
    ])
  })
})

describe('parsePolicy refuses bad files with clear messages', () => {
  it('accepts policy A as plain JSON', () => {
    expect(parsePolicy(variant(() => {})).id).toBe('gloucestershire-2022')
  })

  it('names the file and the policy in the message, one problem a line', () => {
    const bad = variant(p => {
      p.stages[2].key = 'formal1'
    })
    expect(() => parsePolicy(bad, 'bad.json')).toThrow(
      'Policy "gloucestershire-2022 v1" (bad.json) is not valid:\n  - stages: the key "formal1" is used by more than one stage',
    )
  })

  it('refuses an informal stage that is not first, and two informal stages', () => {
    expect(
      problemsOf(
        variant(p => {
          p.stages.reverse()
        }),
      ),
    ).toEqual(['stages[4] ("informal"): the informal stage must come first, before the formal stages'])
    expect(
      problemsOf(
        variant(p => {
          p.stages[1].formal = false
        }),
      ),
    ).toEqual([
      'stages[1] ("formal1"): the informal stage must come first, before the formal stages',
      'stages: at most one informal stage, found 2',
    ])
  })

  it('refuses a policy with no formal stage', () => {
    expect(
      problemsOf(
        variant(p => {
          p.stages = p.stages.slice(0, 1)
          p.rules.preApproval = null
        }),
      ),
    ).toEqual(['stages: a policy needs at least one formal stage'])
  })

  it('refuses pre-approval from an unknown or informal stage', () => {
    expect(
      problemsOf(
        variant(p => {
          p.rules.preApproval = {
            fromStageKey: 'stage9',
            byRoles: ['reviewing_service_manager'],
            requirement: 'agreement',
          }
        }),
      ),
    ).toEqual([
      'rules.preApproval.fromStageKey: no stage "stage9" (stages are "informal", "formal1", "formal2", "formal3", "formal4")',
    ])
    expect(
      problemsOf(
        variant(p => {
          p.rules.preApproval = {
            fromStageKey: 'informal',
            byRoles: ['reviewing_service_manager'],
            requirement: 'agreement',
          }
        }),
      ),
    ).toEqual(['rules.preApproval.fromStageKey: must be a formal stage'])
  })

  it('refuses a stage behind pre-approval whose response time is agreed, as the wait keeps no date', () => {
    const preApprovedFrom = (key: string, change: (p: Json) => void = () => undefined) =>
      variant(p => {
        p.rules.preApproval = { fromStageKey: key, byRoles: ['reviewing_service_manager'], requirement: 'agreement' }
        change(p)
      })
    expect(() => parsePolicy(preApprovedFrom('formal2'))).not.toThrow()
    expect(
      problemsOf(
        preApprovedFrom('formal2', p => {
          p.stages[1].responseWorkingDays = null
          p.stages[3].timescaleMayBeAgreed = true
          p.stages[4].responseWorkingDays = null
        }),
      ),
    ).toEqual([
      'stages[3] ("formal3"): needs pre-approval, so its response time must be a fixed number of working days, not agreed',
      'stages[4] ("formal4"): needs pre-approval, so its response time must be a fixed number of working days, not agreed',
    ])
    // A stage outside the system with no response time owes no response, so no date is lost.
    expect(() =>
      parsePolicy(
        preApprovedFrom('formal2', p => {
          p.stages[4].outsideSystem = true
          p.stages[4].responseWorkingDays = null
        }),
      ),
    ).not.toThrow()
  })

  it('refuses discussion rules naming unknown stages or counting a channel that is not sufficient alone', () => {
    expect(
      problemsOf(
        variant(p => {
          p.rules.discussionBeforeEscalation = {
            fromStageKeys: ['informal', 'formal9'],
            channels: ['phone', 'email'],
            notSufficientAlone: ['email'],
          }
        }),
      ),
    ).toEqual([
      'rules.discussionBeforeEscalation.fromStageKeys: no stage "formal9" (stages are "informal", "formal1", "formal2", "formal3", "formal4")',
      'rules.discussionBeforeEscalation: "email" cannot both count and be not sufficient alone',
    ])
  })

  it('refuses empty or duplicated categories', () => {
    expect(
      problemsOf(
        variant(p => {
          p.categories = []
        }),
      ),
    ).toEqual(['categories: a policy needs at least one category of concern'])
    expect(
      problemsOf(
        variant(p => {
          p.categories[1].key = 'resources'
        }),
      ),
    ).toEqual(['categories: the key "resources" is used by more than one category'])
  })

  it('refuses an effective date that is not a real date', () => {
    expect(
      problemsOf(
        variant(p => {
          p.effectiveFrom = '2022-02-30'
        }),
      ),
    ).toEqual(['effectiveFrom: must be a real date written YYYY-MM-DD, not "2022-02-30"'])
    expect(
      problemsOf(
        variant(p => {
          p.effectiveFrom = '1 January 2022'
        }),
      ),
    ).toEqual(['effectiveFrom: must be a real date written YYYY-MM-DD, not "1 January 2022"'])
  })

  it('refuses misspelt fields, unknown roles, missing fields and bad numbers, with their paths', () => {
    const problems = problemsOf(
      variant(p => {
        p.rules.bypasAllowed = p.rules.bypassAllowed
        delete p.rules.bypassAllowed
        p.stages[1].responsibleRoles = ['group_manager']
        delete p.name
        p.stages[2].responseWorkingDays = 2.5
        p.version = 0
      }),
    )
    expect(problems).toHaveLength(6)
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.bypassAllowed: Invalid input: expected boolean, received undefined$/),
        expect.stringMatching(/^rules: Unrecognized key: "bypasAllowed"$/),
        expect.stringMatching(/^stages\[1\]\.responsibleRoles\[0\]: Invalid option: expected one of /),
        'name: Invalid input: expected string, received undefined',
        'stages[2].responseWorkingDays: must be a whole number of working days',
        'version: must be a whole number from 1',
      ]),
    )
  })

  it('refuses roles that cannot answer a stage, and roles both responsible and copied', () => {
    expect(
      problemsOf(
        variant(p => {
          p.stages[1].responsibleRoles = ['iro', 'team_manager', 'team_manager']
          p.stages[1].copiedRoles = ['team_manager']
        }),
      ),
    ).toEqual([
      'stages[1].responsibleRoles: "team_manager" listed more than once',
      'stages[1]: "team_manager" both responsible and copied',
      'stages[1].responsibleRoles: "iro" cannot answer a dispute stage',
    ])
  })

  it('refuses CAFCASS referral under a policy no IRO uses, and half-filled CAFCASS rules', () => {
    expect(
      problemsOf(
        variant(p => {
          p.reviewerRoles = ['cp_chair']
        }),
      ),
    ).toEqual(['rules.cafcass: only IROs refer to CAFCASS, and this policy is not used by IROs'])
    expect(
      problemsOf(
        variant(p => {
          p.rules.cafcass.allowed = false
        }),
      ),
    ).toEqual(['rules.cafcass: byRoles and inform must be empty, and when null, when referral is not allowed'])
  })

  it('refuses a stage in the system after one outside it', () => {
    expect(
      problemsOf(
        variant(p => {
          p.stages[3].outsideSystem = true
        }),
      ),
    ).toEqual(['stages[4] ("formal4"): follows a stage outside the system, so it must be outside too'])
  })

  it('refuses what is not a policy at all', () => {
    expect(problemsOf(null)).toEqual(['(policy): Invalid input: expected object, received null'])
    expect(() => parsePolicy('{}')).toThrow(/^Policy is not valid:/)
  })
})
