-- Supabase: the caller is the `sub` of the JWT that PostgREST / Storage set for the request,
-- and their email is the auth account's current email (never a copy that may be stale).

create or replace function core.get_current_user_id() returns uuid
language sql stable
set search_path = ''
as $$ select auth.uid() $$;

-- security definer: auth.users is not readable by API roles; this reads one column of the
-- caller's own row.
create or replace function core.get_current_user_email() returns text
language sql stable
security definer
set search_path = ''
as $$ select lower(u.email) from auth.users u where u.id = auth.uid() $$;
