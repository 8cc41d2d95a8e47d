-- The policy styles of the systems people pick instead of Tenantbase, rebuilt for the bench
-- only (never installed by the product). Each style gets its own copy of app.deals, with the
-- same rows, and the select policy its design publishes; docs/benchmarks.md links each
-- reproduction to its source. What is reproduced is the mechanism: which function runs per row,
-- in which language, as definer or not, with which search_path, and what it reads. Table and
-- column names are Tenantbase's (organization_id for SMTA's organization_id and Basejump's
-- account_id, core.memberships for their membership tables).
--
-- The copies (bench_peers.deals_<style>) and their indexes are created by src/suites/peers.ts;
-- this file holds the functions and is run before the policies are attached.

create schema if not exists bench_peers;
grant usage on schema bench_peers to authenticated, service_role;

-- SMTA (saas-multi-tenant-architecture/saasdb, packages/core/sql/rls/helpers.sql): the canonical
-- gate `is_deleted = false and core.is_org_member(organization_id)`, a SQL function, security
-- definer (to read memberships under their own RLS) with `search_path = core, public`, asking
-- for the caller through core.get_current_user_id(). It decides membership only.
create or replace function bench_peers.smta_is_org_member(p_org_id uuid) returns boolean
language sql stable
security definer
set search_path = core, public
as $$
  select exists (
    select 1 from core.memberships
    where user_id = core.get_current_user_id()
      and organization_id = p_org_id
      and is_deleted = false
  )
$$;

-- Basejump (usebasejump/basejump, supabase/migrations/20240414161947_basejump-accounts.sql):
-- `basejump.has_role_on_account(account_id) = true` on every account-scoped table; a SQL function,
-- security definer, `search_path = public`, reading auth.uid() itself. Membership only. Its
-- optional role argument is left out (the policies measured call it without one), and deleted
-- memberships are skipped (Basejump has no soft delete).
create or replace function bench_peers.basejump_has_role_on_account(account_id uuid) returns boolean
language sql stable
security definer
set search_path = public
as $$
  select exists (
    select 1 from core.memberships wu
    where wu.user_id = auth.uid()
      and wu.organization_id = basejump_has_role_on_account.account_id
      and not wu.is_deleted
  )
$$;

-- SupaMax (DivyeshVora79909/SupaMax, supabase/migrations/04_logic.sql and 05_policies.sql at
-- 61cbd58): every deals policy calls `check_resource_access(tenant_id, visibility, owner_id,
-- owner_role_id, 'dl', <op>)`, a PL/pgSQL security definer function that reads the JWT on each
-- call: it unpacks app_metadata.subordinate_role_ids and app_metadata.permissions into arrays
-- and compares app_metadata.tenant_id. For select it lets PRIVATE and CONTROLLED rows through
-- for the owner or a subordinate role (its subordinate list includes the caller's own role, as
-- its hook reads the closure with the self pair), and PUBLIC rows for holders of the read code.
-- Codes are Tenantbase's (`deals.read` where SupaMax has `dl:r`). Only the select branch is
-- reproduced: the bench reads.
create or replace function bench_peers.supamax_check_resource_access(
  p_tenant_id uuid, p_visibility text, p_owner_id uuid, p_owner_role_id uuid,
  p_resource_prefix text, p_op text
) returns boolean
language plpgsql stable
security definer
set search_path = public
as $$
declare
  v_subordinates uuid[];
  v_permissions text[];
  v_tenant uuid;
begin
  if auth.role() = 'service_role' then
    return true;
  end if;
  v_subordinates := array(select jsonb_array_elements_text(
    coalesce(auth.jwt() -> 'app_metadata' -> 'subordinate_role_ids', '[]'::jsonb)))::uuid[];
  v_permissions := array(select jsonb_array_elements_text(
    coalesce(auth.jwt() -> 'app_metadata' -> 'permissions', '[]'::jsonb)));
  v_tenant := (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid;
  if p_tenant_id is distinct from v_tenant then
    return false;
  end if;
  if p_op = 'select' then
    if p_visibility in ('private', 'controlled') then
      return p_owner_id = auth.uid() or p_owner_role_id = any (v_subordinates);
    end if;
    return (p_resource_prefix || '.read') = any (v_permissions);
  end if;
  return false;
end
$$;

-- A recursive-CTE hierarchy check per row, the pattern of
-- https://devtechtools.org/en/blog/postgres-rls-hierarchical-data-session-caching-pattern
-- ("a naive implementation ... recursive CTE ... for every single row"): the same access rule as
-- Tenantbase, but "is my role above the owner's role" and "do I or a role below me hold the
-- permission" walk the edges from the caller's role for each row instead of reading a closure
-- with sets computed once per statement.
create or replace function bench_peers.cte_can_read(
  p_organization_id uuid, p_visibility text, p_owner_id uuid, p_owner_role_id uuid
) returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select coalesce((
    select case
      when p_owner_id = m.user_id then true
      when p_visibility = 'controlled' then exists (
        with recursive below (role_id) as (
          select e.child_role_id from rbac.role_edges e where e.parent_role_id = m.role_id
          union
          select e.child_role_id from rbac.role_edges e join below b on e.parent_role_id = b.role_id
        )
        select 1 from below where below.role_id = p_owner_role_id)
      when p_visibility = 'public' then r.is_root or exists (
        with recursive down (role_id) as (
          select m.role_id
          union
          select e.child_role_id from rbac.role_edges e join down d on e.parent_role_id = d.role_id
        )
        select 1 from down
        join rbac.role_permissions rp on rp.role_id = down.role_id and rp.permission = 'deals.read')
      else false
    end
    from core.memberships m
    join core.roles r on r.id = m.role_id
    where m.organization_id = p_organization_id
      and m.user_id = auth.uid()
      and not m.is_deleted
  ), false)
$$;

grant execute on all functions in schema bench_peers to authenticated;
