import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import type { TestApp } from '../helpers/testApp.js'
import { signInThroughPages, startAppWithSiblingsUnderOneReviewer } from './siblingsJourney.js'
import { browserAvailable, checkAccessibility, expectContains, expectText, launch, newPage } from './browser.js'

const m = errorMessages.notes

describe.runIf(browserAvailable())('good practice notes in the browser', () => {
  let app: TestApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    app = await startAppWithSiblingsUnderOneReviewer()
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  const signIn = (who: FixturePerson) => signInThroughPages(page, app, who)

  /** Checks the heading, then WCAG 2.2 AA on the page as it stands. */
  async function onPage(heading: string | RegExp) {
    await expectText(page.locator('h1'), heading)
    await checkAccessibility(page)
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await onPage('Sign in to Concord')
  }

  it('a reviewer writes a note for two siblings, and the social worker acknowledges it in My work', async () => {
    page = await newPage(browser)

    // The IRO writes it from the child's page.
    const children = await signIn('iro1')
    await children.open('c2 Child')
    await expectContains(page.getByTestId('no-notes'), 'No good practice notes have been written')
    await page.getByTestId('write-note').click()
    await onPage('Write a good practice note')
    await page.getByTestId('send-note').click()
    await expectContains(page.locator('.govuk-error-summary'), m.goodPractice.required)
    await onPage('Write a good practice note')
    await page.getByLabel('The social worker, swA Fixture').check()
    await page.getByLabel('Participation and Relational Practice').check()
    await page.getByLabel('What was the good practice?').fill('Visited both children every week and listened.')
    await page.getByLabel('Its impact on the child and family').fill('Both children now take part in their reviews.')
    await page.getByLabel('c3 Child (C3)').check()
    await page.getByTestId('send-note').click()
    await onPage(/^Good practice note NOTE-\d{6}$/)
    await expectContains(
      page.locator('.govuk-notification-banner'),
      'Good practice note sent: 2 linked notes, one for each child',
    )
    await expectContains(page.getByTestId('recipients'), 'swA Fixture')
    await expectContains(page.getByTestId('recipients'), 'tmA Fixture')
    await expectContains(page.getByTestId('linked-notes'), 'case ID C3')
    const reference = (await page.locator('h1').innerText()).replace('Good practice note ', '').trim()
    // On the child's page.
    await page.getByRole('link', { name: 'c2 Child' }).click()
    await onPage('c2 Child')
    await expectContains(page.getByTestId('child-notes'), reference)
    await signOut()

    // The social worker finds it in My work, reads it and acknowledges it.
    await signIn('swA')
    await expectText(page.getByTestId('work-count'), '1')
    await page
      .getByRole('link', { name: /My work/ })
      .first()
      .click()
    await onPage('My work')
    await expectContains(page.getByTestId('inbox'), reference)
    await page.getByRole('link', { name: /Read and acknowledge a good practice note about your practice/ }).click()
    await onPage(`Good practice note ${reference}`)
    await expectContains(page.getByTestId('note-text'), 'Visited both children every week and listened.')
    await page.getByTestId('acknowledge').click()
    await onPage('My work')
    await expectContains(page.locator('.govuk-notification-banner'), 'Acknowledged')
    await expectText(page.getByTestId('work-count'), '0')
    // Every note about them is one click away, from Notes in the header.
    await page.getByRole('navigation').getByRole('link', { name: 'Notes', exact: true }).click()
    await onPage('Notes')
    await expectContains(page.getByTestId('notes-table'), reference)
    // "Notes about my practice" on their own page.
    await page.goto(`${app.url}/people/${app.fixture.people.swA}`)
    await onPage('swA Fixture')
    await expectText(page.getByTestId('practice-notes-heading'), 'Notes about my practice')
    await expectContains(page.getByTestId('person-notes'), reference)
    await page.getByRole('link', { name: reference }).click()
    await onPage(`Good practice note ${reference}`)
    await expectContains(page.getByTestId('recipients'), 'Acknowledged 5 January 2023')
    await signOut()
  })

  it('a social worker sends a note about a reviewer and raises a concern, which their manager resolves', async () => {
    page = await newPage(browser)
    await signIn('swA')

    // A good practice note about the IRO, from the IRO's page.
    await page.goto(`${app.url}/people/${app.fixture.people.iro1}`)
    await onPage('iro1 Fixture')
    await page.getByTestId('send-reciprocal').click()
    await onPage('Send a good practice note about iro1 Fixture')
    await page.getByTestId('send-note').click()
    await expectContains(page.locator('.govuk-error-summary'), m.benefit.required)
    await checkAccessibility(page)
    await page.getByLabel('Key decision-making').check()
    await page.getByLabel('What was the good practice?').fill('A calm, clear review.')
    await page.getByLabel('The benefit to the child or their family').fill('The family felt heard.')
    await page.getByTestId('send-note').click()
    await onPage(/^Good practice note NOTE-\d{6}$/)
    await expectContains(page.getByTestId('recipients'), 'rsm Fixture')

    // A concern about the CP chair, from the CP chair's page.
    await page.goto(`${app.url}/people/${app.fixture.people.cpc1}`)
    await onPage('cpc1 Fixture')
    await page.getByTestId('raise-concern').click()
    await onPage('Raise a concern about cpc1 Fixture’s practice')
    await page.getByTestId('send-concern').click()
    await expectContains(page.locator('.govuk-error-summary'), m.route.required)
    await checkAccessibility(page)
    await page.getByLabel('Complaints in relation to child protection conferences').check()
    await page.getByLabel('The concern', { exact: true }).fill('The conference went ahead without my report.')
    await page.getByLabel('Case ID (optional)').fill('C1')
    await page.getByTestId('send-concern').click()
    await onPage(/^Concern NOTE-\d{6}$/)
    await expectContains(page.getByTestId('status'), 'Awaiting informal resolution')
    const concern = (await page.locator('h1').innerText()).replace('Concern ', '').trim()
    await page.goto(`${app.url}/notes`)
    await onPage('Notes')
    await expectContains(page.getByTestId('notes-table'), concern)
    await signOut()

    // The reviewer's manager resolves it informally; it was not resolved, so the formal route is named.
    await signIn('rsm')
    await page.goto(`${app.url}/work`)
    await onPage('My work')
    await page.getByRole('link', { name: /Resolve a concern about a reviewer’s practice informally/ }).click()
    await onPage('Record the informal resolution')
    await page.getByTestId('save-resolution').click()
    await expectContains(page.locator('.govuk-error-summary'), m.outcome.required)
    await checkAccessibility(page)
    await page.getByLabel('Outcome of the informal discussion').fill('We met and talked it through.')
    await page.getByLabel('No, it was not resolved').check()
    await page.getByLabel('Grievance process').check()
    await checkAccessibility(page)
    await page.getByTestId('save-resolution').click()
    await onPage(`Concern ${concern}`)
    await expectContains(page.getByTestId('status'), 'Not resolved: grievance process')
    await expectContains(page.getByTestId('resolution'), 'Raise it formally through the grievance process.')
    await signOut()

    // The CP chair does not see it.
    await signIn('cpc1')
    const id = Number(/NOTE-(\d+)/.exec(concern)![1])
    const res = await page.goto(`${app.url}/notes/${id}`)
    expect(res?.status()).toBe(404)
    await checkAccessibility(page)
  })
})
