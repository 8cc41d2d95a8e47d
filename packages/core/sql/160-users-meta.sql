create table core.users_meta (
  user_id uuid primary key,
  email text,
  first_name text,
  last_name text,
  avatar_url text,
  timezone text not null default 'UTC',
  locale text not null default 'en',
  active_organization_id uuid references core.organizations (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint users_meta_first_name_length check (char_length(first_name) <= 100),
  constraint users_meta_last_name_length check (char_length(last_name) <= 100),
  constraint users_meta_avatar_url_format check (avatar_url ~ '^https?://' and char_length(avatar_url) <= 2000)
);
create index users_meta_active_organization_id_idx on core.users_meta (active_organization_id);
comment on table core.users_meta is
  'Profile of a user. email is a display copy; access decisions use the auth account''s current email.';
comment on column core.users_meta.active_organization_id is
  'The organization the next access token''s claims are computed for.';

alter table core.users_meta enable row level security;
revoke all on core.users_meta from public, anon, authenticated;
grant select on core.users_meta to authenticated;
grant all on core.users_meta to service_role;

-- Members see the profiles of people who share an organization with them, and their own.
create policy users_meta_select on core.users_meta for select to authenticated
  using (
    user_id = (select core.get_current_user_id())
    or user_id in (
      select m.user_id from core.memberships m
      where m.organization_id = any ((select core.my_organization_ids())::uuid[]) and not m.is_deleted
    )
  );

create trigger users_meta_touch before insert or update on core.users_meta
  for each row execute function utils.touch();
