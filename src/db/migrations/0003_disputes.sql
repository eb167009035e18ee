-- Dispute records: one per child, linked when raised for siblings together. The state machine's
-- whole state is kept as JSON; the columns beside it are what lists, queues and reports query.

create table dispute_sets (
  id integer generated always as identity primary key,
  created_at timestamptz not null
);

create table disputes (
  id integer generated always as identity primary key,
  child_id integer not null references children (id),
  dispute_set_id integer not null references dispute_sets (id),
  policy_id text not null,
  policy_version integer not null,
  reviewer_id integer not null references people (id),
  category_key text not null,
  concern text not null,
  impact text not null,
  wishes_and_feelings text not null,
  recommended_resolution text not null,
  resolution_timescale text not null,
  status text not null check (status in ('open', 'resolved', 'finalised')),
  phase text not null,
  current_stage_key text,
  responsible_person_id integer references people (id),
  response_due_on date,
  overall_due_on date,
  raised_on date not null,
  resolved_on date,
  finalised_on date,
  state jsonb not null,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index disputes_child_idx on disputes (child_id, raised_on desc);
create index disputes_set_idx on disputes (dispute_set_id);
create index disputes_reviewer_idx on disputes (reviewer_id, status);
create index disputes_responsible_idx on disputes (responsible_person_id, status);
create index disputes_open_due_idx on disputes (response_due_on) where status = 'open';
create index disputes_raised_idx on disputes (raised_on);

-- Every discussion (phone, face to face, meeting, email, letter) is logged on the record.
create table dispute_discussions (
  id integer generated always as identity primary key,
  dispute_id integer not null references disputes (id),
  stage_key text,
  channel text not null check (channel in ('phone', 'face_to_face', 'meeting', 'email', 'letter')),
  held_on date not null,
  participants text not null,
  summary text not null,
  meeting jsonb,
  recorded_by integer not null references people (id),
  recorded_at timestamptz not null
);
create index dispute_discussions_dispute_idx on dispute_discussions (dispute_id, held_on);

-- Local closures an administrator adds to (or bank holidays removes from) the working-day calendar.
create table calendar_adjustments (
  day date primary key,
  kind text not null check (kind in ('closed', 'open')),
  note text not null,
  created_by integer not null references people (id),
  created_at timestamptz not null
);
