-- The sweeps mark thousands of work items chased at once (ADR 0024). Those columns are in no index,
-- so with room left on each page PostgreSQL updates a row in place (a HOT update) instead of adding
-- an entry to each of the table's six indexes: a third of the time, at 1M disputes. New and moved rows
-- leave a fifth of each page free; existing pages gain room as rows are updated and vacuumed.
alter table work_items set (fillfactor = 80);
