-- Record types: tables whose rows are records of the access engine (SPEC §4.3). Everything
-- attached to a record (files, audit values) follows the record's access through these helpers.
-- A record table has id, organization_id, visibility, owner_id, owner_role_id and is_deleted;
-- an app registers its own with one insert:
--   insert into rbac.record_types (record_table, resource) values ('app.invoices', 'invoices');

create table rbac.record_types (
  record_table text primary key,
  resource text not null,
  constraint record_types_record_table_format check (record_table ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  constraint record_types_resource_format check (resource ~ '^[a-z][a-z0-9_]*$')
);
comment on table rbac.record_types is
  'Tables whose rows are access-engine records, with the permission resource of their codes (deals → deals.read).';
alter table rbac.record_types enable row level security;
revoke all on rbac.record_types from public, anon, authenticated;
grant all on rbac.record_types to service_role;

insert into rbac.record_types (record_table, resource) values ('app.deals', 'deals')
on conflict do nothing;

-- Which of these records may the caller read? The engine's read rule over the caller's sets,
-- computed once per call (not per record): members only; the owner; a role above the owner's
-- for controlled records; holders of <resource>.read for public ones.
create or replace function rbac.readable_record_ids(p_record_table text, p_ids uuid[]) returns uuid[]
language plpgsql stable
security definer -- reads the record table whatever the caller may see and applies the engine itself
set search_path = ''
as $$
declare
  v_type rbac.record_types;
  v_ids uuid[];
begin
  select * into v_type from rbac.record_types t where t.record_table = p_record_table;
  if v_type.record_table is null or p_ids is null then
    return '{}';
  end if;
  execute format(
    'select coalesce(array_agg(r.id), ''{}'') from %s r
     where r.id = any ($1) and not r.is_deleted and r.organization_id = any ($2)
       and (r.owner_id = $3
            or (r.visibility = ''controlled'' and r.owner_role_id = any ($4))
            or (r.visibility = ''public'' and r.organization_id = any ($5)))',
    v_type.record_table::regclass)
  into v_ids
  using p_ids, core.my_organization_ids(), core.get_current_user_id(), rbac.my_subordinate_role_ids(),
    rbac.my_organizations_with(v_type.resource || '.read');
  return v_ids;
end
$$;
comment on function rbac.readable_record_ids(text, uuid[]) is
  'The ids among p_ids of records of a registered record table that the caller may read.';

-- May the caller read / update / delete this one record? The access engine on the record's row.
create or replace function rbac.check_record_access(p_record_table text, p_record_id uuid, p_operation text)
returns boolean
language plpgsql stable
security definer -- see rbac.readable_record_ids
set search_path = ''
as $$
declare
  v_type rbac.record_types;
  v_record record;
begin
  select * into v_type from rbac.record_types t where t.record_table = p_record_table;
  if v_type.record_table is null then
    return false;
  end if;
  execute format(
    'select r.organization_id, r.visibility, r.owner_id, r.owner_role_id from %s r where r.id = $1 and not r.is_deleted',
    v_type.record_table::regclass)
  into v_record using p_record_id;
  if v_record.organization_id is null then
    return false;
  end if;
  return rbac.check_resource_access(v_record.organization_id, v_record.visibility, v_record.owner_id,
                                    v_record.owner_role_id, v_type.resource, p_operation);
end
$$;
comment on function rbac.check_record_access(text, uuid, text) is
  'May the caller perform read, update or delete on one record of a registered record table?';

-- A record's title for sentences about it (its `title`, else its `name` column). It answers for
-- any record: callers check that the reader may read the record first (see list_audit_entries).
create or replace function rbac.record_title(p_record_table text, p_record_id uuid) returns text
language plpgsql stable
security definer -- reads the record table; not executable by API roles
set search_path = ''
as $$
declare
  v_type rbac.record_types;
  v_row jsonb;
begin
  select * into v_type from rbac.record_types t where t.record_table = p_record_table;
  if v_type.record_table is null then
    return null;
  end if;
  execute format('select to_jsonb(r) from %s r where r.id = $1', v_type.record_table::regclass)
  into v_row using p_record_id;
  return coalesce(v_row ->> 'title', v_row ->> 'name');
end
$$;
comment on function rbac.record_title(text, uuid) is
  'The title (or name) of a record of a registered record table; no access check, callers check read access.';
revoke all on function rbac.record_title(text, uuid) from public, anon, authenticated;

revoke all on function rbac.readable_record_ids(text, uuid[]), rbac.check_record_access(text, uuid, text) from public;
grant execute on function rbac.readable_record_ids(text, uuid[]), rbac.check_record_access(text, uuid, text)
  to authenticated, service_role;
