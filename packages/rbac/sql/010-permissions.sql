create table rbac.permissions (
  code text primary key,
  description text not null,
  constraint permissions_code_format check (code ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$')
);
comment on table rbac.permissions is
  'Global catalogue of permission codes `<resource>.<action>`. Apps add their codes in their own migrations.';

alter table rbac.permissions enable row level security;
revoke all on rbac.permissions from public, anon, authenticated;
grant select on rbac.permissions to authenticated;
grant all on rbac.permissions to service_role;
create policy permissions_select on rbac.permissions for select to authenticated using (true);

insert into rbac.permissions (code, description) values
  ('organization.update', 'Edit the organization''s name, description and settings'),
  ('organization.delete', 'Delete the organization'),
  ('members.read', 'See the members of the organization'),
  ('members.invite', 'Invite people to roles below one''s own'),
  ('members.manage', 'Add, re-role and remove members with roles below one''s own'),
  ('roles.manage', 'Create, edit, re-parent and delete roles below one''s own'),
  ('units.manage', 'Create, edit and delete units and their members'),
  ('audit.read', 'Read the audit log'),
  ('billing.read', 'See the plan and invoices'),
  ('billing.manage', 'Change the plan, seats and payment details'),
  ('files.read', 'Read organization files'),
  ('files.manage', 'Upload, change and delete organization files'),
  ('secrets.manage', 'Create, list and delete organization secrets'),
  ('deals.create', 'Create deals'),
  ('deals.read', 'Read public deals of others'),
  ('deals.update', 'Update public deals of others'),
  ('deals.delete', 'Delete public deals of others')
on conflict (code) do nothing;
