-- Profile pictures: the public bucket `avatars`. Object names are `<user id>/<file name>`; each
-- person writes only their own folder. The picture in use is core.users_meta.avatar_url (its
-- public URL), set with public.update_user_profile.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 1048576, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do nothing;

-- The owner of an avatar object, or null when the name is not `<user uuid>/<file>`.
create or replace function rbac.avatar_user_id(p_name text) returns uuid
language sql immutable
parallel safe -- a storage policy calling it must not stop parallel listings of every bucket
set search_path = ''
as $$
  select case when p_name ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[^/\\]{1,255}$'
               and p_name !~ '[\x00-\x1f]' and split_part(p_name, '/', 2) not in ('.', '..')
    then split_part(p_name, '/', 1)::uuid end
$$;
comment on function rbac.avatar_user_id(text) is
  'The user id of an avatars object name `<user_id>/<file>`; null when malformed.';
revoke all on function rbac.avatar_user_id(text) from public;
grant execute on function rbac.avatar_user_id(text) to authenticated, service_role;

create policy user_avatars_select on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and rbac.avatar_user_id(name) = (select core.get_current_user_id()));
create policy user_avatars_insert on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and rbac.avatar_user_id(name) = (select core.get_current_user_id()));
create policy user_avatars_update on storage.objects for update to authenticated
  using (bucket_id = 'avatars' and rbac.avatar_user_id(name) = (select core.get_current_user_id()))
  with check (bucket_id = 'avatars' and rbac.avatar_user_id(name) = (select core.get_current_user_id()));
create policy user_avatars_delete on storage.objects for delete to authenticated
  using (bucket_id = 'avatars' and rbac.avatar_user_id(name) = (select core.get_current_user_id()));
