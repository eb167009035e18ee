import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorMessages } from '../../src/i18n/errorMessages.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import type { TestApp } from '../helpers/testApp.js'
import { signInThroughPages, startAppWithSiblingsUnderOneReviewer } from './siblingsJourney.js'
import { browserAvailable, checkAccessibility, expectContains, expectText, launch, newPage } from './browser.js'
import { ChoosePolicyPage, DisputePage, DisputesPage, RespondPage } from './pages/pages.js'
import { recordsOverApi } from './recordsOverApi.js'

const m = errorMessages.dispute

describe.runIf(browserAvailable())('disputes in the browser', () => {
  let app: TestApp
  let browser: Browser
  let page: Page
  let recordUrl = ''

  beforeAll(async () => {
    app = await startAppWithSiblingsUnderOneReviewer()
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  const signIn = (who: FixturePerson) => signInThroughPages(page, app, who)

  it('a reviewer raises a dispute for two siblings, the team manager answers with a SMART action plan, and the reviewer sees it awaiting decision', async () => {
    page = await newPage(browser)

    // The IRO raises it from the child's page: first the policy, then the details.
    const children = await signIn('iro1')
    await children.open('c2 Child')
    await page.getByTestId('raise-dispute').click()
    const choose = await ChoosePolicyPage.verifyOnPage(page)
    await page.getByTestId('continue').click()
    await expectContains(page.locator('.govuk-error-summary'), m.policyId.required)
    await checkAccessibility(page)
    const raise = await choose.choose('Gloucestershire 2022: celebrating success and resolving differences')
    await raise.submit()
    await expectContains(raise.errorSummary(), m.concern.required)
    await checkAccessibility(page)
    await raise.fill({
      category: 'Drift and Delay in achieving timely permanence for children',
      concern: 'The pathway plans have not been updated since March.',
      impact: 'Neither child knows where they will live next year.',
      wishesAndFeelings: 'They want to stay together, near their school.',
      recommendedResolution: 'Update both plans and share them with the children.',
      timescale: 'Within 10 working days',
      becameAware: { day: '4', month: '1', year: '2023' },
      stage: 'Formal Level 1',
      siblings: ['c3 Child (C3)'],
    })
    // Changing the policy keeps what was typed that any policy asks for...
    await page.getByRole('button', { name: 'Change policy' }).click()
    await (
      await ChoosePolicyPage.verifyOnPage(page)
    ).choose('Gloucestershire 2022: celebrating success and resolving differences')
    await expect(page.getByLabel('The concern').inputValue()).resolves.toBe(
      'The pathway plans have not been updated since March.',
    )
    await expect(page.getByLabel('c3 Child (C3)').isChecked()).resolves.toBe(true)
    await page.getByLabel('Drift and Delay in achieving timely permanence for children').check()
    await page.getByLabel('Formal Level 1', { exact: true }).check()
    // ...and Enter in a one-line field raises the dispute, not "Change policy", the form's first button.
    await page.getByLabel('Timescale for the resolution').press('Enter')
    const raised = await DisputePage.verifyOnPage(page)
    const reference = await raised.reference()
    recordUrl = page.url()
    await expectContains(raised.banner(), 'Dispute raised: 2 linked records, one for each child')
    await expectContains(raised.glance(), 'tmA Fixture (Team Manager)')
    await expectContains(raised.glance(), '12 January 2023 (5 working days left)')
    await expectContains(raised.glance(), 'c3 Child')
    await expectContains(raised.status(), 'Awaiting response')
    await raised.signOut()

    // The team manager finds it in the disputes list and answers with a SMART action plan.
    await signIn('tmA')
    const list = await DisputesPage.open(page)
    await expectContains(list.table(), reference)
    const record = await list.open(reference)
    const respond = await record.respond()
    await respond.submit()
    await expectContains(respond.errorSummary(), m.comments.required)
    await checkAccessibility(page)
    await respond.fill('We will update the plan with the young person this week.', [
      {
        what: 'Update the pathway plan',
        owner: 'swA Fixture (Social Worker)',
        due: { day: '10', month: '1', year: '2023' },
      },
    ])
    // A second row with only an owner is an error that names the row.
    await page
      .getByTestId('action-row-2')
      .getByLabel('Who owns it')
      .selectOption({ label: 'tmA Fixture (Team Manager)' })
    await respond.submit()
    const errorPage = await RespondPage.verifyOnPage(page)
    await expectContains(errorPage.errorSummary(), m.actionRow.what(2))
    await page.getByTestId('action-row-2').getByLabel('Who owns it').selectOption({ label: 'Select who owns it' })
    await errorPage.submit()
    const answered = await DisputePage.verifyOnPage(page, reference)
    await expectContains(answered.banner(), 'Response and action plan sent to the reviewer')
    await expectContains(answered.status(), 'Awaiting decision')
    await expectContains(answered.actions(), 'Update the pathway plan')
    await answered.signOut()

    // The reviewer sees it awaiting their decision.
    await signIn('iro1')
    const mine = await DisputesPage.open(page)
    await expectContains(mine.table(), 'Response received')
    const decided = await mine.open(reference)
    await expectContains(decided.status(), 'Awaiting decision')
    await expectContains(decided.recordActions(), 'Decide if the dispute is resolved')
    await expectContains(decided.actions(), 'swA Fixture')
    await decided.signOut()
  })

  it('every page of a record, and the administrators’ pages, pass the accessibility checks', async () => {
    page = await newPage(browser)
    const records = recordsOverApi(app)
    const recordId = Number(/\/disputes\/(\d+)$/.exec(recordUrl)![1])
    /** Each step's page while it is open to its viewer; a page that is not says so, and passes the checks too. */
    const visit = async (url: string, heading: string | RegExp) => {
      await page.goto(url)
      await expectText(page.locator('h1'), heading)
      await checkAccessibility(page)
    }
    await signIn('iro1')
    // Awaiting the reviewer's decision (the first test).
    const steps: [string, string | RegExp][] = [
      ['decide', 'Decide if the dispute is resolved'],
      ['escalate', 'Escalate the dispute'],
      ['cafcass', 'Refer to CAFCASS'],
      ['legal-advice', 'Record legal advice'],
      ['actions/1/complete', 'Mark an action as done'],
      ['print', /^Dispute record DRP-\d{6}$/],
    ]
    for (const [path, heading] of steps) await visit(`${recordUrl}/${path}`, heading)
    // On a phone the print view's action table scrolls in its own pane, not the whole page (WCAG 1.4.10).
    await page.setViewportSize({ width: 320, height: 800 })
    await expect(page.getByTestId('actions').count()).resolves.toBe(1)
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }))
    expect(width.scroll).toBeLessThanOrEqual(width.view)
    await page.setViewportSize({ width: 1280, height: 800 })
    // An action marked done through its form, as the reviewer would from the record.
    await page.goto(`${recordUrl}/actions/1/complete`)
    await page.getByLabel('How it was done').fill('The plan was updated on 5 January.')
    await page.getByTestId('submit').click()
    await expectContains((await DisputePage.verifyOnPage(page)).banner(), 'Action marked as done')
    // A discussion: the meeting agenda is revealed under "Meeting" (and simply shown without JavaScript).
    await page.goto(`${recordUrl}/discussions/new`)
    await expectText(page.locator('h1'), 'Log a discussion')
    await page.getByLabel('Meeting', { exact: true }).check()
    await page.getByLabel('Reason for meeting (optional)').fill('The plan is out of date')
    await page.getByTestId('submit').click()
    await expectContains(page.locator('.govuk-error-summary'), m.heldOn.required)
    await expectContains(page.locator('.govuk-error-summary'), m.meeting.outcome)
    await checkAccessibility(page)
    await visit(`${recordUrl}/finalise`, 'You cannot do this now')
    await expectContains(page.getByTestId('step-closed'), ', you cannot finalise the record now.')
    await records.act('iro1', recordId, { type: 'decide_resolved', comments: 'Resolved.' })
    await visit(`${recordUrl}/finalise`, 'Finalise the record')
    await records.act('iro1', recordId, { type: 'finalise' })
    await visit(`${recordUrl}/addendum`, 'Add an addendum')

    // A policy whose last stages are held outside Concord: the reviewer records their outcome.
    const careFirst = await records.raise('iro1', {
      policyId: 'iro-care-first',
      childId: app.fixture.children.c3,
      categoryKey: 'child_plan',
      startStageKey: 'stage1',
    })
    let climbed = careFirst
    for (const next of ['stage2', 'stage3', 'stage4', 'stage5']) climbed = await records.climb('iro1', climbed, next)
    await visit(`${app.url}/disputes/${careFirst.id}/outcome`, 'Record the outcome of the stage')
    await page.goto(`${app.url}/disputes?status=open&raisedBy=anyone`)
    await DisputesPage.verifyOnPage(page)
    await page.goto(recordUrl)
    await (await DisputePage.verifyOnPage(page)).signOut()

    // Pre-approval: a chair's dispute at stage 2 waits for the chairs' manager, then may be extended.
    const mosaic = await records.raise('cpc1', {
      policyId: 'cpc-mosaic-2022',
      childId: app.fixture.children.c1,
      categoryKey: 'drift_and_delay',
      startStageKey: 'stage2',
    })
    await signIn('rsm')
    await visit(`${app.url}/disputes/${mosaic.id}/approve`, 'Give pre-approval')
    await visit(`${app.url}/disputes/${mosaic.id}/decline`, 'Decline pre-approval')
    await records.act('rsm', mosaic.id, { type: 'approve', note: 'Agreed.' })
    await records.respond(mosaic.id)
    await page.goto(`${app.url}/disputes/${mosaic.id}`)
    await (await DisputePage.verifyOnPage(page)).signOut()
    await signIn('cpc1')
    await visit(`${app.url}/disputes/${mosaic.id}/extension`, 'Agree an extension')
    // A second request for pre-approval, which the chair withdraws.
    const asked = await records.raise('cpc1', {
      policyId: 'cpc-mosaic-2022',
      childId: app.fixture.children.c1,
      categoryKey: 'drift_and_delay',
      startStageKey: 'stage2',
    })
    await visit(`${app.url}/disputes/${asked.id}/withdraw-request`, 'Withdraw the request for pre-approval')
    await page.getByTestId('submit').click()
    await expectContains(page.locator('.govuk-error-summary'), m.withdrawReason.required)
    await checkAccessibility(page)
    await page.goto(`${app.url}/disputes/${mosaic.id}`)
    await (await DisputePage.verifyOnPage(page)).signOut()

    await signIn('admin')
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await expectText(page.locator('h1'), 'Dispute resolution policies')
    await checkAccessibility(page)
    await page.getByRole('link', { name: 'Child Protection Chair Dispute Resolution Process on Mosaic' }).click()
    await expectText(page.locator('h1'), 'Child Protection Chair Dispute Resolution Process on Mosaic')
    await expectContains(page.getByTestId('rules'), 'Escalation is always to the next stage.')
    await checkAccessibility(page)
    await page.getByRole('link', { name: 'Calendar', exact: true }).click()
    await expectText(page.locator('h1'), 'Working-day calendar')
    await checkAccessibility(page)
    await page.getByTestId('add').click()
    await expectContains(page.locator('.govuk-error-summary'), errorMessages.calendar.day.required)
    await checkAccessibility(page)
    const date = page.getByRole('group', { name: 'Date' })
    await date.getByLabel('Day').fill('1')
    await date.getByLabel('Month').fill('3')
    await date.getByLabel('Year').fill('2030')
    await page.getByLabel('Closed: a local closure').check()
    await page.getByLabel('Why').fill('The office is moving')
    await page.getByTestId('add').click()
    await expectContains(page.getByTestId('adjustments'), 'The office is moving')
    await checkAccessibility(page)
    await page.getByTestId('remove-2030-03-01').click()
    await expectContains(page.getByTestId('no-adjustments'), 'There are no changes')
    await checkAccessibility(page)
  })
})
