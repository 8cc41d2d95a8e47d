create table rbac.role_edges (
  organization_id uuid not null,
  parent_role_id uuid not null,
  child_role_id uuid not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (parent_role_id, child_role_id),
  -- Both ends in the same organization: enforced by the keys, not by a check.
  constraint role_edges_parent_fkey foreign key (organization_id, parent_role_id)
    references core.roles (organization_id, id) on delete cascade,
  constraint role_edges_child_fkey foreign key (organization_id, child_role_id)
    references core.roles (organization_id, id) on delete cascade,
  constraint role_edges_no_self_loop check (parent_role_id <> child_role_id)
);
create index role_edges_child_role_id_idx on rbac.role_edges (child_role_id);
create index role_edges_organization_id_idx on rbac.role_edges (organization_id);
comment on table rbac.role_edges is 'Parent → child edges of the role DAG. The root role has no parent; every other role has one or more.';

create table rbac.role_closure (
  organization_id uuid not null,
  ancestor_role_id uuid not null,
  descendant_role_id uuid not null,
  primary key (ancestor_role_id, descendant_role_id),
  constraint role_closure_ancestor_fkey foreign key (organization_id, ancestor_role_id)
    references core.roles (organization_id, id) on delete cascade,
  constraint role_closure_descendant_fkey foreign key (organization_id, descendant_role_id)
    references core.roles (organization_id, id) on delete cascade
);
create index role_closure_descendant_role_id_idx on rbac.role_closure (descendant_role_id, ancestor_role_id);
comment on table rbac.role_closure is
  'Every (ancestor, descendant) pair reachable in the DAG, including each role with itself. Maintained incrementally.';

alter table rbac.role_edges enable row level security;
alter table rbac.role_closure enable row level security;
revoke all on rbac.role_edges, rbac.role_closure from public, anon, authenticated;
grant select on rbac.role_edges, rbac.role_closure to authenticated;
grant all on rbac.role_edges, rbac.role_closure to service_role;
create policy role_edges_select on rbac.role_edges for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));
create policy role_closure_select on rbac.role_closure for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

-- Graph changes of one organization are serialized: two transactions adding edges can never
-- together create a cycle that neither saw.
create or replace function rbac.lock_graph(p_organization_id uuid) returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('rbac.graph:' || p_organization_id::text, 0))
$$;
comment on function rbac.lock_graph(uuid) is 'Transaction-scoped lock on an organization''s role graph.';

-- Each role reaches itself.
create or replace function rbac.on_role_insert() returns trigger
language plpgsql
security definer -- writes rbac.role_closure, which callers cannot write
set search_path = ''
as $$
begin
  insert into rbac.role_closure (organization_id, ancestor_role_id, descendant_role_id)
  values (new.organization_id, new.id, new.id);
  return null;
end
$$;
create trigger roles_closure_self after insert on core.roles
  for each row execute function rbac.on_role_insert();

create or replace function rbac.on_edge_insert() returns trigger
language plpgsql
security definer -- maintains rbac.role_closure, which callers cannot write
set search_path = ''
as $$
begin
  perform rbac.lock_graph(new.organization_id);
  if exists (select 1 from core.roles r where r.id = new.child_role_id and r.is_root) then
    raise exception 'The root role cannot have a parent' using errcode = 'P0001';
  end if;
  if exists (
    select 1 from rbac.role_closure c
    where c.ancestor_role_id = new.child_role_id and c.descendant_role_id = new.parent_role_id
  ) then
    raise exception 'This edge would create a cycle in the role hierarchy' using errcode = 'P0001';
  end if;
  insert into rbac.role_closure (organization_id, ancestor_role_id, descendant_role_id)
  select new.organization_id, a.ancestor_role_id, d.descendant_role_id
  from rbac.role_closure a
  join rbac.role_closure d on d.ancestor_role_id = new.child_role_id
  where a.descendant_role_id = new.parent_role_id
  on conflict do nothing;
  return null;
end
$$;
create trigger role_edges_closure_insert after insert on rbac.role_edges
  for each row execute function rbac.on_edge_insert();

-- Removing parent → child only changes pairs (a, d) where d is the child or below it (set S)
-- and a is outside S; pairs inside S cannot use the removed edge. Those pairs are dropped and
-- re-derived from the remaining edges entering S, whose ancestors' closure is unaffected.
create or replace function rbac.on_edge_delete() returns trigger
language plpgsql
security definer -- maintains rbac.role_closure, which callers cannot write
set search_path = ''
as $$
declare
  v_below uuid[];
begin
  perform rbac.lock_graph(old.organization_id);
  select array_agg(c.descendant_role_id) into v_below
  from rbac.role_closure c where c.ancestor_role_id = old.child_role_id;
  if v_below is null then
    return null; -- the child role itself is being deleted
  end if;
  delete from rbac.role_closure c
  where c.descendant_role_id = any (v_below) and not (c.ancestor_role_id = any (v_below));
  insert into rbac.role_closure (organization_id, ancestor_role_id, descendant_role_id)
  select distinct old.organization_id, a.ancestor_role_id, d.descendant_role_id
  from rbac.role_edges e
  join rbac.role_closure a on a.descendant_role_id = e.parent_role_id
  join rbac.role_closure d on d.ancestor_role_id = e.child_role_id
  where e.child_role_id = any (v_below)
    and not (e.parent_role_id = any (v_below))
    and d.descendant_role_id = any (v_below)
  on conflict do nothing;
  return null;
end
$$;
create trigger role_edges_closure_delete after delete on rbac.role_edges
  for each row execute function rbac.on_edge_delete();

-- Every non-root role keeps a parent, checked at commit so a role and its first edge can be
-- created in either order within one transaction.
create or replace function rbac.check_role_has_parent() returns trigger
language plpgsql
security definer -- reads the graph whatever the caller may see
set search_path = ''
as $$
declare
  v_role_id uuid;
begin
  if tg_table_name = 'roles' then
    v_role_id := new.id;
  else
    v_role_id := old.child_role_id;
  end if;
  if exists (select 1 from core.roles r where r.id = v_role_id and not r.is_root)
     and not exists (select 1 from rbac.role_edges e where e.child_role_id = v_role_id) then
    raise exception 'Every role except the root role needs a parent role' using errcode = 'P0001';
  end if;
  return null;
end
$$;
create constraint trigger roles_need_parent after insert on core.roles
  deferrable initially deferred for each row execute function rbac.check_role_has_parent();
create constraint trigger role_edges_keep_parent after delete on rbac.role_edges
  deferrable initially deferred for each row execute function rbac.check_role_has_parent();

revoke all on function rbac.lock_graph(uuid), rbac.on_role_insert(), rbac.on_edge_insert(),
  rbac.on_edge_delete(), rbac.check_role_has_parent() from public;
