-- An action's inbox item says which action it is: its words, cut to 80 characters (the service's
-- actionAbout() cuts on a word), for items written before the service set them.
update work_items w
set about = case
    when length(x.what) <= 80 then x.what
    else left(x.what, 79) || '…'
  end
from (
  select d.id as dispute_id, a ->> 'id' as ref, regexp_replace(btrim(a ->> 'what'), '\s+', ' ', 'g') as what
  from disputes d, jsonb_array_elements(d.state -> 'actions') as a
) x
where w.kind = 'action' and w.about is null and w.dispute_id = x.dispute_id and w.ref = x.ref;
