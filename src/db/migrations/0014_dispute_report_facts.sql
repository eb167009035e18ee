-- What the Reports area reads of each dispute, in two narrow tables beside the record (ADR 0018):
-- one row per dispute with the columns the figures group by, and one row per stage entered with a
-- deadline. The repository writes them from the state in the same transaction that saves it
-- (src/domain/dispute/reportFacts.ts), so the report queries read neither the state JSON nor the
-- wide dispute rows. The statements below fill them for the records that exist already, with the
-- same reading of the JSON the report queries used before. The fill can run again (the benchmark
-- generator runs it after loading its records).

create table if not exists dispute_report_facts (
  dispute_id integer primary key references disputes (id) on delete cascade,
  child_id integer not null,
  raised_on date not null,
  policy_id text not null,
  policy_version integer not null,
  reviewer_id integer not null,
  category_key text not null,
  status text not null,
  phase text not null,
  resolved_on date,
  finalised_on date,
  overall_due_on date,
  reached_stage_key text,
  resolved_stage_key text,
  cafcass boolean not null,
  reviewer_role text not null,
  stage_count integer not null
);
create index if not exists dispute_report_facts_raised_idx on dispute_report_facts (raised_on);
create index if not exists dispute_report_facts_child_idx on dispute_report_facts (child_id, category_key, raised_on);

create table if not exists dispute_report_stages (
  dispute_id integer not null references disputes (id) on delete cascade,
  n integer not null,
  stage_key text not null,
  due_on date not null,
  responded_on date,
  primary key (dispute_id, n)
);

delete from dispute_report_facts;

insert into dispute_report_facts (dispute_id, child_id, raised_on, policy_id, policy_version, reviewer_id, category_key,
  status, phase, resolved_on, finalised_on, overall_due_on, reached_stage_key, resolved_stage_key, cafcass, reviewer_role,
  stage_count)
select d.id, d.child_id, d.raised_on, d.policy_id, d.policy_version, d.reviewer_id, d.category_key,
  d.status, d.phase, d.resolved_on, d.finalised_on, d.overall_due_on,
  d.state->'stages'->-1->>'stageKey', d.state->'resolution'->>'atStageKey',
  coalesce(d.state->'cafcass' <> 'null'::jsonb, false), d.state->>'reviewerRole', jsonb_array_length(d.state->'stages')
from disputes d;

delete from dispute_report_stages;

insert into dispute_report_stages (dispute_id, n, stage_key, due_on, responded_on)
select d.id, e.n, e.entry->>'stageKey', (e.entry->>'dueOn')::date, (e.entry->'responses'->0->>'on')::date
from disputes d cross join lateral jsonb_array_elements(d.state->'stages') with ordinality as e(entry, n)
where e.entry->>'dueOn' is not null;
