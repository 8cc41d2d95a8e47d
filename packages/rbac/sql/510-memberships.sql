-- Creating a membership from an accepted invitation: shared by accept_invitation and the
-- sign-up triggers of the Supabase adapter. p_email is the account's confirmed email.

-- Can this account take the invitation? Raises the reason when it cannot.
create or replace function rbac.check_invitation_for(
  p_invitation core.invitations, p_user_id uuid, p_email text
) returns void
language plpgsql
security definer -- reads memberships of an organization the user is not a member of yet
set search_path = ''
as $$
begin
  if p_invitation.status <> 'pending' then
    raise exception 'This invitation is %', p_invitation.status using errcode = 'P0001';
  end if;
  if lower(p_invitation.email) <> lower(coalesce(p_email, '')) then
    raise exception 'This invitation was sent to another email address' using errcode = '42501';
  end if;
  if exists (select 1 from core.memberships m where m.organization_id = p_invitation.organization_id
             and m.user_id = p_user_id and not m.is_deleted) then
    raise exception 'You are already a member of this organization' using errcode = '23505';
  end if;
  perform platform.require_member_capacity(p_invitation.organization_id, false);
end
$$;

create or replace function rbac.accept_invitation_for(
  p_invitation core.invitations, p_user_id uuid, p_email text
) returns void
language plpgsql
security definer -- writes memberships and invitations, which users cannot write directly
set search_path = ''
as $$
begin
  perform rbac.check_invitation_for(p_invitation, p_user_id, p_email);
  insert into core.memberships (organization_id, user_id, role_id, created_by, updated_by)
  values (p_invitation.organization_id, p_user_id, p_invitation.role_id, p_invitation.invited_by, p_user_id)
  on conflict (organization_id, user_id) do update
    set role_id = excluded.role_id, is_deleted = false;
  if p_invitation.unit_id is not null then
    insert into core.unit_memberships (organization_id, unit_id, user_id, role_id)
    values (p_invitation.organization_id, p_invitation.unit_id, p_user_id, p_invitation.role_id)
    on conflict (unit_id, user_id) do update set role_id = excluded.role_id, is_deleted = false;
  end if;
  insert into core.users_meta (user_id, email, active_organization_id)
  values (p_user_id, lower(p_email), p_invitation.organization_id)
  on conflict (user_id) do update
    set email = excluded.email,
        active_organization_id = coalesce(core.users_meta.active_organization_id, excluded.active_organization_id);
  update core.invitations i
  set status = 'accepted', accepted_by = p_user_id, accepted_at = now()
  where i.id = p_invitation.id;
end
$$;
revoke all on function rbac.check_invitation_for(core.invitations, uuid, text),
  rbac.accept_invitation_for(core.invitations, uuid, text) from public;
