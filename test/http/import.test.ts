import type { Agent } from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedVisibility, type FixturePerson } from '../factories/organisationFixture.js'
import { csrfFrom, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

// The app's day is Thursday 5 January 2023. The fixture's people have no staff IDs, so files name them by email.
let app: TestApp
const everyone = Object.keys(expectedVisibility) as FixturePerson[]

beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => app.dispose())

const db = () => app.running.services.db

const children = `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C1,c1,Child,2015-06-01,Team A,2022-03-01,
C2,c2,Child,2015-06-01,Team A,,2021-05-10
C3,c3,Child,2015-06-01,Team B,,2021-05-10
C6,Sam,Sixth,2018-04-05,Team C,2022-11-01,
`
const allocations = `case_id,social_worker,iro,cp_chair
C2,swB@test.example,iro1@test.example,
C6,swC@test.example,,cpc1@test.example
`

/** Everything an import could change, to show that a refused or repeated import changed nothing. */
async function state(): Promise<string> {
  const rows = await db().query<{ v: string }>(
    `select (select string_agg(id || ':' || version || ':' || coalesce(closed_on::text, ''), ',' order by id) from children)
       || '|' || (select string_agg(id || ':' || version || ':' || active, ',' order by id) from people)
       || '|' || (select string_agg(id || ':' || version, ',' order by id) from org_units)
       || '|' || (select count(*) from events) as v`,
  )
  return rows.rows[0]!.v
}

async function upload(agent: Agent, files: Record<string, { text: string | Buffer; name?: string }>) {
  const page = await agent.get('/import')
  let req = agent.post('/import').field('_csrf', csrfFrom(page.text))
  for (const [kind, f] of Object.entries(files))
    req = req.attach(kind, typeof f.text === 'string' ? Buffer.from(f.text) : f.text, f.name ?? `${kind}.csv`)
  return req
}

describe('import pages', () => {
  it('previews what the files will add, change and end, applies them, and shows the outcome', async () => {
    const admin = await signedInAgent(app, 'admin')
    const page = await admin.get('/import')
    expect(page.status).toBe(200)
    expect(page.text).toContain('enctype="multipart/form-data"')
    expect(page.text).toContain('data-qa="no-imports"')
    const before = await state()
    const uploaded = await upload(admin, { children: { text: children }, allocations: { text: allocations } })
    expect(uploaded.status).toBe(303)
    const previewUrl = uploaded.headers.location!
    expect(previewUrl).toMatch(/^\/import\/\d+$/)
    expect(await state()).toBe(before)

    const preview = await admin.get(previewUrl)
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Check the import before you apply it')
    expect(preview.text).toContain('data-qa="child-add"')
    expect(preview.text).toContain('Sam Sixth')
    // C2's social worker moves from swA to swB.
    expect(preview.text).toContain('data-qa="child-change"')
    expect(preview.text).toMatch(/social worker<\/span>: swA Fixture to swB Fixture/)
    // C4 is not in the children file: its case is closed, not deleted.
    expect(preview.text).toContain('Children to end (case closed, not deleted) (1)')
    expect(preview.text).toContain('C4')

    const apply = await admin
      .post(`${previewUrl}/apply`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), version: /name="version" value="(\d+)"/.exec(preview.text)![1] })
    expect(apply.status).toBe(303)
    expect(apply.headers.location).toBe(previewUrl)
    const outcome = await admin.get(previewUrl)
    expect(outcome.text).toContain('Import applied')
    expect(outcome.text).toContain('data-qa="import-changed"')
    expect(outcome.text).toContain(`href="/children/${app.fixture.children.c2}"`)
    expect(outcome.text).toContain('admin Fixture')
    expect(outcome.text).toContain('children.csv (children), allocations.csv (allocations)')
    const c2 = await db().query<{ social_worker_id: number }>('select social_worker_id from children where id = $1', [
      app.fixture.children.c2,
    ])
    expect(c2.rows[0]!.social_worker_id).toBe(app.fixture.people.swB)
    // The child's own history shows the change.
    expect((await admin.get(`/children/${app.fixture.children.c2}`)).text).toContain(
      'Child’s details changed by an import from the case-management system',
    )
    expect((await admin.get('/import')).text).toContain('data-qa="recent-imports"')
    // C4 left the file: its case is closed, and its page says so.
    const c4 = await admin.get(`/children/${app.fixture.children.c4}`)
    expect(c4.status).toBe(200)
    expect(c4.text).toMatch(/Case closed<\/dt>\s*<dd class="govuk-summary-list__value">5 January 2023/)

    // The same files again: nothing to do, and applying changes no record.
    const again = await upload(admin, { children: { text: children }, allocations: { text: allocations } })
    const second = await admin.get(again.headers.location!)
    expect(second.text).toContain('data-qa="nothing-to-do"')
    const unchanged = await state()
    const applied = await admin
      .post(`${again.headers.location!}/apply`)
      .type('form')
      .send({ _csrf: csrfFrom(second.text), version: /name="version" value="(\d+)"/.exec(second.text)![1] })
    expect(applied.status).toBe(303)
    expect((await admin.get(again.headers.location!)).text).toContain('data-qa="nothing-changed"')
    // Only the import's own record was added.
    const [was, now] = [unchanged.split('|'), (await state()).split('|')]
    expect(now.slice(0, 3)).toEqual(was.slice(0, 3))
    expect(Number(now[3])).toBe(Number(was[3]) + 1)
  })

  it('shows the new plan instead of applying when the records changed after the preview', async () => {
    const admin = await signedInAgent(app, 'admin')
    const moved = allocations.replace('C2,swB@test.example', 'C2,swA@test.example')
    const uploaded = await upload(admin, { allocations: { text: moved } })
    const url = uploaded.headers.location!
    const preview = await admin.get(url)
    expect(preview.text).toMatch(/social worker<\/span>: swB Fixture to swA Fixture/)
    await db().query('update children set social_worker_id = $2, version = version + 1 where id = $1', [
      app.fixture.children.c2,
      app.fixture.people.swC,
    ])
    const before = await state()
    const res = await admin
      .post(`${url}/apply`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), version: /name="version" value="(\d+)"/.exec(preview.text)![1] })
    expect(res.status).toBe(409)
    expect(res.text).toContain('data-qa="stale"')
    expect(res.text).toMatch(/social worker<\/span>: swC Fixture to swA Fixture/)
    expect(await state()).toBe(before)
    // The old version is refused; the new preview can be cancelled.
    const cancel = await admin
      .post(`${url}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(res.text), version: /name="version" value="(\d+)"/.exec(res.text)![1] })
    expect(cancel.status).toBe(303)
    expect((await admin.get(url)).text).toContain('data-qa="not-applied"')
  })

  it('rejects bad files with row-level messages and changes nothing', async () => {
    const admin = await signedInAgent(app, 'admin')
    const before = await state()
    const cases: [Record<string, { text: string | Buffer; name?: string }>, string[], number][] = [
      [{}, ['Select at least one CSV file to import'], 400],
      [
        { children: { text: 'case_id,name\nC1,Ann\n' } },
        [
          'The children file is missing the columns given_name, family_name, date_of_birth, team, cp_plan_start, looked_after_start',
          'The children file has column Concord does not recognise: name',
        ],
        400,
      ],
      [
        {
          children: {
            text: `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C7,Ann,Seven,31/02/2016,Team A,,
C8,Ben,Eight,2016-01-01,Team Q,,
C7,Ann,Seven,2016-02-01,Team A,,
`,
          },
        },
        ['Children file, row 2: The date of birth must be a real date, like 2015-06-01 or 01/06/2015'],
        400,
      ],
      [
        {
          children: {
            text: `case_id,given_name,family_name,date_of_birth,team,cp_plan_start,looked_after_start
C7,Ann,Seven,2016-02-01,Team A,,
C8,Ben,Eight,2016-01-01,Team Q,,
C7,Ann,Seven,2016-02-01,Team A,,
`,
          },
        },
        [
          'Children file, row 3: there is no team called “Team Q” in Concord or the teams file',
          'Children file, row 4: the same case ID is also on row 2',
        ],
        400,
      ],
      [{ people: { text: 'a,b', name: 'people.xlsx' } }, ['The people file must be a CSV'], 400],
      [
        { people: { text: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]), name: 'people.csv' } },
        ['The people file is not a CSV file that Concord can read: save it from the spreadsheet as “CSV UTF-8”'],
        400,
      ],
      [
        { units: { text: Buffer.alloc(50 * 1024 * 1024, 'a'), name: 'teams.csv' } },
        ['The teams file must be smaller than 10 MB'],
        413,
      ],
    ]
    for (const [files, messages, status] of cases) {
      const res = await upload(admin, files)
      expect(res.status, messages[0]).toBe(status)
      expect(res.text).toContain('There is a problem')
      for (const message of messages) expect(res.text).toContain(message)
      const kinds = Object.keys(files)
      for (const kind of kinds) expect(res.text).toContain(`href="#${kind}"`)
    }
    expect(await state()).toBe(before)
  }, 120_000)

  it('refuses an upload without the form’s CSRF token', async () => {
    const admin = await signedInAgent(app, 'admin')
    const res = await admin.post('/import').attach('children', Buffer.from(children), 'children.csv')
    expect(res.status).toBe(403)
    const wrong = await admin
      .post('/import')
      .field('_csrf', 'not-the-token')
      .attach('children', Buffer.from(children), 'children.csv')
    expect(wrong.status).toBe(403)
  })

  it('lets only administrators import (every other role gets 403)', async () => {
    const admin = await signedInAgent(app, 'admin')
    const uploaded = await upload(admin, { allocations: { text: allocations } })
    const url = uploaded.headers.location!
    const before = await state()
    for (const who of everyone.filter(w => w !== 'admin')) {
      const agent = await signedInAgent(app, who)
      const page = await agent.get('/import')
      expect(page.status, who).toBe(403)
      expect(page.text).not.toContain('href="/import"')
      const token = csrfFrom((await agent.get('/children')).text)
      const post = await agent
        .post('/import')
        .field('_csrf', token)
        .attach('children', Buffer.from(children), 'children.csv')
      expect(post.status, who).toBe(403)
      expect((await agent.get(url)).status, who).toBe(403)
      const apply = await agent.post(`${url}/apply`).type('form').send({ _csrf: token, version: '1' })
      expect(apply.status, who).toBe(403)
      const cancel = await agent.post(`${url}/cancel`).type('form').send({ _csrf: token, version: '1' })
      expect(cancel.status, who).toBe(403)
    }
    expect(await state()).toBe(before)
  }, 120_000)

  it('warns before ending someone who still has children allocated', async () => {
    const admin = await signedInAgent(app, 'admin')
    const staff = (who: string[]) =>
      `staff_id,given_name,family_name,email,unit,roles\n${who
        .map(w => `S-${w},${w},Fixture,${w}@test.example,Team ${w.slice(-1)},social_worker`)
        .join('\n')}\n`
    const first = await upload(admin, { people: { text: staff(['swA', 'swB']) } })
    const preview = await admin.get(first.headers.location!)
    await admin
      .post(`${first.headers.location!}/apply`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), version: /name="version" value="(\d+)"/.exec(preview.text)![1] })
    const second = await upload(admin, { people: { text: staff(['swA']) } })
    const warned = await admin.get(second.headers.location!)
    expect(warned.text).toContain('data-qa="import-warnings"')
    // swB is C3's social worker.
    expect(warned.text).toContain(
      'swB Fixture (S-swB) will be made inactive but is still allocated to 1 child: allocate the child to someone else',
    )
    expect(warned.text).toContain('People to end (made inactive, not deleted) (1)')
  })
})
