import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FixturePerson } from '../factories/organisationFixture.js'
import { startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, expectContains, launch, onPage, signedInPage } from './browser.js'

// The app's day is Thursday 5 January 2023: the default period is 1 April 2021 to 31 March 2022. One
// dispute is raised in it, about C2 (team A), by iro1.
describe.runIf(browserAvailable())('reports in the browser', () => {
  let app: TestApp
  let browser: Browser

  beforeAll(async () => {
    app = await startTestApp()
    browser = await launch()
    app.clock.set(new Date('2021-06-01T09:00:00Z'))
    const services = app.running.services
    await services.disputes.raise((await services.access.currentUser(app.fixture.people.iro1))!, {
      categoryKey: 'delay_drift',
      concern: 'Drift.',
      impact: 'Waiting.',
      wishesAndFeelings: 'None given.',
      recommendedResolution: 'Act.',
      resolutionTimescale: 'Soon',
      childIds: [app.fixture.children.c2],
      policyId: 'iro-care-first',
      startStageKey: 'stage1',
      becameAwareOn: '2021-06-01' as never,
    })
    app.clock.set(new Date('2023-01-05T09:00:00Z'))
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  const signIn = (who: FixturePerson) => signedInPage(browser, app, who)

  it('the reviewing service manager opens Reports, filters, follows a count to its records and opens the annual page', async () => {
    const page = await signIn('rsm')
    await page.getByRole('link', { name: 'Reports' }).click()
    await onPage(page, 'Reports')
    await expectContains(page.getByTestId('period'), '1 April 2021 to 31 March 2022')
    // Every figure has a chart (an image with a name) and a table.
    const charts = page.locator('svg.app-chart[role="img"]')
    expect(await charts.count()).toBe(await page.locator('table[data-qa^="table-"]').count())
    expect(await charts.count()).toBeGreaterThanOrEqual(12)
    await expectContains(page.getByRole('img', { name: /Disputes by category/ }), '')
    await expectContains(page.getByTestId('table-disputes-by-outcome'), 'Still open')

    // Narrow to team A and a shorter period, without JavaScript-only controls.
    const from = page.getByRole('group', { name: 'Start of the period' })
    await from.getByLabel('Day').fill('1')
    await from.getByLabel('Month').fill('5')
    await from.getByLabel('Year').fill('2021')
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Team A' })
    await page.getByTestId('show-figures').click()
    await onPage(page, 'Reports')
    await expectContains(page.getByTestId('period'), '1 May 2021 to 31 March 2022')
    await expectContains(page.getByTestId('filters-used'), 'Team A')

    // The count of disputes still open leads to the record.
    await page
      .getByTestId('table-disputes-by-outcome')
      .getByRole('link', { name: /Still open/ })
      .click()
    await onPage(page, 'Records behind a figure')
    await expectContains(page.getByTestId('records'), 'c2 Child')
    await page.getByRole('link', { name: 'Back to reports' }).click()
    await onPage(page, 'Reports')

    await page.getByTestId('annual-link').click()
    await onPage(page, 'Annual IRO and CP chair report')
    await expectContains(
      page.getByTestId('years'),
      '1 April 2021 to 31 March 2022, against 1 April 2020 to 31 March 2021',
    )
    await expectContains(page.getByTestId('table-annual'), 'Disputes raised')

    // A date that does not exist is shown back with a GOV.UK error.
    await page.goto(`${app.url}/reports?from-day=31&from-month=2&from-year=2022&to-day=1&to-month=3&to-year=2022`)
    await onPage(page, 'Reports')
    await expectContains(page.locator('.govuk-error-summary'), 'The start of the period must be a real date')
  })

  it('a team manager has no Reports link and is refused', async () => {
    const page = await signIn('tmA')
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(0)
    await page.goto(`${app.url}/reports`)
    await onPage(page, 'You do not have permission to see reports')
  })
})
