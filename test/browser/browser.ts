import { existsSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, chromium, type Locator, type Page, selectors } from 'playwright-core'
import { expect } from 'vitest'
import { FIXTURE_PASSWORD, type FixturePerson } from '../factories/organisationFixture.js'
import { emailOf, type TestApp } from '../helpers/testApp.js'
import { SignInPage } from './pages/pages.js'

export const CHROMIUM = process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Whether the browser suite can run. CI sets CONCORD_REQUIRE_BROWSER=true, so a missing
 * Chromium fails the run there instead of skipping it.
 */
export function browserAvailable(): boolean {
  const present = existsSync(CHROMIUM)
  if (!present && process.env.CONCORD_REQUIRE_BROWSER === 'true') {
    throw new Error(`Chromium is required but not found at ${CHROMIUM}: apt-get install -y chromium`)
  }
  return present
}

export async function launch(): Promise<Browser> {
  // Our views mark test hooks with data-qa, as the HMPPS services do.
  selectors.setTestIdAttribute('data-qa')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ timezoneId: 'Europe/London', locale: 'en-GB' })
  context.setDefaultTimeout(15_000)
  return context.newPage()
}

/** WCAG 2.2 AA through axe, on the page as it stands; any violation fails the test with its details. */
export async function checkAccessibility(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze()
  const summary = results.violations.map(
    v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`,
  )
  expect(summary, `axe violations on ${page.url()}`).toEqual([])
  // axe only asks for a review of a name taken from an element that is not there: fail on it here.
  const unnamed = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[aria-labelledby]')).flatMap(el =>
      (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(id => id && !document.getElementById(id)),
    ),
  )
  expect(unnamed, `aria-labelledby naming no element on ${page.url()}`).toEqual([])
}

/** playwright-core has no assertions of its own: these wait (by polling) as Playwright's would. */
const poll = { timeout: 10_000, interval: 50 }

export async function expectText(locator: Locator, text: string | RegExp | string[]): Promise<void> {
  if (Array.isArray(text))
    await expect.poll(async () => (await locator.allInnerTexts()).map(t => t.trim()), poll).toEqual(text)
  else if (typeof text === 'string')
    await expect
      .poll(
        async () =>
          (
            await locator
              .first()
              .innerText()
              .catch(() => '')
          ).trim(),
        poll,
      )
      .toBe(text)
  else
    await expect
      .poll(
        async () =>
          (
            await locator
              .first()
              .innerText()
              .catch(() => '')
          ).trim(),
        poll,
      )
      .toMatch(text)
}

export async function expectContains(locator: Locator, text: string): Promise<void> {
  await expect
    .poll(
      async () =>
        await locator
          .first()
          .innerText()
          .catch(() => ''),
      poll,
    )
    .toContain(text)
}

/** A new page signed in as a fixture person through the sign-in form. */
export async function signedInPage(browser: Browser, app: TestApp, who: FixturePerson): Promise<Page> {
  const page = await newPage(browser)
  const signInPage = await SignInPage.open(page, app.url)
  await signInPage.signIn(emailOf(who), FIXTURE_PASSWORD)
  return page
}

/** Checks the heading and the accessibility of the page now on screen. */
export async function onPage(page: Page, heading: string | RegExp): Promise<void> {
  await expectText(page.locator('h1'), heading)
  await checkAccessibility(page)
}
