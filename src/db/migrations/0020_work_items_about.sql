-- What an item is about, in words, where its kind and ref do not say it: a copy's stage name as the
-- policy calls it ("Formal: Team Manager"), since a record's stage positions skip bypassed stages.
-- Items written before this column keep null and are labelled by position.
alter table work_items add column about text;
