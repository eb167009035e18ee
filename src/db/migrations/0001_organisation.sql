-- The organisation: units in a tree (teams up to the council, reviewing teams up to the
-- independent reviewing service), the people who work in them, and the children they serve.

create table org_units (
  id integer generated always as identity primary key,
  name text not null,
  kind text not null check (kind in ('team', 'service', 'area', 'safeguarding', 'childrens_services', 'council', 'reviewing_team', 'reviewing_service')),
  parent_id integer references org_units (id),
  manager_id integer,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (parent_id is null or parent_id <> id)
);
create index org_units_parent_idx on org_units (parent_id);
create index org_units_manager_idx on org_units (manager_id);
create unique index org_units_name_idx on org_units (lower(name));

create table people (
  id integer generated always as identity primary key,
  given_name text not null,
  family_name text not null,
  email text not null,
  staff_id text,
  unit_id integer references org_units (id),
  roles text[] not null default '{}',
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index people_email_idx on people (lower(email));
create unique index people_staff_id_idx on people (staff_id);
create index people_unit_idx on people (unit_id);
create index people_family_name_idx on people (lower(family_name) text_pattern_ops, lower(given_name));

alter table org_units add constraint org_units_manager_fk foreign key (manager_id) references people (id);

create table sibling_groups (
  id integer generated always as identity primary key,
  created_at timestamptz not null
);

create table children (
  id integer generated always as identity primary key,
  case_id text not null,
  given_name text not null,
  family_name text not null,
  date_of_birth date not null,
  team_id integer not null references org_units (id),
  social_worker_id integer references people (id),
  iro_id integer references people (id),
  cp_chair_id integer references people (id),
  cp_plan_start date,
  looked_after_start date,
  sibling_group_id integer references sibling_groups (id),
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index children_case_id_idx on children (case_id);
create index children_case_id_prefix_idx on children (lower(case_id) text_pattern_ops);
create index children_family_name_idx on children (lower(family_name) text_pattern_ops, lower(given_name), id);
create index children_given_name_idx on children (lower(given_name) text_pattern_ops);
create index children_name_order_idx on children (family_name, given_name, id);
create index children_team_idx on children (team_id);
create index children_social_worker_idx on children (social_worker_id);
create index children_iro_idx on children (iro_id);
create index children_cp_chair_idx on children (cp_chair_id);
create index children_sibling_group_idx on children (sibling_group_id);

-- Every change appends an event here, in the same transaction as the change.
create table events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_id integer references people (id),
  entity_type text not null,
  entity_id integer not null,
  child_id integer references children (id),
  kind text not null,
  data jsonb not null default '{}'
);
create index events_child_idx on events (child_id, occurred_at desc, id desc);
create index events_entity_idx on events (entity_type, entity_id, occurred_at desc, id desc);

-- Who looked at which child, when and from where.
create table access_audit (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  person_id integer not null references people (id),
  child_id integer not null references children (id),
  action text not null,
  path text not null,
  ip text
);
create index access_audit_child_idx on access_audit (child_id, occurred_at desc);
create index access_audit_person_idx on access_audit (person_id, occurred_at desc);
