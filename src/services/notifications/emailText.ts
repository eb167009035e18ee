/**
 * The words of every email. Subjects carry the record's reference and what is asked, never a
 * child's name or other sensitive detail (emails travel and are read on phones); bodies name the
 * child only by case ID and always link to the record, where access is checked.
 */
import { formatDate } from '../../text/format.js'

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

export const emailText = {
  handover(o: About & { stageName: string; dueOn: string | null }): EmailText {
    const due = o.dueOn ? ` by ${formatDate(o.dueOn)}` : ''
    return {
      subject: `Dispute ${o.reference}: your response is needed${due}`,
      body:
        `A practice dispute about the child with case ID ${o.caseId} has been sent to you at ${o.stageName}.\n\n` +
        `Please record a SMART action plan (what will be done, who owns it and by when) and your comments${due}.\n\n` +
        `Open the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  copy(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: for your information (${o.stageName})`,
      body:
        `You are copied into a practice dispute about the child with case ID ${o.caseId}, now at ${o.stageName}. ` +
        `No response is needed from you; you can acknowledge it in Concord.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  responded(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: a response is ready for your decision`,
      body:
        `The responsible manager has responded at ${o.stageName} to the dispute about the child with case ID ${o.caseId}.\n\n` +
        `Decide whether it is resolved: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  decision(o: About & { decision: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: ${o.decision}`,
      body: `The reviewer has made a decision on the dispute about the child with case ID ${o.caseId}: ${o.decision}.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  preApproval(o: About & { stageName: string }): EmailText {
    return {
      subject: `Dispute ${o.reference}: your agreement is needed before ${o.stageName}`,
      body:
        `A reviewer you manage wants to take the dispute about the child with case ID ${o.caseId} to ${o.stageName}. ` +
        `The policy needs your agreement first.\n\nAgree or decline: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  cafcass(o: About): EmailText {
    return {
      subject: `Dispute ${o.reference}: referred to CAFCASS`,
      body: `The IRO has referred the dispute about the child with case ID ${o.caseId} to CAFCASS. You are informed as the policy requires.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  reminder(o: About & { dueOn: string }): EmailText {
    return {
      subject: `Reminder: dispute ${o.reference} response due ${formatDate(o.dueOn)}`,
      body: `Your response to the dispute about the child with case ID ${o.caseId} is due on ${formatDate(o.dueOn)}, the next working day.\n\nOpen the record: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  overdue(o: About & { dueOn: string; daysOverdue: number; responsibleName: string }): EmailText {
    const days = `${o.daysOverdue} working day${o.daysOverdue === 1 ? '' : 's'}`
    return {
      subject: `Overdue: dispute ${o.reference} response was due ${formatDate(o.dueOn)}`,
      body:
        `The response from ${o.responsibleName} to the dispute about the child with case ID ${o.caseId} was due on ${formatDate(o.dueOn)} and is ${days} overdue.\n\n` +
        `Chase the response or escalate: ${link(o.baseUrl, o.disputeId)}${SIGN_OFF}`,
    }
  },

  digest(o: { parts: { subject: string; body: string }[] }): EmailText {
    const count = o.parts.length
    return {
      subject: `Concord: your daily summary (${count} update${count === 1 ? '' : 's'})`,
      body:
        `Here is what happened in Concord since your last summary.\n\n` +
        o.parts.map((p, i) => `${i + 1}. ${p.subject}\n${p.body.replace(SIGN_OFF, '')}`).join('\n\n') +
        SIGN_OFF,
    }
  },
}
