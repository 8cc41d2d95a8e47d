-- The access engine (SPEC §4.3): the single definition of record access. For a member of the
-- record's organization:
--   private    → owner only
--   controlled → owner, or a role strictly above the owner's role
--   public     → owner, or holders of <resource>.<operation>
-- rbac.check_resource_access answers for one record (functions, storage); the RLS policies of
-- app tables use the same three conditions over sets computed once per statement.

create or replace function rbac.check_resource_access(
  p_organization_id uuid, p_visibility text, p_owner_id uuid, p_owner_role_id uuid,
  p_resource text, p_operation text
) returns boolean
language sql stable
security definer -- reads the caller's memberships and the closure
set search_path = ''
as $$
  -- One lookup of the caller's membership in the record's organization; no membership, no row,
  -- no access.
  select coalesce((
    select case
      when p_owner_id = m.user_id then true
      -- rbac.is_above, inline: a strict ancestor of the owner's role in the closure.
      when p_visibility = 'controlled' then m.role_id is distinct from p_owner_role_id and exists (
        select 1 from rbac.role_closure c
        where c.ancestor_role_id = m.role_id and c.descendant_role_id = p_owner_role_id)
      when p_visibility = 'public' then rbac.role_has_permission(m.role_id, p_resource || '.' || p_operation)
      else false
    end
    from core.memberships m
    where p_operation in ('read', 'update', 'delete')
      and m.organization_id = p_organization_id
      and m.user_id = (select core.get_current_user_id())
      and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted)
  ), false)
$$;
comment on function rbac.check_resource_access(uuid, text, uuid, uuid, text, text) is
  'May the caller read/update/delete a record with this organization, visibility, owner and owner role?';

revoke all on function rbac.check_resource_access(uuid, text, uuid, uuid, text, text) from public;
grant execute on function rbac.check_resource_access(uuid, text, uuid, uuid, text, text)
  to authenticated, service_role;
