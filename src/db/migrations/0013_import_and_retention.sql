-- Imports from the case-management system, and data retention (UK GDPR).

-- A case closed in the case-management system (the child left its extract). Nothing is deleted:
-- the date starts the retention period, and a child who comes back in a later extract reopens.
alter table children add column closed_on date;
create index children_closed_idx on children (closed_on) where closed_on is not null;

-- One import: its files, the validated rows and the plan shown in the preview, kept on the server so
-- the apply step never trusts the browser to send the same file again. Once applied, superseded or
-- cancelled, the rows and plan are cleared (the changes themselves are in the events of each record).
create table import_batches (
  id integer generated always as identity primary key,
  status text not null check (status in ('previewed', 'applied', 'cancelled', 'superseded')),
  source text not null check (source in ('upload', 'command_line')),
  created_by integer references people (id),
  created_at timestamptz not null,
  file_names jsonb not null,
  input jsonb,
  plan jsonb,
  -- What the preview asked the administrator to look at (for example someone ended who still has children).
  warnings jsonb,
  plan_hash text not null,
  counts jsonb not null,
  applied_by integer references people (id),
  applied_at timestamptz,
  version integer not null default 1
);
create index import_batches_created_idx on import_batches (created_at desc);

-- What an administrator decided about a child's records past the retention period: keep them (with a
-- reason, until a date, when they come back for review) or mark them for deletion. The latest decision counts.
create table retention_decisions (
  id integer generated always as identity primary key,
  child_id integer not null references children (id),
  decision text not null check (decision in ('keep', 'delete')),
  reason text not null,
  keep_until date,
  decided_by integer not null references people (id),
  decided_at timestamptz not null,
  check ((decision = 'keep') = (keep_until is not null))
);
create index retention_decisions_child_idx on retention_decisions (child_id, decided_at desc, id desc);

-- The outcome of an import lists the events it wrote (each carries the import's id).
create index events_import_idx on events ((data->>'import')) where data ? 'import';
