-- Cluster-wide roles of a Supabase database (supabase/postgres init scripts and migrations).
-- Runs once per cluster, as the bootstrap superuser supabase_admin.
-- Every local login uses the password 'postgres', as `supabase start` does.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

create role supabase_auth_admin login noinherit password 'postgres';
alter role supabase_auth_admin set search_path = auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = '60s';

create role supabase_storage_admin login noinherit createrole password 'postgres';
alter role supabase_storage_admin set search_path = storage;
grant authenticator to supabase_storage_admin;

-- postgres exists as a non-superuser, exactly as after Supabase's demote-postgres migration.
create role postgres login nosuperuser createdb createrole replication bypassrls password 'postgres';
grant anon, authenticated, service_role to postgres;
alter role postgres set search_path = "$user", public, extensions;

alter role supabase_admin set search_path = "$user", public, extensions;

-- Supabase lets postgres create policies on storage.objects (supautils' policy_grants) without
-- owning it. Plain PostgreSQL has no such switch: membership in the owner role is the closest
-- equivalent (docs/decisions/003-storage-policies-as-postgres.md).
grant supabase_storage_admin to postgres;
