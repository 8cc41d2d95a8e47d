-- What the caller is, computed from memberships and the closure. Policies call the set-valued
-- functions once per statement inside (select ...); the hook and the functions use the same
-- definitions, so claims and database checks cannot drift.

-- Effective permissions of a role: its own and every role's below it; the root holds every code
-- enabled for its organization (all of the catalogue unless restricted). For each catalogue code,
-- the organization's grants of that code are probed against the role's closure, stopping at the
-- first one below the role: a role with hundreds of roles below it costs a few index probes per
-- code, not a join of its whole subtree with every grant (the claims hook runs this on every
-- token).
create or replace function rbac.role_effective_permissions(p_role_id uuid) returns text[]
language sql stable
security definer -- reads the whole graph of the role's organization
set search_path = ''
as $$
  select coalesce((
    select case
      when r.is_root then rbac.organization_permissions(r.organization_id)
      else array(
        select p.code from rbac.permissions p
        where exists (
          select 1 from rbac.role_permissions rp
          join rbac.role_closure c on c.ancestor_role_id = r.id and c.descendant_role_id = rp.role_id
          where rp.organization_id = r.organization_id and rp.permission = p.code)
        order by p.code)
    end
    from core.roles r where r.id = p_role_id), '{}')
$$;
comment on function rbac.role_effective_permissions(uuid) is
  'The role''s own permissions ∪ those of every role below it; every enabled code for the root role.';

-- The caller's active role in an organization, null when not an active member.
-- The caller's id is wrapped in (select ...) so it is computed once, whatever plan the
-- membership lookup gets.
create or replace function rbac.caller_role_id(p_organization_id uuid) returns uuid
language sql stable
security definer -- memberships are visible to members only; this answers for the caller alone
set search_path = ''
as $$
  select m.role_id
  from core.memberships m
  where m.organization_id = p_organization_id
    and m.user_id = (select core.get_current_user_id())
    and not m.is_deleted
    and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted)
$$;

-- Does the role effectively hold the permission? The same answer as
-- `p_code = any (rbac.role_effective_permissions(p_role_id))`, without building the whole set:
-- the role's own grants are probed first, then the grants of the roles below it.
create or replace function rbac.role_has_permission(p_role_id uuid, p_code text) returns boolean
language sql stable
security definer -- reads the whole graph of the role's organization
set search_path = ''
as $$
  select coalesce((
    select case
      when r.is_root then p_code = any (rbac.organization_permissions(r.organization_id))
      else exists (select 1 from rbac.role_permissions rp where rp.role_id = r.id and rp.permission = p_code)
        or exists (select 1 from rbac.role_closure c
                   join rbac.role_permissions rp on rp.role_id = c.descendant_role_id and rp.permission = p_code
                   where c.ancestor_role_id = r.id)
    end
    from core.roles r where r.id = p_role_id), false)
$$;
comment on function rbac.role_has_permission(uuid, text) is
  'True when the permission is among the role''s effective permissions (rbac.role_effective_permissions).';

create or replace function rbac.is_above(p_ancestor_role_id uuid, p_descendant_role_id uuid) returns boolean
language sql stable
security definer -- reads the closure whatever the caller may see
set search_path = ''
as $$
  select p_ancestor_role_id is distinct from p_descendant_role_id and exists (
    select 1 from rbac.role_closure c
    where c.ancestor_role_id = p_ancestor_role_id and c.descendant_role_id = p_descendant_role_id)
$$;
comment on function rbac.is_above(uuid, uuid) is 'True when the first role is a strict ancestor of the second.';

-- True when the caller's role in the role's organization is strictly above the role.
create or replace function rbac.caller_is_above(p_role_id uuid) returns boolean
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select coalesce(rbac.is_above(rbac.caller_role_id(r.organization_id), r.id), false)
  from core.roles r where r.id = p_role_id
$$;

create or replace function rbac.has_permission(p_organization_id uuid, p_code text) returns boolean
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select rbac.role_has_permission(rbac.caller_role_id(p_organization_id), p_code)
$$;
comment on function rbac.has_permission(uuid, text) is 'The caller effectively holds the permission in the organization.';

create or replace function rbac.is_owner(p_organization_id uuid) returns boolean
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select coalesce((select r.is_root from core.roles r where r.id = rbac.caller_role_id(p_organization_id)), false)
$$;
comment on function rbac.is_owner(uuid) is 'The caller holds the organization''s root (owner) role.';

-- Sets for policies, computed once per statement. Each reads the caller's memberships itself
-- (one indexed lookup) instead of calling another helper: a policy pays for every function call
-- of every set on every statement, so these stay one query each.
create or replace function rbac.my_role_ids() returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select array(
    select m.role_id
    from core.memberships m
    where m.user_id = (select core.get_current_user_id()) and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted))
$$;
comment on function rbac.my_role_ids() is 'The caller''s role in each organization where they are an active member.';

create or replace function rbac.my_subordinate_role_ids() returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select array(
    select c.descendant_role_id
    from core.memberships m
    join rbac.role_closure c on c.ancestor_role_id = m.role_id and c.descendant_role_id <> m.role_id
    where m.user_id = (select core.get_current_user_id()) and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted))
$$;
comment on function rbac.my_subordinate_role_ids() is 'Every role strictly below one of the caller''s roles.';

create or replace function rbac.my_organizations_with(p_code text) returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
parallel safe -- reads only: a policy using it does not stop a parallel scan
set search_path = ''
as $$
  select array(
    select m.organization_id
    from core.memberships m
    where m.user_id = (select core.get_current_user_id()) and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted)
      and rbac.role_has_permission(m.role_id, p_code))
$$;
comment on function rbac.my_organizations_with(text) is 'Organizations where the caller effectively holds the permission.';

revoke all on function rbac.role_effective_permissions(uuid), rbac.role_has_permission(uuid, text), rbac.caller_role_id(uuid),
  rbac.is_above(uuid, uuid), rbac.caller_is_above(uuid), rbac.has_permission(uuid, text),
  rbac.is_owner(uuid), rbac.my_role_ids(), rbac.my_subordinate_role_ids(),
  rbac.my_organizations_with(text) from public;
grant execute on function rbac.role_effective_permissions(uuid), rbac.role_has_permission(uuid, text), rbac.caller_role_id(uuid),
  rbac.is_above(uuid, uuid), rbac.caller_is_above(uuid), rbac.has_permission(uuid, text),
  rbac.is_owner(uuid), rbac.my_role_ids(), rbac.my_subordinate_role_ids(),
  rbac.my_organizations_with(text) to authenticated, service_role;
