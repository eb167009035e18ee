import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettableClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config.js'
import { openPostgres } from '../../src/db/database.js'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { shippedPolicies } from '../../src/domain/policies/policyCatalogue.js'
import { services as buildServices, type Services } from '../../src/services/index.js'
import { smtpMailer } from '../../src/services/mailer.js'
import { fastHasher, type Fixture, loadFixture } from '../factories/organisationFixture.js'
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases.js'
import { RecordingMailer } from '../helpers/mail.js'
import { newConcern } from '../factories/concerns.js'

interface Received {
  to: string
  subject: string
  text: string
  messageId: string
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtp(port = 0): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        mail => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to
          received.push({
            to: to?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          })
          callback()
        },
        error => callback(error as Error),
      )
    },
  })
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', () => resolve()))
  return { server, port: (server.server.address() as AddressInfo).port, received }
}

const stop = (server: SMTPServer) => new Promise<void>(resolve => server.close(() => resolve()))

const details = {
  categoryKey: 'drift_delay',
  concern: 'Concern',
  impact: 'Impact',
  wishesAndFeelings: '',
  recommendedResolution: 'Resolution',
  resolutionTimescale: '10 days',
}

describe('email delivery through a real SMTP server', () => {
  let database: TestDatabase
  let fixture: Fixture
  let services: Services
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  const clock = new SettableClock(new Date('2023-03-01T09:00:00Z'))

  beforeAll(async () => {
    smtp = await startSmtp()
    database = await freshDatabase('pglite')
    fixture = await loadFixture(database.db)
    const mailer = smtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Concord <concord@test.example>')
    services = buildServices(
      database.db,
      clock,
      loadConfig({ NODE_ENV: 'test', CONCORD_BASE_URL: 'https://concord.test' }),
      fastHasher,
      shippedPolicies(),
      { mailer },
    )
  })
  afterAll(async () => {
    await stop(smtp.server)
    await database.dispose()
  })

  const raise = async () => {
    const iro = (await services.access.currentUser(fixture.people.iro1))!
    return (
      await services.disputes.raise(iro, {
        ...details,
        concern: newConcern(),
        childIds: [fixture.children.c2],
        policyId: 'gloucestershire-2022',
        startStageKey: 'formal1',
        becameAwareOn: parseIsoDate('2023-03-01'),
      })
    ).ids[0]!
  }

  it('delivers the hand-over email, in plain English with a link to the record', async () => {
    const id = await raise()
    const result = await services.notifications.deliver(50)
    expect(result.failed).toBe(0)
    const handover = smtp.received.find(m => m.to === 'tmA@test.example')!
    expect(handover.subject).toBe(`Dispute DRP-${String(id).padStart(6, '0')}: your response is needed by 8 March 2023`)
    expect(handover.text).toContain(`https://concord.test/disputes/${id}`)
    expect(handover.text).toContain('SMART action plan')
    expect(smtp.received.some(m => m.to === 'smNorth@test.example')).toBe(true)
  })

  it('loses nothing and doubles nothing when the mail server is down and comes back', async () => {
    const port = smtp.port
    await stop(smtp.server)
    const id = await raise()
    const failed = await services.notifications.deliver(50)
    expect(failed.sent).toBe(0)
    expect(failed.failed).toBe(2) // the hand-over and the copy
    smtp = await startSmtp(port) // the same address, a fresh server
    clock.set(new Date('2023-03-01T09:30:00Z'))
    const sent = await services.notifications.deliver(50)
    expect(sent).toEqual({ sent: 2, failed: 0 })
    expect((await services.notifications.deliver(50)).sent).toBe(0)
    const mine = smtp.received.filter(m => m.text.includes(`/disputes/${id}`))
    expect(mine).toHaveLength(2)
    expect(new Set(mine.map(m => m.messageId)).size).toBe(2)
  })
})

describe.runIf(databaseKinds().includes('postgres'))('two instances against one PostgreSQL database', () => {
  let database: TestDatabase
  let fixture: Fixture
  const clock = new SettableClock(new Date('2023-03-01T09:00:00Z'))

  beforeAll(async () => {
    database = await freshDatabase('postgres')
    fixture = await loadFixture(database.db)
  })
  afterAll(async () => database.dispose())

  it('sends each email exactly once when both deliver at the same time', async () => {
    const first = new RecordingMailer()
    const second = new RecordingMailer()
    const config = loadConfig({ NODE_ENV: 'test' })
    const a = buildServices(database.db, clock, config, fastHasher, shippedPolicies(), { mailer: first })
    const otherDb = await openPostgres(database.url!, 5)
    const b = buildServices(otherDb, clock, config, fastHasher, shippedPolicies(), { mailer: second })
    const iro = (await a.access.currentUser(fixture.people.iro1))!
    for (let i = 0; i < 15; i++)
      await a.disputes.raise(iro, {
        ...details,
        concern: newConcern(),
        childIds: [fixture.children.c2],
        policyId: 'gloucestershire-2022',
        startStageKey: 'formal1',
        becameAwareOn: parseIsoDate('2023-03-01'),
      })
    const queued = (await database.db.query<{ n: number }>('select count(*) as n from email_outbox')).rows[0]!.n
    expect(queued).toBe(30)
    const drain = async (s: Services) => {
      for (;;) {
        const { sent } = await s.notifications.deliver(3)
        if (sent === 0) return
      }
    }
    // Both instances also run the whole scheduled pass at once: the sweeps must not double anything either.
    await Promise.all([drain(a), drain(b), a.notifications.tick(), b.notifications.tick()])
    await Promise.all([drain(a), drain(b)])
    const all = [...first.sent, ...second.sent]
    // The pass also chases the fixture's overdue progress checks (one email for each reviewer); the rest are the 30 queued above.
    const checkReminders = all.filter(m =>
      /^(Reminder|Overdue): (a|\d+) (progress check|quality assurance review)/.test(m.subject),
    )
    expect(all.length - checkReminders.length).toBe(30)
    // One email for each reviewer and kind of reminder, sent once.
    const lists = checkReminders.map(m => `${m.to}|${m.subject}`)
    expect(lists.length).toBeGreaterThan(0)
    expect(new Set(lists).size).toBe(lists.length)
    expect(new Set(all.map(m => m.messageId)).size).toBe(all.length)
    expect(first.sent.length).toBeGreaterThan(0)
    expect(second.sent.length).toBeGreaterThan(0)
    await otherDb.close()
  })
})
