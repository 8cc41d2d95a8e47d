-- Invite-only onboarding: a new auth user is admitted only with a valid invitation token in
-- raw_user_meta_data.invitation_token for the same email. The invitation binds to a confirmed
-- address: GoTrue inserts an account unconfirmed and sets email_confirmed_at afterwards (in the
-- same transaction when it autoconfirms, when the link is followed otherwise), so the
-- membership, profile and accepted invitation are written when the email is confirmed. Without
-- a valid invitation the insert fails and Supabase Auth answers "Database error saving new user".

-- security definer: GoTrue inserts as supabase_auth_admin (search_path auth), which has no
-- privileges on core or rbac.
create or replace function rbac.admit_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := new.raw_user_meta_data ->> 'invitation_token';
  v_invitation core.invitations;
begin
  if v_token is null then
    if coalesce(current_setting('tenantbase.allow_uninvited_user', true), '') = 'on'
       or coalesce((select s.value = 'true'::jsonb from platform.platform_settings s
                    where s.key = 'allow_self_service_signup'), false) then
      insert into core.users_meta (user_id, email) values (new.id, lower(new.email))
      on conflict (user_id) do nothing;
      return new;
    end if;
    raise exception 'Sign-up requires an invitation' using errcode = '42501';
  end if;
  v_invitation := rbac.find_invitation(v_token);
  if new.email_confirmed_at is not null then
    perform rbac.accept_invitation_for(v_invitation, new.id, new.email);
  else
    -- Refused now if it could never be accepted; accepted once the address is confirmed.
    perform rbac.check_invitation_for(v_invitation, new.id, new.email);
  end if;
  return new;
end
$$;
revoke all on function rbac.admit_new_user() from public;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function rbac.admit_new_user();

-- The address of an invited sign-up is confirmed: take the invitation now. If it was revoked,
-- has expired or was taken meanwhile, or the plan has no room left, the account is confirmed
-- without a membership (raising here would block the confirmation itself); a fresh invitation
-- can be accepted later.
create or replace function rbac.admit_confirmed_user() returns trigger
language plpgsql
security definer -- see rbac.admit_new_user
set search_path = ''
as $$
declare
  v_invitation core.invitations;
begin
  select * into v_invitation from core.invitations i
  where i.token_hash = rbac.hash_invitation_token(new.raw_user_meta_data ->> 'invitation_token');
  if v_invitation.id is not null and v_invitation.status = 'pending' and v_invitation.expires_at > now()
     and lower(v_invitation.email) = lower(new.email)
     and not exists (select 1 from core.memberships m where m.organization_id = v_invitation.organization_id
                     and m.user_id = new.id and not m.is_deleted)
     and platform.has_member_capacity(v_invitation.organization_id) then
    perform rbac.accept_invitation_for(v_invitation, new.id, new.email);
  end if;
  return new;
end
$$;
revoke all on function rbac.admit_confirmed_user() from public;

create trigger on_auth_user_confirmed after update of email_confirmed_at on auth.users
  for each row when (old.email_confirmed_at is null and new.email_confirmed_at is not null
                     and new.raw_user_meta_data ? 'invitation_token')
  execute function rbac.admit_confirmed_user();

-- Keep the profile's display copy of the email in step with the account.
create or replace function rbac.sync_user_email() returns trigger
language plpgsql
security definer -- see rbac.admit_new_user
set search_path = ''
as $$
begin
  update core.users_meta um set email = lower(new.email) where um.user_id = new.id;
  return new;
end
$$;
revoke all on function rbac.sync_user_email() from public;
create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email) execute function rbac.sync_user_email();
