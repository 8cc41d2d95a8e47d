-- Supabase: secret values live in Vault.

create or replace function core.store_secret_value(p_name text, p_secret text) returns text
language sql
set search_path = ''
as $$ select vault.create_secret(p_secret, p_name || ':' || gen_random_uuid())::text $$;

create or replace function core.read_secret_value(p_ref text) returns text
language sql stable
set search_path = ''
as $$ select s.decrypted_secret from vault.decrypted_secrets s where s.id = p_ref::uuid $$;

create or replace function core.drop_secret_value(p_ref text) returns void
language sql
set search_path = ''
as $$ delete from vault.secrets s where s.id = p_ref::uuid $$;

revoke all on function core.store_secret_value(text, text), core.read_secret_value(text),
  core.drop_secret_value(text) from public, anon, authenticated, service_role;
