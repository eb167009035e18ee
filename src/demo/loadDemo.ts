import {
  countPeople,
  demoCounts,
  type DemoCounts,
  insertChildCreatedEvents,
  insertChildrenBulk,
  insertLocalAccountsBulk,
  insertPeopleBulk,
  insertSiblingGroupsBulk,
  insertUnitsBare,
  linkUnits,
  peopleByEmails,
} from '../db/repositories/demoRepository.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import { findSignedInPerson } from '../db/repositories/personRepository.js'
import { tokenHashExists } from '../db/repositories/tokenRepository.js'
import { hashToken, storeToken } from '../services/authService.js'
import type { Services } from '../services/index.js'
import { argon2Hasher } from '../services/passwords.js'
import {
  DEMO_ACCOUNT_EMAILS,
  DEMO_CP_CHAIRS_MANAGER_EMAIL,
  DEMO_COUNCIL_NAME,
  DEMO_PASSWORD,
  type DemoAuthority,
  generateDemoAuthority,
} from './demoAuthority.js'
import { loadDemoDisputes } from './demoDisputes.js'
import { loadDemoQuality } from './demoQuality.js'

/** Known to everyone who reads this file: it exists only so a newcomer can try the API at once. */
export const DEMO_API_TOKEN = 'concord_demo_admin_token_not_for_production'
const DEMO_TOKEN_NAME = 'Demo token'
// Any fixed number: instances starting together against one PostgreSQL load the demo once.
const DEMO_LOCK = 720_002

export interface DemoSummary {
  accounts: { email: string; title: string; name: string }[]
  password: string
  /** Null when the demo administrator is missing or inactive, or the demo token was revoked. */
  apiToken: string | null
  counts: DemoCounts
  /** True when this start loaded the authority; false when the database already had people. */
  loaded: boolean
}

/**
 * Loads the fictional Wessexshire authority into an empty database, in one transaction, and
 * issues the demo administrator's API token. When the database already has people (a restart
 * of the embedded database, or real data) nothing is loaded: the summary describes what is there.
 */
export async function loadDemoAuthority(services: Services): Promise<DemoSummary> {
  const { db, clock, config } = services
  if (config.production) {
    throw new Error('The demo authority has a published password and API token: set CONCORD_DEMO=false in production.')
  }
  let loaded = false
  if ((await countPeople(db)) === 0) {
    const demo = generateDemoAuthority()
    const passwordHash = await argon2Hasher.hash(DEMO_PASSWORD) // once: every demo account shares it
    loaded = await db.transaction(async tx => {
      await tx.query('select pg_advisory_xact_lock($1)', [DEMO_LOCK])
      if ((await countPeople(tx)) > 0) return false // another instance got there first
      const at = clock.now()

      const unitIds = await insertUnitsBare(tx, demo.units, at)
      const unitId = (name: string | null) => (name === null ? null : required(unitIds, name, 'unit'))
      const personIds = await insertPeopleBulk(
        tx,
        demo.people.map(p => ({ ...p, unitId: unitId(p.unitName) })),
        at,
      )
      const personId = (staffId: string | null) => (staffId === null ? null : required(personIds, staffId, 'person'))
      await linkUnits(
        tx,
        demo.units.map(u => ({
          id: unitId(u.name)!,
          parentId: unitId(u.parentName),
          managerId: personId(u.managerStaffId),
        })),
        at,
      )
      const groupIds = await insertSiblingGroupsBulk(tx, demo.siblingGroups.length, at)
      const childIds = await insertChildrenBulk(
        tx,
        demo.children.map(c => ({
          caseId: c.caseId,
          givenName: c.givenName,
          familyName: c.familyName,
          dateOfBirth: c.dateOfBirth,
          teamId: unitId(c.teamName)!,
          socialWorkerId: personId(c.socialWorkerStaffId),
          iroId: personId(c.iroStaffId),
          cpChairId: personId(c.cpChairStaffId),
          cpPlanStart: c.cpPlanStart,
          lookedAfterStart: c.lookedAfterStart,
          siblingGroupId: c.siblingGroup === null ? null : groupIds[c.siblingGroup]!,
        })),
        at,
      )
      await insertLocalAccountsBulk(tx, [...personIds.values()], passwordHash, at)
      await insertChildCreatedEvents(tx, childIds, null, at, 'demo')
      await appendEvent(tx, {
        at,
        actorId: null,
        entityType: 'unit',
        entityId: unitId(DEMO_COUNCIL_NAME)!,
        kind: 'demo.loaded',
        data: summaryData(demo),
      })
      return true
    })
  }

  // Dispute records come after the authority, through the real services, so they follow every rule.
  if (loaded) await loadDemoDisputes(services)
  // Notes, concerns, progress checks and significant-change notices, the same way.
  if (loaded) await loadDemoQuality(services)

  const memorable: { email: string; title: string }[] = [
    ...(Object.entries(DEMO_ACCOUNT_EMAILS) as [keyof typeof DEMO_ACCOUNT_EMAILS, string][]).map(([role, email]) => ({
      email,
      title: config.roleTitles[role],
    })),
    {
      email: DEMO_CP_CHAIRS_MANAGER_EMAIL,
      title: `${config.roleTitles.reviewing_service_manager} of the CP chair, who gives pre-approval`,
    },
  ]
  const found = await peopleByEmails(
    db,
    memorable.map(m => m.email),
  )
  const accounts = memorable.flatMap(({ email, title }) => {
    const person = found.get(email.toLowerCase())
    return person?.active ? [{ email, title, name: person.name }] : []
  })
  const admin = found.get(DEMO_ACCOUNT_EMAILS.admin)
  let apiToken: string | null = null
  if (admin?.active) {
    const hash = hashToken(DEMO_API_TOKEN)
    if (!(await tokenHashExists(db, hash))) {
      try {
        await storeToken(db, clock, admin.id, DEMO_TOKEN_NAME, DEMO_API_TOKEN, admin.id)
      } catch (error) {
        // Instances starting together race to issue it; losing (a unique-hash violation) is fine.
        if (!(await tokenHashExists(db, hash))) throw error
      }
    }
    // Print it only while it works: an administrator may have revoked it since.
    if ((await findSignedInPerson(db, { tokenHash: hash }))?.person.id === admin.id) apiToken = DEMO_API_TOKEN
  }
  return { accounts, password: DEMO_PASSWORD, apiToken, counts: await demoCounts(db), loaded }
}

function required<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key)
  if (value === undefined) throw new Error(`demo ${what} ${String(key)} was not inserted`)
  return value
}

function summaryData(demo: DemoAuthority): Record<string, unknown> {
  return {
    seed: demo.seed,
    units: demo.units.length,
    people: demo.people.length,
    children: demo.children.length,
    siblingGroups: demo.siblingGroups.length,
  }
}

/* eslint-disable no-console -- the welcome is for the person who just ran `npm run demo`, not for the log */
export function printDemoWelcome(url: string, demo: DemoSummary): void {
  const line = '-'.repeat(78)
  console.log('')
  console.log(line)
  if (demo.accounts.length === 0) {
    console.log('  Concord: demo mode is on, but the database already held people who are not the demo')
    console.log('  authority, so nothing was loaded and there are no demo accounts.')
    console.log(`  Open ${url}. Set CONCORD_DEMO=false to stop this message.`)
    console.log(line)
    console.log('')
    return
  }
  console.log(`  Concord demo: ${DEMO_COUNCIL_NAME} (fictional)`)
  console.log(line)
  console.log(`  Open ${url} in your browser and sign in at ${url}/sign-in`)
  console.log('')
  const c = demo.counts
  console.log(
    `  ${demo.loaded ? 'Loaded' : 'Already loaded'}: ${c.teams} teams, ${c.people} people, ${c.children} children ` +
      `(${c.cpPlans} on child protection plans, ${c.lookedAfter} looked after, ${c.siblingGroups} sibling groups).`,
  )
  console.log('')
  console.log('  Demo accounts (one for each role, all on one line of management, and the CP chair’s manager):')
  const width = Math.max(...demo.accounts.map(a => a.email.length))
  for (const account of demo.accounts)
    console.log(`    ${account.email.padEnd(width)}  ${account.title} (${account.name})`)
  console.log('')
  console.log(`  Password for every account: ${demo.password}`)
  console.log(
    '  (Everyone else in the demo authority has the same password, at firstname.lastname@wessexshire.example.)',
  )
  console.log('')
  if (demo.apiToken) {
    console.log(`  API token (the demo administrator's): ${demo.apiToken}`)
    console.log(`    curl -H "Authorization: Bearer ${demo.apiToken}" ${url}/api/children`)
  } else {
    console.log('  The demo API token no longer works (revoked, or the demo administrator deactivated).')
  }
  console.log(`  The OpenAPI document is at ${url}/api/openapi.json`)
  console.log(line)
  console.log('')
}
/* eslint-enable no-console */
