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
