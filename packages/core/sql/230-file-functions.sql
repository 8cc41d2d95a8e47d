-- File metadata functions (SMTA). Files stored in bound buckets get their rows from the storage
-- trigger and belong to a record (record_table, record_id): they follow that record's access —
-- visible only to callers who can read the record, changed only with update access to it.
-- Unbound files (registered here by URL) belong to the organization: every member reads them,
-- files.manage changes them.

-- The files the caller may see, of one organization or one id. security definer: whether a bound
-- file is visible depends on its record, which the table's policy cannot decide for every record
-- table; the record sets are computed once per record table, not per file.
create or replace function core.visible_files(p_org_id uuid, p_file_id uuid default null)
returns setof core.organization_files
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_service boolean := core.is_service_caller();
begin
  if p_org_id is null and p_file_id is null then
    return;
  end if;
  return query
  with files as (
    select f.* from core.organization_files f
    where not f.is_deleted
      and (p_org_id is null or f.organization_id = p_org_id)
      and (p_file_id is null or f.id = p_file_id)
      and (v_service or f.organization_id = any ((select core.my_organization_ids())::uuid[]))
  ), readable as (
    select g.record_table, unnest(rbac.readable_record_ids(g.record_table, g.ids)) as record_id
    from (select fl.record_table, array_agg(fl.record_id) as ids from files fl
          where fl.record_id is not null and not v_service group by fl.record_table) g
  )
  select f.* from files f
  where f.record_id is null or v_service
     or exists (select 1 from readable r where r.record_table = f.record_table and r.record_id = f.record_id);
end
$$;
comment on function core.visible_files(uuid, uuid) is
  'Files of an organization (or one file) the caller may see: unbound files to members, bound files to readers of their record.';

-- The file the caller may change, or the reason they may not. Invisible files are not found.
create or replace function core.require_file_change(p_file_id uuid) returns core.organization_files
language plpgsql stable
security definer -- see core.visible_files
set search_path = ''
as $$
declare
  v_file core.organization_files;
begin
  select * into v_file from core.organization_files f where f.id = p_file_id and not f.is_deleted;
  if v_file.id is null or rbac.caller_role_id(v_file.organization_id) is null
     or (v_file.record_id is not null and not rbac.check_record_access(v_file.record_table, v_file.record_id, 'read')) then
    raise exception 'File not found' using errcode = 'PT404';
  end if;
  if v_file.record_id is null then
    perform rbac.require_permission(v_file.organization_id, 'files.manage');
  elsif not rbac.check_record_access(v_file.record_table, v_file.record_id, 'update') then
    raise exception 'You cannot change the files of this record' using errcode = '42501';
  end if;
  return v_file;
end
$$;

revoke all on function core.visible_files(uuid, uuid), core.require_file_change(uuid) from public;
grant execute on function core.visible_files(uuid, uuid), core.require_file_change(uuid) to authenticated, service_role;

create or replace function public.create_file(
  p_org_id uuid, p_file_url text, p_file_type text, p_file_size bigint default null, p_file_specs jsonb default null
) returns table (id uuid, organization_id uuid, file_url text, file_type text, created_at timestamptz)
language plpgsql
security definer -- members cannot write core.organization_files directly; files.manage is checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'files.manage');
  if p_file_url is null or p_file_url !~ '^https?://' then
    raise exception 'The file URL must start with http:// or https://' using errcode = '22023';
  end if;
  return query
  insert into core.organization_files as f (organization_id, file_url, file_type, file_size, file_specs)
  values (p_org_id, p_file_url, p_file_type, p_file_size, p_file_specs)
  returning f.id, f.organization_id, f.file_url, f.file_type, f.created_at;
end
$$;

create or replace function public.update_file_metadata(p_file_id uuid, p_file_specs jsonb default null, p_file_size bigint default null)
returns table (id uuid, file_specs jsonb, file_size bigint, updated_at timestamptz)
language plpgsql
security definer -- see create_file; core.require_file_change decides
set search_path = ''
as $$
begin
  perform core.require_file_change(p_file_id);
  return query
  update core.organization_files f set file_specs = coalesce(p_file_specs, f.file_specs),
    file_size = coalesce(p_file_size, f.file_size)
  where f.id = p_file_id
  returning f.id, f.file_specs, f.file_size, f.updated_at;
end
$$;

create or replace function public.get_file(p_file_id uuid)
returns table (id uuid, organization_id uuid, bucket_id text, object_name text, record_table text, record_id uuid,
  file_url text, file_type text, file_size bigint, file_specs jsonb, created_at timestamptz, created_by uuid)
language sql stable
security invoker
set search_path = ''
as $$
  select f.id, f.organization_id, f.bucket_id, f.object_name, f.record_table, f.record_id, f.file_url, f.file_type,
    f.file_size, f.file_specs, f.created_at, f.created_by
  from core.visible_files(null, p_file_id) f
$$;

create or replace function public.list_files(p_org_id uuid)
returns table (id uuid, organization_id uuid, bucket_id text, object_name text, record_table text, record_id uuid,
  file_url text, file_type text, file_size bigint, file_specs jsonb, created_at timestamptz, created_by uuid)
language sql stable
security invoker
set search_path = ''
as $$
  select f.id, f.organization_id, f.bucket_id, f.object_name, f.record_table, f.record_id, f.file_url, f.file_type,
    f.file_size, f.file_specs, f.created_at, f.created_by
  from core.visible_files(p_org_id) f order by f.created_at desc, f.id
$$;

create or replace function public.delete_file(p_file_id uuid) returns void
language plpgsql
security definer -- see update_file_metadata
set search_path = ''
as $$
begin
  perform core.require_file_change(p_file_id);
  -- Soft delete; the object of a bound file is then collected (rbac.orphaned_storage_objects).
  update core.organization_files f set is_deleted = true where f.id = p_file_id;
end
$$;

revoke all on function public.create_file(uuid, text, text, bigint, jsonb), public.update_file_metadata(uuid, jsonb, bigint),
  public.get_file(uuid), public.list_files(uuid), public.delete_file(uuid) from public, anon, authenticated;
grant execute on function public.create_file(uuid, text, text, bigint, jsonb), public.update_file_metadata(uuid, jsonb, bigint),
  public.get_file(uuid), public.list_files(uuid), public.delete_file(uuid) to authenticated, service_role;
