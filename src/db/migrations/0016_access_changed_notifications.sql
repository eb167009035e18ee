-- Every instance remembers who a session or an API token belongs to between requests (ADR 0021).
-- Whatever changes what that answer is built from (a person, their roles or whether they are
-- active, the units and who manages them, a token revoked) tells every instance, through NOTIFY,
-- to forget. Statement-level, so an import of a thousand people sends one notification; PostgreSQL
-- delivers it only when the transaction commits, and folds repeats within a transaction into one.
-- The body is on one line: migrations are split into statements at semicolons that end a line.
create function concord_access_changed() returns trigger language plpgsql
  as $$ begin perform pg_notify('concord_access_changed', ''); return null; end $$;

create trigger people_access_changed after insert or update or delete or truncate on people
  for each statement execute function concord_access_changed();
create trigger org_units_access_changed after insert or update or delete or truncate on org_units
  for each statement execute function concord_access_changed();
-- Not on last_used_at: a token's use is written now and then and changes nobody's access.
create trigger api_tokens_access_changed after update of person_id, token_hash, revoked_at or delete or truncate
  on api_tokens for each statement execute function concord_access_changed();
