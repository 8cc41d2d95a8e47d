-- Role management. security definer: members have no write privileges on roles, edges or
-- permissions; these functions are the only way in and check the rules themselves (and the
-- guard triggers check them again).

create or replace function rbac.require_role_below_caller(p_role_id uuid) returns core.roles
language plpgsql stable
security definer -- reads roles of the caller's organizations for the checks
set search_path = ''
as $$
declare
  v_role core.roles;
begin
  select * into v_role from core.roles r where r.id = p_role_id;
  if v_role.id is null or rbac.caller_role_id(v_role.organization_id) is null then
    raise exception 'Role not found' using errcode = 'PT404';
  end if;
  if not rbac.caller_is_above(p_role_id) then
    raise exception 'You can only manage roles below your own' using errcode = '42501';
  end if;
  return v_role;
end
$$;

create or replace function rbac.require_permission(p_organization_id uuid, p_code text) returns void
language plpgsql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
begin
  if rbac.caller_role_id(p_organization_id) is null then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  if not rbac.has_permission(p_organization_id, p_code) then
    raise exception 'Missing permission %', p_code using errcode = '42501';
  end if;
end
$$;

create or replace function public.create_role(
  p_org_id uuid, p_name text, p_parent_role_id uuid,
  p_label text default null, p_description text default null, p_permissions text[] default '{}'
) returns core.roles
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_my_role uuid := rbac.caller_role_id(p_org_id);
  v_role core.roles;
  v_code text;
begin
  perform rbac.require_permission(p_org_id, 'roles.manage');
  perform rbac.require_known_permissions(p_permissions);
  if not exists (select 1 from core.roles r where r.id = p_parent_role_id and r.organization_id = p_org_id) then
    raise exception 'Parent role not found in this organization' using errcode = 'PT404';
  end if;
  if not (p_parent_role_id = v_my_role or rbac.is_above(v_my_role, p_parent_role_id)) then
    raise exception 'You can only create roles under your own role or below it' using errcode = '42501';
  end if;
  perform rbac.lock_graph(p_org_id);
  begin
    insert into core.roles (organization_id, name, label, description)
    values (p_org_id, btrim(p_name), coalesce(p_label, btrim(p_name)), p_description)
    returning * into v_role;
  exception when unique_violation then
    raise exception 'A role named "%" already exists in this organization', btrim(p_name)
      using errcode = '23505';
  end;
  insert into rbac.role_edges (organization_id, parent_role_id, child_role_id, created_by)
  values (p_org_id, p_parent_role_id, v_role.id, core.get_current_user_id());
  foreach v_code in array coalesce(p_permissions, '{}') loop
    insert into rbac.role_permissions (organization_id, role_id, permission, created_by)
    values (p_org_id, v_role.id, v_code, core.get_current_user_id())
    on conflict do nothing;
  end loop;
  return v_role;
end
$$;
comment on function public.create_role(uuid, text, uuid, text, text, text[]) is
  'Creates a role under the caller''s role or a role below it, with permissions the caller holds (roles.manage).';

create or replace function public.update_role(
  p_role_id uuid, p_name text default null, p_label text default null, p_description text default null
) returns core.roles
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_role core.roles := rbac.require_role_below_caller(p_role_id);
begin
  perform rbac.require_permission(v_role.organization_id, 'roles.manage');
  begin
    update core.roles r set
      name = coalesce(btrim(p_name), r.name),
      label = coalesce(p_label, r.label),
      description = coalesce(p_description, r.description)
    where r.id = p_role_id
    returning * into v_role;
  exception when unique_violation then
    raise exception 'A role named "%" already exists in this organization', btrim(p_name)
      using errcode = '23505';
  end;
  return v_role;
end
$$;

create or replace function public.delete_role(p_role_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_role core.roles := rbac.require_role_below_caller(p_role_id);
begin
  perform rbac.require_permission(v_role.organization_id, 'roles.manage');
  perform rbac.lock_graph(v_role.organization_id);
  if exists (select 1 from core.memberships m where m.role_id = p_role_id and not m.is_deleted)
     or exists (select 1 from core.unit_memberships um where um.role_id = p_role_id and not um.is_deleted) then
    raise exception 'This role still has members; give them another role first' using errcode = 'P0001';
  end if;
  -- Children keep a path to the root through the removed role's parents.
  insert into rbac.role_edges (organization_id, parent_role_id, child_role_id, created_by)
  select v_role.organization_id, p.parent_role_id, c.child_role_id, core.get_current_user_id()
  from rbac.role_edges p
  join rbac.role_edges c on c.parent_role_id = p_role_id
  where p.child_role_id = p_role_id
  on conflict do nothing;
  delete from core.invitations i where i.role_id = p_role_id and i.status <> 'accepted';
  delete from core.memberships m where m.role_id = p_role_id and m.is_deleted;
  delete from rbac.role_edges e where e.parent_role_id = p_role_id or e.child_role_id = p_role_id;
  delete from core.roles r where r.id = p_role_id;
end
$$;

create or replace function public.add_role_parent(p_role_id uuid, p_parent_role_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_role core.roles := rbac.require_role_below_caller(p_role_id);
  v_my_role uuid := rbac.caller_role_id(v_role.organization_id);
begin
  perform rbac.require_permission(v_role.organization_id, 'roles.manage');
  if not exists (select 1 from core.roles r
                 where r.id = p_parent_role_id and r.organization_id = v_role.organization_id) then
    raise exception 'Parent role not found in this organization' using errcode = 'PT404';
  end if;
  if not (p_parent_role_id = v_my_role or rbac.is_above(v_my_role, p_parent_role_id)) then
    raise exception 'You can only attach roles under your own role or below it' using errcode = '42501';
  end if;
  insert into rbac.role_edges (organization_id, parent_role_id, child_role_id, created_by)
  values (v_role.organization_id, p_parent_role_id, p_role_id, core.get_current_user_id());
exception when unique_violation then
  raise exception 'This role already has that parent' using errcode = '23505';
end
$$;

create or replace function public.remove_role_parent(p_role_id uuid, p_parent_role_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_role core.roles := rbac.require_role_below_caller(p_role_id);
begin
  perform rbac.require_permission(v_role.organization_id, 'roles.manage');
  perform rbac.lock_graph(v_role.organization_id);
  if not exists (select 1 from rbac.role_edges e
                 where e.child_role_id = p_role_id and e.parent_role_id = p_parent_role_id) then
    raise exception 'This role does not have that parent' using errcode = 'PT404';
  end if;
  if not exists (select 1 from rbac.role_edges e
                 where e.child_role_id = p_role_id and e.parent_role_id <> p_parent_role_id) then
    raise exception 'A role must keep at least one parent; add another parent first' using errcode = 'P0001';
  end if;
  delete from rbac.role_edges e where e.child_role_id = p_role_id and e.parent_role_id = p_parent_role_id;
end
$$;

create or replace function public.set_role_permissions(p_role_id uuid, p_permissions text[]) returns text[]
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_role core.roles := rbac.require_role_below_caller(p_role_id);
begin
  perform rbac.require_permission(v_role.organization_id, 'roles.manage');
  perform rbac.require_known_permissions(p_permissions);
  delete from rbac.role_permissions rp
  where rp.role_id = p_role_id and not (rp.permission = any (coalesce(p_permissions, '{}')));
  insert into rbac.role_permissions (organization_id, role_id, permission, created_by)
  select distinct v_role.organization_id, p_role_id, code, core.get_current_user_id()
  from unnest(coalesce(p_permissions, '{}')) code
  on conflict do nothing;
  return (select coalesce(array_agg(rp.permission order by rp.permission), '{}')
          from rbac.role_permissions rp where rp.role_id = p_role_id);
end
$$;

create or replace function public.list_roles(p_org_id uuid)
returns table (id uuid, name text, label text, description text, is_root boolean,
  parent_role_ids uuid[], permissions text[], effective_permissions text[], member_count integer,
  is_below_me boolean)
language sql stable
security invoker
set search_path = ''
as $$
  select r.id, r.name, r.label, r.description, r.is_root,
    coalesce((select array_agg(e.parent_role_id order by e.parent_role_id) from rbac.role_edges e
              where e.child_role_id = r.id), '{}'),
    coalesce((select array_agg(rp.permission order by rp.permission) from rbac.role_permissions rp
              where rp.role_id = r.id), '{}'),
    rbac.role_effective_permissions(r.id),
    (select count(*)::int from core.memberships m where m.role_id = r.id and not m.is_deleted),
    r.id = any ((select rbac.my_subordinate_role_ids())::uuid[])
  from core.roles r
  where r.organization_id = p_org_id
  order by r.is_root desc, r.name
$$;

create or replace function public.list_permissions()
returns table (code text, description text)
language sql stable
security invoker
set search_path = ''
as $$ select p.code, p.description from rbac.permissions p order by p.code $$;

create or replace function public.get_my_access(p_org_id uuid)
returns table (organization_id uuid, role_id uuid, role_name text, is_root boolean,
  subordinate_role_ids uuid[], permissions text[])
language sql stable
security definer -- answers for the caller only, from the same functions as policies and claims
set search_path = ''
as $$
  select r.organization_id, r.id, r.name, r.is_root,
    coalesce((select array_agg(c.descendant_role_id order by c.descendant_role_id) from rbac.role_closure c
              where c.ancestor_role_id = r.id and c.descendant_role_id <> r.id), '{}'),
    rbac.role_effective_permissions(r.id)
  from core.roles r
  where r.id = rbac.caller_role_id(p_org_id)
$$;

revoke all on function rbac.require_role_below_caller(uuid), rbac.require_permission(uuid, text) from public;
grant execute on function rbac.require_permission(uuid, text) to authenticated, service_role;
revoke all on function public.create_role(uuid, text, uuid, text, text, text[]),
  public.update_role(uuid, text, text, text), public.delete_role(uuid),
  public.add_role_parent(uuid, uuid), public.remove_role_parent(uuid, uuid),
  public.set_role_permissions(uuid, text[]), public.list_roles(uuid), public.list_permissions(),
  public.get_my_access(uuid) from public, anon, authenticated;
grant execute on function public.create_role(uuid, text, uuid, text, text, text[]),
  public.update_role(uuid, text, text, text), public.delete_role(uuid),
  public.add_role_parent(uuid, uuid), public.remove_role_parent(uuid, uuid),
  public.set_role_permissions(uuid, text[]), public.list_roles(uuid), public.list_permissions(),
  public.get_my_access(uuid) to authenticated, service_role;
