-- User columns point at auth.users. Deleting an auth user removes their memberships and profile.

alter table core.memberships
  add constraint memberships_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade;
alter table core.unit_memberships
  add constraint unit_memberships_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade;
alter table core.users_meta
  add constraint users_meta_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade;
alter table platform.platform_users
  add constraint platform_users_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade;
