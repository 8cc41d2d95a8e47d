-- Supabase: the caller is the `sub` of the JWT that PostgREST / Storage set for the request,
-- and their email is the auth account's confirmed email (never a copy that may be stale).

create or replace function core.get_current_user_id() returns uuid
language sql stable
parallel safe -- reads the request's settings, which parallel workers share
set search_path = ''
as $$ select auth.uid() $$;

-- security definer: auth.users is not readable by API roles; this reads the caller's own row.
-- Only a confirmed address counts: an account that never confirmed its email has none here,
-- and a requested change waits in auth.users.email_change (with its email_change_token_*)
-- until it is confirmed, so auth.users.email is always the address the person proved they own.
create or replace function core.get_current_user_email() returns text
language sql stable
security definer
set search_path = ''
as $$
  select lower(u.email) from auth.users u
  where u.id = auth.uid() and u.email_confirmed_at is not null and u.email <> ''
$$;
