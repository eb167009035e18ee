import type { Page } from 'playwright-core'
import { FIXTURE_PASSWORD, type FixturePerson } from '../factories/organisationFixture.js'
import { emailOf, startTestApp, type TestApp } from '../helpers/testApp.js'
import { ChildrenPage, MyWorkPage, SignInPage } from './pages/pages.js'

/**
 * The test app with iro1 reviewing both siblings (c2 in team A, c3 in team B), so one reviewer can
 * raise a dispute or write a note for the two of them at once.
 */
export async function startAppWithSiblingsUnderOneReviewer(): Promise<TestApp> {
  const app = await startTestApp()
  await app.running.services.db.query('update children set iro_id = $1 where id = $2', [
    app.fixture.people.iro1,
    app.fixture.children.c3,
  ])
  return app
}

/** Signs in through the sign-in page, lands on My work and goes to the children list. */
export async function signInThroughPages(page: Page, app: TestApp, who: FixturePerson): Promise<ChildrenPage> {
  const signInPage = await SignInPage.open(page, app.url)
  await signInPage.signIn(emailOf(who), FIXTURE_PASSWORD)
  return (await MyWorkPage.verifyOnPage(page)).children()
}
