-- Storage for records (SPEC §6): the private bucket `deals`, and policies on storage.objects
-- that check the object's record with the access engine. Upload and overwrite need update
-- access to the record, download and listing need read access, removal needs update access.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('deals', 'deals', false, 20971520,
  array['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'text/plain', 'text/csv',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'])
on conflict (id) do nothing;

-- Each policy compares the object's folder with the caller's record keys
-- (rbac.storage_record_keys, computed once per statement): the first 74 characters of
-- `<organization_id>/<record_id>/<file name>` must be the key of a record the caller may read (or
-- update). Only then is the rest checked: the file name is the third and last segment, of 1–255
-- characters (73 + 1 + 255 = 329 in all), not `.` or `..`, without control characters or
-- backslashes. The CASE keeps that order, so objects of other records cost one hash lookup.
-- (A bounded regex repetition like {1,255} costs ~20 µs per call in PostgreSQL's engine; the
-- length is checked with char_length.)
create policy record_files_select on storage.objects for select to authenticated
  using (case when (bucket_id, left(name, 74)) in (select k.bucket_id, k.record_key from rbac.storage_record_keys('read') k)
         then name ~ '^[^/]+/[^/]+/[^/\x00-\x1f\\]+$' and name !~ '/\.\.?$' and char_length(name) <= 329
         else false end);
create policy record_files_insert on storage.objects for insert to authenticated
  with check (case when (bucket_id, left(name, 74)) in (select k.bucket_id, k.record_key from rbac.storage_record_keys('update') k)
              then name ~ '^[^/]+/[^/]+/[^/\x00-\x1f\\]+$' and name !~ '/\.\.?$' and char_length(name) <= 329
              else false end);
create policy record_files_update on storage.objects for update to authenticated
  using (case when (bucket_id, left(name, 74)) in (select k.bucket_id, k.record_key from rbac.storage_record_keys('update') k)
         then name ~ '^[^/]+/[^/]+/[^/\x00-\x1f\\]+$' and name !~ '/\.\.?$' and char_length(name) <= 329
         else false end)
  with check (case when (bucket_id, left(name, 74)) in (select k.bucket_id, k.record_key from rbac.storage_record_keys('update') k)
              then name ~ '^[^/]+/[^/]+/[^/\x00-\x1f\\]+$' and name !~ '/\.\.?$' and char_length(name) <= 329
              else false end);
create policy record_files_delete on storage.objects for delete to authenticated
  using (case when (bucket_id, left(name, 74)) in (select k.bucket_id, k.record_key from rbac.storage_record_keys('update') k)
         then name ~ '^[^/]+/[^/]+/[^/\x00-\x1f\\]+$' and name !~ '/\.\.?$' and char_length(name) <= 329
         else false end);

-- File metadata follows the objects of bound buckets.
create or replace function rbac.sync_organization_file() returns trigger
language plpgsql
security definer -- Storage writes objects as the service role; core.organization_files is written here only
set search_path = ''
as $$
declare
  v_binding rbac.storage_bindings;
  v_object record;
begin
  select * into v_binding from rbac.storage_bindings b
  where b.bucket_id = coalesce(new.bucket_id, old.bucket_id);
  if v_binding.bucket_id is null then
    return null;
  end if;
  if tg_op in ('DELETE', 'UPDATE') then
    update core.organization_files f set is_deleted = true
    where f.bucket_id = old.bucket_id and f.object_name = old.name and not f.is_deleted;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select * into v_object from rbac.parse_object_name(new.name);
    if v_object.organization_id is not null
       and exists (select 1 from core.organizations o where o.id = v_object.organization_id) then
      insert into core.organization_files (organization_id, bucket_id, object_name, record_table, record_id,
        file_type, file_size, created_by)
      values (v_object.organization_id, new.bucket_id, new.name, v_binding.record_table, v_object.record_id,
        coalesce(new.metadata ->> 'mimetype', 'application/octet-stream'),
        (new.metadata ->> 'size')::bigint, nullif(new.owner_id, '')::uuid);
    end if;
  end if;
  return null;
end
$$;
revoke all on function rbac.sync_organization_file() from public;

create trigger record_files_metadata after insert or update of name, metadata or delete on storage.objects
  for each row execute function rbac.sync_organization_file();

-- Files of a soft-deleted record are marked deleted with it; their objects are collected by
-- rbac.orphaned_storage_objects() (run from a scheduled job through the Storage API).
create or replace function rbac.on_record_soft_delete() returns trigger
language plpgsql
security definer -- marks files of the record, which members cannot write
set search_path = ''
as $$
begin
  if new.is_deleted and not old.is_deleted then
    update core.organization_files f set is_deleted = true
    where f.record_table = tg_table_schema || '.' || tg_table_name and f.record_id = new.id and not f.is_deleted;
  end if;
  return null;
end
$$;
revoke all on function rbac.on_record_soft_delete() from public;
create trigger deals_files_soft_delete after update of is_deleted on app.deals
  for each row execute function rbac.on_record_soft_delete();

create or replace function rbac.orphaned_storage_objects()
returns table (bucket_id text, name text)
language sql stable
security definer -- for the cleanup job, run by the service role
set search_path = ''
as $$
  select o.bucket_id, o.name from storage.objects o
  join rbac.storage_bindings b on b.bucket_id = o.bucket_id
  join core.organization_files f on f.bucket_id = o.bucket_id and f.object_name = o.name
  where f.is_deleted
$$;
revoke all on function rbac.orphaned_storage_objects() from public;
grant execute on function rbac.orphaned_storage_objects() to service_role;
