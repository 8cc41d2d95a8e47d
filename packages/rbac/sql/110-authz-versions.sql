create table rbac.authz_versions (
  user_id uuid primary key,
  version bigint not null default 1,
  updated_at timestamptz not null default now()
);
comment on table rbac.authz_versions is
  'Increases whenever anything that decides a user''s access changes; compared with the token''s authz_version claim.';
alter table rbac.authz_versions enable row level security;
revoke all on rbac.authz_versions from public, anon, authenticated;
grant all on rbac.authz_versions to service_role;

create or replace function rbac.bump_authz_version(p_user_id uuid) returns void
language sql
security definer -- writes rbac.authz_versions, which callers cannot write
set search_path = ''
as $$
  insert into rbac.authz_versions (user_id) values (p_user_id)
  on conflict (user_id) do update set version = rbac.authz_versions.version + 1, updated_at = now()
$$;

create or replace function rbac.bump_organization_authz(p_organization_id uuid) returns void
language sql
security definer -- see rbac.bump_authz_version
set search_path = ''
as $$
  insert into rbac.authz_versions (user_id)
  select m.user_id from core.memberships m where m.organization_id = p_organization_id
  on conflict (user_id) do update set version = rbac.authz_versions.version + 1, updated_at = now()
$$;

create or replace function rbac.on_access_change() returns trigger
language plpgsql
security definer -- see rbac.bump_authz_version
set search_path = ''
as $$
begin
  if tg_table_name = 'memberships' then
    if tg_op <> 'INSERT' then perform rbac.bump_authz_version(old.user_id); end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.user_id <> old.user_id) then
      perform rbac.bump_authz_version(new.user_id);
    end if;
  else
    perform rbac.bump_organization_authz(coalesce(new.organization_id, old.organization_id));
  end if;
  return null;
end
$$;

create trigger memberships_authz after insert or update or delete on core.memberships
  for each row execute function rbac.on_access_change();
create trigger role_edges_authz after insert or delete on rbac.role_edges
  for each row execute function rbac.on_access_change();
create trigger role_permissions_authz after insert or update or delete on rbac.role_permissions
  for each row execute function rbac.on_access_change();

create or replace function public.get_authz_version() returns bigint
language sql stable
security definer -- reads the caller's own row of rbac.authz_versions
set search_path = ''
as $$
  select coalesce((select v.version from rbac.authz_versions v where v.user_id = core.get_current_user_id()), 0)
$$;
comment on function public.get_authz_version() is
  'The caller''s current authz version; when it exceeds the token''s authz_version claim, refresh the session.';

revoke all on function rbac.bump_authz_version(uuid), rbac.bump_organization_authz(uuid),
  rbac.on_access_change() from public;
revoke all on function public.get_authz_version() from public, anon, authenticated;
grant execute on function public.get_authz_version() to authenticated, service_role;
