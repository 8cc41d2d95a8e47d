-- The `extensions` schema and the extensions every Supabase database has.
-- Runs as supabase_admin in each new database, before any migration.

create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant all on all functions in schema extensions to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions
  grant all on functions to postgres, anon, authenticated, service_role;

-- Supabase's public schema: usable by the API roles, not writable by everyone.
revoke create on schema public from public;
grant usage on schema public to postgres, anon, authenticated, service_role;
grant all on schema public to postgres;
-- Objects created by postgres or supabase_admin in public are granted to the API roles
-- (supabase/postgres init-scripts 00000000000000-initial-schema.sql).
alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
