import { londonDate } from '../clock.js'
import { SettableClock } from '../clock.js'
import {
  addCalendarDays,
  addWorkingDays,
  type IsoDate,
  isWorkingDay,
  parseIsoDate,
} from '../domain/calendar/workingDays.js'
import type { Command } from '../domain/dispute/stateMachine.js'
import type { Policy } from '../domain/policies/policy.js'
import type { CurrentUser } from '../services/accessService.js'
import { type Services, services as buildServices } from '../services/index.js'
import { argon2Hasher } from '../services/passwords.js'
import { lastReportingYear } from '../services/reportService.js'
import { DEMO_ACCOUNT_EMAILS } from './demoAuthority.js'

/** Where a demo record is left: every state a newcomer should be able to see. */
type Ending =
  | 'awaiting_response'
  | 'overdue'
  | 'awaiting_decision'
  | 'resolved'
  | 'finalised'
  | 'cafcass'
  // Escalated on its last step to a stage that needs pre-approval, which is not yet given.
  | 'awaiting_pre_approval'

/** The demo IRO and CP chair, and a second CP chair so each has a realistic caseload of records. */
type Reviewer = 'iro' | 'cp_chair' | 'other_cp_chair'

interface Scenario {
  policyId: string
  reviewer: Reviewer
  /** How many stages to climb before stopping (0 = stay at the first stage). */
  climb: number
  ending: Ending
  siblings?: boolean
  /** Raised on this day in the last complete reporting year, so the reports that open on it have figures. */
  raisedOn?: IsoDate
}

/** Which reviewer raises records under which policy. */
const PLAN: readonly (readonly [string, Reviewer])[] = [
  ['gloucestershire-2022', 'iro'],
  ['gloucestershire-2022', 'cp_chair'],
  ['cpc-mosaic-2022', 'cp_chair'],
  ['cpc-protocol', 'other_cp_chair'],
  ['iro-care-first', 'iro'],
]

function scenarios(policies: readonly Policy[], lastYear: { from: IsoDate }): Scenario[] {
  const list: Scenario[] = []
  // Last year's records come first, as they happened first: finalised at the first stage and higher up.
  for (const [index, [policyId, reviewer]] of PLAN.entries()) {
    if (!policies.some(p => p.id === policyId)) continue
    for (const [k, climb] of [0, 1].entries())
      list.push({
        policyId,
        reviewer,
        climb,
        ending: 'finalised',
        // Spread over the year, about five weeks apart.
        raisedOn: addCalendarDays(lastYear.from, 20 + (index * 2 + k) * 35),
      })
  }
  for (const [policyId, reviewer] of PLAN) {
    const policy = policies.find(p => p.id === policyId)
    if (!policy) continue
    // One record waiting at each stage of the policy.
    for (let climb = 0; climb < policy.stages.length; climb++)
      list.push({ policyId, reviewer, climb, ending: 'awaiting_response' })
    list.push({ policyId, reviewer, climb: 1, ending: 'overdue' })
    list.push({ policyId, reviewer, climb: 1, ending: 'awaiting_decision' })
    list.push({ policyId, reviewer, climb: 1, ending: 'resolved' })
    list.push({ policyId, reviewer, climb: 2, ending: 'finalised' })
    list.push({ policyId, reviewer, climb: 0, ending: 'finalised', siblings: true })
    // One record whose escalation waits for pre-approval, for the pre-approver's My work.
    const waitFor = policy.rules.preApproval?.fromStageKey
    const waitAt = policy.stages.findIndex(st => st.key === waitFor)
    if (waitAt > 0) list.push({ policyId, reviewer, climb: waitAt, ending: 'awaiting_pre_approval' })
    if (
      policy.rules.cafcass.allowed &&
      reviewer === 'iro' &&
      (policy.rules.cafcass.byRoles as string[]).includes('iro')
    )
      list.push({
        policyId,
        reviewer,
        climb: policy.rules.cafcass.when === 'after_last_stage' ? policy.stages.length - 1 : 1,
        ending: 'cafcass',
      })
  }
  return list
}

/**
 * Gives the demo authority a living set of dispute records under each of the four policies, by
 * driving the real services through each journey with a clock that starts weeks ago and moves
 * forward, so every date, deadline and event is what the service itself would have produced.
 */
export async function loadDemoDisputes(live: Services): Promise<number> {
  const today = parseIsoDate(londonDate(live.clock.now()))
  const clock = new SettableClock(live.clock.now())
  const s = buildServices(live.db, clock, live.config, argon2Hasher, live.disputes.policies(), { mailer: live.mailer })
  const setDay = (d: IsoDate) => clock.set(new Date(`${d}T10:00:00Z`))
  // Staff act on working days: each step is a working day on, and agreed dates fall on working days.
  const calendar = await s.calendar.calendar()
  const workingDaysBack = (from: IsoDate, n: number) => {
    let d = from
    for (let left = n; left > 0 || !isWorkingDay(calendar, d);) {
      d = addCalendarDays(d, -1)
      if (isWorkingDay(calendar, d)) left--
    }
    return d
  }
  const user = async (personId: number): Promise<CurrentUser> => (await s.access.currentUser(personId))!
  const byEmail = async (email: string) =>
    (await s.organisation.people({ search: email, limit: 1, offset: 0 })).people[0]!

  const cpChair = await byEmail(DEMO_ACCOUNT_EMAILS.cp_chair)
  // Each reviewer's own allocated children with a social worker.
  const caseload = async (reviewer: CurrentUser, role: 'iro' | 'cp_chair') =>
    (await s.children.list(reviewer, { limit: 500, offset: 0 })).children.filter(
      c => (role === 'iro' ? c.iroId : c.cpChairId) === reviewer.person.id && c.socialWorkerId !== null,
    )
  const hasSiblings = (pool: { siblingGroupId: number | null }[]) =>
    pool.some(c => c.siblingGroupId !== null && pool.filter(o => o.siblingGroupId === c.siblingGroupId).length > 1)
  // A second CP chair with siblings among their children, so every policy has a sibling record.
  let other: { user: CurrentUser; pool: Awaited<ReturnType<typeof caseload>> } | undefined
  for (const p of (await s.organisation.people({ role: 'cp_chair', limit: 100, offset: 0 })).people) {
    if (p.id === cpChair.id) continue
    const candidate = await user(p.id)
    const pool = await caseload(candidate, 'cp_chair')
    if (hasSiblings(pool) && pool.length >= 15) {
      other = { user: candidate, pool }
      break
    }
  }
  const reviewers: Record<Reviewer, CurrentUser> = {
    iro: await user((await byEmail(DEMO_ACCOUNT_EMAILS.iro)).id),
    cp_chair: await user(cpChair.id),
    other_cp_chair: other?.user ?? (await user(cpChair.id)),
  }
  type PoolChild = Awaited<ReturnType<typeof caseload>>[number]
  const pools = new Map<Reviewer, PoolChild[]>([
    ['iro', await caseload(reviewers.iro, 'iro')],
    ['cp_chair', await caseload(reviewers.cp_chair, 'cp_chair')],
    ['other_cp_chair', other?.pool ?? []],
  ])
  const take = (role: Reviewer, siblings: boolean): number[] => {
    const pool = pools.get(role)!
    if (siblings) {
      const first = pool.find(
        c => c.siblingGroupId !== null && pool.filter(o => o.siblingGroupId === c.siblingGroupId).length > 1,
      )
      if (first) {
        const group = pool.filter(o => o.siblingGroupId === first.siblingGroupId)
        pools.set(
          role,
          pool.filter(c => !group.includes(c)),
        )
        return group.map(c => c.id)
      }
    }
    const child = pool.shift()
    return child ? [child.id] : []
  }

  // Last year's records are about children of the same caseload (some have a record now too), only
  // children whose plan or care had begun by then: a reviewer disputes a plan that exists.
  const caseloads = new Map([...pools].map(([role, pool]) => [role, [...pool]]))
  const earlier = (role: Reviewer, index: number, on: IsoDate): number[] => {
    const began = (c: PoolChild) => (role === 'iro' ? c.lookedAfterStart : c.cpPlanStart)
    const pool = caseloads.get(role)!.filter(c => (began(c) ?? on) < on)
    return pool.length === 0 ? [] : [pool[(index * 7) % pool.length]!.id]
  }

  let raised = 0
  for (const [index, sc] of scenarios(s.disputes.policies(), lastReportingYear(today)).entries()) {
    const childIds = sc.raisedOn ? earlier(sc.reviewer, index, sc.raisedOn) : take(sc.reviewer, sc.siblings ?? false)
    if (childIds.length === 0) continue
    const policy = s.disputes.policies().find(p => p.id === sc.policyId)!
    const reviewer = reviewers[sc.reviewer]
    // Each step below moves the clock on a working day: start far enough back that the last step lands
    // a working day or two before today, except for the overdue records, which have waited for weeks.
    const waits = sc.ending === 'awaiting_response' || sc.ending === 'overdue' || sc.ending === 'awaiting_pre_approval'
    const steps = sc.climb + (waits ? 0 : 1)
    let day = sc.raisedOn
      ? workingDaysBack(sc.raisedOn, 0)
      : workingDaysBack(today, sc.ending === 'overdue' ? 22 : steps + 1 + (index % 2))
    setDay(day)
    const first = policy.stages[0]!
    const { ids } = await s.disputes.raise(reviewer, {
      childIds,
      policyId: policy.id,
      categoryKey: policy.categories[index % policy.categories.length]!.key,
      concern: DEMO_CONCERNS[index % DEMO_CONCERNS.length]!,
      impact: 'The child is waiting longer than they should for the support their plan promises.',
      wishesAndFeelings: 'The child has said they want things to be settled and to know what will happen next.',
      recommendedResolution:
        'Agree the outstanding actions with named owners and dates, and share the plan with the family.',
      resolutionTimescale: 'Within 10 working days',
      becameAwareOn: addCalendarDays(day, -1),
      startStageKey: first.key,
      agreedDueOn: first.responseWorkingDays === null ? addWorkingDays(calendar, day, 5) : undefined,
    })
    raised += ids.length
    // A sibling group's records move together: each starts from the day they were raised, or the last
    // would be taken past today by its siblings' steps.
    const raisedDay = day
    for (const id of ids) {
      day = raisedDay
      setDay(day)
      const act = async (personId: number, command: Command) => {
        const view = await s.disputes.view(await user(personId), id, { path: '/demo', ip: null })
        await s.disputes.act(await user(personId), id, view.record.version, command)
      }
      const current = async () => (await s.disputes.view(reviewer, id, { path: '/demo', ip: null })).record.state
      const next = () => {
        day = addWorkingDays(calendar, day, 1)
        setDay(day)
      }
      const respond = async () => {
        const state = await current()
        const responsible = state.stages.at(-1)!.responsiblePersonIds[0]
        if (responsible === undefined) return false
        await act(responsible, {
          type: 'respond',
          comments: 'We have reviewed the concern and agreed the actions below.',
          actions: [
            {
              what: 'Update the plan and share it with the family',
              ownerId: responsible,
              dueOn: addWorkingDays(calendar, day, 10),
            },
          ],
        })
        return true
      }
      for (let step = 0; step < sc.climb; step++) {
        next()
        const state = await current()
        if (state.phase === 'outside_system')
          await act(reviewer.person.id, {
            type: 'record_outcome',
            text: 'Not resolved at this level.',
            resolved: false,
          })
        else if (await respond())
          await act(reviewer.person.id, {
            type: 'decide_not_resolved',
            comments: 'The response does not yet meet the child’s needs.',
          })
        await s.disputes.logDiscussion(reviewer, id, {
          // Face to face satisfies every policy's rule on discussing before escalating.
          channel: 'face_to_face',
          heldOn: day,
          participants: 'Reviewer and responsible manager',
          summary: 'Discussed the response; escalation agreed as the next step.',
          meeting: null,
        })
        const target = policy.stages[policy.stages.findIndex(st => st.key === state.stages.at(-1)!.stageKey) + 1]!
        await act(reviewer.person.id, {
          type: 'escalate',
          toStageKey: target.key,
          reason: 'Not resolved at the previous stage.',
          agreedDueOn: target.responseWorkingDays === null ? addWorkingDays(calendar, day, 5) : undefined,
        })
        const after = await s.disputes.view(reviewer, id, { path: '/demo', ip: null })
        const lastStep = step === sc.climb - 1
        if (sc.ending === 'awaiting_pre_approval' && lastStep) continue
        if (after.record.state.phase === 'awaiting_pre_approval' && after.preApproverIds[0] !== undefined)
          await act(after.preApproverIds[0], { type: 'approve', note: 'Agreed in supervision.' })
      }
      if (waits) continue
      next()
      const state = await current()
      if (sc.ending === 'cafcass') {
        await act(reviewer.person.id, {
          type: 'refer_cafcass',
          reasons: 'Local resolution has not secured the child’s plan in the child’s timescale.',
        })
        continue
      }
      if (state.phase === 'outside_system') {
        await act(reviewer.person.id, { type: 'record_outcome', text: 'Resolved at this level.', resolved: true })
      } else {
        await respond()
        if (sc.ending === 'awaiting_decision') continue
        await s.disputes.logDiscussion(reviewer, id, {
          // A phone call: Care First (seed 003) does not let a dispute be resolved at stage one by email alone.
          channel: 'phone',
          heldOn: day,
          participants: 'Reviewer and responsible manager',
          summary: 'Went through the response and the actions agreed; the concern is resolved.',
          meeting: null,
        })
        await act(reviewer.person.id, { type: 'decide_resolved', comments: 'The actions agreed resolve the concern.' })
      }
      if (sc.ending === 'finalised') await act(reviewer.person.id, { type: 'finalise' })
    }
  }
  return raised
}

const DEMO_CONCERNS = [
  'The assessment agreed at the last review has not been started.',
  'There has been no core group meeting since the conference.',
  'Statutory visits have not taken place within timescales.',
  'The plan does not say how the risks identified will be reduced.',
  'The referral for therapeutic support agreed at the review has not been made.',
  'The child has had three changes of social worker in six months and has not been seen alone.',
]
