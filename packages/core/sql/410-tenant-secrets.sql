-- Secrets of organizations and users (API keys of integrations...). The value never sits in
-- this table: the adapter keeps it in Supabase Vault or encrypted with pgcrypto, and only
-- trusted SQL reads it back (core.read_secret_impl is executable by no API role).

create table platform.tenant_secrets (
  id uuid primary key default gen_random_uuid(),
  scope text not null,
  organization_id uuid references core.organizations (id) on delete cascade,
  user_id uuid,
  secret_name text not null,
  secret_ref text not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  constraint tenant_secrets_scope_check check (
    (scope = 'organization' and organization_id is not null and user_id is null)
    or (scope = 'user' and user_id is not null and organization_id is null)),
  constraint tenant_secrets_name_format check (secret_name ~ '^[A-Za-z][A-Za-z0-9_.-]{0,99}$')
);
create unique index tenant_secrets_name_key
  on platform.tenant_secrets (scope, coalesce(organization_id, user_id), secret_name);
comment on table platform.tenant_secrets is 'Names and references of secrets; the values live in the adapter''s secret store.';
comment on column platform.tenant_secrets.secret_ref is 'Vault secret id (Supabase) or pgcrypto ciphertext (Payload).';
alter table platform.tenant_secrets enable row level security;
revoke all on platform.tenant_secrets from public, anon, authenticated, service_role;

-- The secret store. These defaults refuse; each adapter replaces them (same signatures).
create or replace function core.store_secret_value(p_name text, p_secret text) returns text
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'No secret store is installed' using errcode = '0A000';
end
$$;
create or replace function core.read_secret_value(p_ref text) returns text
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'No secret store is installed' using errcode = '0A000';
end
$$;
create or replace function core.drop_secret_value(p_ref text) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'No secret store is installed' using errcode = '0A000';
end
$$;

-- For trusted server-side SQL only (migrations, jobs running as postgres).
create or replace function core.read_secret_impl(p_secret_id uuid) returns text
language sql stable
set search_path = ''
as $$
  select core.read_secret_value(s.secret_ref) from platform.tenant_secrets s where s.id = p_secret_id
$$;

revoke all on function core.store_secret_value(text, text), core.read_secret_value(text),
  core.drop_secret_value(text), core.read_secret_impl(uuid) from public, anon, authenticated, service_role;

create or replace function core.require_secret_scope(p_scope text, p_id uuid) returns void
language plpgsql
security definer -- see create_secret
set search_path = ''
as $$
begin
  if p_scope = 'organization' then
    perform rbac.require_permission(p_id, 'secrets.manage');
  elsif p_scope = 'user' then
    if p_id is distinct from core.get_current_user_id() and not core.is_service_caller() then
      raise exception 'You can only manage your own user secrets' using errcode = '42501';
    end if;
  else
    raise exception 'Invalid scope %: use organization or user', p_scope using errcode = '22023';
  end if;
end
$$;
revoke all on function core.require_secret_scope(text, uuid) from public;

create or replace function public.create_secret(p_scope text, p_id uuid, p_name text, p_secret text) returns uuid
language plpgsql
security definer -- secrets are written only here, after the scope check
set search_path = ''
as $$
declare
  v_id uuid;
begin
  perform core.require_secret_scope(p_scope, p_id);
  if p_secret is null or p_secret = '' then
    raise exception 'The secret value is empty' using errcode = '22023';
  end if;
  insert into platform.tenant_secrets (scope, organization_id, user_id, secret_name, secret_ref, created_by)
  values (p_scope, case when p_scope = 'organization' then p_id end, case when p_scope = 'user' then p_id end,
          p_name, core.store_secret_value(p_scope || ':' || p_id || ':' || p_name, p_secret), core.get_current_user_id())
  returning id into v_id;
  return v_id;
exception when unique_violation then
  raise exception 'A secret named "%" already exists here', p_name using errcode = '23505';
end
$$;

create or replace function public.delete_secret(p_secret_id uuid) returns void
language plpgsql
security definer -- see create_secret
set search_path = ''
as $$
declare
  v_secret platform.tenant_secrets;
begin
  select * into v_secret from platform.tenant_secrets s where s.id = p_secret_id;
  if v_secret.id is null then
    raise exception 'Secret not found' using errcode = 'PT404';
  end if;
  perform core.require_secret_scope(v_secret.scope, coalesce(v_secret.organization_id, v_secret.user_id));
  delete from platform.tenant_secrets s where s.id = p_secret_id;
  perform core.drop_secret_value(v_secret.secret_ref);
end
$$;

create or replace function public.list_secrets(p_scope text default null, p_id uuid default null)
returns table (id uuid, scope text, organization_id uuid, user_id uuid, secret_name text, created_at timestamptz, created_by uuid)
language plpgsql stable
security definer -- lists names only, for scopes the caller manages
set search_path = ''
as $$
begin
  if p_scope is not null then
    perform core.require_secret_scope(p_scope, p_id);
  end if;
  return query
  select s.id, s.scope, s.organization_id, s.user_id, s.secret_name, s.created_at, s.created_by
  from platform.tenant_secrets s
  where (p_scope is null or (s.scope = p_scope and coalesce(s.organization_id, s.user_id) = p_id))
    and ((s.scope = 'user' and s.user_id = core.get_current_user_id())
         or (s.scope = 'organization' and rbac.has_permission(s.organization_id, 'secrets.manage'))
         or core.is_service_caller())
  order by s.scope, s.secret_name;
end
$$;

revoke all on function public.create_secret(text, uuid, text, text), public.delete_secret(uuid),
  public.list_secrets(text, uuid) from public, anon, authenticated;
grant execute on function public.create_secret(text, uuid, text, text), public.delete_secret(uuid),
  public.list_secrets(text, uuid) to authenticated, service_role;
