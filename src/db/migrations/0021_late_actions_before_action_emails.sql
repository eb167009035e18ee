-- From this version the owners of SMART actions (and their reviewers) are emailed when an action
-- falls due or is late. Actions already late when it is deployed are in their owners' My work; they
-- are marked as alerted for their due dates so that the first sweep does not send, at once, an alert
-- for every late action of every record ever raised. An action given a new date is chased again.
update work_items set overdue_alerted_for = due_on, reminded_for = due_on
 where kind = 'action' and done_at is null and acknowledged_at is null and due_on < current_date;
