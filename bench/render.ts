// How long Nunjucks takes to render the My-work page (25 rows, the GOV.UK layout) on its own, without
// HTTP or the database: `npx tsx bench/render.ts [renders=3000] [out.html]`. Prints milliseconds per
// render after 300 warm-up renders; the optional file receives the HTML, to compare two versions.
// ROWS=n renders n rows instead of 25 (ROWS=0: the empty inbox, so the layout alone).
import express from 'express'
import { nunjucksSetup } from '../src/web/nunjucksSetup.js'
import { dueTag } from '../src/web/presenters/workPresenter.js'
const app = express()
const env = nunjucksSetup(app, { serviceName: 'Concord', authorityName: 'Test Council' })
const rows = Array.from({ length: 25 }, (_, i) => ({
  id: i,
  label: 'Respond with a SMART action plan',
  href: `/disputes/${i}/respond`,
  reference: `PD-${String(i).padStart(6, '0')}`,
  caseId: `C${i}`,
  due: '3 December 2026',
  tag: dueTag(i - 5),
  canAcknowledge: i % 3 === 0,
  acknowledgeHref: `/work/${i}/acknowledge`,
}))
const ctx = {
  rows,
  summary: { total: 300 },
  pagination: {
    items: [
      { number: 1, href: '/work?page=1', current: true },
      { number: 2, href: '/work?page=2' },
    ],
    next: { href: '/work?page=2' },
  },
  isReviewer: true,
  isSupervisor: false,
  isHeadOfService: false,
  csrfToken: 'abcdefabcdefabcdef',
  cspNonce: 'xyzxyz',
  user: { person: { givenName: 'Ann', familyName: 'Smith' }, roles: ['iro'] },
  workCount: 300,
  currentPath: '/work',
  showReports: false,
}
if (process.env.ROWS) {
  ctx.rows = ctx.rows.slice(0, Number(process.env.ROWS))
  if (ctx.rows.length === 0) ctx.summary.total = 0
}
const n = Number(process.argv[2] ?? 3000)
// Warm-up: compiles every template and lets V8 optimise the compiled code.
let html = ''
for (let i = 0; i < 300; i++) html = env.render('pages/work/index.njk', ctx)
const t0 = process.hrtime.bigint()
for (let i = 0; i < n; i++) html = env.render('pages/work/index.njk', ctx)
const t1 = process.hrtime.bigint()
console.log('ms/render', (Number(t1 - t0) / 1e6 / n).toFixed(3), 'bytes', html.length)
if (process.argv[3]) (await import('node:fs')).writeFileSync(process.argv[3], html)
