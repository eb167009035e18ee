-- An email the mail server keeps refusing is given up after a number of attempts (CONCORD_MAIL_MAX_ATTEMPTS)
-- instead of being retried every hour for ever; the outbox page shows it for an administrator to act on.
alter table email_outbox add column gave_up_at timestamptz;
drop index email_outbox_pending_idx;
create index email_outbox_pending_idx on email_outbox (send_after) where sent_at is null and digest = false and gave_up_at is null;
