-- A new record whose first stage was declined before pre-approval has no stage: its reviewer is now asked
-- to send it to one (or close it) in My work (workItemsFor). Records already left like that get the step
-- now, rather than on their next change.
insert into work_items (person_id, kind, dispute_id, child_id, ref, needs_ack, due_on, created_at)
select d.reviewer_id, 'escalate', d.id, d.child_id, '0', false, null, now()
  from disputes d
 where d.status = 'open'
   and d.phase = 'awaiting_decision'
   and jsonb_array_length(d.state -> 'stages') = 0
   and not exists (
     select 1 from work_items w
      where w.person_id = d.reviewer_id and w.kind = 'escalate' and w.dispute_id = d.id and w.ref = '0'
   );
