-- Trigger functions shared by every core and app table.

create or replace function utils.touch() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := coalesce(new.created_at, now());
    new.updated_at := new.created_at;
    new.created_by := coalesce(new.created_by, core.get_current_user_id());
    new.updated_by := coalesce(new.updated_by, new.created_by);
  else
    new.created_at := old.created_at;
    new.created_by := old.created_by;
    new.updated_at := now();
    new.updated_by := coalesce(core.get_current_user_id(), new.updated_by);
  end if;
  return new;
end
$$;
comment on function utils.touch() is
  'Maintains created_at/created_by (immutable) and updated_at/updated_by on every write.';

create or replace function utils.soft_delete() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_deleted and not old.is_deleted then
    new.deleted_at := now();
    new.deleted_by := core.get_current_user_id();
  elsif not new.is_deleted and old.is_deleted then
    new.deleted_at := null;
    new.deleted_by := null;
  else
    new.deleted_at := old.deleted_at;
    new.deleted_by := old.deleted_by;
  end if;
  return new;
end
$$;
comment on function utils.soft_delete() is
  'Stamps deleted_at/deleted_by when is_deleted flips, clears them on restore; nobody forges them.';

-- security definer: the audit trail must be written whatever the caller may do on
-- core.audit_logs (nobody has insert privileges on it).
create or replace function utils.audit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_organization_id uuid;
  v_action text;
  v_changes jsonb := '{}';
  v_key text;
begin
  v_organization_id := case
    when tg_table_schema = 'core' and tg_table_name = 'organizations' then (v_row ->> 'id')::uuid
    else (v_row ->> 'organization_id')::uuid
  end;
  if v_organization_id is null then
    return null;
  end if;
  if tg_op = 'INSERT' then
    v_action := 'insert';
    v_changes := v_new - array['created_at', 'updated_at', 'created_by', 'updated_by'];
  elsif tg_op = 'DELETE' then
    v_action := 'delete';
    v_changes := v_old;
  else
    v_action := case
      when (v_new ->> 'is_deleted')::boolean and not (v_old ->> 'is_deleted')::boolean then 'soft_delete'
      when not (v_new ->> 'is_deleted')::boolean and (v_old ->> 'is_deleted')::boolean then 'restore'
      else 'update'
    end;
    for v_key in select jsonb_object_keys(v_new) loop
      if v_key not in ('updated_at', 'updated_by', 'deleted_at', 'deleted_by')
         and (v_new -> v_key) is distinct from (v_old -> v_key) then
        v_changes := v_changes || jsonb_build_object(
          v_key, jsonb_build_object('old', v_old -> v_key, 'new', v_new -> v_key));
      end if;
    end loop;
    if v_changes = '{}' then
      return null;
    end if;
  end if;
  insert into core.audit_logs (organization_id, actor_id, target_table, target_id, action, changes)
  values (v_organization_id, core.get_current_user_id(), tg_table_schema || '.' || tg_table_name,
          (v_row ->> 'id')::uuid, v_action, v_changes);
  return null;
end
$$;
comment on function utils.audit() is
  'Writes core.audit_logs for inserts, updates, soft deletes, restores and deletes, with the changed columns.';

create or replace function utils.refuse_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception '% is append-only', tg_table_schema || '.' || tg_table_name
    using errcode = '42501';
end
$$;
comment on function utils.refuse_change() is 'Makes a table append-only (audit and action logs).';

revoke all on function utils.touch(), utils.soft_delete(), utils.audit(), utils.refuse_change() from public;
