// What the reports read of a dispute's state (ADR 0018): the last stage, the stage resolved at, the
// CAFCASS referral, the reviewer's role, and each stage with a deadline (its place, due day and first
// response), as the report queries read the state JSON before the facts were kept beside it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Dispute, StageEntry } from './dispute.js'
import { disputeReportFacts } from './reportFacts.js'
import { raise } from './stateMachine.js'
import { A, accepted, contextFor, d, OWNER } from './testSupport.js'

const raised = (): Dispute =>
  accepted(
    raise(
      {
        policy: A,
        ownerId: OWNER,
        reviewerRole: 'iro',
        startStageKey: 'formal1',
        becameAwareOn: d('2023-05-04'),
        reason: 'The plan has drifted',
      },
      contextFor(A, d('2023-05-04'), OWNER, undefined),
    ),
  ).dispute

const stageEntry = (stageKey: string, dueOn: string | null, responses: string[]): StageEntry => ({
  stageKey,
  enteredOn: d('2023-05-04'),
  dueOn: dueOn === null ? null : d(dueOn),
  responsiblePersonIds: [],
  copiedPersonIds: [],
  reason: 'test',
  bypassed: false,
  responses: responses.map(on => ({ on: d(on), byPersonId: 1, comments: '', actionIds: [] })),
  extension: null,
  decision: null,
  outcome: null,
})

describe('disputeReportFacts', () => {
  it('reads a record just raised at formal 1', () => {
    const state = raised()
    expect(disputeReportFacts(state)).toEqual({
      reachedStageKey: 'formal1',
      resolvedStageKey: null,
      cafcass: false,
      reviewerRole: 'iro',
      stageCount: 1,
      stages: [{ n: 1, stageKey: 'formal1', dueOn: '2023-05-12', respondedOn: null }],
    })
  })

  it('keeps only stages with a deadline, numbered by their place, with the first response', () => {
    const state: Dispute = {
      ...raised(),
      stages: [
        stageEntry('informal', '2023-05-11', ['2023-05-10', '2023-05-12']),
        stageEntry('outside', null, []),
        stageEntry('formal2', '2023-05-20', []),
      ],
      resolution: { on: d('2023-05-22'), comments: '', atStageKey: 'formal2' },
      cafcass: { on: d('2023-05-21'), reasons: 'Urgent', informedPersonIds: [] },
    }
    expect(disputeReportFacts(state)).toEqual({
      reachedStageKey: 'formal2',
      resolvedStageKey: 'formal2',
      cafcass: true,
      reviewerRole: 'iro',
      stageCount: 3,
      stages: [
        { n: 1, stageKey: 'informal', dueOn: '2023-05-11', respondedOn: '2023-05-10' },
        { n: 3, stageKey: 'formal2', dueOn: '2023-05-20', respondedOn: null },
      ],
    })
  })

  it('for any stages: one fact per stage with a due day, in order, and the last stage reached', () => {
    const day = fc.integer({ min: 1, max: 28 }).map(n => `2024-02-${String(n).padStart(2, '0')}`)
    const entry = fc.record({
      key: fc.constantFrom('informal', 'formal1', 'formal2', 'formal3'),
      due: fc.option(day, { nil: null }),
      responses: fc.array(day, { maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), stages => {
        const state: Dispute = { ...raised(), stages: stages.map(s => stageEntry(s.key, s.due, s.responses)) }
        const facts = disputeReportFacts(state)
        expect(facts.stageCount).toBe(stages.length)
        expect(facts.reachedStageKey).toBe(stages.at(-1)?.key ?? null)
        expect(facts.stages.map(s => s.n)).toEqual(stages.flatMap((s, i) => (s.due === null ? [] : [i + 1])))
        for (const s of facts.stages) {
          const source = stages[s.n - 1]!
          expect(s).toEqual({
            n: s.n,
            stageKey: source.key,
            dueOn: source.due,
            respondedOn: source.responses[0] ?? null,
          })
        }
      }),
    )
  })
})
