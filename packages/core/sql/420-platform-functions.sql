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

-- Is the caller a platform admin? Apps use it to show or hide the operator's screens.
create or replace function public.is_platform_admin() returns boolean
language sql stable
security invoker
set search_path = ''
as $$ select platform.is_platform_admin() $$;
comment on function public.is_platform_admin() is 'True when the caller is a platform administrator.';

-- Tenants with their status, member count and effective plan; p_search matches name or slug.
create or replace function public.platform_list_organizations(p_search text default null)
returns table (id uuid, name text, slug text, status text, member_count integer, plan text, plan_name text,
  plan_source text, is_deleted boolean, created_at timestamptz)
language plpgsql stable
security definer -- crosses tenants on purpose, for platform admins
set search_path = ''
as $$
declare
  v_pattern text := '%' || replace(replace(replace(btrim(coalesce(p_search, '')), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  perform platform.require_admin();
  return query
  select o.id, o.name, o.slug, coalesce(p.status, 'active'),
    (select count(*)::int from core.memberships m where m.organization_id = o.id and not m.is_deleted),
    e.plan, e.plan_name, e.source, o.is_deleted, o.created_at
  from core.organizations o
  left join platform.platform_organizations p on p.organization_id = o.id
  cross join lateral platform.effective_plan(o.id) e
  where o.name ilike v_pattern or o.slug ilike v_pattern
  order by o.created_at desc;
end
$$;

-- One tenant for the operator: its plan, the override if any, and its billing subscription.
create or replace function public.platform_get_organization(p_org_id uuid)
returns table (id uuid, name text, slug text, description text, status text, member_count integer,
  plan text, plan_name text, plan_source text, plan_status text, features jsonb,
  override_plan text, override_features jsonb, override_expires_at timestamptz, override_reason text,
  subscription_provider text, subscription_status text, subscription_quantity integer,
  is_deleted boolean, created_at timestamptz)
language plpgsql stable
security definer -- see platform_list_organizations
set search_path = ''
as $$
begin
  perform platform.require_admin();
  if not exists (select 1 from core.organizations o where o.id = p_org_id) then
    raise exception 'Organization not found' using errcode = 'PT404';
  end if;
  return query
  select o.id, o.name, o.slug, o.description, coalesce(p.status, 'active'),
    (select count(*)::int from core.memberships m where m.organization_id = o.id and not m.is_deleted),
    e.plan, e.plan_name, e.source, e.status, e.features,
    ov.plan, ov.features, ov.expires_at, ov.reason,
    s.provider, s.status, s.quantity, o.is_deleted, o.created_at
  from core.organizations o
  left join platform.platform_organizations p on p.organization_id = o.id
  cross join lateral platform.effective_plan(o.id) e
  left join platform.platform_subscription_overrides ov on ov.organization_id = o.id
  left join lateral (select bs.provider, bs.status, bs.quantity from platform.billing_subscriptions bs
                     where bs.organization_id = o.id order by bs.last_event_at desc limit 1) s on true
  where o.id = p_org_id;
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
  insert into platform.platform_action_logs (actor_id, action, details)
  values (core.get_current_user_id(), 'set_admin', jsonb_build_object('user_id', p_user_id, 'is_admin', p_is_admin));
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
  if p_key is null or p_key !~ '^[a-z][a-z0-9_.]*$' or char_length(p_key) > 100 then
    raise exception 'Invalid flag key: use lower-case letters, digits, dots and underscores, starting with a letter'
      using errcode = '22023';
  end if;
  if p_enabled is null then
    raise exception 'Say whether the flag is on or off' using errcode = '22023';
  end if;
  insert into platform.platform_feature_flags (key, enabled, description, updated_by)
  values (p_key, p_enabled, p_description, core.get_current_user_id())
  on conflict (key) do update set enabled = excluded.enabled,
    description = coalesce(excluded.description, platform.platform_feature_flags.description),
    updated_at = now(), updated_by = excluded.updated_by;
  insert into platform.platform_action_logs (actor_id, action, details)
  values (core.get_current_user_id(), 'set_feature_flag', jsonb_build_object('key', p_key, 'enabled', p_enabled));
end
$$;

-- p_enabled null puts the tenant back on the flag's default.
create or replace function public.platform_set_organization_feature(p_org_id uuid, p_key text, p_enabled boolean default null)
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
  if not exists (select 1 from core.organizations o where o.id = p_org_id) then
    raise exception 'Organization not found' using errcode = 'PT404';
  end if;
  -- null: back to the flag's global default.
  if p_enabled is null then
    delete from platform.organization_feature_flags f where f.organization_id = p_org_id and f.key = p_key;
  else
    insert into platform.organization_feature_flags (organization_id, key, enabled, updated_by)
    values (p_org_id, p_key, p_enabled, core.get_current_user_id())
    on conflict (organization_id, key) do update set enabled = excluded.enabled, updated_at = now(),
      updated_by = excluded.updated_by;
  end if;
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
  if p_key is null or p_key !~ '^[a-z][a-z0-9_.]*$' or char_length(p_key) > 100 then
    raise exception 'Invalid setting key: use lower-case letters, digits, dots and underscores, starting with a letter'
      using errcode = '22023';
  end if;
  if p_value is null then
    raise exception 'A setting needs a JSON value' using errcode = '22023';
  end if;
  if p_key = 'free_plan_features' and jsonb_typeof(p_value) <> 'object' then
    raise exception 'free_plan_features must be a JSON object, e.g. {"members": 3}' using errcode = '22023';
  end if;
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
  if rbac.caller_role_id(p_org_id) is null and not core.is_service_caller() and not platform.is_platform_admin() then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  return query
  select f.key, coalesce(o.enabled, f.enabled)
  from platform.platform_feature_flags f
  left join platform.organization_feature_flags o on o.key = f.key and o.organization_id = p_org_id
  order by f.key;
end
$$;

-- The operator's screens: flags with their overrides, one tenant's flags, the action log.
create or replace function public.platform_list_feature_flags()
returns table (key text, description text, enabled boolean, override_count integer, updated_at timestamptz)
language plpgsql stable
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  return query
  select f.key, f.description, f.enabled,
    (select count(*)::int from platform.organization_feature_flags o where o.key = f.key), f.updated_at
  from platform.platform_feature_flags f order by f.key;
end
$$;

create or replace function public.platform_list_organization_features(p_org_id uuid)
returns table (key text, description text, default_enabled boolean, override boolean, enabled boolean)
language plpgsql stable
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  return query
  select f.key, f.description, f.enabled, o.enabled, coalesce(o.enabled, f.enabled)
  from platform.platform_feature_flags f
  left join platform.organization_feature_flags o on o.key = f.key and o.organization_id = p_org_id
  order by f.key;
end
$$;

create or replace function public.platform_list_action_logs(p_limit integer default 50, p_offset integer default 0)
returns table (id uuid, actor_id uuid, actor_email text, action text, target_organization_id uuid,
  target_organization_name text, details jsonb, created_at timestamptz)
language plpgsql stable
security definer -- see platform_set_feature_flag
set search_path = ''
as $$
begin
  perform platform.require_admin();
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception 'p_limit must be between 1 and 200' using errcode = '22023';
  end if;
  if p_offset is null or p_offset not between 0 and 100000 then
    raise exception 'p_offset must be between 0 and 100000' using errcode = '22023';
  end if;
  return query
  select l.id, l.actor_id, um.email, l.action, l.target_organization_id, o.name, l.details, l.created_at
  from platform.platform_action_logs l
  left join core.users_meta um on um.user_id = l.actor_id
  left join core.organizations o on o.id = l.target_organization_id
  order by l.created_at desc, l.id
  limit p_limit offset p_offset;
end
$$;

revoke all on function public.is_platform_admin(), public.platform_list_organizations(text),
  public.platform_get_organization(uuid), public.platform_set_admin(uuid, boolean),
  public.platform_set_feature_flag(text, boolean, text), public.platform_set_organization_feature(uuid, text, boolean),
  public.platform_get_settings(), public.platform_set_setting(text, jsonb), public.get_organization_features(uuid),
  public.platform_list_feature_flags(), public.platform_list_organization_features(uuid),
  public.platform_list_action_logs(integer, integer)
  from public, anon, authenticated;
grant execute on function public.is_platform_admin(), public.platform_list_organizations(text),
  public.platform_get_organization(uuid), public.platform_set_admin(uuid, boolean),
  public.platform_set_feature_flag(text, boolean, text), public.platform_set_organization_feature(uuid, text, boolean),
  public.platform_get_settings(), public.platform_set_setting(text, jsonb), public.get_organization_features(uuid),
  public.platform_list_feature_flags(), public.platform_list_organization_features(uuid),
  public.platform_list_action_logs(integer, integer)
  to authenticated, service_role;
