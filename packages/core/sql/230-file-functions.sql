-- File metadata functions (SMTA). Files stored in bound buckets get their rows from the storage
-- trigger; these functions register and manage files kept elsewhere (by URL).

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
security definer -- see create_file
set search_path = ''
as $$
declare
  v_org uuid := (select f.organization_id from core.organization_files f where f.id = p_file_id and not f.is_deleted);
begin
  if v_org is null or rbac.caller_role_id(v_org) is null then
    raise exception 'File not found' using errcode = 'P0002';
  end if;
  perform rbac.require_permission(v_org, 'files.manage');
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
  from core.organization_files f where f.id = p_file_id
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
  from core.organization_files f where f.organization_id = p_org_id order by f.created_at desc
$$;

create or replace function public.delete_file(p_file_id uuid) returns void
language plpgsql
security definer -- see create_file
set search_path = ''
as $$
declare
  v_org uuid := (select f.organization_id from core.organization_files f where f.id = p_file_id and not f.is_deleted);
begin
  if v_org is null or rbac.caller_role_id(v_org) is null then
    raise exception 'File not found' using errcode = 'P0002';
  end if;
  perform rbac.require_permission(v_org, 'files.manage');
  update core.organization_files f set is_deleted = true where f.id = p_file_id;
end
$$;

revoke all on function public.create_file(uuid, text, text, bigint, jsonb), public.update_file_metadata(uuid, jsonb, bigint),
  public.get_file(uuid), public.list_files(uuid), public.delete_file(uuid) from public, anon, authenticated;
grant execute on function public.create_file(uuid, text, text, bigint, jsonb), public.update_file_metadata(uuid, jsonb, bigint),
  public.get_file(uuid), public.list_files(uuid), public.delete_file(uuid) to authenticated, service_role;
