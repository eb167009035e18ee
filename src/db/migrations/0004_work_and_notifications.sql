-- What awaits each person (their inbox), the email outbox, and the record of scheduled runs.

create table work_items (
  id bigint generated always as identity primary key,
  person_id integer not null references people (id),
  kind text not null,
  dispute_id integer references disputes (id),
  child_id integer references children (id),
  ref text not null,
  needs_ack boolean not null,
  due_on date,
  created_at timestamptz not null,
  done_at timestamptz,
  acknowledged_at timestamptz,
  -- The due date each chase was sent for, so a sweep only looks at what it has not chased yet.
  reminded_for date,
  overdue_alerted_for date,
  overdue_escalated_for date
);
-- One item per person, kind and thing; the inbox reads the open ones by person, the sweeps by date.
create unique index work_items_key_idx on work_items (person_id, kind, dispute_id, ref);
create index work_items_inbox_idx on work_items (person_id, due_on) where done_at is null and acknowledged_at is null;
create index work_items_open_due_idx on work_items (due_on) where done_at is null and acknowledged_at is null;
create index work_items_dispute_idx on work_items (dispute_id) where done_at is null;

alter table people add column notification_preference text not null default 'immediate'
  check (notification_preference in ('immediate', 'daily_digest'));

-- The transactional outbox: written with the change, sent afterwards, once.
create table email_outbox (
  id bigint generated always as identity primary key,
  dedupe_key text not null,
  person_id integer references people (id),
  to_address text not null,
  subject text not null,
  body text not null,
  digest boolean not null default false,
  created_at timestamptz not null,
  send_after timestamptz not null,
  attempts integer not null default 0,
  last_error text,
  claimed_until timestamptz,
  sent_at timestamptz,
  digested_into bigint references email_outbox (id)
);
create unique index email_outbox_dedupe_idx on email_outbox (dedupe_key);
create index email_outbox_pending_idx on email_outbox (send_after) where sent_at is null and digest = false;
create index email_outbox_digest_idx on email_outbox (person_id) where sent_at is null and digest = true;

-- A scheduled job runs once per key (for example the digest once a day) whichever instance gets there first.
create table job_runs (
  job text not null,
  run_key text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  primary key (job, run_key)
);
