-- Local accounts, sessions shared by every instance, and personal API tokens.

create table local_accounts (
  person_id integer primary key references people (id),
  password_hash text not null,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  last_signed_in_at timestamptz,
  updated_at timestamptz not null
);

create table sessions (
  sid text primary key,
  data jsonb not null,
  expires_at timestamptz not null
);
create index sessions_expires_idx on sessions (expires_at);

create table api_tokens (
  id integer generated always as identity primary key,
  person_id integer not null references people (id),
  name text not null,
  token_hash text not null,
  created_by integer not null references people (id),
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create unique index api_tokens_hash_idx on api_tokens (token_hash);
create index api_tokens_person_idx on api_tokens (person_id);
