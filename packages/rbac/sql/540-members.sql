-- Member functions. security definer: memberships are written only here, after the role rules
-- of SPEC §4.2 are checked: act only on members whose role is strictly below your own, assign
-- only roles strictly below your own, never change your own role; ownership moves only by
-- transfer_super_admin.

create or replace function rbac.require_member_below_caller(p_org_id uuid, p_user_id uuid)
returns core.memberships
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_membership core.memberships;
begin
  if p_user_id = core.get_current_user_id() then
    raise exception 'You cannot change your own membership this way' using errcode = '42501';
  end if;
  select * into v_membership from core.memberships m
  where m.organization_id = p_org_id and m.user_id = p_user_id and not m.is_deleted;
  if v_membership.id is null then
    raise exception 'Member not found' using errcode = 'PT404';
  end if;
  if not rbac.caller_is_above(v_membership.role_id) then
    raise exception 'You can only manage members whose role is below your own' using errcode = '42501';
  end if;
  return v_membership;
end
$$;

create or replace function rbac.require_assignable_role(p_org_id uuid, p_role_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  if not exists (select 1 from core.roles r where r.id = p_role_id and r.organization_id = p_org_id) then
    raise exception 'Role not found in this organization' using errcode = 'PT404';
  end if;
  if not rbac.caller_is_above(p_role_id) then
    raise exception 'You can only assign roles below your own' using errcode = '42501';
  end if;
end
$$;

create or replace function public.add_member_to_organization(p_org_id uuid, p_user_id uuid, p_role_id uuid)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'members.manage');
  perform rbac.require_assignable_role(p_org_id, p_role_id);
  if exists (select 1 from core.memberships m where m.organization_id = p_org_id and m.user_id = p_user_id
             and not m.is_deleted) then
    raise exception 'This user is already a member of the organization' using errcode = '23505';
  end if;
  -- Only people who already share an organization with the caller can be added directly;
  -- everyone else is invited, so nobody can be pulled into a tenant by id alone.
  if not exists (select 1 from core.memberships m where m.user_id = p_user_id and not m.is_deleted
                 and m.organization_id = any (core.my_organization_ids())) then
    raise exception 'Invite people who are not yet in one of your organizations' using errcode = '42501';
  end if;
  perform platform.require_member_capacity(p_org_id, false);
  insert into core.memberships (organization_id, user_id, role_id)
  values (p_org_id, p_user_id, p_role_id)
  on conflict (organization_id, user_id) do update set role_id = excluded.role_id, is_deleted = false;
end
$$;

create or replace function public.update_member_role(p_org_id uuid, p_user_id uuid, p_role_id uuid)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'members.manage');
  perform rbac.require_member_below_caller(p_org_id, p_user_id);
  perform rbac.require_assignable_role(p_org_id, p_role_id);
  update core.memberships m set role_id = p_role_id
  where m.organization_id = p_org_id and m.user_id = p_user_id and not m.is_deleted;
end
$$;

create or replace function public.remove_member_from_organization(p_org_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'members.manage');
  perform rbac.require_member_below_caller(p_org_id, p_user_id);
  update core.memberships m set is_deleted = true
  where m.organization_id = p_org_id and m.user_id = p_user_id and not m.is_deleted;
  update core.unit_memberships um set is_deleted = true
  where um.organization_id = p_org_id and um.user_id = p_user_id and not um.is_deleted;
end
$$;

-- Leave an organization yourself, or remove someone below you. The owner cannot leave: they
-- transfer ownership first.
create or replace function public.remove_user_from_organization(p_user_id uuid, p_org_id uuid)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  if p_user_id = core.get_current_user_id() then
    if rbac.caller_role_id(p_org_id) is null then
      raise exception 'Member not found' using errcode = 'PT404';
    end if;
    if rbac.is_owner(p_org_id) then
      raise exception 'The owner cannot leave the organization; transfer ownership first' using errcode = 'P0001';
    end if;
  else
    perform rbac.require_permission(p_org_id, 'members.manage');
    perform rbac.require_member_below_caller(p_org_id, p_user_id);
  end if;
  update core.memberships m set is_deleted = true
  where m.organization_id = p_org_id and m.user_id = p_user_id and not m.is_deleted;
  update core.unit_memberships um set is_deleted = true
  where um.organization_id = p_org_id and um.user_id = p_user_id and not um.is_deleted;
end
$$;

create or replace function public.transfer_super_admin(p_org_id uuid, p_new_super_admin_user_id uuid)
returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_root_role_id uuid := rbac.caller_role_id(p_org_id);
  v_target core.memberships;
begin
  if not rbac.is_owner(p_org_id) then
    raise exception 'Only the owner can transfer ownership' using errcode = '42501';
  end if;
  if p_new_super_admin_user_id = core.get_current_user_id() then
    raise exception 'You already own this organization' using errcode = 'P0001';
  end if;
  select * into v_target from core.memberships m
  where m.organization_id = p_org_id and m.user_id = p_new_super_admin_user_id and not m.is_deleted;
  if v_target.id is null then
    raise exception 'The new owner must be a member of the organization' using errcode = 'PT404';
  end if;
  -- The previous owner takes the new owner's former role.
  update core.memberships m set role_id = v_target.role_id
  where m.organization_id = p_org_id and m.user_id = core.get_current_user_id();
  update core.memberships m set role_id = v_root_role_id where m.id = v_target.id;
end
$$;

-- Exactly one active owner per organization, whatever writes the memberships.
create or replace function rbac.check_one_owner() returns trigger
language plpgsql
security definer -- reads all memberships of the organization
set search_path = ''
as $$
declare
  v_organization_id uuid := coalesce(new.organization_id, old.organization_id);
  v_owners integer;
begin
  -- A deleted organization (soft, or gone with its rows) needs no owner: its people may leave
  -- and their accounts may be deleted.
  if not exists (select 1 from core.organizations o where o.id = v_organization_id and not o.is_deleted) then
    return null;
  end if;
  select count(*) into v_owners from core.memberships m
  join core.roles r on r.id = m.role_id and r.is_root
  where m.organization_id = v_organization_id and not m.is_deleted;
  if v_owners > 1 then
    raise exception 'An organization has exactly one owner; use transfer_super_admin' using errcode = 'P0001';
  end if;
  if v_owners = 0 and exists (select 1 from core.memberships m where m.organization_id = v_organization_id
                              and not m.is_deleted) then
    raise exception 'The last owner cannot leave or be removed; transfer ownership first' using errcode = 'P0001';
  end if;
  return null;
end
$$;
create constraint trigger memberships_one_owner after insert or update or delete on core.memberships
  deferrable initially deferred for each row execute function rbac.check_one_owner();

revoke all on function rbac.require_member_below_caller(uuid, uuid), rbac.require_assignable_role(uuid, uuid),
  rbac.check_one_owner() from public;
revoke all on function public.add_member_to_organization(uuid, uuid, uuid),
  public.update_member_role(uuid, uuid, uuid), public.remove_member_from_organization(uuid, uuid),
  public.remove_user_from_organization(uuid, uuid), public.transfer_super_admin(uuid, uuid)
  from public, anon, authenticated;
grant execute on function public.add_member_to_organization(uuid, uuid, uuid),
  public.update_member_role(uuid, uuid, uuid), public.remove_member_from_organization(uuid, uuid),
  public.remove_user_from_organization(uuid, uuid), public.transfer_super_admin(uuid, uuid)
  to authenticated, service_role;
