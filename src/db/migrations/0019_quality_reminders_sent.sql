-- Each reminder for a review or a progress check, once for each person, date and kind (due or
-- overdue): the key is what the outbox key was before reminders were grouped into one email for each
-- person (ADR 0024). Inserting with `on conflict do nothing ... returning` tells a pass which ones are
-- its own to send, however many instances run it at once.
create table quality_reminders_sent (
  id bigint generated always as identity primary key,
  reminder_key text not null unique,
  person_id integer not null references people (id),
  sent_at timestamptz not null
);
-- Those already sent, one email each, are in the outbox under the same key.
insert into quality_reminders_sent (reminder_key, person_id, sent_at)
select dedupe_key, person_id, created_at from email_outbox
where person_id is not null
  and (dedupe_key like 'check-due:%' or dedupe_key like 'check-overdue:%'
    or dedupe_key like 'notice-review-due:%' or dedupe_key like 'notice-review-overdue:%')
on conflict (reminder_key) do nothing;
