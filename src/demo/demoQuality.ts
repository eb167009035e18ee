import { londonDate } from '../clock.js'
import { SettableClock } from '../clock.js'
import {
  addCalendarDays,
  addWorkingDays,
  compareIsoDates,
  holidayName,
  type IsoDate,
  isWorkingDay,
  parseIsoDate,
} from '../domain/calendar/workingDays.js'
import { type CheckKind, checkOutcomes, checkStatuses, headingsFor } from '../domain/quality/progressChecks.js'
import type { Child } from '../db/repositories/childRepository.js'
import type { CurrentUser } from '../services/accessService.js'
import { type Services, services as buildServices } from '../services/index.js'
import { argon2Hasher } from '../services/passwords.js'
import { DEMO_ACCOUNT_EMAILS } from './demoAuthority.js'

export interface DemoQualityCounts {
  notes: number
  checks: number
  notices: number
}

const ACCESS = { path: '/demo', ip: null }

/**
 * Gives the demo authority good practice notes (siblings together, about a team, a reciprocal note
 * about a reviewer, concerns about reviewers), progress checks (on time, late, and some due and
 * overdue now) and significant-change notices (acknowledged or not, one late across a bank holiday,
 * reviews due and held), by driving the real services with a clock that moves through the past months,
 * as the demo dispute records are made.
 */
export async function loadDemoQuality(live: Services): Promise<DemoQualityCounts> {
  const today = parseIsoDate(londonDate(live.clock.now()))
  const clock = new SettableClock(live.clock.now())
  const s = buildServices(live.db, clock, live.config, argon2Hasher, live.disputes.policies(), { mailer: live.mailer })
  const setDay = (d: IsoDate) => clock.set(new Date(`${d}T10:00:00Z`))
  const user = async (personId: number): Promise<CurrentUser> => (await s.access.currentUser(personId))!
  const byEmail = async (email: string) =>
    (await s.organisation.people({ search: email, limit: 1, offset: 0 })).people[0]!
  const counts: DemoQualityCounts = { notes: 0, checks: 0, notices: 0 }

  const iro = await user((await byEmail(DEMO_ACCOUNT_EMAILS.iro)).id)
  const cpChair = await user((await byEmail(DEMO_ACCOUNT_EMAILS.cp_chair)).id)
  const socialWorker = await user((await byEmail(DEMO_ACCOUNT_EMAILS.social_worker)).id)
  const teamManager = await user((await byEmail(DEMO_ACCOUNT_EMAILS.team_manager)).id)
  const caseload = async (reviewer: CurrentUser, kind: CheckKind): Promise<Child[]> =>
    (await s.children.list(reviewer, { limit: 500, offset: 0 })).children.filter(c =>
      kind === 'iro'
        ? c.iroId === reviewer.person.id && c.lookedAfterStart !== null && c.socialWorkerId !== null
        : c.cpChairId === reviewer.person.id && c.cpPlanStart !== null && c.socialWorkerId !== null,
    )
  const iroChildren = await caseload(iro, 'iro')
  const cpChildren = await caseload(cpChair, 'cp_chair')
  const acknowledgeAll = async (personId: number, noteId: number) => {
    const who = await user(personId)
    const view = await s.notes.view(who, noteId, ACCESS)
    if (view.openItemId !== undefined) await s.work.acknowledge(who, view.openItemId)
  }

  // ---- Good practice notes ----------------------------------------------------------------------------------

  setDay(addCalendarDays(today, -40))
  const siblingGroup = iroChildren.find(
    c => c.siblingGroupId !== null && iroChildren.filter(o => o.siblingGroupId === c.siblingGroupId).length > 1,
  )
  if (siblingGroup) {
    const group = iroChildren.filter(o => o.siblingGroupId === siblingGroup.siblingGroupId)
    const { ids } = await s.notes.write(iro, {
      childIds: group.map(c => c.id),
      about: 'social_worker',
      categoryKey: 'participation',
      goodPractice:
        'Saw the brothers and sisters together and alone every fortnight, and brought their views to the review in their own words.',
      impact: 'The children took part in their review for the first time and asked to keep meeting as a group.',
    })
    counts.notes += ids.length
    setDay(addCalendarDays(today, -38))
    // The first child's social worker and team manager have read it; the others' are still in their inboxes.
    const view = await s.notes.view(iro, ids[0]!, ACCESS)
    for (const r of view.recipients) await acknowledgeAll(r.personId, ids[0]!)
  }
  const single: [CurrentUser, Child | undefined][] = [
    [iro, iroChildren.find(c => c.siblingGroupId === null) ?? iroChildren[0]],
    [cpChair, cpChildren[0]],
    [cpChair, cpChildren[1]],
  ]
  for (const [index, [reviewer, child]] of single.entries()) {
    if (!child) continue
    setDay(addCalendarDays(today, -30 + index * 9))
    const { ids } = await s.notes.write(reviewer, {
      childIds: [child.id],
      about: index === 1 ? 'team' : 'social_worker',
      categoryKey: ['safety_wellbeing', 'key_decision_making', 'resources'][index]!,
      goodPractice: [
        'A clear safety plan written with the family, shared the same day with everyone in the core group.',
        'The team kept the plan moving through a change of social worker: nothing agreed at conference was lost.',
        'Secured a specialist placement within a week of the need being agreed.',
      ][index]!,
      impact: [
        'The child is safer at home and knows who to call.',
        'The family did not have to tell their story again.',
        'The child stayed at their school.',
      ][index]!,
    })
    counts.notes += ids.length
    if (index === 0) {
      setDay(addCalendarDays(today, -28))
      await acknowledgeAll(child.socialWorkerId!, ids[0]!)
    }
  }

  // A practitioner thanks the demo IRO (a reciprocal note), and concerns about reviewers go to their manager.
  setDay(addCalendarDays(today, -20))
  const reciprocal = await s.notes.sendReciprocal(socialWorker, {
    reviewerId: iro.person.id,
    categoryKey: 'key_decision_making',
    goodPractice: 'Chaired a difficult review calmly and made sure the child’s voice was heard first.',
    impact: 'The carers felt listened to and the placement is more settled.',
  })
  counts.notes++
  await acknowledgeAll(iro.person.id, reciprocal)
  setDay(addCalendarDays(today, -15))
  const resolved = await s.notes.raiseConcern(teamManager, {
    reviewerId: cpChair.person.id,
    route: 'conference_complaints',
    concern: 'The review conference went ahead without the social work report being considered.',
    caseId: cpChildren[0]?.caseId ?? null,
  })
  counts.notes++
  setDay(addCalendarDays(today, -12))
  const manager = (await s.notes.reviewer(teamManager, cpChair.person.id)).manager
  if (manager) {
    const managerUser = await user(manager.id)
    const note = (await s.notes.view(managerUser, resolved, ACCESS)).note
    await s.notes.resolveConcern(managerUser, resolved, note.version, {
      outcome: 'We met with the chair and the team manager; the report will be circulated before every conference.',
      resolved: true,
      formalRoute: null,
    })
  }
  setDay(addCalendarDays(today, -3))
  await s.notes.raiseConcern(socialWorker, {
    reviewerId: iro.person.id,
    route: 'escalation_policy',
    concern: 'The review recommendations were not shared with the social worker before they went to the family.',
    caseId: null,
  })
  counts.notes++

  // ---- Progress checks --------------------------------------------------------------------------------------

  // For each reviewer's first children: some with every check of the last eighteen months on time, some
  // late, some with the latest check never held (now overdue). Every other child is left as it is.
  const since = addCalendarDays(today, -540)
  for (const [reviewer, kind, children] of [
    [iro, 'iro', iroChildren.slice(0, 9)],
    [cpChair, 'cp_chair', cpChildren.slice(0, 9)],
  ] as const) {
    for (const [index, child] of children.entries()) {
      const start = (kind === 'iro' ? child.lookedAfterStart : child.cpPlanStart) as IsoDate
      const past = checkStatuses(start, [], today).filter(
        slot => compareIsoDates(slot.dueOn, today) < 0 && compareIsoDates(slot.dueOn, since) >= 0,
      )
      const pattern = index % 3 // 0: on time; 1: the last one late; 2: the last one never held
      const held = pattern === 2 ? past.slice(0, -1) : past
      for (const [n, slot] of held.entries()) {
        const late = pattern === 1 && n === held.length - 1
        let heldOn = late ? addCalendarDays(slot.dueOn, 12) : addCalendarDays(slot.dueOn, -10)
        if (compareIsoDates(heldOn, start) < 0) heldOn = start
        if (compareIsoDates(heldOn, today) > 0) heldOn = today
        setDay(heldOn)
        await s.quality.recordCheck(reviewer, child.id, {
          kind,
          heldOn,
          answers: Object.fromEntries(
            headingsFor(kind).map(h => [h.key, CHECK_ANSWERS[h.key] ?? 'Discussed; no concerns.']),
          ),
          outcome: checkOutcomes[(index + n) % 3]!,
        })
        counts.checks++
      }
    }
  }

  // ---- Significant-change notices ---------------------------------------------------------------------------

  const calendar = await s.calendar.calendar()
  const send = async (
    child: Child,
    kind: string,
    occurredOn: IsoDate,
    sentOn: IsoDate,
    details: string,
  ): Promise<number> => {
    setDay(sentOn)
    const audience = kind in CP_KINDS ? 'cp_chair' : 'iro'
    const id = await s.quality.sendNotice(await user(child.socialWorkerId!), child.id, {
      audience,
      kind,
      occurredOn,
      details,
    })
    counts.notices++
    return id
  }
  const acknowledge = async (reviewer: CurrentUser, id: number, on: IsoDate, reviewDueOn?: IsoDate) => {
    setDay(on)
    const notice = (await s.quality.viewNotice(reviewer, id, ACCESS)).notice
    await s.quality.acknowledgeNotice(reviewer, id, reviewDueOn ? { version: notice.version, reviewDueOn } : undefined)
  }
  const workingDayBefore = (d: IsoDate) => {
    let day = addCalendarDays(d, -1)
    while (!isWorkingDay(calendar, day)) day = addCalendarDays(day, -1)
    return day
  }

  const [a, b, c, d] = iroChildren.slice(9)
  const [e, f] = cpChildren.slice(9)
  // Told the same day and acknowledged.
  if (a) {
    const day = workingDayBefore(addCalendarDays(today, -20))
    const id = await send(a, 'school_exclusion', day, day, 'Excluded for two days after an incident in class.')
    await acknowledge(iro, id, addWorkingDays(calendar, day, 1))
  }
  // A change to the plan: the policy asks for a review within 4 weeks, still to be held.
  if (b) {
    const day = workingDayBefore(addCalendarDays(today, -10))
    const id = await send(
      b,
      'plan_change',
      day,
      addWorkingDays(calendar, day, 1),
      'The plan is now long-term fostering.',
    )
    await acknowledge(iro, id, addWorkingDays(calendar, day, 2))
  }
  // Late across the most recent bank holiday: the event the working day before it, the notice two working days after.
  let holiday = addCalendarDays(today, -7)
  while (compareIsoDates(holiday, addCalendarDays(today, -400)) > 0 && holidayName(calendar, holiday) === undefined)
    holiday = addCalendarDays(holiday, -1)
  if (c && holidayName(calendar, holiday) !== undefined) {
    const occurredOn = workingDayBefore(holiday)
    await send(c, 'placement_change', occurredOn, addWorkingDays(calendar, holiday, 2), 'The carers gave notice.')
  }
  // Not yet acknowledged.
  if (d) {
    const day = workingDayBefore(today)
    await send(d, 'missing_from_care', day, today, 'Missing overnight; returned the next morning.')
  }
  // For children on plans: one the chair asks a review for, one whose review was held.
  if (e) {
    const day = workingDayBefore(addCalendarDays(today, -14))
    const id = await send(e, 'concerns_increased', day, day, 'Police called to the home twice this week.')
    await acknowledge(cpChair, id, addWorkingDays(calendar, day, 1), addCalendarDays(today, 7))
  }
  if (f) {
    const day = workingDayBefore(addCalendarDays(today, -45))
    const id = await send(f, 'concerns_decreased', day, day, 'Father has completed the programme.')
    const reviewOn = addWorkingDays(calendar, day, 10)
    await acknowledge(cpChair, id, addWorkingDays(calendar, day, 1), reviewOn)
    setDay(reviewOn)
    const notice = (await s.quality.viewNotice(cpChair, id, ACCESS)).notice
    await s.quality.recordReviewHeld(cpChair, id, notice.version, reviewOn)
  }
  return counts
}

/** The notices below from the CP chair's list; the rest are from the IRO's. */
const CP_KINDS: Record<string, true> = { concerns_increased: true, concerns_decreased: true }

const CHECK_ANSWERS: Record<string, string> = {
  discussion: 'Spoke with the social worker and the carers; saw the child at school.',
  audits: 'No audits or escalations in the period.',
  actionsProgress: 'Most actions from the review are done; the health assessment is booked.',
  recordUpToDate: 'Yes: visits and the plan are up to date.',
  safeEnough: 'Yes.',
  permanence: 'Not yet: long-term fostering is being matched.',
  agreedActions: 'Life story work to start by the end of the month (social worker).',
  planProgress: 'The plan is on track; the parenting assessment is under way.',
  coreGroups: 'Core groups held monthly and minuted.',
  visits: 'Visits every ten working days; the child was seen alone.',
  childVoice: 'The child’s wishes are recorded in their own words.',
  riskReduced: 'Somewhat: no incidents since the conference.',
}
