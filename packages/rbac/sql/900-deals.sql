-- app.deals: the sample record type. Its policies are the access engine over the caller's sets,
-- each computed once per statement (an InitPlan, or a hashed SubPlan built once), so a page of
-- deals costs a hash or array lookup per row, whatever the depth of the role graph or the
-- number of the caller's organizations. The role and permission sets are hashed subplans on
-- purpose: PostgreSQL cannot estimate `= any (<array from an InitPlan>)` and guesses so few rows
-- that it sorts a whole organization instead of walking the (organization_id, created_at) index
-- for a page; a subplan keeps its estimate neutral (see docs/benchmarks.md).

create table app.deals (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  title text not null,
  amount numeric(14, 2),
  stage text not null default 'lead',
  visibility text not null default 'private',
  owner_id uuid not null,
  owner_role_id uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  constraint deals_title_length check (char_length(btrim(title)) between 1 and 200),
  constraint deals_amount_check check (amount is null or amount >= 0),
  constraint deals_stage_check check (stage in ('lead', 'qualified', 'proposal', 'won', 'lost')),
  constraint deals_visibility_check check (visibility in ('private', 'controlled', 'public')),
  constraint deals_owner_role_fkey foreign key (organization_id, owner_role_id)
    references core.roles (organization_id, id),
  constraint deals_organization_id_id_key unique (organization_id, id)
);
create index deals_organization_id_idx on app.deals (organization_id, created_at desc) where not is_deleted;
create index deals_owner_id_idx on app.deals (owner_id);
create index deals_owner_role_id_idx on app.deals (owner_role_id);
comment on table app.deals is 'Sample record type protected by the access engine (private / controlled / public).';

alter table app.deals enable row level security;
revoke all on app.deals from public, anon, authenticated;
grant select, insert, update on app.deals to authenticated;
grant all on app.deals to service_role;

create policy deals_select on app.deals for select to authenticated
  using (
    not is_deleted
    and (
      (owner_id = (select core.get_current_user_id())
        and organization_id = any ((select core.my_organization_ids())::uuid[]))
      or (visibility = 'controlled'
        and owner_role_id in (select unnest(rbac.my_subordinate_role_ids())))
      or (visibility = 'public'
        and organization_id in (select unnest(rbac.my_organizations_with('deals.read'))))
    )
  );

create policy deals_insert on app.deals for insert to authenticated
  with check (
    organization_id = any ((select rbac.my_organizations_with('deals.create'))::uuid[])
    and owner_id = (select core.get_current_user_id())
    and owner_role_id = any ((select rbac.my_role_ids())::uuid[])
  );

-- A soft delete is an update: holders of update or delete access reach the row here, and the
-- guard trigger tells the two apart.
create policy deals_update on app.deals for update to authenticated
  using (
    (owner_id = (select core.get_current_user_id())
      and organization_id = any ((select core.my_organization_ids())::uuid[]))
    or (visibility = 'controlled'
      and owner_role_id in (select unnest(rbac.my_subordinate_role_ids())))
    or (visibility = 'public'
      and organization_id in (select unnest(rbac.my_organizations_with('deals.update') || rbac.my_organizations_with('deals.delete'))))
  )
  with check (organization_id = any ((select core.my_organization_ids())::uuid[]));

-- The engine's write rules (stamped owner, fixed owner and organization, visibility, update and
-- delete access): the trigger every record table shares.
create trigger deals_guard before insert or update on app.deals
  for each row execute function rbac.guard_record('deals', 'deal');
create trigger deals_touch before insert or update on app.deals
  for each row execute function utils.touch();
create trigger deals_soft_delete before update on app.deals
  for each row execute function utils.soft_delete();
create trigger deals_audit after insert or update or delete on app.deals
  for each row execute function utils.audit();
