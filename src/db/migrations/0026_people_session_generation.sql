-- Signing a person out everywhere (a new password, deactivation, a provider link removed) counts up
-- their session generation. Each session keeps the generation read with the credentials it signed in
-- with, and one from an earlier generation is signed out on its next request. Deleting the person's
-- sessions alone could miss a sign-in that checked the old credentials just before and saved its
-- session just after.
alter table people add column session_generation integer not null default 0;
