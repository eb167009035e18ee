-- Progress checks (IRO) and quality-assurance reviews (CP chair) between statutory reviews, and the
-- significant-change notices social workers send to the reviewer (seed 004 sections 5, 7 and 8).

-- A check is a record, written once: the answers keep each heading's words as they were asked, so a
-- check still reads right after the authority changes its form.
create table progress_checks (
  id integer generated always as identity primary key,
  child_id integer not null references children (id),
  reviewer_id integer not null references people (id),
  reviewer_role text not null check (reviewer_role in ('iro', 'cp_chair')),
  held_on date not null,
  answers jsonb not null,
  outcome text not null check (outcome in ('outstanding', 'good', 'requires_improvement', 'inadequate')),
  created_at timestamptz not null
);
-- The schedule reads a child's checks in one role since the episode began.
create index progress_checks_child_idx on progress_checks (child_id, reviewer_role, held_on);
create index progress_checks_reviewer_idx on progress_checks (reviewer_id, held_on);

-- A notice goes to the one reviewer allocated for its list (IRO or CP chair) when it is sent. How late
-- it was is counted once, on the calendar of the day it was sent, and kept.
create table change_notices (
  id integer generated always as identity primary key,
  child_id integer not null references children (id),
  audience text not null check (audience in ('iro', 'cp_chair')),
  kind text not null,
  occurred_on date not null,
  details text not null,
  sent_by_id integer not null references people (id),
  sent_on date not null,
  reviewer_id integer not null references people (id),
  lateness_working_days integer not null check (lateness_working_days >= 0),
  -- A review needed by a date: set by the policy for the kind ('policy') or by the reviewer ('reviewer').
  review_due_on date,
  review_set_by text check (review_set_by in ('policy', 'reviewer')),
  review_held_on date,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (review_held_on is null or review_due_on is not null),
  check ((review_due_on is null) = (review_set_by is null))
);
create index change_notices_child_idx on change_notices (child_id, created_at desc);
create index change_notices_reviewer_idx on change_notices (reviewer_id, created_at desc);
create index change_notices_review_due_idx on change_notices (review_due_on) where review_held_on is null and review_due_on is not null;
create index change_notices_sent_idx on change_notices (sent_on);
