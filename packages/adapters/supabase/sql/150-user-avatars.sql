-- Profile pictures: the public bucket `avatars`. Object names are `<user id>/<file name>`; each
-- person writes only their own folder (rbac.object_folder_id, in 140-organization-logos.sql).
-- The picture in use is core.users_meta.avatar_url (its public URL), set with
-- public.update_user_profile.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 1048576, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do nothing;

create policy user_avatars_select on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and rbac.object_folder_id(name) = (select core.get_current_user_id()));
create policy user_avatars_insert on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and rbac.object_folder_id(name) = (select core.get_current_user_id()));
create policy user_avatars_update on storage.objects for update to authenticated
  using (bucket_id = 'avatars' and rbac.object_folder_id(name) = (select core.get_current_user_id()))
  with check (bucket_id = 'avatars' and rbac.object_folder_id(name) = (select core.get_current_user_id()));
create policy user_avatars_delete on storage.objects for delete to authenticated
  using (bucket_id = 'avatars' and rbac.object_folder_id(name) = (select core.get_current_user_id()));
