-- Work items for things other than disputes (good practice notes, significant-change notices...):
-- what the item is about, so the inbox can link to it.
alter table work_items add column subject_type text;
alter table work_items add column subject_id integer;
create unique index work_items_subject_key_idx on work_items (person_id, kind, subject_type, subject_id) where subject_type is not null;
