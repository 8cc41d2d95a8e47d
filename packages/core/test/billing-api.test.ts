import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// The billing functions a server calls through the API with the service key (no database
// login): the webhook sync, the customer lookup of the portal, the seat state of syncSeats.
let db: TestDatabase
let t: Tenant
let member: TestUser
let admin: TestUser

const event = (id: string, occurredAt: string, quantity: number) => ({
  provider: 'stripe',
  event_id: id,
  type: 'customer.subscription.updated',
  occurred_at: occurredAt,
  organization_id: t.orgId,
  customer: { id: 'cus_api', email: 'billing@api.test' },
  subscription: {
    id: 'sub_api',
    status: 'active',
    price_id: 'price_api',
    quantity,
    current_period_end: '2027-01-01T00:00:00Z',
    cancel_at_period_end: false,
  },
})

beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Billing')
  member = await addMember(db, t, await createRole(db, t, 'member', t.rootRoleId), 'member')
  admin = await db.createUser({ email: 'operator@billing.test' })
  await db.as('service_role').query('select public.platform_set_admin($1, true)', [admin.id])
  await db.query(
    `insert into platform.subscription_products (provider, provider_price_id, plan, name, amount, features)
     values ('stripe', 'price_api', 'growth', 'Growth', 1900, '{"members": 20}')`,
  )
})
afterAll(() => db.close())

describe('billing functions for the service key', () => {
  it('applies events, replays as duplicates and older ones as stale', async () => {
    const apply = (payload: unknown) =>
      db
        .as('service_role')
        .query<{ outcome: string }>('select public.billing_apply_event($1) as outcome', [
          JSON.stringify(payload),
        ])
    expect(await apply(event('evt_a', '2026-06-01T00:00:00Z', 2))).toEqual([{ outcome: 'applied' }])
    expect(await apply(event('evt_a', '2026-06-01T00:00:00Z', 2))).toEqual([
      { outcome: 'duplicate' },
    ])
    expect(await apply(event('evt_b', '2026-05-01T00:00:00Z', 9))).toEqual([{ outcome: 'stale' }])
    expect(
      await db
        .as(member)
        .query('select plan, source, quantity, features from public.get_organization_plan($1)', [
          t.orgId,
        ]),
    ).toEqual([{ plan: 'growth', source: 'subscription', quantity: 2, features: { members: 20 } }])
    await expect(apply({ provider: 'stripe' })).rejects.toMatchObject({
      code: '22023',
      message: 'A billing event needs provider, event_id and occurred_at',
    })
  })

  it('finds the customer and the seat state of an organization', async () => {
    expect(
      await db
        .as('service_role')
        .query('select public.billing_customer_id($1, $2) as id', [t.orgId, 'stripe']),
    ).toEqual([{ id: 'cus_api' }])
    expect(
      await db
        .as('service_role')
        .query('select public.billing_customer_id($1, $2) as id', [t.orgId, 'lemon_squeezy']),
    ).toEqual([{ id: null }])
    expect(
      await db
        .as('service_role')
        .query('select * from public.billing_seat_state($1, $2)', [t.orgId, 'stripe']),
    ).toEqual([{ provider_subscription_id: 'sub_api', quantity: 2, seat_count: 2 }])
  })

  it('refuses members, owners, platform admins and anon', async () => {
    for (const actor of [member, t.owner, admin, 'anon'] as const) {
      for (const sql of [
        `select public.billing_apply_event('{}')`,
        `select public.billing_customer_id('${t.orgId}', 'stripe')`,
        `select * from public.billing_seat_state('${t.orgId}', 'stripe')`,
      ]) {
        await expect(db.as(actor).query(sql)).rejects.toMatchObject({
          code: '42501',
          message: expect.stringMatching(/^permission denied for function billing_/),
        })
      }
    }
  })
})

describe('plans for operators', () => {
  it('shows a platform admin any plan, and still refuses strangers', async () => {
    expect(
      await db.as(admin).query('select plan from public.get_organization_plan($1)', [t.orgId]),
    ).toEqual([{ plan: 'growth' }])
    const stranger = await db.createUser({ email: 'stranger@billing.test' })
    await expect(
      db.as(stranger).query('select plan from public.get_organization_plan($1)', [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'You are not a member of this organization' })
  })

  it('validates overrides and writes each one to the action log', async () => {
    const override = (plan: string | null, features: unknown = {}) =>
      db
        .as(admin)
        .query('select public.platform_set_subscription_override($1, $2, $3, null, $4)', [
          t.orgId,
          plan,
          JSON.stringify(features),
          'pilot customer',
        ])
    await expect(override('Big Plan')).rejects.toMatchObject({
      code: '22023',
      message: 'Invalid plan: use 1 to 63 lower-case letters, digits, dashes or underscores',
    })
    await expect(override('enterprise', [1])).rejects.toMatchObject({
      code: '22023',
      message: 'Plan features must be a JSON object',
    })
    await expect(
      db
        .as(admin)
        .query(`select public.platform_set_subscription_override($1, 'x')`, [
          '00000000-0000-4000-8000-000000000000',
        ]),
    ).rejects.toMatchObject({ code: 'PT404', message: 'Organization not found' })
    await expect(
      db
        .as(t.owner)
        .query(`select public.platform_set_subscription_override($1, 'enterprise')`, [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
    await override('enterprise', { members: 500 })
    expect(
      await db
        .as(member)
        .query('select plan, source from public.get_organization_plan($1)', [t.orgId]),
    ).toEqual([{ plan: 'enterprise', source: 'override' }])
    await override(null)
    expect(
      await db.query(
        `select action, target_organization_id, details from platform.platform_action_logs
         where actor_id = $1 order by created_at`,
        [admin.id],
      ),
    ).toEqual([
      {
        action: 'set_subscription_override',
        target_organization_id: t.orgId,
        details: { plan: 'enterprise', features: { members: 500 }, reason: 'pilot customer' },
      },
      {
        action: 'remove_subscription_override',
        target_organization_id: t.orgId,
        details: { features: {}, reason: 'pilot customer' },
      },
    ])
  })
})
