/**
 * Each step on a record has one name, used on the record's button, as its page's heading and title,
 * and in My work, so a person looking for "Respond with a SMART action plan" finds those words at
 * every turn. The seeds' words: a "SMART action plan", "pre-approval", "CAFCASS".
 */
export const stepNames = {
  respond: 'Respond with a SMART action plan',
  decide: 'Decide if the dispute is resolved',
  extension: 'Agree an extension',
  escalate: 'Escalate the dispute',
  outcome: 'Record the outcome of the stage',
  approve: 'Give pre-approval',
  decline: 'Decline pre-approval',
  withdrawRequest: 'Withdraw the request for pre-approval',
  cafcass: 'Refer to CAFCASS',
  legalAdvice: 'Record legal advice',
  finalise: 'Finalise the record',
  addendum: 'Add an addendum',
  discussion: 'Log a discussion',
  completeAction: 'Mark an action as done',
} as const

/** A pre-approver's item in My work and email, which leads to both of their steps. */
export const giveOrDeclinePreApproval = 'Give or decline pre-approval'

export type StepName = keyof typeof stepNames

/** A stage in a sentence: "Stage 1" as it is, "Head of Service" as "the Head of Service stage". */
export function theStage(name: string): string {
  return /\bstage\b/i.test(name) ? name : `the ${name} stage`
}
