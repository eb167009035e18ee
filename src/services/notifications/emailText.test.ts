import { describe, expect, it } from 'vitest'
import { emailText, firstListed, type LateAction, LISTED_IN_ONE_EMAIL, type LateResponse } from './emailText.js'

const late = (n: number): LateResponse => ({
  reference: `DRP-${String(n).padStart(6, '0')}`,
  caseId: `CASE${n}`,
  baseUrl: 'https://concord.example',
  disputeId: n,
  dueOn: '2026-11-20',
  daysOverdue: 3,
  responsibleName: 'Sam Manager',
})
const responses = (count: number) => Array.from({ length: count }, (_, i) => late(i + 1))
const listUrls = ['https://concord.example/work/records?state=response_overdue']

describe('overdue alerts', () => {
  it('name the one record in the subject when there is only one', () => {
    const text = emailText.overdue({ ...firstListed(responses(1), r => r), listUrls, to: 'reviewer' })
    expect(text.subject).toBe('Overdue: dispute DRP-000001 response was due 20 November 2026')
    expect(text.body).toContain(
      'the response from Sam Manager was due on 20 November 2026 and is 3 working days overdue',
    )
    expect(text.body).toContain('https://concord.example/disputes/1')
    expect(text.body).toContain('Chase the response or escalate')
  })

  it('tell whoever owes a response that it is theirs, linking to the form', () => {
    const one = emailText.overdue({ ...firstListed(responses(1), r => r), listUrls, to: 'responsible' })
    expect(one.body).toContain(
      'your response was due on 20 November 2026 and is 3 working days overdue.\n\n' +
        'Respond with a SMART action plan: https://concord.example/disputes/1/respond',
    )
    expect(one.body).not.toContain('Sam Manager')
    const two = emailText.overdue({ ...firstListed(responses(2), r => r), listUrls, to: 'responsible' })
    expect(two.body).toContain('Your responses to 2 practice disputes are overdue.')
    expect(two.body).toContain('https://concord.example/disputes/2/respond\n')
  })

  it('list several records in one email, with no case ID or name in the subject', () => {
    const text = emailText.overdue({ ...firstListed(responses(3), r => r), listUrls, to: 'managers' })
    expect(text.subject).toBe('Overdue: 3 dispute responses past their due date')
    for (const n of [1, 2, 3]) {
      expect(text.body).toContain(`Dispute DRP-00000${n}, the child with case ID CASE${n}:`)
      expect(text.body).toContain(`https://concord.example/disputes/${n}\n`)
    }
    expect(text.body).toContain('Make sure they are chased')
    expect(text.body).toContain(`See them all in Concord: ${listUrls[0]}`)
    expect(text.body).not.toContain('And ')
  })

  it(`list at most ${LISTED_IN_ONE_EMAIL} records and count the rest, describing only those listed`, () => {
    let described = 0
    const many = firstListed(responses(LISTED_IN_ONE_EMAIL + 7), r => (described++, r))
    const text = emailText.overdue({ ...many, listUrls, to: 'reviewer' })
    expect(described).toBe(LISTED_IN_ONE_EMAIL)
    expect(text.subject).toBe(`Overdue: ${LISTED_IN_ONE_EMAIL + 7} dispute responses past their due date`)
    expect(text.body.match(/^- Dispute /gm)).toHaveLength(LISTED_IN_ONE_EMAIL)
    expect(text.body).toContain('And 7 more.')
    expect(text.body).not.toContain(`/disputes/${LISTED_IN_ONE_EMAIL + 1}\n`)
  })
})

describe('reminders', () => {
  it('keep the single-record wording for one response and list several, with the page that has them all', () => {
    const work = ['https://concord.example/work']
    const one = emailText.reminders({ ...firstListed(responses(1), r => r), listUrls: work })
    expect(one.subject).toBe('Reminder: dispute DRP-000001 response due 20 November 2026')
    const many = emailText.reminders({ ...firstListed(responses(LISTED_IN_ONE_EMAIL + 1), r => r), listUrls: work })
    expect(many.subject).toBe(`Reminder: ${LISTED_IN_ONE_EMAIL + 1} dispute responses due 20 November 2026`)
    expect(many.body).toContain(
      `Your responses to ${LISTED_IN_ONE_EMAIL + 1} practice disputes are due on 20 November 2026`,
    )
    expect(many.body).toContain('https://concord.example/disputes/2\n')
    expect(many.body).toContain('And 1 more.')
    expect(many.body).toContain('See them all in Concord: https://concord.example/work\n')
  })
})

describe('an escalation to someone told in two roles', () => {
  it('links to both pages that list what they were told of', () => {
    const text = emailText.overdue({
      ...firstListed(responses(2), r => r),
      listUrls: ['https://concord.example/supervision', 'https://concord.example/unanswered'],
      to: 'managers',
    })
    expect(text.body).toContain(
      'See them all in Concord: https://concord.example/supervision and https://concord.example/unanswered',
    )
  })
})

describe('emails that ask for a step', () => {
  const about = { reference: 'DRP-000007', caseId: 'CASE7', baseUrl: 'https://concord.example', disputeId: 7 }

  it('call the step by the name it has on the record and in My work', () => {
    const handover = emailText.handover({ ...about, stageName: 'Formal Level 1', dueOn: '2026-12-01' })
    expect(handover.body).toContain('Respond with a SMART action plan: https://concord.example/disputes/7/respond')
    const responded = emailText.responded({ ...about, stageName: 'Formal Level 1' })
    expect(responded.body).toContain('Decide if the dispute is resolved: https://concord.example/disputes/7/decide\n')
    const preApproval = emailText.preApproval({ ...about, stageName: 'Formal Level 2' })
    expect(preApproval.body).toContain('Give or decline pre-approval: https://concord.example/disputes/7/approve\n')
  })

  it('say "the Head of Service stage", but "Stage 1" as it is, and do not call a social worker a manager', () => {
    expect(emailText.handover({ ...about, stageName: 'Head of Service', dueOn: null }).body).toContain(
      'has been sent to you at the Head of Service stage.',
    )
    expect(emailText.copy({ ...about, stageName: 'Stage 1' }).body).toContain('now at Stage 1.')
    const responded = emailText.responded({ ...about, stageName: 'Informal' })
    expect(responded.body).toContain('A response and action plan have been recorded at the Informal stage')
    expect(responded.body).not.toContain('manager')
    expect(emailText.preApproval({ ...about, stageName: 'Stage 2' }).subject).toBe(
      'Dispute DRP-000007: your pre-approval is needed to go to Stage 2',
    )
  })

  it('tell a decision in a sentence, the subject in a word or two', () => {
    const text = emailText.decision({
      ...about,
      short: 'finalised',
      sentence: 'the reviewer has finalised the record.',
    })
    expect(text.subject).toBe('Dispute DRP-000007: finalised')
    expect(text.body).toMatch(
      /^In the dispute about the child with case ID \S+, the reviewer has finalised the record\.\n/,
    )
  })
})

describe('emails about SMART actions', () => {
  const action = (n: number): LateAction => ({
    ...late(n),
    doneUrl: `https://concord.example/disputes/${n}/actions/1/complete`,
    actionOwnerName: 'Alex Worker',
  })
  const actions = (count: number) => Array.from({ length: count }, (_, i) => action(i + 1))

  it('hand actions over with their first due date, never their words', () => {
    const about = { reference: 'DRP-000004', caseId: 'C4', baseUrl: 'https://concord.example', disputeId: 4 }
    const one = emailText.actionsGiven({ ...about, dueOns: ['2026-11-27'] })
    expect(one.subject).toBe('Dispute DRP-000004: an action for you, due 27 November 2026')
    expect(one.body).toContain('It gives you an action to be done by 27 November 2026.')
    expect(one.body).toContain('https://concord.example/disputes/4\n')
    const two = emailText.actionsGiven({ ...about, dueOns: ['2026-12-04', '2026-11-27'] })
    expect(two.subject).toBe('Dispute DRP-000004: 2 actions for you, the first due 27 November 2026')
    expect(() => emailText.actionsGiven({ ...about, dueOns: [] })).toThrow()
  })

  it('remind the owner with the link that marks it done', () => {
    const one = emailText.actionReminders({ ...firstListed(actions(1), a => a), listUrls, dueBy: '2026-11-23' })
    expect(one.subject).toBe('Reminder: dispute DRP-000001 action due 20 November 2026')
    expect(one.body).toContain('mark it as done: https://concord.example/disputes/1/actions/1/complete')
    const many = emailText.actionReminders({ ...firstListed(actions(2), a => a), listUrls, dueBy: '2026-11-23' })
    expect(many.subject).toBe('Reminder: 2 dispute actions due by 23 November 2026')
    expect(many.body).toContain('the child with case ID CASE1: due 20 November 2026.\n')
    expect(many.body).toContain('https://concord.example/disputes/2/actions/1/complete\n')
  })

  it('tell the owner their action is late, and the reviewer whose it is', () => {
    const owner = emailText.actionsOverdue({ ...firstListed(actions(1), a => a), listUrls, forOwner: true })
    expect(owner.subject).toBe('Overdue: dispute DRP-000001 action was due 20 November 2026')
    expect(owner.body).toContain('your action was due on 20 November 2026 and is 3 working days overdue')
    expect(owner.body).toContain(
      'If it is done, mark it as done: https://concord.example/disputes/1/actions/1/complete\n',
    )
    expect(owner.body).toContain(
      'If it cannot be done, tell the reviewer. The record: https://concord.example/disputes/1',
    )
    const reviewer = emailText.actionsOverdue({ ...firstListed(actions(3), a => a), listUrls, forOwner: false })
    expect(reviewer.subject).toBe('Overdue: 3 dispute actions past their due date')
    expect(reviewer.body).toContain('the action given to Alex Worker was due on 20 November 2026')
    expect(reviewer.body).toContain('https://concord.example/disputes/3\n')
    expect(reviewer.body).toContain('escalate')
  })
  it('tell the reviewer a stage outside the system is past its date, with no case ID in the subject', () => {
    const outcomes = (n: number) => responses(n).map(({ responsibleName: _, ...r }) => r)
    const one = emailText.outcomesOverdue({ ...firstListed(outcomes(1), o => o), listUrls })
    expect(one.subject).toBe('Overdue: dispute DRP-000001 outcome was due 20 November 2026')
    expect(one.body).toContain('CASE1, the stage handled outside the system was due to finish on 20 November 2026')
    expect(one.body).toContain('record its outcome on the record when you have it: https://concord.example/disputes/1')
    const two = emailText.outcomesOverdue({ ...firstListed(outcomes(2), o => o), listUrls })
    expect(two.subject).toBe('Overdue: 2 dispute outcomes past their due date')
    expect(two.subject).not.toContain('CASE')
    expect(two.body).toContain('https://concord.example/disputes/2\n')
    expect(two.body).toContain(`See them all in Concord: ${listUrls[0]}`)
    expect(() => emailText.outcomesOverdue({ listed: [], count: 0, listUrls })).toThrow()
  })
})
