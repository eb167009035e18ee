-- The reviewer's next step on a record (decide, or escalate once decided not resolved) is now due by
-- the record's overall deadline, where its policy sets one, so My work sorts and counts it like other
-- work. Steps already waiting take that date now; new ones get it from the record's work (workItemsFor).
update work_items w
   set due_on = d.overall_due_on
  from disputes d
 where w.dispute_id = d.id
   and w.kind in ('decide', 'escalate')
   and w.done_at is null
   and w.due_on is null
   and d.overall_due_on is not null;
