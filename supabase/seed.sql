-- Demo data for local development, applied by `pnpm stack:reset` (and `supabase db reset`)
-- after the migrations, as postgres. Every demo account's password is `password123`.
--   owner@acme.test    Owner of Acme (root role)
--   manager@acme.test  Manager (invites, manages members, roles, units and files, reads the audit log)
--   sales@acme.test    Sales, below Manager and Finance (creates and reads deals); Acme's roles
--                      form a diamond: Owner > Manager, Finance > Sales
--   owner@globex.test  Owner of Globex, a second tenant
--   admin@tenantbase.test  Platform admin (operates every tenant; member of none)

-- Seeded accounts need no invitation (the sign-up trigger honours this for trusted sessions).
select set_config('tenantbase.allow_uninvited_user', 'on', true);

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token,
  email_change_token_new, email_change)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('password123', extensions.gen_salt('bf')), now(),
  '{"provider":"email","providers":["email"]}', '{}', now(), now(), '', '', '', ''
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, 'owner@acme.test'),
  ('a0000000-0000-4000-8000-000000000002'::uuid, 'manager@acme.test'),
  ('a0000000-0000-4000-8000-000000000003'::uuid, 'sales@acme.test'),
  ('b0000000-0000-4000-8000-000000000001'::uuid, 'owner@globex.test'),
  ('c0000000-0000-4000-8000-000000000001'::uuid, 'admin@tenantbase.test')
) as u(id, email);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id, 'email', u.email, 'email_verified', true), 'email', now(), now(), now()
from auth.users u where u.email like '%@acme.test' or u.email like '%@globex.test' or u.email = 'admin@tenantbase.test';

-- A platform admin is a row of platform.platform_users with is_admin (see packages/core/sql/400-platform.sql).
insert into platform.platform_users (user_id, is_admin) values ('c0000000-0000-4000-8000-000000000001', true);
update core.users_meta set first_name = 'Ada', last_name = 'Admin' where user_id = 'c0000000-0000-4000-8000-000000000001';

insert into core.organizations (id, name, slug, description) values
  ('0a000000-0000-4000-8000-00000000000a', 'Acme', 'acme', 'Demo tenant'),
  ('0b000000-0000-4000-8000-00000000000b', 'Globex', 'globex', 'A second demo tenant');
insert into core.organizations_meta (organization_id) values
  ('0a000000-0000-4000-8000-00000000000a'), ('0b000000-0000-4000-8000-00000000000b');
insert into platform.platform_organizations (organization_id) values
  ('0a000000-0000-4000-8000-00000000000a'), ('0b000000-0000-4000-8000-00000000000b');

insert into core.roles (id, organization_id, name, label, is_root) values
  ('1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-00000000000a', 'owner', 'Owner', true),
  ('1a000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-00000000000a', 'manager', 'Manager', false),
  ('1a000000-0000-4000-8000-000000000003', '0a000000-0000-4000-8000-00000000000a', 'sales', 'Sales', false),
  ('1a000000-0000-4000-8000-000000000004', '0a000000-0000-4000-8000-00000000000a', 'finance', 'Finance', false),
  ('1b000000-0000-4000-8000-000000000001', '0b000000-0000-4000-8000-00000000000b', 'owner', 'Owner', true);
-- A diamond: Sales reports to Manager and to Finance, both below Owner.
insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values
  ('0a000000-0000-4000-8000-00000000000a', '1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000002'),
  ('0a000000-0000-4000-8000-00000000000a', '1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000004'),
  ('0a000000-0000-4000-8000-00000000000a', '1a000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003'),
  ('0a000000-0000-4000-8000-00000000000a', '1a000000-0000-4000-8000-000000000004', '1a000000-0000-4000-8000-000000000003');
insert into rbac.role_permissions (organization_id, role_id, permission)
select '0a000000-0000-4000-8000-00000000000a'::uuid, '1a000000-0000-4000-8000-000000000002'::uuid, code
from unnest(array['members.invite', 'members.manage', 'roles.manage', 'units.manage', 'audit.read',
  'deals.read', 'deals.update', 'deals.delete', 'files.manage']) code
union all
select '0a000000-0000-4000-8000-00000000000a'::uuid, '1a000000-0000-4000-8000-000000000003'::uuid, code
from unnest(array['deals.create', 'deals.read']) code
union all
select '0a000000-0000-4000-8000-00000000000a'::uuid, '1a000000-0000-4000-8000-000000000004'::uuid, code
from unnest(array['billing.manage', 'audit.read']) code;

insert into core.memberships (organization_id, user_id, role_id) values
  ('0a000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000001'),
  ('0a000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000002'),
  ('0a000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000003'),
  ('0b000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-000000000001', '1b000000-0000-4000-8000-000000000001');
update core.users_meta m set active_organization_id = x.org, first_name = x.first_name
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, '0a000000-0000-4000-8000-00000000000a'::uuid, 'Olivia'),
  ('a0000000-0000-4000-8000-000000000002'::uuid, '0a000000-0000-4000-8000-00000000000a'::uuid, 'Max'),
  ('a0000000-0000-4000-8000-000000000003'::uuid, '0a000000-0000-4000-8000-00000000000a'::uuid, 'Sam'),
  ('b0000000-0000-4000-8000-000000000001'::uuid, '0b000000-0000-4000-8000-00000000000b'::uuid, 'Gina')
) as x(user_id, org, first_name)
where m.user_id = x.user_id;

insert into core.units (organization_id, name, description) values
  ('0a000000-0000-4000-8000-00000000000a', 'EMEA', 'Sales in Europe');

insert into app.deals (organization_id, title, amount, stage, visibility, owner_id, owner_role_id) values
  ('0a000000-0000-4000-8000-00000000000a', 'Wile E. rockets', 12000, 'proposal', 'controlled',
   'a0000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000003'),
  ('0a000000-0000-4000-8000-00000000000a', 'Anvil bulk order', 800, 'lead', 'private',
   'a0000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000003'),
  ('0a000000-0000-4000-8000-00000000000a', 'Road runner tracker', 45000, 'qualified', 'public',
   'a0000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000002');

insert into platform.subscription_products (provider, provider_price_id, plan, name, description, amount, features) values
  ('stripe', 'price_starter_monthly', 'starter', 'Starter', 'For small teams', 900, '{"members": 5, "units": 3, "audit_log": false}'),
  ('stripe', 'price_pro_monthly', 'pro', 'Pro', 'For growing organizations', 2900, '{"members": 50, "units": 50, "audit_log": true}')
on conflict do nothing;
