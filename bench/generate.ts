import { pathToFileURL } from 'node:url'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { systemClock } from '../src/clock.js'
import { openPostgres } from '../src/db/database.js'
import { migrate, splitStatements } from '../src/db/migrate.js'
import { storeToken } from '../src/services/authService.js'
import { argon2Hasher } from '../src/services/passwords.js'
import { captureTemplates, type Templates } from './templates.js'
import { findStage, shippedPolicies } from '../src/domain/policies/policyCatalogue.js'

/** The policy every generated record is under, and the stages they are spread over (by `plan.stage`). */
const benchPolicy = shippedPolicies().find(p => p.id === 'gloucestershire-2022')!
const GENERATED_STAGE_KEYS = ['informal', 'formal1', 'formal2', 'formal3']

/**
 * Fills a freshly migrated PostgreSQL database with a large authority, set-based: every big table
 * is written by one INSERT ... SELECT over generate_series (no row-by-row round trips). The
 * migrations' secondary indexes and foreign keys are dropped for the load and rebuilt afterwards
 * from their own definitions (pg_get_indexdef / pg_get_constraintdef), so the schema the app
 * runs on is exactly the migrated one; then VACUUM ANALYZE leaves it as autovacuum would.
 */

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test'
export const BENCH_PASSWORD = 'concord-bench-password'

/** The organisation's shape: 3 directorates > 12 areas > 60 services > 300 teams; 40 reviewing teams of 10. */
export const ORG = {
  directorates: 3,
  areasPerDirectorate: 4,
  servicesPerArea: 5,
  teamsPerService: 5,
  socialWorkersPerTeam: 9,
  reviewingTeams: 40,
  reviewersPerTeam: 10,
} as const

export interface GenerateOptions {
  /** How many dispute records (the history grows with this). */
  disputes: number
  children?: number
  /** How many of them are open; by default the open workload grows with the square root of the history. */
  openDisputes?: number
  /** "Today" (YYYY-MM-DD, London): due dates are spread around it. */
  today: string
  /** How many benchmark users to pick, sign up and give tokens. */
  users?: number
  log?: (line: string) => void
}

export interface BenchUser {
  personId: number
  email: string
  token: string
  openItems: number
  kind: string
}

export interface GenerateResult {
  seconds: number
  steps: { step: string; seconds: number }[]
  counts: Record<string, number>
  users: BenchUser[]
  adminId: number
}

/** 4000 open at 10k, about 12,600 at 100k, 40,000 at 1M: current work grows far slower than the history. */
export function defaultOpenDisputes(disputes: number): number {
  return Math.min(Math.round(disputes * 0.4), Math.round(4000 * Math.sqrt(disputes / 10_000)))
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const safeName = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe database name: ${name}`)
  return name
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return admin(
    adminUrl,
    async c => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0,
  )
}

/** Drops (if present) and creates an empty database; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, async c => {
    await c.query(`drop database if exists ${safeName(name)} with (force)`)
    await c.query(`create database ${safeName(name)}`)
  })
  return databaseUrl(adminUrl, name)
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, c => c.query(`drop database if exists ${safeName(name)} with (force)`))
}

/** The organisation laid out by id, so the SQL can find a child's chain by arithmetic and joins. */
export function layout() {
  const directorates = ORG.directorates
  const areas = directorates * ORG.areasPerDirectorate
  const services = areas * ORG.servicesPerArea
  const teams = services * ORG.teamsPerService
  const dirBase = 3
  const areaBase = dirBase + directorates
  const serviceBase = areaBase + areas
  const teamBase = serviceBase + services
  const irs = teamBase + teams
  const reviewingTeamBase = irs + 1
  const units = reviewingTeamBase + ORG.reviewingTeams - 1
  const reviewers = ORG.reviewingTeams * ORG.reviewersPerTeam
  const reviewerBase = units + 2
  const socialWorkers = teams * ORG.socialWorkersPerTeam
  const socialWorkerBase = reviewerBase + reviewers
  return {
    directorates,
    areas,
    services,
    teams,
    dirBase,
    areaBase,
    serviceBase,
    teamBase,
    irs,
    reviewingTeamBase,
    units,
    reviewers,
    reviewerBase,
    socialWorkers,
    socialWorkerBase,
    people: socialWorkerBase + socialWorkers - 1,
    /** Unit u is managed by person u + 1; person 1 is the administrator. */
    managerOf: (unitId: number) => unitId + 1,
  }
}

const GIVEN = ['Ava', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Grace', 'Harry', 'Isla', 'Jack']
const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Patel', 'Khan', 'Walker']

interface UnitRow {
  id: number
  name: string
  kind: string
  parent: number | null
}
interface PersonRow {
  id: number
  given: string
  family: string
  email: string
  unit: number | null
  roles: string
}

function organisationRows() {
  const L = layout()
  const units: UnitRow[] = [
    { id: 1, name: 'Bench County Council', kind: 'council', parent: null },
    { id: 2, name: 'Children’s services', kind: 'childrens_services', parent: 1 },
  ]
  for (let i = 0; i < L.directorates; i++)
    units.push({ id: L.dirBase + i, name: `Safeguarding directorate ${i + 1}`, kind: 'safeguarding', parent: 2 })
  for (let i = 0; i < L.areas; i++)
    units.push({
      id: L.areaBase + i,
      name: `Area ${i + 1}`,
      kind: 'area',
      parent: L.dirBase + Math.floor(i / ORG.areasPerDirectorate),
    })
  for (let i = 0; i < L.services; i++)
    units.push({
      id: L.serviceBase + i,
      name: `Service ${i + 1}`,
      kind: 'service',
      parent: L.areaBase + Math.floor(i / ORG.servicesPerArea),
    })
  for (let i = 0; i < L.teams; i++)
    units.push({
      id: L.teamBase + i,
      name: `Team ${i + 1}`,
      kind: 'team',
      parent: L.serviceBase + Math.floor(i / ORG.teamsPerService),
    })
  units.push({ id: L.irs, name: 'Independent reviewing service', kind: 'reviewing_service', parent: 2 })
  for (let i = 0; i < ORG.reviewingTeams; i++)
    units.push({ id: L.reviewingTeamBase + i, name: `Reviewing team ${i + 1}`, kind: 'reviewing_team', parent: L.irs })

  const name = (id: number) => ({ given: GIVEN[id % 10]!, family: `${FAMILY[Math.floor(id / 10) % 10]!}-${id}` })
  const people: PersonRow[] = [{ id: 1, ...name(1), email: 'admin@bench.example', unit: null, roles: '{admin}' }]
  for (const u of units)
    people.push({
      id: L.managerOf(u.id),
      ...name(u.id + 1),
      email: `manager.${u.id + 1}@bench.example`,
      unit: u.id,
      roles: '{}',
    })
  for (let i = 0; i < L.reviewers; i++) {
    const id = L.reviewerBase + i
    people.push({
      id,
      ...name(id),
      email: `reviewer.${id}@bench.example`,
      unit: L.reviewingTeamBase + (i % ORG.reviewingTeams),
      roles: i % 2 === 0 ? '{iro}' : '{cp_chair}',
    })
  }
  for (let i = 0; i < L.socialWorkers; i++) {
    const id = L.socialWorkerBase + i
    people.push({
      id,
      ...name(id),
      email: `social.worker.${id}@bench.example`,
      unit: L.teamBase + (i % L.teams),
      roles: '{social_worker}',
    })
  }
  return { units, people }
}

const timer = () => {
  const started = process.hrtime.bigint()
  return () => Number(process.hrtime.bigint() - started) / 1e9
}

/** Generates the whole data set into an empty, freshly created database at `url`. */
export async function generate(url: string, options: GenerateOptions, templates?: Templates): Promise<GenerateResult> {
  const log = options.log ?? (() => undefined)
  const total = timer()
  const steps: { step: string; seconds: number }[] = []
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = timer()
    const value = await work()
    const seconds = t()
    steps.push({ step: name, seconds })
    log(`  ${name.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s`)
    return value
  }

  const tpl = templates ?? (await step('capture templates (real service, PGlite)', () => captureTemplates()))
  await step('migrate', async () => {
    const db = await openPostgres(url, 1)
    await migrate(db)
    await db.close()
  })

  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params)
  try {
    await q(`set synchronous_commit = off`)
    await q(`set jit = off`)
    await q(`set maintenance_work_mem = '1GB'`)
    await q(`set work_mem = '256MB'`)
    // Deterministic pseudo-random numbers: the same data set for the same size, every run.
    await q(`create function pg_temp.rnd(g integer, k integer) returns double precision language sql immutable as
      $$ select (hashint8((g::bigint << 5) | k)::bigint & 2147483647)::double precision / 2147483648.0 $$`)
    await q(`create function pg_temp.next_wd(d date) returns date language sql immutable as
      $$ select d + case extract(isodow from d)::int when 6 then 2 when 7 then 1 else 0 end $$`)
    await q(`create function pg_temp.prev_wd(d date) returns date language sql immutable as
      $$ select d - case extract(isodow from d)::int when 6 then 1 when 7 then 2 else 0 end $$`)
    await q(`create function pg_temp.at(d date, g integer, k integer) returns timestamptz language sql immutable as
      $$ select (d + time '08:30' + make_interval(mins => floor(pg_temp.rnd(g, k) * 540)::int)) at time zone 'Europe/London' $$`)

    const { foreignKeys, indexes } = await step('drop secondary indexes and foreign keys', async () => {
      const fks = (
        await q(`select c.conrelid::regclass::text as tbl, c.conname as name, pg_get_constraintdef(c.oid) as def
                 from pg_constraint c join pg_namespace n on n.oid = c.connamespace
                 where c.contype = 'f' and n.nspname = 'public' order by 1, 2`)
      ).rows as { tbl: string; name: string; def: string }[]
      const idx = (
        await q(`select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
                 from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
                 where n.nspname = 'public' and not i.indisprimary
                   and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
                 order by 1`)
      ).rows as { name: string; def: string }[]
      for (const fk of fks) await q(`alter table ${fk.tbl} drop constraint ${fk.name}`)
      for (const i of idx) await q(`drop index ${i.name}`)
      return { foreignKeys: fks, indexes: idx }
    })

    const L = layout()
    const childCount = options.children ?? 200_000
    const N = options.disputes
    const open = Math.min(N, options.openDisputes ?? defaultOpenDisputes(N))
    const resolved = Math.min(N - open, Math.round(open / 10))
    const closed = N - open - resolved
    const today = options.today
    const createdAt = '2019-01-07T09:00:00Z'

    await step('organisation (units, people)', async () => {
      const { units, people } = organisationRows()
      await q(
        `insert into org_units (id, name, kind, parent_id, manager_id, created_at, updated_at) overriding system value
         select u.id, u.name, u.kind, u.parent, u.id + 1, $5, $5
         from unnest($1::int[], $2::text[], $3::text[], $4::int[]) as u(id, name, kind, parent)`,
        [units.map(u => u.id), units.map(u => u.name), units.map(u => u.kind), units.map(u => u.parent), createdAt],
      )
      await q(
        `insert into people (id, given_name, family_name, email, staff_id, unit_id, roles, active,
           notification_preference, created_at, updated_at) overriding system value
         select p.id, p.given, p.family, p.email, 'B' || lpad(p.id::text, 6, '0'), p.unit, p.roles::text[], true,
           case when p.id % 10 = 3 then 'daily_digest' else 'immediate' end, $7, $7
         from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
           as p(id, given, family, email, unit, roles)`,
        [
          people.map(p => p.id),
          people.map(p => p.given),
          people.map(p => p.family),
          people.map(p => p.email),
          people.map(p => p.unit),
          people.map(p => p.roles),
          createdAt,
        ],
      )
      // Each team's manager chain, for the SQL below.
      await q(`create temp table chain as
        select t.id as team_id, t.manager_id as tm, s.manager_id as sm, a.manager_id as hos, d.manager_id as dsc
        from org_units t join org_units s on s.id = t.parent_id join org_units a on a.id = s.parent_id
          join org_units d on d.id = a.parent_id
        where t.kind = 'team'`)
    })

    await step(`children (${childCount.toLocaleString('en-GB')})`, async () => {
      // Even children are looked after (an IRO), odd ones have a child protection plan (a CP chair).
      const half = L.reviewers / 2
      await q(
        `insert into children (id, case_id, given_name, family_name, date_of_birth, team_id, social_worker_id, iro_id,
           cp_chair_id, cp_plan_start, looked_after_start, created_at, updated_at) overriding system value
         select g, 'BX' || lpad(g::text, 7, '0'), ($1::text[])[1 + g % 10], ($2::text[])[1 + (g / 10) % 10],
           date '2007-01-01' + floor(pg_temp.rnd(g, 1) * 6500)::int,
           $3 + g % $4, $5 + (g / $4) % $6 * $4 + g % $4,
           case when g % 2 = 0 then $7 + 2 * ((g / 2) % $8) end,
           case when g % 2 = 1 then $7 + 1 + 2 * ((g / 2) % $8) end,
           case when g % 2 = 1 then date '2020-01-01' + floor(pg_temp.rnd(g, 2) * 1500)::int end,
           case when g % 2 = 0 then date '2016-01-01' + floor(pg_temp.rnd(g, 2) * 2900)::int end,
           $9, $9
         from generate_series(1, $10::int) g`,
        [
          GIVEN,
          FAMILY,
          L.teamBase,
          L.teams,
          L.socialWorkerBase,
          ORG.socialWorkersPerTeam,
          L.reviewerBase,
          half,
          createdAt,
          childCount,
        ],
      )
    })

    await step('plan each dispute (temp table)', async () => {
      // Ids follow time: the oldest records are finalised, then those resolved, then the open ones.
      // Stages: informal 30 %, formal 1 40 %, formal 2 20 %, formal 3 10 %. Open: 65 % awaiting a
      // response, 35 % awaiting the reviewer's decision (with one open SMART action).
      await q(
        `create temp table plan as
         with s as materialized (
           select g as id, 1 + floor(pg_temp.rnd(g, 1) * $2::int)::int as child_id,
             case when g > $3::int + $4::int then 'open' when g > $3::int then 'resolved' else 'finalised' end as status,
             case when pg_temp.rnd(g, 2) < 0.3 then 0 when pg_temp.rnd(g, 2) < 0.7 then 1
                  when pg_temp.rnd(g, 2) < 0.9 then 2 else 3 end as stage,
             pg_temp.prev_wd(case
               when g > $3::int + $4::int then $5::date - floor(pg_temp.rnd(g, 3) * 20)::int
               when g > $3::int then $5::date - 8 - floor(pg_temp.rnd(g, 3) * 30)::int
               else $5::date - 45 - floor(($3::int - g)::double precision * 1825 / greatest($3::int, 1))::int end)
               as entered,
             pg_temp.rnd(g, 4) < 0.65 as awaiting_response
           from generate_series(1, $1::int) g
         ), d as materialized (
           select s.*,
             case when s.status = 'open' and s.awaiting_response then null
                  when s.status = 'open' then s.entered + floor(pg_temp.rnd(s.id, 5) * ($5::date - s.entered + 1))::int
                  else least($5::date, s.entered + 1 + floor(pg_temp.rnd(s.id, 5) * 6)::int) end as responded
           from s
         ), e as materialized (
           select d.*,
             case when d.status <> 'open' then least($5::date, d.responded + floor(pg_temp.rnd(d.id, 6) * 5)::int) end
               as decided
           from d
         )
         select e.id, e.child_id, e.status, e.stage, e.entered, e.responded, e.decided,
           case when e.status = 'open' and e.awaiting_response then 'awaiting_response'
                when e.status = 'open' then 'awaiting_decision' end as open_phase,
           (array[${GENERATED_STAGE_KEYS.map(k => `'${k}'`).join(', ')}])[e.stage + 1] as stage_key,
           (array['safety_wellbeing', 'participation', 'drift_delay', 'key_decision_making', 'resources',
                  'procedural_tasks'])[1 + floor(pg_temp.rnd(e.id, 11) * 6)::int] as category,
           e.entered - floor(pg_temp.rnd(e.id, 12) * 5)::int as aware,
           pg_temp.next_wd(e.entered + 7) as due,
           case when e.stage > 0 then pg_temp.next_wd(e.entered + 28) end as overall_due,
           case when e.status = 'finalised' then e.decided + floor(pg_temp.rnd(e.id, 7) * 10)::int end as finalised,
           case when e.responded is not null then e.responded + 10 + floor(pg_temp.rnd(e.id, 8) * 15)::int end
             as action_due,
           case when e.status = 'finalised' then false when e.status = 'resolved' then pg_temp.rnd(e.id, 9) < 0.5
                else e.responded is not null end as action_open,
           case when e.status <> 'open' or pg_temp.rnd(e.id, 10) < 0.5
                then least($5::date, e.entered + 1 + floor(pg_temp.rnd(e.id, 10) * 3)::int) end as copy_acked,
           coalesce(c.iro_id, c.cp_chair_id) as reviewer,
           case when c.iro_id is not null then 'iro' else 'cp_chair' end as role,
           c.social_worker_id as sw,
           case e.stage when 0 then array[c.social_worker_id] when 1 then array[ch.tm] when 2 then array[ch.hos, ch.sm]
                else array[ch.dsc] end as resp,
           case e.stage when 0 then array[ch.tm] when 1 then array[ch.sm] when 2 then array[ch.dsc]
                else '{}'::int[] end as copied
         from e join children c on c.id = e.child_id join chain ch on ch.team_id = c.team_id`,
        [N, childCount, closed, resolved, today],
      )
      await q(`alter table plan add column action_done date`)
      await q(
        `update plan set action_done = greatest(responded, least(coalesce(finalised, $1::date),
                 action_due - floor(pg_temp.rnd(id, 13) * 5)::int)) where responded is not null and not action_open`,
        [today],
      )
      await q('analyze plan')
    })

    await step(`disputes (${N.toLocaleString('en-GB')})`, async () => {
      await q(
        `insert into dispute_sets (id, created_at) overriding system value
         select id, pg_temp.at(entered, id, 20) from plan`,
      )
      // The state is a real record's state with the varying fields overridden; the query columns
      // are then read back from that state, as stateColumns() does in the app.
      await q(
        `insert into disputes (id, child_id, dispute_set_id, policy_id, policy_version, reviewer_id, category_key, concern,
           impact, wishes_and_feelings, recommended_resolution, resolution_timescale, status, phase, current_stage_key,
           responsible_person_id, response_due_on, overall_due_on, raised_on, resolved_on, finalised_on, state, version,
           created_at, updated_at) overriding system value
         select x.id, x.child_id, x.id, x.st->>'policyId', (x.st->>'policyVersion')::int, x.reviewer, x.category,
           'The plan for this child has drifted: the review decision has not been acted on.',
           'Delay in securing permanence for the child.', 'Wants to stay where they live now.',
           'Agree a plan with dates at the next supervision.', '10 working days',
           x.st->>'status', x.st->>'phase', x.st#>>'{stages,0,stageKey}', (x.st#>>'{stages,0,responsiblePersonIds,0}')::int,
           case when x.st->>'status' = 'open' then (x.st#>>'{stages,0,dueOn}')::date end,
           (x.st->>'overallDueOn')::date, x.entered, (x.st#>>'{resolution,on}')::date, (x.st->>'finalisedOn')::date,
           x.st, x.version, pg_temp.at(x.entered, x.id, 20),
           pg_temp.at(coalesce(x.finalised, x.decided, x.responded, x.entered), x.id, 23)
         from (
           select p.*, case when p.status = 'finalised' then 5 when p.status = 'resolved' then 3
                            when p.responded is not null then 2 else 1 end as version,
             t.tpl || jsonb_build_object(
               'ownerId', p.reviewer,
               'reviewerRole', p.role,
               'raisedOn', p.entered,
               'becameAwareOn', p.aware,
               'firstFormalOn', case when p.stage > 0 then p.entered end,
               'overallDueOn', p.overall_due,
               'stages', jsonb_build_array((t.tpl #> '{stages,0}') || jsonb_build_object(
                 'stageKey', p.stage_key,
                 'enteredOn', p.entered,
                 'dueOn', p.due,
                 'bypassed', p.stage > 0,
                 'responsiblePersonIds', to_jsonb(p.resp),
                 'copiedPersonIds', to_jsonb(p.copied),
                 'responses', case when p.responded is null then '[]'::jsonb else jsonb_build_array(
                   (t.tpl #> '{stages,0,responses,0}') || jsonb_build_object('on', p.responded, 'byPersonId', p.resp[1]))
                   end,
                 'decision', case when p.decided is null then 'null'::jsonb
                   else (t.tpl #> '{stages,0,decision}') || jsonb_build_object('on', p.decided) end)),
               'actions', case when p.responded is null then '[]'::jsonb else jsonb_build_array(
                 (t.tpl #> '{actions,0}') || jsonb_build_object('ownerId', p.sw, 'dueOn', p.action_due,
                   'stageKey', p.stage_key, 'status', case when p.action_open then 'open' else 'done' end,
                   'doneOn', p.action_done,
                   'evidence', case when p.action_open then null else $5::jsonb #>> '{actions,0,evidence}' end)) end,
               'resolution', case when p.decided is null then 'null'::jsonb
                 else (t.tpl -> 'resolution') || jsonb_build_object('on', p.decided, 'atStageKey', p.stage_key) end,
               'finalisedOn', p.finalised) as st
           from plan p cross join lateral (select case when p.status = 'finalised' then $4::jsonb
             when p.status = 'resolved' then $3::jsonb when p.responded is not null then $2::jsonb
             else $1::jsonb end as tpl) t
           offset 0 -- a fence: each state is built once, not once for each column read from it
         ) x`,
        [
          JSON.stringify(tpl.awaitingResponse),
          JSON.stringify(tpl.awaitingDecision),
          JSON.stringify(tpl.resolved),
          JSON.stringify(tpl.finalised),
          JSON.stringify(tpl.finalised),
        ],
      )
    })

    await step('events (2-5 per dispute)', async () => {
      const ev = tpl.events
      await q(
        `insert into events (occurred_at, actor_id, entity_type, entity_id, child_id, kind, data)
         select v.at, v.actor, 'dispute', p.id, p.child_id, v.kind, v.data
         from plan p cross join lateral (values
           (pg_temp.at(p.entered, p.id, 20), p.reviewer, 'dispute.raised', $1::jsonb || jsonb_build_object(
             'categoryKey', p.category, 'becameAwareOn', p.aware, 'startStageKey', p.stage_key, 'raisedLate', false)),
           (pg_temp.at(p.entered, p.id, 20), p.reviewer, 'dispute.stage_entered', $2::jsonb || jsonb_build_object(
             'stageKey', p.stage_key, 'dueOn', p.due, 'bypassed', p.stage > 0,
             'responsiblePersonIds', to_jsonb(p.resp), 'copiedPersonIds', to_jsonb(p.copied))),
           (pg_temp.at(p.responded, p.id, 21), p.resp[1], 'dispute.responded', $3::jsonb || jsonb_build_object(
             'stageKey', p.stage_key, 'late', p.responded > p.due, 'actions', jsonb_build_array(
               ($3::jsonb #> '{actions,0}') || jsonb_build_object('ownerId', p.sw, 'dueOn', p.action_due,
                 'stageKey', p.stage_key)))),
           (pg_temp.at(p.decided, p.id, 22), p.reviewer, 'dispute.resolved', $4::jsonb || jsonb_build_object(
             'stageKey', p.stage_key)),
           (pg_temp.at(p.finalised, p.id, 23), p.reviewer, 'dispute.finalised', $5::jsonb || jsonb_build_object(
             'on', p.finalised))
         ) as v(at, actor, kind, data)
         where v.at is not null`,
        [
          JSON.stringify(ev['dispute.raised']),
          JSON.stringify(ev['dispute.stage_entered']),
          JSON.stringify(ev['dispute.responded']),
          JSON.stringify(ev['dispute.resolved']),
          JSON.stringify(ev['dispute.finalised']),
        ],
      )
    })

    await step('work items (open and done)', async () => {
      // What workItemsFor() asks of each record, now and in its past: a respond task for each
      // responsible manager, decide for the reviewer once answered, finalise once resolved, the
      // SMART action for the social worker, and a copy (a notice) for those copied in.
      await q(
        `insert into work_items (person_id, kind, dispute_id, child_id, ref, needs_ack, due_on, created_at, done_at,
           acknowledged_at, about)
         select w.person_id, w.kind, p.id, p.child_id, '1', w.needs_ack, w.due_on, w.created_at, w.done_at, w.acked,
           -- A copy carries its stage's name, as workItemsFor() gives it.
           case when w.kind = 'copy' then ($1::text[])[p.stage + 1] end
         from plan p cross join lateral (
           select r.person_id, 'respond' as kind, false as needs_ack, p.due as due_on,
             pg_temp.at(p.entered, p.id, 20) as created_at, pg_temp.at(p.responded, p.id, 21) as done_at,
             null::timestamptz as acked
           from unnest(p.resp) as r(person_id)
           union all
           select p.reviewer, 'decide', false, null, pg_temp.at(p.responded, p.id, 21), pg_temp.at(p.decided, p.id, 22),
             null
           where p.responded is not null
           union all
           select p.reviewer, 'finalise', false, null, pg_temp.at(p.decided, p.id, 22),
             pg_temp.at(p.finalised, p.id, 23), null
           where p.decided is not null
           union all
           select p.sw, 'action', false, p.action_due, pg_temp.at(p.responded, p.id, 21),
             pg_temp.at(p.action_done, p.id, 24), null
           where p.responded is not null
           union all
           select c.person_id, 'copy', true, null, pg_temp.at(p.entered, p.id, 20), null,
             pg_temp.at(p.copy_acked, p.id, 25)
           from unnest(p.copied) as c(person_id)
         ) w`,
        [GENERATED_STAGE_KEYS.map(key => findStage(benchPolicy, key)!.name)],
      )
    })

    await step('report facts, stage rows and repeat flags (fills of 0014 and 0017)', async () => {
      // The migrations' own fills (ADR 0018, ADR 0022), set-based from the generated states: the same
      // rows the repository writes when a record is saved.
      for (const migration of ['0014_dispute_report_facts.sql', '0017_repeat_concerns_kept_with_each_dispute.sql']) {
        const sql = await readFile(new URL(`../src/db/migrations/${migration}`, import.meta.url), 'utf8')
        for (const statement of splitStatements(sql))
          if (/^(delete|insert|update)\b/i.test(statement)) await q(statement)
      }
      // 0017's fill updates rows just inserted: compact the table, as a load of finished rows would be.
      await q('vacuum full dispute_report_facts')
    })

    await step('reset identity sequences', async () => {
      for (const table of ['org_units', 'people', 'children', 'disputes', 'dispute_sets'])
        await q(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`)
    })
    await step(`rebuild ${indexes.length} indexes`, async () => {
      for (const i of indexes) await q(i.def)
    })
    await step(`re-add and validate ${foreignKeys.length} foreign keys`, async () => {
      for (const fk of foreignKeys) await q(`alter table ${fk.tbl} add constraint ${fk.name} ${fk.def}`)
    })
    await step('vacuum analyze', async () => {
      await q('vacuum (analyze)')
    })

    const users = await step('benchmark users (accounts, API tokens)', () =>
      prepareUsers(url, client, options.users ?? 60),
    )
    const counts: Record<string, number> = {}
    for (const table of ['org_units', 'people', 'children', 'disputes', 'events', 'work_items']) {
      counts[table] = Number((await q(`select count(*) as n from ${table}`)).rows[0].n)
    }
    counts.open_disputes = open
    counts.open_work_items = Number(
      (await q('select count(*) as n from work_items where done_at is null and acknowledged_at is null')).rows[0].n,
    )
    return { seconds: total(), steps, counts, users, adminId: 1 }
  } finally {
    await client.end()
  }
}

const roleOrder = `case when p.id between $1 and $2 then 'team_manager'
  when p.id between $3 and $4 then 'reviewer' when p.id between $5 and $6 then 'social_worker'
  else 'other_manager' end`

/**
 * Picks people whose inbox holds between 5 and 50 open items (those nearest 20 first, so every
 * size benchmarks comparable inboxes), gives them a local account with a known password and a
 * personal API token (through the app's own storeToken).
 */
export async function prepareUsers(url: string, client: pg.Client, count: number): Promise<BenchUser[]> {
  const L = layout()
  const params = [
    L.managerOf(L.teamBase),
    L.managerOf(L.teamBase + L.teams - 1),
    L.reviewerBase,
    L.reviewerBase + L.reviewers - 1,
    L.socialWorkerBase,
    L.socialWorkerBase + L.socialWorkers - 1,
  ]
  const pick = async (min: number, max: number) =>
    (
      await client.query(
        `select p.id, p.email, n.open, ${roleOrder} as kind
         from (select person_id, count(*)::int as open from work_items
               where done_at is null and acknowledged_at is null group by person_id) n
         join people p on p.id = n.person_id
         where n.open between $7 and $8 and p.id <> 1
         order by abs(n.open - 20), hashint4(p.id), p.id limit $9`,
        [...params, min, max, count],
      )
    ).rows as { id: number; email: string; open: number; kind: string }[]
  let rows = await pick(5, 50)
  if (rows.length < count) rows = await pick(1, 1_000_000)
  const hash = await argon2Hasher.hash(BENCH_PASSWORD)
  await client.query(
    `insert into local_accounts (person_id, password_hash, updated_at)
     select id, $2, now() from unnest($1::int[]) as id
     on conflict (person_id) do update set password_hash = excluded.password_hash, failed_attempts = 0,
       locked_until = null`,
    [rows.map(r => r.id), hash],
  )
  const db = await openPostgres(url, 2)
  try {
    const users: BenchUser[] = []
    for (const r of rows) {
      const token = `concord_bench_${r.id}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
      await storeToken(db, systemClock, r.id, 'benchmark', token, 1)
      users.push({ personId: r.id, email: r.email, token, openItems: r.open, kind: r.kind })
    }
    return users
  } finally {
    await db.close()
  }
}

export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.trim())
  if (!m) throw new Error(`not a size: ${raw} (use 10k, 100k, 1m or a number)`)
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1_000 : m[2]!.toLowerCase() === 'm' ? 1_000_000 : 1)
  return Math.round(n)
}

export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}m`
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`
  return String(n)
}

export function londonToday(at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

// Run alone: `npx tsx bench/generate.ts --size 100k [--admin-url ...]` generates and keeps `concord_bench_<size>`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`)
    return i >= 0 ? process.argv[i + 1] : undefined
  }
  const size = parseSize(arg('size') ?? '10k')
  const adminUrl = arg('admin-url') ?? process.env.CONCORD_BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL
  const name = `concord_bench_${sizeLabel(size)}`
  const url = await createDatabase(adminUrl, name)
  console.log(`generating ${size.toLocaleString('en-GB')} disputes into ${name}`)
  const result = await generate(url, { disputes: size, today: londonToday(), log: line => console.log(line) })
  console.log(`done in ${result.seconds.toFixed(1)} s`, result.counts)
  console.log(`kept ${url}; password of the benchmark users: ${BENCH_PASSWORD}`)
}
