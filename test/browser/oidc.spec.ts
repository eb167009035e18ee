import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestProvider, type TestProvider } from '../helpers/oidcProvider.js'
import { emailOf, freePort, startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, checkAccessibility, expectContains, expectText, launch, newPage } from './browser.js'
import { ChildrenPage, MyWorkPage, SignInPage } from './pages/pages.js'

/** Concord and a real OpenID Connect provider, each on its own loopback port. */
async function startWithProvider(
  env: NodeJS.ProcessEnv,
  accounts?: Record<string, Record<string, unknown>>,
  noSignOut = false,
): Promise<{ app: TestApp; provider: TestProvider }> {
  const port = await freePort()
  const base = `http://localhost:${port}`
  const provider = await startTestProvider({
    redirectUri: `${base}/sign-in/callback`,
    postLogoutRedirectUri: `${base}/sign-in`,
    accounts,
    noSignOut,
  })
  const app = await startTestApp('pglite', {
    PORT: String(port),
    CONCORD_BASE_URL: base,
    CONCORD_OIDC_ISSUER: provider.issuer,
    CONCORD_OIDC_CLIENT_ID: provider.clientId,
    CONCORD_OIDC_CLIENT_SECRET: provider.clientSecret,
    CONCORD_OIDC_PROVIDER_NAME: 'Wessexshire account',
    ...env,
  })
  return { app, provider }
}

/** From Concord's sign-in page through the provider's own login form. */
async function signInThroughProvider(page: Page, app: TestApp, login: string): Promise<void> {
  await page.goto(`${app.url}/sign-in`)
  await page.getByRole('button', { name: 'Sign in with Wessexshire account' }).click()
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('any password: the test provider takes any')
  await page.getByRole('button', { name: 'Sign-in' }).click()
}

async function pageWithoutFonts(browser: Browser): Promise<Page> {
  const page = await newPage(browser)
  // The provider's development pages import a web font; there is no internet here.
  await page.route(/fonts\.googleapis\.com/, route => route.abort())
  return page
}

describe.runIf(browserAvailable())('signing in through an OpenID Connect provider', () => {
  let app: TestApp
  let provider: TestProvider
  let browser: Browser

  // Claims per provider account; a test may change one, as an account holder could.
  const accounts: Record<string, Record<string, unknown>> = {
    // The provider says swA is an administrator; Concord ignores what providers say about roles.
    swA: { email: 'SWA@Test.Example', email_verified: true, roles: ['admin'], groups: ['Concord administrators'] },
    unverified: { email: emailOf('iro1'), email_verified: false },
  }

  beforeAll(async () => {
    ;({ app, provider } = await startWithProvider({}, accounts))
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
    await provider?.close()
  })

  it('signs a known person in with exactly the roles Concord holds, and signs them out of both', async () => {
    const page = await pageWithoutFonts(browser)
    await SignInPage.open(page, app.url)
    await checkAccessibility(page)
    // Local accounts are still on: both ways in are offered.
    await expect(page.getByLabel('Email address').count()).resolves.toBe(1)
    const sessionCookie = async () => (await page.context().cookies(app.url)).find(c => c.name === 'concord.sid')?.value
    const before = await sessionCookie()
    expect(before).toBeDefined()

    await signInThroughProvider(page, app, 'swA')
    const children = await (await MyWorkPage.verifyOnPage(page)).children()
    await expectText(page.getByTestId('signed-in-as'), 'swA Fixture')
    await expectText(children.childLinks(), ['c1 Child', 'c2 Child'])
    // A social worker, whatever the provider's token says: no administration.
    await expect(page.getByRole('link', { name: 'Calendar' }).count()).resolves.toBe(0)
    const calendar = await page.goto(`${app.url}/calendar`)
    expect(calendar?.status()).toBe(403)

    // The session id changed at sign-in (no fixation) and lives in the database like any other.
    expect(await sessionCookie()).not.toBe(before)
    const sessions = await app.running.services.db.query<{ n: number }>(
      `select count(*)::int as n from sessions where (data->>'personId')::int = $1`,
      [app.fixture.people.swA],
    )
    expect(sessions.rows[0]!.n).toBe(1)
    const linked = await app.running.services.db.query<{ kind: string }>(
      `select kind from events where entity_type = 'account' and entity_id = $1`,
      [app.fixture.people.swA],
    )
    expect(linked.rows.map(r => r.kind)).toEqual(['account.identity_linked'])
    const identities = await app.running.services.db.query<{ subject: string; issuer: string }>(
      'select subject, issuer from external_identities where person_id = $1',
      [app.fixture.people.swA],
    )
    expect(identities.rows).toEqual([{ subject: 'swA', issuer: provider.issuer }])

    // Signing out ends Concord's session, then the provider's (it asks to confirm).
    await page.goto(`${app.url}/children`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await SignInPage.verifyOnPage(page)
    expect(provider.signOuts).toHaveLength(1)
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)
    // The provider has forgotten them too: it asks for a login again.
    await page.getByRole('button', { name: 'Sign in with Wessexshire account' }).click()
    await expect(page.locator('input[name="login"]').count()).resolves.toBe(1)
  })

  it('signs an administrator in as an administrator', async () => {
    const page = await pageWithoutFonts(browser)
    await signInThroughProvider(page, app, 'admin')
    await (await MyWorkPage.verifyOnPage(page)).children()
    await expectText(page.getByTestId('signed-in-as'), 'admin Fixture')
    await expect(page.getByRole('link', { name: 'Calendar' }).count()).resolves.toBe(1)
    expect((await page.goto(`${app.url}/calendar`))?.status()).toBe(200)
  })

  it('refuses someone Concord does not know, someone inactive and an unverified email, never making an account', async () => {
    const before = await app.running.services.db.query<{ n: number }>('select count(*)::int as n from people')
    const page = await pageWithoutFonts(browser)
    await signInThroughProvider(page, app, 'stranger')
    await expectText(page.locator('h1'), 'You cannot sign in to Concord with this account')
    await expectContains(page.getByTestId('sign-in-problem'), 'Concord does not create accounts itself')
    await checkAccessibility(page)
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)

    await app.running.services.db.query('update people set active = false where id = $1', [app.fixture.people.swC])
    const inactive = await pageWithoutFonts(browser)
    await signInThroughProvider(inactive, app, 'swC')
    await expectText(inactive.locator('h1'), 'You cannot sign in to Concord with this account')

    const unverified = await pageWithoutFonts(browser)
    await signInThroughProvider(unverified, app, 'unverified')
    await expectText(unverified.locator('h1'), 'You cannot sign in to Concord with this account')

    const after = await app.running.services.db.query<{ n: number }>('select count(*)::int as n from people')
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n)
    const sessions = await app.running.services.db.query<{ n: number }>(
      `select count(*)::int as n from sessions where data ? 'personId'`,
    )
    // Only the administrator of the test before is signed in.
    expect(sessions.rows[0]!.n).toBe(1)
  })

  it('refuses a response whose state was tampered with, and a callback used twice', async () => {
    const page = await pageWithoutFonts(browser)
    provider.tamper.state = true
    try {
      await signInThroughProvider(page, app, 'iro1')
    } finally {
      provider.tamper.state = false
    }
    expect(new URL(page.url()).searchParams.get('state')).toMatch(/-altered$/)
    await expectText(page.locator('h1'), 'Sign-in did not finish')
    await checkAccessibility(page)
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)
    // The genuine response, replayed after the attempt used up its state: refused as well.
    expect(provider.lastCallback).toContain('code=')
    await page.goto(provider.lastCallback!)
    await expectText(page.locator('h1'), 'Sign-in did not finish')
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)
  })

  it('refuses an ID token whose nonce is not the one Concord sent', async () => {
    const page = await pageWithoutFonts(browser)
    provider.tamper.nonce = true
    try {
      await signInThroughProvider(page, app, 'iro1')
    } finally {
      provider.tamper.nonce = false
    }
    await expectText(page.locator('h1'), 'Sign-in did not finish')
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)
    // Without tampering the same person gets in (the provider remembers them): the refusal was the nonce.
    // They land on the page they last asked for, the children.
    await page.goto(`${app.url}/sign-in`)
    await page.getByRole('button', { name: 'Sign in with Wessexshire account' }).click()
    await ChildrenPage.verifyOnPage(page)
    await expectText(page.getByTestId('signed-in-as'), 'iro1 Fixture')
  })

  it('goes by the provider account once linked: a changed claim or a second account is refused until an administrator removes the link', async () => {
    const { swB, iro1 } = app.fixture.people
    const first = await pageWithoutFonts(browser)
    await signInThroughProvider(first, app, 'swB')
    await MyWorkPage.verifyOnPage(first)
    await expectText(first.getByTestId('signed-in-as'), 'swB Fixture')

    // The account holder changes the email their account claims to a colleague's.
    accounts.swB = { email: emailOf('iro1'), email_verified: true }
    const changed = await pageWithoutFonts(browser)
    await signInThroughProvider(changed, app, 'swB')
    await expectText(changed.locator('h1'), 'You cannot sign in to Concord with this account')
    await expectContains(changed.getByTestId('sign-in-problem'), 'do not match the Concord record it is linked to')
    await checkAccessibility(changed)
    await changed.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(changed)

    // A second provider account claiming swB's email, while swB signs in with the first.
    accounts['swB.new'] = { email: emailOf('swB'), email_verified: true }
    const second = await pageWithoutFonts(browser)
    await signInThroughProvider(second, app, 'swB.new')
    await expectText(second.locator('h1'), 'You cannot sign in to Concord with this account')
    const sessionsOf = async (personId: number) =>
      (
        await app.running.services.db.query<{ n: number }>(
          `select count(*)::int as n from sessions where (data->>'personId')::int = $1`,
          [personId],
        )
      ).rows[0]!.n
    expect(await sessionsOf(iro1)).toBe(1) // from the nonce test, in its own browser page
    expect(await sessionsOf(swB)).toBe(1) // the first page only
    const refusals = await app.running.services.db.query<{ entity_id: number; reason: string }>(
      `select entity_id, data->>'reason' as reason from events
        where kind = 'account.provider_sign_in_refused' order by id`,
    )
    expect(refusals.rows).toEqual([
      { entity_id: swB, reason: 'account_linked_to_another_person' },
      { entity_id: iro1, reason: 'account_linked_to_another_person' },
      { entity_id: swB, reason: 'person_linked_to_another_account' },
    ])

    // The administrator checks with swB, and removes the link from their page.
    const admin = await pageWithoutFonts(browser)
    await signInThroughProvider(admin, app, 'admin')
    await admin.goto(`${app.url}/people/${swB}`)
    await expectContains(admin.getByTestId('provider-links'), 'Linked')
    await checkAccessibility(admin)
    await admin.getByRole('button', { name: 'Remove the link to Wessexshire account' }).click()
    await expectContains(admin.locator('.govuk-notification-banner'), 'Link removed')
    await expectContains(admin.getByTestId('provider-links'), 'Not linked')
    await checkAccessibility(admin)
    // Removing it signed swB out of the browser that used the old account.
    expect(await sessionsOf(swB)).toBe(0)

    // Now the new account is linked at its first sign-in, and the old one is refused.
    const relinked = await pageWithoutFonts(browser)
    await signInThroughProvider(relinked, app, 'swB.new')
    await MyWorkPage.verifyOnPage(relinked)
    await expectText(relinked.getByTestId('signed-in-as'), 'swB Fixture')
    const identities = await app.running.services.db.query<{ subject: string }>(
      'select subject from external_identities where person_id = $1',
      [swB],
    )
    expect(identities.rows).toEqual([{ subject: 'swB.new' }])
  })
})

describe.runIf(browserAvailable())('provider only, matched by staff ID', () => {
  let app: TestApp
  let provider: TestProvider
  let browser: Browser

  beforeAll(async () => {
    ;({ app, provider } = await startWithProvider(
      { CONCORD_LOCAL_ACCOUNTS: 'off', CONCORD_OIDC_CLAIM: 'employee_id', CONCORD_OIDC_MATCH: 'staff_id' },
      {
        'iro.one': { email: 'someone.else@test.example', email_verified: true, employee_id: 'E1001' },
        'no.staff.id': { email: emailOf('iro2'), email_verified: true },
      },
      true,
    ))
    await app.running.services.db.query('update people set staff_id = $1 where id = $2', [
      'E1001',
      app.fixture.people.iro1,
    ])
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
    await provider?.close()
  })

  it('offers only the provider, matches the staff ID claim and signs out of Concord alone', async () => {
    const page = await pageWithoutFonts(browser)
    await SignInPage.open(page, app.url)
    await expect(page.getByLabel('Email address').count()).resolves.toBe(0)
    await checkAccessibility(page)
    await signInThroughProvider(page, app, 'iro.one')
    await (await MyWorkPage.verifyOnPage(page)).children()
    await expectText(page.getByTestId('signed-in-as'), 'iro1 Fixture')
    // This provider has no end_session_endpoint: sign-out ends Concord's session only.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await SignInPage.verifyOnPage(page)
    expect(new URL(page.url()).origin).toBe(new URL(app.url).origin)
  })

  it('refuses an email when staff IDs are what match', async () => {
    const page = await pageWithoutFonts(browser)
    await signInThroughProvider(page, app, 'no.staff.id')
    await expectText(page.locator('h1'), 'You cannot sign in to Concord with this account')
    await page.goto(`${app.url}/children`)
    await SignInPage.verifyOnPage(page)
  })
})
