/**
 * The demo authority: a fictional council, "Wessexshire County Council", with its children's
 * services management chain, social work teams, independent reviewing service and children.
 * Pure and reproducible: the same seed always gives the same data, and nothing here touches
 * the database, the clock or the network. Every name is invented; every email is at the
 * reserved example domain.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { type PersonRole, type RoleKey, type UnitKind } from '../domain/organisation.js'

export const DEMO_SEED = 20220101
export const DEMO_PASSWORD = 'concord-demo-2026'
export const DEMO_EMAIL_DOMAIN = 'wessexshire.example'
export const DEMO_COUNCIL_NAME = 'Wessexshire County Council'
/** Children's dates are generated before this day (the demo clock runs from late 2026). */
export const DEMO_REFERENCE_DATE = '2026-11-01'

/** Invented surnames: combined with ordinary first names they give clearly fictional people. */
export const DEMO_SURNAMES = [
  'Applewick',
  'Brambleton',
  'Cobblethwaite',
  'Dapplewood',
  'Elderwhistle',
  'Fiddlecombe',
  'Gorsebrook',
  'Hazelwhit',
  'Inkleford',
  'Juniperwell',
  'Kettleburn',
  'Larkspindle',
  'Mossingham',
  'Nettlecroft',
  'Oakentwig',
  'Pebblethorpe',
  'Quillfeather',
  'Rushmeadow',
  'Sorrelwick',
  'Thistlebrook',
  'Umberlane',
  'Vetchley',
  'Willowmere',
  'Yarrowby',
  'Zephyrcombe',
  'Acornwhistle',
  'Barleycott',
  'Candlemoss',
  'Dimblethorpe',
  'Ebberwick',
  'Foxglovely',
  'Gimbleford',
  'Honeyvale',
  'Ivywhistle',
  'Jollicombe',
  'Kestrelby',
  'Lumbercott',
  'Marrowdale',
  'Nimbleford',
  'Ottersby',
  'Puddlewick',
  'Quinceworth',
  'Rookmoor',
  'Snickleby',
  'Tumblethwaite',
  'Upwhistle',
  'Vinecombe',
  'Wimbleworth',
  'Yewcrumble',
  'Bumblestone',
  'Crumpleton',
  'Dewbramble',
  'Figglesworth',
  'Goosewhistle',
  'Hobbleford',
  'Marigoldby',
  'Nutwhistle',
  'Parsnipwell',
  'Ribbleswade',
  'Sprocketby',
  'Tinkerthwaite',
  'Wrenwhistle',
  'Blackberrow',
  'Clovermead',
  'Drovermere',
  'Emberwick',
  'Frostlebury',
  'Glimmerdale',
  'Hearthwood',
  'Mistlebrook',
  'Pipplewhite',
  'Quarrymede',
  'Rimplecott',
  'Saffronby',
  'Tansyworth',
  'Wickerbrook',
  'Brackenwhit',
  'Cindermoor',
  'Fallowmere',
  'Gladdersby',
  'Lanternby',
  'Mellowbrook',
  'Primrosey',
  'Sedgewhistle',
] as const

const STAFF_FIRST_NAMES = [
  'Sarah',
  'David',
  'Helen',
  'Mark',
  'Rachel',
  'Paul',
  'Claire',
  'James',
  'Joanne',
  'Andrew',
  'Nicola',
  'Richard',
  'Emma',
  'Daniel',
  'Laura',
  'Michael',
  'Rebecca',
  'Christopher',
  'Kate',
  'Simon',
  'Amina',
  'Rajesh',
  'Funmi',
  'Tunde',
  'Siobhan',
  'Gareth',
  'Sunita',
  'Marcus',
  'Lucy',
  'Adebayo',
  'Hannah',
  'Imran',
  'Karen',
  'Neil',
  'Priya',
  'Samina',
  'Tom',
  'Victoria',
  'Wendy',
  'Yasmin',
  'Bethan',
  'Carl',
  'Deborah',
  'Farah',
  'Graham',
  'Harpreet',
  'Jenny',
  'Kwame',
  'Lorna',
  'Malik',
] as const

const CHILD_FIRST_NAMES = [
  'Oliver',
  'Amelia',
  'Mohammed',
  'Aisha',
  'Jack',
  'Olivia',
  'Noah',
  'Isla',
  'Leo',
  'Ava',
  'Freya',
  'Harry',
  'George',
  'Lily',
  'Sophia',
  'Grace',
  'Arjun',
  'Oscar',
  'Ella',
  'Charlie',
  'Mia',
  'Jacob',
  'Ruby',
  'Thomas',
  'Poppy',
  'Alfie',
  'Evie',
  'Archie',
  'Daisy',
  'Joshua',
  'Sienna',
  'Ibrahim',
  'Fatima',
  'Yusuf',
  'Maryam',
  'Ethan',
  'Chloe',
  'Kai',
  'Jasmine',
  'Reuben',
  'Tyler',
  'Maisie',
  'Liam',
  'Zara',
  'Dylan',
  'Layla',
  'Ryan',
  'Emily',
  'Samuel',
  'Phoebe',
  'Caleb',
  'Erin',
  'Kofi',
  'Amara',
  'Tomasz',
  'Zofia',
  'Luca',
  'Niamh',
  'Rhys',
  'Megan',
] as const

export interface DemoUnit {
  /** Unique (the database insists, ignoring case); other records refer to units by name. */
  name: string
  kind: UnitKind
  parentName: string | null
  /** Staff ID of the manager. */
  managerStaffId: string
}

export interface DemoPerson {
  /** Unique; other records refer to people by staff ID. */
  staffId: string
  givenName: string
  familyName: string
  email: string
  unitName: string
  roles: PersonRole[]
}

export type DemoChildStatus = 'cp' | 'lac' | 'both'

export interface DemoChild {
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string
  teamName: string
  socialWorkerStaffId: string | null
  iroStaffId: string | null
  cpChairStaffId: string | null
  cpPlanStart: string | null
  lookedAfterStart: string | null
  /** Index into `siblingGroups`. */
  siblingGroup: number | null
}

export interface DemoSiblingGroup {
  caseIds: string[]
}

/** A person newcomers can sign in as, chosen so that their position shows access working. */
export interface DemoAccount {
  email: string
  role: RoleKey
  staffId: string
}

export interface DemoAuthority {
  seed: number
  units: DemoUnit[]
  people: DemoPerson[]
  children: DemoChild[]
  siblingGroups: DemoSiblingGroup[]
  accounts: DemoAccount[]
}

/** The memorable sign-in addresses, one per role, in the order they are printed. */
export const DEMO_ACCOUNT_EMAILS: Readonly<Record<RoleKey, string>> = {
  admin: `admin@${DEMO_EMAIL_DOMAIN}`,
  social_worker: `social.worker@${DEMO_EMAIL_DOMAIN}`,
  team_manager: `team.manager@${DEMO_EMAIL_DOMAIN}`,
  service_manager: `service.manager@${DEMO_EMAIL_DOMAIN}`,
  head_of_service: `head.of.service@${DEMO_EMAIL_DOMAIN}`,
  director_of_safeguarding: `director.safeguarding@${DEMO_EMAIL_DOMAIN}`,
  director_of_childrens_services: `director.childrens@${DEMO_EMAIL_DOMAIN}`,
  chief_executive: `chief.executive@${DEMO_EMAIL_DOMAIN}`,
  iro: `iro@${DEMO_EMAIL_DOMAIN}`,
  cp_chair: `cp.chair@${DEMO_EMAIL_DOMAIN}`,
  reviewing_service_manager: `reviewing.manager@${DEMO_EMAIL_DOMAIN}`,
  head_of_irs: `head.of.irs@${DEMO_EMAIL_DOMAIN}`,
  performance: `performance@${DEMO_EMAIL_DOMAIN}`,
}

/**
 * One more memorable account beside the one per role: the CP chair's own manager, a reviewing service
 * manager too, who gives the pre-approval the CP chairs' policies ask for. (The role's account above is
 * the IRO's manager.)
 */
export const DEMO_CP_CHAIRS_MANAGER_EMAIL = `cp.chairs.manager@${DEMO_EMAIL_DOMAIN}`

type ServiceType = 'cp' | 'cic' | 'fi' | 'cwd'

const serviceTypeNames: Record<ServiceType, { service: string; team: string }> = {
  cp: { service: 'Assessment and Child Protection', team: 'Child Protection Team' },
  cic: { service: 'Children in Care', team: 'Children in Care Team' },
  fi: { service: 'Family Intervention', team: 'Family Intervention Team' },
  cwd: { service: 'Children with Disabilities', team: 'Children with Disabilities Team' },
}

/** 3 service areas, 10 services, 30 teams; the towns are invented. */
const AREAS: readonly { name: string; short: string; services: readonly { type: ServiceType; towns: string[] }[] }[] = [
  {
    name: 'North Wessexshire',
    short: 'North',
    services: [
      { type: 'cp', towns: ['Harrowmere', 'Castlebury', 'Wyvernford'] },
      { type: 'cic', towns: ['Harrowmere', 'Castlebury', 'Wyvernford'] },
      { type: 'fi', towns: ['Harrowmere', 'Castlebury', 'Wyvernford'] },
    ],
  },
  {
    name: 'South Wessexshire',
    short: 'South',
    services: [
      { type: 'cp', towns: ['Saltmere', 'Kingsbrook', 'Dunhallow'] },
      { type: 'cic', towns: ['Saltmere', 'Kingsbrook', 'Dunhallow'] },
      { type: 'fi', towns: ['Saltmere', 'Kingsbrook', 'Dunhallow'] },
      { type: 'cwd', towns: ['Saltmere', 'Kingsbrook'] },
    ],
  },
  {
    name: 'East Wessexshire',
    short: 'East',
    services: [
      { type: 'cp', towns: ['Elmstow', 'Marlingford', 'Ashcombe Vale'] },
      { type: 'cic', towns: ['Elmstow', 'Marlingford', 'Ashcombe Vale', 'Port Wessex'] },
      { type: 'fi', towns: ['Elmstow', 'Marlingford', 'Ashcombe Vale'] },
    ],
  },
]

const REVIEWING_TEAMS: readonly { name: string; role: 'iro' | 'cp_chair'; reviewers: number }[] = [
  { name: 'Independent Reviewing Officers Team 1', role: 'iro', reviewers: 10 },
  { name: 'Independent Reviewing Officers Team 2', role: 'iro', reviewers: 10 },
  { name: 'Child Protection Chairs Team 1', role: 'cp_chair', reviewers: 10 },
  { name: 'Child Protection Chairs Team 2', role: 'cp_chair', reviewers: 10 },
]

/** How likely a child of each status is to sit in a team of each type (times the team's size). */
const TEAM_WEIGHTS: Record<DemoChildStatus, Record<ServiceType, number>> = {
  cp: { cp: 10, fi: 4, cwd: 2, cic: 0 },
  lac: { cic: 10, cwd: 2, fi: 1, cp: 1 },
  both: { cp: 1, cic: 1, fi: 1, cwd: 1 },
}

const SIBLING_GROUP_CHANCE = 0.09 // per family: about 20% of children end up in a group
const SIBLING_SAME_STATUS_CHANCE = 0.85
const UNALLOCATED_CHANCE = 0.02 // per family: seed 001 names "no allocated social worker" as a concern
const RECENT_START_CHANCE = 0.85 // plan or care start within the last three years

const DAY_MS = 86_400_000
const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** Thin wrapper over a seeded xoroshiro128+ generator (mutated in place, as pure-rand v8 does). */
class Random {
  private readonly rng: ReturnType<typeof xoroshiro128plus>
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to)
  }
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(0, items.length - 1)]!
  }
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0)
    let ticket = this.int(0, Math.round(total * 1000) - 1) / 1000
    for (const item of items) {
      ticket -= weightOf(item)
      if (ticket < 0) return item
    }
    return items[items.length - 1]!
  }
  /** Two random candidates, the less loaded wins: spreads caseloads without making them uniform. */
  lighter<T>(items: readonly T[], loadOf: (item: T) => number): T {
    const a = this.pick(items)
    const b = this.pick(items)
    return loadOf(b) < loadOf(a) ? b : a
  }
}

interface TeamInfo {
  name: string
  type: ServiceType
  serviceName: string
  areaName: string
  socialWorkers: string[]
}

export function generateDemoAuthority(seed = DEMO_SEED): DemoAuthority {
  const random = new Random(seed)
  const units: DemoUnit[] = []
  const people: DemoPerson[] = []
  const staffIds = new Set<string>()
  const staffNames = new Set<string>()

  function newPerson(unitName: string, roles: PersonRole[]): DemoPerson {
    let staffId: string
    do staffId = `S${random.int(10_000, 99_999)}`
    while (staffIds.has(staffId))
    staffIds.add(staffId)
    // No two people share a full name: in a demo, a name must say who is meant.
    let givenName: string, familyName: string
    do [givenName, familyName] = [random.pick(STAFF_FIRST_NAMES), random.pick(DEMO_SURNAMES)]
    while (staffNames.has(`${givenName} ${familyName}`))
    staffNames.add(`${givenName} ${familyName}`)
    const person: DemoPerson = {
      staffId,
      givenName,
      familyName,
      email: '', // given at the end, once the demo accounts are chosen
      unitName,
      roles,
    }
    people.push(person)
    return person
  }

  function newUnit(name: string, kind: UnitKind, parentName: string | null): DemoUnit {
    const unit: DemoUnit = { name, kind, parentName, managerStaffId: newPerson(name, []).staffId }
    units.push(unit)
    return unit
  }

  // The management chain, top down; each unit's manager works in it.
  const council = newUnit(DEMO_COUNCIL_NAME, 'council', null)
  const childrens = newUnit("Children's Services", 'childrens_services', council.name)
  const safeguarding = newUnit('Safeguarding and Care', 'safeguarding', childrens.name)
  const teams: TeamInfo[] = []
  for (const area of AREAS) {
    newUnit(area.name, 'area', safeguarding.name)
    for (const service of area.services) {
      const serviceName = `${area.short} ${serviceTypeNames[service.type].service}`
      newUnit(serviceName, 'service', area.name)
      for (const town of service.towns) {
        const name = `${town} ${serviceTypeNames[service.type].team}`
        newUnit(name, 'team', serviceName)
        const socialWorkers = Array.from({ length: random.int(4, 7) }, () => newPerson(name, ['social_worker']).staffId)
        teams.push({ name, type: service.type, serviceName, areaName: area.name, socialWorkers })
      }
    }
  }

  // The independent reviewing service sits under the safeguarding directorate.
  const reviewingService = newUnit('Independent Reviewing Service', 'reviewing_service', safeguarding.name)
  const reviewers: Record<'iro' | 'cp_chair', string[]> = { iro: [], cp_chair: [] }
  for (const team of REVIEWING_TEAMS) {
    newUnit(team.name, 'reviewing_team', reviewingService.name)
    for (let i = 0; i < team.reviewers; i++) reviewers[team.role].push(newPerson(team.name, [team.role]).staffId)
  }

  const admins = [newPerson(childrens.name, ['admin']), newPerson(childrens.name, ['admin'])]
  const performance = newPerson(childrens.name, ['performance'])

  const { children, siblingGroups } = generateChildren(random, teams, reviewers)

  const accounts = chooseAccounts(units, people, teams, children, admins[0]!, performance)
  assignEmails(people, accounts)
  return { seed, units, people, children, siblingGroups, accounts }
}

function generateChildren(
  random: Random,
  teams: readonly TeamInfo[],
  reviewers: Record<'iro' | 'cp_chair', string[]>,
): { children: DemoChild[]; siblingGroups: DemoSiblingGroup[] } {
  const both = random.int(10, 20)
  const remaining: Record<DemoChildStatus, number> = {
    cp: random.int(580, 620) - both,
    lac: random.int(780, 820) - both,
    both,
  }
  const statuses = ['cp', 'lac', 'both'] as const
  const total = () => remaining.cp + remaining.lac + remaining.both
  const takeStatus = (preferred?: DemoChildStatus): DemoChildStatus => {
    const status =
      preferred && remaining[preferred] > 0 && random.chance(SIBLING_SAME_STATUS_CHANCE)
        ? preferred
        : random.weighted(statuses, s => remaining[s])
    remaining[status]--
    return status
  }

  const load = new Map<string, number>()
  const loadOf = (staffId: string) => load.get(staffId) ?? 0
  const addLoad = (staffId: string, n: number) => load.set(staffId, loadOf(staffId) + n)

  const caseIds = new Set<string>()
  const newCaseId = () => {
    let id: string
    do id = `WX${random.int(100_000, 999_999)}`
    while (caseIds.has(id))
    caseIds.add(id)
    return id
  }

  const reference = dayNumber(DEMO_REFERENCE_DATE)
  const oldestBirth = dayNumber('2008-11-02') // 17 years old at the reference date, at most
  const youngestBirth = reference - 14
  const threeYearsAgo = reference - 3 * 365
  const startAfter = (birth: number) => {
    const from = random.chance(RECENT_START_CHANCE) ? Math.max(birth + 1, threeYearsAgo) : birth + 1
    return isoDay(random.int(from, reference - 1))
  }

  const children: DemoChild[] = []
  /** The given names already used with each surname. */
  const childrenNamed = new Map<string, Set<string>>()
  const siblingGroups: DemoSiblingGroup[] = []
  while (total() > 0) {
    const size = Math.min(
      total(),
      random.chance(SIBLING_GROUP_CHANCE) ? random.weighted([2, 3, 4], n => [0, 0, 55, 30, 15][n]!) : 1,
    )
    const first = takeStatus()
    const familyStatuses = [first, ...Array.from({ length: size - 1 }, () => takeStatus(first))]
    // No two children share a full name either; a family takes a surname with given names to spare.
    let familyName: string
    do familyName = random.pick(DEMO_SURNAMES)
    while ((childrenNamed.get(familyName)?.size ?? 0) + size > CHILD_FIRST_NAMES.length)
    const givenNames = childrenNamed.get(familyName) ?? new Set<string>()
    childrenNamed.set(familyName, givenNames)

    // Siblings share a team and, unless the family is unallocated, a social worker and reviewers.
    const team = random.weighted(teams, t => TEAM_WEIGHTS[first][t.type] * t.socialWorkers.length)
    const socialWorker = random.chance(UNALLOCATED_CHANCE) ? null : random.lighter(team.socialWorkers, loadOf)
    const iro = random.lighter(reviewers.iro, loadOf)
    const cpChair = random.lighter(reviewers.cp_chair, loadOf)

    // Eldest first, the others born one to four years apart.
    const births: number[] = [random.int(oldestBirth, youngestBirth - (size - 1) * 400)]
    for (let i = 1; i < size; i++) births.push(Math.min(youngestBirth, births[i - 1]! + random.int(300, 1400)))
    // Siblings of one status usually share the conference or the day they came into care.
    const sharedCp = startAfter(Math.max(...births))
    const sharedLac = startAfter(Math.max(...births))

    const group = size > 1 ? siblingGroups.push({ caseIds: [] }) - 1 : null
    familyStatuses.forEach((status, i) => {
      let givenName: string
      do givenName = random.pick(CHILD_FIRST_NAMES)
      while (givenNames.has(givenName))
      givenNames.add(givenName)
      const birth = births[i]!
      const cp = status === 'cp' || status === 'both'
      const lac = status === 'lac' || status === 'both'
      const child: DemoChild = {
        caseId: newCaseId(),
        givenName,
        familyName,
        dateOfBirth: isoDay(birth),
        teamName: team.name,
        socialWorkerStaffId: socialWorker,
        iroStaffId: lac ? iro : null,
        cpChairStaffId: cp ? cpChair : null,
        cpPlanStart: cp ? (status === first ? sharedCp : startAfter(birth)) : null,
        lookedAfterStart: lac ? (status === first ? sharedLac : startAfter(birth)) : null,
        siblingGroup: group,
      }
      children.push(child)
      if (group !== null) siblingGroups[group]!.caseIds.push(child.caseId)
      if (socialWorker) addLoad(socialWorker, 1)
      if (lac) addLoad(iro, 1)
      if (cp) addLoad(cpChair, 1)
    })
  }
  return { children, siblingGroups }
}

/**
 * One person per role, all on one line of management, so a newcomer can follow a child from
 * the social worker up to the chief executive, and see the same child from the reviewers' side.
 */
function chooseAccounts(
  units: readonly DemoUnit[],
  people: readonly DemoPerson[],
  teams: readonly TeamInfo[],
  children: readonly DemoChild[],
  admin: DemoPerson,
  performance: DemoPerson,
): DemoAccount[] {
  const caseload = new Map<string, DemoChild[]>()
  for (const child of children) {
    if (child.socialWorkerStaffId === null) continue
    const list = caseload.get(child.socialWorkerStaffId) ?? []
    list.push(child)
    caseload.set(child.socialWorkerStaffId, list)
  }
  // The demo raises a record for siblings together under each reviewer's policies, so a reviewer
  // must have siblings (each with a social worker) among their allocated children.
  const hasSiblings = (reviewerOf: (c: DemoChild) => string | null, id: string) => {
    const groups = children
      .filter(c => reviewerOf(c) === id && c.socialWorkerStaffId !== null && c.siblingGroup !== null)
      .map(c => c.siblingGroup)
    return new Set(groups).size < groups.length
  }
  const mostCommon = (ids: (string | null)[]) => {
    const counts = new Map<string, number>()
    for (const id of ids) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1)
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]
  }
  // The social worker with the most children who has both children on plans and children in care,
  // and whose children's usual IRO and CP chair each have siblings to raise a record for.
  let chosen: { staffId: string; children: DemoChild[]; iro: string; cpChair: string } | undefined
  for (const team of teams) {
    for (const staffId of team.socialWorkers) {
      const mine = caseload.get(staffId) ?? []
      const mixed = mine.some(c => c.cpChairStaffId !== null) && mine.some(c => c.iroStaffId !== null)
      if (!mixed || (chosen && mine.length <= chosen.children.length)) continue
      const iro = mostCommon(mine.map(c => c.iroStaffId))
      const cpChair = mostCommon(mine.map(c => c.cpChairStaffId))
      if (hasSiblings(c => c.iroStaffId, iro) && hasSiblings(c => c.cpChairStaffId, cpChair))
        chosen = { staffId, children: mine, iro, cpChair }
    }
  }
  if (!chosen) throw new Error('no social worker has children both on plans and in care, with reviewers of siblings')
  const { children: mine, iro, cpChair } = chosen

  const byName = new Map(units.map(u => [u.name, u]))
  const unit = (name: string | null) => {
    const found = name === null ? undefined : byName.get(name)
    if (!found) throw new Error(`no unit ${name}`)
    return found
  }
  const team = unit(mine[0]!.teamName)
  const service = unit(team.parentName)
  const area = unit(service.parentName)
  const safeguarding = unit(area.parentName)
  const childrens = unit(safeguarding.parentName)
  const council = unit(childrens.parentName)
  const reviewingService = units.find(u => u.kind === 'reviewing_service')!
  // The IRO's own manager, found through the reviewing team the IRO works in.
  const iroTeam = unit(people.find(p => p.staffId === iro)?.unitName ?? null)
  const cpChairTeam = unit(people.find(p => p.staffId === cpChair)?.unitName ?? null)

  const holders: Record<RoleKey, string> = {
    admin: admin.staffId,
    social_worker: chosen.staffId,
    team_manager: team.managerStaffId,
    service_manager: service.managerStaffId,
    head_of_service: area.managerStaffId,
    director_of_safeguarding: safeguarding.managerStaffId,
    director_of_childrens_services: childrens.managerStaffId,
    chief_executive: council.managerStaffId,
    iro,
    cp_chair: cpChair,
    reviewing_service_manager: iroTeam.managerStaffId,
    head_of_irs: reviewingService.managerStaffId,
    performance: performance.staffId,
  }
  return [
    ...(Object.keys(DEMO_ACCOUNT_EMAILS) as RoleKey[]).map(role => ({
      email: DEMO_ACCOUNT_EMAILS[role],
      role,
      staffId: holders[role],
    })),
    { email: DEMO_CP_CHAIRS_MANAGER_EMAIL, role: 'reviewing_service_manager', staffId: cpChairTeam.managerStaffId },
  ]
}

/** Demo accounts get their memorable address; everyone else firstname.lastname, numbered when taken. */
function assignEmails(people: DemoPerson[], accounts: readonly DemoAccount[]): void {
  const demoEmail = new Map(accounts.map(a => [a.staffId, a.email]))
  const used = new Map<string, number>()
  for (const person of people) {
    const memorable = demoEmail.get(person.staffId)
    if (memorable) {
      person.email = memorable
      continue
    }
    const base = `${person.givenName}.${person.familyName}`.toLowerCase().replace(/[^a-z.]/g, '')
    const n = (used.get(base) ?? 0) + 1
    used.set(base, n)
    person.email = `${n === 1 ? base : `${base}${n}`}@${DEMO_EMAIL_DOMAIN}`
  }
}
