-- Every report download (CSV, XLSX) and every PDF (a dispute record, a CAFCASS letter) is audited: who
-- produced it, what, and when. A report covers many children, so child_id is set only for an export
-- about one child's record.
create table export_audit (
  id integer generated always as identity primary key,
  occurred_at timestamptz not null,
  person_id integer not null references people (id),
  kind text not null,
  description text not null,
  child_id integer references children (id)
);
create index export_audit_person_idx on export_audit (person_id, occurred_at desc);
create index export_audit_child_idx on export_audit (child_id, occurred_at desc) where child_id is not null;
create index export_audit_occurred_idx on export_audit (occurred_at desc);
