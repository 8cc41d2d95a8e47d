create table core.units (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  constraint units_name_length check (char_length(btrim(name)) between 1 and 200),
  constraint units_organization_id_id_key unique (organization_id, id)
);
create unique index units_name_key on core.units (organization_id, lower(name)) where not is_deleted;
comment on table core.units is 'Flat sub-groups of an organization (teams, departments).';

alter table core.units enable row level security;
revoke all on core.units from public, anon, authenticated;
grant select on core.units to authenticated;
grant all on core.units to service_role;

create policy units_select on core.units for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]) and not is_deleted);

create trigger units_touch before insert or update on core.units
  for each row execute function utils.touch();
create trigger units_soft_delete before update on core.units
  for each row execute function utils.soft_delete();
create trigger units_audit after insert or update or delete on core.units
  for each row execute function utils.audit();

create table core.unit_meta (
  unit_id uuid primary key,
  organization_id uuid not null,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint unit_meta_unit_fkey foreign key (organization_id, unit_id)
    references core.units (organization_id, id) on delete cascade
);
comment on table core.unit_meta is 'Per-unit settings.';

alter table core.unit_meta enable row level security;
revoke all on core.unit_meta from public, anon, authenticated;
grant select on core.unit_meta to authenticated;
grant all on core.unit_meta to service_role;

create policy unit_meta_select on core.unit_meta for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

create trigger unit_meta_touch before insert or update on core.unit_meta
  for each row execute function utils.touch();
create trigger unit_meta_audit after insert or update on core.unit_meta
  for each row execute function utils.audit();
