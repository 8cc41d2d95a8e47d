-- The audit trail of an organization, for holders of audit.read, with SMTA's fields: summary
-- (what happened, without values) and metadata (the changed values). Entries about a record —
-- a row of a registered record table, or a file attached to one — carry values only for callers
-- who can read that record now; everyone else sees that the change happened.

create or replace function public.get_audit_log(p_org_id uuid, p_limit integer default 100)
returns table (id uuid, actor_id uuid, target_table text, target_id uuid, action text, summary text,
  metadata jsonb, created_at timestamptz, actor_email text, changes jsonb)
language plpgsql stable
security definer -- the trail has no policy for members; audit.read and record access are checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'audit.read');
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'p_limit must be between 1 and 1000' using errcode = '22023';
  end if;
  return query
  with entries as (
    select a.*,
      coalesce(f.record_table, rt.record_table) as record_table,
      case when f.id is not null then f.record_id when rt.record_table is not null then a.target_id end as record_id
    from core.audit_logs a
    left join core.organization_files f on a.target_table = 'core.organization_files' and f.id = a.target_id
    left join rbac.record_types rt on rt.record_table = a.target_table
    where a.organization_id = p_org_id
    order by a.created_at desc, a.id
    limit p_limit
  ), readable as (
    -- One engine call per record table among these entries, not one per entry.
    select g.record_table, unnest(rbac.readable_record_ids(g.record_table, g.ids)) as record_id
    from (select e.record_table, array_agg(distinct e.record_id) as ids from entries e
          where e.record_id is not null group by e.record_table) g
  ), shown as (
    select e.*,
      e.record_id is null or exists (select 1 from readable r
                                     where r.record_table = e.record_table and r.record_id = e.record_id) as visible
    from entries e
  )
  select s.id, s.actor_id, s.target_table, s.target_id, s.action,
    s.action || ' ' || s.target_table || case
      when s.visible and s.action = 'update' then
        ': ' || (select string_agg(k, ', ' order by k) from jsonb_object_keys(s.changes) k)
      else '' end,
    case when s.visible then s.changes end,
    s.created_at, um.email,
    case when s.visible then s.changes end
  from shown s left join core.users_meta um on um.user_id = s.actor_id
  order by s.created_at desc, s.id;
end
$$;
comment on function public.get_audit_log(uuid, integer) is
  'Audit entries of an organization (audit.read); metadata (= changes) only where the caller can read the entry''s record.';
revoke all on function public.get_audit_log(uuid, integer) from public, anon, authenticated;
grant execute on function public.get_audit_log(uuid, integer) to authenticated, service_role;

-- The audit page: one page of entries, filtered by actor, target table and time, with what an
-- app needs to write each entry as a sentence — the actor's name, a label for the target (the
-- member, role, unit, invitation email, file or record title) and the names of the people,
-- roles and units the changes refer to. Values and record titles follow the same rule as
-- get_audit_log: only for callers who can read the entry's record now.
create or replace function public.list_audit_entries(
  p_org_id uuid, p_limit integer default 50, p_offset integer default 0, p_actor_id uuid default null,
  p_target_table text default null, p_from timestamptz default null, p_to timestamptz default null
) returns table (id uuid, actor_id uuid, actor_name text, actor_email text, target_table text, target_id uuid,
  target_label text, action text, changes jsonb, names jsonb, created_at timestamptz)
language plpgsql stable
security definer -- the trail has no policy for members; audit.read and record access are checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'audit.read');
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception 'p_limit must be between 1 and 200' using errcode = '22023';
  end if;
  if p_offset is null or p_offset not between 0 and 100000 then
    raise exception 'p_offset must be between 0 and 100000' using errcode = '22023';
  end if;
  if p_target_table is not null and p_target_table !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' then
    raise exception 'p_target_table must be a table name such as app.deals' using errcode = '22023';
  end if;
  if p_from is not null and p_to is not null and p_from > p_to then
    raise exception 'The start of the period must not be after its end' using errcode = '22023';
  end if;
  return query
  with entries as (
    select a.*,
      coalesce(f.record_table, rt.record_table) as record_table,
      case when f.id is not null then f.record_id when rt.record_table is not null then a.target_id end as record_id
    from core.audit_logs a
    left join core.organization_files f on a.target_table = 'core.organization_files' and f.id = a.target_id
    left join rbac.record_types rt on rt.record_table = a.target_table
    where a.organization_id = p_org_id
      and (p_actor_id is null or a.actor_id = p_actor_id)
      and (p_target_table is null or a.target_table = p_target_table)
      and (p_from is null or a.created_at >= p_from)
      and (p_to is null or a.created_at < p_to)
    order by a.created_at desc, a.id
    limit p_limit offset p_offset
  ), readable as (
    -- One engine call per record table among these entries, not one per entry.
    select g.record_table, unnest(rbac.readable_record_ids(g.record_table, g.ids)) as record_id
    from (select e.record_table, array_agg(distinct e.record_id) as ids from entries e
          where e.record_id is not null group by e.record_table) g
  ), shown as (
    select e.*,
      e.record_id is null or exists (select 1 from readable r
                                     where r.record_table = e.record_table and r.record_id = e.record_id) as visible
    from entries e
  ), refs as (
    -- Ids of people, roles and units that the entries mention, by kind.
    select distinct s.id as entry_id, k.kind, v.value as ref_id
    from shown s
    cross join lateral (values
      ('user', 'user_id'), ('user', 'owner_id'), ('user', 'invited_by'), ('user', 'accepted_by'),
      ('role', 'role_id'), ('role', 'parent_role_id'), ('role', 'child_role_id'), ('role', 'owner_role_id'),
      ('unit', 'unit_id')) as k(kind, col)
    cross join lateral (
      select s.changes ->> k.col as value where jsonb_typeof(s.changes -> k.col) = 'string'
      union all select s.changes -> k.col ->> 'old' where jsonb_typeof(s.changes -> k.col) = 'object'
      union all select s.changes -> k.col ->> 'new' where jsonb_typeof(s.changes -> k.col) = 'object') v
    where s.visible and v.value ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  ), ref_names as (
    select r.entry_id, jsonb_object_agg(r.ref_id, case r.kind
        when 'user' then (select coalesce(nullif(btrim(coalesce(um.first_name, '') || ' ' || coalesce(um.last_name, '')), ''),
                                          um.email)
                          from core.users_meta um where um.user_id = r.ref_id::uuid)
        when 'role' then (select coalesce(ro.label, ro.name) from core.roles ro
                          where ro.id = r.ref_id::uuid and ro.organization_id = p_org_id)
        when 'unit' then (select u.name from core.units u where u.id = r.ref_id::uuid and u.organization_id = p_org_id)
      end) filter (where r.ref_id is not null) as names
    from refs r group by r.entry_id
  ), record_titles as (
    -- Titles of readable records (a record table's title or name column).
    select r.record_table, r.record_id,
      rbac.record_title(r.record_table, r.record_id) as title
    from readable r
  )
  select s.id, s.actor_id,
    nullif(btrim(coalesce(actor.first_name, '') || ' ' || coalesce(actor.last_name, '')), ''),
    actor.email, s.target_table, s.target_id,
    case
      when s.record_table is not null then
        case when s.visible then (select t.title from record_titles t
                                  where t.record_table = s.record_table and t.record_id = s.record_id) end
      when s.target_table = 'core.memberships' then
        (select coalesce(nullif(btrim(coalesce(um.first_name, '') || ' ' || coalesce(um.last_name, '')), ''), um.email)
         from core.memberships m join core.users_meta um on um.user_id = m.user_id where m.id = s.target_id)
      when s.target_table = 'core.unit_memberships' then
        (select coalesce(nullif(btrim(coalesce(um.first_name, '') || ' ' || coalesce(um.last_name, '')), ''), um.email)
         from core.unit_memberships m join core.users_meta um on um.user_id = m.user_id where m.id = s.target_id)
      when s.target_table = 'core.roles' then
        (select coalesce(ro.label, ro.name) from core.roles ro where ro.id = s.target_id)
      when s.target_table = 'core.units' then (select u.name from core.units u where u.id = s.target_id)
      when s.target_table = 'core.invitations' then (select i.email from core.invitations i where i.id = s.target_id)
      when s.target_table = 'core.organizations' then (select o.name from core.organizations o where o.id = s.target_id)
    end,
    s.action,
    case when s.visible then s.changes end,
    coalesce((select n.names from ref_names n where n.entry_id = s.id), '{}'),
    s.created_at
  from shown s left join core.users_meta actor on actor.user_id = s.actor_id
  order by s.created_at desc, s.id;
end
$$;
comment on function public.list_audit_entries(uuid, integer, integer, uuid, text, timestamptz, timestamptz) is
  'A page of audit entries (audit.read), filtered by actor, target table and [p_from, p_to), with labels for sentences; values only where the caller can read the record.';
revoke all on function public.list_audit_entries(uuid, integer, integer, uuid, text, timestamptz, timestamptz)
  from public, anon, authenticated;
grant execute on function public.list_audit_entries(uuid, integer, integer, uuid, text, timestamptz, timestamptz)
  to authenticated, service_role;
