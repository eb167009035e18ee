import { groupBy } from '../../collections.js'
// The catalogue of policies: the four shipped with Concord (./data, one JSON file per version) plus any an
// authority adds, and the questions asked of them: which policy governs a dispute raised on a day by an IRO
// or a CP chair, which stage comes next, may the reviewer bypass, is pre-approval needed. Pure.
import { compareIsoDates, type IsoDate } from '../calendar/workingDays.js'
import cpcMosaic2022V1 from './data/cpc-mosaic-2022.v1.json' with { type: 'json' }
import cpcProtocolV1 from './data/cpc-protocol.v1.json' with { type: 'json' }
import gloucestershire2022V1 from './data/gloucestershire-2022.v1.json' with { type: 'json' }
import iroCareFirstV1 from './data/iro-care-first.v1.json' with { type: 'json' }
import {
  parsePolicy,
  PolicyError,
  policyLabel,
  type Channel,
  type Policy,
  type PolicyStage,
  type ReviewerRole,
} from './policy.js'

/** The JSON shipped in ./data, by file name. Add a file here when a new version is shipped. */
const shippedFiles: readonly (readonly [string, unknown])[] = [
  ['gloucestershire-2022.v1.json', gloucestershire2022V1],
  ['cpc-mosaic-2022.v1.json', cpcMosaic2022V1],
  ['cpc-protocol.v1.json', cpcProtocolV1],
  ['iro-care-first.v1.json', iroCareFirstV1],
]

/**
 * Rules across policies: each (id, version) once, and within one id a higher version takes effect
 * strictly later than a lower one (so "the latest version in force" is the same by number and by date).
 * Returns the problems, none when the catalogue is sound.
 */
export function catalogueProblems(policies: readonly Policy[]): string[] {
  const problems: string[] = []
  const byId = groupBy(policies, p => p.id)
  for (const [id, versions] of byId) {
    const sorted = [...versions].sort((a, b) => a.version - b.version)
    sorted.forEach((p, i) => {
      const previous = sorted[i - 1]
      if (!previous) return
      if (previous.version === p.version) problems.push(`${policyLabel(p)} is given more than once`)
      else if (compareIsoDates(previous.effectiveFrom, p.effectiveFrom) >= 0)
        problems.push(
          `${id}: v${p.version} takes effect ${p.effectiveFrom}, which must be after v${previous.version} (${previous.effectiveFrom})`,
        )
    })
  }
  return problems
}

/**
 * Parses every policy file and checks them together. Throws one PolicyError listing the problems in
 * every file, so an authority fixes them all at once when the service starts.
 */
export function parsePolicies(files: readonly { label: string; json: unknown }[]): Policy[] {
  const problems: string[] = []
  const policies: Policy[] = []
  for (const { label, json } of files) {
    try {
      policies.push(parsePolicy(json, label))
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error
      problems.push(...error.problems.map(p => `${label}: ${p}`))
    }
  }
  if (problems.length === 0) problems.push(...catalogueProblems(policies))
  if (problems.length > 0) throw new PolicyError('The policy catalogue', problems)
  return policies
}

/** The four policies shipped with Concord (docs/policies.md), freshly parsed: callers may keep or change them. */
export function shippedPolicies(): Policy[] {
  return parsePolicies(shippedFiles.map(([label, json]) => ({ label, json })))
}

/**
 * The policies in force on a day for a reviewer role: for each policy id, the latest version whose
 * effectiveFrom is on or before the day, kept only if that version is used by the role. A later
 * version takes over from its effective date, even if it drops the role. Sorted by id.
 */
export function policiesInForce(policies: readonly Policy[], on: IsoDate, reviewerRole: ReviewerRole): Policy[] {
  const latest = new Map<string, Policy>()
  for (const p of policies) {
    if (compareIsoDates(p.effectiveFrom, on) > 0) continue
    const current = latest.get(p.id)
    if (!current || p.version > current.version) latest.set(p.id, p)
  }
  return [...latest.values()]
    .filter(p => p.reviewerRoles.includes(reviewerRole))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The exact version a dispute was raised under (old records keep their version). */
export function findPolicy(policies: readonly Policy[], id: string, version: number): Policy | undefined {
  return policies.find(p => p.id === id && p.version === version)
}

export function findStage(policy: Policy, key: string): PolicyStage | undefined {
  return policy.stages.find(s => s.key === key)
}

/** The stage's position in the policy (0 = first). Throws on a key the policy does not have. */
export function stageIndex(policy: Policy, key: string): number {
  const index = policy.stages.findIndex(s => s.key === key)
  if (index < 0) throw new RangeError(`${policyLabel(policy)} has no stage "${key}"`)
  return index
}

export function formalStages(policy: Policy): PolicyStage[] {
  return policy.stages.filter(s => s.formal)
}

export function informalStage(policy: Policy): PolicyStage | undefined {
  return policy.stages.find(s => !s.formal)
}

/** The first formal stage: where the overall formal deadline starts. Every valid policy has one. */
export function firstFormalStage(policy: Policy): PolicyStage {
  const stage = policy.stages.find(s => s.formal)
  if (!stage) throw new RangeError(`${policyLabel(policy)} has no formal stage`)
  return stage
}

/** The stage after this one, or null at the last stage. */
export function nextStage(policy: Policy, key: string): PolicyStage | null {
  return policy.stages[stageIndex(policy, key) + 1] ?? null
}

/** Every stage after this one, in order (the choices when bypassing). */
export function laterStages(policy: Policy, key: string): PolicyStage[] {
  return policy.stages.slice(stageIndex(policy, key) + 1)
}

/** Where the reviewer may escalate from this stage: any later stage when bypass is allowed, else the next. */
export function escalationTargets(policy: Policy, key: string): PolicyStage[] {
  if (policy.rules.bypassAllowed) return laterStages(policy, key)
  const next = nextStage(policy, key)
  return next ? [next] : []
}

/** The stages a new dispute may be raised at: any when the policy allows it, else only the first. */
export function raisableStages(policy: Policy): PolicyStage[] {
  return policy.rules.raiseAtAnyStage ? [...policy.stages] : policy.stages.slice(0, 1)
}

/** True when raising or escalating to this stage needs the policy's pre-approval (seed 001: stage 2 or above). */
export function needsPreApproval(policy: Policy, stageKey: string): boolean {
  const rule = policy.rules.preApproval
  return rule !== null && stageIndex(policy, stageKey) >= stageIndex(policy, rule.fromStageKey)
}

/**
 * Whether the discussions logged at a stage allow escalating from it: true when the policy asks for no
 * discussion there, otherwise when at least one logged channel counts (seed 003: phone or face to face;
 * email alone is not enough).
 */
export function discussionAllowsEscalation(policy: Policy, fromStageKey: string, logged: readonly Channel[]): boolean {
  stageIndex(policy, fromStageKey)
  return discussionMeetsRule(policy.rules.discussionBeforeEscalation, fromStageKey, logged)
}

/**
 * Whether the discussions logged at a stage meet the policy's discussion rule there: always where there
 * is no rule or it does not name the stage, otherwise when one of them was by a channel that counts on
 * its own. The state machine asks it before escalating, and before resolving where the rule says so.
 */
export function discussionMeetsRule(
  rule: Policy['rules']['discussionBeforeEscalation'],
  stageKey: string,
  logged: readonly Channel[],
): boolean {
  if (!rule || !rule.fromStageKeys.includes(stageKey)) return true
  return logged.some(c => rule.channels.includes(c) && !rule.notSufficientAlone.includes(c))
}
