-- The operator's side: which users are platform admins, settings, feature flags, logs.
-- Service role only at table level; platform admins and members use public.* functions.

create table platform.platform_users (
  user_id uuid primary key,
  is_admin boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table platform.platform_users is 'Users known to the operator; is_admin marks platform admins.';

create table platform.platform_organizations (
  organization_id uuid primary key references core.organizations (id) on delete cascade,
  status text not null default 'active',
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint platform_organizations_status_check check (status in ('active', 'suspended'))
);
comment on table platform.platform_organizations is 'The operator''s view of each tenant (status, notes).';

create table platform.platform_roles (
  name text primary key,
  description text not null
);
comment on table platform.platform_roles is 'Operator-level roles (reserved for operator tooling).';
insert into platform.platform_roles (name, description) values ('admin', 'Platform administrator')
on conflict do nothing;

create table platform.platform_settings (
  key text primary key,
  value jsonb not null,
  description text,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  constraint platform_settings_key_format check (key ~ '^[a-z][a-z0-9_.]*$')
);
comment on table platform.platform_settings is
  'Global settings: allow_self_service_signup, allow_organization_creation (both off by default).';
-- Two separate doors: opening organization creation never opens sign-up, and the reverse.
-- (An earlier version had one setting for both; an installation that had it on keeps creation on.)
insert into platform.platform_settings (key, value, description) values
  ('allow_self_service_signup', 'false', 'Let people sign up without an invitation'),
  ('allow_organization_creation',
   coalesce((select s.value from platform.platform_settings s where s.key = 'allow_self_service_signup'), 'false'),
   'Let signed-in people create organizations of their own (public.create_organization)'),
  ('free_plan_features', '{}', 'Features of the free plan (organizations without a subscription), e.g. {"members": 3}')
on conflict (key) do update set description = excluded.description;

create table platform.platform_feature_flags (
  key text primary key,
  description text,
  enabled boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  constraint platform_feature_flags_key_format check (key ~ '^[a-z][a-z0-9_.]*$')
);
comment on table platform.platform_feature_flags is 'Feature flags with a global default.';

create table platform.organization_feature_flags (
  organization_id uuid not null references core.organizations (id) on delete cascade,
  key text not null references platform.platform_feature_flags (key) on delete cascade,
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  primary key (organization_id, key)
);
comment on table platform.organization_feature_flags is 'Per-organization overrides of feature flags.';

create table platform.platform_action_logs (
  id uuid primary key default gen_random_uuid(),
  actor_id uuid,
  action text not null,
  target_organization_id uuid,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
comment on table platform.platform_action_logs is 'Append-only log of what platform admins did.';
create trigger platform_action_logs_append_only before update or delete on platform.platform_action_logs
  for each row execute function utils.refuse_change();

create table platform.platform_system_events (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
comment on table platform.platform_system_events is 'System events (jobs, webhooks, maintenance) for operators.';

do $$
declare
  t text;
begin
  foreach t in array array['platform_users', 'platform_organizations', 'platform_roles', 'platform_settings',
    'platform_feature_flags', 'organization_feature_flags', 'platform_action_logs', 'platform_system_events']
  loop
    execute format('alter table platform.%I enable row level security', t);
    execute format('revoke all on platform.%I from public, anon, authenticated', t);
    execute format('grant all on platform.%I to service_role', t);
  end loop;
end
$$;

-- security definer: platform tables are closed to users; this answers for the caller alone.
create or replace function platform.is_platform_admin() returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select coalesce((select pu.is_admin from platform.platform_users pu
                   where pu.user_id = core.get_current_user_id()), false)
$$;
comment on function platform.is_platform_admin() is 'The caller is a platform administrator.';
revoke all on function platform.is_platform_admin() from public;
grant usage on schema platform to authenticated;
grant execute on function platform.is_platform_admin() to authenticated, service_role;
