-- Billing state, written only by the webhook sync (platform.apply_billing_event, service role)
-- and read through public.get_organization_plan / public.list_subscription_products.
-- Statuses of every provider map to one set: trialing, active, past_due, paused, canceled,
-- unpaid, incomplete, expired (see packages/billing/README.md for the mapping).

create table platform.subscription_products (
  id uuid primary key default gen_random_uuid(),
  provider text not null,
  provider_product_id text,
  provider_price_id text not null,
  plan text not null,
  name text not null,
  description text,
  billing_interval text not null default 'month',
  amount integer not null default 0,
  currency text not null default 'usd',
  seat_based boolean not null default true,
  features jsonb not null default '{}',
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint subscription_products_provider_check check (provider in ('stripe', 'lemon_squeezy')),
  constraint subscription_products_interval_check check (billing_interval in ('month', 'year', 'one_time')),
  constraint subscription_products_amount_check check (amount >= 0),
  constraint subscription_products_price_key unique (provider, provider_price_id)
);
comment on table platform.subscription_products is 'Sellable plans (a provider price each), seeded or synced from the provider.';
comment on column platform.subscription_products.amount is 'Price per unit (seat) in the currency''s minor unit.';
create trigger subscription_products_touch before insert or update on platform.subscription_products
  for each row execute function utils.touch();

create table platform.billing_customers (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  provider text not null,
  provider_customer_id text not null,
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint billing_customers_provider_key unique (provider, provider_customer_id)
);
create index billing_customers_organization_id_idx on platform.billing_customers (organization_id, provider, updated_at desc);
comment on table platform.billing_customers is 'The provider''s customer of each organization.';

create table platform.billing_subscriptions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  provider text not null,
  provider_subscription_id text not null,
  provider_customer_id text,
  provider_price_id text,
  status text not null,
  quantity integer not null default 1,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  last_event_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint billing_subscriptions_provider_key unique (provider, provider_subscription_id),
  constraint billing_subscriptions_status_check check (status in
    ('trialing', 'active', 'past_due', 'paused', 'canceled', 'unpaid', 'incomplete', 'expired')),
  constraint billing_subscriptions_quantity_check check (quantity >= 0)
);
create index billing_subscriptions_organization_id_idx on platform.billing_subscriptions (organization_id);
comment on table platform.billing_subscriptions is 'Subscriptions as of the newest provider event applied (last_event_at).';

create table platform.billing_events (
  provider text not null,
  event_id text not null,
  event_type text not null,
  organization_id uuid,
  occurred_at timestamptz not null,
  outcome text not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);
comment on table platform.billing_events is 'Every provider event received, by id: a replay is a no-op.';

create table platform.platform_subscription_overrides (
  organization_id uuid primary key references core.organizations (id) on delete cascade,
  plan text not null,
  features jsonb not null default '{}',
  reason text,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  created_by uuid
);
comment on table platform.platform_subscription_overrides is 'A plan granted by the operator; wins over any subscription until it expires.';

do $$
declare
  t text;
begin
  foreach t in array array['subscription_products', 'billing_customers', 'billing_subscriptions', 'billing_events',
    'platform_subscription_overrides']
  loop
    execute format('alter table platform.%I enable row level security', t);
    execute format('revoke all on platform.%I from public, anon, authenticated', t);
    execute format('grant all on platform.%I to service_role', t);
  end loop;
end
$$;

-- Applies one normalized provider event. Idempotent by event id; an event older than the state
-- already stored never overwrites it; events without a subscription are recorded and ignored.
create or replace function platform.apply_billing_event(p_event jsonb) returns text
language plpgsql
security definer -- the only writer of billing state; service role only
set search_path = ''
as $$
declare
  v_provider text := p_event ->> 'provider';
  v_occurred_at timestamptz := (p_event ->> 'occurred_at')::timestamptz;
  v_org uuid := nullif(p_event ->> 'organization_id', '')::uuid;
  v_sub jsonb := p_event -> 'subscription';
  v_customer jsonb := p_event -> 'customer';
  v_existing platform.billing_subscriptions;
  v_outcome text;
begin
  if not core.is_service_caller() then
    raise exception 'Only the service role can apply billing events' using errcode = '42501';
  end if;
  if v_provider is null or p_event ->> 'event_id' is null or v_occurred_at is null then
    raise exception 'A billing event needs provider, event_id and occurred_at' using errcode = '22023';
  end if;
  insert into platform.billing_events (provider, event_id, event_type, organization_id, occurred_at, outcome, payload)
  values (v_provider, p_event ->> 'event_id', coalesce(p_event ->> 'type', 'unknown'), v_org, v_occurred_at, 'received', p_event)
  on conflict do nothing;
  if not found then
    return 'duplicate';
  end if;
  if v_org is not null and v_customer ->> 'id' is not null then
    insert into platform.billing_customers (organization_id, provider, provider_customer_id, email)
    values (v_org, v_provider, v_customer ->> 'id', v_customer ->> 'email')
    on conflict (provider, provider_customer_id) do update
      set email = coalesce(excluded.email, platform.billing_customers.email), updated_at = now();
  end if;
  if v_sub is null or v_sub = 'null'::jsonb or v_org is null then
    v_outcome := 'ignored';
  else
    select * into v_existing from platform.billing_subscriptions s
    where s.provider = v_provider and s.provider_subscription_id = v_sub ->> 'id' for update;
    if v_existing.id is not null and v_existing.last_event_at > v_occurred_at then
      v_outcome := 'stale';
    else
      insert into platform.billing_subscriptions as s (organization_id, provider, provider_subscription_id,
        provider_customer_id, provider_price_id, status, quantity, current_period_end, cancel_at_period_end, last_event_at)
      values (v_org, v_provider, v_sub ->> 'id', v_customer ->> 'id', v_sub ->> 'price_id', v_sub ->> 'status',
        coalesce((v_sub ->> 'quantity')::int, 1), (v_sub ->> 'current_period_end')::timestamptz,
        coalesce((v_sub ->> 'cancel_at_period_end')::boolean, false), v_occurred_at)
      on conflict (provider, provider_subscription_id) do update set
        provider_customer_id = coalesce(excluded.provider_customer_id, s.provider_customer_id),
        provider_price_id = coalesce(excluded.provider_price_id, s.provider_price_id),
        status = excluded.status, quantity = excluded.quantity,
        current_period_end = coalesce(excluded.current_period_end, s.current_period_end),
        cancel_at_period_end = excluded.cancel_at_period_end, last_event_at = excluded.last_event_at,
        updated_at = now();
      v_outcome := 'applied';
    end if;
  end if;
  update platform.billing_events e set outcome = v_outcome
  where e.provider = v_provider and e.event_id = p_event ->> 'event_id';
  return v_outcome;
end
$$;
comment on function platform.apply_billing_event(jsonb) is
  'Webhook sync: applies a normalized event; returns applied, duplicate, stale or ignored.';
revoke all on function platform.apply_billing_event(jsonb) from public, anon, authenticated;
grant execute on function platform.apply_billing_event(jsonb) to service_role;

-- The webhook sync and seat sync over the API: a server holding only SUPABASE_URL and the service
-- key (no database login) calls these through PostgREST. Service role only.
create or replace function public.billing_apply_event(p_event jsonb) returns text
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if not core.is_service_caller() then
    raise exception 'Only the service role can apply billing events' using errcode = '42501';
  end if;
  return platform.apply_billing_event(p_event);
end
$$;
comment on function public.billing_apply_event(jsonb) is
  'platform.apply_billing_event over the API (service role): applied, duplicate, stale or ignored.';

create or replace function public.billing_customer_id(p_org_id uuid, p_provider text) returns text
language plpgsql stable
security invoker
set search_path = ''
as $$
begin
  if not core.is_service_caller() then
    raise exception 'Only the service role can read billing customers' using errcode = '42501';
  end if;
  return (select c.provider_customer_id from platform.billing_customers c
          where c.organization_id = p_org_id and c.provider = p_provider
          order by c.updated_at desc limit 1);
end
$$;
comment on function public.billing_customer_id(uuid, text) is
  'The provider''s newest customer id of an organization, for the customer portal (service role).';

create or replace function public.billing_seat_state(p_org_id uuid, p_provider text)
returns table (provider_subscription_id text, quantity integer, seat_count integer)
language plpgsql stable
security invoker
set search_path = ''
as $$
begin
  if not core.is_service_caller() then
    raise exception 'Only the service role can read billing subscriptions' using errcode = '42501';
  end if;
  return query
  select s.provider_subscription_id, s.quantity, platform.organization_seat_count(p_org_id)
  from platform.billing_subscriptions s
  where s.organization_id = p_org_id and s.provider = p_provider and s.status in ('trialing', 'active', 'past_due')
  order by s.last_event_at desc limit 1;
end
$$;
comment on function public.billing_seat_state(uuid, text) is
  'The live subscription''s seat quantity and the member count it should have (service role).';

revoke all on function public.billing_apply_event(jsonb), public.billing_customer_id(uuid, text),
  public.billing_seat_state(uuid, text) from public, anon, authenticated;
grant execute on function public.billing_apply_event(jsonb), public.billing_customer_id(uuid, text),
  public.billing_seat_state(uuid, text) to service_role;

create or replace function public.list_subscription_products()
returns table (id uuid, name text, description text, billing_interval text, amount integer,
  created_at timestamptz, updated_at timestamptz, created_by uuid, updated_by uuid,
  plan text, currency text, seat_based boolean, features jsonb, provider text, provider_price_id text)
language sql stable
security definer -- pricing pages read active products; the table stays closed
set search_path = ''
as $$
  select p.id, p.name, p.description, p.billing_interval, p.amount, p.created_at, p.updated_at, p.created_by,
    p.updated_by, p.plan, p.currency, p.seat_based, p.features, p.provider, p.provider_price_id
  from platform.subscription_products p where p.is_active order by p.amount, p.name
$$;
comment on function public.list_subscription_products() is
  'Active plans for pricing pages (anon): SMTA''s fields, then plan, currency, seats, features and the provider price.';
revoke all on function public.list_subscription_products() from public;
grant execute on function public.list_subscription_products() to anon, authenticated, service_role;

-- The effective plan: an unexpired platform override, else the newest live subscription, else
-- free (with the features of the platform setting free_plan_features). No access check: callers
-- check who asks.
create or replace function platform.effective_plan(p_org_id uuid)
returns table (plan text, plan_name text, source text, status text, features jsonb, quantity integer,
  current_period_end timestamptz, cancel_at_period_end boolean)
language sql stable
security definer -- billing tables stay closed; see public.get_organization_plan
set search_path = ''
as $$
  with override as (
    select o.plan, o.features from platform.platform_subscription_overrides o
    where o.organization_id = p_org_id and (o.expires_at is null or o.expires_at > now())
  ), subscription as (
    select s.status, s.quantity, s.current_period_end, s.cancel_at_period_end, p.plan, p.name, p.features
    from platform.billing_subscriptions s
    left join platform.subscription_products p on p.provider = s.provider and p.provider_price_id = s.provider_price_id
    where s.organization_id = p_org_id and s.status in ('trialing', 'active', 'past_due')
    order by s.last_event_at desc limit 1
  ), chosen as (
    select o.plan, null::text as name, 'override' as source, 'active' as status, o.features,
      null::int as quantity, null::timestamptz as current_period_end, false as cancel_at_period_end
    from override o
    union all
    select coalesce(s.plan, 'unknown'), s.name, 'subscription', s.status, coalesce(s.features, '{}'), s.quantity,
      s.current_period_end, s.cancel_at_period_end
    from subscription s where not exists (select 1 from override)
    union all
    select 'free', 'Free', 'free', 'active',
      coalesce((select st.value from platform.platform_settings st
                where st.key = 'free_plan_features' and jsonb_typeof(st.value) = 'object'), '{}'),
      null, null, false
    where not exists (select 1 from override) and not exists (select 1 from subscription)
  )
  select c.plan,
    coalesce(c.name, (select p.name from platform.subscription_products p where p.plan = c.plan
                      order by p.is_active desc, p.amount limit 1), initcap(c.plan)),
    c.source, c.status, c.features, c.quantity, c.current_period_end, c.cancel_at_period_end
  from chosen c
$$;
comment on function platform.effective_plan(uuid) is
  'Override > live subscription > free, with the plan''s display name and features; no access check.';
revoke all on function platform.effective_plan(uuid) from public, anon, authenticated;
grant execute on function platform.effective_plan(uuid) to service_role;

create or replace function public.get_organization_plan(p_org_id uuid)
returns table (plan text, source text, status text, features jsonb, quantity integer,
  current_period_end timestamptz, cancel_at_period_end boolean)
language plpgsql stable
security definer -- members (and platform admins) read an organization's plan; billing tables stay closed
set search_path = ''
as $$
begin
  if not core.is_service_caller() and rbac.caller_role_id(p_org_id) is null and not platform.is_platform_admin() then
    raise exception 'You are not a member of this organization' using errcode = '42501';
  end if;
  return query
  select e.plan, e.source, e.status, e.features, e.quantity, e.current_period_end, e.cancel_at_period_end
  from platform.effective_plan(p_org_id) e;
end
$$;
revoke all on function public.get_organization_plan(uuid) from public, anon, authenticated;
grant execute on function public.get_organization_plan(uuid) to authenticated, service_role;

-- Member limits: a plan whose features hold a number under "members" allows that many members.
-- Invitations count while pending, so a full plan cannot be overbooked by inviting; accepting
-- checks members alone. Checks of one organization are serialized (advisory lock), so two
-- invitations at once cannot both take the last seat.
create or replace function platform.member_capacity(p_org_id uuid)
returns table (plan_name text, member_limit integer, members integer, pending_invitations integer)
language sql stable
security definer -- counts memberships and invitations of any organization for the checks below
set search_path = ''
as $$
  select e.plan_name,
    case when jsonb_typeof(e.features -> 'members') = 'number'
      then greatest(floor((e.features ->> 'members')::numeric), 0)::int end,
    (select count(*)::int from core.memberships m where m.organization_id = p_org_id and not m.is_deleted),
    (select count(*)::int from core.invitations i
     where i.organization_id = p_org_id and i.status = 'pending' and i.expires_at > now())
  from platform.effective_plan(p_org_id) e
$$;
comment on function platform.member_capacity(uuid) is
  'The plan''s member limit (null: none), active members and unexpired pending invitations.';

create or replace function platform.require_member_capacity(p_org_id uuid, p_inviting boolean) returns void
language plpgsql
security definer -- see platform.member_capacity
set search_path = ''
as $$
declare
  v_capacity record;
  v_allowed text;
begin
  select * into v_capacity from platform.member_capacity(p_org_id);
  if v_capacity.member_limit is null then
    return;
  end if;
  -- Limited plans only: serialize, then count again with what committed meanwhile.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenantbase.members:' || p_org_id::text, 0));
  select * into v_capacity from platform.member_capacity(p_org_id);
  v_allowed := v_capacity.member_limit || case when v_capacity.member_limit = 1 then ' member' else ' members' end;
  if p_inviting and v_capacity.members + v_capacity.pending_invitations >= v_capacity.member_limit then
    raise exception 'The % plan allows % and no seat is left (members: %, pending invitations: %). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
      v_capacity.plan_name, v_allowed, v_capacity.members, v_capacity.pending_invitations
      using errcode = 'P0001';
  end if;
  if not p_inviting and v_capacity.members >= v_capacity.member_limit then
    raise exception 'The % plan of this organization allows % and no seat is left. Ask an admin of the organization to upgrade the plan or make room',
      v_capacity.plan_name, v_allowed
      using errcode = 'P0001';
  end if;
end
$$;
comment on function platform.require_member_capacity(uuid, boolean) is
  'Raises P0001 when the plan''s member limit leaves no room: for an invitation (members + pending) or a new member.';

-- True when one more member fits the plan (for paths that must not raise, e.g. email confirmation).
create or replace function platform.has_member_capacity(p_org_id uuid) returns boolean
language sql stable
security definer -- see platform.member_capacity
set search_path = ''
as $$
  select c.member_limit is null or c.members < c.member_limit from platform.member_capacity(p_org_id) c
$$;
revoke all on function platform.member_capacity(uuid), platform.require_member_capacity(uuid, boolean),
  platform.has_member_capacity(uuid) from public, anon, authenticated;
grant execute on function platform.member_capacity(uuid), platform.require_member_capacity(uuid, boolean),
  platform.has_member_capacity(uuid) to service_role;

-- What an app needs to start a checkout or open the customer portal for an organization: the
-- provider's customer and subscription, and the seat count. billing.manage only.
create or replace function public.get_billing_account(p_org_id uuid)
returns table (organization_id uuid, seat_count integer, provider text, provider_customer_id text,
  provider_subscription_id text, provider_price_id text, plan text, status text, quantity integer,
  current_period_end timestamptz, cancel_at_period_end boolean)
language plpgsql stable
security definer -- billing tables stay closed; billing.manage is checked here
set search_path = ''
as $$
begin
  perform rbac.require_permission(p_org_id, 'billing.manage');
  return query
  with subscription as (
    select s.* from platform.billing_subscriptions s
    where s.organization_id = p_org_id order by s.last_event_at desc limit 1
  ), customer as (
    select c.* from platform.billing_customers c
    where c.organization_id = p_org_id order by c.updated_at desc limit 1
  )
  select p_org_id, platform.organization_seat_count(p_org_id),
    coalesce(s.provider, c.provider), coalesce(s.provider_customer_id, c.provider_customer_id),
    s.provider_subscription_id, s.provider_price_id, pr.plan, s.status, s.quantity, s.current_period_end,
    coalesce(s.cancel_at_period_end, false)
  from (select 1) one
  left join subscription s on true
  left join customer c on true
  left join platform.subscription_products pr on pr.provider = s.provider and pr.provider_price_id = s.provider_price_id;
end
$$;
comment on function public.get_billing_account(uuid) is
  'The organization''s billing customer, latest subscription and seat count, for checkout and portal (billing.manage).';
revoke all on function public.get_billing_account(uuid) from public, anon, authenticated;
grant execute on function public.get_billing_account(uuid) to authenticated, service_role;

-- p_plan null removes the override.
create or replace function public.platform_set_subscription_override(
  p_org_id uuid, p_plan text default null, p_features jsonb default '{}', p_expires_at timestamptz default null,
  p_reason text default null
) returns void
language plpgsql
security definer -- platform admins only
set search_path = ''
as $$
begin
  perform platform.require_admin();
  if not exists (select 1 from core.organizations o where o.id = p_org_id) then
    raise exception 'Organization not found' using errcode = 'PT404';
  end if;
  if p_plan is not null and p_plan !~ '^[a-z][a-z0-9_-]{0,62}$' then
    raise exception 'Invalid plan: use 1 to 63 lower-case letters, digits, dashes or underscores' using errcode = '22023';
  end if;
  if p_features is not null and jsonb_typeof(p_features) <> 'object' then
    raise exception 'Plan features must be a JSON object' using errcode = '22023';
  end if;
  insert into platform.platform_action_logs (actor_id, action, target_organization_id, details)
  values (core.get_current_user_id(), case when p_plan is null then 'remove_subscription_override'
            else 'set_subscription_override' end, p_org_id,
          jsonb_strip_nulls(jsonb_build_object('plan', p_plan, 'features', p_features,
            'expires_at', p_expires_at, 'reason', p_reason)));
  if p_plan is null then
    delete from platform.platform_subscription_overrides o where o.organization_id = p_org_id;
  else
    insert into platform.platform_subscription_overrides (organization_id, plan, features, expires_at, reason, created_by)
    values (p_org_id, p_plan, coalesce(p_features, '{}'), p_expires_at, p_reason, core.get_current_user_id())
    on conflict (organization_id) do update set plan = excluded.plan, features = excluded.features,
      expires_at = excluded.expires_at, reason = excluded.reason;
  end if;
end
$$;
revoke all on function public.platform_set_subscription_override(uuid, text, jsonb, timestamptz, text) from public, anon, authenticated;
grant execute on function public.platform_set_subscription_override(uuid, text, jsonb, timestamptz, text) to authenticated, service_role;

-- The seat count the subscription should have: active members of the organization.
create or replace function platform.organization_seat_count(p_org_id uuid) returns integer
language sql stable
security definer -- counts members for the billing sync
set search_path = ''
as $$ select count(*)::int from core.memberships m where m.organization_id = p_org_id and not m.is_deleted $$;
revoke all on function platform.organization_seat_count(uuid) from public, anon, authenticated;
grant execute on function platform.organization_seat_count(uuid) to service_role;
