import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import { FIXTURE_PASSWORD } from '../factories/organisationFixture.js'
import { emailOf, startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, checkAccessibility, expectContains, expectText, launch, newPage } from './browser.js'
import { ChildPage, ChildrenPage, MyWorkPage, SignInPage } from './pages/pages.js'

describe.runIf(browserAvailable())('foundation in the browser', () => {
  let app: TestApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    app = await startTestApp()
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  it('a social worker signs in, sees only their children, opens one, and signs out', async () => {
    page = await newPage(browser)
    const signIn = await SignInPage.open(page, app.url)
    await signIn.signIn(emailOf('swA'), 'wrong password')
    await expectContains(
      signIn.errorSummary(),
      errorMessages.signIn.credentials.refused(app.running.services.config.lockMinutes),
    )
    await checkAccessibility(page)
    await signIn.signIn(emailOf('swA'), FIXTURE_PASSWORD)
    const children = await (await MyWorkPage.verifyOnPage(page)).children()
    await expectText(children.childLinks(), ['c1 Child', 'c2 Child'])
    const child = await children.open('c2 Child')
    await expectContains(child.details(), 'iro1 Fixture')
    await expectContains(page.getByTestId('legal-status'), 'Looked after since 10 May 2021')
    await expectContains(child.chain(), 'tmA Fixture')
    await expectContains(page.getByTestId('siblings'), 'A sibling you are not allocated to')
    // Someone else's child is simply not found.
    await page.goto(`${app.url}/children/${app.fixture.children.c4}`)
    await expectText(page.locator('h1'), 'Page not found')
    await checkAccessibility(page)
    const back = await ChildrenPage.verifyOnPage((await page.goto(`${app.url}/children`), page))
    await back.signOut()
  })

  it('an administrator changes a child, sees the change in the history and the audit, and finds them by search', async () => {
    page = await newPage(browser)
    const signIn = await SignInPage.open(page, app.url)
    await signIn.signIn(emailOf('admin'), FIXTURE_PASSWORD)
    const children = await (await MyWorkPage.verifyOnPage(page)).children()
    const found = await children.search('C3')
    await expectText(found.childLinks(), ['c3 Child'])
    await found.open('c3 Child')
    await page.getByRole('link', { name: /Change details/ }).click()
    await expectText(page.locator('h1'), 'Change details of c3 Child')
    await checkAccessibility(page)
    await page.getByLabel('First name').fill('')
    await page.getByTestId('save').click()
    await expectContains(page.locator('.govuk-error-summary'), errorMessages.child.givenName.required)
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    await checkAccessibility(page)
    await page.getByLabel('First name').fill('Cora')
    await page.getByTestId('save').click()
    const child = await ChildPage.verifyOnPage(page, 'Cora Child')
    await expectContains(page.locator('.govuk-notification-banner'), 'Child’s details saved')
    await expectContains(child.history(), 'Child’s details changed')
    await expectContains(child.history(), 'first name')
    await page.getByRole('link', { name: 'Who has viewed this record' }).click()
    await expectText(page.locator('h1'), 'Who has viewed this record')
    await expectContains(page.getByTestId('audit-table'), 'admin Fixture')
    await checkAccessibility(page)
  })

  it('an administrator walks the people and teams pages and adds a team', async () => {
    page = await newPage(browser)
    const signIn = await SignInPage.open(page, app.url)
    await signIn.signIn(emailOf('admin'), FIXTURE_PASSWORD)
    await page.getByRole('link', { name: 'People', exact: true }).click()
    await expectText(page.locator('h1'), 'People')
    await checkAccessibility(page)
    await page.getByRole('link', { name: 'tmA Fixture' }).click()
    await expectContains(page.getByTestId('roles'), 'Team manager, Team A')
    await checkAccessibility(page)
    await page.getByRole('link', { name: 'Teams', exact: true }).click()
    await expectText(page.locator('h1'), 'Teams and management chain')
    await checkAccessibility(page)
    await page.getByRole('button', { name: 'Add a team or unit' }).click()
    await checkAccessibility(page)
    await page.getByLabel('Name').fill('Team D')
    await page.getByLabel('Team', { exact: true }).check()
    await page.getByLabel('Reports to').selectOption({ label: 'South service (Service)' })
    await page.getByLabel('Manager').selectOption({ label: 'tmC Fixture' })
    await page.getByTestId('save').click()
    await expectText(page.locator('h1'), 'Team D')
    await expectContains(page.getByTestId('chain'), 'hosSouth Fixture')
    await checkAccessibility(page)
    expect(page.url()).toMatch(/\/teams\/\d+$/)
  })
})
