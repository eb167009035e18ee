import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { iroCheckHeadings } from '../../src/domain/quality/progressChecks.js'
import { type FixturePerson } from '../factories/organisationFixture.js'
import { startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, checkAccessibility, expectContains, launch, onPage, signedInPage } from './browser.js'
import { ChoosePolicyPage, DisputePage } from './pages/pages.js'

// The app's day is Thursday 5 January 2023. C2 is looked after (IRO iro1) in team A (social worker swA).
describe.runIf(browserAvailable())('progress checks and significant-change notices in the browser', () => {
  let app: TestApp
  let browser: Browser

  beforeAll(async () => {
    app = await startTestApp()
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  const signIn = (who: FixturePerson) => signedInPage(browser, app, who)

  async function fillDate(page: Page, legend: string, day: string, month: string, year: string) {
    const group = page.getByRole('group', { name: legend })
    await group.getByLabel('Day').fill(day)
    await group.getByLabel('Month').fill(month)
    await group.getByLabel('Year').fill(year)
  }

  it('the social worker tells the IRO of a change to the plan; the IRO sees it in My work and acknowledges it', async () => {
    const sw = await signIn('swA')
    await sw.goto(`${app.url}/children/${app.fixture.children.c2}`)
    await onPage(sw, 'c2 Child')
    await expectContains(sw.getByTestId('no-notices'), 'No significant changes have been notified')
    await sw.getByTestId('send-notice').click()
    await onPage(sw, 'Tell the reviewer about a significant change')
    await expectContains(sw.getByTestId('notice-to'), 'iro1 Fixture')
    // Sent with nothing filled in: the errors, then the notice.
    await sw.getByTestId('submit').click()
    await onPage(sw, 'Tell the reviewer about a significant change')
    await expectContains(sw.locator('.govuk-error-summary'), 'Select what has happened')
    await sw.getByLabel('Significant change to the child’s plan').check()
    await fillDate(sw, 'When did it happen?', '3', '1', '2023')
    await sw.getByLabel('Details').fill('The plan changed at the looked after review.')
    await sw.getByTestId('submit').click()
    await onPage(sw, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(sw.locator('.govuk-notification-banner'), 'Notice sent to the reviewer')
    await expectContains(sw.getByTestId('notice-summary'), '2 working days after it happened')
    await expectContains(sw.getByTestId('notice-summary'), 'Needed by 31 January 2023')
    await expectContains(sw.getByTestId('notice-summary'), 'Not yet acknowledged')

    const iro = await signIn('iro1')
    await iro.goto(`${app.url}/work`)
    await onPage(iro, 'My work')
    await expectContains(iro.getByTestId('inbox'), 'Read a significant-change notice')
    await expectContains(iro.getByTestId('inbox'), 'Hold the review after a significant change')
    await iro.getByRole('link', { name: /Read a significant-change notice/ }).click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(iro.getByTestId('notice-summary'), 'The plan changed at the looked after review.')
    await iro.getByTestId('acknowledge').click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(iro.locator('.govuk-notification-banner'), 'Acknowledged')
    await expectContains(iro.getByTestId('notice-summary'), '5 January 2023')
    // The review stays in My work until it is held.
    await iro.getByTestId('review-held').click()
    await onPage(iro, 'Record the review as held')
    await fillDate(iro, 'When was the review held?', '5', '1', '2023')
    await iro.getByTestId('submit').click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(iro.getByTestId('notice-summary'), 'Held on 5 January 2023')
    await iro.goto(`${app.url}/work`)
    await onPage(iro, 'My work')
    await expectContains(iro.getByTestId('inbox-empty'), 'Nothing is waiting for you.')
  })

  it('the IRO says a review is needed when acknowledging a notice the policy asks none for', async () => {
    const sw = await signIn('swA')
    await sw.goto(`${app.url}/children/${app.fixture.children.c2}/notices/new`)
    await onPage(sw, 'Tell the reviewer about a significant change')
    await sw.getByLabel('Proposed or actual change of placement').check()
    await fillDate(sw, 'When did it happen?', '5', '1', '2023')
    await sw.getByLabel('Details').fill('A move to a new foster placement is proposed.')
    await sw.getByTestId('submit').click()
    await onPage(sw, /^Significant-change notice SCN-\d{6}$/)

    const iro = await signIn('iro1')
    await iro.goto(`${app.url}/work`)
    await iro.getByRole('link', { name: /Read a significant-change notice/ }).click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await iro.getByTestId('acknowledge').click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(iro.locator('.govuk-error-summary'), 'Select whether a review is needed')
    await iro.getByLabel('Yes').check()
    await fillDate(iro, 'Needed by', '1', '2', '2023')
    await iro.getByTestId('acknowledge').click()
    await onPage(iro, /^Significant-change notice SCN-\d{6}$/)
    await expectContains(iro.getByTestId('notice-summary'), 'Needed by 1 February 2023 (set by the reviewer)')
    await iro.getByTestId('set-review').click()
    await onPage(iro, 'Change the review date')
  })

  it('the IRO records a progress check from the list of checks due and can go on to a dispute from it', async () => {
    const iro = await signIn('iro1')
    await iro.goto(`${app.url}/work`)
    await iro.getByTestId('checks-due-link').click()
    await onPage(iro, 'Progress checks due')
    await expectContains(iro.getByTestId('checks-due'), 'c2 Child')
    await expectContains(iro.getByTestId('checks-due'), 'Overdue')
    await iro.getByRole('link', { name: 'c2 Child' }).click()
    await onPage(iro, 'c2 Child')
    await expectContains(iro.getByTestId('schedule-iro'), 'Year 2, first check')
    await iro.getByTestId('record-check').click()
    await onPage(iro, 'Record a progress check')
    await expectContains(iro.getByTestId('slot-due'), 'Was due by 10 November 2022')
    await iro.getByTestId('submit').click()
    await onPage(iro, 'Record a progress check')
    await expectContains(iro.locator('.govuk-error-summary'), 'Enter the date of the check')
    await fillDate(iro, 'Date of the check', '4', '1', '2023')
    for (const h of iroCheckHeadings) await iro.getByLabel(h.label).fill(`Notes on: ${h.label}`)
    await iro.getByLabel('Good progress').check()
    await iro.getByTestId('submit').click()
    await onPage(iro, /^IRO progress check PC-\d{6}$/)
    await expectContains(iro.locator('.govuk-notification-banner'), 'IRO progress check recorded')
    await expectContains(iro.getByTestId('outcome'), 'Good progress')
    await expectContains(iro.getByTestId('check-answers'), 'Notes on: Is the child safe enough?')
    const href = await iro.getByTestId('raise-dispute').getAttribute('href')
    expect(href).toMatch(/\/children\/\d+\/disputes\/new\?fromCheck=\d+$/)
    await iro.getByRole('link', { name: /Back to c2 Child/ }).click()
    await onPage(iro, 'c2 Child')
    await expectContains(iro.getByTestId('schedule-iro'), 'Done late')
    await expectContains(iro.getByTestId('child-checks'), 'Good progress')
  })

  it('from a check, the IRO goes straight on to a dispute and to a good practice note, each starting from the check', async () => {
    const services = app.running.services
    const checkId = await services.quality.recordCheck(
      (await services.access.currentUser(app.fixture.people.iro1))!,
      app.fixture.children.c2,
      {
        kind: 'iro',
        heldOn: parseIsoDate('2023-01-05'),
        answers: Object.fromEntries(iroCheckHeadings.map(h => [h.key, `Seen today: ${h.label}`])),
        outcome: 'requires_improvement',
      },
    )
    const iro = await signIn('iro1')
    await iro.goto(`${app.url}/checks/${checkId}`)
    await onPage(iro, /^IRO progress check PC-\d{6}$/)
    await iro.getByTestId('raise-dispute').click()
    const choose = await ChoosePolicyPage.verifyOnPage(iro)
    await checkAccessibility(iro)
    const raise = await choose.choose('Gloucestershire 2022: celebrating success and resolving differences')
    await onPage(iro, 'Raise a dispute')
    await expectContains(iro.getByTestId('from-check'), 'The concern starts from progress check PC-')
    const concern = await iro.getByLabel('The concern').inputValue()
    expect(concern).toContain('Progress requires improvement')
    expect(concern).toContain('Seen today: Is the child safe enough?')
    // The reviewer edits the concern and sends the form half done: the errors, with their own words kept.
    await iro.getByLabel('The concern').fill('Since the check, the permanence plan has drifted.')
    await raise.submit()
    await onPage(iro, 'Raise a dispute')
    await expectContains(raise.errorSummary(), 'There is a problem')
    expect(await iro.getByLabel('The concern').inputValue()).toBe('Since the check, the permanence plan has drifted.')
    await expectContains(iro.getByTestId('from-check'), 'PC-')
    await raise.fill({
      category: 'Drift and Delay in achieving timely permanence for children',
      concern: 'Since the check, the permanence plan has drifted.',
      impact: 'No settled home in sight.',
      wishesAndFeelings: '',
      recommendedResolution: 'Agree a permanence plan.',
      timescale: 'Within 10 working days',
      becameAware: { day: '5', month: '1', year: '2023' },
      stage: 'Formal Level 1',
      siblings: [],
    })
    await raise.submit()
    await DisputePage.verifyOnPage(iro)
    await expectContains(iro.locator('main'), 'Since the check, the permanence plan has drifted.')

    await iro.goto(`${app.url}/checks/${checkId}`)
    await iro.getByTestId('write-note').click()
    await onPage(iro, 'Write a good practice note')
    await expectContains(iro.getByTestId('from-check'), 'The note starts from progress check PC-')
    expect(await iro.getByLabel('What was the good practice?').inputValue()).toContain(
      'Seen today: Has the child achieved permanence?',
    )
    await iro.getByLabel('What was the good practice?').fill('Patient, careful work with the carers.')
    await iro.getByTestId('send-note').click()
    await onPage(iro, 'Write a good practice note')
    expect(await iro.getByLabel('What was the good practice?').inputValue()).toBe(
      'Patient, careful work with the carers.',
    )
    await iro.getByLabel('Participation and Relational Practice').check()
    await iro.getByLabel('Its impact on the child and family').fill('The carers feel supported.')
    await iro.getByTestId('send-note').click()
    await onPage(iro, /^Good practice note NOTE-\d{6}$/)
    await expectContains(iro.locator('main'), 'Patient, careful work with the carers.')
  })

  it('the reviewing service manager sees the checks due for each reviewer', async () => {
    const rsm = await signIn('rsm')
    await rsm.goto(`${app.url}/work`)
    await rsm.getByTestId('checks-due-link').click()
    await onPage(rsm, 'Progress checks due')
    await expectContains(rsm.getByTestId('checks-due'), 'c1 Child')
    await rsm.getByLabel('Reviewer').selectOption({ label: 'cpc1 Fixture' })
    await rsm.getByTestId('filter').click()
    await onPage(rsm, 'Progress checks due')
    await expectContains(rsm.getByTestId('checks-due'), 'Quality assurance review')
  })
})
