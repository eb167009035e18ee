-- An email that asks its reader to act on a dispute (a hand-over, actions given, a pre-approval asked
-- for) names the dispute, so that a daily digest, written hours later, can say when nothing on that
-- record waits for them any more. Null for emails that only inform, and for those written before.
-- An email never holds a dispute back from being deleted (a clean-up outside Concord, say).
alter table email_outbox add column asks_on_dispute integer references disputes (id) on delete set null;
create index email_outbox_asks_on_dispute_idx on email_outbox (asks_on_dispute) where asks_on_dispute is not null;
