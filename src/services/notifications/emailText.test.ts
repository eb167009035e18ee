import { describe, expect, it } from 'vitest'
import { emailText, firstListed, LISTED_IN_ONE_EMAIL, type LateResponse } from './emailText.js'

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
const listUrl = 'https://concord.example/work/records?state=response_overdue'

describe('overdue alerts', () => {
  it('name the one record in the subject when there is only one', () => {
    const text = emailText.overdue({ ...firstListed(responses(1), r => r), listUrl, escalated: false })
    expect(text.subject).toBe('Overdue: dispute DRP-000001 response was due 20 November 2026')
    expect(text.body).toContain(
      'the response from Sam Manager was due on 20 November 2026 and is 3 working days overdue',
    )
    expect(text.body).toContain('https://concord.example/disputes/1')
    expect(text.body).toContain('Chase the response or escalate')
  })

  it('list several records in one email, with no case ID or name in the subject', () => {
    const text = emailText.overdue({ ...firstListed(responses(3), r => r), listUrl, escalated: true })
    expect(text.subject).toBe('Overdue: 3 dispute responses past their due date')
    for (const n of [1, 2, 3]) {
      expect(text.body).toContain(`Dispute DRP-00000${n}, the child with case ID CASE${n}:`)
      expect(text.body).toContain(`https://concord.example/disputes/${n}\n`)
    }
    expect(text.body).toContain('Make sure they are chased')
    expect(text.body).toContain(`See them all in Concord: ${listUrl}`)
    expect(text.body).not.toContain('And ')
  })

  it(`list at most ${LISTED_IN_ONE_EMAIL} records and count the rest, describing only those listed`, () => {
    let described = 0
    const many = firstListed(responses(LISTED_IN_ONE_EMAIL + 7), r => (described++, r))
    const text = emailText.overdue({ ...many, listUrl, escalated: false })
    expect(described).toBe(LISTED_IN_ONE_EMAIL)
    expect(text.subject).toBe(`Overdue: ${LISTED_IN_ONE_EMAIL + 7} dispute responses past their due date`)
    expect(text.body.match(/^- Dispute /gm)).toHaveLength(LISTED_IN_ONE_EMAIL)
    expect(text.body).toContain('And 7 more.')
    expect(text.body).not.toContain(`/disputes/${LISTED_IN_ONE_EMAIL + 1}\n`)
  })
})

describe('reminders', () => {
  it('keep the single-record wording for one response and list several', () => {
    const one = emailText.reminders({ ...firstListed(responses(1), r => r), listUrl })
    expect(one.subject).toBe('Reminder: dispute DRP-000001 response due 20 November 2026')
    const two = emailText.reminders({ ...firstListed(responses(2), r => r), listUrl })
    expect(two.subject).toBe('Reminder: 2 dispute responses due 20 November 2026')
    expect(two.body).toContain('Your responses to 2 practice disputes are due on 20 November 2026')
    expect(two.body).toContain('https://concord.example/disputes/2')
  })
})
