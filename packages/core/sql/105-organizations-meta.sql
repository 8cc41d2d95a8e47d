create table core.organizations_meta (
  organization_id uuid primary key references core.organizations (id) on delete cascade,
  logo_file_id uuid,
  address text,
  timezone text not null default 'UTC',
  locale text not null default 'en',
  settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint organizations_meta_locale_format check (locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')
);
comment on table core.organizations_meta is 'Per-organization profile: logo, address, timezone, locale, settings.';

alter table core.organizations_meta enable row level security;
revoke all on core.organizations_meta from public, anon, authenticated;
grant select on core.organizations_meta to authenticated;
grant all on core.organizations_meta to service_role;

create policy organizations_meta_select on core.organizations_meta for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

create trigger organizations_meta_touch before insert or update on core.organizations_meta
  for each row execute function utils.touch();
create trigger organizations_meta_audit after insert or update on core.organizations_meta
  for each row execute function utils.audit();
