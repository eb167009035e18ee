import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { findDispute } from '../../src/db/repositories/disputeRepository.js'
import { FIXTURE_PASSWORD } from '../factories/organisationFixture.js'
import { flat, pdfText } from '../helpers/pdfText.js'
import { emailOf, startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, checkAccessibility, expectContains, launch, newPage } from './browser.js'
import { DisputePage, MyWorkPage, SignInPage } from './pages/pages.js'

const d = parseIsoDate
const REASONS = 'The plan has drifted for four months; the child cannot wait.'

describe.runIf(browserAvailable())('downloading a dispute record as a PDF', () => {
  let app: TestApp
  let browser: Browser
  let page: Page
  let referred = 0
  let plain = 0
  const reference = (id: number) => `DRP-${String(id).padStart(6, '0')}`

  beforeAll(async () => {
    app = await startTestApp()
    const services = app.running.services
    const iro = (await services.access.currentUser(app.fixture.people.iro1))!
    const sw = (await services.access.currentUser(app.fixture.people.swA))!
    const raise = async (concern: string) =>
      (
        await services.disputes.raise(iro, {
          childIds: [app.fixture.children.c2],
          policyId: 'gloucestershire-2022',
          startStageKey: 'informal',
          becameAwareOn: d('2023-01-04'),
          categoryKey: 'drift_delay',
          concern,
          impact: 'The child does not know where they will live.',
          wishesAndFeelings: 'Wants to stay near school.',
          recommendedResolution: 'Update the plan and share it with the child.',
          resolutionTimescale: 'Within 10 working days',
        })
      ).ids[0]!
    referred = await raise('The pathway plan has not been updated since March.')
    plain = await raise('A concern that is never referred.')
    const version = async (id: number) => (await findDispute(services.db, id))!.version
    await services.disputes.act(sw, referred, await version(referred), {
      type: 'respond',
      comments: 'I will update the plan next week.',
      actions: [{ what: 'Update the pathway plan', ownerId: app.fixture.people.swA, dueOn: d('2023-01-13') }],
    })
    await services.disputes.act(iro, referred, await version(referred), { type: 'refer_cafcass', reasons: REASONS })
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  async function download(testId: string): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
    const path = await file.path()
    return { name: file.suggestedFilename(), text: flat((await pdfText(await readFile(path))).text) }
  }

  it('the record page links to the record and the CAFCASS letter, and both download as PDFs that say who produced them', async () => {
    page = await newPage(browser)
    await (await SignInPage.open(page, app.url)).signIn(emailOf('iro1'), FIXTURE_PASSWORD)
    await (await MyWorkPage.verifyOnPage(page)).children()
    await page.goto(`${app.url}/disputes/${referred}`)
    await DisputePage.verifyOnPage(page, reference(referred))
    await expectContains(page.getByTestId('record-pdf'), 'Download the record (PDF)')
    await expectContains(page.getByTestId('cafcass-letter-pdf'), 'Download the CAFCASS referral letter (PDF)')

    const record = await download('record-pdf')
    expect(record.name).toBe(`dispute-record-${reference(referred)}.pdf`)
    expect(record.text).toContain(`Dispute record ${reference(referred)}`)
    expect(record.text).toContain('Produced by iro1 Fixture on 5 January 2023 at 9:00am.')
    expect(record.text).toContain('Action 1: Update the pathway plan')

    const letter = await download('cafcass-letter-pdf')
    expect(letter.name).toBe(`cafcass-referral-${reference(referred)}.pdf`)
    expect(letter.text).toContain('Referral to CAFCASS')
    expect(letter.text).toContain(REASONS)

    // Each download is on the record's history.
    await page.reload()
    await DisputePage.verifyOnPage(page, reference(referred))
    await expectContains(page.locator('body'), 'Record downloaded as PDF')
    await expectContains(page.locator('body'), 'CAFCASS referral letter downloaded as PDF')
  })

  it('the print view links to the PDFs too, and a record not referred has no letter', async () => {
    await page.goto(`${app.url}/disputes/${referred}/print`)
    await expectContains(page.locator('h1'), `Dispute record ${reference(referred)}`)
    await checkAccessibility(page)
    const printed = await download('record-pdf')
    expect(printed.text).toContain(`Dispute record ${reference(referred)}`)
    await expectContains(page.getByTestId('cafcass-letter-pdf'), 'the CAFCASS referral letter (PDF)')

    await page.goto(`${app.url}/disputes/${plain}`)
    await DisputePage.verifyOnPage(page, reference(plain))
    await expectContains(page.getByTestId('record-pdf'), 'Download the record (PDF)')
    expect(await page.getByTestId('cafcass-letter-pdf').count()).toBe(0)
  })
})
