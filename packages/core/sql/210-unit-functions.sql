-- Unit functions. Reads run as the caller (RLS); writes need units.manage.

create or replace function public.list_units(p_org_id uuid)
returns table (id uuid, organization_id uuid, name text, description text, created_at timestamptz, updated_at timestamptz)
language sql stable
security invoker
set search_path = ''
as $$
  select u.id, u.organization_id, u.name, u.description, u.created_at, u.updated_at
  from core.units u where u.organization_id = p_org_id order by u.name
$$;

create or replace function public.get_unit(p_id uuid)
returns table (id uuid, organization_id uuid, name text, description text, created_at timestamptz, updated_at timestamptz)
language sql stable
security invoker
set search_path = ''
as $$
  select u.id, u.organization_id, u.name, u.description, u.created_at, u.updated_at
  from core.units u where u.id = p_id
$$;

create or replace function public.list_my_units()
returns table (id uuid, organization_id uuid, name text, role text, role_label text)
language sql stable
security invoker
set search_path = ''
as $$
  select u.id, u.organization_id, u.name, r.name, r.label
  from core.unit_memberships um
  join core.units u on u.id = um.unit_id
  join core.roles r on r.id = um.role_id
  where um.user_id = (select core.get_current_user_id())
  order by u.name
$$;

create or replace function public.get_user_units(p_org_id uuid)
returns table (id uuid, organization_id uuid, name text, role text, role_label text)
language sql stable
security invoker
set search_path = ''
as $$ select * from public.list_my_units() u where u.organization_id = p_org_id $$;

create or replace function public.list_unit_members(p_unit_id uuid)
returns table (user_id uuid, email text, first_name text, last_name text, role_id uuid, role text, role_label text)
language sql stable
security invoker
set search_path = ''
as $$
  select um.user_id, p.email, p.first_name, p.last_name, r.id, r.name, r.label
  from core.unit_memberships um
  join core.roles r on r.id = um.role_id
  left join core.users_meta p on p.user_id = um.user_id
  where um.unit_id = p_unit_id
  order by p.email
$$;

create or replace function public.get_user_unit_permissions(p_unit_id uuid)
returns table (role_name text, permissions text[], casl_rules jsonb)
language plpgsql stable
security invoker
set search_path = ''
as $$
begin
  return query
  select r.name, perms.codes,
    coalesce((select jsonb_agg(jsonb_build_object('action', split_part(code, '.', 2), 'subject', split_part(code, '.', 1))
                               order by code) from unnest(perms.codes) code), '[]'::jsonb)
  from core.unit_memberships um
  join core.roles r on r.id = um.role_id
  cross join lateral (select rbac.role_effective_permissions(r.id) as codes) perms
  where um.unit_id = p_unit_id and um.user_id = core.get_current_user_id();
end
$$;

create or replace function public.create_unit(p_org_id uuid, p_name text, p_description text default null)
returns table (id uuid, organization_id uuid, name text, description text, created_by uuid, updated_by uuid)
language plpgsql
security definer -- members cannot write units directly; units.manage is checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'units.manage');
  if p_name is null or char_length(btrim(p_name)) not between 1 and 200 then
    raise exception 'The unit name must be 1 to 200 characters' using errcode = '22023';
  end if;
  return query
  insert into core.units as u (organization_id, name, description) values (p_org_id, btrim(p_name), p_description)
  returning u.id, u.organization_id, u.name, u.description, u.created_by, u.updated_by;
exception when unique_violation then
  raise exception 'A unit named "%" already exists in this organization', btrim(p_name) using errcode = '23505';
end
$$;

create or replace function public.update_unit(p_id uuid, p_name text, p_description text default null)
returns table (id uuid, name text, description text, updated_at timestamptz)
language plpgsql
security definer -- see create_unit
set search_path = ''
as $$
declare
  v_org uuid := (select u.organization_id from core.units u where u.id = p_id and not u.is_deleted);
begin
  if v_org is null or rbac.caller_role_id(v_org) is null then
    raise exception 'Unit not found' using errcode = 'PT404';
  end if;
  perform rbac.require_permission(v_org, 'units.manage');
  return query
  update core.units u set name = btrim(p_name), description = p_description where u.id = p_id
  returning u.id, u.name, u.description, u.updated_at;
end
$$;

create or replace function public.delete_unit(p_id uuid) returns void
language plpgsql
security definer -- see create_unit
set search_path = ''
as $$
declare
  v_org uuid := (select u.organization_id from core.units u where u.id = p_id and not u.is_deleted);
begin
  if v_org is null or rbac.caller_role_id(v_org) is null then
    raise exception 'Unit not found' using errcode = 'PT404';
  end if;
  perform rbac.require_permission(v_org, 'units.manage');
  update core.units u set is_deleted = true where u.id = p_id;
  update core.unit_memberships um set is_deleted = true where um.unit_id = p_id and not um.is_deleted;
end
$$;

revoke all on function public.list_units(uuid), public.get_unit(uuid), public.list_my_units(), public.get_user_units(uuid),
  public.list_unit_members(uuid), public.get_user_unit_permissions(uuid), public.create_unit(uuid, text, text),
  public.update_unit(uuid, text, text), public.delete_unit(uuid) from public, anon, authenticated;
grant execute on function public.list_units(uuid), public.get_unit(uuid), public.list_my_units(), public.get_user_units(uuid),
  public.list_unit_members(uuid), public.get_user_unit_permissions(uuid), public.create_unit(uuid, text, text),
  public.update_unit(uuid, text, text), public.delete_unit(uuid) to authenticated, service_role;
