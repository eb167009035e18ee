import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../src/domain/calendar/workingDays.js'
import { FIXTURE_PASSWORD } from '../factories/organisationFixture.js'
import { emailOf, startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, checkAccessibility, expectContains, expectText, launch, newPage } from './browser.js'
import { SignInPage } from './pages/pages.js'

describe.runIf(browserAvailable())('my work in the browser', () => {
  let app: TestApp
  let browser: Browser
  let disputeId: number

  beforeAll(async () => {
    app = await startTestApp()
    browser = await launch()
    const iro = (await app.running.services.access.currentUser(app.fixture.people.iro1))!
    disputeId = (
      await app.running.services.disputes.raise(iro, {
        childIds: [app.fixture.children.c2],
        policyId: 'gloucestershire-2022',
        categoryKey: 'drift_delay',
        concern: 'The assessment has not started.',
        impact: 'Delay for the child.',
        wishesAndFeelings: '',
        recommendedResolution: 'Start the assessment.',
        resolutionTimescale: '5 working days',
        becameAwareOn: parseIsoDate('2023-01-05'),
        startStageKey: 'formal1',
      })
    ).ids[0]!
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  async function signIn(who: 'tmA' | 'smNorth' | 'rsm' | 'admin'): Promise<Page> {
    const page = await newPage(browser)
    const signInPage = await SignInPage.open(page, app.url)
    await signInPage.signIn(emailOf(who), FIXTURE_PASSWORD)
    return page
  }

  it('shows the team manager a badge and their inbox, and takes them straight to the response form', async () => {
    const page = await signIn('tmA')
    await expectText(page.getByTestId('work-count'), '1')
    await page
      .getByRole('link', { name: /My work/ })
      .first()
      .click()
    await expectText(page.locator('h1'), 'My work')
    await expectContains(page.getByTestId('inbox'), 'Respond with a SMART action plan')
    await expectContains(page.getByTestId('inbox'), '5 working days left')
    await checkAccessibility(page)
    await page.getByRole('link', { name: /Respond with a SMART action plan/ }).click()
    expect(page.url()).toContain(`/disputes/${disputeId}/respond`)
    await checkAccessibility(page)
  })

  it('fits a phone’s screen (320 px, as WCAG 1.4.10 reflow asks): a wide table scrolls in its own pane, not the whole page', async () => {
    const pageWidth = (page: Page) =>
      page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }))
    const child = app.fixture.children.c2
    const pages = {
      // smNorth's copy (not yet acknowledged) has visually hidden words that once widened the page.
      smNorth: ['/work'],
      tmA: ['/work', '/disputes', `/disputes/${disputeId}`, '/children', `/children/${child}`, '/notes', '/teams'],
      rsm: ['/supervision', '/reports', '/people'],
      admin: ['/policies', `/children/${child}/audit`, '/calendar', '/outbox'],
    } as const
    // An email whose link is longer than a phone's line once widened the outbox: it must break, not overflow.
    await app.running.services.db.query(
      `insert into email_outbox (dedupe_key, to_address, subject, body, created_at, send_after)
       values ('long-link', 'someone@test.example', 'A long link', $1, now(), now())`,
      [`Open the record at https://concord.example.gov.uk/disputes/${'1234567890'.repeat(4)} to see it.`],
    )
    try {
      for (const [who, paths] of Object.entries(pages)) {
        const page = await signIn(who as keyof typeof pages)
        await page.setViewportSize({ width: 320, height: 800 })
        for (const path of paths) {
          await page.goto(`${app.url}${path}`)
          const { scroll, view } = await pageWidth(page)
          expect(scroll, path).toBeLessThanOrEqual(view)
          await checkAccessibility(page)
        }
        await page.context().close()
      }
    } finally {
      await app.running.services.db.query("delete from email_outbox where dedupe_key = 'long-link'")
    }
  })

  it('puts the name and Sign out on the navigation’s row where they fit, and below it on a phone', async () => {
    const page = await signIn('tmA')
    // Both boxes in one measurement, once the navigation's script has folded (or unfolded) its menu: measured
    // apart, a slower machine once saw the menu fold between the two.
    const rowOf = async () =>
      page.evaluate(() => {
        const nav = document.querySelector('.govuk-service-navigation__container')!.getBoundingClientRect()
        const signOut = document.querySelector('form.app-sign-out')!.getBoundingClientRect()
        return signOut.y < nav.bottom ? 'beside' : 'below'
      })
    await page.setViewportSize({ width: 1200, height: 800 })
    await page.goto(`${app.url}/work`)
    await page.locator('.govuk-service-navigation__list').waitFor({ state: 'visible' })
    expect(await rowOf()).toBe('beside')
    await page.setViewportSize({ width: 320, height: 800 })
    await page.locator('.govuk-service-navigation__list').waitFor({ state: 'hidden' })
    expect(await rowOf()).toBe('below')
    await page.context().close()
  })

  it('lets a copied manager acknowledge a copy, after which the badge drops to nothing', async () => {
    const page = await signIn('smNorth')
    await page.goto(`${app.url}/work`)
    await expectText(page.getByTestId('work-count'), '1')
    await checkAccessibility(page)
    await page.getByRole('button', { name: /Acknowledge/ }).click()
    await expectContains(page.locator('.govuk-notification-banner'), 'Acknowledged')
    await expectText(page.getByTestId('work-count'), '0')
    await expectContains(page.getByTestId('inbox-empty'), 'Nothing is waiting for you.')
    await checkAccessibility(page)
  })

  it('gives the reviewing service manager the supervision view with filters', async () => {
    const page = await signIn('rsm')
    await page.goto(`${app.url}/supervision`)
    await expectText(page.locator('h1'), 'Supervision')
    await expectContains(page.getByTestId('supervision-records'), `DRP-${String(disputeId).padStart(6, '0')}`)
    await checkAccessibility(page)
    await page.getByLabel('State').selectOption({ label: 'Response overdue' })
    await page.getByTestId('filter').click()
    await expectContains(page.getByTestId('supervision-records'), 'No outstanding records match.')
    await checkAccessibility(page)
    await page.goto(`${app.url}/settings/notifications`)
    await checkAccessibility(page)
  })

  it('shows an administrator the emails Concord has written, from a link on My work', async () => {
    const page = await signIn('admin')
    await page.goto(`${app.url}/work`)
    await page.getByTestId('outbox-link').click()
    await expectText(page.locator('h1'), 'Emails Concord has written')
    await expectContains(page.getByTestId('email').first(), `DRP-${String(disputeId).padStart(6, '0')}`)
    await checkAccessibility(page)
  })
})
