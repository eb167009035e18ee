-- Whether a dispute repeats a concern (ADR 0022): its category raised on an earlier day in the
-- twelve months before, for the same child, or for a child of the same team. Worked out once, when
-- the dispute is raised, against every dispute recorded by then (whoever raised it, under whichever
-- policy) and the child's team on that day, then kept: last year's figures do not change when a
-- child moves team, and the report counts two columns instead of sorting every dispute twice.
alter table dispute_report_facts add column if not exists repeat_for_child boolean not null default false;
alter table dispute_report_facts add column if not exists repeat_for_team boolean not null default false;

-- For the records that exist already, with the team each child is in now (the only team known).
-- The benchmark generator runs this again after loading its records.
update dispute_report_facts f set repeat_for_child = w.for_child, repeat_for_team = w.for_team
from (
  select d.dispute_id,
    count(*) over (partition by d.child_id, d.category_key order by d.raised_on
      range between interval '12 months' preceding and interval '1 day' preceding) > 0 as for_child,
    count(*) over (partition by c.team_id, d.category_key order by d.raised_on
      range between interval '12 months' preceding and interval '1 day' preceding) > 0 as for_team
  from dispute_report_facts d join children c on c.id = d.child_id
) w
where w.dispute_id = f.dispute_id and (f.repeat_for_child, f.repeat_for_team) is distinct from (w.for_child, w.for_team);
