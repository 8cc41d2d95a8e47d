-- Service-only functions ask this instead of comparing current_user, which inside a security
-- definer function is always the owner (a guard that never fires).

create or replace function core.is_service_caller() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '') = 'service_role'
    or current_setting('role') = 'service_role'
    -- A direct login without SET ROLE (migrations, seed, operators): only database owners can
    -- log in that way with EXECUTE on these functions; API requests always SET ROLE.
    or current_setting('role') = 'none'
$$;
comment on function core.is_service_caller() is
  'True for the service role (API key or SET ROLE) and for direct operator sessions; false for anon and users.';
revoke all on function core.is_service_caller() from public;
grant execute on function core.is_service_caller() to anon, authenticated, service_role;
