-- Unit membership functions: units.manage, and only roles strictly below the caller's.
-- security definer: unit memberships are written only here.

create or replace function rbac.set_unit_member(p_unit_id uuid, p_user_id uuid, p_role_id uuid, p_must_exist boolean)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_unit core.units;
begin
  select * into v_unit from core.units u where u.id = p_unit_id and not u.is_deleted;
  if v_unit.id is null or rbac.caller_role_id(v_unit.organization_id) is null then
    raise exception 'Unit not found' using errcode = 'PT404';
  end if;
  perform rbac.require_permission(v_unit.organization_id, 'units.manage');
  perform rbac.require_assignable_role(v_unit.organization_id, p_role_id);
  if not exists (select 1 from core.memberships m where m.organization_id = v_unit.organization_id
                 and m.user_id = p_user_id and not m.is_deleted) then
    raise exception 'Only members of the organization can join its units' using errcode = 'P0001';
  end if;
  if p_must_exist then
    update core.unit_memberships um set role_id = p_role_id
    where um.unit_id = p_unit_id and um.user_id = p_user_id and not um.is_deleted;
    if not found then
      raise exception 'Unit member not found' using errcode = 'PT404';
    end if;
  else
    insert into core.unit_memberships (organization_id, unit_id, user_id, role_id)
    values (v_unit.organization_id, p_unit_id, p_user_id, p_role_id)
    on conflict (unit_id, user_id) do update set role_id = excluded.role_id, is_deleted = false;
  end if;
end
$$;

create or replace function rbac.drop_unit_member(p_unit_id uuid, p_user_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_unit_membership core.unit_memberships;
begin
  select * into v_unit_membership from core.unit_memberships um
  where um.unit_id = p_unit_id and um.user_id = p_user_id and not um.is_deleted;
  if v_unit_membership.id is null or rbac.caller_role_id(v_unit_membership.organization_id) is null then
    raise exception 'Unit member not found' using errcode = 'PT404';
  end if;
  if p_user_id <> core.get_current_user_id() then
    perform rbac.require_permission(v_unit_membership.organization_id, 'units.manage');
    if not rbac.caller_is_above(v_unit_membership.role_id) then
      raise exception 'You can only manage members whose role is below your own' using errcode = '42501';
    end if;
  end if;
  update core.unit_memberships um set is_deleted = true where um.id = v_unit_membership.id;
end
$$;

create or replace function public.assign_user_to_unit(p_user_id uuid, p_unit_id uuid, p_role_id uuid)
returns void language sql security invoker set search_path = ''
as $$ select rbac.set_unit_member(p_unit_id, p_user_id, p_role_id, false) $$;

create or replace function public.add_member_to_unit(p_unit_id uuid, p_user_id uuid, p_role_id uuid)
returns void language sql security invoker set search_path = ''
as $$ select rbac.set_unit_member(p_unit_id, p_user_id, p_role_id, false) $$;

create or replace function public.update_unit_member_role(p_unit_id uuid, p_user_id uuid, p_role_id uuid)
returns void language sql security invoker set search_path = ''
as $$ select rbac.set_unit_member(p_unit_id, p_user_id, p_role_id, true) $$;

create or replace function public.remove_user_from_unit(p_user_id uuid, p_unit_id uuid)
returns void language sql security invoker set search_path = ''
as $$ select rbac.drop_unit_member(p_unit_id, p_user_id) $$;

create or replace function public.remove_member_from_unit(p_unit_id uuid, p_user_id uuid)
returns void language sql security invoker set search_path = ''
as $$ select rbac.drop_unit_member(p_unit_id, p_user_id) $$;

revoke all on function rbac.set_unit_member(uuid, uuid, uuid, boolean), rbac.drop_unit_member(uuid, uuid) from public;
grant execute on function rbac.set_unit_member(uuid, uuid, uuid, boolean), rbac.drop_unit_member(uuid, uuid)
  to authenticated, service_role;
revoke all on function public.assign_user_to_unit(uuid, uuid, uuid), public.add_member_to_unit(uuid, uuid, uuid),
  public.update_unit_member_role(uuid, uuid, uuid), public.remove_user_from_unit(uuid, uuid),
  public.remove_member_from_unit(uuid, uuid) from public, anon, authenticated;
grant execute on function public.assign_user_to_unit(uuid, uuid, uuid), public.add_member_to_unit(uuid, uuid, uuid),
  public.update_unit_member_role(uuid, uuid, uuid), public.remove_user_from_unit(uuid, uuid),
  public.remove_member_from_unit(uuid, uuid) to authenticated, service_role;
