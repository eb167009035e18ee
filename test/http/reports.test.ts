import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { recentExports } from '../../src/db/repositories/exportAuditRepository.js'
import type { FixturePerson } from '../factories/organisationFixture.js'
import request from 'supertest'
import { apiTokenFor, signedInAgent, startTestApp, type TestApp } from '../helpers/testApp.js'

// The app's day is Thursday 5 January 2023, so the default period is 1 April 2021 to 31 March 2022.
// One dispute is raised in it: iro1's, about C2 (team A), at the informal stage.
let app: TestApp
let disputeId: number

beforeAll(async () => {
  app = await startTestApp()
  app.clock.set(new Date('2021-06-01T09:00:00Z'))
  const services = app.running.services
  const iro = (await services.access.currentUser(app.fixture.people.iro1))!
  const { ids } = await services.disputes.raise(iro, {
    categoryKey: 'delay_drift',
    concern: 'Drift.',
    impact: 'Waiting.',
    wishesAndFeelings: 'None given.',
    recommendedResolution: 'Act.',
    resolutionTimescale: 'Soon',
    childIds: [app.fixture.children.c2],
    policyId: 'iro-care-first',
    startStageKey: 'stage1',
    becameAwareOn: '2021-06-01' as never,
  })
  disputeId = ids[0]!
  app.clock.set(new Date('2023-01-05T09:00:00Z'))
})
afterAll(async () => app.dispose())

const allowed: FixturePerson[] = ['rsm', 'headIrs', 'hosNorth', 'hosSouth', 'dsc', 'dcs', 'perf']
const refused: FixturePerson[] = ['chiefExec', 'smNorth', 'tmA', 'iro1', 'iro2', 'cpc1', 'admin']
const categoryList =
  '/reports/records?from=2021-04-01&to=2022-03-31&figure=dispute&r=category&rv=delay_drift&k=all&kv=all'

describe('reports pages', () => {
  it.each(allowed)('%s sees Reports in the header and every page of it', async who => {
    const agent = await signedInAgent(app, who)
    const home = await agent.get('/children')
    expect(home.text).toContain('href="/reports"')
    const page = await agent.get('/reports')
    expect(page.status).toBe(200)
    expect(page.text).toContain('1 April 2021 to 31 March 2022')
    expect(page.text).toContain('role="img"')
    expect(page.text).toContain('data-qa="table-disputes-by-category"')
    expect((await agent.get('/reports/annual?year=2021')).status).toBe(200)
    expect((await agent.get(categoryList)).status).toBe(200)
    expect((await agent.get('/reports/download.csv')).status).toBe(200)
  })

  it.each(refused)('%s has no Reports link and gets 403 on every reports page', async who => {
    const agent = await signedInAgent(app, who)
    const home = await agent.get('/children')
    expect(home.text).not.toContain('href="/reports"')
    for (const path of ['/reports', '/reports/annual', categoryList, '/reports/download.csv', '/reports/download.xlsx'])
      expect((await agent.get(path)).status, path).toBe(403)
  })

  it('shows a social worker their own figures only', async () => {
    const swA = await signedInAgent(app, 'swA')
    const own = await swA.get('/reports')
    expect(own.status).toBe(200)
    expect(own.text).toContain('data-qa="own-figures"')
    expect(own.text).toContain('Your own allocated children')
    // C2 is swA's: the dispute is counted and listed; swB sees none of it.
    expect(own.text).toContain(`rv=delay_drift`)
    const list = await swA.get(categoryList)
    expect(list.text).toContain(`/disputes/${disputeId}`)
    const swB = await signedInAgent(app, 'swB')
    const theirs = await swB.get('/reports')
    expect(theirs.text).not.toContain('rv=delay_drift')
    const none = await swB.get(categoryList)
    expect(none.text).not.toContain(`/disputes/${disputeId}`)
    expect(none.text).toContain('data-qa="no-records"')
  })

  it('links each count to its records, only for children the viewer may see', async () => {
    const dsc = await signedInAgent(app, 'dsc')
    const page = await dsc.get('/reports')
    expect(page.text).toContain(`href="${categoryList.replace(/&/g, '&amp;')}"`)
    const list = await dsc.get(categoryList)
    expect(list.text).toContain(`/disputes/${disputeId}`)
    expect(list.text).toContain('C2')
    // hosSouth sees the count but not C2 (team A is in the north).
    const south = await signedInAgent(app, 'hosSouth')
    const hidden = await south.get(categoryList)
    expect(hidden.text).not.toContain(`/disputes/${disputeId}`)
    expect(hidden.text).toContain('data-qa="hidden-records"')
    // The performance officer sees counts only: no links.
    const perf = await signedInAgent(app, 'perf')
    const counts = await perf.get('/reports')
    expect(counts.text).toContain('data-qa="counts-only"')
    expect(counts.text).not.toContain('/reports/records?')
    // A list for no known figure is not found.
    expect((await dsc.get('/reports/records?figure=nothing')).status).toBe(404)
  })

  it('filters by team and re-shows the form with a GOV.UK error for an impossible date', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const teamC = await rsm.get(`/reports?from=2021-04-01&to=2022-03-31&team=${app.fixture.units.teamC}`)
    expect(teamC.text).not.toContain('rv=delay_drift')
    expect(teamC.text).toContain('Team C')
    const bad = await rsm.get('/reports?from-day=31&from-month=2&from-year=2022&to-day=1&to-month=3&to-year=2022')
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('There is a problem')
    expect(bad.text).toContain('The start of the period must be a real date')
    expect(bad.text).toContain('href="#from-day"')
    const backwards = await rsm.get('/reports?from-day=1&from-month=3&from-year=2022&to-day=1&to-month=2&to-year=2022')
    expect(backwards.status).toBe(400)
    expect(backwards.text).toContain('The end of the period must be the same as or after the start')
    const year = await rsm.get('/reports/annual?year=twenty')
    expect(year.status).toBe(400)
    expect(year.text).toContain('Enter the year the reporting year starts in')
  })

  it('says which sections the policy filter leaves whole, and shows no CAFCASS column for a policy without it', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const every = await rsm.get('/reports?from=2021-04-01&to=2022-03-31')
    expect(every.text).not.toContain('data-qa="section-note"')
    expect(every.text).toContain('Referred to CAFCASS')
    // Care First allows a referral to CAFCASS: the column stays.
    const careFirst = await rsm.get('/reports?from=2021-04-01&to=2022-03-31&policy=iro-care-first')
    expect(careFirst.text).toContain('Referred to CAFCASS')
    expect(careFirst.text).toContain(
      'The policy filter does not apply to good practice notes: they are not made under a dispute policy.',
    )
    expect(careFirst.text).toContain('The policy filter does not apply to progress checks')
    expect(careFirst.text).toContain('The policy filter does not apply to significant-change notices')
    // The CP chairs' protocol has no CAFCASS referral: no column that can only be empty.
    const protocol = await rsm.get('/reports?from=2021-04-01&to=2022-03-31&policy=cpc-protocol')
    expect(protocol.status).toBe(200)
    expect(protocol.text).not.toContain('Referred to CAFCASS')
    expect((await rsm.get('/reports/annual?year=2021&policy=cpc-protocol')).text).not.toContain('Referred to CAFCASS')
    expect((await rsm.get('/reports/annual?year=2021')).text).toContain('Referred to CAFCASS')
    // The annual page and the downloads say it too, and so does the list behind a check's figure.
    const annual = (await rsm.get('/reports/annual?year=2021&policy=cpc-protocol')).text
    expect(annual).toContain('The policy filter applies to the dispute figures only')
    expect((await rsm.get('/reports/annual?year=2021')).text).not.toContain('data-qa="table-note"')
    const csv = await rsm.get('/reports/download.csv?from=2021-04-01&to=2022-03-31&policy=cpc-protocol')
    const lines = parse(csv.text, { relax_column_count: true }) as string[][]
    const checks = lines.findIndex(l => l[0] === 'Progress checks due in the period')
    expect(lines[checks + 1]).toEqual([
      'The policy filter does not apply to progress checks: they are not made under a dispute policy.',
    ])
    const behindCheck = await rsm.get(
      '/reports/records?from=2021-04-01&to=2022-03-31&policy=cpc-protocol&figure=slot&status=done&role=iro',
    )
    expect(behindCheck.status).toBe(200)
    expect(behindCheck.text).toContain('(does not apply to these records)')
    // It names the figure, which counts checks where the list names children.
    expect(behindCheck.text).toContain(
      'These children are behind the figure “On time” for IRO progress checks in “Progress checks due in the period”.',
    )
    const behindDispute = await rsm.get(
      '/reports/records?from=2021-04-01&to=2022-03-31&policy=cpc-protocol&figure=dispute&r=all&rv=all&k=all&kv=all',
    )
    expect(behindDispute.status).toBe(200)
    expect(behindDispute.text).not.toContain('does not apply')
  })

  it('offers this reporting year so far and the last complete one, keeping the other filters', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const page = await rsm.get(`/reports?team=${app.fixture.units.teamA}`)
    const periods = /data-qa="periods">([\s\S]*?)<\/ul>/.exec(page.text)![1]!
    expect(periods).toContain(
      `href="/reports?from=2022-04-01&amp;to=2023-01-05&amp;team=${app.fixture.units.teamA}">This reporting year so far (1 April 2022 to 5 January 2023)`,
    )
    // The period on show is named, not linked.
    expect(periods).toContain('The last complete reporting year (1 April 2021 to 31 March 2022): shown below')
    const thisYear = await rsm.get('/reports?from=2022-04-01&to=2023-01-05')
    expect(thisYear.text).toContain('1 April 2022 to 5 January 2023</h2>')
    expect(thisYear.text).toContain('This reporting year so far (1 April 2022 to 5 January 2023): shown below')
    expect(thisYear.text).toMatch(
      /href="\/reports\?from=2021-04-01&amp;to=2022-03-31">The last complete reporting year/,
    )
  })

  it('downloads CSV and XLSX with the filters used, and audits each download', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    const csv = await rsm.get(`/reports/download.csv?from=2021-04-01&to=2022-03-31&team=${app.fixture.units.teamA}`)
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toContain('attachment; filename="concord-report-2023-01-05.csv"')
    expect(csv.headers['cache-control']).toBe('no-store')
    const lines = parse(csv.text, { relax_column_count: true }) as string[][]
    expect(lines).toContainEqual(['Team', 'Team A'])
    expect(lines).toContainEqual(['Disputes by category'])
    expect(lines).toContainEqual(['Still open', '1'])
    const xlsx = await rsm
      .get('/reports/download.xlsx?year=2021')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => done(null, Buffer.concat(chunks)))
      })
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK')
    const audit = await recentExports(app.running.services.db, 2)
    expect(audit.map(a => [a.kind, a.person_id])).toEqual([
      ['report_xlsx', app.fixture.people.rsm],
      ['report_csv', app.fixture.people.rsm],
    ])
    expect(audit[0]!.description).toContain('Annual report 2021')
  })

  it('sends a year or a period its page would refuse back to that page, which says what is wrong', async () => {
    const rsm = await signedInAgent(app, 'rsm')
    for (const year of ['0000', '0999', '1999', '9999', 'x'])
      for (const format of ['csv', 'xlsx']) {
        const res = await rsm.get(`/reports/download.${format}?year=${year}`)
        expect(res.status, `${format} ${year}`).toBe(303)
        expect(res.headers.location).toBe(`/reports/annual?year=${year}`)
      }
    const annual = await rsm.get('/reports/annual?year=1999')
    expect(annual.status).toBe(400)
    expect(annual.text).toContain('govuk-error-summary')
    expect((await rsm.get('/reports/download.csv?year=2000')).status).toBe(200)
    // The annual report has no period: a broken from or to beside a good year is ignored, as on its page
    // (sent back there, it would show no error, and its download link would send it back again).
    for (const period of ['from=2021-02-30&to=x', 'from-day=31&from-month=2&from-year=2021']) {
      const withPeriod = await rsm.get(`/reports/download.csv?year=2021&${period}`)
      expect(withPeriod.status, period).toBe(200)
      expect(withPeriod.headers['content-disposition']).toContain('annual')
    }
    const backwards = await rsm.get('/reports/download.csv?from=2027-01-01&to=2026-01-01')
    expect(backwards.status).toBe(303)
    expect(backwards.headers.location).toBe('/reports?from=2027-01-01&to=2026-01-01')
    const page = await rsm.get(backwards.headers.location!)
    expect(page.status).toBe(400)
    expect(page.text).toContain('govuk-error-summary')
  })
})

describe('reports API', () => {
  const get = async (who: FixturePerson, path: string) =>
    request(app.url)
      .get(path)
      .set({ Authorization: `Bearer ${await apiTokenFor(app, who)}` })

  it('returns the same figures as the page, with the address of the records behind each count', async () => {
    const res = await get('dsc', '/api/reports')
    expect(res.status).toBe(200)
    expect(res.body.filters).toMatchObject({ from: '2021-04-01', to: '2022-03-31' })
    const tables = (
      res.body.sections as {
        tables: { id: string; rows: { key: string; cells: { value: number; records?: string }[] }[] }[]
      }[]
    ).flatMap(s => s.tables)
    const byCategory = tables.find(t => t.id === 'disputes-by-category')!
    expect(byCategory.rows).toHaveLength(1)
    expect(byCategory.rows[0]!.key).toBe('delay_drift')
    expect(byCategory.rows[0]!.cells.map(c => c.value)).toEqual([1, 0, 1, 0, 0])
    const records = await get('dsc', byCategory.rows[0]!.cells[0]!.records!)
    expect(records.status).toBe(200)
    expect(records.body.items.map((i: { id: number }) => i.id)).toEqual([disputeId])
    const hidden = await get('hosSouth', byCategory.rows[0]!.cells[0]!.records!)
    expect(hidden.body).toMatchObject({ items: [], total: 0, notShown: 1 })
  })

  it('applies each role’s access, validates dates, and describes itself in OpenAPI', async () => {
    for (const who of refused) expect((await get(who, '/api/reports')).status, who).toBe(403)
    expect((await get('perf', '/api/reports/annual?year=2021')).status).toBe(200)
    const own = await get('swB', '/api/reports')
    expect(own.body.scope).toBe('own')
    const bad = await get('rsm', '/api/reports?from=2022-02-31')
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([{ field: 'from', message: 'The start of the period must be a real date' }])
    expect((await get('rsm', '/api/reports/records?figure=nothing')).status).toBe(404)
    // Behind a count of checks are children, and the answer names the count.
    const slots = await get('rsm', '/api/reports/records?figure=slot&status=missed&role=cp_chair')
    expect(slots.body).toMatchObject({
      kind: 'child',
      figure: '“Missed” for CP chair quality-assurance reviews in “Progress checks due in the period”',
    })
    expect((await request(app.url).get('/api/reports')).status).toBe(401)
    const doc = await request(app.url).get('/api/openapi.json')
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/reports', '/api/reports/annual', '/api/reports/records']),
    )
  })
})
