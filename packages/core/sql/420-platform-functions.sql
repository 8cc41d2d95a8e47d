-- Platform functions: platform admins (and the service role) run the operator's side; members
-- read their own organization's feature flags.

create or replace function platform.require_admin() returns void
language plpgsql stable
security definer -- reads platform_users for the caller
set search_path = ''
as $$
begin
  if not core.is_service_caller() and not platform.is_platform_admin() then
    raise exception 'Platform admins only' using errcode = '42501';
  end if;
end
$$;
revoke all on function platform.require_admin() from public;
grant execute on function platform.require_admin() to authenticated, service_role;

create or replace function public.platform_list_organizations()
returns table (id uuid, name text, slug text, status text, member_count integer, is_deleted boolean, created_at timestamptz)
language plpgsql stable
security definer -- crosses tenants on purpose, for platform admins
set search_path = ''
as $$
begin
  perform platform.require_admin();
  return query
  select o.id, o.name, o.slug, coalesce(p.status, 'active'),
    (select count(*)::int from core.memberships m where m.organization_id = o.id and not m.is_deleted),
    o.is_deleted, o.created_at
  from core.organizations o left join platform.platform_organizations p on p.organization_id = o.id
  order by o.created_at desc;
end
$$;

create or replace function public.platform_set_admin(p_user_id uuid, p_is_admin boolean) returns void
language plpgsql
security definer -- writes platform_users; the service role only
set search_path = ''
as $$
begin
  if not core.is_service_caller() then
    raise exception 'Only the service role can appoint platform admins' using errcode = '42501';
  end if;
  insert into platform.platform_users (user_id, is_admin) values (p_user_id, p_is_admin)
  on conflict (user_id) do update set is_admin = excluded.is_admin, updated_at = now();
end
$$;

create or replace function public.platform_set_feature_flag(p_key text, p_enabled boolean, p_description text default null)
returns void
language plpgsql
security definer -- writes platform tables for platform admins
set search_path = ''
as $$
begin
  perform platform.require_admin();
  insert into platform.platform_feature_flags (key, enabled, description, updated_by)
  values (p_key, p_enabled, p_description, core.get_current_user_id())
  on conflict (key) do update set enabled = excluded.enabled,
    description = coalesce(excluded.description, platform.platform_feature_flags.description),
    updated_at = now(), updated_by = excluded.updated_by;
  insert into platform.platform_action_logs (actor_id, action, details)
  values (core.get_current_user_id(), 'set_feature_flag', jsonb_build_object('key', p_key, 'enabled', p_enabled));
end
$$;

create or replace function public.platform_set_organization_feature(p_org_id uuid, p_key text, p_enabled boolean)
returns void
language plpgsql
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  if not exists (select 1 from platform.platform_feature_flags f where f.key = p_key) then
    raise exception 'Unknown feature flag %', p_key using errcode = 'PT404';
  end if;
  insert into platform.organization_feature_flags (organization_id, key, enabled, updated_by)
  values (p_org_id, p_key, p_enabled, core.get_current_user_id())
  on conflict (organization_id, key) do update set enabled = excluded.enabled, updated_at = now(),
    updated_by = excluded.updated_by;
  insert into platform.platform_action_logs (actor_id, action, target_organization_id, details)
  values (core.get_current_user_id(), 'set_organization_feature', p_org_id,
          jsonb_build_object('key', p_key, 'enabled', p_enabled));
end
$$;

create or replace function public.platform_get_settings()
returns table (key text, value jsonb, description text, updated_at timestamptz)
language plpgsql stable
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  return query select s.key, s.value, s.description, s.updated_at from platform.platform_settings s order by s.key;
end
$$;

create or replace function public.platform_set_setting(p_key text, p_value jsonb) returns void
language plpgsql
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  insert into platform.platform_settings (key, value, updated_by) values (p_key, p_value, core.get_current_user_id())
  on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by;
  insert into platform.platform_action_logs (actor_id, action, details)
  values (core.get_current_user_id(), 'set_setting', jsonb_build_object('key', p_key, 'value', p_value));
end
$$;

create or replace function public.get_organization_features(p_org_id uuid)
returns table (key text, enabled boolean)
language plpgsql stable
security definer -- members read their own organization's flags; platform tables stay closed
set search_path = ''
as $$
begin
  if rbac.caller_role_id(p_org_id) is null and not core.is_service_caller() then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  return query
  select f.key, coalesce(o.enabled, f.enabled)
  from platform.platform_feature_flags f
  left join platform.organization_feature_flags o on o.key = f.key and o.organization_id = p_org_id
  order by f.key;
end
$$;

revoke all on function public.platform_list_organizations(), public.platform_set_admin(uuid, boolean),
  public.platform_set_feature_flag(text, boolean, text), public.platform_set_organization_feature(uuid, text, boolean),
  public.platform_get_settings(), public.platform_set_setting(text, jsonb), public.get_organization_features(uuid)
  from public, anon, authenticated;
grant execute on function public.platform_list_organizations(), public.platform_set_admin(uuid, boolean),
  public.platform_set_feature_flag(text, boolean, text), public.platform_set_organization_feature(uuid, text, boolean),
  public.platform_get_settings(), public.platform_set_setting(text, jsonb), public.get_organization_features(uuid)
  to authenticated, service_role;
