-- An overdue response is alerted to two people: the reviewer (overdue_alerted_for) and whoever owes the
-- response. Each is marked on its own, so that one of them being deactivated (away) neither holds back
-- the other's alert nor loses their own: it waits until they are active again.
alter table work_items add column responsible_alerted_for date;

-- Responses already alerted were alerted to both people (since the previous version): not again.
update work_items set responsible_alerted_for = overdue_alerted_for
 where kind = 'respond' and overdue_alerted_for is not null and done_at is null and acknowledged_at is null;
