// A dispute resolution policy as data: its stages (who answers, who is copied, how many working days),
// its overall deadline, its categories of concern and its rules. The shipped policies are JSON files in
// ./data (see docs/policies.md); an authority adds its own the same way. parsePolicy checks the shape with
// zod and then the rules that tie the parts together (stage keys unique, informal stage first ...).
// Pure: no I/O, no clock.
import { z } from 'zod'
import { isIsoDate, type IsoDate } from '../calendar/workingDays.js'
import { roleKeys, type RoleKey } from '../organisation.js'

/** How a discussion or hand-over happened. */
export const channels = ['phone', 'face_to_face', 'meeting', 'email', 'letter'] as const
export type Channel = (typeof channels)[number]

/** The independent reviewers who raise disputes. */
export const reviewerRoles = ['iro', 'cp_chair'] as const
export type ReviewerRole = (typeof reviewerRoles)[number]

/** Roles that never answer a dispute stage: the reviewers themselves and the back-office roles. */
const notResponsibleRoles: readonly RoleKey[] = ['iro', 'cp_chair', 'admin', 'performance']

const keySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: 'must be lower case letters, digits and underscores, starting with a letter' })
const idSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lower case letters and digits separated by hyphens' })
const textSchema = z.string().trim().min(1, { error: 'must not be empty' })
const roleSchema = z.enum(roleKeys)
const workingDaysSchema = z
  .number()
  .int({ error: 'must be a whole number of working days' })
  .min(1, { error: 'must be at least 1 working day' })
  .max(260, { error: 'must be at most 260 working days (a year)' })
const isoDateSchema = z.custom<IsoDate>(value => isIsoDate(value), {
  error: issue => `must be a real date written YYYY-MM-DD, not ${JSON.stringify(issue.input)}`,
})

export const policyStageSchema = z.strictObject({
  /** Unique within the policy, e.g. 'informal', 'formal1'. */
  key: keySchema,
  /** The seed's own words, e.g. 'Informal', 'Formal level 1', 'Stage 2'. */
  name: textSchema,
  /** False only for the informal stage. */
  formal: z.boolean(),
  /** Who must respond; the first is the accountable person. */
  responsibleRoles: z.array(roleSchema).min(1, { error: 'a stage needs at least one responsible role' }),
  /** The seed's title(s) for the responsible people, e.g. 'Head of Service & Service Manager'. */
  responsibleTitle: textSchema,
  /** Copied on the hand-over to this stage. */
  copiedRoles: z.array(roleSchema),
  /** The seed's title(s) for the people copied, when it names them. */
  copiedTitle: textSchema.optional(),
  /** Working days to respond; null = "a timescale agreed in the child's interest" (the reviewer sets the due date). */
  responseWorkingDays: workingDaysSchema.nullable(),
  /** The reviewer may replace responseWorkingDays with a timescale agreed in the child's interest. */
  timescaleMayBeAgreed: z.boolean().optional(),
  /** Handled outside the system: the record is shared as a document and only the outcome is recorded. */
  outsideSystem: z.boolean(),
  /** The stage is a meeting (seed 002's resolution meeting). */
  meetingRequired: z.boolean().optional(),
  /** This stage's decision settles the dispute (seed 002: the chief executive determines resolution). */
  determinesOutcome: z.boolean().optional(),
  /** What the seed says happens at this stage, for the page that shows it. */
  guidance: textSchema.optional(),
})

export const policyCategorySchema = z.strictObject({
  key: keySchema,
  name: textSchema,
  description: textSchema.optional(),
})

export const policyRulesSchema = z.strictObject({
  /** The reviewer may escalate to any later stage, not only the next one. */
  bypassAllowed: z.boolean(),
  /** The reviewer may raise the dispute at any stage (the level most appropriate), not only the first. */
  raiseAtAnyStage: z.boolean(),
  /** Someone must agree to (or be consulted on) raising or escalating at this stage or any later one. */
  preApproval: z
    .strictObject({
      fromStageKey: keySchema,
      byRoles: z.array(roleSchema).min(1, { error: 'pre-approval needs at least one role' }),
      /** 'agreement': they must agree (seed 001); 'consultation': they must be consulted (seed 002). */
      requirement: z.enum(['agreement', 'consultation']),
    })
    .nullable(),
  /** Only the reviewer who owns the record finalises (authorises) it. */
  finaliseBy: z.literal('owner'),
  cafcass: z.strictObject({
    allowed: z.boolean(),
    byRoles: z.array(z.literal('iro')),
    /** Told when a reviewer refers to CAFCASS. */
    inform: z.array(roleSchema),
    /** 'any_time' (seed 004) or only once the last stage has failed (seed 003); null when not allowed. */
    when: z.enum(['any_time', 'after_last_stage']).nullable(),
  }),
  /** Before escalating from these stages the reviewer must have discussed the dispute by one of these channels. */
  discussionBeforeEscalation: z
    .strictObject({
      fromStageKeys: z.array(keySchema).min(1, { error: 'name at least one stage' }),
      channels: z.array(z.enum(channels)).min(1, { error: 'name at least one channel' }),
      /** Channels that may be used as well but never count on their own (seed 003: email). */
      notSufficientAlone: z.array(z.enum(channels)),
      /**
       * The same discussion before the reviewer records the dispute resolved at these stages (seed 003:
       * stage one is by face to face discussion or phone, never "by means of email alone").
       */
      alsoBeforeResolving: z.boolean().optional(),
    })
    .nullable(),
  /** The reviewer raises the dispute within this many working days of becoming aware (seed 001: 2). */
  raiseWithinWorkingDays: workingDaysSchema.nullable(),
  /** A short extension the reviewer may agree instead of escalating (seed 001: a further 24 hours = 1). */
  extension: z.strictObject({ allowed: z.boolean(), workingDays: workingDaysSchema }).nullable(),
  /** After a significant change to the child's plan a review is due within this many weeks (seed 003: 4). */
  reviewAfterSignificantChangeWeeks: z.number().int().min(1).max(52).nullable().optional(),
  /** The reviewer may record seeking independent legal advice at any point (seed 003). */
  legalAdviceAllowed: z.boolean(),
  /** The seed requires a record for every sibling the concern relates to (seed 001). */
  recordForEachSibling: z.boolean(),
  /** Record only the dispute and the action taken, never views on an individual's performance (seed 003). */
  recordOnlyDisputeAndActions: z.boolean(),
})

export const policySchema = z.strictObject({
  /** Stable across versions, e.g. 'gloucestershire-2022'. */
  id: idSchema,
  version: z.number().int().min(1, { error: 'must be a whole number from 1' }),
  name: textSchema,
  /** Which source document(s) the policy comes from. */
  source: textSchema,
  /** Disputes raised on or after this date are governed by this version (until a later version takes over). */
  effectiveFrom: isoDateSchema,
  reviewerRoles: z.array(z.enum(reviewerRoles)).min(1, { error: 'name at least one reviewer role' }),
  /** The policy's own titles for our roles (seed 003: service_manager is the "Group manager"). */
  roleTitles: z.partialRecord(roleSchema, textSchema).optional(),
  /** In order; the informal stage, when there is one, first. */
  stages: z.array(policyStageSchema).min(1, { error: 'a policy needs at least one stage' }),
  /** Working days from the first formal stage to resolution; null when the source sets no overall limit. */
  overallFormalWorkingDays: workingDaysSchema.nullable(),
  categories: z.array(policyCategorySchema).min(1, { error: 'a policy needs at least one category of concern' }),
  rules: policyRulesSchema,
})

export type Policy = z.infer<typeof policySchema>
export type PolicyStage = z.infer<typeof policyStageSchema>

/** Seed 004: "within 5 days or within a timescale mutually agreed as in the child's interests". */
export const dueDateMayBeAgreed = (stage: PolicyStage) =>
  stage.responseWorkingDays === null || stage.timescaleMayBeAgreed === true
/** A stage Concord runs that sets no timescale of its own: its response date must be agreed. */
export const dueDateMustBeAgreed = (stage: PolicyStage) => stage.responseWorkingDays === null && !stage.outsideSystem
export type PolicyCategory = z.infer<typeof policyCategorySchema>
export type PolicyRules = z.infer<typeof policyRulesSchema>

/** A policy (or a set of them) that cannot be used; `problems` lists every reason, one a line in the message. */
export class PolicyError extends Error {
  readonly problems: readonly string[]

  constructor(what: string, problems: readonly string[]) {
    super(`${what} is not valid:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'PolicyError'
    this.problems = problems
  }
}

/** 'gloucestershire-2022 v1' */
export function policyLabel(policy: Pick<Policy, 'id' | 'version'>): string {
  return `${policy.id} v${policy.version}`
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`
  return out === '' ? '(policy)' : out
}

function duplicates<T>(items: readonly T[]): T[] {
  const seen = new Set<T>()
  const twice = new Set<T>()
  for (const item of items) (seen.has(item) ? twice : seen).add(item)
  return [...twice]
}

const quoted = (values: readonly unknown[]): string => values.map(v => JSON.stringify(v)).join(', ')

/** The rules that tie a well-shaped policy together. Returns the problems, none when it is sound. */
export function policyProblems(policy: Policy): string[] {
  const problems: string[] = []
  const stageKeys = policy.stages.map(s => s.key)

  for (const key of duplicates(stageKeys)) problems.push(`stages: the key "${key}" is used by more than one stage`)
  policy.stages.forEach((stage, i) => {
    if (!stage.formal && i > 0)
      problems.push(`stages[${i}] ("${stage.key}"): the informal stage must come first, before the formal stages`)
    const twiceResponsible = duplicates(stage.responsibleRoles)
    if (twiceResponsible.length > 0)
      problems.push(`stages[${i}].responsibleRoles: ${quoted(twiceResponsible)} listed more than once`)
    const twiceCopied = duplicates(stage.copiedRoles)
    if (twiceCopied.length > 0) problems.push(`stages[${i}].copiedRoles: ${quoted(twiceCopied)} listed more than once`)
    const both = stage.copiedRoles.filter(r => stage.responsibleRoles.includes(r))
    if (both.length > 0) problems.push(`stages[${i}]: ${quoted(both)} both responsible and copied`)
    const reviewers = stage.responsibleRoles.filter(r => notResponsibleRoles.includes(r))
    if (reviewers.length > 0)
      problems.push(`stages[${i}].responsibleRoles: ${quoted(reviewers)} cannot answer a dispute stage`)
    const previous = policy.stages[i - 1]
    if (previous?.outsideSystem && !stage.outsideSystem)
      problems.push(`stages[${i}] ("${stage.key}"): follows a stage outside the system, so it must be outside too`)
  })
  const informal = policy.stages.filter(s => !s.formal)
  if (informal.length > 1) problems.push(`stages: at most one informal stage, found ${informal.length}`)
  if (informal.length === policy.stages.length) problems.push('stages: a policy needs at least one formal stage')

  for (const key of duplicates(policy.categories.map(c => c.key)))
    problems.push(`categories: the key "${key}" is used by more than one category`)

  const twiceReviewer = duplicates(policy.reviewerRoles)
  if (twiceReviewer.length > 0) problems.push(`reviewerRoles: ${quoted(twiceReviewer)} listed more than once`)

  const { preApproval, discussionBeforeEscalation: discussion, cafcass } = policy.rules
  if (preApproval) {
    const stage = policy.stages.find(s => s.key === preApproval.fromStageKey)
    if (!stage)
      problems.push(
        `rules.preApproval.fromStageKey: no stage "${preApproval.fromStageKey}" (stages are ${quoted(stageKeys)})`,
      )
    else if (!stage.formal) problems.push('rules.preApproval.fromStageKey: must be a formal stage')
    else {
      // The wait for pre-approval keeps no agreed date, so a stage behind it needs a fixed timescale: else
      // an approval would enter the stage without the date the reviewer typed (or could not enter it at all).
      const from = policy.stages.indexOf(stage)
      policy.stages.forEach((later, i) => {
        const owesResponse = !later.outsideSystem || later.responseWorkingDays !== null
        if (i >= from && owesResponse && dueDateMayBeAgreed(later))
          problems.push(
            `stages[${i}] ("${later.key}"): needs pre-approval, so its response time must be a fixed number of working days, not agreed`,
          )
      })
    }
  }
  if (discussion) {
    for (const key of discussion.fromStageKeys)
      if (!stageKeys.includes(key))
        problems.push(
          `rules.discussionBeforeEscalation.fromStageKeys: no stage "${key}" (stages are ${quoted(stageKeys)})`,
        )
    const overlap = discussion.notSufficientAlone.filter(c => discussion.channels.includes(c))
    if (overlap.length > 0)
      problems.push(
        `rules.discussionBeforeEscalation: ${quoted(overlap)} cannot both count and be not sufficient alone`,
      )
  }
  if (cafcass.allowed) {
    if (cafcass.byRoles.length === 0) problems.push('rules.cafcass.byRoles: say who may refer (only "iro")')
    if (!policy.reviewerRoles.includes('iro'))
      problems.push('rules.cafcass: only IROs refer to CAFCASS, and this policy is not used by IROs')
    if (cafcass.when === null) problems.push('rules.cafcass.when: say when a referral may be made')
  } else if (cafcass.byRoles.length > 0 || cafcass.inform.length > 0 || cafcass.when !== null) {
    problems.push('rules.cafcass: byRoles and inform must be empty, and when null, when referral is not allowed')
  }
  return problems
}

/**
 * Checks a policy read from JSON and returns it typed. Throws a PolicyError listing every problem,
 * first the shape (zod), then, if the shape is right, the rules that tie the parts together.
 * `label` names the source in the message (a file name, say).
 */
export function parsePolicy(json: unknown, label?: string): Policy {
  const result = policySchema.safeParse(json)
  const what = (name: string | undefined): string =>
    `Policy${name === undefined ? '' : ` "${name}"`}${label === undefined ? '' : ` (${label})`}`
  if (!result.success) {
    const id = typeof json === 'object' && json !== null && 'id' in json ? json.id : undefined
    throw new PolicyError(
      what(typeof id === 'string' ? id : undefined),
      result.error.issues.map(issue => `${formatPath(issue.path)}: ${issue.message}`),
    )
  }
  const problems = policyProblems(result.data)
  if (problems.length > 0) throw new PolicyError(what(policyLabel(result.data)), problems)
  return result.data
}
