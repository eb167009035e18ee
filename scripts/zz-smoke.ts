import { SettableClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import { openPglite } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { loadDemoAuthority } from '../src/demo/loadDemo.js'
import { shippedPolicies } from '../src/domain/policies/policyCatalogue.js'
import { services as buildServices } from '../src/services/index.js'
import { fastHasher } from '../test/factories/organisationFixture.js'
const db = await openPglite(); await migrate(db)
const s = buildServices(db, new SettableClock(new Date('2026-11-23T09:00:00Z')), loadConfig({}), fastHasher, shippedPolicies())
await loadDemoAuthority(s)
const pid = (await db.query<{id:number}>(`select id from people where 'performance' = any(roles) limit 1`)).rows[0]!.id
const u = (await s.access.currentUser(pid))!
console.time('report')
const r = await s.reports.report(u, { from: '2025-04-01', to: '2026-11-23' })
console.timeEnd('report')
for (const sec of r.sections) for (const t of sec.tables) { console.log('##', t.title); for (const row of t.rows) console.log('  ', row.label, row.cells.map(c => c.value).join(' | ')) }
const a = await s.reports.annual(u, 2025, {})
for (const row of a.table.rows) console.log('  ', row.label, row.cells.map(c => c.value).join(' | '))
const admin = (await db.query<{id:number}>(`select id from people where 'admin' = any(roles) limit 1`)).rows[0]!.id
const rsm = (await s.access.currentUser(admin))!
console.log(await s.reports.records({...rsm, roles:[...rsm.roles,'performance']}, { from: '2025-04-01', to: '2026-11-23' }, {figure:'stage', timeliness:'late'}, 5, 0))
console.log(await s.reports.records({...rsm, roles:[...rsm.roles,'performance']}, { from: '2025-04-01', to: '2026-11-23' }, {figure:'slot', status:'missed'}, 5, 0))
