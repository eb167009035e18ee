-- The overdue sweep's search for stages outside the system whose outcome is late
-- (claimOutcomesToChase). They are few among the open items, and without this index the sweep reads
-- every open item past its due date to find them: at 1M disputes, 0.3 s of each pass.
create index work_items_outcome_due_idx on work_items (due_on)
  where kind = 'record_outcome' and done_at is null and acknowledged_at is null;
