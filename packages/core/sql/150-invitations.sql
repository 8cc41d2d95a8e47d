create table core.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  email text not null,
  role_id uuid not null,
  unit_id uuid,
  token_hash text not null,
  expires_at timestamptz not null default now() + interval '7 days',
  status text not null default 'pending',
  invited_by uuid,
  accepted_by uuid,
  accepted_at timestamptz,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint invitations_status_check check (status in ('pending', 'accepted', 'revoked', 'expired')),
  constraint invitations_email_format check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(email) <= 320),
  constraint invitations_role_fkey foreign key (organization_id, role_id)
    references core.roles (organization_id, id) on delete cascade,
  constraint invitations_unit_fkey foreign key (organization_id, unit_id)
    references core.units (organization_id, id) on delete cascade,
  constraint invitations_token_hash_key unique (token_hash)
);
create unique index invitations_one_pending_per_email on core.invitations (organization_id, lower(email))
  where status = 'pending';
create index invitations_organization_id_idx on core.invitations (organization_id, status);
comment on table core.invitations is
  'Invitations to one organization. Only the SHA-256 hash of the token is stored; the token is shown once.';
comment on column core.invitations.token_hash is 'hex SHA-256 of the URL-safe token; the token itself is never stored.';

alter table core.invitations enable row level security;
revoke all on core.invitations from public, anon, authenticated;
grant select (id, organization_id, email, role_id, unit_id, expires_at, status, invited_by,
  accepted_by, accepted_at, metadata, created_at, updated_at, created_by, updated_by)
  on core.invitations to authenticated;
grant all on core.invitations to service_role;

create policy invitations_select on core.invitations for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));

create trigger invitations_touch before insert or update on core.invitations
  for each row execute function utils.touch();
create trigger invitations_audit after insert or update or delete on core.invitations
  for each row execute function utils.audit();
