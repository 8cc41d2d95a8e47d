create or replace function public.provision_tenant(
  p_name text, p_slug text, p_admin_email text,
  p_role_name text default 'Owner', p_permissions text[] default null
) returns jsonb
language plpgsql
security definer -- creates an organization with its root role and first invitation, for the service role
set search_path = ''
as $$
declare
  v_organization_id uuid;
  v_root_role_id uuid;
  v_token text := rbac.new_invitation_token();
  v_invitation core.invitations;
begin
  if not core.is_service_caller() and not platform.is_platform_admin() then
    raise exception 'Only the service role or a platform admin can provision tenants' using errcode = '42501';
  end if;
  if p_admin_email is null or p_admin_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'Invalid admin email' using errcode = '22023';
  end if;
  if p_slug is null or lower(p_slug) !~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' then
    raise exception 'Invalid slug: use lower-case letters, digits and dashes' using errcode = '22023';
  end if;
  if p_role_name is null or p_role_name !~ '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$' then
    raise exception 'Invalid role name: use 1 to 63 letters, digits, spaces, dots, dashes or underscores'
      using errcode = '22023';
  end if;
  perform rbac.require_known_permissions(p_permissions);
  begin
    insert into core.organizations (name, slug) values (btrim(p_name), lower(p_slug))
    returning id into v_organization_id;
  exception when unique_violation then
    raise exception 'An organization with the slug "%" already exists', lower(p_slug) using errcode = '23505';
  end;
  insert into core.organizations_meta (organization_id) values (v_organization_id);
  insert into platform.platform_organizations (organization_id) values (v_organization_id)
    on conflict do nothing;
  if p_permissions is not null then
    insert into rbac.enabled_permissions (organization_id, permissions, updated_by)
    values (v_organization_id, (select coalesce(array_agg(distinct c order by c), '{}') from unnest(p_permissions) c),
            core.get_current_user_id());
  end if;
  v_root_role_id := rbac.create_root_role(v_organization_id, p_role_name);
  insert into core.invitations (organization_id, email, role_id, token_hash, metadata)
  values (v_organization_id, lower(btrim(p_admin_email)), v_root_role_id,
          rbac.hash_invitation_token(v_token), jsonb_build_object('provisioned', true))
  returning * into v_invitation;
  -- The operator's trail: who provisioned which tenant for whom (null actor: the service key).
  insert into platform.platform_action_logs (actor_id, action, target_organization_id, details)
  values (core.get_current_user_id(), 'provision_tenant', v_organization_id,
          jsonb_build_object('slug', lower(p_slug), 'admin_email', lower(btrim(p_admin_email)),
                             'role_name', p_role_name));
  return jsonb_build_object(
    'organization_id', v_organization_id,
    'root_role_id', v_root_role_id,
    'invitation_id', v_invitation.id,
    'invitation_token', v_token,
    'expires_at', v_invitation.expires_at,
    -- SupaMax's names for the same values, so its callers keep working.
    'tenant_id', v_organization_id,
    'role_id', v_root_role_id,
    'invite_id', v_invitation.id);
end
$$;
comment on function public.provision_tenant(text, text, text, text, text[]) is
  'Creates an organization, its root role p_role_name and an invitation of its admin to it; p_permissions (null: all) is the set of codes enabled for the organization. Service role or platform admin.';
revoke all on function public.provision_tenant(text, text, text, text, text[]) from public, anon, authenticated;
grant execute on function public.provision_tenant(text, text, text, text, text[]) to authenticated, service_role;
