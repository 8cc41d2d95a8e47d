-- The rules every record table of the access engine shares (SPEC §4.3), as one trigger an app
-- attaches to its own table:
--   create trigger invoices_guard before insert or update on app.invoices
--     for each row execute function rbac.guard_record('invoices', 'invoice');
-- The first argument is the permission resource (`invoices.update`, `invoices.delete`), the
-- second the record's name in messages. On insert, owner and owner role come from the caller,
-- never from input; organization, owner and owner role never change; only the owner or someone
-- above the owner's role changes the visibility; a soft delete needs delete access, any other
-- change update access.

create or replace function rbac.guard_record() returns trigger
language plpgsql
security definer -- reads the caller's role to stamp and check it
set search_path = ''
as $$
declare
  v_user uuid := core.get_current_user_id();
  v_resource text := tg_argv[0];
  v_noun text := coalesce(tg_argv[1], 'record');
begin
  if v_resource is null then
    raise exception 'rbac.guard_record needs the permission resource as its first argument'
      using errcode = '22023';
  end if;
  if tg_op = 'INSERT' then
    if v_user is not null then
      new.owner_id := v_user;
      new.owner_role_id := rbac.caller_role_id(new.organization_id);
    end if;
    return new;
  end if;
  if new.organization_id <> old.organization_id or new.owner_id <> old.owner_id
     or new.owner_role_id <> old.owner_role_id then
    raise exception 'The organization, owner and owner role of a % cannot be changed', v_noun
      using errcode = 'P0001';
  end if;
  if v_user is not null and new.visibility <> old.visibility and old.owner_id <> v_user
     and not rbac.is_above(rbac.caller_role_id(old.organization_id), old.owner_role_id) then
    raise exception 'Only the owner or someone above the owner''s role can change the visibility'
      using errcode = '42501';
  end if;
  if v_user is not null and new.is_deleted and not old.is_deleted then
    if not rbac.check_resource_access(old.organization_id, old.visibility, old.owner_id,
                                      old.owner_role_id, v_resource, 'delete') then
      raise exception 'You cannot delete this %', v_noun using errcode = '42501';
    end if;
  elsif v_user is not null
        and not rbac.check_resource_access(old.organization_id, old.visibility, old.owner_id,
                                           old.owner_role_id, v_resource, 'update') then
    raise exception 'You cannot change this %', v_noun using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function rbac.guard_record() is
  'Trigger of record tables: rbac.guard_record(<resource>, <noun>) stamps owners on insert and enforces the engine''s update, visibility and delete rules.';
revoke all on function rbac.guard_record() from public;
