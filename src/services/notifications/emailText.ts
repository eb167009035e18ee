/**
 * The words of every email. Subjects carry the record's reference and what is asked, never a
 * child's name or other sensitive detail (emails travel and are read on phones); bodies name the
 * child only by case ID and always link to the record, where access is checked.
 */
import { formatDate } from '../../text/format.js'
import { giveOrDeclinePreApproval, stepNames, theStage } from '../../text/stepNames.js'

export interface EmailText {
  subject: string
  body: string
}

export const SIGN_OFF = '\n\nThis email was sent by Concord. Do not reply to it: open the record to act or comment.'

const link = (baseUrl: string, disputeId: number) => `${baseUrl}/disputes/${disputeId}`

interface About {
  reference: string
  caseId: string
  baseUrl: string
  disputeId: number
}

/** A response past its due date, as an overdue alert describes it. */
export interface LateResponse extends About {
  dueOn: string
  daysOverdue: number
  responsibleName: string
}

/** A SMART action, as the emails about it describe it: never its words, which may name the child. */
export interface ActionAbout extends About {
  dueOn: string
  /** Where it is marked done. */
  doneUrl: string
}

/** An action past its due date, as an overdue alert describes it. */
export interface LateAction extends ActionAbout {
  daysOverdue: number
  actionOwnerName: string
}

/** A stage outside the system past its due date, its outcome not recorded, as an overdue alert describes it. */
export interface LateOutcome extends About {
  dueOn: string
  daysOverdue: number
}

/** Records listed in one email at most; the page it links to has them all. */
export const LISTED_IN_ONE_EMAIL = 25

const workingDays = (n: number) => `${n} working day${n === 1 ? '' : 's'}`

/** Items for an email that lists them: the first few (up to LISTED_IN_ONE_EMAIL) and how many in all. */
export interface Listed<T> {
  listed: readonly T[]
  count: number
  /** The pages in Concord that list them all (one, or two for someone told in two roles). */
  listUrls: readonly string[]
}

/** The first items of a list (as many as one email shows), and how many there are, to describe only those. */
export function firstListed<T, U>(items: readonly T[], describe: (item: T) => U): { listed: U[]; count: number } {
  return { listed: items.slice(0, LISTED_IN_ONE_EMAIL).map(describe), count: items.length }
}

/** The listed items, one paragraph each with its link, then how many more and where to see them all. */
export function listOf<T>(o: Listed<T>, describe: (item: T) => string, linkOf: (item: T) => string): string {
  const more = o.count - o.listed.length
  return (
    o.listed.map(i => `- ${describe(i)}.\n  ${linkOf(i)}`).join('\n\n') +
    (more > 0 ? `\n\nAnd ${more} more.` : '') +
    `\n\nSee them all in Concord: ${o.listUrls.join(' and ')}`
  )
}

const disputeLink = (i: About) => link(i.baseUrl, i.disputeId)

/** Said before an email held for a digest whose work was done before it went out. */
export const NOTHING_WAITS = 'Since this was written, nothing on this record waits for you any more.'

export const emailText = {
  handover(o: About & { stageName: string; dueOn: string | null }): EmailText {
    const due = o.dueOn ? ` by ${formatDate(o.dueOn)}` : ''
    return {
      subject: `Dispute ${o.reference}: your response is needed${due}`,
      body:
        `A practice dispute about the child with case ID ${o.caseId} has been sent to you at ${theStage(o.stageName)}.\n\n` +
        `Please record a SMART action plan (what will be done, who owns it and by when) and your comments${due}.\n\n` +
        `${stepNames.respond}: ${link(o.baseUrl, o.disputeId)}/respond${SIGN_OFF}`,
    }
  },

  copy(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: for your information (${o.stageName})`,
      body:
        `You are copied into a practice dispute about the child with case ID ${o.caseId}, now at ${theStage(o.stageName)}. ` +
        `No response is needed from you; you can acknowledge it in Concord.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  responded(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: a response is ready for your decision`,
      body:
        `A response and action plan have been recorded at ${theStage(o.stageName)} in the dispute about the child with case ID ${o.caseId}.\n\n` +
        `${stepNames.decide}: ${link(o.baseUrl, o.disputeId)}/decide${SIGN_OFF}`,
    }
  },

  /** `sentence` follows "In the dispute about …, ": "the reviewer has decided the dispute is resolved." */
  decision(o: About & { short: string; sentence: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: ${o.short}`,
      body: `In the dispute about the child with case ID ${o.caseId}, ${o.sentence}\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  preApprovalAnswer(o: About & { stageName: string; given: boolean }): EmailText {
    const answer = o.given ? 'given' : 'declined'
    return {
      subject: `Dispute ${o.reference}: pre-approval ${answer} for ${o.stageName}`,
      body:
        `Pre-approval was ${answer} to take the dispute about the child with case ID ${o.caseId} to ${o.stageName}. ` +
        (o.given ? 'It has been sent there.' : 'It stays where it was; the reason is on the record.') +
        `\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  preApproval(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: your pre-approval is needed to go to ${o.stageName}`,
      body:
        `A reviewer you manage wants to take the dispute about the child with case ID ${o.caseId} to ${theStage(o.stageName)}. ` +
        `The policy needs your pre-approval first.\n\n${giveOrDeclinePreApproval}: ${link(o.baseUrl, o.disputeId)}/approve${SIGN_OFF}`,
    }
  },

  preApprovalWithdrawn(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: pre-approval for ${o.stageName} no longer needed`,
      body:
        `The reviewer has withdrawn their request to take the dispute about the child with case ID ${o.caseId} to ${theStage(o.stageName)}. ` +
        `Your pre-approval is no longer needed; the reason is on the record.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  cafcass(o: About): EmailText {
    return {
      subject: `Dispute ${o.reference}: referred to CAFCASS`,
      body: `The IRO has referred the dispute about the child with case ID ${o.caseId} to CAFCASS. You are informed as the policy requires.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  /** Responses due on the next working day, in one email for the person who owes them. */
  reminders(o: Listed<About & { dueOn: string }>): EmailText {
    const first = o.listed[0]
    if (!first) throw new Error('a reminder needs at least one response')
    if (o.count === 1)
      return {
        subject: `Reminder: dispute ${first.reference} response due ${formatDate(first.dueOn)}`,
        body: `Your response to the dispute about the child with case ID ${first.caseId} is due on ${formatDate(first.dueOn)}, the next working day.\n\nOpen the record: ${link(first.baseUrl, first.disputeId)}${SIGN_OFF}`,
      }
    return {
      subject: `Reminder: ${o.count} dispute responses due ${formatDate(first.dueOn)}`,
      body:
        `Your responses to ${o.count} practice disputes are due on ${formatDate(first.dueOn)}, the next working day:\n\n` +
        listOf(o, i => `Dispute ${i.reference}, the child with case ID ${i.caseId}`, disputeLink) +
        SIGN_OFF,
    }
  },

  /**
   * Responses past their due date, in one email for each person told: the reviewer, whoever owes
   * the response, or (escalated) the reviewer's manager and head of service.
   */
  overdue(o: Listed<LateResponse> & { to: 'reviewer' | 'responsible' | 'managers' }): EmailText {
    const first = o.listed[0]
    if (!first) throw new Error('an overdue alert needs at least one response')
    const mine = o.to === 'responsible'
    const late = (i: LateResponse) =>
      `${mine ? 'your response' : `the response from ${i.responsibleName}`} was due on ${formatDate(i.dueOn)} and is ${workingDays(i.daysOverdue)} overdue`
    const linkOf = (i: About) => (mine ? `${disputeLink(i)}/respond` : disputeLink(i))
    const ask = {
      reviewer: 'Chase the response or escalate',
      responsible: stepNames.respond,
      managers: 'Make sure the response is chased',
    }[o.to]
    if (o.count === 1)
      return {
        subject: `Overdue: dispute ${first.reference} response was due ${formatDate(first.dueOn)}`,
        body: `In the dispute about the child with case ID ${first.caseId}, ${late(first)}.\n\n${ask}: ${linkOf(first)}${SIGN_OFF}`,
      }
    const opening = {
      reviewer: `Responses to ${o.count} practice disputes you raised are overdue. Chase them or escalate:`,
      responsible: `Your responses to ${o.count} practice disputes are overdue. Respond to each with a SMART action plan:`,
      managers: `Responses to ${o.count} practice disputes raised by reviewers you manage, or in your area, are overdue. Make sure they are chased:`,
    }[o.to]
    return {
      subject: `Overdue: ${o.count} dispute responses past their due date`,
      body:
        `${opening}\n\n` +
        listOf(o, i => `Dispute ${i.reference}, the child with case ID ${i.caseId}: ${late(i)}`, linkOf) +
        SIGN_OFF,
    }
  },

  /** The actions a response gave one person (not the one who recorded it). */
  actionsGiven(o: About & { dueOns: readonly string[] }): EmailText {
    const first = [...o.dueOns].sort()[0]
    if (!first) throw new Error('an action email needs at least one action')
    const n = o.dueOns.length
    const what =
      n === 1
        ? `an action for you, due ${formatDate(first)}`
        : `${n} actions for you, the first due ${formatDate(first)}`
    return {
      subject: `Dispute ${o.reference}: ${what}`,
      body:
        `A SMART action plan has been recorded in the dispute about the child with case ID ${o.caseId}. ` +
        `It gives you ${n === 1 ? `an action to be done by ${formatDate(first)}` : `${n} actions, the first to be done by ${formatDate(first)}`}.\n\n` +
        `See what is asked on the record, and mark ${n === 1 ? 'it' : 'each'} done there when it is: ${disputeLink(o)}${SIGN_OFF}`,
    }
  },

  /** The record was finalised with actions of theirs not marked done: they leave their work in Concord. */
  actionsClosed(o: About & { count: number }): EmailText {
    const one = o.count === 1
    return {
      subject: `Dispute ${o.reference}: finalised with ${one ? 'your action' : `${o.count} of your actions`} not marked done`,
      body:
        `The reviewer has finalised the record of the dispute about the child with case ID ${o.caseId}. ` +
        `${one ? 'An action given to you was' : `${o.count} actions given to you were`} not marked as done. ` +
        `${one ? 'It has' : 'They have'} left your work in Concord, and the record is now locked. ` +
        `If ${one ? 'it still needs' : 'they still need'} doing, talk to the reviewer.\n\n` +
        `Open the record: ${disputeLink(o)}${SIGN_OFF}`,
    }
  },

  /** Actions due by the next working day (one may fall on the weekend before it), in one email for their owner. */
  actionReminders(o: Listed<ActionAbout> & { dueBy: string }): EmailText {
    const first = o.listed[0]
    if (!first) throw new Error('a reminder needs at least one action')
    if (o.count === 1)
      return {
        subject: `Reminder: dispute ${first.reference} action due ${formatDate(first.dueOn)}`,
        body:
          `Your action in the dispute about the child with case ID ${first.caseId} is due on ${formatDate(first.dueOn)}.\n\n` +
          `When it is done, mark it as done: ${first.doneUrl}${SIGN_OFF}`,
      }
    return {
      subject: `Reminder: ${o.count} dispute actions due by ${formatDate(o.dueBy)}`,
      body:
        `${o.count} of your actions in practice disputes are due by ${formatDate(o.dueBy)}. When each is done, mark it as done:\n\n` +
        listOf(
          o,
          i => `Dispute ${i.reference}, the child with case ID ${i.caseId}: due ${formatDate(i.dueOn)}`,
          i => i.doneUrl,
        ) +
        SIGN_OFF,
    }
  },

  /**
   * Actions past their due date: to their owner (to do them or mark them done) and to the reviewer
   * (who tracks the plan and escalates when agreed actions are not done).
   */
  actionsOverdue(o: Listed<LateAction> & { forOwner: boolean }): EmailText {
    const first = o.listed[0]
    if (!first) throw new Error('an overdue alert needs at least one action')
    const late = (i: LateAction) =>
      `${o.forOwner ? 'your action' : `the action given to ${i.actionOwnerName}`} was due on ${formatDate(i.dueOn)} and is ${workingDays(i.daysOverdue)} overdue`
    const linkOf = (i: LateAction) => (o.forOwner ? i.doneUrl : disputeLink(i))
    if (o.count === 1)
      return {
        subject: `Overdue: dispute ${first.reference} action was due ${formatDate(first.dueOn)}`,
        body:
          `In the dispute about the child with case ID ${first.caseId}, ${late(first)}.\n\n` +
          (o.forOwner
            ? `If it is done, mark it as done: ${first.doneUrl}\n\nIf it cannot be done, tell the reviewer. The record: ${disputeLink(first)}`
            : `Follow it up with ${first.actionOwnerName}. If the dispute is still open and the action is not being done, you can escalate it: ${disputeLink(first)}`) +
          SIGN_OFF,
      }
    return {
      subject: `Overdue: ${o.count} dispute actions past their due date`,
      body:
        (o.forOwner
          ? `${o.count} of your actions in practice disputes are overdue. Mark each as done if it is; if one cannot be done, tell the reviewer:\n\n`
          : `${o.count} actions in practice disputes you raised are overdue. Follow them up; where a dispute is still open and its action is not being done, you can escalate it:\n\n`) +
        listOf(o, i => `Dispute ${i.reference}, the child with case ID ${i.caseId}: ${late(i)}`, linkOf) +
        SIGN_OFF,
    }
  },

  /** To the reviewer: stages handled outside the system whose outcome is past its due date. */
  outcomesOverdue(o: Listed<LateOutcome>): EmailText {
    const first = o.listed[0]
    if (!first) throw new Error('an overdue alert needs at least one stage')
    const late = (i: LateOutcome) =>
      `the stage handled outside the system was due to finish on ${formatDate(i.dueOn)} and is ${workingDays(i.daysOverdue)} overdue`
    if (o.count === 1)
      return {
        subject: `Overdue: dispute ${first.reference} outcome was due ${formatDate(first.dueOn)}`,
        body:
          `In the dispute about the child with case ID ${first.caseId}, ${late(first)}.\n\n` +
          `Chase it, and record its outcome on the record when you have it: ${disputeLink(first)}` +
          SIGN_OFF,
      }
    return {
      subject: `Overdue: ${o.count} dispute outcomes past their due date`,
      body:
        `${o.count} stages handled outside the system, in disputes you raised, are past their due date. Chase each, and record its outcome when you have it:\n\n` +
        listOf(o, i => `Dispute ${i.reference}, the child with case ID ${i.caseId}: ${late(i)}`, disputeLink) +
        SIGN_OFF,
    }
  },

  digest(o: { parts: { subject: string; body: string; nothingWaits?: boolean }[]; workUrl: string }): EmailText {
    const count = o.parts.length
    return {
      subject: `Concord: your daily summary (${count} update${count === 1 ? '' : 's'})`,
      body:
        `Here is what happened in Concord since your last summary. Some of it may already be done: ` +
        `My work shows what still awaits you: ${o.workUrl}\n\n` +
        o.parts
          .map(
            (p, i) =>
              `${i + 1}. ${p.subject}\n` + (p.nothingWaits ? `${NOTHING_WAITS}\n` : '') + p.body.replace(SIGN_OFF, ''),
          )
          .join('\n\n') +
        SIGN_OFF,
    }
  },
}
