-- Organization functions (SMTA surface). Reads are security invoker: RLS decides. Writes are
-- security definer because members have no write privileges on core tables; each checks the
-- caller's permission with the RBAC helpers (resolved at call time, defined in packages/rbac).

create or replace function public.list_my_organizations()
returns table (id uuid, name text, slug text, description text, role text, role_label text, is_active boolean)
language sql stable
security invoker
set search_path = ''
as $$
  select o.id, o.name, o.slug, o.description, r.name, r.label,
    o.id = (select um.active_organization_id from core.users_meta um where um.user_id = (select core.get_current_user_id()))
  from core.organizations o
  join core.memberships m on m.organization_id = o.id and m.user_id = (select core.get_current_user_id()) and not m.is_deleted
  join core.roles r on r.id = m.role_id
  where not o.is_deleted
  order by o.name, o.id
$$;

create or replace function public.get_user_organizations()
returns table (id uuid, name text, slug text, description text, role text, role_label text, is_active boolean)
language sql stable
security invoker
set search_path = ''
as $$ select * from public.list_my_organizations() $$;
comment on function public.get_user_organizations() is 'Alias of list_my_organizations (SMTA compatibility).';

create or replace function public.get_organization(p_id uuid)
returns table (id uuid, slug text, name text, description text, created_by uuid, updated_by uuid,
  is_deleted boolean, deleted_at timestamptz, deleted_by uuid, created_at timestamptz, updated_at timestamptz)
language sql stable
security invoker
set search_path = ''
as $$
  select o.id, o.slug, o.name, o.description, o.created_by, o.updated_by, o.is_deleted, o.deleted_at,
    o.deleted_by, o.created_at, o.updated_at
  from core.organizations o where o.id = p_id and not o.is_deleted
$$;

create or replace function public.list_organization_members(p_id uuid)
returns table (user_id uuid, email text, first_name text, last_name text, role_id uuid, role text,
  role_label text, is_super_admin boolean, joined_at timestamptz)
language sql stable
security invoker
set search_path = ''
as $$
  select m.user_id, um.email, um.first_name, um.last_name, r.id, r.name, r.label, r.is_root, m.created_at
  from core.memberships m
  join core.roles r on r.id = m.role_id
  left join core.users_meta um on um.user_id = m.user_id
  where m.organization_id = p_id and not m.is_deleted
  order by r.is_root desc, um.email
$$;

create or replace function public.create_organization(p_name text, p_description text default null)
returns table (id uuid, name text, slug text, created_at timestamptz)
language plpgsql
security definer -- creates the organization, its root role and the creator's owner membership
set search_path = ''
as $$
declare
  v_user uuid := core.get_current_user_id();
  v_organization core.organizations;
  v_root_role_id uuid;
  v_slug text;
begin
  if v_user is null then
    raise exception 'Sign in to create an organization' using errcode = '42501';
  end if;
  if not coalesce((select s.value = 'true'::jsonb from platform.platform_settings s
                   where s.key = 'allow_organization_creation'), false)
     and not platform.is_platform_admin() then
    raise exception 'Creating organizations is disabled; ask the platform operator' using errcode = '42501';
  end if;
  if p_name is null or char_length(btrim(p_name)) not between 1 and 200 then
    raise exception 'The organization name must be 1 to 200 characters' using errcode = '22023';
  end if;
  v_slug := left(trim(both '-' from regexp_replace(lower(p_name), '[^a-z0-9]+', '-', 'g')), 50);
  v_slug := coalesce(nullif(v_slug, ''), 'org') || '-' || substr(md5(random()::text), 1, 6);
  insert into core.organizations (name, slug, description) values (btrim(p_name), v_slug, p_description)
  returning * into v_organization;
  insert into core.organizations_meta (organization_id) values (v_organization.id);
  insert into platform.platform_organizations (organization_id) values (v_organization.id);
  -- SMTA names the creator's role super_admin; apps that check get_user_role() for it keep working.
  v_root_role_id := rbac.create_root_role(v_organization.id, 'super_admin', 'Owner');
  insert into core.memberships (organization_id, user_id, role_id) values (v_organization.id, v_user, v_root_role_id);
  insert into core.users_meta (user_id, email, active_organization_id)
  values (v_user, core.get_current_user_email(), v_organization.id)
  on conflict (user_id) do nothing;
  return query select v_organization.id, v_organization.name, v_organization.slug, v_organization.created_at;
end
$$;

create or replace function public.update_organization(p_id uuid, p_name text, p_description text default null)
returns table (id uuid, name text, description text, updated_at timestamptz)
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_id, 'organization.update');
  if p_name is null or char_length(btrim(p_name)) not between 1 and 200 then
    raise exception 'The organization name must be 1 to 200 characters' using errcode = '22023';
  end if;
  return query
  update core.organizations o set name = btrim(p_name), description = p_description
  where o.id = p_id
  returning o.id, o.name, o.description, o.updated_at;
end
$$;

-- The slug is the organization's address in URLs; changing it moves every link to the new one.
create or replace function public.update_organization_slug(p_id uuid, p_slug text)
returns table (id uuid, slug text, updated_at timestamptz)
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_id, 'organization.update');
  if p_slug is null or lower(btrim(p_slug)) !~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' then
    raise exception 'Invalid slug: use 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit'
      using errcode = '22023';
  end if;
  begin
    return query
    update core.organizations o set slug = lower(btrim(p_slug))
    where o.id = p_id
    returning o.id, o.slug, o.updated_at;
  exception when unique_violation then
    raise exception 'An organization with the slug "%" already exists', lower(btrim(p_slug)) using errcode = '23505';
  end;
end
$$;
comment on function public.update_organization_slug(uuid, text) is
  'Changes the organization''s URL name (organization.update); 23505 when another organization has it.';

-- What the settings page and the organization's header show: name, slug, description, and the
-- logo (an unbound file of the organization: its bucket and object name).
create or replace function public.get_organization_profile(p_id uuid)
returns table (id uuid, slug text, name text, description text, logo_file_id uuid, logo_bucket_id text,
  logo_object_name text, timezone text, locale text, address text, updated_at timestamptz)
language sql stable
security invoker
set search_path = ''
as $$
  select o.id, o.slug, o.name, o.description, f.id, f.bucket_id, f.object_name, m.timezone, m.locale, m.address,
    greatest(o.updated_at, m.updated_at)
  from core.organizations o
  left join core.organizations_meta m on m.organization_id = o.id
  left join core.organization_files f on f.id = m.logo_file_id and not f.is_deleted
  where o.id = p_id and not o.is_deleted
$$;
comment on function public.get_organization_profile(uuid) is
  'The organization''s name, slug, description, logo file and locale settings, for its members.';

create or replace function public.update_organization_meta(
  p_id uuid, p_logo_file_id uuid default null, p_address text default null,
  p_timezone text default null, p_locale text default null
) returns table (id uuid, logo_file_id uuid, address text, timezone text, locale text, updated_at timestamptz)
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_id, 'organization.update');
  if p_timezone is not null and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = p_timezone) then
    raise exception 'Unknown time zone %', p_timezone using errcode = '22023';
  end if;
  if p_logo_file_id is not null and not exists (
    select 1 from core.organization_files f where f.id = p_logo_file_id and f.organization_id = p_id and not f.is_deleted
  ) then
    raise exception 'The logo must be a file of this organization' using errcode = '22023';
  end if;
  return query
  update core.organizations_meta m set
    logo_file_id = coalesce(p_logo_file_id, m.logo_file_id),
    address = coalesce(p_address, m.address),
    timezone = coalesce(p_timezone, m.timezone),
    locale = coalesce(p_locale, m.locale)
  where m.organization_id = p_id
  returning m.organization_id, m.logo_file_id, m.address, m.timezone, m.locale, m.updated_at;
end
$$;

create or replace function public.delete_organization(p_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
begin
  if not rbac.is_owner(p_id) then
    raise exception 'Only the owner can delete the organization' using errcode = '42501';
  end if;
  -- Soft delete: members lose access at once; the service role can restore it.
  update core.organizations o set is_deleted = true where o.id = p_id;
end
$$;

revoke all on function public.list_my_organizations(), public.get_user_organizations(), public.get_organization(uuid),
  public.list_organization_members(uuid), public.create_organization(text, text),
  public.update_organization(uuid, text, text), public.update_organization_meta(uuid, uuid, text, text, text),
  public.delete_organization(uuid), public.update_organization_slug(uuid, text),
  public.get_organization_profile(uuid) from public, anon, authenticated;
grant execute on function public.list_my_organizations(), public.get_user_organizations(), public.get_organization(uuid),
  public.list_organization_members(uuid), public.create_organization(text, text),
  public.update_organization(uuid, text, text), public.update_organization_meta(uuid, uuid, text, text, text),
  public.delete_organization(uuid), public.update_organization_slug(uuid, text),
  public.get_organization_profile(uuid) to authenticated, service_role;
