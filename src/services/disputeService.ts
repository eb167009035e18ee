import type { Clock } from '../clock.js'
import { type Calendar, compareIsoDates, type IsoDate } from '../domain/calendar/workingDays.js'
import type { Channel, Dispute } from '../domain/dispute/dispute.js'
import { isOnRecord } from '../domain/dispute/onRecord.js'
import {
  apply,
  availableCommands,
  type Command,
  type DisputeEvent,
  type MachineContext,
  raise,
  type Relation,
  type StagePeople,
} from '../domain/dispute/stateMachine.js'
import {
  chainRoles,
  type ReviewerPlacement,
  type RoleKey,
  responsiblePerson,
  type Unit,
} from '../domain/organisation.js'
import type { Policy, PolicyStage } from '../domain/policies/policy.js'
import { findPolicy, policiesInForce } from '../domain/policies/policyCatalogue.js'
import type { Database, Queryable } from '../db/database.js'
import { recordChildAccess } from '../db/repositories/auditRepository.js'
import { type Child, findVisibleChild } from '../db/repositories/childRepository.js'
import {
  type DisputeDetails,
  type DisputeRecord,
  discussionsFor,
  disputesForChild,
  linkedAwaitingPreApprovalBy,
  disputesInSet,
  findDispute,
  findVisibleDispute,
  insertDiscussion,
  lockChildren,
  lockDispute,
  sameDiscussionLogged,
  sameRaiseStillOpen,
  insertDispute,
  listVisibleDisputes,
  newDisputeSet,
  saveDisputeState,
  type DisputeQuery,
  disputeReference,
} from '../db/repositories/disputeRepository.js'
import { appendEvent, eventsForEntity } from '../db/repositories/eventRepository.js'
import { findPerson } from '../db/repositories/personRepository.js'
import { allUnits } from '../db/repositories/unitRepository.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { formatDate } from '../text/format.js'
import type { CurrentUser } from './accessService.js'
import type { CalendarService } from './calendarService.js'
import type { NotificationService } from './notifications/notificationService.js'
import { workItemsFor } from '../domain/dispute/workItems.js'
import { openNoticesOnDispute, syncWorkItems } from '../db/repositories/workItemRepository.js'
import { ConflictError, DisputeRefusedError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'

export interface RaiseValue extends DisputeDetails {
  childIds: number[]
  policyId: string
  startStageKey: string
  becameAwareOn: IsoDate
  agreedDueOn?: IsoDate
  preApproval?: { byPersonId: number; on: IsoDate; note: string }
}

export interface DiscussionValue {
  channel: Channel
  heldOn: IsoDate
  participants: string
  summary: string
  meeting: Record<string, string> | null
}

const m = errorMessages.dispute

/** Which reviewer role the person raises as, for a policy: IRO or CP chair. */
function reviewerRoleFor(user: CurrentUser, policy?: Policy): 'iro' | 'cp_chair' | undefined {
  const held = (['iro', 'cp_chair'] as const).filter(r => user.roles.includes(r))
  return policy ? held.find(r => policy.reviewerRoles.includes(r)) : held[0]
}

export function disputeService(
  db: Database,
  clock: Clock,
  calendars: CalendarService,
  policies: readonly Policy[],
  notifications: NotificationService,
) {
  /** The chain facts a record needs, read once per operation. */
  async function chainFor(
    q: Queryable,
    child: Pick<Child, 'teamId' | 'socialWorkerId' | 'iroId' | 'cpChairId'>,
    reviewerId: number,
  ) {
    const units = new Map<number, Unit>(
      (await allUnits(q)).map(u => [u.id, { id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId }]),
    )
    const reviewer = await findPerson(q, reviewerId)
    const placement: ReviewerPlacement = { reviewerUnitId: reviewer?.unitId ?? null }
    const people = (roles: readonly RoleKey[]) => [
      ...new Set(
        roles.map(r => responsiblePerson(r, child, units, placement)).filter((id): id is number => id !== null),
      ),
    ]
    return {
      stagePeople: (stage: PolicyStage): StagePeople => {
        const responsible = people(stage.responsibleRoles)
        return {
          responsiblePersonIds: responsible,
          copiedPersonIds: people(stage.copiedRoles).filter(id => !responsible.includes(id)),
        }
      },
      people,
      /** Each role on the chain with the person in post (a vacant post left out), in the roles' order. */
      roster: () =>
        chainRoles.flatMap(role => {
          const personId = responsiblePerson(role, child, units, placement)
          return personId === null ? [] : [{ role, personId }]
        }),
    }
  }

  /** The managers on a record's chain who may give its pre-approval (none if its policy asks none). */
  const preApproversOn = (chain: Awaited<ReturnType<typeof chainFor>>, policy: Policy) =>
    policy.rules.preApproval ? chain.people(policy.rules.preApproval.byRoles) : []

  async function context(
    q: Queryable,
    calendar: Calendar,
    user: CurrentUser,
    policy: Policy,
    child: Child,
    state: Pick<Dispute, 'ownerId' | 'stages' | 'actions'> | undefined,
    discussions: readonly Channel[] = [],
  ): Promise<MachineContext & { relations: Relation[]; actionOwners: { role: RoleKey; personId: number }[] }> {
    const chain = await chainFor(q, child, state?.ownerId ?? user.person.id)
    const actionOwners = chain.roster()
    const preApproverIds = preApproversOn(chain, policy)
    const me = user.person.id
    const relations: Relation[] = []
    if (state) {
      if (state.ownerId === me) relations.push('owner')
      if (state.stages.at(-1)?.responsiblePersonIds.includes(me)) relations.push('responsible')
      if (state.actions.some(a => a.ownerId === me)) relations.push('action_owner')
      if (state.stages.some(s => s.responsiblePersonIds.includes(me) || s.copiedPersonIds.includes(me)))
        relations.push('participant')
    } else relations.push('owner')
    if (preApproverIds.includes(me)) relations.push('pre_approver', 'participant')
    return {
      policy,
      calendar,
      today: calendars.today(),
      actor: { personId: me, relations },
      stagePeople: chain.stagePeople,
      preApproverIds,
      discussionsThisStage: discussions,
      cafcassInformIds: chain.people(policy.rules.cafcass.inform as RoleKey[]),
      actionOwnerIds: [...new Set(actionOwners.map(o => o.personId))],
      actionOwners,
      relations,
    }
  }

  function policyOf(record: { state: Dispute }): Policy {
    const policy = findPolicy(policies, record.state.policyId, record.state.policyVersion)
    if (!policy) throw new Error(`policy ${record.state.policyId} v${record.state.policyVersion} is not loaded`)
    return policy
  }

  async function visibleChild(user: CurrentUser, id: number): Promise<Child> {
    const child = await findVisibleChild(db, user.scope, id)
    if (!child) throw new NotFoundError()
    return child
  }

  async function appendAll(
    tx: Queryable,
    user: CurrentUser,
    record: { id: number; childId: number },
    events: { kind: string; data: Record<string, unknown> }[],
    at: Date,
  ) {
    for (const e of events) {
      await appendEvent(tx, {
        at,
        actorId: user.person.id,
        entityType: 'dispute',
        entityId: record.id,
        childId: record.childId,
        kind: e.kind,
        data: e.data,
      })
    }
  }

  /**
   * Applies one command to one record inside the caller's transaction: reads it (refusing a conflict when
   * `version` is given and is not the one read), checks and applies the command, saves the state with
   * its events, and brings the inbox and the emails into line with it.
   */
  async function applyCommand(
    tx: Queryable,
    calendar: Calendar,
    user: CurrentUser,
    step: { id: number; version: number | null; child: Child },
    command: Command,
  ) {
    const { id, child } = step
    const current = await findDispute(tx, id)
    if (!current || (step.version !== null && current.version !== step.version)) throw new ConflictError()
    const version = current.version
    const discussions = (await discussionsFor(tx, id))
      .filter(d => d.stageKey === current.state.stages.at(-1)?.stageKey)
      .map(d => d.channel as Channel)
    const ctx = await context(tx, calendar, user, policyOf(current), child, current.state, discussions)
    const outcome = apply(current.state, command, ctx)
    if (!outcome.ok) throw new DisputeRefusedError(outcome.refusal)
    const at = clock.now()
    if (!(await saveDisputeState(tx, id, version, outcome.dispute, at))) throw new ConflictError()
    await appendAll(tx, user, current, outcome.events, at)
    await inboxAndEmailsFollow(
      tx,
      { id, reference: disputeReference(id), child },
      ctx,
      current.state,
      outcome,
      version + 1,
      at,
    )
    return outcome.dispute
  }

  /** The inbox and the emails change with the record, in the transaction that changes it. */
  async function inboxAndEmailsFollow(
    tx: Queryable,
    record: { id: number; reference: string; child: Child },
    ctx: MachineContext,
    before: Dispute | undefined,
    outcome: { dispute: Dispute; events: DisputeEvent[] },
    version: number,
    at: Date,
  ) {
    const { id, reference, child } = record
    await syncWorkItems(tx, id, child.id, workItemsFor(outcome.dispute, ctx.preApproverIds, ctx.policy), at)
    await notifications.queueForDispute(
      tx,
      {
        id,
        reference,
        childId: child.id,
        caseId: child.caseId,
        policy: ctx.policy,
        preApproverIds: ctx.preApproverIds,
      },
      before,
      outcome.dispute,
      outcome.events,
      version,
      at,
    )
  }

  return {
    policies: () => policies,

    /**
     * Who holds each of these roles on a child's chain (the reviewer's line for reviewing-service
     * roles), for forms that name them before anything is saved: pre-approvers, CAFCASS recipients.
     */
    async holdersOnChain(
      user: CurrentUser,
      childId: number,
      roles: readonly RoleKey[],
      reviewerId: number,
    ): Promise<{ role: RoleKey; personId: number }[]> {
      const child = await visibleChild(user, childId)
      const chain = await chainFor(db, child, reviewerId)
      return roles.flatMap(role => chain.people([role]).map(personId => ({ role, personId })))
    },

    /** The policies a reviewer may raise under today. */
    policiesFor(user: CurrentUser): Policy[] {
      const today = calendars.today()
      return (['iro', 'cp_chair'] as const)
        .filter(r => user.roles.includes(r))
        .flatMap(r => policiesInForce(policies, today, r))
        .filter((p, i, all) => all.findIndex(q => q.id === p.id) === i)
    },

    /**
     * Raises one linked record for each child (siblings), in one transaction. The same raise sent again
     * while its records are open (the back button, a double click) gives those records, `alreadyRaised`.
     */
    async raise(user: CurrentUser, value: RaiseValue): Promise<{ ids: number[]; alreadyRaised?: true }> {
      const today = calendars.today()
      const policy = this.policiesFor(user).find(p => p.id === value.policyId)
      if (!reviewerRoleFor(user))
        throw new ForbiddenError('Only an IRO or a child protection conference chair can raise a dispute')
      if (!policy) throw new ValidationError([{ field: 'policyId', message: m.policyId.unknown }])
      const reviewerRole = reviewerRoleFor(user, policy)!
      if (!policy.categories.some(c => c.key === value.categoryKey))
        throw new ValidationError([{ field: 'categoryKey', message: m.categoryKey.required }])
      if (compareIsoDates(value.becameAwareOn, today) > 0)
        throw new ValidationError([{ field: 'becameAwareOn', message: m.becameAwareOn.future }])
      const children = await Promise.all(value.childIds.map(id => visibleChild(user, id)))
      if (children.length > 1) {
        const group = children[0]!.siblingGroupId
        if (group === null || children.some(c => c.siblingGroupId !== group))
          throw new ValidationError([{ field: 'childIds', message: m.childIds.notSiblings }])
      }
      // Read before the transaction: PGlite has one connection, and the transaction holds it.
      const calendar = await calendars.calendar()
      return db.transaction(async tx => {
        const childIds = children.map(c => c.id)
        await lockChildren(tx, childIds)
        const earlier = await sameRaiseStillOpen(tx, {
          childIds,
          reviewerId: user.person.id,
          policyId: policy.id,
          concern: value.concern,
        })
        if (earlier) return { ids: earlier, alreadyRaised: true as const }
        const at = clock.now()
        const setId = await newDisputeSet(tx, at)
        const ids: number[] = []
        for (const child of children) {
          const ctx = await context(tx, calendar, user, policy, child, undefined)
          const outcome = raise(
            {
              policy,
              ownerId: user.person.id,
              reviewerRole,
              startStageKey: value.startStageKey,
              becameAwareOn: value.becameAwareOn,
              reason: value.concern,
              agreedDueOn: value.agreedDueOn,
              preApproval: value.preApproval,
            },
            ctx,
          )
          if (!outcome.ok) throw new DisputeRefusedError(outcome.refusal)
          const details: DisputeDetails = {
            categoryKey: value.categoryKey,
            concern: value.concern,
            impact: value.impact,
            wishesAndFeelings: value.wishesAndFeelings,
            recommendedResolution: value.recommendedResolution,
            resolutionTimescale: value.resolutionTimescale,
          }
          const { id, reference } = await insertDispute(
            tx,
            { childId: child.id, disputeSetId: setId, details, state: outcome.dispute },
            at,
          )
          await inboxAndEmailsFollow(tx, { id, reference, child }, ctx, undefined, outcome, 1, at)
          await appendAll(
            tx,
            user,
            { id, childId: child.id },
            [
              {
                ...outcome.events[0]!,
                data: { ...outcome.events[0]!.data, categoryKey: value.categoryKey, siblings: children.length },
              },
              ...outcome.events.slice(1),
            ],
            at,
          )
          ids.push(id)
        }
        return { ids }
      })
    },

    list: (user: CurrentUser, q: DisputeQuery) => listVisibleDisputes(db, user.scope, q),

    /** A record with everything its page shows; viewing it is audited like the child's page. */
    async view(user: CurrentUser, id: number, access: { path: string; ip: string | null; action?: string }) {
      const record = await findVisibleDispute(db, user.scope, id)
      if (!record) throw new NotFoundError()
      const child = await findVisibleChild(db, user.scope, record.childId)
      if (!child) throw new NotFoundError()
      await recordChildAccess(db, {
        at: clock.now(),
        personId: user.person.id,
        childId: child.id,
        path: access.path,
        ip: access.ip,
        action: access.action ?? 'view dispute',
      })
      const policy = policyOf(record)
      const [discussions, events, set, ctx, noticesToAcknowledge] = await Promise.all([
        discussionsFor(db, id),
        eventsForEntity(db, 'dispute', id, 500),
        disputesInSet(db, user.scope, record.disputeSetId),
        context(db, await calendars.calendar(), user, policy, child, record.state),
        openNoticesOnDispute(db, id, user.person.id),
      ])
      const personIds = new Set<number>([record.state.ownerId])
      for (const s of record.state.stages)
        for (const p of [...s.responsiblePersonIds, ...s.copiedPersonIds]) personIds.add(p)
      for (const a of record.state.actions) personIds.add(a.ownerId)
      for (const p of [...record.state.preApprovals, ...record.state.declinedPreApprovals]) personIds.add(p.byPersonId)
      for (const p of ctx.preApproverIds) personIds.add(p)
      return {
        record,
        child,
        policy,
        discussions,
        events,
        siblings: set.filter(s => s.id !== id),
        relations: ctx.relations,
        /** Who the response's plan may give actions to, with the role that puts each on the chain. */
        actionOwners: ctx.actionOwners,
        preApproverIds: ctx.preApproverIds,
        personIds: [...personIds],
        commands: availableCommands(record.state, policy),
        mayLogDiscussion:
          record.state.status !== 'finalised' && isOnRecord(record.state, user.person.id, ctx.preApproverIds),
        calendar: ctx.calendar,
        today: ctx.today,
        /** The viewer's copies of this record still to acknowledge: they can be, here as in My work. */
        noticesToAcknowledge,
      }
    },

    /**
     * One lifecycle step: load, check, apply, save with the version read, append the events; all in one
     * transaction. A pre-approval may be given for linked records too (siblings raised together, each
     * waiting for this person's pre-approval: `linkedAwaitingPreApproval`), and a reviewer's request for
     * it withdrawn for their linked records, in the same transaction, so the set moves on together or not
     * at all.
     */
    async act(
      user: CurrentUser,
      id: number,
      version: number,
      command: Command,
      alsoForIds: readonly number[] = [],
    ): Promise<Dispute> {
      const record = await findVisibleDispute(db, user.scope, id)
      if (!record) throw new NotFoundError()
      if (alsoForIds.length > 0 && command.type !== 'approve' && command.type !== 'withdraw_request')
        throw new Error('only a pre-approval is given, or a request for it withdrawn, for linked records')
      const awaiting = alsoForIds.length
        ? await this.linkedAwaitingPreApproval(
            user,
            record,
            command.type === 'withdraw_request' ? 'owner' : 'pre_approver',
          )
        : []
      if (alsoForIds.some(other => !awaiting.some(a => a.id === other)))
        throw new DisputeRefusedError('linked_not_awaiting')
      const steps = [
        { id, version: version as number | null, child: await visibleChild(user, record.childId) },
        ...(await Promise.all(
          alsoForIds.map(async other => ({
            id: other,
            version: null, // as it is now: it is refused below unless still waiting for this pre-approval
            child: await visibleChild(user, awaiting.find(a => a.id === other)!.childId),
          })),
        )),
      ]
      const calendar = await calendars.calendar()
      // The record's state after the step (of the record asked for, not the linked ones).
      return db.transaction(async tx => {
        const after = await applyCommand(tx, calendar, user, steps[0]!, command)
        for (const step of steps.slice(1)) await applyCommand(tx, calendar, user, step, command)
        return after
      })
    },

    /**
     * The other records raised with this one (siblings) that wait, as it does, for this person's
     * pre-approval to reach the same stage: of a record the caller has already read as visible to them.
     */
    async linkedAwaitingPreApproval(
      user: CurrentUser,
      record: Pick<DisputeRecord, 'id' | 'disputeSetId' | 'state'>,
      as: 'pre_approver' | 'owner' = 'pre_approver',
    ) {
      const pending = record.state.pending
      if (!pending || record.state.phase !== 'awaiting_pre_approval') return []
      return linkedAwaitingPreApprovalBy(
        db,
        user.scope,
        user.person.id,
        { id: record.id, setId: record.disputeSetId, pendingStageKey: pending.stageKey },
        as,
      )
    },

    /** Discussions are appended to the log (never edited), by anyone who can see the record, until it is finalised. */
    async logDiscussion(user: CurrentUser, id: number, value: DiscussionValue): Promise<void> {
      const record = await findVisibleDispute(db, user.scope, id)
      if (!record) throw new NotFoundError()
      if (record.state.status === 'finalised') throw new DisputeRefusedError('locked')
      const child = await visibleChild(user, record.childId)
      const preApproverIds = preApproversOn(await chainFor(db, child, record.state.ownerId), policyOf(record))
      if (!isOnRecord(record.state, user.person.id, preApproverIds)) throw new DisputeRefusedError('not_allowed')
      if (compareIsoDates(value.heldOn, calendars.today()) > 0)
        throw new ValidationError([{ field: 'heldOn', message: m.heldOn.future }])
      // Logged at the current stage, where it counts towards escalating, so not held before it began. At
      // the stage the record was raised at, the concern began when the reviewer became aware of it: a
      // discussion then, before the record was written, is often the first stage itself.
      const { stages, becameAwareOn } = record.state
      const [earliest, tooEarly] =
        stages.length > 1 ? [stages.at(-1)!.enteredOn, m.heldOn.beforeStage] : [becameAwareOn, m.heldOn.beforeAware]
      if (compareIsoDates(value.heldOn, earliest) < 0)
        throw new ValidationError([{ field: 'heldOn', message: tooEarly(formatDate(earliest)) }])
      await db.transaction(async tx => {
        // The same words sent twice (a double click, the back button) are logged once.
        const stageKey = record.state.stages.at(-1)?.stageKey ?? null
        const discussion = { ...value, stageKey }
        await lockDispute(tx, id)
        if (await sameDiscussionLogged(tx, id, discussion, user.person.id)) return
        const at = clock.now()
        const discussionId = await insertDiscussion(tx, id, discussion, user.person.id, at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'dispute',
          entityId: id,
          childId: record.childId,
          kind: 'dispute.discussion_logged',
          data: { discussionId, channel: value.channel, heldOn: value.heldOn, stageKey },
        })
      })
    },

    /** The records on a child's page: visible exactly when the child is. */
    async forChild(user: CurrentUser, childId: number): Promise<DisputeRecord[]> {
      await visibleChild(user, childId)
      return disputesForChild(db, childId)
    },
  }
}

export type DisputeService = ReturnType<typeof disputeService>
