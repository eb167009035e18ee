-- Good practice notes (a reviewer about a child's social worker or team), reciprocal notes (anyone about
-- an IRO or CP chair) and concerns about a reviewer's practice (to the reviewer's manager only).
-- A concern never touches a child's record: it has no child, only an optional case ID for context.

create table practice_note_sets (
  id integer generated always as identity primary key,
  created_at timestamptz not null
);

create table practice_notes (
  id integer generated always as identity primary key,
  kind text not null check (kind in ('good_practice', 'reciprocal', 'concern')),
  note_set_id integer references practice_note_sets (id),
  child_id integer references children (id),
  author_id integer not null references people (id),
  -- Who the note is about: a person, or (for a good practice note) the child's team.
  subject_person_id integer references people (id),
  subject_unit_id integer references org_units (id),
  category_key text,
  -- What the good practice was, or the concern.
  practice text not null,
  -- Its impact on the child and family (notes); none for a concern.
  impact text,
  route text check (route in ('escalation_policy', 'conference_complaints')),
  context_case_id text,
  resolution_outcome text,
  resolved boolean,
  formal_route text check (formal_route in ('complaints', 'grievance', 'whistleblowing')),
  resolved_by integer references people (id),
  resolved_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((subject_person_id is null) <> (subject_unit_id is null)),
  check (kind <> 'good_practice' or child_id is not null),
  check (kind = 'good_practice' or (child_id is null and subject_person_id is not null)),
  check ((kind = 'concern') = (route is not null)),
  check (kind = 'concern' or (context_case_id is null and resolved is null))
);
create index practice_notes_child_idx on practice_notes (child_id, created_at desc) where child_id is not null;
create index practice_notes_author_idx on practice_notes (author_id, created_at desc);
create index practice_notes_subject_person_idx on practice_notes (subject_person_id, created_at desc);
create index practice_notes_subject_unit_idx on practice_notes (subject_unit_id, created_at desc);
create index practice_notes_set_idx on practice_notes (note_set_id);

-- Who each note went to: the person it is about (or their manager for a concern), and who was copied.
create table practice_note_recipients (
  note_id integer not null references practice_notes (id),
  person_id integer not null references people (id),
  copy boolean not null,
  primary key (note_id, person_id)
);
create index practice_note_recipients_person_idx on practice_note_recipients (person_id);
