create table core.organizations (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  constraint organizations_slug_format check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
  constraint organizations_name_length check (char_length(btrim(name)) between 1 and 200),
  constraint organizations_description_length check (char_length(description) <= 2000)
);
create unique index organizations_slug_key on core.organizations (lower(slug));
create index organizations_is_deleted_idx on core.organizations (is_deleted);
comment on table core.organizations is 'The tenant. Soft-deleted organizations disappear for their members.';
comment on column core.organizations.slug is 'URL name: lower-case letters, digits and dashes, unique case-insensitively.';

alter table core.organizations enable row level security;
revoke all on core.organizations from public, anon, authenticated;
grant select on core.organizations to authenticated;
grant all on core.organizations to service_role;

create policy organizations_select on core.organizations for select to authenticated
  using (id = any ((select core.my_organization_ids())::uuid[]));

create trigger organizations_touch before insert or update on core.organizations
  for each row execute function utils.touch();
create trigger organizations_soft_delete before update on core.organizations
  for each row execute function utils.soft_delete();
create trigger organizations_audit after insert or update or delete on core.organizations
  for each row execute function utils.audit();
