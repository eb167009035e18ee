-- Secrets Concord makes for itself where the environment gives none, outside production only: the
-- session cookie's signing secret when SESSION_SECRET is not set. Kept in the database, so every
-- instance on it signs with the same one and a restart keeps everyone signed in, and no secret
-- is written in the code. Production must set SESSION_SECRET (config.ts refuses to start without).
create table generated_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null
);
