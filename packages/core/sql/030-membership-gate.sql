-- The membership gate (SPEC §4.1, §4.4): the caller's organizations, computed once per
-- statement. Policies use it as `organization_id = any ((select core.my_organization_ids())::uuid[])`,
-- which PostgreSQL evaluates as one InitPlan, so the per-row cost is an array lookup whatever
-- the table size or the number of the caller's organizations.

-- security definer: it reads core.memberships, whose own policy uses this function; running
-- as the owner avoids the recursion. It only ever returns the caller's own organizations.
create or replace function core.my_organization_ids() returns uuid[]
language plpgsql stable
security definer
parallel safe -- reads only: a policy using it does not stop a parallel scan
set search_path = ''
as $$
begin
  -- The caller's id in (select ...): computed once, whatever plan the lookup gets.
  return array(
    select m.organization_id
    from core.memberships m
    where m.user_id = (select core.get_current_user_id())
      and not m.is_deleted
      and not exists (select 1 from core.organizations o where o.id = m.organization_id and o.is_deleted)
  );
end
$$;
comment on function core.my_organization_ids() is
  'Organizations where the caller is an active member (neither membership nor organization soft-deleted).';

-- security definer: same reason as above, for unit memberships.
create or replace function core.my_unit_ids() returns uuid[]
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  return coalesce((
    select array_agg(um.unit_id)
    from core.unit_memberships um
    join core.units u on u.id = um.unit_id
    where um.user_id = core.get_current_user_id()
      and not um.is_deleted
      and not u.is_deleted
      and um.organization_id = any (core.my_organization_ids())
  ), '{}');
end
$$;
comment on function core.my_unit_ids() is 'Units where the caller is an active member.';

revoke all on function core.my_organization_ids(), core.my_unit_ids() from public;
grant execute on function core.my_organization_ids(), core.my_unit_ids() to authenticated, service_role;
