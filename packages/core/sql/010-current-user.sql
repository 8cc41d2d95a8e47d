-- The seam between the auth platform and the core: who is calling. The default reads the
-- session variables `app.current_user_id` / `app.current_user_email` (the Payload adapter sets
-- them per transaction, and sets the email only once the user has verified it); the Supabase
-- adapter replaces both bodies with auth.uid() and the confirmed email of auth.users. Policies call them wrapped in (select ...) so they run once per statement.

create or replace function core.get_current_user_id() returns uuid
language sql stable
set search_path = ''
as $$
  select nullif(current_setting('app.current_user_id', true), '')::uuid
$$;
comment on function core.get_current_user_id() is
  'The calling user''s id, or null for anonymous callers. Replaced by the platform adapter.';

create or replace function core.get_current_user_email() returns text
language sql stable
set search_path = ''
as $$
  select lower(nullif(current_setting('app.current_user_email', true), ''))
$$;
comment on function core.get_current_user_email() is
  'The calling user''s confirmed account email (lower case), null when unconfirmed; invitations are bound to it.';

revoke all on function core.get_current_user_id() from public;
revoke all on function core.get_current_user_email() from public;
grant execute on function core.get_current_user_id() to anon, authenticated, service_role;
grant execute on function core.get_current_user_email() to anon, authenticated, service_role;
