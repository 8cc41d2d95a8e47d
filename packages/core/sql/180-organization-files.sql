create table core.organization_files (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  bucket_id text,
  object_name text,
  record_table text,
  record_id uuid,
  file_url text,
  file_type text not null,
  file_size bigint,
  file_specs jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  constraint organization_files_size_check check (file_size is null or file_size >= 0),
  constraint organization_files_type_length check (char_length(file_type) between 1 and 255)
);
create unique index organization_files_object_key on core.organization_files (bucket_id, object_name)
  where object_name is not null and not is_deleted;
create index organization_files_organization_id_idx on core.organization_files (organization_id);
create index organization_files_record_idx on core.organization_files (record_table, record_id);
comment on table core.organization_files is
  'Metadata of files of an organization, attached to a record (record_table, record_id) when stored in a bucket.';
comment on column core.organization_files.record_id is
  'The record the file belongs to: its metadata is visible only to callers who can read the record.';

alter table core.organization_files enable row level security;
revoke all on core.organization_files from public, anon, authenticated;
grant select on core.organization_files to authenticated;
grant all on core.organization_files to service_role;

-- Members read the organization's unbound files here. A file attached to a record is shown only
-- to callers who can read that record, which a static policy cannot decide for every record
-- table: public.list_files / get_file apply the record's access (rbac.readable_record_ids).
create policy organization_files_select on core.organization_files for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]) and not is_deleted
         and record_id is null);

create trigger organization_files_touch before insert or update on core.organization_files
  for each row execute function utils.touch();
create trigger organization_files_soft_delete before update on core.organization_files
  for each row execute function utils.soft_delete();
create trigger organization_files_audit after insert or update or delete on core.organization_files
  for each row execute function utils.audit();
