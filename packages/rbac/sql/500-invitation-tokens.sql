-- Invitation tokens: 32 random bytes, URL-safe; only the SHA-256 hash is stored.

create or replace function rbac.new_invitation_token() returns text
language sql volatile
set search_path = ''
as $$
  select rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=')
$$;

create or replace function rbac.hash_invitation_token(p_token text) returns text
language sql immutable
set search_path = ''
as $$ select encode(sha256(convert_to(coalesce(p_token, ''), 'UTF8')), 'hex') $$;

-- The pending, unexpired invitation of a token; expired ones are marked on the way.
create or replace function rbac.find_invitation(p_token text) returns core.invitations
language plpgsql
security definer -- invitations are read by hash, by people who are not members yet
set search_path = ''
as $$
declare
  v_invitation core.invitations;
begin
  if p_token is null or p_token !~ '^[A-Za-z0-9_-]{43}$' then
    raise exception 'Invalid invitation token' using errcode = '22023';
  end if;
  select * into v_invitation from core.invitations i
  where i.token_hash = rbac.hash_invitation_token(p_token);
  if v_invitation.id is null then
    raise exception 'Invitation not found' using errcode = 'PT404';
  end if;
  if v_invitation.status = 'pending' and v_invitation.expires_at <= now() then
    update core.invitations i set status = 'expired' where i.id = v_invitation.id;
    v_invitation.status := 'expired';
  end if;
  return v_invitation;
end
$$;

revoke all on function rbac.new_invitation_token(), rbac.hash_invitation_token(text),
  rbac.find_invitation(text) from public;
