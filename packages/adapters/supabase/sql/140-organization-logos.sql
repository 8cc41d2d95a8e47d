-- Organization logos: the public bucket `logos`. Anyone may download a logo by its public URL
-- (it is shown in emails and on pages of every member); only holders of organization.update in
-- the organization may upload, replace or remove one. Object names are
-- `<organization_id>/<file name>`; the logo in use is an unbound file of the organization
-- (core.organization_files, record_id null) that core.organizations_meta.logo_file_id points at.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('logos', 'logos', true, 1048576, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do nothing;

-- The folder of an object named `<uuid>/<file>` in the logos and avatars buckets (an
-- organization's or a person's), or null when the name has another form.
create or replace function rbac.object_folder_id(p_name text) returns uuid
language sql immutable
parallel safe -- a storage policy calling it must not stop parallel listings of every bucket
set search_path = ''
as $$
  select case when p_name ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[^/\\]{1,255}$'
               and p_name !~ '[\x00-\x1f]' and split_part(p_name, '/', 2) not in ('.', '..')
    then split_part(p_name, '/', 1)::uuid end
$$;
comment on function rbac.object_folder_id(text) is
  'The uuid folder of an object name `<uuid>/<file>` (logos: organization id, avatars: user id); null when malformed.';
revoke all on function rbac.object_folder_id(text) from public;
grant execute on function rbac.object_folder_id(text) to authenticated, service_role;

-- The caller's organization sets are computed once per statement (SPEC §4.4).
create policy organization_logos_select on storage.objects for select to authenticated
  using (bucket_id = 'logos'
         and rbac.object_folder_id(name) = any ((select core.my_organization_ids())::uuid[]));
create policy organization_logos_insert on storage.objects for insert to authenticated
  with check (bucket_id = 'logos'
              and rbac.object_folder_id(name) = any ((select rbac.my_organizations_with('organization.update'))::uuid[]));
create policy organization_logos_update on storage.objects for update to authenticated
  using (bucket_id = 'logos'
         and rbac.object_folder_id(name) = any ((select rbac.my_organizations_with('organization.update'))::uuid[]))
  with check (bucket_id = 'logos'
              and rbac.object_folder_id(name) = any ((select rbac.my_organizations_with('organization.update'))::uuid[]));
create policy organization_logos_delete on storage.objects for delete to authenticated
  using (bucket_id = 'logos'
         and rbac.object_folder_id(name) = any ((select rbac.my_organizations_with('organization.update'))::uuid[]));

-- Makes an uploaded object the organization's logo (null removes the logo). Returns the object
-- of the previous logo, which the app removes from the bucket.
create or replace function public.set_organization_logo(p_org_id uuid, p_object_name text default null)
returns table (logo_file_id uuid, object_name text, previous_object_name text)
language plpgsql
security definer -- writes organization files and meta, which members cannot write directly
set search_path = ''
as $$
declare
  v_object storage.objects;
  v_previous core.organization_files;
  v_file_id uuid;
begin
  perform rbac.require_permission(p_org_id, 'organization.update');
  select f.* into v_previous from core.organizations_meta m
  join core.organization_files f on f.id = m.logo_file_id and not f.is_deleted
  where m.organization_id = p_org_id;
  if p_object_name is not null then
    if rbac.object_folder_id(p_object_name) is distinct from p_org_id then
      raise exception 'A logo must be stored in the logos bucket under the organization''s folder'
        using errcode = '22023';
    end if;
    select * into v_object from storage.objects o where o.bucket_id = 'logos' and o.name = p_object_name;
    if v_object.id is null then
      raise exception 'Upload the logo first: there is no file % in the logos bucket', p_object_name
        using errcode = '22023';
    end if;
    select f.id into v_file_id from core.organization_files f
    where f.bucket_id = 'logos' and f.object_name = p_object_name and not f.is_deleted;
    if v_file_id is null then
      insert into core.organization_files (organization_id, bucket_id, object_name, file_type, file_size, created_by)
      values (p_org_id, 'logos', p_object_name, coalesce(v_object.metadata ->> 'mimetype', 'application/octet-stream'),
              (v_object.metadata ->> 'size')::bigint, core.get_current_user_id())
      returning id into v_file_id;
    end if;
  end if;
  if v_previous.id is not null and v_previous.id is distinct from v_file_id then
    update core.organization_files f set is_deleted = true where f.id = v_previous.id;
  end if;
  update core.organizations_meta m set logo_file_id = v_file_id where m.organization_id = p_org_id;
  return query select v_file_id, p_object_name,
    case when v_previous.object_name is distinct from p_object_name then v_previous.object_name end;
end
$$;
comment on function public.set_organization_logo(uuid, text) is
  'Makes an uploaded logos object the organization''s logo, or removes the logo with null (organization.update).';
revoke all on function public.set_organization_logo(uuid, text) from public, anon, authenticated;
grant execute on function public.set_organization_logo(uuid, text) to authenticated, service_role;
