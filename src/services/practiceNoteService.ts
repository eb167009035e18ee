import type { Clock } from '../clock.js'
import { queueEmails } from './notifications/queueEmails.js'
import type { Config } from '../config.js'
import { type ChildAllocation, ancestry, responsiblePerson, type Unit } from '../domain/organisation.js'
import policyA from '../domain/policies/data/gloucestershire-2022.v1.json' with { type: 'json' }
import type { Database, Queryable } from '../db/database.js'
import { recordChildAccess } from '../db/repositories/auditRepository.js'
import { type Child, findVisibleChild } from '../db/repositories/childRepository.js'
import { appendEvent, eventsForEntity } from '../db/repositories/eventRepository.js'
import {
  addNoteItem,
  type ConcernRoute,
  findVisibleNote,
  type FormalRoute,
  insertNote,
  insertRecipients,
  listPersonalNotes,
  newNoteSet,
  type NoteRecipient,
  noteReference,
  notesAboutPerson,
  notesForChild,
  notesInSet,
  type NoteViewer,
  openNoticeFor,
  type PracticeNote,
  recipientsOf,
  saveResolution,
} from '../db/repositories/practiceNoteRepository.js'
import { findPerson, type Person } from '../db/repositories/personRepository.js'
import { allUnits } from '../db/repositories/unitRepository.js'
import { completeSubjectItems } from '../db/repositories/workItemRepository.js'
import { errorMessages } from '../i18n/errorMessages.js'
import { type CurrentUser, isAdmin } from './accessService.js'
import type { AccessContext } from './childService.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import { type EmailText, SIGN_OFF } from './notifications/emailText.js'

/**
 * The categories of practice quality (seed 004, section 5.1): the same keys and names as policy A's
 * categories of concern, so good practice and concerns are counted alike.
 */
export const practiceCategories: readonly { key: string; name: string; description?: string }[] = policyA.categories

/** Who a good practice note is about: the child's social worker (the default) or the child's team. */
export const noteSubjects = ['social_worker', 'team'] as const
export type NoteSubject = (typeof noteSubjects)[number]

/** The two routes for a concern about a reviewer's practice (seed 004, section 6). */
export const concernRouteNames: Record<ConcernRoute, { name: string; description: string }> = {
  escalation_policy: {
    name: 'Partnership escalation policy',
    description: 'Professional decision-making and practice',
  },
  conference_complaints: {
    name: 'Complaints in relation to child protection conferences',
    description: 'The process, outcome or threshold decision of a conference',
  },
}

/** Where a concern goes formally when it is not resolved informally. */
export const formalRouteNames: Record<FormalRoute, string> = {
  complaints: 'Complaints process',
  grievance: 'Grievance process',
  whistleblowing: 'Whistleblowing process',
}

/** What each inbox item about a note asks. */
export const noteWorkKinds = {
  note: 'practice_note',
  copy: 'practice_note_copy',
  concern: 'practice_concern',
} as const

export interface NoteValue {
  childIds: number[]
  about: NoteSubject
  categoryKey: string
  goodPractice: string
  impact: string
}

export interface ReciprocalValue {
  reviewerId: number
  categoryKey: string
  goodPractice: string
  /** The benefit to the child and/or their family. */
  impact: string
}

export interface ConcernValue {
  reviewerId: number
  route: ConcernRoute
  concern: string
  /** For context only: never looked up, never linked to the child's record. */
  caseId: string | null
}

export interface ResolutionValue {
  outcome: string
  resolved: boolean
  formalRoute: FormalRoute | null
}

const m = errorMessages.notes
const SUBJECT = 'practice_note'

const isReviewerRole = (roles: readonly string[]) => roles.includes('iro') || roles.includes('cp_chair')

/** Reviewing-service roles follow the reviewer's own line: the child's allocation is not consulted for them. */
const noChild: ChildAllocation = { teamId: -1, socialWorkerId: null, iroId: null, cpChairId: null }

export function practiceNoteService(db: Database, clock: Clock, config: Pick<Config, 'baseUrl'>) {
  const link = (id: number) => `${config.baseUrl}/notes/${id}`
  const categoryName = (key: string | null) => practiceCategories.find(c => c.key === key)?.name ?? ''

  function viewerOf(user: CurrentUser): NoteViewer {
    return {
      personId: user.person.id,
      admin: isAdmin(user),
      managedUnitIds: user.viewer.managedUnits.map(u => u.id),
      scope: user.scope,
    }
  }

  async function unitMap(q: Queryable): Promise<Map<number, Unit>> {
    return new Map(
      (await allUnits(q)).map(u => [u.id, { id: u.id, kind: u.kind, parentId: u.parentId, managerId: u.managerId }]),
    )
  }

  /** The reviewer's manager: the reviewing service manager of their unit, or the head of service when that post is vacant. */
  function reviewerManager(units: Map<number, Unit>, reviewer: Person): number | null {
    const placement = { reviewerUnitId: reviewer.unitId }
    for (const role of ['reviewing_service_manager', 'head_of_irs'] as const) {
      const id = responsiblePerson(role, noChild, units, placement)
      if (id !== null && id !== reviewer.id) return id
    }
    return null
  }

  async function visibleChild(user: CurrentUser, id: number): Promise<Child> {
    const child = await findVisibleChild(db, user.scope, id)
    if (!child) throw new NotFoundError()
    return child
  }

  /** An active IRO or CP chair, with their manager; anyone else is not a reviewer a note or concern can be about. */
  async function loadReviewer(id: number) {
    const reviewer = await findPerson(db, id)
    if (!reviewer || !reviewer.active || !isReviewerRole(reviewer.roles))
      throw new ValidationError([{ field: 'reviewerId', message: m.reviewerId.unknown }])
    const managerId = reviewerManager(await unitMap(db), reviewer)
    return { reviewer, managerId }
  }

  function checkCategory(key: string) {
    if (!practiceCategories.some(c => c.key === key))
      throw new ValidationError([{ field: 'categoryKey', message: m.categoryKey.required }])
  }

  const queueEmail = queueEmails

  /** Saves a note, who it went to, their inbox items, their emails and the event, in the caller's transaction. */
  async function send(
    tx: Queryable,
    user: CurrentUser,
    note: Parameters<typeof insertNote>[1],
    recipients: NoteRecipient[],
    words: (id: number) => { to: EmailText; copy?: EmailText },
    event: { kind: string; data: Record<string, unknown> },
    at: Date,
  ): Promise<number> {
    const id = await insertNote(tx, note, at)
    await insertRecipients(tx, id, recipients)
    const concern = note.kind === 'concern'
    for (const r of recipients)
      await addNoteItem(
        tx,
        {
          personId: r.personId,
          kind: concern ? noteWorkKinds.concern : r.copy ? noteWorkKinds.copy : noteWorkKinds.note,
          noteId: id,
          childId: note.childId,
          // A note is acknowledged; a concern is a task, done when its informal resolution is recorded.
          needsAck: !concern,
        },
        at,
      )
    const text = words(id)
    const to = recipients.filter(r => !r.copy).map(r => r.personId)
    const copies = recipients.filter(r => r.copy).map(r => r.personId)
    await queueEmail(tx, to, `note${id}:to`, text.to, at)
    if (text.copy) await queueEmail(tx, copies, `note${id}:copy`, text.copy, at)
    await appendEvent(tx, {
      at,
      actorId: user.person.id,
      entityType: 'practice_note',
      entityId: id,
      // Only a good practice note about a child is on the child's history; a concern never is.
      childId: note.kind === 'good_practice' ? note.childId : null,
      kind: event.kind,
      data: { ...event.data, recipientIds: recipients.map(r => r.personId) },
    })
    return id
  }

  /** Everyone it goes to but its author, each once, those it is to before those copied. */
  const addressees = (to: (number | null)[], copied: (number | null)[], authorId: number): NoteRecipient[] => {
    const list: NoteRecipient[] = []
    for (const [ids, copy] of [
      [to, false],
      [copied, true],
    ] as const)
      for (const id of ids)
        if (id !== null && id !== authorId && !list.some(r => r.personId === id)) list.push({ personId: id, copy })
    return list
  }

  return {
    categories: () => practiceCategories,

    /**
     * A reviewer's good practice note about a child's social worker (copying the team manager) or the
     * child's team (to the team manager): one linked note for each child, siblings together.
     */
    async write(user: CurrentUser, value: NoteValue): Promise<{ ids: number[] }> {
      if (!isReviewerRole(user.roles))
        throw new ForbiddenError('Only an IRO or a child protection conference chair can write a good practice note')
      checkCategory(value.categoryKey)
      const childIds = [...new Set(value.childIds)]
      if (childIds.length === 0) throw new ValidationError([{ field: 'childIds', message: m.childIds.required }])
      const children = await Promise.all(childIds.map(id => visibleChild(user, id)))
      if (children.length > 1) {
        const group = children[0]!.siblingGroupId
        if (group === null || children.some(c => c.siblingGroupId !== group))
          throw new ValidationError([{ field: 'childIds', message: m.childIds.notSiblings }])
      }
      const units = await unitMap(db)
      const plans = children.map(child => {
        const teamManagerId = responsiblePerson('team_manager', child, units)
        if (value.about === 'social_worker') {
          if (child.socialWorkerId === null)
            throw new ValidationError([{ field: 'about', message: m.about.noSocialWorker }])
          return {
            child,
            subjectPersonId: child.socialWorkerId,
            subjectUnitId: null,
            subjectName: child.socialWorkerName ?? '',
            recipients: addressees([child.socialWorkerId], [teamManagerId], user.person.id),
          }
        }
        if (teamManagerId === null) throw new ValidationError([{ field: 'about', message: m.about.noTeamManager }])
        return {
          child,
          subjectPersonId: null,
          subjectUnitId: child.teamId,
          subjectName: child.teamName,
          recipients: addressees([teamManagerId], [], user.person.id),
        }
      })
      const author = `${user.person.givenName} ${user.person.familyName}`
      const category = categoryName(value.categoryKey)
      return db.transaction(async tx => {
        const at = clock.now()
        const setId = await newNoteSet(tx, at)
        const ids: number[] = []
        for (const plan of plans) {
          const { child } = plan
          const whose = value.about === 'team' ? 'your team’s practice' : 'your practice'
          const id = await send(
            tx,
            user,
            {
              kind: 'good_practice',
              noteSetId: setId,
              childId: child.id,
              authorId: user.person.id,
              subjectPersonId: plan.subjectPersonId,
              subjectUnitId: plan.subjectUnitId,
              categoryKey: value.categoryKey,
              practice: value.goodPractice,
              impact: value.impact,
              route: null,
              contextCaseId: null,
            },
            plan.recipients,
            noteId => ({
              to: {
                subject: `Good practice note ${noteReference(noteId)}: about ${whose}`,
                body:
                  `${author} has written a good practice note about ${whose} with the child with case ID ${child.caseId}.\n\n` +
                  `Category: ${category}.\n\nRead it and acknowledge it: ${link(noteId)}${SIGN_OFF}`,
              },
              copy: {
                subject: `Good practice note ${noteReference(noteId)}: for your information`,
                body:
                  `${author} has written a good practice note about the practice of ${plan.subjectName} with the child with case ID ${child.caseId}. ` +
                  `You are copied in as their team manager.\n\nCategory: ${category}.\n\nRead it and acknowledge it: ${link(noteId)}${SIGN_OFF}`,
              },
            }),
            {
              kind: 'practice_note.written',
              data: {
                noteKind: 'good_practice',
                categoryKey: value.categoryKey,
                about: value.about,
                subjectPersonId: plan.subjectPersonId,
                subjectUnitId: plan.subjectUnitId,
                siblings: plans.length,
              },
            },
            at,
          )
          ids.push(id)
        }
        return { ids }
      })
    },

    /** Any practitioner's note about an IRO's or CP chair's good practice, to them and their manager. */
    async sendReciprocal(user: CurrentUser, value: ReciprocalValue): Promise<number> {
      const { reviewer, managerId } = await loadReviewer(value.reviewerId)
      if (reviewer.id === user.person.id)
        throw new ForbiddenError('You cannot send a good practice note about yourself')
      checkCategory(value.categoryKey)
      const recipients = addressees([reviewer.id], [managerId], user.person.id)
      const author = `${user.person.givenName} ${user.person.familyName}`
      const reviewerName = `${reviewer.givenName} ${reviewer.familyName}`
      const category = categoryName(value.categoryKey)
      return db.transaction(async tx => {
        const at = clock.now()
        return send(
          tx,
          user,
          {
            kind: 'reciprocal',
            noteSetId: null,
            childId: null,
            authorId: user.person.id,
            subjectPersonId: reviewer.id,
            subjectUnitId: null,
            categoryKey: value.categoryKey,
            practice: value.goodPractice,
            impact: value.impact,
            route: null,
            contextCaseId: null,
          },
          recipients,
          id => ({
            to: {
              subject: `Good practice note ${noteReference(id)}: about your practice`,
              body:
                `${author} has sent you a good practice note about your practice as a reviewer.\n\n` +
                `Category: ${category}.\n\nRead it and acknowledge it: ${link(id)}${SIGN_OFF}`,
            },
            copy: {
              subject: `Good practice note ${noteReference(id)}: for your information`,
              body:
                `${author} has sent a good practice note about the practice of ${reviewerName}, whom you manage. You are copied in.\n\n` +
                `Category: ${category}.\n\nRead it and acknowledge it: ${link(id)}${SIGN_OFF}`,
            },
          }),
          { kind: 'practice_note.written', data: { noteKind: 'reciprocal', categoryKey: value.categoryKey } },
          at,
        )
      })
    },

    /**
     * A concern about a reviewer's practice: recorded and sent to the reviewer's manager only, to be
     * attended to informally first. It never touches a child's record: no child, no event on a child.
     */
    async raiseConcern(user: CurrentUser, value: ConcernValue): Promise<number> {
      const { reviewer, managerId } = await loadReviewer(value.reviewerId)
      if (reviewer.id === user.person.id) throw new ForbiddenError('You cannot raise a concern about yourself')
      if (value.route === 'conference_complaints' && !reviewer.roles.includes('cp_chair'))
        throw new ValidationError([{ field: 'route', message: m.route.conferenceOnly }])
      if (managerId === null) throw new ValidationError([{ field: 'reviewerId', message: m.reviewerId.noManager }])
      const author = `${user.person.givenName} ${user.person.familyName}`
      const reviewerName = `${reviewer.givenName} ${reviewer.familyName}`
      const route = concernRouteNames[value.route]
      return db.transaction(async tx => {
        const at = clock.now()
        return send(
          tx,
          user,
          {
            kind: 'concern',
            noteSetId: null,
            childId: null,
            authorId: user.person.id,
            subjectPersonId: reviewer.id,
            subjectUnitId: null,
            categoryKey: null,
            practice: value.concern,
            impact: null,
            route: value.route,
            contextCaseId: value.caseId,
          },
          [{ personId: managerId, copy: false }],
          id => ({
            // The email names no case: the case ID is for the manager and the author, in Concord only.
            to: {
              subject: `Concern ${noteReference(id)}: a concern about a reviewer’s practice to resolve informally`,
              body:
                `${author} has raised a concern about the practice of ${reviewerName}, whom you manage.\n\n` +
                `Route: ${route.name} (${route.description.toLowerCase()}).\n\n` +
                `Attend to it informally first, with the priority of repairing and strengthening working relationships, ` +
                `then record the outcome: ${link(id)}${SIGN_OFF}`,
            },
          }),
          { kind: 'practice_note.concern_raised', data: { noteKind: 'concern', route: value.route } },
          at,
        )
      })
    },

    /** The reviewer's manager records how the concern was resolved informally, once, from the version read. */
    async resolveConcern(user: CurrentUser, id: number, version: number, value: ResolutionValue): Promise<void> {
      const note = await findVisibleNote(db, viewerOf(user), id)
      if (!note || note.kind !== 'concern') throw new NotFoundError()
      const recipients = await recipientsOf(db, id)
      if (!recipients.some(r => r.personId === user.person.id))
        throw new ForbiddenError('Only the reviewer’s manager can record how the concern was resolved')
      if (note.resolved !== null) throw new ConflictError(m.alreadyResolved)
      if (!value.resolved && value.formalRoute === null)
        throw new ValidationError([{ field: 'formalRoute', message: m.formalRoute.required }])
      if (value.resolved && value.formalRoute !== null)
        throw new ValidationError([{ field: 'formalRoute', message: m.formalRoute.notResolvedOnly }])
      const manager = `${user.person.givenName} ${user.person.familyName}`
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await saveResolution(tx, id, version, value, user.person.id, at))) throw new ConflictError()
        await completeSubjectItems(tx, SUBJECT, id, noteWorkKinds.concern, at)
        await appendEvent(tx, {
          at,
          actorId: user.person.id,
          entityType: 'practice_note',
          entityId: id,
          childId: null,
          kind: 'practice_note.concern_resolved',
          data: { resolved: value.resolved, formalRoute: value.formalRoute },
        })
        const next = value.formalRoute
          ? `It was not resolved. It can now be raised formally through the ${formalRouteNames[value.formalRoute].toLowerCase()}.`
          : 'It was resolved informally.'
        await queueEmail(
          tx,
          [note.authorId],
          `note${id}:resolved`,
          {
            subject: `Concern ${note.reference}: informal resolution recorded`,
            body: `${manager} has recorded the informal resolution of your concern about a reviewer’s practice. ${next}\n\nOpen it: ${link(id)}${SIGN_OFF}`,
          },
          at,
        )
      })
    },

    /** One note with what its page shows. Opening a note about a child is audited like the child's page. */
    async view(user: CurrentUser, id: number, access: AccessContext) {
      const viewer = viewerOf(user)
      const note = await findVisibleNote(db, viewer, id)
      if (!note) throw new NotFoundError()
      const child = note.childId === null ? undefined : await findVisibleChild(db, user.scope, note.childId)
      if (child)
        await recordChildAccess(db, {
          at: clock.now(),
          personId: user.person.id,
          childId: child.id,
          action: 'view practice note',
          ...access,
        })
      const [recipients, linked, events, openItemId] = await Promise.all([
        recipientsOf(db, id),
        note.noteSetId === null ? Promise.resolve([]) : notesInSet(db, viewer, note.noteSetId),
        eventsForEntity(db, 'practice_note', id, 100),
        openNoticeFor(db, id, user.person.id),
      ])
      const me = user.person.id
      return {
        note,
        /** The child, when the viewer may see them; otherwise only the case ID is shown. */
        child,
        recipients,
        linked: linked.filter(n => n.id !== id),
        events,
        openItemId,
        mayResolve: note.kind === 'concern' && note.resolved === null && recipients.some(r => r.personId === me),
      }
    },

    /** Written by the user, about them, sent to them, or about people and teams they manage (concerns: author and manager only). */
    list: (user: CurrentUser, limit: number, offset: number) => listPersonalNotes(db, viewerOf(user), limit, offset),

    /** The good practice notes on a child's page: visible exactly when the child is. Never a concern. */
    async forChild(user: CurrentUser, childId: number): Promise<PracticeNote[]> {
      await visibleChild(user, childId)
      return notesForChild(db, childId)
    },

    /**
     * "Notes about my practice" on a person's page: all of them for that person, their managers and
     * administrators; for anyone else, only the notes they wrote themselves. Never a concern.
     */
    async aboutPerson(user: CurrentUser, personId: number): Promise<PracticeNote[]> {
      const person = await findPerson(db, personId)
      if (!person) throw new NotFoundError()
      const me = user.person.id
      const manages = person.unitId !== null && ancestry(await unitMap(db), person.unitId).some(u => u.managerId === me)
      const all = me === personId || isAdmin(user) || manages
      return notesAboutPerson(db, personId, all ? null : me)
    },

    /** For the reciprocal note and concern forms: the reviewer and who the note or concern goes to. */
    async reviewer(user: CurrentUser, personId: number) {
      const person = await findPerson(db, personId)
      if (!person || !person.active || !isReviewerRole(person.roles)) throw new NotFoundError()
      const managerId = reviewerManager(await unitMap(db), person)
      const manager = managerId === null ? undefined : await findPerson(db, managerId)
      return { reviewer: person, manager, self: person.id === user.person.id }
    },
  }
}

export type PracticeNoteService = ReturnType<typeof practiceNoteService>
