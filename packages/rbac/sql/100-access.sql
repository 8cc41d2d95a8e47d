-- What the caller is, computed from memberships and the closure. Policies call the set-valued
-- functions once per statement inside (select ...); the hook and the functions use the same
-- definitions, so claims and database checks cannot drift.

-- Effective permissions of a role: its own and every role's below it; the root holds every code
-- enabled for its organization (all of the catalogue unless restricted).
create or replace function rbac.role_effective_permissions(p_role_id uuid) returns text[]
language sql stable
security definer -- reads the whole graph of the role's organization
set search_path = ''
as $$
  select case
    when (select r.is_root from core.roles r where r.id = p_role_id) then
      (select rbac.organization_permissions(r.organization_id) from core.roles r where r.id = p_role_id)
    else
      (select coalesce(array_agg(distinct rp.permission order by rp.permission), '{}')
       from rbac.role_closure c
       join rbac.role_permissions rp on rp.role_id = c.descendant_role_id
       where c.ancestor_role_id = p_role_id)
  end
$$;
comment on function rbac.role_effective_permissions(uuid) is
  'The role''s own permissions ∪ those of every role below it; every enabled code for the root role.';

-- The caller's active role in an organization, null when not an active member.
create or replace function rbac.caller_role_id(p_organization_id uuid) returns uuid
language sql stable
security definer -- memberships are visible to members only; this answers for the caller alone
set search_path = ''
as $$
  select m.role_id
  from core.memberships m
  join core.organizations o on o.id = m.organization_id and not o.is_deleted
  where m.organization_id = p_organization_id
    and m.user_id = core.get_current_user_id()
    and not m.is_deleted
$$;

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
  select coalesce(p_code = any (rbac.role_effective_permissions(rbac.caller_role_id(p_organization_id))), false)
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

-- Sets for policies, computed once per statement.
create or replace function rbac.my_role_ids() returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select coalesce(array_agg(m.role_id), '{}')
  from core.memberships m
  join core.organizations o on o.id = m.organization_id and not o.is_deleted
  where m.user_id = core.get_current_user_id() and not m.is_deleted
$$;
comment on function rbac.my_role_ids() is 'The caller''s role in each organization where they are an active member.';

create or replace function rbac.my_subordinate_role_ids() returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select coalesce(array_agg(c.descendant_role_id), '{}')
  from rbac.role_closure c
  where c.ancestor_role_id = any (rbac.my_role_ids())
    and c.descendant_role_id <> c.ancestor_role_id
$$;
comment on function rbac.my_subordinate_role_ids() is 'Every role strictly below one of the caller''s roles.';

create or replace function rbac.my_organizations_with(p_code text) returns uuid[]
language sql stable
security definer -- see rbac.caller_role_id
set search_path = ''
as $$
  select coalesce(array_agg(r.organization_id), '{}')
  from core.roles r
  where r.id = any (rbac.my_role_ids())
    and p_code = any (rbac.role_effective_permissions(r.id))
$$;
comment on function rbac.my_organizations_with(text) is 'Organizations where the caller effectively holds the permission.';

revoke all on function rbac.role_effective_permissions(uuid), rbac.caller_role_id(uuid),
  rbac.is_above(uuid, uuid), rbac.caller_is_above(uuid), rbac.has_permission(uuid, text),
  rbac.is_owner(uuid), rbac.my_role_ids(), rbac.my_subordinate_role_ids(),
  rbac.my_organizations_with(text) from public;
grant execute on function rbac.role_effective_permissions(uuid), rbac.caller_role_id(uuid),
  rbac.is_above(uuid, uuid), rbac.caller_is_above(uuid), rbac.has_permission(uuid, text),
  rbac.is_owner(uuid), rbac.my_role_ids(), rbac.my_subordinate_role_ids(),
  rbac.my_organizations_with(text) to authenticated, service_role;
