-- The permission codes enabled for an organization (SupaMax's p_permissions of provision_tenant).
-- No row: every code of the catalogue. A row: exactly these codes; the root role holds exactly
-- them and no role of the organization can be granted a code outside them (guard trigger on
-- rbac.role_permissions). Platform admins change the set with
-- public.platform_set_organization_permissions.

create table rbac.enabled_permissions (
  organization_id uuid primary key references core.organizations (id) on delete cascade,
  permissions text[] not null,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
comment on table rbac.enabled_permissions is
  'Permission codes enabled for an organization; no row means every catalogue code.';

alter table rbac.enabled_permissions enable row level security;
revoke all on rbac.enabled_permissions from public, anon, authenticated;
grant all on rbac.enabled_permissions to service_role;

-- security definer: the set is read for any caller's checks; it answers for one organization.
create or replace function rbac.organization_permissions(p_organization_id uuid) returns text[]
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(p.code order by p.code), '{}')
  from rbac.permissions p
  left join rbac.enabled_permissions e on e.organization_id = p_organization_id
  where e.organization_id is null or p.code = any (e.permissions)
$$;
comment on function rbac.organization_permissions(uuid) is
  'The codes enabled for an organization (every catalogue code unless restricted), sorted.';

create or replace function public.platform_set_organization_permissions(p_org_id uuid, p_permissions text[])
returns text[]
language plpgsql
security definer -- platform admins only; removes grants the organization no longer allows
set search_path = ''
as $$
begin
  perform platform.require_admin();
  if not exists (select 1 from core.organizations o where o.id = p_org_id) then
    raise exception 'Organization not found' using errcode = 'PT404';
  end if;
  perform rbac.require_known_permissions(p_permissions);
  if p_permissions is null then
    delete from rbac.enabled_permissions e where e.organization_id = p_org_id;
  else
    insert into rbac.enabled_permissions (organization_id, permissions, updated_by)
    values (p_org_id, (select coalesce(array_agg(distinct c order by c), '{}') from unnest(p_permissions) c),
            core.get_current_user_id())
    on conflict (organization_id) do update
      set permissions = excluded.permissions, updated_at = now(), updated_by = excluded.updated_by;
  end if;
  delete from rbac.role_permissions rp
  where rp.organization_id = p_org_id and not (rp.permission = any (rbac.organization_permissions(p_org_id)));
  -- The root role's effective permissions changed with the set: everyone's claims are stale.
  perform rbac.bump_organization_authz(p_org_id);
  insert into platform.platform_action_logs (actor_id, action, target_organization_id, details)
  values (core.get_current_user_id(), 'set_organization_permissions', p_org_id,
          jsonb_build_object('permissions', p_permissions));
  return rbac.organization_permissions(p_org_id);
end
$$;
comment on function public.platform_set_organization_permissions(uuid, text[]) is
  'Sets the codes enabled for an organization (null: every code); grants outside the set are removed. Platform admins.';

revoke all on function rbac.organization_permissions(uuid) from public;
grant execute on function rbac.organization_permissions(uuid) to authenticated, service_role;
revoke all on function public.platform_set_organization_permissions(uuid, text[]) from public, anon, authenticated;
grant execute on function public.platform_set_organization_permissions(uuid, text[]) to authenticated, service_role;
