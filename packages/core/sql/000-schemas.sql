-- The schemas of the tenancy core. Clients reach data only through public.* functions;
-- core, platform and utils are never exposed over the API. app holds the product's own tables.

create schema if not exists utils;
create schema if not exists core;
create schema if not exists platform;
create schema if not exists app;

comment on schema utils is 'Shared trigger functions: timestamps, soft delete, audit. Nobody calls them directly.';
comment on schema core is 'Tenancy: organizations, units, roles, memberships, invitations, users, audit, files.';
comment on schema platform is 'Operator data: billing, plans, feature flags, settings, secrets. Service role only.';
comment on schema app is 'The product''s own record tables, protected by the same RLS pattern (sample: app.deals).';

-- RLS policies and security invoker functions read core and app tables as the caller.
grant usage on schema core, app, utils to authenticated, service_role;
grant usage on schema platform to service_role;

-- Functions are not executable by everyone by default: each one is granted explicitly.
-- (On Supabase, anon and authenticated also get default grants in public; revoke those too.)
-- (PostgreSQL grants EXECUTE to PUBLIC globally; only a global default can take that back.)
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from public, anon, authenticated;
alter default privileges in schema core revoke execute on functions from public;
alter default privileges in schema utils revoke execute on functions from public;
alter default privileges in schema platform revoke execute on functions from public;
alter default privileges in schema app revoke execute on functions from public;
-- Tables are granted per table too.
alter default privileges in schema public revoke all on tables from anon, authenticated;
