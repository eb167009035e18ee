import type { Database } from '../../src/db/database.js'
import { setPassword } from '../../src/db/repositories/accountRepository.js'
import { insertChild, newSiblingGroup } from '../../src/db/repositories/childRepository.js'
import { insertPerson } from '../../src/db/repositories/personRepository.js'
import { insertUnit } from '../../src/db/repositories/unitRepository.js'
import type { PersonRole, UnitKind } from '../../src/domain/organisation.js'
import type { PasswordHasher } from '../../src/services/passwords.js'

export const FIXTURE_PASSWORD = 'correct horse battery staple'

/** A hasher fast enough for fixtures; the real argon2 one is tested on its own. */
export const fastHasher: PasswordHasher = {
  hash: async p => `plain:${p}`,
  verify: async (h, p) => h === `plain:${p}`,
}

/**
 * A small authority with two service areas, used across the integration, HTTP and browser
 * tests. Every role appears once, so each access rule can be shown allowed and refused.
 *
 *   Council (chiefExec) > Children's services (dcs) > Safeguarding (dsc)
 *     > North area (hosNorth) > North service (smNorth) > Team A (tmA: swA), Team B (tmB: swB)
 *     > South area (hosSouth) > South service (smSouth) > Team C (tmC: swC)
 *     > Reviewing service (headIrs) > Reviewing team (rsm: iro1, iro2, cpc1)
 */
export async function loadFixture(db: Database, passwords: PasswordHasher = fastHasher) {
  const at = new Date('2023-01-02T09:00:00Z')
  const hash = await passwords.hash(FIXTURE_PASSWORD)
  return db.transaction(async tx => {
    const unit = (name: string, kind: UnitKind, parentId: number | null) =>
      insertUnit(tx, { name, kind, parentId, managerId: null }, at)
    const council = await unit('Council', 'council', null)
    const childrens = await unit('Children’s services', 'childrens_services', council)
    const safeguarding = await unit('Safeguarding and care', 'safeguarding', childrens)
    const north = await unit('North area', 'area', safeguarding)
    const south = await unit('South area', 'area', safeguarding)
    const northService = await unit('North service', 'service', north)
    const southService = await unit('South service', 'service', south)
    const teamA = await unit('Team A', 'team', northService)
    const teamB = await unit('Team B', 'team', northService)
    const teamC = await unit('Team C', 'team', southService)
    const irs = await unit('Independent reviewing service', 'reviewing_service', safeguarding)
    const reviewingTeam = await unit('Reviewing team', 'reviewing_team', irs)

    const person = async (key: string, unitId: number | null, roles: PersonRole[], manages?: number) => {
      const id = await insertPerson(
        tx,
        {
          givenName: key,
          familyName: 'Fixture',
          email: `${key}@test.example`,
          staffId: null,
          unitId,
          roles,
          active: true,
        },
        at,
      )
      await setPassword(tx, id, hash, at)
      if (manages !== undefined) await tx.query('update org_units set manager_id = $1 where id = $2', [id, manages])
      return id
    }
    const people = {
      chiefExec: await person('chiefExec', council, [], council),
      dcs: await person('dcs', childrens, [], childrens),
      dsc: await person('dsc', safeguarding, [], safeguarding),
      hosNorth: await person('hosNorth', north, [], north),
      hosSouth: await person('hosSouth', south, [], south),
      smNorth: await person('smNorth', northService, [], northService),
      smSouth: await person('smSouth', southService, [], southService),
      tmA: await person('tmA', teamA, [], teamA),
      tmB: await person('tmB', teamB, [], teamB),
      tmC: await person('tmC', teamC, [], teamC),
      swA: await person('swA', teamA, ['social_worker']),
      swB: await person('swB', teamB, ['social_worker']),
      swC: await person('swC', teamC, ['social_worker']),
      headIrs: await person('headIrs', irs, [], irs),
      rsm: await person('rsm', reviewingTeam, [], reviewingTeam),
      iro1: await person('iro1', reviewingTeam, ['iro']),
      iro2: await person('iro2', reviewingTeam, ['iro']),
      cpc1: await person('cpc1', reviewingTeam, ['cp_chair']),
      admin: await person('admin', null, ['admin']),
      perf: await person('perf', null, ['performance']),
    }
    const siblings = await newSiblingGroup(tx, at)
    const child = (caseId: string, teamId: number, sw: number, extra: Partial<Parameters<typeof insertChild>[1]>) =>
      insertChild(
        tx,
        {
          caseId,
          givenName: caseId.toLowerCase(),
          familyName: 'Child',
          dateOfBirth: '2015-06-01',
          teamId,
          socialWorkerId: sw,
          iroId: null,
          cpChairId: null,
          cpPlanStart: null,
          lookedAfterStart: null,
          siblingGroupId: null,
          ...extra,
        },
        at,
      )
    const children = {
      c1: await child('C1', teamA, people.swA, { cpPlanStart: '2022-03-01', cpChairId: people.cpc1 }),
      c2: await child('C2', teamA, people.swA, {
        lookedAfterStart: '2021-05-10',
        iroId: people.iro1,
        siblingGroupId: siblings,
      }),
      c3: await child('C3', teamB, people.swB, {
        lookedAfterStart: '2021-05-10',
        iroId: people.iro2,
        siblingGroupId: siblings,
      }),
      c4: await child('C4', teamC, people.swC, { cpPlanStart: '2022-09-01', cpChairId: people.cpc1 }),
    }
    const units = {
      council,
      childrens,
      safeguarding,
      north,
      south,
      northService,
      southService,
      teamA,
      teamB,
      teamC,
      irs,
      reviewingTeam,
    }
    return { units, people, children, siblings }
  })
}

export type Fixture = Awaited<ReturnType<typeof loadFixture>>
export type FixturePerson = keyof Fixture['people']
export type FixtureChild = keyof Fixture['children']

/** Who may see which fixture child: the rules of the foundation issue, written out by hand. */
export const expectedVisibility: Record<FixturePerson, FixtureChild[]> = {
  chiefExec: ['c1', 'c2', 'c3', 'c4'],
  dcs: ['c1', 'c2', 'c3', 'c4'],
  dsc: ['c1', 'c2', 'c3', 'c4'],
  hosNorth: ['c1', 'c2', 'c3'],
  hosSouth: ['c4'],
  smNorth: ['c1', 'c2', 'c3'],
  smSouth: ['c4'],
  tmA: ['c1', 'c2'],
  tmB: ['c3'],
  tmC: ['c4'],
  swA: ['c1', 'c2'],
  swB: ['c3'],
  swC: ['c4'],
  headIrs: ['c1', 'c2', 'c3', 'c4'],
  rsm: ['c1', 'c2', 'c3', 'c4'],
  iro1: ['c2'],
  iro2: ['c3'],
  cpc1: ['c1', 'c4'],
  admin: ['c1', 'c2', 'c3', 'c4'],
  perf: [],
}
