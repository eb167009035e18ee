import type { Page } from 'playwright-core'
import { checkAccessibility, expectText } from '../browser.js'

/** Page objects: each knows its heading, checks it is on screen, and checks accessibility there. */
abstract class ConcordPage {
  constructor(protected readonly page: Page) {}

  protected static async verify<T extends ConcordPage>(
    this: new (page: Page) => T,
    page: Page,
    heading: string | RegExp,
  ): Promise<T> {
    await expectText(page.locator('h1'), heading)
    await checkAccessibility(page)
    return new this(page)
  }

  async signOut(): Promise<SignInPage> {
    await this.page.getByRole('button', { name: 'Sign out' }).click()
    return SignInPage.verifyOnPage(this.page)
  }
}

export class SignInPage extends ConcordPage {
  static async open(page: Page, baseUrl: string): Promise<SignInPage> {
    await page.goto(`${baseUrl}/sign-in`)
    return SignInPage.verifyOnPage(page)
  }

  static verifyOnPage(page: Page) {
    return SignInPage.verify(page, 'Sign in to Concord')
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByTestId('sign-in').click()
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary')
  }
}

/** Where everyone lands after signing in. */
export class MyWorkPage extends ConcordPage {
  static verifyOnPage(page: Page) {
    return MyWorkPage.verify(page, 'My work')
  }

  async children(): Promise<ChildrenPage> {
    await this.page.getByRole('link', { name: 'Children', exact: true }).click()
    return ChildrenPage.verifyOnPage(this.page)
  }
}

export class ChildrenPage extends ConcordPage {
  static verifyOnPage(page: Page) {
    return ChildrenPage.verify(page, 'Children')
  }

  async search(text: string): Promise<ChildrenPage> {
    await this.page.getByLabel('Search by name or case ID').fill(text)
    await this.page.getByTestId('search').click()
    return ChildrenPage.verifyOnPage(this.page)
  }

  childLinks() {
    return this.page.getByTestId('children-table').locator('tbody a')
  }

  async open(name: string): Promise<ChildPage> {
    await this.page.getByRole('link', { name }).click()
    return ChildPage.verifyOnPage(this.page, name)
  }
}

export class ChildPage extends ConcordPage {
  static verifyOnPage(page: Page, name: string) {
    return ChildPage.verify(page, name)
  }

  details() {
    return this.page.getByTestId('child-details')
  }
  history() {
    return this.page.getByTestId('history')
  }
  chain() {
    return this.page.getByTestId('chain')
  }
}

export class ChoosePolicyPage extends ConcordPage {
  static verifyOnPage(page: Page) {
    return ChoosePolicyPage.verify(page, /Which policy does this dispute follow\?/)
  }

  async choose(policyName: string): Promise<RaiseDisputePage> {
    await this.page.getByLabel(policyName).check()
    await this.page.getByTestId('continue').click()
    return RaiseDisputePage.verifyOnPage(this.page)
  }
}

export interface DisputeDetails {
  category: string
  concern: string
  impact: string
  wishesAndFeelings: string
  recommendedResolution: string
  timescale: string
  becameAware: { day: string; month: string; year: string }
  stage: string
  siblings: string[]
}

export class RaiseDisputePage extends ConcordPage {
  static verifyOnPage(page: Page) {
    return RaiseDisputePage.verify(page, 'Raise a dispute')
  }

  async fill(d: DisputeDetails): Promise<void> {
    await this.page.getByLabel(d.category).check()
    await this.page.getByLabel('The concern').fill(d.concern)
    await this.page.getByLabel('Impact on the child').fill(d.impact)
    await this.page.getByLabel('The child’s wishes and feelings (optional)').fill(d.wishesAndFeelings)
    await this.page.getByLabel('Recommended resolution').fill(d.recommendedResolution)
    await this.page.getByLabel('Timescale for the resolution').fill(d.timescale)
    const aware = this.page.getByRole('group', { name: 'When did you become aware of the concern?' })
    await aware.getByLabel('Day').fill(d.becameAware.day)
    await aware.getByLabel('Month').fill(d.becameAware.month)
    await aware.getByLabel('Year').fill(d.becameAware.year)
    await this.page.getByLabel(d.stage, { exact: true }).check()
    for (const sibling of d.siblings) await this.page.getByLabel(sibling).check()
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('raise').click()
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary')
  }
}

export class DisputesPage extends ConcordPage {
  static async open(page: Page): Promise<DisputesPage> {
    await page.getByRole('link', { name: 'Disputes', exact: true }).click()
    return DisputesPage.verifyOnPage(page)
  }

  static verifyOnPage(page: Page) {
    return DisputesPage.verify(page, 'Disputes')
  }

  table() {
    return this.page.getByTestId('disputes-table')
  }

  async open(reference: string): Promise<DisputePage> {
    await this.page.getByRole('link', { name: reference }).click()
    return DisputePage.verifyOnPage(this.page, reference)
  }
}

export class DisputePage extends ConcordPage {
  static verifyOnPage(page: Page, reference: string | RegExp = /^Dispute DRP-\d{6}$/) {
    return DisputePage.verify(page, typeof reference === 'string' ? `Dispute ${reference}` : reference)
  }

  async reference(): Promise<string> {
    return (await this.page.locator('h1').innerText()).replace(/^Dispute /, '').trim()
  }
  status() {
    return this.page.getByTestId('status')
  }
  glance() {
    return this.page.getByTestId('glance')
  }
  recordActions() {
    return this.page.getByTestId('record-actions')
  }
  actions() {
    return this.page.getByTestId('actions')
  }
  banner() {
    return this.page.locator('.govuk-notification-banner')
  }

  async respond(): Promise<RespondPage> {
    await this.page.getByTestId('action-respond').click()
    return RespondPage.verifyOnPage(this.page)
  }
}

export interface ActionRow {
  what: string
  owner: string
  due: { day: string; month: string; year: string }
}

export class RespondPage extends ConcordPage {
  static verifyOnPage(page: Page) {
    return RespondPage.verify(page, 'Respond with a SMART action plan')
  }

  async fill(comments: string, actions: ActionRow[]): Promise<void> {
    await this.page.getByLabel('Your comments').fill(comments)
    for (const [i, a] of actions.entries()) {
      const row = this.page.getByTestId(`action-row-${i + 1}`)
      await row.getByLabel('What will be done').fill(a.what)
      await row.getByLabel('Who owns it').selectOption({ label: a.owner })
      await row.getByLabel('Day').fill(a.due.day)
      await row.getByLabel('Month').fill(a.due.month)
      await row.getByLabel('Year').fill(a.due.year)
    }
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('submit').click()
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary')
  }
}
