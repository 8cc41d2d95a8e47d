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

-- Every code gates at least one function or policy (a test checks it); see the package README
-- for which. Reading members, the organization's unbound files and its plan needs membership
-- only; files of records follow the record's access.
insert into rbac.permissions (code, description) values
  ('organization.update', 'Edit the organization''s name, description and profile'),
  ('members.invite', 'Invite people to roles below one''s own; list, resend and cancel invitations'),
  ('members.manage', 'Add, re-role and remove members with roles below one''s own'),
  ('roles.manage', 'Create, edit, re-parent and delete roles below one''s own'),
  ('units.manage', 'Create, edit and delete units and their members'),
  ('audit.read', 'Read the audit log'),
  ('billing.manage', 'See the billing account and change the plan, seats and payment details'),
  ('files.manage', 'Register, change and delete the organization''s unbound files'),
  ('secrets.manage', 'Create, list and delete organization secrets'),
  ('deals.create', 'Create deals'),
  ('deals.read', 'Read public deals of others'),
  ('deals.update', 'Update public deals of others'),
  ('deals.delete', 'Delete public deals of others')
on conflict (code) do nothing;
-- Codes of earlier versions that gated nothing; their grants go with them.
delete from rbac.permissions where code in ('members.read', 'files.read', 'billing.read', 'organization.delete');

-- Refuses codes that are not in the catalogue, naming all of them (22023).
create or replace function rbac.require_known_permissions(p_codes text[]) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  select string_agg(coalesce(u.code, 'null'), ', ' order by u.ord) into v_unknown
  from (select c.code, min(c.ord) as ord from unnest(p_codes) with ordinality as c(code, ord)
        group by c.code) u
  where u.code is null or not exists (select 1 from rbac.permissions p where p.code = u.code);
  if v_unknown is not null then
    raise exception 'Unknown permission codes: %', v_unknown using errcode = '22023';
  end if;
end
$$;
comment on function rbac.require_known_permissions(text[]) is
  'Raises 22023 "Unknown permission codes: …" naming every code of the list missing from the catalogue.';
revoke all on function rbac.require_known_permissions(text[]) from public;
grant execute on function rbac.require_known_permissions(text[]) to authenticated, service_role;
