create table core.roles (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  name text not null,
  label text,
  description text,
  is_root boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint roles_name_format check (name ~ '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$'),
  constraint roles_organization_id_id_key unique (organization_id, id)
);
create unique index roles_name_key on core.roles (organization_id, lower(name));
create unique index roles_one_root_per_organization on core.roles (organization_id) where is_root;
comment on table core.roles is
  'Roles of an organization; they form a DAG in rbac.role_edges. Exactly one root role (the owner role).';
comment on column core.roles.is_root is 'The owner ("super admin") role; above every other role of the organization.';

alter table core.roles enable row level security;
revoke all on core.roles from public, anon, authenticated;
grant select on core.roles to authenticated;
grant all on core.roles to service_role;

create policy roles_select on core.roles for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

create trigger roles_touch before insert or update on core.roles
  for each row execute function utils.touch();
create trigger roles_audit after insert or update or delete on core.roles
  for each row execute function utils.audit();
