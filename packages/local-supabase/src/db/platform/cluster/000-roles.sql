-- Cluster-wide roles of a Supabase database (supabase/postgres init scripts and migrations).
-- Runs once per cluster, as the bootstrap superuser supabase_admin (or the superuser of an
-- existing server given by DATABASE_URL). Roles that already exist are brought to Supabase's
-- attributes rather than created, so running it again changes nothing.
-- Every local login uses the password 'postgres', as `supabase start` does.

do $$
declare
  spec record;
begin
  for spec in
    select * from (values
      ('anon', 'nologin noinherit'),
      ('authenticated', 'nologin noinherit'),
      ('service_role', 'nologin noinherit bypassrls'),
      ('authenticator', 'login noinherit'),
      ('supabase_auth_admin', 'login noinherit'),
      ('supabase_storage_admin', 'login noinherit createrole'),
      ('postgres', 'login nosuperuser createdb createrole replication bypassrls')
    ) as roles (name, options)
  loop
    if spec.name = current_user then
      raise exception 'The role % is the one installing the platform layer, so it cannot be given Supabase''s attributes', spec.name
        using hint = 'Connect as another superuser (for example supabase_admin): postgres becomes a non-superuser, as on Supabase.';
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = spec.name) then
      execute format('create role %I %s', spec.name, spec.options);
    else
      execute format('alter role %I %s', spec.name, spec.options);
    end if;
    if spec.options like 'login%' then
      execute format('alter role %I password %L', spec.name, 'postgres');
    end if;
  end loop;
end
$$;

-- The API roles were created NOINHERIT and later altered to INHERIT (20230529180330).
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

grant anon, authenticated, service_role to authenticator;
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

alter role supabase_auth_admin set search_path = auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = '60s';

alter role supabase_storage_admin set search_path = storage;
grant authenticator to supabase_storage_admin;

-- postgres exists as a non-superuser, exactly as after Supabase's demote-postgres migration.
grant anon, authenticated, service_role to postgres;
alter role postgres set search_path = "$user", public, extensions;

do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'supabase_admin') then
    alter role supabase_admin set search_path = "$user", public, extensions;
  end if;
end
$$;

-- Supabase lets postgres create policies on storage.objects (supautils' policy_grants) without
-- owning it. Plain PostgreSQL has no such switch: membership in the owner role is the closest
-- equivalent (docs/decisions/003-storage-policies-as-postgres.md).
grant supabase_storage_admin to postgres;
