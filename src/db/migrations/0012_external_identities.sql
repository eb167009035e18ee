-- People who sign in through the authority's OpenID Connect provider: which provider account
-- (issuer and subject) was matched to which Concord person, and when it was last used.
-- Concord never creates a person from a provider account; it only links to an existing one.

create table external_identities (
  issuer text not null,
  subject text not null,
  person_id integer not null references people (id),
  first_signed_in_at timestamptz not null,
  last_signed_in_at timestamptz not null,
  primary key (issuer, subject)
);
create index external_identities_person_idx on external_identities (person_id);
