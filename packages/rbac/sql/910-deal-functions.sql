-- Deal functions run as the caller (security invoker): the policies of app.deals decide.

create or replace function public.create_deal(
  p_org_id uuid, p_title text, p_visibility text default 'private', p_amount numeric default null
) returns app.deals
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_deal app.deals;
begin
  if rbac.caller_role_id(p_org_id) is null then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  if not rbac.has_permission(p_org_id, 'deals.create') then
    raise exception 'Missing permission deals.create' using errcode = '42501';
  end if;
  insert into app.deals (organization_id, title, visibility, amount, owner_id, owner_role_id)
  values (p_org_id, btrim(p_title), coalesce(p_visibility, 'private'), p_amount,
          core.get_current_user_id(), rbac.caller_role_id(p_org_id))
  returning * into v_deal;
  return v_deal;
end
$$;

create or replace function public.update_deal(
  p_id uuid, p_title text default null, p_amount numeric default null,
  p_stage text default null, p_visibility text default null
) returns app.deals
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_deal app.deals;
begin
  update app.deals d set
    title = coalesce(btrim(p_title), d.title),
    amount = coalesce(p_amount, d.amount),
    stage = coalesce(p_stage, d.stage),
    visibility = coalesce(p_visibility, d.visibility)
  where d.id = p_id and not d.is_deleted
  returning * into v_deal;
  if v_deal.id is null then
    raise exception 'Deal not found or not editable by you' using errcode = 'PT404';
  end if;
  return v_deal;
end
$$;

-- security definer: a soft-deleted row no longer passes the select policy, and PostgreSQL checks
-- the new row of an update against it, so an invoker update could never soft-delete. The
-- access engine decides here instead, exactly as the policies would.
create or replace function public.delete_deal(p_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_deal app.deals;
begin
  select * into v_deal from app.deals d where d.id = p_id and not d.is_deleted for update;
  if v_deal.id is null
     or not rbac.check_resource_access(v_deal.organization_id, v_deal.visibility, v_deal.owner_id,
                                       v_deal.owner_role_id, 'deals', 'read') then
    raise exception 'Deal not found' using errcode = 'PT404';
  end if;
  if not rbac.check_resource_access(v_deal.organization_id, v_deal.visibility, v_deal.owner_id,
                                    v_deal.owner_role_id, 'deals', 'delete') then
    raise exception 'You cannot delete this deal' using errcode = '42501';
  end if;
  update app.deals d set is_deleted = true where d.id = p_id;
end
$$;

create or replace function public.get_deal(p_id uuid) returns app.deals
language sql stable
security invoker
set search_path = ''
as $$ select * from app.deals d where d.id = p_id $$;

-- A page of the deals the caller may read, newest first; p_visibility narrows it to one
-- visibility (an unknown value matches no deal). Plain SQL so the planner inlines it and the
-- policies of app.deals walk the (organization_id, created_at) index.
create or replace function public.list_deals(
  p_org_id uuid, p_limit integer default 50, p_offset integer default 0, p_search text default null,
  p_visibility text default null
) returns setof app.deals
language sql stable
security invoker
set search_path = ''
as $$
  select * from app.deals d
  where d.organization_id = p_org_id
    and (p_search is null or d.title ilike '%' || p_search || '%')
    and (p_visibility is null or d.visibility = p_visibility)
  order by d.created_at desc, d.id
  limit least(greatest(coalesce(p_limit, 50), 1), 500) offset greatest(coalesce(p_offset, 0), 0)
$$;

revoke all on function public.create_deal(uuid, text, text, numeric),
  public.update_deal(uuid, text, numeric, text, text), public.delete_deal(uuid),
  public.get_deal(uuid), public.list_deals(uuid, integer, integer, text, text) from public, anon, authenticated;
grant execute on function public.create_deal(uuid, text, text, numeric),
  public.update_deal(uuid, text, numeric, text, text), public.delete_deal(uuid),
  public.get_deal(uuid), public.list_deals(uuid, integer, integer, text, text) to authenticated, service_role;
