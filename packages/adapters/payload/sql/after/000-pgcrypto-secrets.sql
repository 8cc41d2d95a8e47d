-- Payload (plain PostgreSQL): secret values encrypted with pgcrypto under a key kept in a table
-- that no API role can read.

create table if not exists platform.secret_keys (
  id integer primary key default 1 check (id = 1),
  key text not null default encode(extensions.gen_random_bytes(32), 'base64')
);
insert into platform.secret_keys default values on conflict do nothing;
alter table platform.secret_keys enable row level security;
revoke all on platform.secret_keys from public, anon, authenticated, service_role;

create or replace function core.store_secret_value(p_name text, p_secret text) returns text
language sql
set search_path = ''
as $$
  select encode(extensions.pgp_sym_encrypt(p_secret, (select k.key from platform.secret_keys k)), 'base64')
$$;

create or replace function core.read_secret_value(p_ref text) returns text
language sql stable
set search_path = ''
as $$
  select extensions.pgp_sym_decrypt(decode(p_ref, 'base64'), (select k.key from platform.secret_keys k))
$$;

create or replace function core.drop_secret_value(p_ref text) returns void
language sql
set search_path = ''
as $$ select $$;

revoke all on function core.store_secret_value(text, text), core.read_secret_value(text),
  core.drop_secret_value(text) from public, anon, authenticated, service_role;
