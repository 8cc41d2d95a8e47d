import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BillingProvider, NormalizedSubscription } from '#src/billing-provider.ts'
import { handleBillingWebhook } from '#src/handle-billing-webhook.ts'
import { createLemonSqueezyProvider } from '#src/lemon-squeezy/create-lemon-squeezy-provider.ts'
import {
  lemonSqueezySignature,
  lemonSqueezySubscription,
} from '#src/lemon-squeezy/test-payloads.ts'
import { createStripeProvider } from '#src/stripe/create-stripe-provider.ts'
import { syncSeats } from '#src/sync-seats.ts'

let db: TestDatabase
let pool: pg.Pool
let orgId: string
const provider = createStripeProvider({
  secretKey: 'sk_test_1',
  webhookSecret: 'whsec_sync',
  lookupCustomer: async () => undefined,
})

beforeAll(async () => {
  db = await createTestDatabase()
  // The webhook handler runs on a trusted server login.
  pool = new pg.Pool({ connectionString: db.url })
  const [row] = await db
    .as('service_role')
    .query(`select public.provision_tenant('Billed', 'billed', 'owner@billed.test') as t`)
  orgId = row?.t.organization_id
  const owner = await db.createUser({ email: 'owner@billed.test' })
  await db.as(owner).query('select * from public.accept_invitation($1)', [row?.t.invitation_token])
  await db.query(
    `insert into platform.subscription_products (provider, provider_price_id, plan, name, amount, features)
     values ('stripe', 'price_pro', 'pro', 'Pro', 1200, '{"seats": true, "sso": false}'),
            ('stripe', 'price_old', 'legacy', 'Legacy', 500, '{}')`,
  )
  await db.query(
    `update platform.subscription_products set is_active = false where provider_price_id = 'price_old'`,
  )
})
afterAll(async () => {
  await pool.end()
  await db.close()
})

let sequence = 0
const stripeEvent = (
  type: string,
  status: string,
  quantity: number,
  created: number,
  id = `evt_${++sequence}`,
) =>
  JSON.stringify({
    id,
    object: 'event',
    type,
    created,
    data: {
      object: {
        id: 'sub_life',
        object: 'subscription',
        status,
        customer: 'cus_life',
        cancel_at_period_end: false,
        metadata: { organization_id: orgId },
        items: {
          data: [
            {
              id: 'si_life',
              quantity,
              current_period_end: created + 2_592_000,
              price: { id: 'price_pro' },
            },
          ],
        },
      },
    },
  })
const deliver = (payload: string, secret = 'whsec_sync', tamper = false) => {
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret })
  return handleBillingWebhook(
    provider,
    new Request('https://app.test/webhooks/stripe', {
      method: 'POST',
      headers: { 'stripe-signature': header },
      body: tamper ? payload.replace('"quantity":', '"quantity":9') : payload,
    }),
    pool,
  )
}
const plan = async () =>
  (
    await db
      .as('service_role')
      .query('select plan, source, status, quantity from public.get_organization_plan($1)', [orgId])
  )[0]

describe('webhook sync', () => {
  it('starts on the free plan and lists only active products, to anon too', async () => {
    expect(await plan()).toEqual({ plan: 'free', source: 'free', status: 'active', quantity: null })
    expect(
      await db.as('anon').query('select plan from public.list_subscription_products()'),
    ).toEqual([{ plan: 'pro' }])
  })

  it('follows a subscription from creation through seats and past due to cancellation', async () => {
    const t = 1_800_000_000
    expect(await deliver(stripeEvent('customer.subscription.created', 'active', 1, t))).toEqual({
      status: 200,
      body: { received: true, outcome: 'applied' },
    })
    expect(await plan()).toEqual({
      plan: 'pro',
      source: 'subscription',
      status: 'active',
      quantity: 1,
    })
    await deliver(stripeEvent('customer.subscription.updated', 'active', 3, t + 10))
    expect((await plan())?.quantity).toBe(3)
    await deliver(stripeEvent('customer.subscription.updated', 'past_due', 3, t + 20))
    expect(await plan()).toMatchObject({ plan: 'pro', status: 'past_due' })
    await deliver(stripeEvent('customer.subscription.deleted', 'canceled', 3, t + 30))
    expect(await plan()).toEqual({ plan: 'free', source: 'free', status: 'active', quantity: null })
  })

  it('ignores replays and events older than the stored state', async () => {
    const t = 1_800_001_000
    const created = stripeEvent('customer.subscription.updated', 'active', 5, t, 'evt_replayed')
    expect((await deliver(created)).body.outcome).toBe('applied')
    expect((await deliver(created)).body).toEqual({ received: true, outcome: 'duplicate' })
    const older = stripeEvent('customer.subscription.updated', 'past_due', 2, t - 500)
    expect((await deliver(older)).body.outcome).toBe('stale')
    expect(await plan()).toMatchObject({ status: 'active', quantity: 5 })
  })

  it('acknowledges event types it does not use', async () => {
    const payload = JSON.stringify({
      id: 'evt_unknown',
      object: 'event',
      type: 'invoice.finalized',
      created: 1_800_002_000,
      data: { object: {} },
    })
    expect(await deliver(payload)).toEqual({
      status: 200,
      body: { received: true, outcome: 'ignored' },
    })
  })

  it('answers 400 to a bad signature or a tampered body and stores nothing', async () => {
    const before = await db.query('select count(*)::int as n from platform.billing_events')
    expect(
      (
        await deliver(
          stripeEvent('customer.subscription.updated', 'active', 1, 1_800_003_000),
          'whsec_wrong',
        )
      ).status,
    ).toBe(400)
    expect(
      (
        await deliver(
          stripeEvent('customer.subscription.updated', 'active', 1, 1_800_003_000),
          'whsec_sync',
          true,
        )
      ).status,
    ).toBe(400)
    expect(await db.query('select count(*)::int as n from platform.billing_events')).toEqual(before)
  })

  it('answers 500 when the database write fails, so the provider retries', async () => {
    const broken = { query: async () => Promise.reject(new Error('connection refused')) }
    const payload = stripeEvent('customer.subscription.updated', 'active', 1, 1_800_004_000)
    const result = await handleBillingWebhook(
      provider,
      new Request('https://app.test/webhooks/stripe', {
        method: 'POST',
        headers: {
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({
            payload,
            secret: 'whsec_sync',
          }),
        },
        body: payload,
      }),
      broken,
    )
    expect(result).toEqual({
      status: 500,
      body: { received: false, error: 'Could not store the event: connection refused' },
    })
  })

  it('lets only the service role apply events and read billing tables', async () => {
    const user = await db.createUser({ email: 'nobody@billed.test' })
    for (const actor of ['anon', user] as const) {
      await expect(
        db.as(actor).query(`select platform.apply_billing_event('{}')`),
      ).rejects.toMatchObject({ code: '42501' })
      await expect(
        db.as(actor).query('select * from platform.billing_subscriptions'),
      ).rejects.toMatchObject({ code: '42501' })
    }
    await expect(
      db.as(user).query('select * from public.get_organization_plan($1)', [orgId]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You are not a member of this organization',
    })
  })

  it('lets a platform override win over the subscription', async () => {
    await db
      .as('service_role')
      .query(
        `select public.platform_set_subscription_override($1, 'enterprise', '{"sso": true}')`,
        [orgId],
      )
    expect(await plan()).toEqual({
      plan: 'enterprise',
      source: 'override',
      status: 'active',
      quantity: null,
    })
    await db
      .as('service_role')
      .query('select public.platform_set_subscription_override($1, null)', [orgId])
  })

  it('syncs the seat quantity with the member count, as the provider counts it', async () => {
    // The provider's subscription; the stored one (quantity 5, from the last event) lags it.
    let providerQuantity = 3
    const calls: [string, number][] = []
    const live = (quantity: number): NormalizedSubscription => ({
      id: 'sub_life',
      status: 'active',
      priceId: 'price_pro',
      quantity,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      organizationId: orgId,
      customerId: 'cus_life',
    })
    const recording: BillingProvider = {
      ...provider,
      getSubscription: async () => live(providerQuantity),
      updateSeats: async (id, quantity) => {
        calls.push([id, quantity])
        providerQuantity = quantity
        return live(quantity)
      },
    }
    expect(await syncSeats(recording, pool, orgId)).toMatchObject({ quantity: 1 })
    expect(calls).toEqual([['sub_life', 1]])
    // In step with the provider, though the stored quantity still says 5: nothing to send.
    expect((await plan())?.quantity).toBe(5)
    expect(await syncSeats(recording, pool, orgId)).toBeNull()
    // A provider that counts 5 while the stored state says 5 still gets the member count.
    providerQuantity = 5
    const stored = await syncSeats(recording, pool, orgId)
    expect(stored).toMatchObject({ quantity: 1 })
    expect(calls).toEqual([
      ['sub_life', 1],
      ['sub_life', 1],
    ])
  })
})

describe('webhook sync with Lemon Squeezy', () => {
  // Lemon Squeezy signs the raw body with HMAC-SHA256 (X-Signature, hex) and sends no event id.
  const lemon = createLemonSqueezyProvider({
    apiKey: 'ls_test_key',
    storeId: '12',
    webhookSecret: 'ls-sync-secret',
    lookupCustomer: async () => undefined,
  })
  let lsOrg: string
  beforeAll(async () => {
    const [row] = await db
      .as('service_role')
      .query(`select public.provision_tenant('Lemon', 'lemon', 'owner@lemon.test') as t`)
    lsOrg = row?.t.organization_id
    await db.query(
      `insert into platform.subscription_products (provider, provider_price_id, plan, name, amount, features)
       values ('lemon_squeezy', '555', 'team', 'Team', 900, '{"seats": true}')`,
    )
  })
  const lsEvent = (name: string, status: string, quantity: number, updatedAt: string) =>
    JSON.stringify({
      meta: { event_name: name, custom_data: { organization_id: lsOrg } },
      ...lemonSqueezySubscription({ quantity, status, updatedAt }),
    })
  const deliverLs = (body: string, secret = 'ls-sync-secret') =>
    handleBillingWebhook(
      lemon,
      new Request('https://app.test/api/webhooks/lemon-squeezy', {
        method: 'POST',
        headers: { 'x-signature': lemonSqueezySignature(body, secret) },
        body,
      }),
      pool,
    )
  const lsPlan = async () =>
    (
      await db
        .as('service_role')
        .query('select plan, source, status, quantity from public.get_organization_plan($1)', [
          lsOrg,
        ])
    )[0]

  it('applies a signed subscription event, ignores its replay and refuses a bad signature', async () => {
    const created = lsEvent('subscription_created', 'active', 2, '2029-01-01T00:00:00.000000Z')
    expect(await deliverLs(created)).toEqual({
      status: 200,
      body: { received: true, outcome: 'applied' },
    })
    expect(await lsPlan()).toEqual({
      plan: 'team',
      source: 'subscription',
      status: 'active',
      quantity: 2,
    })
    expect(await deliverLs(created)).toEqual({
      status: 200,
      body: { received: true, outcome: 'duplicate' },
    })
    const before = await db.query('select count(*)::int as n from platform.billing_events')
    const forged = lsEvent('subscription_updated', 'past_due', 9, '2029-01-02T00:00:00.000000Z')
    expect(await deliverLs(forged, 'not-the-secret')).toEqual({
      status: 400,
      body: { received: false, error: 'Invalid Lemon Squeezy signature' },
    })
    expect(await db.query('select count(*)::int as n from platform.billing_events')).toEqual(before)
    expect(await lsPlan()).toMatchObject({ status: 'active', quantity: 2 })
    const expired = lsEvent('subscription_expired', 'expired', 2, '2029-02-01T00:00:00.000000Z')
    expect((await deliverLs(expired)).body.outcome).toBe('applied')
    expect(await lsPlan()).toEqual({
      plan: 'free',
      source: 'free',
      status: 'active',
      quantity: null,
    })
  })
})
