create table core.memberships (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  user_id uuid not null,
  role_id uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  -- The role belongs to the membership's organization: enforced by the key, not by a policy.
  constraint memberships_role_fkey foreign key (organization_id, role_id)
    references core.roles (organization_id, id),
  constraint memberships_organization_id_user_id_key unique (organization_id, user_id)
);
create index memberships_user_id_idx on core.memberships (user_id) where not is_deleted;
create index memberships_role_id_idx on core.memberships (organization_id, role_id);
comment on table core.memberships is
  'One role per user per organization. Changed only through functions that check the role rules.';

alter table core.memberships enable row level security;
revoke all on core.memberships from public, anon, authenticated;
grant select on core.memberships to authenticated;
grant all on core.memberships to service_role;

create policy memberships_select on core.memberships for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]) and not is_deleted);

create trigger memberships_touch before insert or update on core.memberships
  for each row execute function utils.touch();
create trigger memberships_soft_delete before update on core.memberships
  for each row execute function utils.soft_delete();
create trigger memberships_audit after insert or update or delete on core.memberships
  for each row execute function utils.audit();
