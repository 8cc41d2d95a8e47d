create table core.unit_memberships (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  unit_id uuid not null,
  user_id uuid not null,
  role_id uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  constraint unit_memberships_unit_fkey foreign key (organization_id, unit_id)
    references core.units (organization_id, id) on delete cascade,
  constraint unit_memberships_role_fkey foreign key (organization_id, role_id)
    references core.roles (organization_id, id),
  constraint unit_memberships_member_fkey foreign key (organization_id, user_id)
    references core.memberships (organization_id, user_id) on delete cascade,
  constraint unit_memberships_unit_id_user_id_key unique (unit_id, user_id)
);
create index unit_memberships_user_id_idx on core.unit_memberships (user_id) where not is_deleted;
create index unit_memberships_organization_id_idx on core.unit_memberships (organization_id);
comment on table core.unit_memberships is
  'Members of a unit, each with a role of the same organization; only organization members can join.';

alter table core.unit_memberships enable row level security;
revoke all on core.unit_memberships from public, anon, authenticated;
grant select on core.unit_memberships to authenticated;
grant all on core.unit_memberships to service_role;

create policy unit_memberships_select on core.unit_memberships for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]) and not is_deleted);

create trigger unit_memberships_touch before insert or update on core.unit_memberships
  for each row execute function utils.touch();
create trigger unit_memberships_soft_delete before update on core.unit_memberships
  for each row execute function utils.soft_delete();
create trigger unit_memberships_audit after insert or update or delete on core.unit_memberships
  for each row execute function utils.audit();
