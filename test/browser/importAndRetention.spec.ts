import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FixturePerson } from '../factories/organisationFixture.js'
import { startTestApp, type TestApp } from '../helpers/testApp.js'
import { browserAvailable, expectContains, expectText, launch, onPage, signedInPage } from './browser.js'

// The app's day is Thursday 5 January 2023. The fixture's people have no staff IDs: files name them by email.
describe.runIf(browserAvailable())('import, subject access and retention in the browser', () => {
  let app: TestApp
  let browser: Browser

  beforeAll(async () => {
    app = await startTestApp()
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  const signIn = (who: FixturePerson) => signedInPage(browser, app, who)

  const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })

  it('an administrator uploads files, sees the errors, then the preview, applies it and reads the outcome', async () => {
    const admin = await signIn('admin')
    await admin.getByRole('link', { name: 'Import' }).click()
    await onPage(admin, 'Import from the case-management system')
    await admin.getByText('What the files must contain').click()
    await expectContains(admin.getByTestId('columns'), 'case_id, given_name, family_name, date_of_birth')

    // Nothing chosen, then a file with a bad date and an unknown team.
    await admin.getByTestId('upload').click()
    await onPage(admin, 'Import from the case-management system')
    await expectContains(admin.locator('.govuk-error-summary'), 'Select at least one CSV file to import')
    await admin
      .getByLabel('Children (optional)')
      .setInputFiles(
        csv(
          'children.csv',
          'case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start\nC9,Ann,Lee,2015-02-30,Team A,,\n',
        ),
      )
    await admin.getByTestId('upload').click()
    await onPage(admin, 'Import from the case-management system')
    await expectContains(
      admin.locator('.govuk-error-summary'),
      'Children file, row 2: The date of birth must be a real date, like 2015-06-01 or 01/06/2015',
    )
    await admin.locator('.govuk-error-summary a').first().click()
    await expect.poll(() => admin.evaluate(() => document.activeElement?.id)).toBe('children')

    // Good files: C2's social worker moves to swB; C5 is new; C4 is no longer in the file.
    await admin.getByLabel('Children (optional)').setInputFiles(
      csv(
        'children.csv',
        `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C1,c1,Child,2015-06-01,Team A,2022-03-01,
C2,c2,Child,2015-06-01,Team A,,2021-05-10
C3,c3,Child,2015-06-01,Team B,,2021-05-10
C5,Eve,New,01/06/2019,Team C,,2022-12-01
`,
      ),
    )
    await admin
      .getByLabel('Allocations of social workers and reviewers (optional)')
      .setInputFiles(
        csv(
          'allocations.csv',
          'case_id,social_worker,iro,cp_chair\nC2,swB@test.example,iro1@test.example,\nC5,swC@test.example,iro2@test.example,\n',
        ),
      )
    await admin.getByTestId('upload').click()
    await onPage(admin, 'Check the import before you apply it')
    await expectText(admin.getByTestId('import-counts').locator('tbody tr').first(), /^Children\s+1\s+1\s+1$/)
    await expectContains(admin.getByTestId('child-add'), 'Eve New')
    await expectContains(admin.getByTestId('child-change'), 'social worker: swA Fixture to swB Fixture')
    await expectContains(admin.getByTestId('child-end'), 'case closed on: none to 5 January 2023')
    await admin.getByTestId('apply').click()
    await onPage(admin, /^Import \d+$/)
    await expectContains(admin.locator('.govuk-notification-banner'), 'Import applied')
    await expectText(admin.getByTestId('import-counts').locator('tbody tr').first(), /^Children\s+1\s+1\s+1$/)
    await admin.getByTestId('import-changed').getByRole('link', { name: 'C2' }).click()
    await onPage(admin, 'c2 Child')
    await expectContains(admin.getByTestId('history'), 'Child’s details changed by an import')
    await expectContains(admin.getByTestId('chain'), 'swB Fixture')
  })

  it('an administrator downloads everything held about a child as one file', async () => {
    const admin = await signIn('admin')
    await admin.goto(`${app.url}/children/${app.fixture.children.c1}`)
    await onPage(admin, 'c1 Child')
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('subject-access-export').click(),
    ])
    expect(download.suggestedFilename()).toBe('concord-subject-access-C1-2023-01-05.json')
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'))
    expect(data.child.case_id).toBe('C1')
    expect(data.accessAudit.map((a: { action: string }) => a.action)).toContain('subject_access_export')
  })

  it('an administrator reviews records past retention and records a decision', async () => {
    await app.running.services.db.query(`update children set closed_on = '2016-03-01' where id = $1`, [
      app.fixture.children.c4,
    ])
    const admin = await signIn('admin')
    await admin.getByRole('link', { name: 'Retention' }).click()
    await onPage(admin, 'Records past the retention period')
    await expectContains(admin.getByTestId('retention-rule'), 'for 6 years after their case closed')
    await admin.getByTestId('retention-due').getByRole('link', { name: /C4/ }).click()
    await onPage(admin, 'Decide what happens to the records of c4 Child')
    await admin.getByTestId('submit').click()
    await onPage(admin, 'Decide what happens to the records of c4 Child')
    await expectContains(
      admin.locator('.govuk-error-summary'),
      'Select whether to keep the records or mark them for deletion',
    )
    await admin.getByLabel('Keep them for longer').check()
    const date = admin.getByRole('group', { name: 'If you keep them: until when?' })
    await date.getByLabel('Day').fill('1')
    await date.getByLabel('Month').fill('6')
    await date.getByLabel('Year').fill('2024')
    await admin.getByLabel('Reason for the decision').fill('A complaint about the placement is still open')
    await admin.getByTestId('submit').click()
    await onPage(admin, 'Records past the retention period')
    await expectContains(admin.locator('.govuk-notification-banner'), 'Decision recorded')
    await expectContains(admin.getByTestId('retention-kept'), 'Kept until 1 June 2024')
  })

  it('shows no import or retention to anyone else', async () => {
    const sw = await signIn('swA')
    await expectText(sw.locator('h1'), /.+/)
    expect(await sw.getByRole('link', { name: 'Import' }).count()).toBe(0)
    expect(await sw.getByRole('link', { name: 'Retention' }).count()).toBe(0)
    await sw.goto(`${app.url}/import`)
    await onPage(sw, /.+/)
    expect(await sw.getByTestId('upload').count()).toBe(0)
  })
})
