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
