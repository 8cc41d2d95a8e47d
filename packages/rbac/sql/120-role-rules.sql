-- The rules of SPEC §4.2 enforced on the tables themselves, for every write a user makes
-- (functions included). Writes without a user (service role, operators) are trusted.

create or replace function rbac.guard_role() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.organization_id <> old.organization_id then
      raise exception 'A role cannot move to another organization' using errcode = 'P0001';
    end if;
    if new.is_root <> old.is_root then
      raise exception 'The root role cannot be changed into another role, nor a role into the root'
        using errcode = 'P0001';
    end if;
  end if;
  if tg_op = 'INSERT' and new.is_root
     and exists (select 1 from core.roles r where r.organization_id = new.organization_id and r.is_root) then
    raise exception 'The organization already has a root role' using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' and old.is_root
     and exists (select 1 from core.organizations o where o.id = old.organization_id) then
    raise exception 'The root role cannot be deleted' using errcode = 'P0001';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger roles_guard before insert or update or delete on core.roles
  for each row execute function rbac.guard_role();

create or replace function rbac.guard_role_permission() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_row rbac.role_permissions := case when tg_op = 'DELETE' then old else new end;
begin
  if exists (select 1 from core.roles r where r.id = v_row.role_id and r.is_root) then
    raise exception 'The root role holds every permission enabled for the organization; its permissions cannot be edited'
      using errcode = 'P0001';
  end if;
  -- The organization's enabled set bounds every grant, whoever writes it; a grant outside the
  -- set (left by a change of the set) may always be removed.
  if tg_op <> 'DELETE' and not (new.permission = any (rbac.organization_permissions(new.organization_id))) then
    raise exception 'The permission % is not enabled for this organization', new.permission
      using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' and not (old.permission = any (rbac.organization_permissions(old.organization_id))) then
    return old;
  end if;
  if core.get_current_user_id() is null then
    return v_row;
  end if;
  if not rbac.caller_is_above(v_row.role_id)
     or (tg_op = 'UPDATE' and not rbac.caller_is_above(old.role_id)) then
    raise exception 'You can only change the permissions of roles below your own' using errcode = '42501';
  end if;
  if tg_op <> 'DELETE'
     and not (new.permission = any (rbac.role_effective_permissions(rbac.caller_role_id(new.organization_id)))) then
    raise exception 'You cannot grant a permission you do not hold: %', new.permission using errcode = '42501';
  end if;
  return v_row;
end
$$;
create trigger role_permissions_guard before insert or update or delete on rbac.role_permissions
  for each row execute function rbac.guard_role_permission();

revoke all on function rbac.guard_role(), rbac.guard_role_permission() from public;

-- The root role of a new organization; used by provisioning and by create_organization.
create or replace function rbac.create_root_role(
  p_organization_id uuid, p_name text default 'Owner', p_label text default null
) returns uuid
language plpgsql
security definer -- creates the role row, which callers cannot write directly
set search_path = ''
as $$
declare
  v_role_id uuid;
begin
  insert into core.roles (organization_id, name, label, is_root)
  values (p_organization_id, p_name, coalesce(p_label, p_name), true)
  returning id into v_role_id;
  return v_role_id;
end
$$;
revoke all on function rbac.create_root_role(uuid, text, text) from public;
