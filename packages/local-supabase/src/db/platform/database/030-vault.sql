-- Supabase Vault (supabase/vault 0.3): secrets stored encrypted, read through a view.
-- Emulated with pgcrypto (pgp_sym_encrypt, stored base64 like Vault's ciphertext): one random
-- symmetric key, generated when the platform layer is installed, lives in vault.keys, which only
-- the superuser can read. Only vault._key() (security definer, callable by nobody else) and the
-- functions below that use it ever see the key; postgres reads plaintext through the view.

create schema if not exists vault;

create table if not exists vault.keys (
  id uuid primary key default gen_random_uuid(),
  key text not null default encode(extensions.gen_random_bytes(32), 'base64'),
  created_at timestamptz not null default now()
);
insert into vault.keys (id) select gen_random_uuid() where not exists (select from vault.keys);
revoke all on vault.keys from public;
comment on table vault.keys is 'Symmetric key of the local Vault emulation; superuser only.';

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(16),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';

-- Security definer: reads vault.keys, which no caller may read.
create or replace function vault._key() returns text
language sql stable security definer set search_path = ''
as $$ select key from vault.keys order by created_at limit 1 $$;
revoke all on function vault._key() from public;

-- Decrypts one stored secret; the view calls it as the reader, who never sees the key.
-- Security definer: needs the key from vault._key().
create or replace function vault._decrypt(secret text) returns text
language sql stable security definer set search_path = ''
as $$ select extensions.pgp_sym_decrypt(decode(secret, 'base64'), vault._key()) $$;
revoke all on function vault._decrypt(text) from public;
grant execute on function vault._decrypt(text) to postgres;

create or replace view vault.decrypted_secrets as
select s.id, s.name, s.description, s.secret,
  vault._decrypt(s.secret) as decrypted_secret,
  s.key_id, s.nonce, s.created_at, s.updated_at
from vault.secrets s;

comment on view vault.decrypted_secrets is 'Vault secrets with their decrypted value.';

-- Security definer, as in Vault: writes the encrypted value with a key the caller cannot see.
create or replace function vault.create_secret(
  new_secret text, new_name text default null, new_description text default '',
  new_key_id uuid default null
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  rec record;
begin
  insert into vault.secrets (secret, name, description, key_id)
  values (encode(extensions.pgp_sym_encrypt(new_secret, vault._key()), 'base64'),
          new_name, new_description, new_key_id)
  returning * into rec;
  return rec.id;
end
$$;

comment on function vault.create_secret(text, text, text, uuid) is
  'Stores a new secret encrypted and returns its id.';

-- Security definer, as in Vault: re-encrypts with a key the caller cannot see.
create or replace function vault.update_secret(
  secret_id uuid, new_secret text default null, new_name text default null,
  new_description text default null, new_key_id uuid default null
) returns void
language plpgsql security definer set search_path = ''
as $$
begin
  update vault.secrets s set
    secret = case when new_secret is null then s.secret
                  else encode(extensions.pgp_sym_encrypt(new_secret, vault._key()), 'base64') end,
    name = coalesce(new_name, s.name),
    description = coalesce(new_description, s.description),
    key_id = coalesce(new_key_id, s.key_id),
    updated_at = now()
  where s.id = secret_id;
end
$$;

comment on function vault.update_secret(uuid, text, text, text, uuid) is
  'Replaces the given fields of a secret; a new value is encrypted again.';

revoke all on vault.secrets, vault.decrypted_secrets from public;
revoke all on function vault.create_secret(text, text, text, uuid) from public;
revoke all on function vault.update_secret(uuid, text, text, text, uuid) from public;
grant usage on schema vault to postgres with grant option;
grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
grant execute on function vault.create_secret(text, text, text, uuid) to postgres with grant option;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres with grant option;
