-- Files gated by records (SPEC §6): a bucket is bound to a record table by data. Object names
-- are `<organization_id>/<record_id>/<file name>`; access to an object is access to its record,
-- decided by the access engine. An app binds a bucket for its own record type with one insert:
--   insert into rbac.storage_bindings (bucket_id, record_table, resource) values ('invoices', 'app.invoices', 'invoices');
-- The record table needs id, organization_id, visibility, owner_id, owner_role_id and is_deleted.

create table rbac.storage_bindings (
  bucket_id text primary key,
  record_table text not null,
  resource text not null,
  constraint storage_bindings_record_table_format check (record_table ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  constraint storage_bindings_resource_format check (resource ~ '^[a-z][a-z0-9_]*$')
);
comment on table rbac.storage_bindings is 'Which record table (and permission resource) decides access to a bucket''s objects.';
alter table rbac.storage_bindings enable row level security;
revoke all on rbac.storage_bindings from public, anon, authenticated;
grant all on rbac.storage_bindings to service_role;

insert into rbac.storage_bindings (bucket_id, record_table, resource) values ('deals', 'app.deals', 'deals')
on conflict do nothing;

-- Splits and validates an object name; null when malformed.
create or replace function rbac.parse_object_name(p_name text)
returns table (organization_id uuid, record_id uuid, file_name text)
language plpgsql immutable
set search_path = ''
as $$
declare
  v_parts text[] := string_to_array(p_name, '/');
  v_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
begin
  if p_name is null or array_length(v_parts, 1) <> 3
     or v_parts[1] !~ v_uuid or v_parts[2] !~ v_uuid
     or v_parts[3] = '' or v_parts[3] in ('.', '..') or v_parts[3] ~ '[\x00-\x1f\\]'
     or char_length(v_parts[3]) > 255 then
    return;
  end if;
  return query select v_parts[1]::uuid, v_parts[2]::uuid, v_parts[3];
end
$$;

-- May the caller perform `read` or `update` on the record an object belongs to?
create or replace function rbac.storage_object_access(p_bucket_id text, p_name text, p_operation text)
returns boolean
language plpgsql stable
security definer -- looks the record up itself: the caller's view of the record table cannot be trusted to scope it
set search_path = ''
as $$
declare
  v_binding rbac.storage_bindings;
  v_object record;
  v_record record;
begin
  select * into v_binding from rbac.storage_bindings b where b.bucket_id = p_bucket_id;
  if v_binding.bucket_id is null then
    return false;
  end if;
  select * into v_object from rbac.parse_object_name(p_name);
  if v_object.organization_id is null then
    return false;
  end if;
  execute format(
    'select r.organization_id, r.visibility, r.owner_id, r.owner_role_id from %s r
     where r.id = $1 and r.organization_id = $2 and not r.is_deleted',
    v_binding.record_table::regclass)
  into v_record using v_object.record_id, v_object.organization_id;
  if v_record.organization_id is null then
    return false;
  end if;
  return rbac.check_resource_access(v_record.organization_id, v_record.visibility, v_record.owner_id,
                                    v_record.owner_role_id, v_binding.resource, p_operation);
end
$$;
comment on function rbac.storage_object_access(text, text, text) is
  'Access to a stored object = access to its record (org/record/file name), by the access engine.';

-- The records of bound tables the caller may read (or update), as `<organization_id>/<record_id>/`
-- keys: the exact folder of their objects. Storage policies compare each object's name with this
-- set, computed once per statement (a hashed subplan; once per worker in a parallel scan), so
-- listing a bucket costs a hash lookup per object instead of a function call per object
-- (SPEC §4.4). The rule is the access engine's, over the same caller sets as the policies of
-- app.deals; records are read by the definer, not through the caller's view of the record table.
-- Keys are the canonical text of the ids, so only well-formed, lowercase names can match.
create or replace function rbac.storage_record_keys(p_operation text)
returns table (bucket_id text, record_key text)
language plpgsql stable
security definer -- reads the bound record tables whatever the caller may see of them
set search_path = ''
rows 1000
parallel safe -- reads only; a parallel scan of storage.objects computes it in each worker
as $$
declare
  v_binding rbac.storage_bindings;
  v_organizations uuid[];
begin
  if p_operation is null or p_operation not in ('read', 'update') then
    return;
  end if;
  v_organizations := core.my_organization_ids();
  if cardinality(v_organizations) = 0 then
    return;
  end if;
  for v_binding in select * from rbac.storage_bindings b order by b.bucket_id loop
    return query execute format(
      'select $1, r.organization_id::text || ''/'' || r.id::text || ''/'' from %s r
       where r.organization_id = any ($2) and not r.is_deleted
         and (r.owner_id = $3
              or (r.visibility = ''controlled'' and r.owner_role_id = any ($4))
              or (r.visibility = ''public'' and r.organization_id = any ($5)))',
      v_binding.record_table::regclass)
    using v_binding.bucket_id, v_organizations, core.get_current_user_id(),
      rbac.my_subordinate_role_ids(),
      rbac.my_organizations_with(v_binding.resource || '.' || p_operation);
  end loop;
end
$$;
comment on function rbac.storage_record_keys(text) is
  'Bucket and `<organization_id>/<record_id>/` of every bound record the caller may read or update (access engine rule, set-based).';

revoke all on function rbac.parse_object_name(text), rbac.storage_object_access(text, text, text),
  rbac.storage_record_keys(text) from public;
grant execute on function rbac.parse_object_name(text), rbac.storage_object_access(text, text, text),
  rbac.storage_record_keys(text) to authenticated, service_role;
