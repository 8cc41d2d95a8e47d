create table rbac.role_permissions (
  organization_id uuid not null,
  role_id uuid not null,
  permission text not null references rbac.permissions (code) on delete cascade,
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (role_id, permission),
  constraint role_permissions_role_fkey foreign key (organization_id, role_id)
    references core.roles (organization_id, id) on delete cascade
);
create index role_permissions_organization_id_idx on rbac.role_permissions (organization_id);
-- Who holds a code in an organization: rbac.role_effective_permissions probes it per code.
create index role_permissions_organization_permission_idx on rbac.role_permissions (organization_id, permission);
comment on table rbac.role_permissions is
  'Permissions granted to a role itself. Effective permissions add everything below the role; the root holds all.';

alter table rbac.role_permissions enable row level security;
revoke all on rbac.role_permissions from public, anon, authenticated;
grant select on rbac.role_permissions to authenticated;
grant all on rbac.role_permissions to service_role;
create policy role_permissions_select on rbac.role_permissions for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

create trigger role_permissions_audit after insert or update or delete on rbac.role_permissions
  for each row execute function utils.audit();
