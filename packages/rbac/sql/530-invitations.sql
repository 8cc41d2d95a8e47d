-- Invitation functions. security definer: invitations are written only here, after the
-- inviter's permission and the target role rule are checked.

-- The rule of every function that invites, re-keys or withdraws an invitation: the caller holds
-- members.invite in the organization and the role is strictly below the caller's role, now.
create or replace function rbac.require_invitable_role(p_organization_id uuid, p_role_id uuid) returns void
language plpgsql stable
security definer -- see the file header
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_organization_id, 'members.invite');
  if not exists (select 1 from core.roles r where r.id = p_role_id and r.organization_id = p_organization_id) then
    raise exception 'Role not found in this organization' using errcode = 'PT404';
  end if;
  if not rbac.caller_is_above(p_role_id) then
    raise exception 'You can only invite people to roles below your own' using errcode = '42501';
  end if;
end
$$;

create or replace function public.create_invitation(
  p_email text, p_organization_id uuid, p_role_id uuid,
  p_unit_id uuid default null, p_metadata jsonb default '{}'
) returns table (id uuid, token text, email text, expires_at timestamptz)
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_token text := rbac.new_invitation_token();
  v_invitation core.invitations;
begin
  perform rbac.require_invitable_role(p_organization_id, p_role_id);
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'Invalid email address' using errcode = '22023';
  end if;
  if p_unit_id is not null and not exists (
    select 1 from core.units u where u.id = p_unit_id and u.organization_id = p_organization_id and not u.is_deleted
  ) then
    raise exception 'Unit not found in this organization' using errcode = 'PT404';
  end if;
  if exists (select 1 from core.memberships m join core.users_meta um on um.user_id = m.user_id
             where m.organization_id = p_organization_id and not m.is_deleted and lower(um.email) = v_email) then
    raise exception 'This person is already a member of the organization' using errcode = '23505';
  end if;
  update core.invitations i set status = 'expired'
  where i.organization_id = p_organization_id and lower(i.email) = v_email
    and i.status = 'pending' and i.expires_at <= now();
  -- A plan with a member limit counts pending invitations as taken seats.
  perform platform.require_member_capacity(p_organization_id, true);
  begin
    insert into core.invitations (organization_id, email, role_id, unit_id, token_hash, invited_by, metadata)
    values (p_organization_id, v_email, p_role_id, p_unit_id, rbac.hash_invitation_token(v_token),
            core.get_current_user_id(), coalesce(p_metadata, '{}'))
    returning * into v_invitation;
  exception when unique_violation then
    raise exception 'A pending invitation for % already exists in this organization', v_email
      using errcode = '23505';
  end;
  return query select v_invitation.id, v_token, v_invitation.email, v_invitation.expires_at;
end
$$;

create or replace function public.invite_user_to_organization(p_email text, p_role_id uuid)
returns table (id uuid, token text, email text, expires_at timestamptz)
language sql
security invoker
set search_path = ''
as $$
  select * from public.create_invitation(
    p_email, (select r.organization_id from core.roles r where r.id = p_role_id), p_role_id)
$$;
comment on function public.invite_user_to_organization(text, uuid) is
  'Invites an email to the organization of p_role_id (never adds anyone directly).';

create or replace function public.get_invitation_details(p_token text)
returns table (id uuid, email text, organization_name text, unit_name text, role_name text,
  role_label text, invited_by_name text, expires_at timestamptz, status text)
language plpgsql
security definer -- the sign-up page reads one invitation by its secret token
set search_path = ''
as $$
declare
  v_invitation core.invitations := rbac.find_invitation(p_token);
begin
  return query
  select v_invitation.id, v_invitation.email, o.name, u.name, r.name, r.label,
    nullif(btrim(coalesce(um.first_name, '') || ' ' || coalesce(um.last_name, '')), ''),
    v_invitation.expires_at, v_invitation.status
  from core.organizations o
  join core.roles r on r.id = v_invitation.role_id
  left join core.units u on u.id = v_invitation.unit_id
  left join core.users_meta um on um.user_id = v_invitation.invited_by
  where o.id = v_invitation.organization_id and not o.is_deleted;
end
$$;

create or replace function public.accept_invitation(p_token text)
returns table (organization_id uuid, unit_id uuid, role_id uuid, organization_name text)
language plpgsql
security definer -- creates the caller's membership from the invitation
set search_path = ''
as $$
declare
  v_invitation core.invitations := rbac.find_invitation(p_token);
begin
  if core.get_current_user_id() is null then
    raise exception 'Sign in to accept an invitation' using errcode = '42501';
  end if;
  if core.get_current_user_email() is null then
    raise exception 'Confirm your email address before accepting an invitation' using errcode = '42501';
  end if;
  perform rbac.accept_invitation_for(v_invitation, core.get_current_user_id(), core.get_current_user_email());
  return query select v_invitation.organization_id, v_invitation.unit_id, v_invitation.role_id, o.name
  from core.organizations o where o.id = v_invitation.organization_id;
end
$$;

create or replace function public.list_invitations(p_organization_id uuid, p_status text default null)
returns table (id uuid, email text, organization_id uuid, unit_id uuid, role_name text, role_label text,
  invited_by_email text, status text, expires_at timestamptz, created_at timestamptz, role_id uuid,
  invited_by uuid)
language plpgsql stable
security invoker -- RLS decides; invited_by_email is null once the inviter shares no organization with the caller
set search_path = ''
as $$
declare
  -- SMTA calls a withdrawn invitation cancelled; Tenantbase stores it as revoked.
  v_status text := case when p_status = 'cancelled' then 'revoked' else p_status end;
begin
  perform rbac.require_permission(p_organization_id, 'members.invite');
  if v_status is not null and v_status not in ('pending', 'accepted', 'revoked', 'expired') then
    raise exception 'Invalid status %: use pending, accepted, revoked (or cancelled) or expired', p_status
      using errcode = '22023';
  end if;
  return query
  select i.id, i.email, i.organization_id, i.unit_id, r.name, r.label, um.email,
    case when i.status = 'pending' and i.expires_at <= now() then 'expired' else i.status end,
    i.expires_at, i.created_at, i.role_id, i.invited_by
  from core.invitations i
  join core.roles r on r.id = i.role_id
  left join core.users_meta um on um.user_id = i.invited_by
  where i.organization_id = p_organization_id
    and (v_status is null
         or (case when i.status = 'pending' and i.expires_at <= now() then 'expired' else i.status end) = v_status)
  order by i.created_at desc, i.id;
end
$$;

create or replace function rbac.require_invitation_manager(p_invitation_id uuid) returns core.invitations
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_invitation core.invitations;
begin
  select * into v_invitation from core.invitations i where i.id = p_invitation_id;
  if v_invitation.id is null or rbac.caller_role_id(v_invitation.organization_id) is null then
    raise exception 'Invitation not found' using errcode = 'PT404';
  end if;
  -- Having sent it is not enough: whoever re-keys or withdraws it must be allowed to invite
  -- to its role now (a demoted inviter could otherwise hand out a fresh token above them).
  perform rbac.require_invitable_role(v_invitation.organization_id, v_invitation.role_id);
  return v_invitation;
end
$$;

create or replace function public.cancel_invitation(p_invitation_id uuid) returns void
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_invitation core.invitations := rbac.require_invitation_manager(p_invitation_id);
begin
  if v_invitation.status <> 'pending' then
    raise exception 'Only pending invitations can be cancelled; this one is %', v_invitation.status
      using errcode = 'P0001';
  end if;
  update core.invitations i set status = 'revoked' where i.id = p_invitation_id;
end
$$;

create or replace function public.resend_invitation(p_invitation_id uuid)
returns table (id uuid, token text, email text, expires_at timestamptz)
language plpgsql
security definer -- see the file header
set search_path = ''
as $$
declare
  v_invitation core.invitations := rbac.require_invitation_manager(p_invitation_id);
  v_token text := rbac.new_invitation_token();
begin
  if v_invitation.status not in ('pending', 'expired') then
    raise exception 'Only pending or expired invitations can be resent; this one is %', v_invitation.status
      using errcode = 'P0001';
  end if;
  -- An expired invitation takes a seat again once it is re-issued; a live one already counts.
  if v_invitation.status = 'expired' or v_invitation.expires_at <= now() then
    perform platform.require_member_capacity(v_invitation.organization_id, true);
  end if;
  update core.invitations i
  set token_hash = rbac.hash_invitation_token(v_token), status = 'pending',
      expires_at = now() + interval '7 days'
  where i.id = p_invitation_id
  returning * into v_invitation;
  return query select v_invitation.id, v_token, v_invitation.email, v_invitation.expires_at;
end
$$;

revoke all on function rbac.require_invitable_role(uuid, uuid), rbac.require_invitation_manager(uuid) from public;
revoke all on function public.create_invitation(text, uuid, uuid, uuid, jsonb),
  public.invite_user_to_organization(text, uuid), public.get_invitation_details(text),
  public.accept_invitation(text), public.list_invitations(uuid, text), public.cancel_invitation(uuid),
  public.resend_invitation(uuid) from public, anon, authenticated;
grant execute on function public.create_invitation(text, uuid, uuid, uuid, jsonb),
  public.invite_user_to_organization(text, uuid), public.accept_invitation(text),
  public.list_invitations(uuid, text), public.cancel_invitation(uuid),
  public.resend_invitation(uuid) to authenticated, service_role;
grant execute on function public.get_invitation_details(text) to anon, authenticated, service_role;
