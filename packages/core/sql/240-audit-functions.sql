create or replace function public.get_audit_log(p_org_id uuid, p_limit integer default 100)
returns table (id uuid, actor_id uuid, actor_email text, target_table text, target_id uuid, action text,
  changes jsonb, created_at timestamptz)
language plpgsql stable
security definer -- the trail has no policy for members; audit.read is checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'audit.read');
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'p_limit must be between 1 and 1000' using errcode = '22023';
  end if;
  return query
  select a.id, a.actor_id, um.email, a.target_table, a.target_id, a.action, a.changes, a.created_at
  from core.audit_logs a left join core.users_meta um on um.user_id = a.actor_id
  where a.organization_id = p_org_id
  order by a.created_at desc, a.id
  limit p_limit;
end
$$;
revoke all on function public.get_audit_log(uuid, integer) from public, anon, authenticated;
grant execute on function public.get_audit_log(uuid, integer) to authenticated, service_role;
