-- JWT claims (SPEC §4.5), computed with the same functions the policies use.
--
-- The token stays small whatever the organization's size: it lists at most
-- rbac.claims_subordinate_limit() subordinate role ids (the first by id) and always carries the
-- true number in subordinate_role_count. When the two differ, the list is incomplete and apps
-- ask public.get_my_access(org) for the whole set. Policies never read these claims.

create or replace function rbac.claims_subordinate_limit() returns integer
language sql immutable
set search_path = ''
as $$ select 20 $$;
comment on function rbac.claims_subordinate_limit() is
  'How many subordinate role ids an access token lists at most (the rest: get_my_access).';
revoke all on function rbac.claims_subordinate_limit() from public;

-- The organization the claims are for: the active one if the user is still an active member
-- there, else their first membership.
create or replace function rbac.claims_for(p_user_id uuid) returns jsonb
language sql stable
security definer -- runs for the auth server, which has no access to core or rbac
set search_path = ''
as $$
  with active as (
    select m.organization_id, m.role_id
    from core.memberships m
    left join core.users_meta um on um.user_id = m.user_id
    where m.user_id = p_user_id and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted)
    order by (m.organization_id = um.active_organization_id) desc nulls last, m.created_at, m.organization_id
    limit 1
  )
  select case when a.role_id is null then null else jsonb_build_object(
    'tenant_id', a.organization_id,
    'role_id', a.role_id,
    'subordinate_role_ids', coalesce((
      select jsonb_agg(listed.id order by listed.id) from (
        select c.descendant_role_id as id from rbac.role_closure c
        where c.ancestor_role_id = a.role_id and c.descendant_role_id <> a.role_id
        order by c.descendant_role_id
        limit rbac.claims_subordinate_limit()) listed), '[]'::jsonb),
    'subordinate_role_count', (
      select count(*) from rbac.role_closure c
      where c.ancestor_role_id = a.role_id and c.descendant_role_id <> a.role_id),
    'permissions', to_jsonb(rbac.role_effective_permissions(a.role_id)),
    'authz_version', coalesce((select v.version from rbac.authz_versions v where v.user_id = p_user_id), 0)
  ) end
  from (select 1) one left join active a on true
$$;
comment on function rbac.claims_for(uuid) is
  'tenant_id, role_id, subordinate_role_ids (at most rbac.claims_subordinate_limit()), subordinate_role_count, permissions, authz_version of a user''s active organization.';
revoke all on function rbac.claims_for(uuid) from public;

-- The Supabase custom access token hook. security definer: it runs as supabase_auth_admin
-- (search_path auth), which must not need any privilege on core or rbac.
create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  v_extra jsonb;
begin
  v_extra := rbac.claims_for((event ->> 'user_id')::uuid);
  -- Claims this hook owns are recomputed each time: stale values never survive a refresh.
  v_claims := v_claims - array['tenant_id', 'role_id', 'subordinate_role_ids', 'subordinate_role_count',
                                'permissions', 'authz_version'];
  if v_extra is not null then
    v_claims := v_claims || v_extra;
  end if;
  return jsonb_build_object('claims', v_claims);
end
$$;
comment on function public.custom_access_token_hook(jsonb) is
  'Supabase custom access token hook: adds the active organization''s tenant_id, role_id, subordinate_role_ids (bounded), subordinate_role_count, permissions, authz_version.';
revoke all on function public.custom_access_token_hook(jsonb) from public, anon, authenticated, service_role;

create or replace function public.set_active_organization(p_org_id uuid) returns void
language plpgsql
security definer -- writes the caller's own users_meta row, which members cannot write directly
set search_path = ''
as $$
begin
  if rbac.caller_role_id(p_org_id) is null then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  insert into core.users_meta (user_id, email, active_organization_id)
  values (core.get_current_user_id(), core.get_current_user_email(), p_org_id)
  on conflict (user_id) do update set active_organization_id = excluded.active_organization_id;
  perform rbac.bump_authz_version(core.get_current_user_id());
end
$$;
comment on function public.set_active_organization(uuid) is
  'Switches the organization the next access token is computed for; refresh the session afterwards.';

create or replace function public.get_user_role(p_org_id uuid) returns text
language sql stable
security definer -- answers for the caller only
set search_path = ''
as $$ select r.name from core.roles r where r.id = rbac.caller_role_id(p_org_id) $$;

create or replace function public.get_user_permissions(p_org_id uuid)
returns table (role_name text, permissions text[], casl_rules jsonb)
language sql stable
security definer -- answers for the caller only, with the claims' definitions
set search_path = ''
as $$
  select r.name, perms.codes,
    coalesce((select jsonb_agg(jsonb_build_object('action', split_part(code, '.', 2), 'subject', split_part(code, '.', 1))
                               order by code) from unnest(perms.codes) code), '[]'::jsonb)
  from core.roles r
  cross join lateral (select rbac.role_effective_permissions(r.id) as codes) perms
  where r.id = rbac.caller_role_id(p_org_id)
$$;
comment on function public.get_user_permissions(uuid) is
  'The caller''s effective permission codes, and the same rules as CASL {action, subject} objects.';

revoke all on function public.set_active_organization(uuid), public.get_user_role(uuid),
  public.get_user_permissions(uuid) from public, anon, authenticated;
grant execute on function public.set_active_organization(uuid), public.get_user_role(uuid),
  public.get_user_permissions(uuid) to authenticated, service_role;
