-- Emails folded into a daily digest point at the digest (digested_into, a foreign key to the same
-- table). Without an index, removing an outbox row (a clean-up outside Concord, a retention job)
-- scans the whole outbox for rows pointing at it: a million-row clean-up never finishes. Only the
-- folded emails carry a value, so the index holds only them.
create index email_outbox_digested_into_idx on email_outbox (digested_into) where digested_into is not null;
